"""Metric-driven search on NAS-Bench-201 in lookup mode (NAS-Bench-Suite-Zero, ../shared/benchmarks).

Table 1: every algorithm, 10 seeded runs, with the synthesized formula and with jacov as the metric:
accuracy (val_accuracy of the suite file) of the returned cell, against random search given the
same number of evaluations per seed; and how many runs return a cell in the metric's top 1 %.
Table 2 (the paper's "best network found", Table 12): the accuracy of the cell with the highest
value of each metric, per problem. The suite has no proxy scores for CIFAR-100, so the CF100 column
ranks cells by their CIFAR-10 scores (the same networks) and reads the CIFAR-100 accuracy.

    python benchmarks/search_nb201.py --metric runs/paper/result.json
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np

from benchmarks_data import read_suite
from synth.inputs import load_formula
from synth.formula import Formula
from synth.search.lookup import LookupObjective, objective_from_frame
from synth.search.runner import run_many

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NB201 = os.path.join(ROOT, "..", "shared", "benchmarks", "suite-zero", "zc_nasbench201.json")
TASKS = {"NB201-CF10": "cifar10", "NB201-IMGNT": "ImageNet16-120", "NB201-CF100": "cifar100"}
SEARCHES = ("rl", "pmbga", "prune", "aging")


def search_table(objective: LookupObjective, seeds: list[int]) -> list[str]:
    """One row per algorithm: accuracy of its cells against random search on the same evaluations."""
    rows = [f"{'algo':6s} {'evals':>6s} {'accuracy':>14s} {'random, same evals':>19s} {'beats':>5s} "
            f"{'top-1% runs':>11s} {'time s':>6s}"]
    for algo in SEARCHES:
        start = time.perf_counter()
        results = run_many(algo, objective, seeds)
        elapsed = time.perf_counter() - start
        accuracy = np.array([objective.accuracy(r.arch) for r in results], dtype=float)
        baseline = np.array([objective.accuracy(run_many("random", objective, [s], budget=r.evaluations)[0].arch)
                             for s, r in zip(seeds, results)], dtype=float)
        top = sum(objective.percentile(r.value) >= 99.0 for r in results)
        evals = np.mean([r.evaluations for r in results])
        rows.append(f"{algo:6s} {evals:6.0f} {accuracy.mean():7.2f} +- {accuracy.std():4.2f} "
                    f"{baseline.mean():12.2f} +- {baseline.std():4.2f} {'yes' if accuracy.mean() > baseline.mean() else 'NO':>5s} "
                    f"{top:8d}/{len(seeds)} {elapsed:6.2f}")
    return rows


def best_network_table(suite, metrics: dict[str, Formula]) -> list[str]:
    """Accuracy of each metric's highest-valued cell per problem, and the median single proxy's."""
    tables = {task: suite.table(task) for task in set(TASKS.values())}
    picks: dict[str, list[float]] = {}
    for name, formula in metrics.items():
        row = []
        for task in TASKS.values():
            scores = tables["cifar10" if task == "cifar100" else task]
            objective = objective_from_frame(scores, formula, tables[task]["val_accuracy"])
            row.append(objective.accuracy(objective.best()))
        picks[name] = row
    proxies = np.array([picks[m] for m in metrics if m != "FORMULA"])
    median = np.median(proxies, axis=0)
    best = [tables[t]["val_accuracy"].max() for t in TASKS.values()]
    lines = [f"{'metric':10s} " + " ".join(f"{p:>12s}" for p in TASKS)]
    lines += [f"{name:10s} " + " ".join(f"{a:12.2f}" for a in row) for name, row in picks.items()]
    lines.append(f"{'median':10s} " + " ".join(f"{a:12.2f}" for a in median))
    lines.append(f"{'table max':10s} " + " ".join(f"{a:12.2f}" for a in best))
    ok = all(f >= m for f, m in zip(picks["FORMULA"], median))
    lines.append(f"formula's pick >= median proxy's pick on every problem: {'yes' if ok else 'NO'}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--metric", default=os.path.join(ROOT, "runs", "paper", "result.json"),
                        help="the synthesized formula (a result.json or an expression)")
    parser.add_argument("--data", default=NB201)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    formula, _ = load_formula(args.metric)
    suite = read_suite(args.data)
    cifar10 = suite.table("cifar10")
    seeds = list(range(args.runs))
    for name, metric in (("formula", formula), ("jacov", Formula("jacov"))):
        objective = objective_from_frame(cifar10, metric)
        top = objective.best()
        print(f"\nNB201-CF10, metric = {name}: {metric}\n  {objective.evaluable} of 15,625 cells have the "
              f"metric; its best cell has accuracy {objective.accuracy(top):.2f} % "
              f"(best in table {max(objective.accuracies.values()):.2f} %)")
        print("\n".join("  " + line for line in search_table(objective, seeds)))
    proxies = sorted(c for c in cifar10.columns if c != "val_accuracy")
    metrics = {p: Formula(p) for p in proxies} | {"FORMULA": formula}
    print("\nBest network found (accuracy of the cell with the highest metric value):")
    print("\n".join("  " + line for line in best_network_table(suite, metrics)))


if __name__ == "__main__":
    main()
