"""Speed and quality of the paper's 31-run job, side by side with the plain DEAP yardstick.

Runs, in one invocation on the same machine:
  A. ``zc-synth evolve`` on NB101-CF10 + NB201-CF10 + NB301-CF10, 31 runs, ``--jobs 2``, seed 0, the
     paper's selection (``--select train``, as the README's paper command);
  B. ``../shared/reference/naive_gp.py SEED`` for SEED = 0..30, two processes at a time;
then prints both wall times, their ratio (target: A < 30 s and A/B <= 0.3) and the test Kendall tau of
each side (B's final formula = the run with the best mean train tau).

Usage: python benchmarks/bench_evolve.py [--bench ../shared/benchmarks] [--reference ../shared/reference/naive_gp.py]
"""
from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBLEMS = {"NB101-CF10": "suite-zero-prerelease/zc_nasbench101.json",
            "NB201-CF10": "suite-zero/zc_nasbench201.json",
            "NB301-CF10": "suite-zero-prerelease/zc_nasbench301.json"}
NAIVE_KEYS = {"NB101": "NB101-CF10", "NB201": "NB201-CF10", "NB301": "NB301-CF10"}


def run_engine(bench: Path, out: str) -> tuple[float, dict]:
    command = [sys.executable, "-m", "synth", "evolve", "--problems", ",".join(PROBLEMS), "--runs", "31",
               "--jobs", "2", "--seed", "0", "--select", "train", "--out", out, "--quiet"]
    for relative in PROBLEMS.values():
        command += ["--data", str(bench / relative)]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    with open(os.path.join(out, "result.json")) as handle:
        return elapsed, json.load(handle)


def _naive_once(reference: Path, seed: int) -> dict[str, dict[str, float]]:
    text = subprocess.run([sys.executable, str(reference), str(seed)], check=True, capture_output=True,
                          text=True).stdout
    parsed = {}
    for part in ("train", "test"):
        line = next(l for l in text.splitlines() if l.startswith(part + " "))
        raw = ast.literal_eval(re.sub(r"np\.float64\(([^)]*)\)", r"\1", line[len(part) + 1:]))
        parsed[part] = {NAIVE_KEYS[k]: float(v) for k, v in raw.items()}
    return parsed


def run_naive(reference: Path) -> tuple[float, list[dict]]:
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda seed: _naive_once(reference, seed), range(31)))
    return time.perf_counter() - start, runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "benchmarks")
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference" / "naive_gp.py")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        engine_s, result = run_engine(args.bench, out)
    naive_s, naive_runs = run_naive(args.reference)
    best = max(naive_runs, key=lambda r: sum(r["train"].values()))
    print(f"zc-synth evolve, 31 runs, --jobs 2 : {engine_s:7.2f} s wall")
    print(f"naive_gp.py, 31 seeds, 2 at a time : {naive_s:7.2f} s wall")
    print(f"ratio engine / naive               : {engine_s / naive_s:7.3f}   (target <= 0.3; engine target < 30 s)")
    print("\ntest Kendall tau          " + "  ".join(f"{p:>10s}" for p in PROBLEMS) + "        mean")
    rows = {"zc-synth final formula": {p: v["test_tau"] for p, v in result["problems"].items()},
            "naive best-train run": best["test"],
            "naive mean of 31 runs": {p: sum(r["test"][p] for r in naive_runs) / 31 for p in PROBLEMS}}
    for label, taus in rows.items():
        values = [taus[p] for p in PROBLEMS]
        print(f"{label:25s} " + "  ".join(f"{v:10.3f}" for v in values) + f"  {sum(values) / 3:10.3f}")
    print(f"\nzc-synth formula: {result['formula']}")


if __name__ == "__main__":
    main()
