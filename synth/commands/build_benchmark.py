"""``zc-synth build-benchmark``: proxies and brief training for many architectures of a space on a
dataset, written as a benchmark table (resumable)."""
from __future__ import annotations

import argparse
import os
import sys

from proxies.argtypes import device as device_type
from benchmarks_data.measures import MEASURES
from proxies.argtypes import make_folder, non_negative, out_file, positive_float
from proxies.argtypes import seed as seed_type
from zc_core.errors import DataError

from .arguments import add_size_arguments, add_threads_argument


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    from proxies.spaces import names

    b = sub.add_parser("build-benchmark", help="proxies + brief training for many architectures: a benchmark table",
                       description="Score and briefly train architectures of a search space on a dataset; write "
                                   "the suite layout (resumable: rerun the same command to continue).")
    b.add_argument("--space", default="nb201", metavar="SPACE",
                   help=f"search space: {', '.join(names())} (default nb201)")
    b.add_argument("--dim", type=int, choices=[1, 2, 3], default=None, help="checked against the data (default: from it)")
    b.add_argument("--data", required=True, metavar="FILE.npz", help="generic or MedMNIST layout")
    b.add_argument("--archs", required=True, metavar="FILE|all|random:N")
    b.add_argument("--epochs", type=int, required=True)
    add_size_arguments(b)
    b.add_argument("--batch-size", type=int, default=64, help="training batch size (default 64)")
    b.add_argument("--lr", type=positive_float, default=0.05, help="initial SGD learning rate (default 0.05)")
    b.add_argument("--weight-decay", type=non_negative, default=5e-4, help="SGD weight decay (default 5e-4)")
    b.add_argument("--repeats", type=int, default=1, metavar="K",
                   help="trainings per architecture (seeds SEED..SEED+K-1); the table records their mean "
                        "(default 1)")
    b.add_argument("--keep", choices=("best", "last"), default="best",
                   help="report the best validation epoch (default) or the last one (no selection on a small "
                        "validation split)")
    b.add_argument("--folds", type=int, default=1, metavar="K",
                   help="K >= 2: measure by K-fold cross-validation on the train and validation splits pooled "
                        "(every labelled sample measured out of fold; needs --keep last); default 1: the "
                        "validation split")
    b.add_argument("--measure", choices=sorted(MEASURES), default=None,
                   help="the table's declared ground truth, read by --target declared (default: accuracy); "
                        "e.g. challenge_f1 for CinC 2017, auc for a binary task")
    b.add_argument("--proxies", default="all", help="comma-separated proxy names, 'all' (default) or 'none'")
    b.add_argument("--jobs", type=int, default=1, help="parallel CPU workers (default 1; a GPU runs one at a time)")
    b.add_argument("--scheduler", metavar="ADDRESS",
                   help="Dask scheduler address: one task per architecture on its workers; this process writes "
                        "the table and resume file as results arrive (needs pip install 'zc-synth[dask]')")
    b.add_argument("--seed", type=seed_type, default=0, help="seeds weights, training and random:N")
    b.add_argument("--device", type=device_type, default=None, help="cpu or cuda (default: cuda when available)")
    b.add_argument("--out", type=out_file("json"), required=True, metavar="FILE.json",
                   help="name it zc_<space>.json to set the space name (e.g. zc_darts-ecg.json)")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    add_threads_argument(b)
    return b


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from proxies.batch import parse_archs
    from proxies.registry import ProxyError, select
    from proxies.spaces import get

    from benchmarks_data.builder import BuildSpec, build_benchmark, check_resume, table_summary
    from benchmarks_data.datasets import load_dataset

    space = get(args.space)
    small_width, small_cells = space.small_size()
    args.width = small_width if args.width is None else args.width
    args.cells = small_cells if args.cells is None else args.cells
    if min(args.batch_size, args.epochs, args.jobs, args.repeats, args.folds) < 1:
        raise DataError("--batch-size, --epochs, --jobs, --repeats and --folds must be >= 1")
    if args.folds > 1 and args.keep != "last":
        raise DataError("--folds needs --keep last: choosing an epoch on the held-out fold would bias its measure")
    if args.proxies.strip().lower() == "none":
        chosen: list[str] = []
    else:
        try:
            chosen = [p.name for p in select([n.strip() for n in args.proxies.split(",") if n.strip()])]
        except ProxyError as exc:
            raise DataError(str(exc)) from None
    dataset = load_dataset(args.data)
    if args.dim is not None and args.dim != dataset.dim:
        raise DataError(f"--dim {args.dim} does not fit {args.data}: its samples are {dataset.dim}D, "
                        f"shape {dataset.sample_shape}")
    archs = parse_archs(args.archs, args.seed, space)
    spec = BuildSpec(dataset=dataset.name, dim=dataset.dim, in_channels=dataset.in_channels,
                     num_classes=dataset.num_classes, space=space.name, width=args.width, cells=args.cells,
                     epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, seed=args.seed,
                     proxies=tuple(chosen), weight_decay=args.weight_decay, keep=args.keep,
                     repeats=args.repeats, folds=args.folds)
    check_resume(args.out, spec, dataset.name)
    make_folder(os.path.dirname(os.path.abspath(args.out)))
    if not args.quiet:
        print(dataset.summary(), file=sys.stderr)
    with tqdm(total=len(archs), unit="arch", desc=f"build {dataset.name}", disable=args.quiet, file=sys.stderr,
              dynamic_ncols=True) as bar:
        try:
            table = build_benchmark(dataset, archs, spec, args.out, jobs=args.jobs, device=args.device,
                                    progress=bar.update, scheduler=args.scheduler, measure=args.measure)
        except KeyboardInterrupt:
            print(f"\ninterrupted: finished architectures are saved in {args.out}; rerun the same command "
                  "to continue", file=sys.stderr)
            return 130
        except Exception as exc:
            if type(exc).__name__ != "TerminatedWorkerError":
                raise
            raise DataError("a worker process died (most likely out of memory): lower --jobs or --batch-size") from None
    print(table_summary(table))
    print(f"wrote {args.out} (settings in {os.path.basename(args.out)}.build.json)")
    return 0
