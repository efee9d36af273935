"""``zc-synth search``: find an architecture of any registered search space with a metric, from a benchmark table (lookup) or
computed on a dataset (live). Parsing only; the search lives in :mod:`synth.search`."""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

from zc_core.errors import DataError
from proxies.argtypes import device as device_type
from proxies.argtypes import out_path, positive_float, positive_int
from proxies.argtypes import seed as seed_type

from synth.search.space import get_space

from .arguments import add_size_arguments, add_target_argument, job_signature, add_threads_argument


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    from proxies.spaces import names

    p = sub.add_parser("search", help="search architectures with a metric (lookup table or live proxies)",
                       description="Search a space (NB201, NB101, DARTS, TransNAS-Bench-101 micro/macro) with a "
                                   "metric: a formula, a proxy name or a result.json. "
                                   "Lookup mode (--data FILE --problem NAME) reads the metric and the accuracy "
                                   "from a benchmark table; live mode (--dataset FILE) computes the proxies on "
                                   "your data.")
    p.add_argument("--algo", required=True, metavar="ALGO",
                   help="search algorithm: rl, pmbga, prune, aging, random or hnas (an unknown name lists them)")
    p.add_argument("--space", default=None, metavar="SPACE",
                   help=f"search space: {', '.join(names())} (lookup mode: default the table's; live: nb201)")
    p.add_argument("--dim", type=int, choices=[1, 2, 3], help="live mode: checked against the dataset")
    p.add_argument("--metric", metavar="EXPR|result.json",
                   help="the metric to maximise (every algorithm but hnas, which ranks with ntk_cond and --hnas-metric)")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", metavar="FILE", help="lookup mode: suite file zc_<space>.json")
    source.add_argument("--dataset", metavar="FILE.npz", help="live mode: dataset in the generic or MedMNIST layout")
    p.add_argument("--problem", help="lookup mode: the problem, e.g. NB201-CF10 or nasbench201/cifar10")
    add_target_argument(p)
    p.add_argument("--budget", type=int, help="maximum objective evaluations per run (default: aging 3000, "
                                              "random 1000, others only their own limits)")
    p.add_argument("--runs", type=int, default=1, help="runs with seeds SEED, SEED+1, ... (default 1)")
    p.add_argument("--jobs", type=int, default=1, help="runs at once (default 1)")
    p.add_argument("--seed", type=seed_type, default=0)
    add_size_arguments(p, mode="live mode: ")
    p.add_argument("--proxy-batch", type=int, default=64, help="live mode: samples per proxy batch (default 64)")
    p.add_argument("--device", type=device_type, default=None, help="live mode: cpu or cuda (default: cuda when available)")
    p.add_argument("--hnas-metric", default="grad_norm", choices=("grad_norm", "snip", "grasp", "ntk_trace"),
                   help="hnas: the gradient-based proxy M of Eq. 7 (default grad_norm)")
    p.add_argument("--population", type=int, default=None,
                   help="aging: population size (default 100; keep it well under --budget)")
    p.add_argument("--tournament", type=int, default=None, help="aging: tournament size (default 10)")
    p.add_argument("--pool", type=int, default=1000, help="hnas: candidate architectures drawn (default 1000)")
    p.add_argument("--train-epochs", type=int, default=8,
                   help="hnas in live mode: epochs of each training (default 8, as build-benchmark)")
    p.add_argument("--time-budget", type=positive_float, metavar="SECONDS",
                   help="also stop each run once computing its metrics took this many seconds (live mode)")
    p.add_argument("--train-final", type=positive_int, metavar="EPOCHS",
                   help="live mode: train the best run's architecture this many epochs (as zc-synth train) "
                        "into DIR/final")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--out", type=out_path, metavar="DIR",
                   help="folder for search.json, convergence.png and, in DARTS, genotype.png; a live search "
                        "resumes from it after a kill (default runs/search-<algo>)")
    add_threads_argument(p)
    return p


def _objective(args: argparse.Namespace, formula):
    """The lookup or live objective the arguments describe."""
    if args.data:
        from synth.search.lookup import load_lookup

        if not args.problem:
            raise DataError("--data needs --problem NAME (e.g. NB201-CF10)")
        if args.dim is not None:
            raise DataError("--dim applies to live mode (--dataset); a table's networks are fixed")
        objective = load_lookup(args.data, args.problem, formula,
                                extra=["ntk_cond"] if args.algo == "hnas" else None, target=args.target)
        if args.space is not None and get_space(args.space).name != objective.space.name:
            raise DataError(f"--space {args.space}: problem {args.problem} is a {objective.space.name} table")
        return objective
    from synth.search.live import LiveObjective, check_live_metric, load_live_dataset

    if min(args.proxy_batch, args.train_epochs) < 1:
        raise DataError("--proxy-batch and --train-epochs must be >= 1")
    check_live_metric(formula)
    dataset = load_live_dataset(args.dataset, args.dim)
    return LiveObjective(formula, dataset, width=args.width, cells=args.cells, batch_size=args.proxy_batch,
                         seed=args.seed, device=args.device, train_epochs=args.train_epochs,
                         space=args.space or "nb201")


