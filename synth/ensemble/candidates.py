"""Candidate architectures scored by a metric, and the k best distinct ones as ensemble members.

Candidates come from a file (one architecture per line), from ``random:N`` (N distinct cells drawn
uniformly with the seed) or from ``search:ALGO[:BUDGET]`` (every architecture a metric-driven search
run of :mod:`synth.search` visited). Each is scored on the user's data by a live objective
(:class:`~synth.search.live.LiveObjective`); ``-inf`` marks an architecture the metric cannot score.
"""
from __future__ import annotations

import math
from typing import Callable

from zc_core.errors import DataError

SEARCH_BUDGET = 200
"""Default evaluations of a ``search:ALGO`` candidate run."""


def parse_candidates(spec: str) -> tuple[str, str | int | None, int | None]:
    """``(kind, value, budget)`` of a ``--candidates`` value: ``("file", path, None)``,
    ``("random", N, None)`` or ``("search", algo, budget)``."""
    if spec.startswith("random:"):
        try:
            n = int(spec.split(":", 1)[1])
        except ValueError:
            raise DataError(f"--candidates {spec!r}: expected random:N with an integer N") from None
        if n < 1:
            raise DataError(f"--candidates {spec!r}: N must be >= 1")
        return "random", n, None
    if spec.startswith("search:"):
        parts = spec.split(":")
        if len(parts) not in (2, 3) or not parts[1]:
            raise DataError(f"--candidates {spec!r}: expected search:ALGO or search:ALGO:BUDGET")
        budget = SEARCH_BUDGET
        if len(parts) == 3:
            try:
                budget = int(parts[2])
            except ValueError:
                raise DataError(f"--candidates {spec!r}: the budget must be an integer") from None
            if budget < 1:
                raise DataError(f"--candidates {spec!r}: the budget must be >= 1")
        return "search", parts[1], budget
    return "file", spec, None


def candidate_archs(spec: str, seed: int = 0, space: str = "nb201") -> list[str]:
    """The distinct architectures (the space's canonical suite keys) of a file or ``random:N`` spec, in order."""
    from proxies import spaces
    from proxies.batch import parse_archs

    if parse_candidates(spec)[0] == "search":
        raise DataError("search candidates come from a search run, not a list")
    sp = spaces.get(space)
    archs = parse_archs(spec, seed=seed, space=sp)
    return list(dict.fromkeys(sp.key(sp.parse(a)) for a in archs))


def _score_one(objective, arch: str) -> tuple[str, float]:
    """One candidate and its metric (a worker's job)."""
    return arch, objective(objective.space.parse(arch))


def score_candidates(spec: str, objective, seed: int = 0, known: dict[str, float] | None = None,
                     progress: Callable[[str, float], None] | None = None, jobs: int = 1,
                     scheduler: str | None = None) -> dict[str, float]:
    """Metric value of every candidate (tuple key -> value, ``-inf`` when not scorable).

    ``known`` values (a resumed run's) are reused; ``progress(arch, value)`` follows each new score.
    ``jobs`` > 1 scores a list of candidates in that many processes with one torch thread each, and
    ``scheduler`` (a Dask scheduler address) on that cluster's workers (a search run is sequential by
    nature and ignores both).
    """
    from proxies.parallel import parallel_map

    kind, value, budget = parse_candidates(spec)
    space = objective.space

    def key(arch) -> str:
        return space.key(arch)

    if kind == "search":
        from synth.search.algorithms import get_algorithm

        try:
            algorithm = get_algorithm(str(value))(budget=budget, seed=seed)
            algorithm.validate()
        except ValueError as exc:
            raise DataError(str(exc)) from None
        for arch_text, v in (known or {}).items():
            objective.prime(space.parse(arch_text), v)
        if progress:
            objective.on_evaluate = lambda arch, v: progress(key(arch), v)
        algorithm.fit(objective)
        return {key(a): v for a, v in objective.evaluated().items()}
    archs = candidate_archs(spec, seed, space.name)
    known = known or {}
    todo = [a for a in archs if a not in known]
    fresh = {}
    for arch, v in parallel_map([(_score_one, (objective, a)) for a in todo], jobs, scheduler, torch_jobs=True):
        fresh[arch] = v
        if progress:
            progress(arch, v)
    return {a: known[a] if a in known else fresh[a] for a in archs}


def select_members(scores: dict[str, float], k: int) -> list[tuple[str, float]]:
    """The ``k`` best distinct architectures by metric (ties: the earlier candidate); distinct means
    differing in at least one edge, so each architecture appears once."""
    if k < 1:
        raise DataError(f"--k must be >= 1, got {k}")
    finite = [(a, v) for a, v in scores.items() if math.isfinite(v)]
    if len(finite) < k:
        raise DataError(f"--k {k} needs {k} distinct architectures the metric can score; the candidates "
                        f"give {len(finite)} (of {len(scores)} distinct)")
    return sorted(finite, key=lambda item: -item[1])[:k]
