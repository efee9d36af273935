"""An ensemble of trained search-space networks, scikit-learn style: fit / predict / predict_proba /
uncertainty, save / load.

Each member is one architecture trained with one seed by the project's training loop
(:func:`benchmarks_data.training.train_network`, best-validation checkpoint). Members are saved as
they finish (``<folder>/models/<key>/``: ``weights.pt`` and ``member.json`` with the architecture,
its metric value, the seed, the input normalisation and the training settings), so a fit that is
stopped resumes from the members already trained; members with other settings are refused, never
mixed in.

After training, :meth:`Ensemble.fit` looks at the validation split once more: with ``calibrate=True``
each member gets a temperature (kept when it lowers the ensemble's validation NLL), and with
``uncertainty="auto"`` the uncertainty score with the lowest validation AURC, within one standard
error, is chosen (:mod:`synth.ensemble.uncertainty`). Both are saved with the ensemble and used by ``predict``.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
from sklearn.base import BaseEstimator

from benchmarks_data.builder import finite_metrics
from zc_core.files import atomic_write, write_json
from zc_core.jobs import check_same_settings
from benchmarks_data.datasets import Dataset
from zc_core.errors import DataError, check_fitted, first_line
from zc_core.jsonio import load_json_object

from . import calibration
from . import combine as rules
from . import uncertainty as scores

FORMAT = "zc-synth-ensemble"
VERSION = 2
"""Version 2 adds the uncertainty score, its validation AURCs and the members' temperatures; a
version 1 file loads with the variance score and no temperatures (what version 1 used)."""


def dataset_fingerprint(dataset: Dataset) -> str:
    """A short hash of every split's arrays: members trained on other data are not reused."""
    digest = hashlib.sha1()
    for split in ("train", "val", "test"):
        x, y = dataset.split(split)
        for array in (x, y):
            digest.update(str(array.shape).encode())
            digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()[:16]


_MEMBER_KEY = re.compile(r"^arch-([0-4]{6}|[a-z0-9_]+-[0-9a-f]{12})-seed\d+$")


def member_key(arch: str, seed: int, space: str = "nb201") -> str:
    """Folder name of a member: in NB201 the architecture's op indices and the seed, e.g.
    ``arch-301224-seed0``; elsewhere the space and a digest of the canonical key, e.g.
    ``arch-darts-3f2a9c0b1d4e-seed0``."""
    from proxies import spaces

    sp = spaces.get(space)
    canonical = sp.key(sp.parse(arch))
    if sp.name == "nb201":
        return f"arch-{''.join(c for c in canonical if c.isdigit())}-seed{seed}"
    return f"arch-{sp.name}-{hashlib.sha1(canonical.encode()).hexdigest()[:12]}-seed{seed}"


@dataclass
class Member:
    """One trained network of an ensemble."""

    arch: str
    seed: int
    metric: float | None
    val: dict[str, Any]
    test: dict[str, Any]
    best_epoch: int
    normalization: Any
    model: Any = field(repr=False)
    space: str = "nb201"

    @property
    def key(self) -> str:
        return member_key(self.arch, self.seed, self.space)


