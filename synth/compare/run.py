"""Few-shot splits, one split's scores for every method, and the summary over seeds.

Every train size n of a seed shares one permutation of the problem's architectures: the first n are
trained and the test architectures are all but the first ``max(train_sizes)``, the same for every n,
so a method's change along n comes from its training alone and every method is tested on the same
rows. Per method and n: Kendall tau between its scores and the true accuracy of the test
architectures, and the regret of its top-ranked test architecture (best test accuracy minus the
accuracy of that pick, in accuracy points).
"""
from __future__ import annotations

import zlib
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from zc_core.errors import DataError
from benchmarks_data.problems import Problem

from ..kendall import kendall
from ..metric import method_table
from .methods import METHODS, Split, Unavailable, metric_method, score

MIN_TEST = 10
"""Fewest test architectures a comparison is run on."""


def permutation(problem: Problem, seed: int) -> np.ndarray:
    """The seed's order of the problem's architectures (the same whatever the other arguments)."""
    key = zlib.crc32(f"compare/{problem.space}/{problem.task}".encode())
    return np.random.default_rng([seed, key]).permutation(len(problem))


def check_sizes(problem: Problem, sizes: Sequence[int]) -> list[int]:
    """Sorted distinct train sizes, refused when they leave fewer than :data:`MIN_TEST` test rows."""
    sizes = sorted(set(int(n) for n in sizes))
    if not sizes or sizes[0] < 0:
        raise DataError(f"--train-sizes must be integers >= 0, got {sizes}")
    if len(problem) - sizes[-1] < MIN_TEST:
        raise DataError(f"problem {problem.name!r} has {len(problem)} architectures: a train size of {sizes[-1]} "
                        f"leaves fewer than {MIN_TEST} to test on; use smaller --train-sizes")
    return sizes


def make_split(problem: Problem, n: int, largest: int, seed: int, curves: np.ndarray | None,
               settings: dict[str, Any]) -> Split:
    order = permutation(problem, seed)
    return Split(problem=problem, train=np.sort(order[:n]), test=np.sort(order[largest:]),
                 pool=np.sort(order[:largest]), seed=seed, curves=curves, settings=settings)


def regret(scores: np.ndarray, accuracy: np.ndarray) -> float:
    """Best accuracy minus the accuracy of the highest-scored architecture (first of ties)."""
    return float(np.max(accuracy) - accuracy[int(np.argmax(scores))])


def zero_shot_methods(problem: Problem, metrics: dict[str, Any]) -> dict[str, Callable[[Split], np.ndarray]]:
    """The given metrics, every single proxy and the rank average of all of them (one method table)."""
    table = method_table(metrics, problem.features.columns, rank_average=True)
    return {name: metric_method(metric) for name, metric in table.items()}


def run_split(problem: Problem, n: int, largest: int, seed: int, methods: dict[str, Callable[[Split], np.ndarray]],
              curves: np.ndarray | None = None, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Tau and regret of every method on one split: ``{"n", "seed", "results": {method: {...}}}``, a
    method that cannot run having ``{"unavailable": why}``."""
    split = make_split(problem, n, largest, seed, curves, settings or {})
    accuracy = problem.target[split.test]
    results: dict[str, Any] = {}
    for name, method in methods.items():
        try:
            scores = score(method, split)
        except Unavailable as exc:
            results[name] = {"unavailable": str(exc)}
            continue
        results[name] = {"tau": kendall(scores, accuracy), "regret": regret(scores, accuracy)}
    return {"n": n, "seed": seed, "results": results}


def all_methods(problem: Problem, metrics: dict[str, Any], few_shot: Sequence[str] | None = None
                ) -> tuple[dict[str, Callable[[Split], np.ndarray]], dict[str, Callable[[Split], np.ndarray]]]:
    """(zero-shot methods, few-shot methods); ``few_shot`` names a subset of :data:`METHODS`."""
    chosen = list(METHODS) if few_shot is None else list(few_shot)
    unknown = [m for m in chosen if m not in METHODS]
    if unknown:
        from benchmarks_data.problems import did_you_mean
        raise DataError(f"unknown method {unknown[0]!r}{did_you_mean(unknown[0], METHODS)}; "
                        f"choose from {', '.join(METHODS)}")
    return zero_shot_methods(problem, metrics), {m: METHODS[m] for m in chosen}


def units(sizes: Sequence[int], seeds: Sequence[int]) -> Iterator[tuple[int, int]]:
    """(n, seed) of every split, small n first."""
    for n in sizes:
        for seed in seeds:
            yield n, seed


def kinds_of(zero_shot: dict[str, Any], few_shot: dict[str, Any], problem: Problem,
             metrics: dict[str, Any]) -> dict[str, str]:
    """Each method's kind: ``proxy``, ``formula`` (given), ``zero-shot`` (rank average) or ``few-shot``."""
    kinds = {name: "proxy" if name in problem.features.columns else "formula" if name in metrics else "zero-shot"
             for name in zero_shot}
    return {**kinds, **{name: "few-shot" for name in few_shot}}


def summarize(problem: str, sizes: Sequence[int], done: Sequence[dict[str, Any]],
              kinds: dict[str, str]) -> dict[str, Any]:
    """``compare.json``: per method and n, mean and std over seeds of tau and regret (methods that never
    ran are listed under ``unavailable`` with the reason), and the best single proxy by mean tau."""
    taus: dict[str, dict[int, list[float]]] = {}
    regrets: dict[str, dict[int, list[float]]] = {}
    why: dict[str, str] = {}
    for unit in sorted(done, key=lambda u: (u["n"], u["seed"])):
        for name, r in unit["results"].items():
            if "unavailable" in r:
                why[name] = r["unavailable"]          # the reason at the largest n says the most
                continue
            taus.setdefault(name, {}).setdefault(unit["n"], []).append(r["tau"])
            regrets.setdefault(name, {}).setdefault(unit["n"], []).append(r["regret"])
    methods: dict[str, dict[str, Any]] = {}
    for name in taus:
        methods[name] = {str(n): {"tau_mean": float(np.mean(taus[name][n])), "tau_std": float(np.std(taus[name][n])),
                                  "regret_mean": float(np.mean(regrets[name][n])),
                                  "regret_std": float(np.std(regrets[name][n])), "seeds": len(taus[name][n])}
                         for n in sizes if n in taus[name]}
    singles = [name for name in methods if kinds.get(name) == "proxy"]
    best = max(singles, key=lambda name: np.mean([v["tau_mean"] for v in methods[name].values()]), default=None)
    return {"problem": problem, "train_sizes": list(sizes), "methods": methods, "best_single_proxy": best,
            "kinds": {name: kinds.get(name, "") for name in methods},
            "unavailable": {name: reason for name, reason in why.items() if name not in methods}}
