"""``zc-synth validate`` (leave-problems-out) and ``zc-synth report`` (Fig. 6 heatmap of given metrics)."""
from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any

from zc_core.errors import DataError
from proxies.argtypes import out_file, out_path
from proxies.argtypes import seed as seed_type

if TYPE_CHECKING:
    from benchmarks_data.problems import Problem

VALIDATE_MAX_ROWS = 1000
"""Training rows per problem in ``validate`` folds (a seeded subsample of NB201's 6,610): bounds the
cost of a fold; Eq. 1 weighs every problem the same whatever its size."""


def add_parsers(sub: argparse._SubParsersAction) -> None:
    from .cli import _csv, add_data_arguments, add_selection_arguments, add_worst_weight_argument

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
    add_worst_weight_argument(p)
    p.add_argument("--seed", type=seed_type, default=0)
    p.add_argument("--baselines", type=_csv, default=None,
                   help="comma-separated from rank_average,teacup,teacup_all,upnas (default: all)")
    add_selection_arguments(p)
    p.set_defaults(max_rows=VALIDATE_MAX_ROWS)
    p.add_argument("--out", type=out_path, required=True, metavar="DIR", help="output folder (validation.json/.csv, heatmap.png)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=validate_command)

    r = sub.add_parser("report", help="Kendall tau of metrics on many problems: table, heatmap PNG, CSV and JSON",
                       description="The paper's Fig. 6: metrics (rows) against problems (columns, grouped by space).")
    add_data_arguments(r)
    r.add_argument("--metric", action="append", metavar="[NAME=]SPEC",
                   help="a formula, a proxy name or a JSON metric (result.json, a baseline's metric); repeat. "
                        "Default: every single proxy")
    r.add_argument("--proxies", action="store_true", help="add every single proxy to the given metrics")
    r.add_argument("--title", help="heatmap title")
    r.add_argument("--out", type=out_path, required=True, metavar="DIR", help="output folder (report.json, report.csv, heatmap.png)")
    r.set_defaults(func=report_command)

    b = sub.add_parser("baseline", help="fit a composite baseline metric and save it for --metric",
                       description="Fit rank_average, teacup, teacup_all or upnas on benchmark problems and write "
                                   "the metric as JSON, usable as --metric FILE in evaluate, report, search, ensemble.")
    b.add_argument("name", help="rank_average, teacup, teacup_all or upnas")
    add_data_arguments(b)
    b.add_argument("--seed", type=seed_type, default=0)
    b.add_argument("--out", type=out_file("json"), required=True, metavar="FILE.json")
    b.set_defaults(func=baseline_command)


def _load(data: list[str] | None, names: list[str] | None) -> list[Problem]:
    from .cli import load_training_problems

    return load_training_problems(data, names)


def _check_out(path: str) -> None:
    if not path:
        raise DataError("--out must name a folder")
    if os.path.exists(path) and not os.path.isdir(path):
        raise DataError(f"--out {path} exists and is not a folder")


def _write_outputs(summary: dict[str, Any], groups: dict[str, str], out: str, stem: str, title: str) -> list[str]:
    from .evolve import write_json
    from .heatmap import plot_heatmap, write_csv

    os.makedirs(out, exist_ok=True)
    json_path, csv_path, png = (os.path.join(out, f"{stem}.json"), os.path.join(out, f"{stem}.csv"),
                                os.path.join(out, "heatmap.png"))
    write_json(json_path, summary)
    write_csv(summary, csv_path)
    plot_heatmap(summary, png, groups=groups, title=title)
    return [json_path, csv_path, png]


def validate_command(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .evolve import file_digest
    from .gp import GPConfig
    from .heatmap import format_table, summarize
    from .validation import BASELINE_NAMES, FoldStore, Settings, collect, make_folds, run_folds

    _check_out(args.out)
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
    problems = _load(args.data, args.problems)
    folds = make_folds(problems, args.group)
    signature = {"data": {p.source: file_digest(p.source) for p in problems}, "problems": [p.name for p in problems],
                 "group": args.group, "settings": settings.to_dict()}
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
    written = _write_outputs(summary, groups, args.out, "validation", title)
    print(format_table(summary, groups))
    print()
    for fold in summary["folds"]:
        print(f"fold {', '.join(fold['held_out'])}: {fold['formula']}")
    print(f"wrote {', '.join(written)}")
    return 0


def _metric_name(spec: str) -> tuple[str, str]:
    name, sep, rest = spec.partition("=")
    if sep and name and rest and name.replace("_", "").replace("-", "").isalnum() and not os.path.exists(spec):
        return name, rest
    if spec.endswith(".json"):
        parent = os.path.basename(os.path.dirname(os.path.abspath(spec)))
        return parent or os.path.basename(spec), spec
    return spec, spec


def report_command(args: argparse.Namespace) -> int:
    from .cli import load_formula
    from .formula import Formula
    from .heatmap import format_table, summarize
    from .validation import tau_of

    _check_out(args.out)
    from benchmarks_data.problems import did_you_mean

    problems = _load(args.data, args.problems)
    every = set(f for p in problems for f in p.features.columns)
    metrics: dict[str, Any] = {}
    for spec in args.metric or []:
        name, text = _metric_name(spec)
        if name in metrics:
            raise DataError(f"metric name {name!r} is given twice; name them with NAME=SPEC")
        metrics[name] = load_formula(text)[0]
        unknown = sorted(set(metrics[name].features) - every)
        if unknown:
            raise DataError(f"metric {name!r} reads {', '.join(unknown)}, which no problem has"
                            f"{did_you_mean(unknown[0], every)}")
    if args.proxies or not args.metric:
        for proxy in dict.fromkeys(f for p in problems for f in p.features.columns):
            metrics.setdefault(proxy, Formula(proxy))
    names = [p.name for p in problems]
    taus = {name: {p.name: tau_of(metric, p) for p in problems} for name, metric in metrics.items()}
    summary = summarize(taus, names)
    summary["definitions"] = {name: str(metric) for name, metric in metrics.items()}
    groups = {p.name: p.space for p in problems}
    written = _write_outputs(summary, groups, args.out, "report", args.title or "Kendall tau per problem")
    print(format_table(summary, groups))
    print(f"wrote {', '.join(written)}")
    return 0


def baseline_command(args: argparse.Namespace) -> int:
    from .baselines import make_baseline
    from .evolve import write_json

    if os.path.isdir(args.out):
        raise DataError(f"--out {args.out} is a folder; name a .json file")
    model = make_baseline(args.name, seed=args.seed)
    model.fit(_load(args.data, args.problems))
    metric = model.metric_
    doc = {**metric.to_dict(), "baseline": args.name, "problems": {name: {} for name in model.problems_}}
    folder = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(folder, exist_ok=True)
    write_json(args.out, doc)
    print(f"{args.name}: {metric}")
    print(f"fitted on {', '.join(model.problems_)}; wrote {args.out}")
    return 0
