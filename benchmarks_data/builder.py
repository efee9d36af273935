"""Build a benchmark table for a new task: proxies + brief training per architecture, resumable.

The table uses the official NAS-Bench-Suite-Zero layout, ``{task: {arch: {proxy: {"score", "time"},
"val_accuracy": percent, ...}}}``, so ``zc-synth evolve`` reads it like the published files. Per
architecture it also records ``test_accuracy`` (percent), ``val_macro_f1``, ``val_auc``,
``test_macro_f1``, ``test_auc`` (0..1, AUC null when undefined), ``best_epoch`` and ``train_time``.

Resuming: the table is rewritten atomically after every architecture, and the build settings are
kept beside it in ``<out>.build.json``; running the same command again skips finished
architectures, and a different setting is refused rather than mixed in. Every architecture is
initialized, scored and trained under the same seed, whatever the order or the number of jobs, so a
resumed build gives the same table as an uninterrupted one (timings aside; a different number of
torch threads, e.g. ``--jobs 2`` workers run one thread each, changes float rounding only).
"""
from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, field, replace
from typing import Callable, Iterable

import numpy as np

from .datasets import Dataset
from zc_core.errors import DataError
from zc_core.files import write_json
from zc_core.jobs import check_same_settings
from zc_core.jsonio import load_json_object

RESULT_KEYS = ("val_accuracy", "test_accuracy", "val_macro_f1", "val_auc", "test_macro_f1", "test_auc",
               "val_log_loss", "test_log_loss", "val_challenge_f1", "test_challenge_f1", "val_f1_per_class",
               "test_f1_per_class", "best_epoch", "train_time", "repeats")
"""Every training result a record may hold beside the proxies (``*_challenge_f1`` only for CinC classes)."""


CURVE = "val_curve"
"""Record key of the per-epoch validation accuracies (%) that build-benchmark writes: the learning curve."""


@dataclass(frozen=True)
class BuildSpec:
    """Everything that determines a table's numbers (kept in ``<out>.build.json``)."""

    dataset: str
    dim: int
    in_channels: int
    num_classes: int
    space: str = "nb201"
    width: int = 8
    cells: int = 1
    epochs: int = 5
    batch_size: int = 64
    lr: float = 0.05
    seed: int = 0
    proxies: tuple[str, ...] = field(default_factory=tuple)
    proxy_batch: int = 64
    weight_decay: float = 5e-4
    keep: str = "best"
    repeats: int = 1
    """Trainings per architecture, seeds ``seed``, ``seed + 1``, ...: the record holds their mean (a
    steadier ground truth where one training's seed moves the measure as much as the architecture)."""
    folds: int = 1
    """1: train on the train split, measure on the validation split. K >= 2: K-fold cross-validation
    on the train and validation splits pooled (folds drawn per seed, stratified by class, a record's
    samples in one fold): the ``val_*`` measures come from every pooled sample's out-of-fold
    prediction, so a task with a small validation split is measured on all its labelled samples."""

    def to_json(self) -> dict:
        """The settings as JSON; the weight decay, the kept epoch, the repeats and the folds only when
        they are not the defaults, so a table built before they were settings resumes."""
        out = asdict(self)
        out["proxies"] = list(self.proxies)
        for key, default in (("weight_decay", 5e-4), ("keep", "best"), ("repeats", 1), ("folds", 1)):
            if out[key] == default:
                del out[key]
        return out


def finite_or_none(value: float | None) -> float | None:
    """``value`` as a float when it is finite, else None (JSON has no NaN or infinity)."""
    return None if value is None or not math.isfinite(value) else float(value)


def finite_metrics(metrics: dict) -> dict:
    """A measures dict (:func:`~benchmarks_data.training.classification_metrics`) JSON-ready: every
    number through :func:`finite_or_none`, lists (the F1 per class) element by element."""
    return {k: [finite_or_none(x) for x in v] if isinstance(v, list) else finite_or_none(v)
            for k, v in metrics.items()}


def proxy_data(dataset: Dataset):
    """The train split standardized per channel, as every proxy of a table sees it, and that
    :class:`~benchmarks_data.training.Normalization` (training reuses it). Returns (ProxyData, Normalization)."""
    from proxies.data import ProxyData

    from .training import Normalization

    norm = Normalization.fit(dataset.x_train)
    return ProxyData.from_arrays(norm.apply(dataset.x_train), dataset.y_train, dataset.name), norm