class Ensemble(BaseEstimator):
    """Networks of ``archs`` (one per entry, trained with the matching ``seeds``) combined by the mean
    of their class probabilities (``combine="mean"``) or by majority vote (``"vote"``).

    ``archs`` may repeat an architecture with different seeds (the single-architecture baseline);
    each (architecture, seed) pair must be unique. ``metrics`` are the metric values of ``archs``
    (kept for reports). With ``folder``, members are saved there as they are trained and reused by a
    later fit with the same settings. ``jobs`` > 1 trains members in parallel processes with one
    torch thread each (the numbers then match other ``jobs`` > 1 runs, not ``jobs=1`` runs bit for bit).

    ``uncertainty`` names the score that orders samples by confidence (one of
    :data:`synth.ensemble.uncertainty.SCORES`) or is ``"auto"``: the score with the lowest AURC on the
    validation split, under the one-standard-error rule (a score earlier in ``SCORES`` within one
    bootstrap standard error of the lowest is preferred; the plain lowest picked a score twice as bad
    on test in 3 of 16 development cases, see ``benchmarks/choose_uncertainty_rule.py``). ``calibrate``
    fits one temperature per member on the validation split. After ``fit``: ``uncertainty_score_``
    (the score used), ``validation_aurc_`` (every score's validation AURC), ``validation_aurc_se_``
    (bootstrap standard error of each score's difference to the lowest) and ``calibration_``
    (temperatures and validation NLL before/after).
    """

    def __init__(self, archs: Sequence[str], *, seeds: Sequence[int] | int = 0,
                 metrics: Sequence[float | None] | None = None, width: int = 8, cells: int = 1, epochs: int = 10,
                 batch_size: int = 64, lr: float = 0.05, combine: str = "mean", device: str | None = None,
                 jobs: int = 1, folder: str | None = None, metric_name: str | None = None,
                 uncertainty: str = scores.DEFAULT, calibrate: bool = False, scheduler: str | None = None,
                 space: str = "nb201") -> None:
        self.archs = archs
        self.space = space
        self.seeds = seeds
        self.metrics = metrics
        self.width, self.cells, self.epochs, self.batch_size, self.lr = width, cells, epochs, batch_size, lr
        self.combine, self.device, self.jobs, self.folder = combine, device, jobs, folder
        self.metric_name = metric_name
        self.uncertainty = uncertainty
        self.calibrate = calibrate
        self.scheduler = scheduler

    # ----------------------------------------------------------------------------------- checks
    def _validate(self) -> tuple[list[str], list[int], list[float | None]]:
        """Checks the parameters; returns the architectures as suite tuple keys, one seed and one
        metric value (or None) per architecture."""
        from proxies import spaces

        archs = [str(a) for a in self.archs]
        if not archs:
            raise DataError("an ensemble needs at least one architecture")
        seeds = ([int(self.seeds)] * len(archs) if isinstance(self.seeds, (int, np.integer))
                 else [int(s) for s in self.seeds])
        metrics = list(self.metrics) if self.metrics is not None else [None] * len(archs)
        if len(seeds) != len(archs) or len(metrics) != len(archs):
            raise DataError(f"{len(archs)} architectures but {len(seeds)} seeds and {len(metrics)} metric values")
        space = spaces.get(self.space)
        archs = [space.key(space.parse(a)) for a in archs]
        if len({member_key(a, s, space.name) for a, s in zip(archs, seeds)}) != len(archs):
            raise DataError("each (architecture, seed) pair may appear once in an ensemble")
        rules.COMBINE_RULES.get(str(self.combine))
        scores.check_choice(self.uncertainty)
        if min(self.width, self.cells, self.epochs, self.batch_size, self.jobs) < 1 or not self.lr > 0:
            raise DataError("width, cells, epochs, batch size and jobs must be >= 1 and lr > 0")
        return archs, seeds, metrics

    def _settings(self, dataset: Dataset) -> dict[str, Any]:
        from proxies import spaces

        return {"space": spaces.get(self.space).name, "dim": dataset.dim, "in_channels": dataset.in_channels,
                "num_classes": dataset.num_classes, "input_shape": list(dataset.sample_shape),
                "width": self.width, "cells": self.cells, "epochs": self.epochs, "batch_size": self.batch_size,
                "lr": self.lr, "dataset": dataset.name, "dataset_fingerprint": dataset_fingerprint(dataset)}

    # -------------------------------------------------------------------------------------- fit
    def fit(self, dataset: Dataset, progress: Callable[[Member], None] | None = None) -> "Ensemble":
        """Train every member on ``dataset`` (a Dataset, a dataset .npz path, or a dict of x_train,
        y_train, ... arrays; train split; best epoch by validation accuracy); members
        already in ``folder`` with the same settings are loaded instead. ``progress(member)`` is called
        as each member is ready."""
        from benchmarks_data.datasets import as_dataset

        archs, seeds, metrics = self._validate()
        dataset = as_dataset(dataset)
        settings = self._settings(dataset)
        self.settings_ = settings
        members: dict[int, Member] = {}
        todo = []
        for i, (arch, seed) in enumerate(zip(archs, seeds)):
            saved = self._load_saved(arch, seed, settings)
            if saved is not None:
                saved.metric = metrics[i]
                members[i] = saved
                if progress:
                    progress(saved)
            else:
                todo.append(i)
        from proxies.parallel import parallel_map

        tasks = [(_train_member, (i, archs[i], seeds[i], settings, dataset, self.device)) for i in todo]
        for i, trained in parallel_map(tasks, self.jobs, self.scheduler, torch_jobs=True):
            member = _member_from_state(trained, settings, metrics[i], self.device)
            if self.folder:
                _save_member(self.folder, member, trained["state_dict"], settings)
            members[i] = member
            if progress:
                progress(member)
        self.members_ = [members[i] for i in range(len(archs))]
        self.classes_ = np.arange(settings["num_classes"])
        self._tune(*dataset.split("val"))
        return self

    def _tune(self, x_val: np.ndarray, y_val: np.ndarray) -> None:
        """Temperatures (with ``calibrate``) and the uncertainty score, both from the validation split."""
        raw = self._raw_member_proba(x_val)
        y_val = np.asarray(y_val, dtype=np.int64)
        before = after = calibration.nll(rules.mean_proba(raw), y_val)
        proba, kept = raw, False
        if self.calibrate:
            temps = [calibration.fit_temperature(p, y_val) for p in raw]
            tempered = np.stack([calibration.temper(p, t) for p, t in zip(raw, temps)])
            after = calibration.nll(rules.mean_proba(tempered), y_val)
            if after < before:
                proba, kept = tempered, True
        self.temperatures_ = temps if kept else [1.0] * len(raw)
        self.calibration_ = {"requested": bool(self.calibrate), "kept": kept, "temperatures": self.temperatures_,
                             "val_nll_before": before, "val_nll_after": after}
        self.validation_aurc_ = rules.aurc_by_score(proba, y_val, self.combine)
        boot = rules.aurc_bootstrap(proba, y_val, self.combine)
        lowest = min(self.validation_aurc_, key=self.validation_aurc_.get)
        self.validation_aurc_se_ = {n: float(np.std(b - boot[lowest])) for n, b in boot.items()}
        self.uncertainty_score_ = (scores.choose(self.validation_aurc_, boot) if self.uncertainty == scores.AUTO
                                   else self.uncertainty)

    def uncertainty_info(self) -> dict[str, Any]:
        """The requested and chosen uncertainty score, every score's validation AURC, and the calibration."""
        self._check_fitted()
        return {"requested": self.uncertainty, "chosen": self.uncertainty_score_,
                "validation_aurc": dict(self.validation_aurc_),
                "validation_aurc_se": dict(self.validation_aurc_se_),
                "calibration": dict(self.calibration_)}

    def _load_saved(self, arch: str, seed: int, settings: dict) -> Member | None:
        if not self.folder:
            return None
        path = os.path.join(self.folder, "models", member_key(arch, seed, settings["space"]))
        if not os.path.isfile(os.path.join(path, "member.json")):
            return None
        member, saved_settings = _load_member(path, self.device)
        check_same_settings(saved_settings, settings, path, "member")
        return member

    # -------------------------------------------------------------------------------- inference
    def _check_fitted(self) -> None:
        check_fitted(self, "members_", "call fit(dataset) or Ensemble.load(folder) first")

    def check_input(self, x: np.ndarray) -> np.ndarray:
        """``x`` as float32 after checking it against the training data's sample shape."""
        self._check_fitted()
        x = np.asarray(x)
        expected = tuple(self.settings_["input_shape"])
        if x.ndim != len(expected) + 1 or tuple(x.shape[1:]) != expected:
            what = (f"{x.shape[1]} channel(s)" if x.ndim == len(expected) + 1 and x.shape[1] != expected[0]
                    else f"samples of shape {tuple(x.shape[1:])}")
            raise DataError(f"inputs have {what}; the ensemble was trained on samples of shape {expected} "
                            f"(channels first)")
        if not len(x):
            raise DataError("no input samples")
        if not np.issubdtype(x.dtype, np.number):
            raise DataError(f"inputs hold {x.dtype}, not real numbers")
        x = x.astype(np.float32, copy=False)
        if not np.isfinite(x).all():
            raise DataError("inputs have NaN or infinite values")
        return x

    def _raw_member_proba(self, x: np.ndarray) -> np.ndarray:
        from benchmarks_data.training import predict_proba

        x = self.check_input(x)
        return np.stack([predict_proba(m.model, x, m.normalization) for m in self.members_])

    def member_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities of every member (tempered when calibrated), shape (members, samples, classes)."""
        raw = self._raw_member_proba(x)
        if all(t == 1.0 for t in self.temperatures_):
            return raw
        return np.stack([calibration.temper(p, t) for p, t in zip(raw, self.temperatures_)])

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """The mean of the members' class probabilities, shape (samples, classes)."""
        return rules.mean_proba(self.member_proba(x))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The ensemble's class per sample under its combination rule."""
        return rules.combine(self.member_proba(x), self.combine)

    def predict_uncertainty(self, x: np.ndarray) -> np.ndarray:
        """The chosen uncertainty score per sample (``uncertainty_score_``; higher = less certain)."""
        return self.explain(x)["uncertainty"]

    def explain(self, x: np.ndarray) -> dict[str, np.ndarray]:
        """Everything per sample in one pass: ``prediction``, ``probability`` (ensemble probability of
        the predicted class), ``uncertainty`` (the chosen score), ``disagreement``, ``order`` (most
        confident first) and ``proba`` (samples, classes)."""
        self._check_fitted()
        return rules.summarize(self.member_proba(x), self.combine, self.uncertainty_score_)

    # ------------------------------------------------------------------------------ save / load
    def to_json(self) -> dict:
        self._check_fitted()
        return {"format": FORMAT, "version": VERSION, "combine": self.combine, "metric": self.metric_name,
                "uncertainty": self.uncertainty, "uncertainty_score": self.uncertainty_score_,
                "validation_aurc": self.validation_aurc_, "validation_aurc_se": self.validation_aurc_se_,
                "calibration": self.calibration_,
                "settings": self.settings_,
                "members": [{"key": m.key, "arch": m.arch, "seed": m.seed, "metric": m.metric, "temperature": t}
                            for m, t in zip(self.members_, self.temperatures_)]}

    def save(self, folder: str, name: str = "ensemble.json") -> str:
        """Write the members (unless already there) and ``folder/name``; returns that path."""
        self._check_fitted()
        os.makedirs(folder, exist_ok=True)
        for m in self.members_:
            if not os.path.isfile(os.path.join(folder, "models", m.key, "member.json")):
                _save_member(folder, m, {k: v.detach().cpu() for k, v in m.model.state_dict().items()}, self.settings_)
        path = os.path.join(folder, name)
        write_json(path, self.to_json())
        return path

    @classmethod
    def load(cls, folder: str, name: str = "ensemble.json", device: str | None = None) -> "Ensemble":
        """The ensemble saved in ``folder`` (by :meth:`save` or ``zc-synth ensemble``)."""
        if not os.path.isdir(folder):
            raise DataError(f"{folder}: no such ensemble folder")
        where = os.path.join(folder, name)
        doc = load_json_object(where, f"{folder} is not a saved ensemble")
        if doc.get("format") != FORMAT or not doc.get("members"):
            raise DataError(f"{where}: not a zc-synth ensemble")
        chosen = doc.get("uncertainty_score", "variance")
        if chosen not in scores.SCORES:
            raise DataError(f"{where}: unknown uncertainty score {chosen!r}")
        settings_doc = doc.get("settings")
        shape = settings_doc.get("input_shape") if isinstance(settings_doc, dict) else None
        if not isinstance(shape, list) or not shape or not all(isinstance(n, int) and n > 0 for n in shape):
            raise DataError(f"{where}: settings.input_shape must be a list of positive integers")
        if not isinstance(doc["members"], list):
            raise DataError(f"{where}: members must be a list")
        members, temps = [], []
        for entry in doc["members"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("key"), str):
                raise DataError(f"{where}: every member must be an object with a key")
            if not _MEMBER_KEY.match(entry["key"]):
                raise DataError(f"{where}: member key {entry['key'][:80]!r} is not a member folder name "
                                f"(arch-<6 op indices or space-digest>-seed<N>); refusing to read outside {folder}/models")
            member, settings = _load_member(os.path.join(folder, "models", entry["key"]), device)
            if settings != doc["settings"]:
                raise DataError(f"{folder}: member {entry['key']} does not match the ensemble's settings")
            member.metric = entry.get("metric")
            members.append(member)
            temp = entry.get("temperature", 1.0)
            if not isinstance(temp, (int, float)) or not temp > 0:
                raise DataError(f"{where}: member {entry['key']} has temperature {temp!r}")
            temps.append(float(temp))
        s = doc["settings"]
        out = cls([m.arch for m in members], seeds=[m.seed for m in members], metrics=[m.metric for m in members],
                  width=s["width"], cells=s["cells"], epochs=s["epochs"], batch_size=s["batch_size"], lr=s["lr"],
                  combine=doc.get("combine", "mean"), device=device, folder=folder, metric_name=doc.get("metric"),
                  uncertainty=doc.get("uncertainty", chosen), calibrate=bool(doc.get("calibration", {}).get("requested")),
                  space=s.get("space", "nb201"))
        out.members_, out.settings_, out.classes_ = members, s, np.arange(s["num_classes"])
        out.temperatures_, out.uncertainty_score_ = temps, chosen
        out.validation_aurc_ = dict(doc.get("validation_aurc") or {})
        out.validation_aurc_se_ = dict(doc.get("validation_aurc_se") or {})
        out.calibration_ = dict(doc.get("calibration") or {"requested": False, "kept": False, "temperatures": temps})
        return out