def run(args: argparse.Namespace) -> int:
    from synth.inputs import load_formula
    from zc_core.jobs import claim_folder
    from zc_core.files import write_json
    from synth.search.algorithms import get_algorithm
    from synth.search.runner import RESULT, best_run, format_report, plot_convergence, report, run_many

    if args.runs < 1 or args.jobs < 1:
        raise DataError("--runs and --jobs must be >= 1")
    params = {"metric": args.hnas_metric, "pool": args.pool} if args.algo == "hnas" else {}
    if args.population is not None or args.tournament is not None:
        if args.algo != "aging":
            raise DataError("--population and --tournament apply to --algo aging")
        params.update({k: v for k, v in (("population", args.population), ("tournament", args.tournament))
                       if v is not None})
    try:
        get_algorithm(args.algo)(budget=args.budget, **params).validate()
    except ValueError as exc:
        raise DataError(str(exc)) from None
    if args.algo == "hnas":
        if args.metric:
            raise DataError("--algo hnas ranks with ntk_cond and --hnas-metric; drop --metric")
        from synth.formula import Formula
        formula = Formula(args.hnas_metric)
    elif not args.metric:
        raise DataError(f"--algo {args.algo} needs --metric (a formula, a proxy name or a result.json)")
    else:
        formula, _ = load_formula(args.metric)
    if args.space is not None:
        get_space(args.space)
    if args.dataset is None and (args.time_budget is not None or args.train_final is not None):
        raise DataError("--time-budget and --train-final apply to live mode (--dataset): a table's "
                        "evaluations cost nothing and its networks are already trained")
    objective = _objective(args, formula)
    if args.algo == "prune" and "supernet" not in objective.space.supports:
        raise DataError(f"--algo prune needs a cell space with supernets; {objective.space.name} has none "
                        f"(use aging, random, rl or pmbga)")
    live = args.dataset is not None
    folder = args.out or os.path.join("runs", f"search-{args.algo}")
    claim_folder(folder, _signature(args, objective), only_ours=True)
    resumed = 0
    if live:
        from synth.search.journal import Journal

        journal = Journal(folder)
        resumed = journal.replay(objective)
        journal.attach(objective)
        objective.train_folder = os.path.join(folder, "trainings")
        objective.dataset_path = args.dataset
        if resumed:
            print(f"resuming: {resumed} evaluations from {journal.path}", file=sys.stderr)
    seeds = [args.seed + i for i in range(args.runs)]
    start = time.perf_counter()
    results = run_many(args.algo, objective, seeds, budget=args.budget, jobs=args.jobs, time_budget=args.time_budget,
                       progress=live and not args.quiet and args.jobs == 1, **params)
    label = f"Eq. 7 of ntk_cond and {args.hnas_metric}" if args.algo == "hnas" else str(formula)
    doc = report(args.algo, label, objective, seeds, results)
    doc.update({"mode": "live" if live else "lookup", "seconds": time.perf_counter() - start,
                "metric_seconds": sum(objective.seconds.values())})
    if live:
        doc.update({"dataset": args.dataset, "width": objective.network.width,
                    "cells": objective.network.cells_per_stage, "task": objective.network.task})
    else:
        doc["problem"] = args.problem
    write_json(os.path.join(folder, RESULT), doc)
    path = os.path.join(folder, "convergence.png")
    note = " (prune scores supernets: only its final cell has a metric value)" if args.algo == "prune" else ""
    plot_convergence(results, seeds, path, f"{args.algo} on {args.problem or args.dataset}: {formula}{note}")
    written = [path, os.path.join(folder, RESULT)]
    if "draw" in objective.space.supports:
        from synth.train import GENOTYPE

        written.append(objective.space.draw(best_run(doc)["key"], os.path.join(folder, GENOTYPE)))
    out = sys.stderr if args.json else sys.stdout
    if args.json:
        print(json.dumps(doc))
    else:
        print(format_report(doc))
        evaluations = sum(r["evaluations"] for r in doc["runs"])
        print(f"search wall time {doc['seconds']:.1f} s ({evaluations} evaluations in {len(doc['runs'])} "
              f"run{'s' if len(doc['runs']) > 1 else ''}" + (f", {resumed} read back from the log" if resumed else "") + ")")
    print(f"wrote {', '.join(written)}", file=out)
    if args.train_final is not None:
        _train_final(args, objective, best_run(doc)["key"], folder, out)
    return 0


def _signature(args: argparse.Namespace, objective) -> dict:
    """A search folder's ``job.json``: every argument that changes the runs (not --jobs or output), so
    a search never replaces another one's files; a live search's dataset by its digest too."""
    from synth.evolve import file_digest

    sign = {**job_signature(args, "search", drop=("train_final",)), "space": objective.space.name}
    if args.dataset is not None:
        sign.update({"dataset": os.path.abspath(args.dataset), "dataset_digest": file_digest(args.dataset)})
    else:
        sign["data"] = args.data if args.data == "builtin" else os.path.abspath(args.data)
    return sign


def _train_final(args: argparse.Namespace, objective, key: str, folder: str, out) -> None:
    """``--train-final``: the best architecture trained as ``zc-synth train`` would, in DIR/final."""
    from benchmarks_data.training import TrainConfig

    from synth.train import format_result, train_architecture

    job = objective.train_job(key, TrainConfig(epochs=args.train_final, seed=args.seed))
    final = os.path.join(folder, "final")
    doc = train_architecture(job, objective.dataset, final, dataset_path=args.dataset, device=args.device,
                             progress=not args.quiet)
    print(format_result(doc), file=out)
    print(f"wrote {os.path.join(final, 'train.json')}", file=out)