def evaluate_architecture(arch: str, spec: BuildSpec, dataset: Dataset, device: str | None = None) -> dict:
    """One table record: every proxy of ``spec`` (on the standardized train split) plus training."""
    from proxies.batch import NetworkSpec
    from proxies.engine import compute

    network = NetworkSpec(dim=spec.dim, in_channels=spec.in_channels, num_classes=spec.num_classes,
                          width=spec.width, cells_per_stage=spec.cells, space=spec.space)

    def factory():
        return network.build(arch)

    data, norm = proxy_data(dataset)
    record: dict = {}
    if spec.proxies:
        scores = compute(factory, list(spec.proxies), data, device, seed=spec.seed, batch_size=spec.proxy_batch)
        for name, s in scores.items():
            cell = {"score": s.score if s.ok else None, "time": s.time}
            if not s.ok:
                cell["error"] = s.error
            record[name] = cell
    runs = [train_run(factory, spec, dataset, norm, seed, device)
            for seed in range(spec.seed, spec.seed + spec.repeats)]
    if len(runs) == 1:
        record.update(runs[0])
    else:
        record.update(mean_record(runs))
        record["repeats"] = runs
    return record


def train_run(factory: Callable, spec: BuildSpec, dataset: Dataset, norm, seed: int,
              device: str | None = None) -> dict:
    """The training measures of one seed: one training (``spec.folds == 1``) or a cross-validation."""
    import torch

    from .training import TrainConfig, train_network

    config = TrainConfig(epochs=spec.epochs, batch_size=spec.batch_size, lr=spec.lr, seed=seed,
                         weight_decay=spec.weight_decay, keep=spec.keep)
    if spec.folds > 1:
        return cross_validated_run(factory, config, dataset, norm, spec.folds, device)
    torch.manual_seed(seed)
    return training_record(train_network(factory(), dataset, config, device=device, normalization=norm))


def training_record(result) -> dict:
    """The table keys of one :class:`~benchmarks_data.training.TrainResult`: its measures, kept epoch,
    seconds and learning curve."""
    return {**result_record(result.val, result.test), "best_epoch": result.best_epoch,
            "train_time": result.seconds, CURVE: [100.0 * h["val_accuracy"] for h in result.history]}


def fold_indices(y: np.ndarray, groups: np.ndarray | None, folds: int, seed: int) -> list[np.ndarray]:
    """``folds`` disjoint index sets covering ``y``, stratified by class and seeded; with ``groups``
    (a record id per sample) every record's samples share one fold."""
    from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold

    if groups is None:
        splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
        parts = splitter.split(np.zeros(len(y)), y)
    else:
        splitter = StratifiedGroupKFold(folds, shuffle=True, random_state=seed)
        parts = splitter.split(np.zeros(len(y)), y, groups)
    return [held for _, held in parts]


def cross_validated_run(factory: Callable, config, dataset: Dataset, norm, folds: int,
                        device: str | None = None) -> dict:
    """K-fold cross-validation on the pooled train and validation splits: ``val_*`` measures of the
    out-of-fold predictions of every pooled sample, ``test_*`` the mean of the K networks' test
    measures (each is one network, as a table's test value is), ``val_curve`` the folds' mean."""
    import torch

    from .training import classification_metrics, predict_proba, train_network

    if config.keep != "last":
        raise DataError("cross-validation needs keep='last' (choosing an epoch on the held-out fold "
                        "would bias its out-of-fold measure)")
    x = np.concatenate([dataset.x_train, dataset.x_val])
    y = np.concatenate([dataset.y_train, dataset.y_val])
    groups = None
    if dataset.records is not None:
        groups = np.concatenate([np.asarray(dataset.records["train"]), np.asarray(dataset.records["val"])])
    proba = np.zeros((len(y), dataset.num_classes))
    runs = []
    for held in fold_indices(y, groups, folds, config.seed):
        kept = np.setdiff1d(np.arange(len(y)), held)
        part = replace(dataset, x_train=x[kept], y_train=y[kept], x_val=x[held], y_val=y[held], records=None)
        torch.manual_seed(config.seed)
        model = factory()
        result = train_network(model, part, config, device=device, normalization=norm)
        proba[held] = predict_proba(model, x[held], norm, device)
        runs.append(training_record(result))
    record = mean_record(runs)
    pooled = classification_metrics(y, proba, dataset.class_names)
    record.update({k: v for k, v in result_record(pooled, pooled).items() if k.startswith("val_")})
    return record


def mean_record(runs: list[dict]) -> dict:
    """The mean of several trainings' records, key by key (lists element-wise, None where any run has
    None); ``train_time`` is their sum, ``best_epoch`` the first run's."""
    out: dict = {}
    for key, first in runs[0].items():
        values = [r.get(key) for r in runs]
        if key == "train_time":
            out[key] = float(sum(values))
        elif key == "best_epoch":
            out[key] = first
        elif any(v is None for v in values):
            out[key] = None
        elif isinstance(first, list):
            lengths = {len(v) for v in values}
            out[key] = [float(np.mean(column)) for column in zip(*values)] if len(lengths) == 1 else first
        else:
            out[key] = float(np.mean(values))
    return out


