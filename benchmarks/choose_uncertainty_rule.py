"""How ``--uncertainty auto`` should pick a score: each rule's chosen score against the best score on
the test split, over finished ``zc-synth ensemble`` runs (development runs, not the ones the README
reports).

Rules: ``argmin`` (lowest validation AURC), ``1se`` (the earliest score in the preference order of
:data:`synth.ensemble.uncertainty.SCORES` within one bootstrap standard error of the lowest validation
AURC), and every fixed score. Per run and ensemble it prints each rule's test-AURC ratio to the best
score's, then per rule how often that ratio is <= 1.1, its mean and its worst.

    python benchmarks/choose_uncertainty_rule.py RUN_DIR=DATA.npz [RUN_DIR=DATA.npz ...]
"""
from __future__ import annotations

import argparse
import os

import numpy as np


def ratios(folder: str, data: str) -> dict[str, dict[str, float]]:
    """{ensemble file: {rule: test AURC of the rule's choice / best test AURC}}."""
    from benchmarks_data.datasets import load_dataset
    from synth.ensemble import combine as rules
    from synth.ensemble import uncertainty as scores
    from synth.ensemble.model import Ensemble

    dataset = load_dataset(data)
    out = {}
    for name in ("ensemble.json", "single_architecture.json"):
        ens = Ensemble.load(folder, name)
        (xv, yv), (xt, yt) = dataset.split("val"), dataset.split("test")
        pv, pt = ens.member_proba(xv), ens.member_proba(xt)
        val = rules.aurc_by_score(pv, yv, ens.combine)
        test = rules.aurc_by_score(pt, yt, ens.combine)
        best = min(test.values())
        chosen = {"argmin": scores.choose(val), "1se": scores.choose(val, rules.aurc_bootstrap(pv, yv, ens.combine)),
                  **{s: s for s in scores.SCORES}}
        out[name.split(".")[0]] = {rule: (test[s] / best if best > 0 else 1.0) for rule, s in chosen.items()}
        out[name.split(".")[0]]["chosen"] = chosen
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", metavar="RUN_DIR=DATA.npz")
    args = parser.parse_args()
    table: dict[str, list[float]] = {}
    for item in args.runs:
        folder, data = item.split("=", 1)
        for ens, row in ratios(folder, data).items():
            chosen = row.pop("chosen")
            print(f"{os.path.basename(os.path.normpath(folder)):12s} {ens:20s} argmin={chosen['argmin']:17s} "
                  f"1se={chosen['1se']:17s} " + " ".join(f"{r}={v:.3f}" for r, v in row.items()))
            for rule, v in row.items():
                table.setdefault(rule, []).append(v)
    print(f"\n{'rule':18s} {'<=1.1':>7s} {'mean':>6s} {'worst':>6s}")
    for rule, values in table.items():
        v = np.array(values)
        print(f"{rule:18s} {int((v <= 1.1).sum()):3d}/{len(v):<3d} {v.mean():6.3f} {v.max():6.3f}")


if __name__ == "__main__":
    main()
