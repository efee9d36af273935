"""``zc-synth baseline``: fit a composite baseline metric (rank_average, teacup, teacup_all, upnas) and
save it as JSON, usable wherever a metric is read."""
from __future__ import annotations

import argparse

from proxies.argtypes import out_file
from proxies.argtypes import seed as seed_type
from zc_core.errors import DataError

from .arguments import add_data_arguments, job_signature


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    b = sub.add_parser("baseline", help="fit a composite baseline metric and save it for --metric",
                       description="Fit rank_average, teacup, teacup_all or upnas on benchmark problems and write "
                                   "the metric as JSON, usable as --metric FILE in evaluate, report, search, ensemble.")
    b.add_argument("name", help="rank_average, teacup, teacup_all or upnas")
    add_data_arguments(b)
    b.add_argument("--seed", type=seed_type, default=0)
    b.add_argument("--out", type=out_file("json"), required=True, metavar="FILE.json")
    return b


def run(args: argparse.Namespace) -> int:
    import os

    from synth.baselines import make_baseline
    from zc_core.files import write_json
    from zc_core.jobs import claim_file
    from synth.inputs import load_training_problems

    if os.path.isdir(args.out):
        raise DataError(f"--out {args.out} is a folder; name a .json file")
    claim_file(args.out, job_signature(args, "baseline"), "baseline metric", write=False)    # refuse before fitting
    model = make_baseline(args.name, seed=args.seed)
    model.fit(load_training_problems(args.data, args.problems, target=args.target))
    metric = model.metric_
    doc = {**metric.to_dict(), "baseline": args.name, "problems": {name: {} for name in model.problems_}}
    claim_file(args.out, job_signature(args, "baseline"), "baseline metric")
    write_json(args.out, doc)
    print(f"{args.name}: {metric}")
    print(f"fitted on {', '.join(model.problems_)}; wrote {args.out}")
    return 0
