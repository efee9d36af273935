"""How many GP generations ``zc-synth evolve`` should use on the built-in benchmark.

For every train/test split seed (1-8 by default: never the default split 0, which the README reports)
and every generation count, runs the main job's synthesis (31 runs, the default transfer selection)
on what ``--data builtin`` loads, and prints the winner's mean test-split Kendall tau over the
problems and on how many problems it beats the best single proxy (best on the test rows, in hindsight).

    python benchmarks/choose_generations.py [--seeds 1-8] [--generations 50 150] [--jobs 2]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from synth.gp import GPConfig
from synth.inputs import load_training_problems
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
    problems = load_training_problems(None, None)
    print(f"{len(problems)} built-in problems: {', '.join(p.name for p in problems)}", flush=True)
    for generations in args.generations:
        taus, beaten_counts = [], []
        start = time.perf_counter()
        for seed in args.seeds:
            model = ProxySynthesizer(runs=args.runs, seed=seed, config=GPConfig(generations=generations),
                                     jobs=args.jobs).fit(problems)
            report = model.report_
            split_taus, beaten = [], 0
            for name, row in report["problems"].items():
                best = max(v for p in report["proxies"].values() if (v := p[name]["test_tau"]) is not None)
                beaten += (row["test_tau"] or 0.0) > best
                split_taus.append(row["test_tau"] or 0.0)
            taus.append(float(np.mean(split_taus)))
            beaten_counts.append(beaten)
            print(f"  generations {generations} split {seed}: mean test tau {taus[-1]:.3f}, beats the best proxy "
                  f"on {beaten} of {len(split_taus)} problem(s); {report['formula']}", flush=True)
        print(f"generations {generations}: mean test tau {np.mean(taus):.3f} (splits {min(args.seeds)}-{max(args.seeds)}), "
              f"beats the best single proxy on {np.mean(beaten_counts):.1f} problems per split "
              f"({time.perf_counter() - start:.0f} s)", flush=True)


if __name__ == "__main__":
    main()
