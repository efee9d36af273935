"""``zc-synth report``: Kendall tau of given metrics on many problems, as the paper's Fig. 6 heatmap,
a table, CSV and JSON."""
from __future__ import annotations

import argparse
from typing import Any

from proxies.argtypes import out_path
from zc_core.errors import DataError

from .arguments import add_data_arguments, check_out_folder, claim_out_folder


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    r = sub.add_parser("report", help="Kendall tau of metrics on many problems: table, heatmap PNG, CSV and JSON",
                       description="The paper's Fig. 6: metrics (rows) against problems (columns, grouped by space).")
    add_data_arguments(r)
    r.add_argument("--metric", action="append", metavar="[NAME=]SPEC",
                   help="a formula, a proxy name or a JSON metric (result.json, a baseline's metric); repeat. "
                        "Default: every single proxy")
    r.add_argument("--proxies", action="store_true", help="add every single proxy to the given metrics")
    r.add_argument("--title", help="heatmap title")
    r.add_argument("--out", type=out_path, required=True, metavar="DIR", help="output folder (report.json, report.csv, heatmap.png)")
    return r


def run(args: argparse.Namespace) -> int:
    from synth.heatmap import format_table, summarize, write_outputs
    from synth.inputs import load_formula, load_training_problems, metric_name
    from synth.metric import method_table, tau_table
    from zc_core.errors import did_you_mean

    check_out_folder(args.out)
    problems = load_training_problems(args.data, args.problems, target=args.target)
    every = set(f for p in problems for f in p.features.columns)
    metrics: dict[str, Any] = {}
    for spec in args.metric or []:
        name, text = metric_name(spec)
        if name in metrics:
            raise DataError(f"metric name {name!r} is given twice; name them with NAME=SPEC")
        metrics[name] = load_formula(text)[0]
        unknown = sorted(set(metrics[name].features) - every)
        if unknown:
            raise DataError(f"metric {name!r} reads {', '.join(unknown)}, which no problem has"
                            f"{did_you_mean(unknown[0], every)}")
    proxies = [f for p in problems for f in p.features.columns] if args.proxies or not args.metric else []
    metrics = method_table(metrics, proxies)
    names = [p.name for p in problems]
    taus = tau_table(metrics, problems)
    summary = summarize(taus, names)
    summary["definitions"] = {name: str(metric) for name, metric in metrics.items()}
    groups = {p.name: p.space for p in problems}
    claim_out_folder(args, "report")
    written = write_outputs(summary, groups, args.out, "report", args.title or "Kendall tau per problem")
    print(format_table(summary, groups))
    print(f"wrote {', '.join(written)}")
    return 0
