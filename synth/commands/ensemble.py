"""``zc-synth ensemble``: rank candidates by a metric on your data, train the k best distinct ones,
combine them and rank test samples by uncertainty, against the best architecture trained with k
seeds; resumable. The job is :class:`synth.ensemble.pipeline.EnsembleJob`."""
from __future__ import annotations

import argparse
import os
import numpy as np

from proxies.argtypes import device as device_type
from proxies.argtypes import out_path, positive_float
from proxies.argtypes import seed as seed_type
from proxies.spaces import names as space_names
from synth.ensemble.uncertainty import CHOICES as UNCERTAINTY_CHOICES

from .arguments import add_size_arguments, add_threads_argument


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("ensemble", help="train the metric's k best distinct architectures and combine them",
                       description="Rank candidate architectures of a search space by a metric on your data, train the k best "
                                   "distinct ones, combine them by mean probability (or vote), rank test samples "
                                   "by an uncertainty score chosen on the validation split, and compare with the "
                                   "best architecture trained with k seeds. Resumable: rerun the same command to "
                                   "continue; another --uncertainty or --calibrate reuses the trained members.")
    p.add_argument("--dataset", required=True, metavar="FILE.npz", help="generic or MedMNIST layout")
    p.add_argument("--space", default="nb201", metavar="SPACE",
                   help="search space of the candidates: " + ", ".join(space_names()) + " (default nb201)")
    p.add_argument("--dim", type=int, choices=[1, 2, 3], help="checked against the dataset (default: from it)")
    p.add_argument("--metric", required=True, metavar="EXPR|result.json", help="formula, proxy name or result.json")
    p.add_argument("--candidates", default="random:200", metavar="FILE|random:N|search:ALGO[:BUDGET]",
                   help="architectures to rank (default random:200; search budget default 200)")
    p.add_argument("--k", type=int, default=5, help="ensemble members (default 5)")
    p.add_argument("--epochs", type=int, default=10, help="training epochs per member (default 10)")
    add_size_arguments(p)
    p.add_argument("--batch-size", type=int, default=64, help="training batch size (default 64)")
    p.add_argument("--lr", type=positive_float, default=0.05, help="initial SGD learning rate (default 0.05)")
    p.add_argument("--proxy-batch", type=int, default=64, help="samples per proxy batch (default 64)")
    p.add_argument("--combine", default="mean", choices=["mean", "vote"],
                   help="mean of class probabilities (default) or majority vote")
    p.add_argument("--uncertainty", default="auto", choices=list(UNCERTAINTY_CHOICES), metavar="NAME|auto",
                   help="score that orders samples by confidence: " + ", ".join(UNCERTAINTY_CHOICES[1:]) +
                        "; auto (default) picks the lowest AURC on the validation split")
    p.add_argument("--calibrate", action="store_true",
                   help="temperature-scale each member on the validation split (kept if it lowers validation NLL)")
    p.add_argument("--jobs", type=int, default=1,
                   help="candidates scored and members trained at once, one torch thread each (default 1; "
                        "float rounding then differs from --jobs 1)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address: candidates scored and members trained as tasks on its workers, "
                        "one torch thread each; this process saves progress (needs pip install 'zc-synth[dask]')")
    p.add_argument("--seed", type=seed_type, default=0, help="seeds candidates, proxies and training; the baseline "
                                                       "uses SEED..SEED+k-1")
    p.add_argument("--device", type=device_type, default=None, help="cpu or cuda (default: cuda when available)")
    p.add_argument("--out", type=out_path, required=True, metavar="DIR", help="output folder (report.json, coverage.png, models/)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    add_threads_argument(p)
    return p


def run(args: argparse.Namespace) -> int:
    from dataclasses import fields

    from synth.ensemble.pipeline import EnsembleJob
    from synth.ensemble.report import format_report

    result = EnsembleJob(**{f.name: getattr(args, f.name) for f in fields(EnsembleJob)}).run()
    scores = result.scores
    print(f"metric: {result.metric}\ncandidates: {args.candidates} ({len(scores)} distinct, "
          f"{sum(np.isfinite(v) for v in scores.values())} scorable)")
    print(format_report(result.report))
    print(f"wrote {os.path.join(args.out, 'report.json')}, coverage.png, test_predictions.csv and models/")
    return 0
