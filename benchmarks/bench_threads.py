"""Torch's thread count on an idle and on a busy CPU, for one live DARTS search, in one invocation.

Runs the DARTS command of docs/search.md (aging evolution scoring 40 networks with the main job's
formula on MNIST, then ``--train-final 10``) as whole processes under three settings, alternating:

  policy     zc-synth's default (proxies/threads.py): the cores left free by the load average;
  all cores  ``OMP_NUM_THREADS=<cores>`` (torch's own default: one thread per core);
  1          ``OMP_NUM_THREADS=1``;

first on the idle machine, then beside ``--busy`` processes that each keep a core busy (another job on a
shared workstation, or the test suite), started ``--warmup`` seconds before so the load average sees
them as a long-running neighbour would be seen, and prints each setting's wall time and the policy's
ratio to the best fixed setting (the target: within 1.10 in both rounds).

    python benchmarks/bench_threads.py [--busy 2] [--repeats 1] [--budget 40] [--warmup 60]
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
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
SETTINGS = {"policy": {}, "all cores": {"OMP_NUM_THREADS": str(CORES)}, "1": {"OMP_NUM_THREADS": "1"}}


def search_seconds(dataset: Path, out: Path, budget: int, env: dict[str, str]) -> float:
    """Wall seconds of one ``zc-synth search`` process with ``env`` added to this one's environment."""
    command = [sys.executable, "-m", "synth", "search", "--space", "darts", "--algo", "aging", "--dataset",
               str(dataset), "--metric", FORMULA, "--budget", str(budget), "--population", "10", "--tournament",
               "3", "--cells", "3", "--train-final", "10", "--quiet", "--out", str(out)]
    start = time.perf_counter()
    base = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env={**base, **env})
    return time.perf_counter() - start


def measure(dataset: Path, work: Path, budget: int, repeats: int) -> dict[str, float]:
    """Median wall seconds per setting, the settings taking turns within each repeat; outputs under ``work``."""
    times: dict[str, list[float]] = {name: [] for name in SETTINGS}
    for repeat in range(repeats):
        for name, env in SETTINGS.items():
            times[name].append(search_seconds(dataset, work / f"{name}-{repeat}", budget, env))
    return {name: statistics.median(values) for name, values in times.items()}


def report(label: str, medians: dict[str, float]) -> None:
    best = min(seconds for name, seconds in medians.items() if name != "policy")
    cells = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in medians.items())
    print(f"{label}: {cells}; policy / best fixed setting {medians['policy'] / best:.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--busy", type=int, default=2,
                        help="processes that each keep a core busy in the second round (default 2)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each setting per round (median quoted)")
    parser.add_argument("--budget", type=int, default=40, help="networks the search scores (default 40)")
    parser.add_argument("--warmup", type=float, default=60.0,
                        help="seconds the busy processes run before the busy round (default 60)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dataset = work / "mnist.npz"
        subprocess.run([sys.executable, "-m", "synth", "make-dataset", "mnist", "--out", str(dataset)],
                       check=True, capture_output=True, cwd=ROOT)
        report("idle", measure(dataset, work / "idle", args.budget, args.repeats))
        spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.busy)]
        try:
            time.sleep(args.warmup)
            report(f"beside {args.busy} busy processes", measure(dataset, work / "busy", args.budget, args.repeats))
        finally:
            for spinner in spinners:
                spinner.kill()
                spinner.wait()


if __name__ == "__main__":
    main()
