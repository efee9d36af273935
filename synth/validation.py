"""Leave-problems-out validation: how good is a synthesized metric on problems it never saw?

For each fold (one problem, or every problem of one search space with ``group="space"``) the
synthesizer and the baselines are fitted on the *other* problems only, then every metric (the
formula, every single proxy, every baseline) is scored by Kendall tau on all rows of the held-out
problems. A fold's proxies are those its held-out problems have: a user picks a metric they can
compute on the new task. Nothing else of the held-out problems is read by the fit (their rows,
accuracies and row counts stay unseen), which ``tests/test_validation.py`` checks by poisoning them.

Folds are independent jobs (joblib's loky or a Dask cluster); each writes ``DIR/folds/NNN.json`` when
it ends, and its GP runs go to ``DIR/folds/NNN/`` so a stopped job resumes run by run.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

from benchmarks_data import DataError, Problem
from zc_core.files import write_json
from zc_core.jobs import claim_folder
from zc_core.jsonio import load_json

from .gp import GPConfig
from .metric import method_table, metric_from_dict, tau_table
from .selection import space_of

if TYPE_CHECKING:
    from .synthesizer import ProxySynthesizer

FORMULA = "FORMULA"
BASELINE_NAMES = ("rank_average", "teacup", "teacup_all", "upnas")
GROUPS = ("problem", "space")


@dataclass(frozen=True)
class Settings:
    """What every fold's synthesis uses (the same as ``zc-synth evolve``'s options)."""

    runs: int = 31
    seed: int = 0
    test_size: float = 0.3
    config: GPConfig = GPConfig()
    select: str = "transfer"
    folds: int = 3
    fold_by: str = "problem"
    parsimony: float = 0.01
    max_rows: int | None = 1000
    baselines: tuple[str, ...] = BASELINE_NAMES

    def synthesizer(self, out: str | None = None) -> "ProxySynthesizer":
        """The (unfitted) :class:`ProxySynthesizer` of a fold."""
        from .synthesizer import ProxySynthesizer

        return ProxySynthesizer(runs=self.runs, seed=self.seed, test_size=self.test_size, config=self.config,
                                jobs=1, out=out, select=self.select, folds=self.folds, parsimony=self.parsimony,
                                max_rows=self.max_rows, fold_by=self.fold_by)

    def check(self) -> None:
        """Refuse bad settings (DataError) before any fold starts."""
        self.synthesizer().check_params()

    def to_dict(self) -> dict[str, Any]:
        return {"runs": self.runs, "seed": self.seed, "test_size": self.test_size, "config": self.config.to_dict(),
                "select": self.select, "folds": self.folds, "fold_by": self.fold_by, "parsimony": self.parsimony,
                "max_rows": self.max_rows, "baselines": list(self.baselines)}


def make_folds(problems: Sequence[Problem], group: str = "problem") -> list[list[int]]:
    """Indices of the held-out problems of each fold: one problem each, or one search space each
    (see :func:`synth.selection.space_of`)."""
    if group not in GROUPS:
        raise DataError(f"unknown --group {group!r}; choose {' or '.join(GROUPS)}")
    if group == "problem":
        folds = [[i] for i in range(len(problems))]
    else:
        keys = [space_of(p.space) for p in problems]
        folds = [[i for i, key in enumerate(keys) if key == s] for s in dict.fromkeys(keys)]
    if len(folds) < 2:
        raise DataError(f"leave-out validation needs at least 2 {'problems' if group == 'problem' else 'spaces'}, "
                        f"got {len(folds)}")
    return folds


def restrict(problem: Problem, features: Sequence[str]) -> Problem | None:
    """The problem with only ``features`` (those of them it has), rows kept; None when it has none."""
    kept = [f for f in problem.features.columns if f in set(features)]
    if not kept:
        return None
    return Problem(name=problem.name, space=problem.space, task=problem.task, archs=problem.archs,
                   features=problem.features[kept], target=problem.target, n_dropped=problem.n_dropped,
                   source=problem.source)


def fit_fold(train: Sequence[Problem], held_features: Sequence[str], settings: Settings,
             out: str | None = None) -> dict[str, Any]:
    """Synthesize and fit baselines on ``train`` with the proxies ``held_features``; returns the metrics
    as JSON-ready dictionaries (``{"FORMULA": formula dict, baseline: metric dict or None}``)."""
    from .baselines import make_baseline

    restricted = [r for p in train for r in [restrict(p, held_features)] if r is not None]
    if not restricted:
        raise DataError(f"no training problem has any of the proxies {', '.join(held_features)}")
    model = settings.synthesizer(out)
    model.fit(restricted)
    metrics: dict[str, Any] = {FORMULA: model.formula_.to_dict()}
    for name in settings.baselines:
        try:
            metrics[name] = make_baseline(name, seed=settings.seed).fit(restricted).metric_.to_dict()
        except DataError:
            metrics[name] = None
    return {"metrics": metrics, "train_problems": [p.name for p in restricted],
            "hall_of_fame": model.report_["hall_of_fame"], "selection": model.report_["selection"]}


def score_fold(fitted: dict[str, Any], held: Sequence[Problem], proxies: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Tau of every fitted metric and every single proxy on each held-out problem (one method table)."""
    fitted_metrics = {name: metric_from_dict(data) if data is not None else None
                      for name, data in fitted["metrics"].items()}
    return tau_table(method_table(fitted_metrics, proxies), held)


