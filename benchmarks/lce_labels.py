"""How good are labels extrapolated from partial learning curves? (issue 16: LCE against the naive label)

For a table with learning curves (``val_curve``, written by ``build-benchmark``), for each observed
fraction of the curve: the LCE ensemble's prediction of the final accuracy (``synth.predictors.curves``,
fitted on the observed part of ``--n`` randomly drawn architectures, as ``compare`` does with its
trained ones) against the naive label, the last observed epoch's accuracy. Reported against the
table's ``val_accuracy`` (the label every method ranks on): mean absolute error and Kendall tau,
mean +- std over ``--seeds`` draws. Nothing is tuned here; the curve models and their bounds are
fixed in ``synth.predictors.curves``.

    python benchmarks/lce_labels.py --data builtin [--problem NB201-ECG] [--n 100] [--seeds 5]
"""
from __future__ import annotations

import argparse

import numpy as np
from scipy.stats import kendalltau

from benchmarks_data.problems import load_problems
from benchmarks_data.problems import learning_curves
from synth.compare.methods import observed_epochs
from synth.predictors.curves import CurveExtrapolator

FRACTIONS = (0.1, 0.2, 0.3, 0.5)


def measure(curves: np.ndarray, target: np.ndarray, n: int, seeds: int, fraction: float) -> dict[str, list[float]]:
    """MAE and tau of the extrapolated and the naive labels of ``n`` random rows, one value per seed."""
    total = curves.shape[1]
    seen_epochs = observed_epochs(total, fraction)
    out: dict[str, list[float]] = {"lce_mae": [], "lce_tau": [], "naive_mae": [], "naive_tau": []}
    for seed in range(seeds):
        rows = np.random.default_rng(seed).choice(len(target), size=min(n, len(target)), replace=False)
        seen = curves[rows, :seen_epochs]
        lce = CurveExtrapolator(final_epoch=total).fit(seen).predict(seen)
        naive = seen[:, -1]
        for name, label in (("lce", lce), ("naive", naive)):
            out[f"{name}_mae"].append(float(np.mean(np.abs(label - target[rows]))))
            out[f"{name}_tau"].append(float(kendalltau(label, target[rows])[0]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", default=None, help="table(s) or 'builtin' (default builtin)")
    parser.add_argument("--problem", action="append", default=None, help="problems (default: every one)")
    parser.add_argument("--n", type=int, default=100, help="architectures per draw (default 100)")
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    problems = load_problems(args.data or ["builtin"], args.problem, per_problem=True)
    print(f"labels of {args.n} random architectures against val_accuracy, mean +- std over {args.seeds} draws")
    print(f"{'problem':16s} {'epochs seen':>11s} {'LCE MAE':>14s} {'naive MAE':>14s} {'LCE tau':>14s} "
          f"{'naive tau':>14s}")
    for problem in problems:
        curves = learning_curves(problem)
        if curves is None:
            print(f"{problem.name:16s} no learning curves in {problem.source}")
            continue
        shown = set()
        for fraction in FRACTIONS:
            epochs = observed_epochs(curves.shape[1], fraction)
            if epochs in shown:
                continue
            shown.add(epochs)
            r = measure(curves, problem.target, args.n, args.seeds, fraction)
            seen = f"{epochs}/{curves.shape[1]}"
            print(f"{problem.name:16s} {seen:>11s} " + " ".join(
                f"{np.mean(r[k]):7.3f}+-{np.std(r[k]):5.3f}" for k in ("lce_mae", "naive_mae", "lce_tau", "naive_tau")))


if __name__ == "__main__":
    main()
