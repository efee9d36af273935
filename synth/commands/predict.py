"""``zc-synth predict``: predict with a saved ensemble, with a per-sample uncertainty and a flag on the
least confident share."""
from __future__ import annotations

import argparse

from proxies.argtypes import device as device_type
from proxies.argtypes import out_file, probability

from .arguments import add_threads_argument


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    q = sub.add_parser("predict", help="predict with a saved ensemble, with per-sample uncertainty",
                       description="Per sample: predicted class, its probability, the uncertainty (the score "
                                   "saved with the ensemble), the share of members disagreeing, the confidence "
                                   "rank, and a flag on the least confident share.")
    q.add_argument("--ensemble", required=True, metavar="DIR", help="folder written by zc-synth ensemble")
    q.add_argument("--input", required=True, metavar="FILE.npz|FILE.npy",
                   help="array x (and optional labels y), or a dataset .npz (then --split)")
    q.add_argument("--split", default="test", choices=["train", "val", "test"],
                   help="which split of a dataset .npz to predict (default test)")
    q.add_argument("--flag", type=probability, default=0.2, help="share of least confident samples to flag (default 0.2)")
    q.add_argument("--out", type=out_file("csv"), metavar="FILE.csv", help="write the per-sample table here (default: stdout)")
    q.add_argument("--device", type=device_type, default=None)
    add_threads_argument(q)
    return q


# ------------------------------------------------------------------------------------- helpers


def run(args: argparse.Namespace) -> int:
    from synth.ensemble.io import read_input, write_predictions
    from synth.ensemble.model import Ensemble

    ensemble = Ensemble.load(args.ensemble, device=args.device)
    x, y = read_input(args.input, args.split)
    samples = ensemble.explain(x)
    flags = write_predictions(args.out, samples, y, args.flag)
    if args.out:
        line = f"{len(x)} samples, {int(flags.sum())} flagged as least confident by {ensemble.uncertainty_score_}"
        if y is not None:
            correct = samples["prediction"] == y
            line += (f"; accuracy {100 * correct.mean():.2f} % on all, "
                     f"{100 * correct[~flags].mean():.2f} % on the unflagged")
        print(f"{line}\nwrote {args.out}")
    return 0
