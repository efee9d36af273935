"""The README ``proxies`` command with the current engine and with an earlier commit's, side by side
in one run (issue 18's yardstick: commit 0744fe0).

The earlier engine runs from a temporary ``git worktree`` of ``--old`` (removed afterwards), with the
same virtual environment. Runs alternate old, new, old, new, ... (``--repeats``) so that load on this
shared machine hits both alike. Each run is a whole ``zc-synth proxies`` process under
``/usr/bin/time``: reported are the median wall time, the throughput ratio old/new, the peak RSS of each,
and every proxy value of the new engine against the old one (relative difference; 1e-4 is the bar).

    python benchmarks/bench_proxies_vs.py [--old 0744fe0] [--archs random:10] [--repeats 1]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile

from worktree import ROOT, checkout, python_in


def run(source: str, archs: str, out: str) -> tuple[float, int]:
    """(wall seconds, peak RSS kB) of one ``zc-synth proxies`` process with the code in ``source``."""
    done = python_in(source, ["-m", "synth", "proxies", "--space", "nb201", "--archs", archs, "--data", "gaussian",
                              "--proxies", "all", "--out", out, "--quiet"], prefix=["/usr/bin/time", "-f", "%e %M"])
    wall, rss = done.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss)


def compare(old: str, new: str) -> dict[str, float]:
    """Largest relative difference per proxy between two suite-layout outputs."""
    a, b = (json.load(open(p))["gaussian"] for p in (old, new))
    worst: dict[str, float] = {}
    for arch, record in a.items():
        for proxy, value in record.items():
            if not isinstance(value, dict) or proxy not in b.get(arch, {}):
                continue
            x, y = value["score"], b[arch][proxy]["score"]
            if x is None or y is None:
                diff = 0.0 if x is y else float("inf")
            else:
                diff = abs(x - y) / max(abs(x), 1e-12)
            worst[proxy] = max(worst.get(proxy, 0.0), diff)
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", default="0744fe0")
    parser.add_argument("--archs", default="random:10")
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        times: dict[str, list[float]] = {"old": [], "new": []}
        peaks: dict[str, list[int]] = {"old": [], "new": []}
        with checkout(args.old, tmp) as tree:
            for i in range(args.repeats):
                for name, source in (("old", tree), ("new", ROOT)):
                    wall, rss = run(source, args.archs, os.path.join(tmp, f"{name}{i}.json"))
                    times[name].append(wall)
                    peaks[name].append(rss)
                    print(f"{name} run {i}: {wall:.1f} s, peak {rss / 1e6:.2f} GB", flush=True)
        old_t, new_t = statistics.median(times["old"]), statistics.median(times["new"])
        print(f"median wall: old {old_t:.1f} s, new {new_t:.1f} s; throughput ratio new/old {old_t / new_t:.2f}x")
        print(f"peak RSS: old {max(peaks['old']) / 1e6:.2f} GB, new {max(peaks['new']) / 1e6:.2f} GB")
        worst = compare(os.path.join(tmp, "old0.json"), os.path.join(tmp, "new0.json"))
        above = {k: v for k, v in worst.items() if v > 1e-4}
        print(f"proxy values: {len(worst) - len(above)} of {len(worst)} within 1e-4 relative"
              + (f"; above: {', '.join(f'{k} {v:.2g}' for k, v in sorted(above.items()))}" if above else ""))


if __name__ == "__main__":
    main()
