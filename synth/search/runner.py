"""Repeated seeded searches and their report: per-run rows, mean/std accuracy, convergence plot."""
from __future__ import annotations

import os
import textwrap
from typing import Any

import numpy as np

from benchmarks_data.builder import finite_or_none

from .algorithms import get_algorithm
from .objective import Objective, SearchResult, percentile_of


RESULT = "search.json"
"""The search document in a search folder (what ``zc-synth train --from-search`` reads)."""


def _one(algo: str, objective: Objective, seed: int, budget: int | None, threads: int | None,
         params: dict[str, Any], time_budget: float | None = None, progress: bool = False) -> SearchResult:
    if threads:
        import torch

        torch.set_num_threads(threads)
    search = get_algorithm(algo)(budget=budget, seed=seed, **params)
    if not progress:
        return search.fit(objective, time_budget=time_budget).result_
    import sys

    from tqdm import tqdm

    total = budget if budget is not None else search.default_budget
    with tqdm(total=total, unit="eval", desc=f"{algo} seed {seed}", file=sys.stderr, dynamic_ncols=True) as bar:
        def step(tracker) -> None:
            bar.n = tracker.evaluations
            best = tracker.history[-1] if tracker.history else float("nan")
            bar.set_postfix_str(f"best {best:.4g}, metric time {tracker.elapsed:.0f} s"
                                + (f" of {time_budget:g}" if time_budget else ""), refresh=False)
            bar.refresh()

        return search.fit(objective, time_budget=time_budget, progress=step).result_


def run_many(algo: str, objective: Objective, seeds: list[int], *, budget: int | None = None, jobs: int = 1,
             time_budget: float | None = None, progress: bool = False, **params: Any) -> list[SearchResult]:
    """One search per seed, ``jobs`` at a time (processes, one torch thread each); same results for any
    ``jobs``. ``time_budget``: seconds of metric computation per run; ``progress``: a bar per run
    (one at a time only)."""
    get_algorithm(algo)(budget=budget, **params).validate()
    if jobs == 1 or len(seeds) == 1:
        return [_one(algo, objective, s, budget, None, params, time_budget, progress) for s in seeds]
    from joblib import Parallel, delayed

    return Parallel(n_jobs=jobs)(delayed(_one)(algo, objective, s, budget, 1, params, time_budget)
                                 for s in seeds)


def best_run(doc: dict) -> dict:
    """The run of a search document with the highest ``score`` (the metric; HNAS: the validation
    accuracy of its best training), the first on ties, unevaluable runs last."""
    runs = doc["runs"]
    if not runs:
        raise ValueError("a search document without runs")
    def score(run: dict) -> float:
        value = run.get("score", run["metric"])
        return -np.inf if value is None else float(value)

    return max(runs, key=score)


def report(algo: str, metric: str, objective: Objective, seeds: list[int], results: list[SearchResult]) -> dict:
    """The ``--json`` document: one row per run plus mean/std of the known accuracies (ddof 0).

    ``metric_percentile`` is the share (0..100) of the problem's architectures whose metric is <= the
    run's (lookup mode); in live mode, where scoring all 15,625 cells is out of reach, it is taken
    among the architectures that run evaluated.
    """
    rows = []
    for seed, result in zip(seeds, results):
        percentile = objective.percentile(result.value)
        if percentile is None:
            percentile = percentile_of(result.value, np.array(result.evaluated))
        score = max(result.evaluated, default=-np.inf) if algo == "hnas" else result.value
        rows.append({"seed": seed, "arch": result.cell, "key": objective.space.key(result.arch),
                     "metric": finite_or_none(result.value), "score": finite_or_none(score),
                     "metric_percentile": float(percentile), "accuracy": objective.accuracy(result.arch),
                     "evaluations": result.evaluations})
    known = [r["accuracy"] for r in rows if r["accuracy"] is not None]
    return {"algo": algo, "space": objective.space.name, "metric": metric, "runs": rows,
            "mean_accuracy": float(np.mean(known)) if known else None,
            "std_accuracy": float(np.std(known)) if known else None}


def format_report(doc: dict) -> str:
    """The human-readable report of :func:`report`'s document."""
    lines = [f"{doc['algo']} search, metric: {doc['metric']}"]
    for r in doc["runs"]:
        accuracy = "n/a" if r["accuracy"] is None else f"{r['accuracy']:.2f} %"
        metric = "not evaluable" if r["metric"] is None else f"{r['metric']:.6g}"
        lines.append(f"  seed {r['seed']:3d}  {r['arch']}\n            metric {metric} (percentile "
                     f"{r['metric_percentile']:.2f})  accuracy {accuracy}  evaluations {r['evaluations']}")
    if doc["mean_accuracy"] is not None:
        lines.append(f"accuracy over {len(doc['runs'])} run(s): mean {doc['mean_accuracy']:.2f} %, "
                     f"std {doc['std_accuracy']:.2f}")
    return "\n".join(lines)


def plot_convergence(results: list[SearchResult], seeds: list[int], path: str, title: str) -> None:
    """Best-so-far metric vs evaluations, one line per run (protected -1e7 values and gaps left out)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..primitives import BAD

    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    floors = []
    for seed, result in zip(seeds, results):
        history = np.array(result.history, dtype=float)
        history[~np.isfinite(history) | (history <= BAD)] = np.nan
        sparse = np.isfinite(history).sum() < 3        # e.g. prune: only its final cell is scored
        ax.plot(np.arange(1, len(history) + 1), history, lw=1, marker="o" if sparse else None, ms=5,
                label=f"seed {seed}")
        floors.append(history[min(len(history), 10) - 1] if len(history) else np.nan)
    plotted = [line.get_ydata() for line in ax.get_lines()]
    values = np.concatenate(plotted) if plotted else np.array([])
    values, floors = values[np.isfinite(values)], np.array(floors)[np.isfinite(floors)]
    if len(values) and len(floors) and values.max() > floors.min():    # start the y axis after 10 evaluations
        low, top = floors.min(), values.max()
        ax.set_ylim(low - 0.05 * (top - low), top + 0.05 * (top - low))
    if not len(values):
        ax.text(0.5, 0.5, "no evaluated architecture has a metric value\n(e.g. the final cell is not in the table)",
                ha="center", va="center", transform=ax.transAxes, color="tab:red")
    ax.set_xscale("log")
    ax.set_xlabel("evaluations (log scale)")
    ax.set_ylabel("best metric so far")
    ax.set_title(textwrap.fill(title, 90), fontsize=8)
    if len(results) <= 10:
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
