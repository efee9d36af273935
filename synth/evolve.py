"""Many seeded GP runs over problems -> one formula, with resumable output and joblib/Dask parallelism.

Run ``i`` uses seed ``seed + i`` and runs whole inside one worker, so results do not depend on
``jobs`` or on the backend. Runs are written to ``DIR/runs/`` as they finish; a job started again
with the same arguments and ``DIR`` redoes only the missing runs.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from benchmarks_data import Problem
from zc_core.files import write_json
from zc_core.jobs import claim_folder
from zc_core.jsonio import load_json

from .fitness import TrainingData, normalized_score
from .gp import GPConfig, RunResult, run_gp
from .selection import space_of
from proxies.parallel import parallel_map


@dataclass
class Split:
    """One problem's train/test rows."""

    problem: Problem
    train: np.ndarray
    test: np.ndarray

    def rows(self, part: str) -> tuple[Any, np.ndarray]:
        index = self.train if part == "train" else self.test
        return self.problem.features.iloc[index], self.problem.target[index]


def split_problems(problems: Sequence[Problem], test_size: float, seed: int,
                   max_rows: int | None = None) -> list[Split]:
    """Seeded train/test rows per problem; at most ``max_rows`` training rows (a seeded subsample).

    Eq. 1 gives every problem the same weight whatever its size, so the cap only bounds the cost of
    a tau on large tables (NB201's 6,610 training rows) and the noise it removes is small.
    """
    splits = []
    for p in problems:
        train, test = p.split(test_size, seed)
        if max_rows is not None and len(train) > max_rows:
            rng = np.random.default_rng([seed, len(train), 104729])
            train = np.sort(rng.choice(train, max_rows, replace=False))
        splits.append(Split(p, train, test))
    return splits


def union_features(problems: Sequence[Problem]) -> list[str]:
    """Every problem's proxies, in order of first appearance."""
    return list(dict.fromkeys(f for p in problems for f in p.features.columns))


def training_data(splits: Sequence[Split]) -> TrainingData:
    """The training rows of all problems; a proxy a problem lacks is NaN there and marked unavailable."""
    features = union_features([s.problem for s in splits])
    blocks, targets = zip(*(s.rows("train") for s in splits))
    available = np.array([[f in b.columns for f in features] for b in blocks], dtype=bool)
    return TrainingData.stack([s.problem.name for s in splits], features,
                              [b.reindex(columns=features).to_numpy(dtype=float) for b in blocks], targets,
                              available, [space_of(s.problem.space) for s in splits])


@dataclass
class RunStore:
    """``DIR/job.json`` (the job's arguments) and ``DIR/runs/run_NNN.json`` (finished runs)."""

    directory: str
    signature: dict[str, Any]
    _runs: str = field(init=False)

    def __post_init__(self) -> None:
        self._runs = os.path.join(self.directory, "runs")

    def open(self) -> dict[int, RunResult]:
        """Create the folder or check it was made by the same arguments; return the finished runs."""
        claim_folder(self.directory, self.signature, only_ours=True)
        os.makedirs(self._runs, exist_ok=True)
        done: dict[int, RunResult] = {}
        for name in sorted(os.listdir(self._runs)):
            if name.startswith("run_") and name.endswith(".json"):
                result = RunResult.from_dict(load_json(os.path.join(self._runs, name)))
                done[result.run] = result
        return done

    def save(self, result: RunResult) -> None:
        write_json(os.path.join(self._runs, f"run_{result.run:03d}.json"), result.to_dict())


def file_digest(path: str) -> str:
    """SHA-256 of a file, or of each file of a ``SUITE+EXTRA`` data spec in order."""
    if not os.path.isfile(path) and "+" in path:
        return hashlib.sha256("+".join(file_digest(part) for part in path.split("+")).encode()).hexdigest()
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _parallel_results(datas: Sequence[TrainingData], config: GPConfig, todo: Sequence[tuple[int, int]], jobs: int,
                      scheduler: str | None, on_generation: Callable[[int], None]) -> Iterator[RunResult]:
    """Yield finished runs as they end: in-process for one job, else joblib (loky or Dask).

    Run ``i`` trains on ``datas[i % len(datas)]``; runs are handed out grouped by data so a worker
    keeps one evaluator's caches."""
    todo = sorted(todo, key=lambda item: (item[0] % len(datas), item[0]))
    if jobs == 1 and scheduler is None:
        for run, seed in todo:
            yield run_gp(datas[run % len(datas)], config, seed, run, on_generation)
        return
    yield from parallel_map([(run_gp, (datas[run % len(datas)], config, seed, run)) for run, seed in todo],
                            jobs, scheduler)


def run_many(data: TrainingData | Sequence[TrainingData], config: GPConfig, seed: int, runs: int, jobs: int = 1,
             store: RunStore | None = None, scheduler: str | None = None,
             progress: Callable[[int], None] | None = None) -> list[RunResult]:
    """All runs, reusing those already in ``store``; ``progress`` gets finished generation counts.

    ``data`` is one training set, or one per group of runs (run ``i`` trains on ``data[i % len(data)]``)."""
    datas = [data] if isinstance(data, TrainingData) else list(data)
    done = store.open() if store else {}
    if progress and done:
        progress(len(done) * config.generations)
    todo = [(run, seed + run) for run in range(runs) if run not in done]
    tick = (lambda n: progress(n)) if progress else (lambda n: None)
    for result in _parallel_results(datas, config, todo, jobs, scheduler, lambda g: tick(1)):
        if store:
            store.save(result)
        if jobs != 1 or scheduler is not None:
            tick(config.generations)
        done[result.run] = result
    return [done[run] for run in range(runs)]


@dataclass
class Combined:
    """Runs put on one scale: global tau bounds, each run's winner score, final winner, hall of fame."""

    low: np.ndarray
    high: np.ndarray
    run_scores: list[float]
    winner: int
    hall_of_fame: list[tuple[int, str, float]]


def combine(results: Sequence[RunResult]) -> Combined:
    """Score run winners with the bounds seen over all runs; keep the best per tree size.

    The hall of fame lists, by increasing size, only trees that beat every smaller one
    (the accuracy/simplicity trade-off, as in PySR's equation table).
    """
    low = np.min([r.low for r in results], axis=0)
    high = np.max([r.high for r in results], axis=0)
    scores = [float(normalized_score(np.array(r.winner_taus), low, high)) for r in results]
    winner = int(np.argmax(scores))
    best_by_size: dict[int, tuple[float, str]] = {}
    for result in results:
        for size, entries in result.fronts.items():
            for text, taus in entries:
                score = float(normalized_score(np.array(taus), low, high))
                if size not in best_by_size or score > best_by_size[size][0]:
                    best_by_size[size] = (score, text)
    hall: list[tuple[int, str, float]] = []
    for size in sorted(best_by_size):
        score, text = best_by_size[size]
        if not hall or score > hall[-1][2] + 1e-12:
            hall.append((size, text, score))
    return Combined(low=low, high=high, run_scores=scores, winner=winner, hall_of_fame=hall)
