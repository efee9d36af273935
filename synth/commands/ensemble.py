"""``zc-synth ensemble``: rank candidates by a metric on your data, train the k best distinct ones,
combine them and rank test samples by uncertainty, against the best architecture trained with k
seeds; resumable. The models and scores live in :mod:`synth.ensemble`."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Any

import numpy as np

from benchmarks_data.builder import finite_or_none
from zc_core.files import write_json
from proxies.argtypes import device as device_type
from proxies.argtypes import out_path, positive_float
from proxies.argtypes import seed as seed_type
from proxies.spaces import names as space_names
from synth.ensemble.uncertainty import CHOICES as UNCERTAINTY_CHOICES
from zc_core.errors import DataError

RUN_FILE = "run.json"
CANDIDATES_FILE = "candidates.json"


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
    p.add_argument("--width", type=int, default=None,
                   help="channels of the first stage (default: the space's small size, 8 in NB201)")
    p.add_argument("--cells", type=int, default=None,
                   help="cells per stage (default: the space's small size, 1 in NB201)")
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
    return p


# ------------------------------------------------------------------------------------- helpers
def _check_run(out: str, settings: dict[str, Any]) -> None:
    """Refuse to mix a run with another one's files; record the settings of a new run."""
    from zc_core.jobs import claim_folder

    claim_folder(out, settings, only_ours=True, marker=RUN_FILE, what="zc-synth ensemble run")


def _load_candidates(out: str) -> dict[str, float]:
    from synth.ensemble.model import read_json

    path = os.path.join(out, CANDIDATES_FILE)
    if not os.path.isfile(path):
        return {}
    return {a: (-np.inf if v is None else float(v)) for a, v in read_json(path, f"{out}: unreadable candidate scores").items()}


def _save_candidates(out: str, scores: dict[str, float]) -> None:
    write_json(os.path.join(out, CANDIDATES_FILE), {a: finite_or_none(v) for a, v in scores.items()})


# ------------------------------------------------------------------------------------ ensemble
def _prepare(args: argparse.Namespace):
    """Checks every argument before any work; returns (formula, dataset, candidates kind/value/budget)."""
    from synth.inputs import load_formula
    from synth.search.live import check_live_metric, load_live_dataset
    from synth.ensemble.candidates import candidate_archs, parse_candidates
    from synth.ensemble.model import dataset_fingerprint
    from proxies import spaces

    space = spaces.get(args.space)
    args.space = space.name
    small_width, small_cells = space.small_size()
    args.width = small_width if args.width is None else args.width
    args.cells = small_cells if args.cells is None else args.cells
    if min(args.k, args.epochs, args.width, args.cells, args.batch_size, args.proxy_batch, args.jobs) < 1:
        raise DataError("--k, --epochs, --width, --cells, --batch-size, --proxy-batch and --jobs must be >= 1")
    if args.k < 2:
        raise DataError("--k must be >= 2: an ensemble of one network has no disagreement to rank by")
    if not args.lr > 0:
        raise DataError("--lr must be > 0")
    kind, value, budget = parse_candidates(args.candidates)
    if kind == "file" and not os.path.isfile(str(value)):
        raise DataError(f"--candidates {value}: no such file (give FILE, random:N or search:ALGO)")
    formula, _ = load_formula(args.metric)
    check_live_metric(formula)
    dataset = load_live_dataset(args.dataset, args.dim)
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        raise DataError(f"--out {args.out} exists and is not a folder")
    if kind != "search":
        listed = len(candidate_archs(args.candidates, args.seed, space.name))
        if listed < args.k:
            raise DataError(f"--k {args.k} needs {args.k} distinct architectures; --candidates {args.candidates} "
                            f"lists {listed}")
    _check_run(args.out, {
        "dataset": dataset.name, "dataset_fingerprint": dataset_fingerprint(dataset), "metric": str(formula),
        **({} if space.name == "nb201" else {"space": space.name}),
        "candidates": args.candidates, "k": args.k, "epochs": args.epochs, "width": args.width, "cells": args.cells,
        "batch_size": args.batch_size, "lr": args.lr, "proxy_batch": args.proxy_batch, "combine": args.combine,
        "seed": args.seed})
    return formula, dataset, (kind, value, budget)


