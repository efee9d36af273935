"""The README proxies command in every space at its default size: seconds per network, peak memory,
and the share of networks on which each of the 23 proxies is finite.

Runs, for each registered space, as a whole process::

    zc-synth proxies --space S --archs random:N --data gaussian --proxies all --out T.json --verbose --jobs J

and reports wall seconds per network, its ratio to NB201's in the same run, the peak resident memory
of the largest process (``--verbose``) and, per proxy, the share of networks with a finite value (a
missing value keeps its reason in the table's ``error``). Each space's result is kept in
``--folder`` as it finishes, so a stopped run resumes with the spaces left. The same script runs
unchanged on a GPU (``--device cuda``; the engine then runs one network at a time).

    python benchmarks/bench_spaces.py --n 20
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from proxies import spaces  # noqa: E402


def run_space(name: str, args, folder: Path) -> dict:
    done = folder / f"{name}.json"
    if done.exists():
        return json.loads(done.read_text())
    table = folder / f"{name}-table.json"
    command = [sys.executable, "-m", "synth", "proxies", "--space", name, "--archs", f"random:{args.n}",
               "--data", "gaussian", "--proxies", "all", "--out", str(table), "--verbose", "--quiet",
               "--jobs", str(args.jobs), "--seed", str(args.seed)]
    if args.device:
        command += ["--device", args.device]
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{name}: exit {proc.returncode}: {proc.stderr.strip().splitlines()[-1:]}")
    peak = re.search(r"peak resident memory: ([0-9.]+) GB", proc.stderr)
    (records,) = json.loads(table.read_text()).values()
    proxies = list(next(iter(records.values())))
    finite = {p: sum(r[p]["score"] is not None and math.isfinite(r[p]["score"]) for r in records.values())
              / len(records) for p in proxies}
    errors = {p: next((r[p].get("error") for r in records.values() if r[p].get("error")), None) for p in proxies}
    space = spaces.get(name)
    result = {"space": name, "n": len(records), "wall": wall, "per_network": wall / len(records),
              "peak_gb": float(peak.group(1)) if peak else None, "finite": finite,
              "errors": {p: e for p, e in errors.items() if e}, "width": space.default_width,
              "cells": space.default_cells, "device": args.device or "default", "jobs": args.jobs}
    done.write_text(json.dumps(result, indent=1))
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--n", type=int, default=20, help="random architectures per space (default 20)")
    p.add_argument("--spaces", default=",".join(spaces.names()))
    p.add_argument("--jobs", type=int, default=1, help="--jobs of each command (default 1: one network at a time)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default=None, help="cpu or cuda (default: the engine's, cuda when available)")
    p.add_argument("--folder", type=Path, default=ROOT / "runs" / "bench_spaces")
    args = p.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in [s.strip() for s in args.spaces.split(",") if s.strip()]:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows.append(run_space(name, args, args.folder))
    base = next((r["per_network"] for r in rows if r["space"] == "nb201"), None)
    print(f"{'space':13s} {'width/cells':>11s} {'s/network':>10s} {'vs nb201':>9s} {'peak GB':>8s}  "
          f"{'proxies finite on >= 95 %':>25s}  lowest")
    for r in rows:
        ok = sum(v >= 0.95 for v in r["finite"].values())
        low = min(r["finite"], key=r["finite"].get)
        ratio = f"{r['per_network'] / base:8.2f}x" if base else f"{'-':>9s}"
        print(f"{r['space']:13s} {str(r['width']) + '/' + str(r['cells']):>11s} {r['per_network']:10.2f} {ratio} "
              f"{r['peak_gb'] if r['peak_gb'] is not None else float('nan'):8.2f}  "
              f"{ok:>14d} of {len(r['finite']):<8d}  {low} {100 * r['finite'][low]:.0f} %")
        for proxy, error in r["errors"].items():
            print(f"  {r['space']}: {proxy} missing on {100 * (1 - r['finite'][proxy]):.0f} %: {error[:150]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
