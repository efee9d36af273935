"""Ground truth by training: a compact, seeded training loop for search-space networks.

SGD with Nesterov momentum, cosine learning-rate schedule (per step), weight decay, cross-entropy;
inputs standardized per channel with train-split statistics; the weights of the best validation
epoch (accuracy, ties to the earlier epoch) are kept and reported on the test split. Deterministic
on CPU for a given seed and thread count. CUDA when available.
"""
from __future__ import annotations

import copy
import math
import os
import pickle
import time
from dataclasses import asdict, dataclass, field
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .datasets import Dataset
from zc_core.errors import DataError
from zc_core.files import atomic_write


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of :func:`train_network`."""

    epochs: int = 10
    batch_size: int = 64
    lr: float = 0.05
    momentum: float = 0.9
    weight_decay: float = 5e-4
    seed: int = 0
    keep: str = "best"
    """Which weights are kept and reported: ``best`` (the best validation accuracy's epoch) or
    ``last`` (the final epoch's: no selection on a small validation split, so less seed noise)."""

    def __post_init__(self) -> None:
        if self.keep not in ("best", "last"):
            raise DataError(f"keep must be 'best' or 'last', got {self.keep!r}")
        if self.epochs < 1 or self.batch_size < 1:
            raise DataError(f"epochs and batch size must be >= 1, got {self.epochs} and {self.batch_size}")
        if not (self.lr > 0 and 0 <= self.momentum < 1 and self.weight_decay >= 0):
            raise DataError("need lr > 0, 0 <= momentum < 1 and weight decay >= 0")


@dataclass
class Normalization:
    """Per-channel mean and std of the train split, applied to every input."""

    mean: np.ndarray
    std: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray) -> "Normalization":
        axes = (0,) + tuple(range(2, x.ndim))
        mean = x.mean(axis=axes, dtype=np.float64)
        std = x.std(axis=axes, dtype=np.float64)
        return cls(mean.astype(np.float32), np.where(std > 1e-8, std, 1.0).astype(np.float32))

    def apply(self, x: np.ndarray) -> np.ndarray:
        if x.shape[1] != len(self.mean):
            raise DataError(f"inputs have {x.shape[1]} channels, the normalization expects {len(self.mean)}")
        shape = (1, -1) + (1,) * (x.ndim - 2)
        return ((x - self.mean.reshape(shape)) / self.std.reshape(shape)).astype(np.float32)

    def to_json(self) -> dict:
        return {"mean": self.mean.tolist(), "std": self.std.tolist()}

    @classmethod
    def from_json(cls, data: dict) -> "Normalization":
        return cls(np.asarray(data["mean"], np.float32), np.asarray(data["std"], np.float32))


@dataclass
class TrainResult:
    """What training one network gave: metrics at the best validation epoch and its weights."""

    best_epoch: int
    val: dict[str, float | None]
    test: dict[str, float | None]
    history: list[dict[str, float]]
    seconds: float
    normalization: Normalization
    state_dict: dict = field(repr=False, default_factory=dict)

    def summary(self) -> dict:
        """JSON-ready metrics (no weights)."""
        return {"best_epoch": self.best_epoch, "val": self.val, "test": self.test, "seconds": self.seconds,
                "history": self.history}


def classification_metrics(y_true: np.ndarray, proba: np.ndarray,
                           class_names: "tuple[str, ...]" = ()) -> dict[str, float | None]:
    """accuracy, macro-F1 and ROC AUC (binary: of class 1; multi-class: one-vs-rest macro average;
    None when a class is absent from ``y_true``) of class probabilities ``proba`` (n, classes), and
    the measures of :func:`benchmarks_data.measures.task_measures` (log-loss, F1 per class, the
    CinC challenge F1 when ``class_names`` hold N, A and O).
    A row with a non-finite value (a diverged network's output) counts as the uniform distribution:
    the network knows nothing of that sample, so it scores chance there instead of failing."""
    from sklearn.metrics import f1_score, roc_auc_score

    bad = ~np.isfinite(proba).all(1)
    if bad.any():
        proba = proba.copy()
        proba[bad] = 1.0 / proba.shape[1]
    pred = proba.argmax(1)
    k = proba.shape[1]
    out: dict[str, float | None] = {"accuracy": float((pred == y_true).mean()),
                                    "macro_f1": float(f1_score(y_true, pred, average="macro",
                                                               labels=np.arange(k), zero_division=0))}
    present = np.unique(y_true)
    if len(present) < 2:
        out["auc"] = None
    elif k == 2:
        out["auc"] = float(roc_auc_score(y_true, proba[:, 1]))
    elif len(present) == k:
        p = np.clip(proba, 1e-12, None)
        out["auc"] = float(roc_auc_score(y_true, p / p.sum(1, keepdims=True), multi_class="ovr", average="macro"))
    else:
        out["auc"] = None
    from .measures import task_measures

    out.update(task_measures(y_true, proba, class_names))
    return out


def predict_proba(model: nn.Module, x: np.ndarray, normalization: Normalization,
                  device: "torch.device | str | None" = None, batch_size: int = 256) -> np.ndarray:
    """Softmax probabilities of ``model`` (eval mode) on raw inputs ``x``."""
    device = torch.device(device) if device is not None else next(model.parameters()).device
    model.eval()
    xs = normalization.apply(x)
    out = []
    with torch.no_grad():
        for start in range(0, len(xs), batch_size):
            batch = torch.from_numpy(xs[start:start + batch_size]).to(device)
            out.append(F.softmax(model(batch).float(), 1).cpu().numpy())
    return np.concatenate(out).astype(np.float64)


def train_network(model: nn.Module, dataset: Dataset, config: TrainConfig = TrainConfig(),
                  device: "torch.device | str | None" = None, progress=None,
                  normalization: Normalization | None = None, checkpoint: str | None = None,
                  on_step: "Callable[[int, nn.Module], bool] | None" = None) -> TrainResult:
    """Train ``model`` on ``dataset``'s train split; keep the best-validation weights (in ``model`` too).

    ``progress(epoch, val_metrics)`` is called after each epoch when given. ``on_step(samples, model)``
    is called after every optimizer step with the training samples seen so far (all epochs): it may
    evaluate the partly trained model (TEACUP's Fig. 1D) and returns True to stop training there. ``normalization`` is the
    train split's :class:`Normalization` when the caller has it already (fitted here otherwise).
    ``checkpoint``: a file written after every epoch (model, optimizer, schedule, shuffling and global
    random states, best weights, history) and read at the start when it exists, so a killed run
    resumes from its last finished epoch to the same weights an uninterrupted run ends with (same
    seed, device and thread count). ``seconds`` counts the time of every part of a resumed run.
    """
    device = torch.device(device) if device is not None else torch.device("cuda" if torch.cuda.is_available() else "cpu")
    start = time.perf_counter()
    norm = normalization or Normalization.fit(dataset.x_train)
    x_train = torch.from_numpy(norm.apply(dataset.x_train)).to(device)
    y_train = torch.from_numpy(dataset.y_train).to(device)
    model = model.to(device)
    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    steps_per_epoch = max(1, math.ceil(len(x_train) / config.batch_size))
    optimizer = torch.optim.SGD(model.parameters(), lr=config.lr, momentum=config.momentum,
                                weight_decay=config.weight_decay, nesterov=config.momentum > 0)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=config.epochs * steps_per_epoch)
    best: tuple[float, int, dict] | None = None
    history: list[dict[str, float]] = []
    first, earlier = 1, 0.0
    if checkpoint and os.path.exists(checkpoint):
        state = _load_checkpoint(checkpoint, config)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        schedule.load_state_dict(state["schedule"])
        generator.set_state(state["generator"])
        torch.set_rng_state(state["rng"])
        best, history, earlier = tuple(state["best"]), state["history"], state["seconds"]
        first = state["epoch"] + 1
    stopped = bool(history) and not math.isfinite(history[-1]["train_loss"])
    seen_all, halted = (first - 1) * len(x_train), False
    for epoch in range(first, config.epochs + 1):
        if stopped or halted:
            break
        model.train()
        order = torch.randperm(len(x_train), generator=generator).to(device)
        total, seen = 0.0, 0
        for step in range(steps_per_epoch):
            idx = order[step * config.batch_size:(step + 1) * config.batch_size]
            if len(idx) < 2:                       # a 1-sample batch breaks train-mode BN
                continue
            loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item() * len(idx)
            seen += len(idx)
            seen_all += len(idx)
            if on_step is not None:
                halt = on_step(seen_all, model)
                model.train()
                if halt:
                    halted = True
                    break
        val = classification_metrics(dataset.y_val, predict_proba(model, dataset.x_val, norm, device),
                                     dataset.class_names)
        loss_value = total / max(seen, 1)
        history.append({"epoch": epoch, "train_loss": loss_value, "val_accuracy": val["accuracy"]})
        stopped = not math.isfinite(loss_value)
        better = val["accuracy"] > best[0] if config.keep == "best" and best is not None else True
        if best is None or (not stopped and better):     # a first-epoch divergence is kept
            best = (val["accuracy"], epoch, copy.deepcopy(model.state_dict()))
        if checkpoint:
            _save_checkpoint(checkpoint, config, {
                "epoch": epoch, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "schedule": schedule.state_dict(), "generator": generator.get_state(),
                "rng": torch.get_rng_state(), "best": best, "history": history,
                "seconds": earlier + time.perf_counter() - start})
        if progress and not stopped:
            progress(epoch, val)
    assert best is not None
    model.load_state_dict(best[2])
    val = classification_metrics(dataset.y_val, predict_proba(model, dataset.x_val, norm, device),
                                 dataset.class_names)
    test = classification_metrics(dataset.y_test, predict_proba(model, dataset.x_test, norm, device),
                                  dataset.class_names)
    return TrainResult(best_epoch=best[1], val=val, test=test, history=history,
                       seconds=earlier + time.perf_counter() - start, normalization=norm, state_dict=best[2])


def save_atomic(obj: object, path: str) -> None:
    """``torch.save`` through a temporary file, so a kill never leaves half a file at ``path``."""
    atomic_write(path, lambda tmp: torch.save(obj, tmp))


def _save_checkpoint(path: str, config: TrainConfig, state: dict) -> None:
    """``state`` and the config it belongs to (checked when the checkpoint is read back)."""
    save_atomic({"config": asdict(config), **state}, path)


def _load_checkpoint(path: str, config: TrainConfig) -> dict:
    """The checkpoint at ``path``; :class:`DataError` when it is unreadable or from another config."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        raise DataError(f"{path}: refused: the checkpoint holds objects other than tensors and numbers, and "
                        "loading them could run code; delete it to start again") from None
    except Exception as exc:                    # torch raises many types for a damaged file
        raise DataError(f"{path}: not a readable training checkpoint ({type(exc).__name__}); delete it "
                        "to start again") from None
    if not isinstance(state, dict) or state.get("config") != asdict(config):
        raise DataError(f"{path}: a checkpoint of other training settings; delete it to start again")
    return state
