"""Check the NB201 builder's params and flops against NAS-Bench-Suite-Zero on every cell.

For the cifar10 cells of suite-zero/zc_nasbench201.json that have ``params``, compares our parameter
count (millions) with the suite's and with nasbench201/cifar10_accuracy.csv, and our MFLOPs (32x32
input) with the suite's ``flops``. Prints the counts the issue asks for.

    python benchmarks/check_nb201_counts.py [--bench ../shared/benchmarks] [--jobs 2] [--limit N]
"""
from __future__ import annotations

import argparse
import json
import os

import pandas as pd
import torch
from joblib import Parallel, delayed

from proxies.measures.flops import count_flops
from proxies.spaces.nb201 import Cell, NB201Network


def measure(keys: list[str]) -> list[tuple[str, float, float]]:
    """(key, params in millions, MFLOPs) for each suite tuple key."""
    torch.set_num_threads(1)
    out = []
    x = torch.zeros(1, 3, 32, 32)
    for key in keys:
        net = NB201Network(key).eval()
        out.append((key, sum(p.numel() for p in net.parameters()) / 1e6, count_flops(net, x)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", default=os.environ.get("ZC_BENCHMARKS", "../shared/benchmarks"))
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--limit", type=int, default=None, help="check only the first N cells")
    args = parser.parse_args()
    with open(os.path.join(args.bench, "suite-zero", "zc_nasbench201.json"), encoding="utf-8") as f:
        suite = json.load(f)["cifar10"]
    csv = pd.read_csv(os.path.join(args.bench, "nasbench201", "cifar10_accuracy.csv"))
    csv_params = dict(zip(csv["arch_str"], csv["params"]))
    keys = [k for k, v in suite.items() if isinstance(v.get("params"), dict)][:args.limit]
    chunks = [keys[i::args.jobs * 8] for i in range(args.jobs * 8)]
    rows = [r for part in Parallel(n_jobs=args.jobs)(delayed(measure)(c) for c in chunks) for r in part]
    agree = disagree = params_ok = flops_ok = match_suite = match_csv = 0
    worst_flops = 0.0
    for key, params, flops in rows:
        ref = suite[key]
        theirs = csv_params[Cell.parse(key).to_string()]
        rel = abs(flops - ref["flops"]["score"]) / ref["flops"]["score"]
        worst_flops = max(worst_flops, rel)
        flops_ok += rel <= 0.01
        if abs(theirs - ref["params"]["score"]) <= 1e-6:
            agree += 1
            params_ok += abs(params - ref["params"]["score"]) <= 1e-6
        else:
            disagree += 1
            match_suite += abs(params - ref["params"]["score"]) <= 1e-6
            match_csv += abs(params - theirs) <= 1e-6
    print(f"cells with suite params: {len(rows)}")
    print(f"sources agree on params: {agree}; our params equal theirs (1e-6 M): {params_ok}/{agree}")
    print(f"sources disagree: {disagree}; ours match the suite on {match_suite}, the CSV on {match_csv}")
    print(f"flops within 1% of the suite: {flops_ok}/{len(rows)}; worst relative error {worst_flops:.2e}")


if __name__ == "__main__":
    main()
