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

With ``--live DATASET.npz`` (e.g. from ``zc-synth make-dataset ecg --n 300``) the same comparison
runs live: each seed draws ``--pool`` random cells (as ``search --algo hnas --dataset`` does), the
proxies are computed on the data and every training is the project's loop (``--train-epochs``);
argmax M and random search use that seed's pool, and a cell is trained once for all methods.

    python benchmarks/hnas_table3.py [--seeds 10] [--budgets 10,20]
    python benchmarks/hnas_table3.py --live ecg300.npz [--pool 50] [--budgets 10] [--train-epochs 3]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from benchmarks_data.builtin import PROBLEMS, paths
from synth.formula import Formula
from synth.search.algorithms.hnas import METRICS
from synth.search.live import LiveObjective, load_live_dataset
from synth.search.lookup import load_lookup
from synth.search.runner import run_many
from synth.search.space import get_space


def random_search(accuracy: np.ndarray, k: int, seed: int) -> float:
    """Best accuracy among ``k`` distinct rows drawn with ``seed``."""
    rng = np.random.default_rng(seed)
    return float(np.max(accuracy[rng.choice(len(accuracy), size=min(k, len(accuracy)), replace=False)]))


def cell(values: list[float]) -> str:
    return f"{np.mean(values):6.2f} +- {np.std(values):4.2f}"


def live_table(path: str, seeds: list[int], budgets: list[int], pool: int, epochs: int,
               metrics: list[str]) -> None:
    """HNAS(M), argmax M and random search on ``pool`` random cells per seed, trained live."""
    dataset = load_live_dataset(path, None)
    objective = LiveObjective(Formula(metrics[0]), dataset, train_epochs=epochs)
    print(f"\n## live on {path}: validation accuracy of the returned architecture, mean +- std over "
          f"{len(seeds)} seeds (pool {pool} random cells per seed, {epochs} training epochs)")
    print(f"{'M':10s} {'K':>3s} {'HNAS(M)':>16s} {'trainings':>9s} {'argmax M':>16s} {'random, K':>16s} "
          f"{'random, same':>16s} {'time s':>6s}")
    for metric in metrics:
        for k in budgets:
            start = time.perf_counter()
            hnas, used, argmax, rand, same = [], [], [], [], []
            for seed in seeds:
                (result,) = run_many("hnas", objective, [seed], budget=k, metric=metric, pool=pool)
                hnas.append(objective.train(result.arch))
                used.append(result.evaluations)
                cells = get_space("nb201").sample_distinct(pool, np.random.default_rng(seed))
                m = np.array([objective.proxies(a, [metric])[metric] for a in cells])
                argmax.append(objective.train(cells[int(np.nanargmax(m))]))
                order = np.random.default_rng(seed).permutation(len(cells))
                rand.append(max(objective.train(cells[i]) for i in order[:k]))
                same.append(max(objective.train(cells[i]) for i in order[:result.evaluations]))
            print(f"{metric:10s} {k:3d} {cell(hnas):>16s} {np.mean(used):9.1f} {cell(argmax):>16s} "
                  f"{cell(rand):>16s} {cell(same):>16s} {time.perf_counter() - start:6.0f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--budgets", default="10,20")
    parser.add_argument("--live", metavar="DATASET.npz", help="run live on this dataset instead of the tables")
    parser.add_argument("--pool", type=int, default=50, help="live: random cells per seed (default 50)")
    parser.add_argument("--train-epochs", type=int, default=3, help="live: epochs per training (default 3)")
    parser.add_argument("--metrics", default="grad_norm,snip", help="live: the M to run (default grad_norm,snip)")
    args = parser.parse_args()
    seeds = list(range(args.seeds))
    budgets = [int(b) for b in args.budgets.split(",")]
    if args.live:
        live_table(args.live, seeds, budgets, args.pool, args.train_epochs, args.metrics.split(","))
        return
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
            m = np.array([objective.proxies(a, [metric])[metric] for a in rows])
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
