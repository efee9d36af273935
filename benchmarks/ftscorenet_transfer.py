"""FT-ScoreNet without retraining on problems it was not trained on, next to a synthesized formula
and the best single proxy, on the same rows (issue 17).

For each problem: Kendall tau (and Spearman) with the problem's accuracy of

* FT-ScoreNet (``--model``, e.g. trained by ``zc-synth ftscorenet fit`` on NB201-CF10), scored on the
  problem's NB201 cells;
* the formula (``--formula``, default the paper job's ``runs/paper/result.json``, synthesized on
  NAS-Bench-Suite-Zero CIFAR-10 only, so it is zero-shot on these problems too);
* every single proxy, and the best of them in hindsight (on these rows; a user could not pick it).

Rows: the problem's architectures with every proxy the formula and the proxies need (the suite has
no proxy scores for CIFAR-100, so NB201-CF100 uses the CIFAR-10 proxy scores of the same cells, as
``benchmarks/search_nb201.py`` does). FT-ScoreNet is also scored on every row with an accuracy, and
on the rows whose cell it did not train on (``unseen``: a model trained on NB201-CF10 saw 80 % of all
NB201 cells, with their CIFAR-10 accuracy; the split is recomputed as ``ftscorenet fit`` drew it).

    python benchmarks/ftscorenet_transfer.py --model runs/ft/cf10.pt [--formula runs/paper/result.json]
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd
from scipy.stats import kendalltau, spearmanr

from benchmarks_data.problems import load_accuracies, load_problems
from proxies.spaces.nb201.encoding import Cell

SUITE = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "benchmarks", "suite-zero", "zc_nasbench201.json")
PROBLEMS = ("NB201-IMGNT", "NB201-CF100", "NB201-ECG", "NB201-MNIST", "NB201-NODULE")


def main() -> None:
    from synth.inputs import load_formula
    from synth.predictors.ftscorenet.model import split_rows
    from synth.predictors.ftscorenet.metric import FTScoreNetMetric

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--formula", default="runs/paper/result.json")
    parser.add_argument("--suite", default=os.path.normpath(SUITE))
    parser.add_argument("--problems", default=",".join(PROBLEMS))
    args = parser.parse_args()
    metric = FTScoreNetMetric(args.model)
    model = metric.model
    formula, _ = load_formula(args.formula)
    print(f"FT-ScoreNet {args.model} ({model.meta_}); formula {formula}")

    def ft(archs) -> np.ndarray:
        start = time.perf_counter()
        scores = metric.score_archs(archs)
        print(f"  (scored {len(archs)} cells in {time.perf_counter() - start:.0f} s, each new one once)", flush=True)
        return scores

    seen: set[str] = set()
    trained_on = model.meta_.get("problem")
    if trained_on and "n_train" in model.meta_:
        rows = load_accuracies([args.suite], trained_on)
        train, _ = split_rows(len(rows), model.meta_["n_train"], model.seed)
        seen = {str(Cell.parse(a).to_tuple()) for a in rows.archs[train]}
    cf10 = load_problems([args.suite], ["NB201-CF10"], per_problem=True)[0]
    cf10_features = cf10.features.set_index(pd.Index(cf10.archs))
    header = (f"{'problem':14s} {'rows':>6s} {'FT-ScoreNet':>12s} {'formula':>9s} {'best proxy':>22s} | "
              "FT on all rows | the same rows, unseen cells only: FT, formula, that proxy")
    print(header)
    for name in args.problems.split(","):
        data = [args.suite] if name.startswith("NB201-") and name not in ("NB201-ECG", "NB201-MNIST",
                                                                           "NB201-NODULE") else ["builtin"]
        everything = load_accuracies(data, name)
        if name == "NB201-CF100":
            keep = np.isin(everything.archs, cf10.archs)
            archs, target = everything.archs[keep], everything.target[keep]
            features = cf10_features.loc[list(archs)].reset_index(drop=True)
        else:
            problem = load_problems(data, [name], per_problem=True)[0]
            archs, target, features = problem.archs, problem.target, problem.features
        taus = {p: kendalltau(features[p], target)[0] for p in features.columns}
        best = max(taus, key=lambda p: taus[p])
        f_tau = kendalltau(np.asarray(formula.evaluate(features), dtype=float), target)[0] \
            if set(formula.features) <= set(features.columns) else float("nan")
        s = ft(archs)
        all_s = ft(everything.archs)
        f_values = np.asarray(formula.evaluate(features), dtype=float) if not np.isnan(f_tau) else None
        new = np.array([str(Cell.parse(a).to_tuple()) not in seen for a in archs])
        unseen = (f"{kendalltau(s[new], target[new])[0]:.3f}, "
                  f"{kendalltau(f_values[new], target[new])[0] if f_values is not None else float('nan'):.3f}, "
                  f"{kendalltau(features[best].to_numpy()[new], target[new])[0]:.3f} on {int(new.sum())}")
        print(f"{name:14s} {len(target):6d} {kendalltau(s, target)[0]:12.3f} {f_tau:9.3f} "
              f"{best + ' ' + format(taus[best], '.3f'):>22s} | tau {kendalltau(all_s, everything.target)[0]:.3f} "
              f"rho {spearmanr(all_s, everything.target)[0]:.3f} on {len(all_s)} | {unseen}", flush=True)


if __name__ == "__main__":
    main()
