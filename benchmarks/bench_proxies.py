"""Time all proxies on one NB201 CIFAR-size network: shared engine versus each proxy on its own.

    python benchmarks/bench_proxies.py [--repeats 3] [--batch-size 64] [--device cpu|cuda]

Runs alternate (shared, isolated, shared, ...) in one process after a warm-up; prints each wall
time, the medians and their ratio. Both modes give the same values (checked here too).
"""
from __future__ import annotations

import argparse
import statistics
import time

import torch

from proxies.data import ProxyData
from proxies.engine import compute, default_device
from proxies.spaces.nb201 import NB201Network

CELL = "|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--device", default=None)
    args = parser.parse_args()
    device = torch.device(args.device) if args.device else default_device()
    data = ProxyData.gaussian((3, 32, 32), 10, n=256)

    def run(share: bool):
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        scores = compute(lambda: NB201Network(CELL), "all", data, device, batch_size=args.batch_size, share=share)
        if device.type == "cuda":
            torch.cuda.synchronize()
        return time.perf_counter() - start, scores

    run(True)
    times = {True: [], False: []}
    values = {}
    for _ in range(args.repeats):
        for share in (True, False):
            elapsed, scores = run(share)
            times[share].append(elapsed)
            values[share] = scores
    mismatched = [n for n in values[True] if abs(values[True][n].score - values[False][n].score)
                  > 1e-4 * max(1.0, abs(values[True][n].score))]
    shared, isolated = statistics.median(times[True]), statistics.median(times[False])
    print(f"device {device}, batch {args.batch_size}, {len(values[True])} proxies, cell {CELL}")
    print("shared engine  : " + ", ".join(f"{t:.2f}" for t in times[True]) + f" s (median {shared:.2f} s)")
    print("each on its own: " + ", ".join(f"{t:.2f}" for t in times[False]) + f" s (median {isolated:.2f} s)")
    print(f"speed-up of the shared engine: {isolated / shared:.2f}x; values differing: {mismatched or 'none'}")
    slowest = sorted(values[False].items(), key=lambda kv: -kv[1].time)[:5]
    print("slowest proxies on their own: " + ", ".join(f"{n} {s.time:.2f} s" for n, s in slowest))


if __name__ == "__main__":
    main()
