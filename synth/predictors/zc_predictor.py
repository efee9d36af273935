"""A few-shot accuracy predictor on zero-cost features (NAS-Bench-Suite-Zero's and GRAF's finding:
proxies as features beat architecture encodings alone): gradient-boosted trees on the one-hot
encoding of the architecture (each position's choice in its search space: NB201 edge ops, NB101
edge bits and vertex ops, DARTS inputs and ops, ...) plus the table's proxy scores.

Model (``model=``): ``"forest"`` (default), scikit-learn's RandomForestRegressor, or ``"boosting"``,
its HistGradientBoostingRegressor (both already dependencies). The default was chosen on the
development problems (NB201 pre-release cifar10 / cifar100 / ImageNet16-120, 100 training
architectures, 2,000 test, seeds 0 and 1): test Kendall tau 0.744-0.803 for the forest against
0.548-0.748 for boosting, which overfits the noisy accuracies of few architectures. Trees only see
the order of each feature, so proxies need no scaling; a missing proxy value becomes a value below
every real one.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator

from zc_core.errors import DataError, check_fitted, did_you_mean

TARGET = "val_accuracy"
MODELS = ("forest", "boosting")
MISSING = -1e30
"""Stand-in for a missing proxy value (and -inf): below every real score."""


def one_hot_cells(archs: Sequence[str], space: str = "nb201") -> np.ndarray:
    """(architectures, one-hot positions) encoding of ``space``'s architectures (keys or strings):
    :meth:`proxies.spaces.base.Space.one_hot` of each canonical architecture."""
    from proxies import spaces

    sp = spaces.get(space)
    try:
        rows = [sp.one_hot(sp.parse(a)) for a in archs]
    except spaces.ArchError as exc:
        raise DataError(f"architecture encoding: {exc}; pass the table's space=, or encoding=False") from None
    return np.stack(rows) if rows else np.zeros((0, sum(len(c) for c in sp.choices)))


class ZeroCostPredictor(BaseEstimator):
    """Predict architectures' accuracy from ``proxies`` (default: every proxy column of the table)
    and, with ``encoding``, the one-hot encoding of the architectures of ``space``. scikit-learn style: ``fit(archs, table)``
    learns from the table's ``val_accuracy`` (or ``y``) of ``archs``; ``predict(archs, table)``."""

    def __init__(self, proxies: Sequence[str] | None = None, *, encoding: bool = True, model: str = "forest",
                 n_estimators: int = 300, seed: int = 0, space: str = "nb201") -> None:
        self.proxies = proxies
        self.space = space
        self.encoding = encoding
        self.model = model
        self.n_estimators = n_estimators
        self.seed = seed

    @staticmethod
    def _check_archs(archs: Sequence[str], table: pd.DataFrame) -> None:
        missing = [a for a in archs if a not in table.index]
        if missing:
            raise DataError(f"{len(missing)} architecture(s) are not in the table, e.g. {missing[0]!r}")

    def _features(self, archs: Sequence[str], table: pd.DataFrame) -> np.ndarray:
        self._check_archs(archs, table)
        blocks = [table.loc[list(archs), list(self.proxies_)].to_numpy(dtype=float)]
        if self.encoding:
            blocks.append(one_hot_cells(archs, self.space))
        return np.nan_to_num(np.hstack(blocks), nan=MISSING, posinf=-MISSING, neginf=MISSING)

    def fit(self, archs: Sequence[str], table: pd.DataFrame, y: Sequence[float] | None = None) -> "ZeroCostPredictor":
        from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor

        if self.model not in MODELS:
            raise DataError(f"unknown model {self.model!r}{did_you_mean(str(self.model), MODELS)}: use "
                            f"{' or '.join(MODELS)}")
        archs = list(archs)
        columns = [c for c in table.columns if c != TARGET]
        wanted = list(self.proxies) if self.proxies is not None else columns
        for name in wanted:
            if name not in columns:
                raise DataError(f"unknown proxy {name!r}{did_you_mean(name, columns)}; the table has "
                                f"{', '.join(columns)}")
        if not wanted and not self.encoding:
            raise DataError("no features: give proxies or keep the encoding")
        if len(archs) < 2:
            raise DataError(f"fit needs at least 2 trained architectures, got {len(archs)}")
        self._check_archs(archs, table)
        self.proxies_ = wanted
        target = np.asarray(table.loc[archs, TARGET] if y is None else y, dtype=float)
        if len(target) != len(archs) or not np.isfinite(target).all():
            raise DataError("every training architecture needs a finite accuracy")
        if self.model == "forest":
            self.model_ = RandomForestRegressor(n_estimators=self.n_estimators, min_samples_leaf=2,
                                                random_state=self.seed, n_jobs=1)
        else:
            self.model_ = HistGradientBoostingRegressor(max_iter=self.n_estimators, learning_rate=0.05,
                                                        random_state=self.seed)
        self.model_.fit(self._features(archs, table), target)
        return self

    def predict(self, archs: Sequence[str], table: pd.DataFrame) -> np.ndarray:
        check_fitted(self, "model_", "call fit(archs, table) first")
        return self.model_.predict(self._features(list(archs), table))
