"""How many GP generations ``zc-synth evolve`` should use on the built-in benchmark.

For every train/test split seed (1-8 by default: never the default split 0, which the README reports)
and every generation count, runs the full 31-run synthesis on the built-in problems and prints how
often the winner's test-split Kendall tau beats the best single proxy (best on the test rows, in
hindsight) on at least two problems, and the mean test tau of the winner.

    python benchmarks/choose_generations.py [--seeds 1-8] [--generations 50 150] [--jobs 2]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from benchmarks_data import builtin, load_problems
from synth.gp import GPConfig
from synth.synthesizer import ProxySynthesizer


def _seeds(text: str) -> list[int]:
    low, _, high = text.partition("-")
    return list(range(int(low), int(high or low) + 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=_seeds, default=_seeds("1-8"), help="split seeds, e.g. 1-8")
    parser.add_argument("--generations", type=int, nargs="+", default=[50, 150])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    problems = load_problems(builtin.paths(), list(builtin.PROBLEMS))
    for generations in args.generations:
        wins, taus = 0, []
        start = time.perf_counter()
        for seed in args.seeds:
            model = ProxySynthesizer(runs=args.runs, seed=seed, config=GPConfig(generations=generations),
                                     jobs=args.jobs, select="train").fit(problems)
            report = model.report_
            beaten = 0
            for name, row in report["problems"].items():
                best = max(p[name]["test_tau"] for p in report["proxies"].values())
                beaten += row["test_tau"] > best
                taus.append(row["test_tau"])
            wins += beaten >= 2
            print(f"  generations {generations} split {seed}: beats the best proxy on {beaten} problem(s); "
                  f"{report['formula']}", flush=True)
        print(f"generations {generations}: beats the best single proxy on >= 2 problems in {wins}/{len(args.seeds)} "
              f"splits; mean test tau {np.mean(taus):.3f} ({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
