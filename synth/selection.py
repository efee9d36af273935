"""Choosing the final formula for *transfer*: on problems the GP runs did not train on.

A metric is worth having when it holds on a problem it was never synthesized on (a user's new task
always is one). With ``select="transfer"`` the training problems are dealt into ``k`` groups and run
``i`` trains on every problem except group ``i % k``. Each run offers its hall of fame (its best tree
of each size that beats every smaller one: the accuracy / simplicity trade-off) and every candidate is
then scored on the problems its run held out, with Eq. 1 over those problems (bounds: the taus of all
candidates that held the problem out, so groups are on one scale) divided by their count. The final
formula is the smallest candidate within ``parsimony`` of the best held-out score: shorter formulas
win near-ties, since they transfer more reliably. With ``fold_by="space"`` the groups are whole
search spaces, so the choice favours formulas that hold on a space the run never saw. With
``select="train"`` the paper's rule is kept: every run trains on every problem and the winner is the
best Eq. 1 score on the training rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
from deap import gp

from .fitness import TrainingData, evaluator_for, normalized_score
from .gp import RunResult, primitive_set

SELECTIONS = ("transfer", "train")


FOLD_BY = ("problem", "space")


def space_of(space: str) -> str:
    """The search space of a problem's ``space`` name: the registered space serving it, so the suite's
    ``nasbench301`` and the built-in ``darts-1d``/``darts-2d`` are one space (``darts``), and a second
    release loaded as ``--data nasbench201@pre=FILE`` belongs with ``nasbench201``; a name no
    registered space serves is its own space (up to an ``@``)."""
    from proxies.spaces import name_for_table

    return name_for_table(space) or space.partition("@")[0]


def problem_groups(keys: Sequence[str], folds: int, seed: int) -> list[list[int]]:
    """Deal problems into ``min(folds, distinct keys)`` groups, seeded; problems sharing a key (their
    space, with ``fold_by="space"``) stay together. Each group is a sorted list of problem indices.
    With distinct keys this deals the problems themselves."""
    distinct = list(dict.fromkeys(keys))
    k = max(1, min(folds, len(distinct)))
    order = np.random.default_rng([seed, 7919]).permutation(len(distinct))
    group_of = {distinct[int(j)]: g for g in range(k) for j in order[g::k]}
    return [[i for i, key in enumerate(keys) if group_of[key] == g] for g in range(k)]


def group_keys(spaces: Sequence[str], fold_by: str) -> list[str]:
    """What :func:`problem_groups` keeps together: nothing (``"problem"``) or the search space
    (``"space"``, which falls back to problems when they all share one space)."""
    if fold_by == "space" and len({space_of(s) for s in spaces}) >= 2:
        return [space_of(s) for s in spaces]
    return [str(i) for i in range(len(spaces))]


def held_out_of(run: int, groups: Sequence[Sequence[int]]) -> list[int]:
    """The problems run ``run`` does not train on (none when there is a single group)."""
    return list(groups[run % len(groups)]) if len(groups) > 1 else []


def run_hall_of_fame(result: RunResult) -> list[tuple[int, str]]:
    """One run's best tree per size (under its own bounds) that beats every smaller one."""
    low, high = np.array(result.low), np.array(result.high)
    weights = None if result.weights is None else np.array(result.weights)
    best: dict[int, tuple[float, str]] = {}
    for size, entries in result.fronts.items():
        for text, taus in entries:
            score = float(normalized_score(np.array(taus, dtype=float), low, high, weights=weights))
            if size not in best or score > best[size][0]:
                best[size] = (score, text)
    hall: list[tuple[int, str]] = []
    top = -np.inf
    for size in sorted(best):
        score, text = best[size]
        if score > top + 1e-12:
            hall.append((size, text))
            top = score
    return hall


@dataclass
class Candidate:
    """A tree offered for selection: its run, size, prefix text, taus on every problem, held-out score."""

    run: int
    size: int
    tree: str
    taus: np.ndarray
    held_out: list[int]
    score: float = float("nan")


def transfer_candidates(results: Sequence[RunResult], groups: Sequence[Sequence[int]],
                        data: TrainingData) -> list[Candidate]:
    """Every run's hall of fame, scored on the training rows of the problems that run held out."""
    evaluator = evaluator_for(data)
    pset = primitive_set(data.features)
    candidates = []
    for result in results:
        for size, text in run_hall_of_fame(result):
            taus = evaluator.taus(gp.PrimitiveTree.from_string(text, pset))
            candidates.append(Candidate(result.run, size, text, taus, held_out_of(result.run, groups)))
    n = len(data.names)
    low, high = np.full(n, np.inf), np.full(n, -np.inf)
    for c in candidates:
        for p in c.held_out:
            low[p], high[p] = np.fmin(low[p], c.taus[p]), np.fmax(high[p], c.taus[p])
    for c in candidates:
        if c.held_out:
            idx = list(c.held_out)
            c.score = float(normalized_score(c.taus[idx], low[idx], high[idx])) / len(idx)
    return candidates


def pick(candidates: Sequence[Candidate], parsimony: float) -> int:
    """Index of the smallest candidate within ``parsimony`` of the best held-out score (ties: higher
    score, then the earlier run)."""
    scores = np.array([c.score for c in candidates])
    best = np.nanmax(scores)
    near = [i for i, s in enumerate(scores) if s >= best - parsimony]
    return min(near, key=lambda i: (candidates[i].size, -scores[i], candidates[i].run))


def held_out_hall_of_fame(candidates: Sequence[Candidate]) -> list[Candidate]:
    """By increasing size, the candidates whose held-out score beats every smaller one."""
    best: dict[int, Candidate] = {}
    for c in candidates:
        if c.size not in best or c.score > best[c.size].score:
            best[c.size] = c
    hall: list[Candidate] = []
    for size in sorted(best):
        if not hall or best[size].score > hall[-1].score + 1e-12:
            hall.append(best[size])
    return hall
