"""``zc-synth validate``: synthesize on all problems but one (or one search space) and score the formula,
every single proxy and the baselines on the held-out one (:mod:`synth.validation`)."""
from __future__ import annotations

import argparse
import sys

from proxies.argtypes import out_path
from proxies.argtypes import seed as seed_type
from zc_core.errors import DataError

from .arguments import add_data_arguments, add_fitness_arguments, add_selection_arguments, check_out_folder, csv_list

VALIDATE_MAX_ROWS = 1000
"""Training rows per problem in ``validate`` folds (a seeded subsample of NB201's 6,610): bounds the
cost of a fold; Eq. 1 weighs every problem the same whatever its size."""


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("validate", help="leave-problems-out validation of synthesis against proxies and baselines",
                       description="For each problem (or search space), synthesize on the others, then score the "
                                   "formula, every single proxy and the baselines on all rows of the held-out one.")
    add_data_arguments(p)
    p.add_argument("--group", default="problem", choices=("problem", "space"),
                   help="hold out one problem per fold (default) or every problem of one search space")
    p.add_argument("--runs", type=int, default=31, help="GP runs per fold (default 31)")
    p.add_argument("--jobs", type=int, default=2, help="folds at once on this machine (default 2)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address: send the folds to that cluster")
    p.add_argument("--generations", type=int, default=50)
    p.add_argument("--population", type=int, default=100)
    add_fitness_arguments(p)
    p.add_argument("--seed", type=seed_type, default=0)
    p.add_argument("--baselines", type=csv_list, default=None,
                   help="comma-separated from rank_average,teacup,teacup_all,upnas (default: all)")
    add_selection_arguments(p)
    p.set_defaults(max_rows=VALIDATE_MAX_ROWS)
    p.add_argument("--out", type=out_path, required=True, metavar="DIR", help="output folder (validation.json/.csv, heatmap.png)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from benchmarks_data.problems import measures_signature
    from synth.evolve import file_digest
    from synth.gp import GPConfig
    from synth.heatmap import format_table, summarize, write_outputs
    from synth.inputs import load_training_problems
    from synth.validation import BASELINE_NAMES, FoldStore, Settings, collect, make_folds, run_folds

    check_out_folder(args.out)
    if args.jobs == 0 or args.jobs < -1:
        raise DataError(f"--jobs must be >= 1 or -1 (all cores), got {args.jobs}")
    baselines = tuple(args.baselines) if args.baselines is not None else BASELINE_NAMES
    for name in baselines:
        if name not in BASELINE_NAMES:
            from benchmarks_data.problems import did_you_mean
            raise DataError(f"unknown baseline {name!r}{did_you_mean(name, BASELINE_NAMES)}; "
                            f"choose from {','.join(BASELINE_NAMES)}")
    try:
        config = GPConfig(population=args.population, generations=args.generations, worst_weight=args.worst_weight,
                          balance=args.balance)
    except ValueError as exc:
        raise DataError(str(exc)) from None
    settings = Settings(runs=args.runs, seed=args.seed, config=config, select=args.select, folds=args.folds,
                        fold_by=args.fold_by, parsimony=args.parsimony, max_rows=args.max_rows, baselines=baselines)
    settings.check()
    problems = load_training_problems(args.data, args.problems, target=args.target)
    folds = make_folds(problems, args.group)
    signature = {"data": {p.source: file_digest(p.source) for p in problems}, "problems": [p.name for p in problems],
                 "group": args.group, "settings": settings.to_dict(), **measures_signature(problems)}
    store = FoldStore(args.out, signature)
    store.open()
    bar = tqdm(total=len(folds), unit="fold", desc=f"validate {len(folds)} folds", disable=args.quiet,
               file=sys.stderr, dynamic_ncols=True)
    with bar:
        results = run_folds(problems, folds, settings, jobs=args.jobs, scheduler=args.scheduler,
                            directory=args.out, store=store, progress=bar.update)
    names = [p.name for p in problems]
    summary = summarize(collect(results, names), names)
    summary["folds"] = [{"held_out": f["held_out"], "formula": f["metrics"]["FORMULA"]["formula"],
                         "train_problems": f["train_problems"]} for f in results]
    summary["group"] = args.group
    summary["settings"] = settings.to_dict()
    groups = {p.name: p.space for p in problems}
    title = f"Held-out Kendall tau, leave one {args.group} out ({len(folds)} folds)"
    written = write_outputs(summary, groups, args.out, "validation", title)
    print(format_table(summary, groups))
    print()
    for fold in summary["folds"]:
        print(f"fold {', '.join(fold['held_out'])}: {fold['formula']}")
    print(f"wrote {', '.join(written)}")
    return 0
