"""Cost of leave-one-problem-out validation, as a ratio to one evolve run, in one invocation.

Runs, one after the other on the same machine:
  A. ``zc-synth evolve`` on the 17 development problems (benchmarks/dev_problems.py; ``--full``: the full
     development set of issue 28), the same settings validate uses (31 runs, ``--jobs 2``,
     ``--max-rows 1000``);
  B. ``zc-synth validate`` on the same problems (a fold per problem, each 31 runs + 4 baselines,
     ``--jobs 2``), or a fold per search space with ``--group space``;
then prints both wall times and B/A. Targets on a 2-core machine: B within 20 minutes (17 problems),
within 30 minutes (``--full --group space``).

    python benchmarks/bench_validate.py [--group space] [--full [--tables A,B]] [--bench ../shared/benchmarks]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from dev_problems import BENCH, ROOT, cli_args, full_cli_args  # noqa: E402


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--group", default="problem", choices=("problem", "space"))
    parser.add_argument("--bench", type=Path, default=BENCH)
    parser.add_argument("--full", action="store_true", help="the full development set (dev_problems.full_cli_args)")
    parser.add_argument("--tables", help="with --full: these built-in tables (default every finished one)")
    args = parser.parse_args()
    data = (full_cli_args(args.bench, tables=args.tables.split(",") if args.tables else None) if args.full
            else cli_args(args.bench))
    common = [*data, "--jobs", "2", "--quiet"]
    with tempfile.TemporaryDirectory() as tmp:
        evolve = timed([sys.executable, "-m", "synth", "evolve", *common, "--max-rows", "1000",
                        "--generations", "50", "--out", f"{tmp}/evolve"])
        print(f"A. evolve, {'the full set' if args.full else '17 problems'}, 31 runs: {evolve:.1f} s", flush=True)
        validate = timed([sys.executable, "-m", "synth", "validate", *common, "--group", args.group,
                          "--out", f"{tmp}/validate"])
    print(f"B. validate --group {args.group}: {validate:.1f} s ({validate / 60:.1f} min)")
    print(f"B/A = {validate / evolve:.1f}")


if __name__ == "__main__":
    main()
