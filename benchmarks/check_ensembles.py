"""Acceptance summary of ``zc-synth ensemble`` runs: per run folder, the architecture ensemble's test
accuracy against its median member, its accuracy on the 50 % most confident test samples against all
of them, and both ensembles (distinct architectures vs best architecture x k seeds) at 20 / 50 / 100 %
coverage.

    python benchmarks/check_ensembles.py RUN_DIR [RUN_DIR ...]
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", metavar="RUN_DIR")
    args = parser.parse_args()
    print(f"{'run':12s} {'ens acc':>8s} {'median':>7s} {'>=':>3s}  {'acc@50':>7s} {'>all':>5s}   "
          f"{'arch 20/50/100':>20s}   {'single 20/50/100':>20s}  {'AUC arch/single':>15s}")
    for folder in args.runs:
        with open(os.path.join(folder, "report.json"), encoding="utf-8") as handle:
            doc = json.load(handle)
        ens, single = doc["ensemble"], doc["single_architecture"]
        median = float(np.median([m["test"]["accuracy"] for m in doc["members"]]))
        acc, at50 = ens["test"]["accuracy"], ens["coverage"]["50"]

        def points(section: dict) -> str:
            return "/".join(f"{100 * section['coverage'][c]:.1f}" for c in ("20", "50", "100"))

        auc = "-" if ens["test"]["auc"] is None else f"{ens['test']['auc']:.3f}/{single['test']['auc']:.3f}"
        print(f"{os.path.basename(os.path.normpath(folder)):12s} {100 * acc:8.2f} {100 * median:7.2f} "
              f"{'yes' if acc >= median else 'NO':>3s}  {100 * at50:7.2f} {'yes' if at50 > acc else 'NO':>5s}   "
              f"{points(ens):>20s}   {points(single):>20s}  {auc:>15s}")


if __name__ == "__main__":
    main()