# ----------------------------------------------------------------------------- member helpers
def _network(settings: dict):
    from proxies.batch import NetworkSpec

    return NetworkSpec(dim=settings["dim"], in_channels=settings["in_channels"], num_classes=settings["num_classes"],
                       width=settings["width"], cells_per_stage=settings["cells"], space=settings.get("space", "nb201"))


def _train_member(index: int, arch: str, seed: int, settings: dict, dataset: Dataset,
                  device: str | None) -> tuple[int, dict]:
    """Train member ``index``; returns it with picklable results (weights on CPU)."""
    import torch

    from benchmarks_data.training import TrainConfig, train_network
    torch.manual_seed(seed)
    model = _network(settings).build(arch)
    config = TrainConfig(epochs=settings["epochs"], batch_size=settings["batch_size"], lr=settings["lr"], seed=seed)
    result = train_network(model, dataset, config, device=device)      # fits the train split's Normalization
    return index, {"arch": arch, "seed": seed, "val": finite_metrics(result.val), "test": finite_metrics(result.test),
            "best_epoch": result.best_epoch, "normalization": result.normalization.to_json(),
            "state_dict": {k: v.detach().cpu() for k, v in result.state_dict.items()}}


def _member_from_state(trained: dict, settings: dict, metric: float | None, device: str | None) -> Member:
    import torch

    from benchmarks_data.training import Normalization

    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    model = _network(settings).build(trained["arch"])
    model.load_state_dict(trained["state_dict"])
    model.to(device).eval()
    return Member(arch=trained["arch"], seed=trained["seed"], metric=metric, val=trained["val"], test=trained["test"],
                  best_epoch=trained["best_epoch"], normalization=Normalization.from_json(trained["normalization"]),
                  model=model, space=settings.get("space", "nb201"))


