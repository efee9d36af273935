"""A live search's evaluation log, so a killed search resumes without computing anything twice.

Every metric the objective computes is appended to ``DIR/evaluations.jsonl`` as one line
(``{"key": ..., "value": ..., "seconds": ...}``; proxies read by HNAS as ``{"key": ..., "proxies": {...}}``)
and flushed at once. A rerun primes the objective with the log; the seeded algorithms then replay
their first steps from it for free and continue where the killed run stopped. A line cut short by the
kill is ignored (that network is computed again).
"""
from __future__ import annotations

import json
import math
import os

from .objective import Objective

FILE = "evaluations.jsonl"


class Journal:
    """The evaluation log of one search folder."""

    def __init__(self, folder: str) -> None:
        self.path = os.path.join(folder, FILE)

    def replay(self, objective: Objective) -> int:
        """Prime ``objective`` with every logged value (metrics and proxies); the number of metrics."""
        if not os.path.exists(self.path):
            return 0
        space, metrics = objective.space, 0
        with open(self.path, encoding="utf-8") as handle:
            for line in handle:
                try:
                    entry = json.loads(line)
                    arch = space.parse(entry["key"])
                except (ValueError, KeyError, TypeError):
                    continue
                if "proxies" in entry and hasattr(objective, "prime_proxies"):
                    objective.prime_proxies(arch, {k: _number(v) for k, v in entry["proxies"].items()})
                elif "value" in entry:
                    objective.prime(arch, _number(entry["value"]), float(entry.get("seconds", 0.0)))
                    metrics += 1
        return metrics

    def attach(self, objective: Objective) -> None:
        """Log every value ``objective`` computes from now on."""
        space = objective.space

        def metric(arch, value: float) -> None:
            self._append({"key": space.key(arch), "value": _json_number(value),
                          "seconds": objective.seconds.get(arch, 0.0)})

        def proxies(arch, values: dict[str, float]) -> None:
            self._append({"key": space.key(arch), "proxies": {k: _json_number(v) for k, v in values.items()}})

        objective.on_evaluate = metric
        if hasattr(objective, "on_proxies"):
            objective.on_proxies = proxies

    def _append(self, entry: dict) -> None:
        line = (json.dumps(entry, allow_nan=False) + "\n").encode()
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            os.write(fd, line)                   # one write of one line: whole or (killed) cut short
        finally:
            os.close(fd)


def _json_number(value: float) -> float | str:
    """JSON has no infinities or NaN: they are written as strings."""
    return value if math.isfinite(value) else str(value)


def _number(value: float | str | None) -> float:
    return -math.inf if value is None else float(value)
