"""A saved FT-ScoreNet as a metric (``--metric ftscorenet:MODEL.pt``): it scores architectures from
their cells, not from proxy columns: its :meth:`~FTScoreNetMetric.score` reads the rows' architecture
keys (:class:`synth.metric.Metric`)."""
from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

PREFIX = "ftscorenet:"


class FTScoreNetMetric:
    """A learned :class:`synth.metric.Metric`: it reads no proxy column (``features`` is empty) and
    scores the rows' architecture keys (``reads_architectures``)."""

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

    def score(self, features: Any, archs: Sequence) -> np.ndarray:
        """The :class:`synth.metric.Metric` call: the rows' architectures scored (their columns unused)."""
        return self.score_archs(archs)

    def to_dict(self) -> dict[str, Any]:
        return {"metric": "ftscorenet", "path": self.path, "formula": str(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "FTScoreNetMetric":
        """Reload the saved model that :meth:`to_dict` names."""
        from zc_core.errors import DataError

        if not isinstance(data.get("path"), str):
            raise DataError(f"an FT-ScoreNet metric needs {{'metric': 'ftscorenet', 'path': MODEL.pt}}, got {data!r:.80}")
        return cls(data["path"])

    def evaluate(self, frame) -> np.ndarray:
        """Refused: proxy columns do not say which architecture a row is."""
        from zc_core.errors import DataError

        raise DataError(f"{self} scores architectures, not proxy columns; this command cannot use it "
                        f"(add its scores to the table with 'zc-synth ftscorenet score --data' and use 'ftscorenet')")
