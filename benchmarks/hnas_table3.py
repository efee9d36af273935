"""HNAS against its training-free metric and random search, as in Shu et al. (NeurIPS 2022) Table 3.

On each built-in table (lookup mode; the tables hold ``ntk_cond`` and the four gradient proxies), for
M in grad_norm, snip, grasp and ntk_trace and K trainings:

* HNAS(M): ``search --algo hnas --hnas-metric M --budget K`` over the whole table as the pool, one run
  per seed (the seed drives the Bayesian optimisation);
* argmax M: the table's architecture with the highest M, no training (the same for every seed);
* random: K architectures drawn at random and trained, the best kept (same K, same seeds), and the
  same with as many trainings as HNAS used in the run of that seed (HNAS often proposes an
  architecture it has trained already, which costs no training).

Printed per problem: the validation accuracy (the table's ground truth) of the returned architecture,
mean +- std over seeds, its regret (the table's best accuracy minus it) and how many trainings HNAS
used. Nothing here was tuned on these tables: HNAS's search ranges are fixed in ``synth.search.hnas``.

    python benchmarks/hnas_table3.py [--seeds 10] [--budgets 10,20]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from benchmarks_data.builtin import PROBLEMS, paths
from synth.formula import Formula
from synth.search.algorithms.hnas import METRICS
from synth.search.lookup import load_lookup
from synth.search.runner import run_many


def random_search(accuracy: np.ndarray, k: int, seed: int) -> float:
    """Best accuracy among ``k`` distinct rows drawn with ``seed``."""
    rng = np.random.default_rng(seed)
    return float(np.max(accuracy[rng.choice(len(accuracy), size=min(k, len(accuracy)), replace=False)]))


def cell(values: list[float]) -> str:
    return f"{np.mean(values):6.2f} +- {np.std(values):4.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--budgets", default="10,20")
    args = parser.parse_args()
    seeds = list(range(args.seeds))
    budgets = [int(b) for b in args.budgets.split(",")]
    for path, problem in zip(paths(), PROBLEMS):
        print(f"\n## {problem}: validation accuracy of the returned architecture, mean +- std over "
              f"{len(seeds)} seeds (regret to the table's best)")
        print(f"{'M':10s} {'K':>3s} {'HNAS(M)':>16s} {'regret':>7s} {'trainings':>9s} "
              f"{'argmax M':>9s} {'regret':>7s} {'random, K':>16s} {'regret':>7s} {'random, same':>16s} {'regret':>7s} "
              f"{'time s':>6s}")
        for metric in METRICS:
            objective = load_lookup(path, problem, Formula(metric), extra=["ntk_cond"])
            rows = objective.candidates()
            accuracy = np.array([objective.accuracy(a) for a in rows])
            best = float(np.max(accuracy))
            m = np.array([objective.features.loc[objective.space.index(a), metric] for a in rows])
            argmax = float(accuracy[int(np.nanargmax(m))])
            for k in budgets:
                start = time.perf_counter()
                results = run_many("hnas", objective, seeds, budget=k, metric=metric, pool=len(rows))
                elapsed = time.perf_counter() - start
                hnas = [objective.accuracy(r.arch) for r in results]
                rand = [random_search(accuracy, k, s) for s in seeds]
                same = [random_search(accuracy, r.evaluations, s) for r, s in zip(results, seeds)]
                print(f"{metric:10s} {k:3d} {cell(hnas):>16s} {max(0.0, best - np.mean(hnas)):7.2f} "
                      f"{np.mean([r.evaluations for r in results]):9.1f} {argmax:9.2f} {best - argmax:7.2f} "
                      f"{cell(rand):>16s} {best - np.mean(rand):7.2f} {cell(same):>16s} {best - np.mean(same):7.2f} "
                      f"{elapsed:6.1f}")


if __name__ == "__main__":
    main()
