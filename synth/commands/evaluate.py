"""``zc-synth evaluate``: Kendall tau and Spearman rho of one metric on every given problem."""
from __future__ import annotations

import argparse
import json

from .arguments import add_data_arguments


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("evaluate", help="Kendall tau and Spearman rho of a formula per problem",
                       description="Score a formula (text, a proxy name, or a result.json from evolve or baseline) "
                                   "on benchmark problems: Kendall tau and Spearman rho of its values against "
                                   "the architectures' accuracy, on all rows of each problem.")
    add_data_arguments(p)
    p.add_argument("--formula", required=True, help="formula text, a proxy name, or a result.json")
    p.add_argument("--json", action="store_true", help="print JSON (tau null where a problem lacks a proxy)")
    return p


def run(args: argparse.Namespace) -> int:
    from scipy.stats import spearmanr

    from benchmarks_data.problems import load_problems

    from synth.kendall import kendall
    from synth.inputs import data_and_problems, load_formula

    formula, from_result = load_formula(args.formula)
    data, names = data_and_problems(args.data, args.problems or (from_result if args.data else None))
    problems = load_problems(data, names, formula.features or None, per_problem=True, target=args.target)
    out: dict[str, dict] = {}
    for problem in problems:
        lacking = sorted(set(formula.features) - set(problem.features.columns))
        if lacking:
            out[problem.name] = {"tau": None, "spearman": None, "n": len(problem), "lacks": lacking}
            continue
        scores = formula.score(problem.features, problem.archs)
        rho = spearmanr(scores, problem.target)[0]
        out[problem.name] = {"tau": kendall(scores, problem.target), "spearman": 0.0 if rho != rho else float(rho),
                             "n": len(problem)}
    if args.json:
        print(json.dumps({"problems": out}))
    else:
        print(f"formula: {formula}")
        for name, v in out.items():
            if v["tau"] is None:
                print(f"  {name:28s} n/a: the problem lacks {', '.join(v['lacks'])}")
            else:
                print(f"  {name:28s} tau {v['tau']:7.4f}  spearman {v['spearman']:7.4f}  n {v['n']}")
    return 0
