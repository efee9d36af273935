"""Torch's thread settings on an idle and on a busy CPU, for one live DARTS search, in one invocation.

Runs the DARTS command of docs/search.md (aging evolution scoring 40 networks with the main job's
formula on MNIST, then ``--train-final 10``) as whole processes under three settings, alternating:

  default  torch's own (one thread per core, OpenMP's spinning wait);
  1        ``OMP_NUM_THREADS=1``;
  passive  ``OMP_WAIT_POLICY=PASSIVE`` (every core, threads sleep instead of spinning);

first on the idle machine, then beside ``--busy`` processes that each keep a core busy (another job on a
shared workstation, or the test suite), and prints each setting's wall time and its ratio to the default.
The settings change float rounding only; the project keeps torch's default (fastest on an idle machine)
and docs/performance.md says when to set ``OMP_NUM_THREADS=1``.

    python benchmarks/bench_threads.py [--busy N] [--repeats 1] [--budget 40]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMULA = "(jacov + snip + 2*synflow - (zico/flops) + sqrt(snip))/synflow"
SETTINGS = {"default": {}, "1": {"OMP_NUM_THREADS": "1"}, "passive": {"OMP_WAIT_POLICY": "PASSIVE"}}


def search_seconds(dataset: Path, out: Path, budget: int, env: dict[str, str]) -> float:
    """Wall seconds of one ``zc-synth search`` process with ``env`` added to this one's environment."""
    command = [sys.executable, "-m", "synth", "search", "--space", "darts", "--algo", "aging", "--dataset",
               str(dataset), "--metric", FORMULA, "--budget", str(budget), "--population", "10", "--tournament",
               "3", "--cells", "3", "--train-final", "10", "--quiet", "--out", str(out)]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env={**os.environ, **env})
    return time.perf_counter() - start


def measure(dataset: Path, work: Path, budget: int, repeats: int) -> dict[str, float]:
    """Median wall seconds per setting, the settings taking turns within each repeat; outputs under ``work``."""
    times: dict[str, list[float]] = {name: [] for name in SETTINGS}
    for repeat in range(repeats):
        for name, env in SETTINGS.items():
            times[name].append(search_seconds(dataset, work / f"{name}-{repeat}", budget, env))
    return {name: statistics.median(values) for name, values in times.items()}


def report(label: str, medians: dict[str, float]) -> None:
    base = medians["default"]
    cells = ", ".join(f"{name} {seconds:.1f} s ({seconds / base:.2f}x)" for name, seconds in medians.items())
    print(f"{label}: {cells}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--busy", type=int, default=os.cpu_count() or 1,
                        help="processes that each keep a core busy in the second round (default: one per core)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each setting per round (median quoted)")
    parser.add_argument("--budget", type=int, default=40, help="networks the search scores (default 40)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dataset = work / "mnist.npz"
        subprocess.run([sys.executable, "-m", "synth", "make-dataset", "mnist", "--out", str(dataset)],
                       check=True, capture_output=True, cwd=ROOT)
        report("idle", measure(dataset, work / "idle", args.budget, args.repeats))
        spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy)]
        try:
            report(f"beside {args.busy} busy processes", measure(dataset, work / "busy", args.budget, args.repeats))
        finally:
            for spinner in spinners:
                spinner.kill()
                spinner.wait()


if __name__ == "__main__":
    main()
