"""A saved FT-ScoreNet as a metric (``--metric ftscorenet:MODEL.pt``): it scores architectures from
their cells, not from proxy columns, so consumers call :func:`synth.metric_values` with the rows'
architecture keys."""
from __future__ import annotations

from typing import Sequence

import numpy as np

PREFIX = "ftscorenet:"


class FTScoreNetMetric:
    """Duck-types the parts of :class:`synth.formula.Formula` that consumers read (``features``,
    ``population``, ``str``), plus ``reads_architectures`` and :meth:`score_archs`."""

    reads_architectures = True
    population = False

    def __init__(self, path: str) -> None:
        from .model import FTScoreNetRanker

        self.features: list[str] = []
        self.path = path
        self.model = FTScoreNetRanker.load(path)
        self._cache: dict[str, float] = {}

    def __str__(self) -> str:
        return f"{PREFIX}{self.path}"

    def score_archs(self, archs: Sequence) -> np.ndarray:
        """Scores of NB201 cells (strings, tuple keys or Cells); each distinct key is scored once."""
        keys = [str(a) for a in archs]
        todo = [k for k in dict.fromkeys(keys) if k not in self._cache]
        if todo:
            self._cache.update(zip(todo, self.model.predict(todo).tolist()))
        return np.asarray([self._cache[k] for k in keys], dtype=float)

    def evaluate(self, frame) -> np.ndarray:
        """Refused: proxy columns do not say which architecture a row is."""
        from zc_core.errors import DataError

        raise DataError(f"{self} scores architectures, not proxy columns; this command cannot use it "
                        f"(add its scores to the table with 'zc-synth ftscorenet score --data' and use 'ftscorenet')")