def result_record(val: dict, test: dict) -> dict:
    """The table keys of one training's validation and test measures (accuracy in percent)."""
    out: dict = {}
    for split, metrics in (("val", val), ("test", test)):
        out[f"{split}_accuracy"] = 100.0 * metrics["accuracy"]
        out[f"{split}_macro_f1"] = metrics["macro_f1"]
        out[f"{split}_auc"] = finite_or_none(metrics["auc"])
        out[f"{split}_log_loss"] = finite_or_none(metrics.get("log_loss"))
        out[f"{split}_f1_per_class"] = metrics.get("f1_per_class")
        if metrics.get("challenge_f1") is not None:
            out[f"{split}_challenge_f1"] = metrics["challenge_f1"]
    return out


def check_resume(out: str, spec: BuildSpec, task: str) -> dict:
    """Finished records of an earlier build of the same spec, or {} for a new build."""
    meta_path = f"{out}.build.json"
    if not os.path.exists(out):
        return {}
    if not os.path.exists(meta_path):
        raise DataError(f"{out} exists but was not written by build-benchmark (no {meta_path}); "
                        "choose another --out")
    what = f"cannot resume from {out} (choose another --out)"
    meta, table = load_json_object(meta_path, what), load_json_object(out, what)
    check_same_settings(meta.get("spec") or {}, spec.to_json(), out, "benchmark table")
    records = table.get(task, {})
    if not isinstance(records, dict) or not all(isinstance(r, dict) for r in records.values()):
        raise DataError(f"cannot resume from {out}: task {task!r} does not map architectures to records; "
                        "choose another --out")
    return {arch: rec for arch, rec in records.items() if "val_accuracy" in rec}


def build_benchmark(dataset: Dataset, archs: Iterable[str], spec: BuildSpec, out: str, *, jobs: int = 1,
                    device: str | None = None, progress: Callable[[int], None] | None = None,
                    limit: int | None = None, scheduler: str | None = None, measure: str | None = None) -> dict:
    """Score and train every architecture of ``archs`` on ``dataset``, writing ``out`` as it goes.

    Returns the table ``{task: {arch: record}}``. ``limit`` stops after that many new architectures
    (used to test resuming). On a GPU the architectures run one after another; on the CPU ``jobs``
    processes run in parallel, one thread each. With ``scheduler`` (a Dask scheduler address) each
    architecture is one task on the cluster; only this process writes ``out`` and its resume file,
    after every finished architecture, so a stopped build resumes without recomputing any.
    ``measure`` (a :data:`~benchmarks_data.measures.MEASURES` name) is the table's declared ground
    truth, kept in the resume file: ``--target declared`` reads ``val_<measure>``.
    """
    from proxies.parallel import parallel_map

    archs = list(dict.fromkeys(archs))
    task = dataset.name
    done = check_resume(out, spec, task)
    folder = os.path.dirname(os.path.abspath(out))
    os.makedirs(folder, exist_ok=True)
    settings: dict = {"spec": spec.to_json(), "archs": archs}
    if dataset.class_names:
        settings["classes"] = list(dataset.class_names)
    if measure:
        settings["measure"] = measure
    write_json(f"{out}.build.json", settings)
    records = dict(done)
    pending = [a for a in archs if a not in done]
    if limit is not None:
        pending = pending[:limit]
    if progress and done:
        progress(len([a for a in archs if a in done]))

    def save() -> None:
        ordered = {a: records[a] for a in archs if a in records}
        write_json(out, {task: ordered})

    save()
    use_gpu = device is not None and str(device).startswith("cuda")
    tasks = [(_evaluate_tagged, (a, spec, dataset, device)) for a in pending]
    for arch, record in parallel_map(tasks, 1 if use_gpu else jobs, scheduler, torch_jobs=True):
        records[arch] = record
        save()
        if progress:
            progress(1)
    return {task: {a: records[a] for a in archs if a in records}}


def _evaluate_tagged(arch: str, spec: BuildSpec, dataset: Dataset, device: str | None) -> tuple[str, dict]:
    return arch, evaluate_architecture(arch, spec, dataset, device)


def table_summary(table: dict) -> str:
    """Kendall tau of params and flops with val_accuracy, and the accuracy spread, per task."""
    from scipy.stats import kendalltau

    lines = []
    for task, rows in table.items():
        acc = np.array([r["val_accuracy"] for r in rows.values()])
        parts = [f"{task}: {len(acc)} architectures, val accuracy {acc.min():.1f} .. {acc.max():.1f} %"
                 f" (median {np.median(acc):.1f}, std {acc.std():.1f})"]
        for proxy in ("params", "flops"):
            vals = [r.get(proxy, {}).get("score") if isinstance(r.get(proxy), dict) else None for r in rows.values()]
            if all(v is not None for v in vals) and len(acc) > 2:
                parts.append(f"tau({proxy}, acc) {kendalltau(vals, acc)[0]:.3f}")
        lines.append("; ".join(parts))
    return "\n".join(lines)