def _score(args: argparse.Namespace, formula, dataset, candidates: tuple) -> dict[str, float]:
    """Every candidate's metric value on this data, saved every 10 cells so a stop loses little."""
    from tqdm import tqdm

    from synth.search.live import LiveObjective
    from synth.ensemble.candidates import score_candidates

    kind, value, budget = candidates
    known = _load_candidates(args.out)
    objective = LiveObjective(formula, dataset, width=args.width, cells=args.cells, batch_size=args.proxy_batch,
                              seed=args.seed, device=args.device, space=args.space)
    total = budget if kind == "search" else (value if kind == "random" else None)
    fresh: dict[str, float] = dict(known)
    with tqdm(total=total, desc="score candidates", unit="arch", disable=args.quiet, file=sys.stderr,
              dynamic_ncols=True) as bar:
        def scored(arch: str, v: float) -> None:
            fresh[arch] = v
            bar.update(1)
            if len(fresh) % 10 == 0:
                _save_candidates(args.out, fresh)

        scores = score_candidates(args.candidates, objective, seed=args.seed, known=known, progress=scored,
                                  jobs=args.jobs, scheduler=args.scheduler)
    _save_candidates(args.out, scores)
    return scores


def _members(scores: dict[str, float], k: int, candidates: tuple) -> list[tuple[str, float]]:
    from synth.ensemble.candidates import select_members

    kind, value, _ = candidates
    try:
        return select_members(scores, k)
    except DataError as exc:
        if kind != "search":
            raise
        raise DataError(f"{exc}: search:{value} visited too few cells (pruning scores supernets and visits "
                        "few cells); raise its budget, use rl, pmbga, aging or random, or --candidates random:N") from None


def _train(args: argparse.Namespace, formula, dataset, members: list[tuple[str, float]]):
    """The architecture ensemble and the single-architecture baseline (best member, k seeds), fitted
    (members already in --out are reused) and saved."""
    from tqdm import tqdm

    from synth.ensemble.model import Ensemble

    common = dict(space=args.space, width=args.width, cells=args.cells, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr,
                  combine=args.combine, device=args.device, jobs=args.jobs, scheduler=args.scheduler, folder=args.out,
                  metric_name=str(formula), uncertainty=args.uncertainty, calibrate=args.calibrate)
    archs, values = [a for a, _ in members], [v for _, v in members]
    ensemble = Ensemble(archs, seeds=args.seed, metrics=values, **common)
    single = Ensemble([archs[0]] * args.k, seeds=[args.seed + i for i in range(args.k)], metrics=[values[0]] * args.k,
                      **common)
    with tqdm(total=2 * args.k, desc="train members", unit="net", disable=args.quiet, file=sys.stderr,
              dynamic_ncols=True) as bar:
        ensemble.fit(dataset, progress=lambda m: bar.update(1))
        single.fit(dataset, progress=lambda m: bar.update(1))
    ensemble.save(args.out, "ensemble.json")
    single.save(args.out, "single_architecture.json")
    return ensemble, single


def run(args: argparse.Namespace) -> int:
    from proxies import spaces

    from synth.ensemble.io import write_predictions
    from synth.ensemble.report import build_report, format_report, plot_coverage, plot_data

    formula, dataset, candidates = _prepare(args)
    if not args.quiet:
        print(dataset.summary(), file=sys.stderr)
    scores = _score(args, formula, dataset, candidates)
    ensemble, single = _train(args, formula, dataset, _members(scores, args.k, candidates))
    x, y = dataset.split("test")
    space = spaces.get(args.space)
    info = [{"arch": space.describe(space.parse(m.arch)), "key": m.arch, "metric": finite_or_none(m.metric),
             "seed": m.seed} for m in ensemble.members_]
    member_proba, single_proba = ensemble.member_proba(x), single.member_proba(x)
    doc, samples = build_report(info, member_proba, single_proba, y, args.combine, ensemble.uncertainty_info(),
                                single.uncertainty_info())
    write_json(os.path.join(args.out, "report.json"), doc)
    write_predictions(os.path.join(args.out, "test_predictions.csv"), samples, y, flag=0.0)
    plot_coverage(plot_data(member_proba, single_proba, y, args.combine, doc), y, os.path.join(args.out, "coverage.png"),
                  f"{dataset.name}: {args.k} distinct architectures vs best architecture x {args.k} seeds (test split)")
    print(f"metric: {formula}\ncandidates: {args.candidates} ({len(scores)} distinct, "
          f"{sum(np.isfinite(v) for v in scores.values())} scorable)")
    print(format_report(doc))
    print(f"wrote {os.path.join(args.out, 'report.json')}, coverage.png, test_predictions.csv and models/")
    return 0
