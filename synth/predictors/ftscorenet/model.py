"""FT-ScoreNet as a scikit-learn-style ranker: ``fit(cells, accuracies)``, ``predict(cells)``,
``save(path)`` / ``FTScoreNetRanker.load(path)``.

Training follows the paper: Adam (lr 0.001, betas (0.9, 0.95)) on every learnable part at once,
batches of 64 architectures, the differentiable Spearman loss of :mod:`.ranking`, a fixed number of
epochs over the training architectures. Seeded: the same seed, data and thread count give the
same model on CPU.
"""
from __future__ import annotations

import math
from dataclasses import fields
from typing import Callable, Sequence

import numpy as np
import torch
from sklearn.base import BaseEstimator

from zc_core.errors import DataError, check_fitted, first_line
from zc_core.files import atomic_write
from proxies.spaces.nb201.encoding import ArchError, Cell

from .ranking import spearman_loss
from .scorer import FTScoreNet, ScorerConfig

FORMAT = "zc-synth-ftscorenet"
VERSION = 1


def parse_cells(archs: Sequence["str | tuple | Cell"]) -> list[Cell]:
    """NB201 cells from cell strings or suite tuple keys; one-line error naming the first bad one."""
    cells = []
    for arch in archs:
        try:
            cells.append(Cell.parse(arch))
        except ArchError as exc:
            raise DataError(f"FT-ScoreNet scores NB201 cells only: {exc}") from None
    return cells


class FTScoreNetRanker(BaseEstimator):
    """Train and apply FT-ScoreNet. Settings are keyword-only; learned state lives in ``module_``."""

    def __init__(self, *, config: ScorerConfig = ScorerConfig(), epochs: float = 2.0, batch_size: int = 64,
                 lr: float = 1e-3, temperature: float = 0.1, seed: int = 0) -> None:
        self.config = config
        self.epochs = epochs
        self.batch_size = batch_size
        self.lr = lr
        self.temperature = temperature
        self.seed = seed

    def steps_for(self, n_cells: int) -> int:
        """Optimizer steps that :meth:`fit` takes on ``n_cells`` architectures: ``epochs`` passes of
        ``n_cells // batch_size`` batches (at least one step)."""
        batch = min(self.batch_size, n_cells)
        return max(1, math.ceil(self.epochs * max(1, n_cells // batch)))

    def fit(self, archs: Sequence["str | tuple | Cell"], accuracies: Sequence[float],
            progress: Callable[[int, int, float], None] | None = None) -> "FTScoreNetRanker":
        """Learn to rank ``archs`` by ``accuracies``; ``progress(step, steps, loss)`` after each step."""
        cells = parse_cells(archs)
        y = np.asarray(accuracies, dtype=np.float64)
        if len(cells) != len(y):
            raise DataError(f"{len(cells)} architectures but {len(y)} accuracies")
        if len(cells) < 2 or not np.all(np.isfinite(y)):
            raise DataError("FT-ScoreNet needs at least 2 architectures with finite accuracies")
        if self.epochs <= 0 or self.batch_size < 2:
            raise DataError("epochs must be > 0 and batch_size >= 2")
        self.module_ = FTScoreNet(self.config, seed=self.seed)
        optimizer = torch.optim.Adam(self.module_.parameters(), lr=self.lr, betas=(0.9, 0.95))
        rng = np.random.default_rng(self.seed)
        batch = min(self.batch_size, len(cells))
        steps = self.steps_for(len(cells))
        order = np.empty(0, dtype=int)
        self.loss_curve_: list[float] = []
        self.module_.train()
        for step in range(steps):
            if len(order) < batch:
                order = np.concatenate([order, rng.permutation(len(cells))])
            rows, order = order[:batch], order[batch:]
            scores = self.module_([cells[i] for i in rows])
            loss = spearman_loss(scores, torch.as_tensor(y[rows], dtype=scores.dtype), self.temperature)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            self.loss_curve_.append(float(loss.detach()))
            if progress is not None:
                progress(step + 1, steps, self.loss_curve_[-1])
        self.n_train_ = len(cells)
        return self

    def _module(self) -> FTScoreNet:
        check_fitted(self, "module_", "call fit() or load a saved model")
        return self.module_

    def predict(self, archs: Sequence["str | tuple | Cell"], chunk: int = 64,
                progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Scores (higher = predicted better) for ``archs``, computed ``chunk`` cells at a time;
        ``progress(cells)`` after each chunk."""
        module = self._module()
        cells = parse_cells(archs)
        module.eval()
        out = np.empty(len(cells))
        with torch.no_grad():
            for start in range(0, len(cells), chunk):
                out[start:start + chunk] = module(cells[start:start + chunk]).double().numpy()
                if progress is not None:
                    progress(len(cells[start:start + chunk]))
        return out

    def save(self, path: str, **meta: object) -> None:
        """Write the model (weights, config, training settings and ``meta``) to ``path`` atomically."""
        module = self._module()
        payload = {"format": FORMAT, "version": VERSION, "config": self.config.to_dict(),
                   "settings": {"epochs": self.epochs, "batch_size": self.batch_size, "lr": self.lr,
                                "temperature": self.temperature, "seed": self.seed},
                   "state_dict": module.state_dict(), "meta": dict(meta)}
        atomic_write(path, lambda tmp: torch.save(payload, tmp))

    @classmethod
    def load(cls, path: str) -> "FTScoreNetRanker":
        """Read a model written by :meth:`save`; a file that is not one gives a one-line DataError."""
        try:
            payload = torch.load(path, map_location="cpu", weights_only=True)
        except FileNotFoundError:
            raise DataError(f"no FT-ScoreNet model at {path}") from None
        except Exception as exc:  # noqa: BLE001 - torch raises many types for a bad file
            first = first_line(exc).strip() or type(exc).__name__
            raise DataError(f"{path} is not a readable FT-ScoreNet model ({first[:120]})") from None
        if not isinstance(payload, dict) or payload.get("format") != FORMAT:
            raise DataError(f"{path} is not an FT-ScoreNet model (written by 'zc-synth ftscorenet fit')")
        if payload.get("version") != VERSION:
            raise DataError(f"{path} is an FT-ScoreNet model of format version {payload.get('version')}; "
                            f"this zc-synth reads version {VERSION}")
        try:
            known = {f.name for f in fields(ScorerConfig)}
            config = ScorerConfig(**{k: v for k, v in payload["config"].items() if k in known})
            model = cls(config=config, **payload["settings"])
            model.module_ = FTScoreNet(config, seed=model.seed)
            model.module_.load_state_dict(payload["state_dict"])
        except (KeyError, TypeError, ValueError, RuntimeError) as exc:
            first = first_line(exc).strip() or type(exc).__name__
            raise DataError(f"{path} is a damaged FT-ScoreNet model ({first[:120]})") from None
        model.meta_ = payload.get("meta", {})
        return model


def split_rows(n: int, n_train: int, seed: int):
    """(train, test) row indices of ``fit``: a seeded permutation of the ``n`` rows, ``n_train`` first."""
    order = np.random.default_rng(seed).permutation(n)
    return order[:n_train], order[n_train:]
