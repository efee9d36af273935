"""``zc-synth train``: train one architecture of any space on a dataset (``--arch KEY``, or the result of
a search folder with ``--from-search DIR``); resumable. Parsing only; the job is :mod:`synth.train`."""
from __future__ import annotations

import argparse
import json
import os

from zc_core.errors import DataError
from proxies.argtypes import device as device_type
from proxies.argtypes import out_path, positive_float, positive_int
from proxies.argtypes import seed as seed_type

from .arguments import add_size_arguments, add_threads_argument


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    from proxies.spaces import names

    p = sub.add_parser("train", help="train one architecture on a dataset (resumable)",
                       description="Train one architecture of a search space on a dataset with the project's "
                                   "training loop (SGD, cosine schedule, best-validation weights), resumable from "
                                   "its last finished epoch. Writes DIR/train.json (test accuracy, best epoch, "
                                   "params, flops, wall time, learning curve), DIR/weights.pt and, for DARTS, "
                                   "DIR/genotype.png.")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--arch", metavar="KEY", help="the architecture as its space's suite key (or a DARTS "
                                                     "Genotype(...) string, an NB201 cell string)")
    which.add_argument("--from-search", metavar="DIR", help="train the best architecture of a zc-synth search folder")
    p.add_argument("--space", default=None, metavar="SPACE",
                   help=f"search space: {', '.join(names())} (default nb201, or the search's)")
    p.add_argument("--dataset", required=True, metavar="FILE.npz", help="dataset in the generic or MedMNIST layout")
    p.add_argument("--epochs", type=positive_int, default=20, help="training epochs (default 20)")
    add_size_arguments(p, default="search")
    p.add_argument("--task", default=None, help="TransNAS-Bench-101 task head (default: a classifier)")
    p.add_argument("--lr", type=positive_float, default=0.05, help="initial SGD learning rate (default 0.05)")
    p.add_argument("--batch-size", type=positive_int, default=64, help="training batch size (default 64)")
    p.add_argument("--seed", type=seed_type, default=0)
    p.add_argument("--device", type=device_type, default=None, help="cpu or cuda (default: cuda when available)")
    p.add_argument("--json", action="store_true", help="print train.json")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--out", type=out_path, metavar="DIR", help="job folder (default runs/train, or "
                                                               "DIR/final with --from-search)")
    add_threads_argument(p)
    return p


def from_search(folder: str) -> dict:
    """The best run of a search folder's ``search.json``: ``space``, ``key`` and the live network size."""
    from zc_core.jsonio import load_json

    from synth.search.runner import RESULT, best_run

    path = os.path.join(folder, RESULT)
    if not os.path.isfile(path):
        raise DataError(f"--from-search {folder}: no {RESULT} (a folder written by zc-synth search)")
    doc = load_json(path)
    try:
        run = best_run(doc)
        return {"space": doc["space"], "key": run["key"], "width": doc.get("width"), "cells": doc.get("cells"),
                "task": doc.get("task")}
    except (KeyError, TypeError, ValueError):
        raise DataError(f"{path}: not a zc-synth search result (needs space and runs with key and metric)") from None


def run(args: argparse.Namespace) -> int:
    from benchmarks_data.datasets import load_dataset
    from benchmarks_data.training import TrainConfig
    from proxies import spaces

    from synth.train import TrainJob, format_result, train_architecture

    found = from_search(args.from_search) if args.from_search else {}
    space = spaces.get(args.space or found.get("space") or "nb201")
    if found and space.name != spaces.get(found["space"]).name:
        raise DataError(f"--space {args.space}: the search in {args.from_search} is in {found['space']}")
    width = args.width if args.width is not None else found.get("width")
    cells = args.cells if args.cells is not None else found.get("cells")
    config = TrainConfig(epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, seed=args.seed)
    job = TrainJob(space.name, found.get("key", args.arch), width, cells, config,
                   args.task if args.task is not None else found.get("task")).checked()
    dataset = load_dataset(args.dataset)
    folder = args.out or (os.path.join(args.from_search, "final") if args.from_search else os.path.join("runs", "train"))
    doc = train_architecture(job, dataset, folder, dataset_path=args.dataset, device=args.device,
                             progress=not args.quiet)
    print(json.dumps(doc) if args.json else format_result(doc))
    if not args.json:
        print(f"wrote {os.path.join(folder, 'train.json')}")
    return 0