def run_fold(index: int, train: Sequence[Problem], held: Sequence[Problem], proxies: Sequence[str],
             settings: Settings, directory: str | None) -> dict[str, Any]:
    """One whole fold (a worker's job): fit on ``train``, score on ``held``."""
    held_features = sorted(set.intersection(*(set(p.features.columns) for p in held)))
    out = os.path.join(directory, "folds", f"{index:03d}") if directory else None
    fitted = fit_fold(train, held_features, settings, out)
    return {"fold": index, "held_out": [p.name for p in held], "features": held_features, **fitted,
            "taus": score_fold(fitted, held, proxies)}


class FoldStore:
    """``DIR/job.json`` (kind ``validate`` and the job's arguments) and ``DIR/folds/NNN.json``."""

    def __init__(self, directory: str, signature: dict[str, Any]):
        self.directory = directory
        self.signature = {"kind": "validate", **signature}
        self.folder = os.path.join(directory, "folds")
        self._claimed = False

    def open(self) -> dict[int, dict[str, Any]]:
        """Create the folder, or check it holds this same job (once); return the finished folds."""
        if not self._claimed:
            claim_folder(self.directory, self.signature, only_ours=True)
            os.makedirs(self.folder, exist_ok=True)
            self._claimed = True
        done = {}
        for name in sorted(os.listdir(self.folder)):
            if name.endswith(".json"):
                fold = load_json(os.path.join(self.folder, name))
                done[int(fold["fold"])] = fold
        return done

    def save(self, fold: dict[str, Any]) -> None:
        write_json(os.path.join(self.folder, f"{fold['fold']:03d}.json"), fold)


def run_folds(problems: Sequence[Problem], folds: Sequence[Sequence[int]], settings: Settings, *,
              jobs: int = 1, scheduler: str | None = None, directory: str | None = None,
              store: FoldStore | None = None,
              progress: Callable[[int], None] | None = None) -> list[dict[str, Any]]:
    """Every fold's result, in fold order; finished folds in ``store`` are reused."""
    from proxies.parallel import parallel_map

    done = store.open() if store else {}
    if progress and done:
        progress(len(done))
    proxies = list(dict.fromkeys(f for p in problems for f in p.features.columns))
    todo = [i for i in range(len(folds)) if i not in done]

    def job(i: int) -> tuple[Callable[..., dict[str, Any]], tuple]:
        held = [problems[k] for k in folds[i]]
        train = [p for k, p in enumerate(problems) if k not in set(folds[i])]
        return run_fold, (i, train, held, proxies, settings, directory)

    results: Iterator[dict[str, Any]] = parallel_map([job(i) for i in todo], jobs, scheduler)
    for fold in results:
        if store:
            store.save(fold)
        done[fold["fold"]] = fold
        if progress:
            progress(1)
    return [done[i] for i in range(len(folds))]


def collect(folds: Sequence[dict[str, Any]], problems: Sequence[str]) -> dict[str, dict[str, float | None]]:
    """``{metric: {problem: tau}}`` over all folds (each problem is held out by exactly one fold)."""
    metrics: dict[str, dict[str, float | None]] = {}
    for fold in folds:
        for name, by_problem in fold["taus"].items():
            metrics.setdefault(name, {}).update(by_problem)
    return {name: {p: by_problem.get(p) for p in problems} for name, by_problem in metrics.items()}