def _save_member(folder: str, member: Member, state_dict: dict, settings: dict) -> None:
    """Weights first, ``member.json`` last: a member folder without ``member.json`` is unfinished."""
    import torch

    path = os.path.join(folder, "models", member.key)
    os.makedirs(path, exist_ok=True)
    atomic_write(os.path.join(path, "weights.pt"), lambda tmp: torch.save(state_dict, tmp))
    write_json(os.path.join(path, "member.json"), {
        "arch": member.arch, "seed": member.seed, "metric": member.metric, "best_epoch": member.best_epoch,
        "val": member.val, "test": member.test, "normalization": member.normalization.to_json(),
        "settings": settings})


def _load_member(path: str, device: str | None) -> tuple[Member, dict]:
    import torch

    meta = load_json_object(os.path.join(path, "member.json"), f"unreadable ensemble member {path}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")             # a refused raw pickle is reported below, in one line
            state = torch.load(os.path.join(path, "weights.pt"), map_location="cpu", weights_only=True)
        trained = {**meta, "state_dict": state}
        member = _member_from_state(trained, meta["settings"], meta.get("metric"), device)
    except (OSError, RuntimeError, KeyError, TypeError, ValueError, EOFError, pickle.UnpicklingError) as exc:
        reason = ("weights.pt is not a plain tensor file (refused: loading it could run code)"
                  if isinstance(exc, pickle.UnpicklingError)
                  else f"{type(exc).__name__}: {first_line(exc)}")
        raise DataError(f"unreadable ensemble member {path} ({reason})") from None
    return member, meta["settings"]
