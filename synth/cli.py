"""``zc-synth`` command line: parses arguments and calls the library; errors end in one line, exit 2."""
from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Sequence

from benchmarks_data.cli import add_parsers as dataset_parsers
from zc_core.errors import DataError, ZcError
from proxies.argtypes import fraction, make_folder, non_negative, out_path, probability
from proxies.argtypes import seed as seed_type
from proxies.cli import add_parser as proxies_parser
from proxies.spaces_cli import add_parser as spaces_parser

from .compare.cli import add_parser as compare_parser
from .ensemble.cli import add_parsers as ensemble_parsers
from .predictors.ftscorenet.cli import add_parser as ftscorenet_parser
from .search.cli import add_parser as search_parser
from .train_cli import add_parser as train_parser
from .transfer_cli import add_parsers as transfer_parsers

if TYPE_CHECKING:
    from .formula import Formula

USER_ERRORS = (ZcError, OSError)


def _csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _evolve_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evolve", help="synthesize a metric from benchmark tables",
                       description="Synthesize one zero-cost metric that ranks architectures well on all problems.")
    add_data_arguments(p)
    p.add_argument("--features", type=_csv, help="proxies to use (default: every proxy; each problem uses those "
                                                 "it has, and a tree is scored only where all its proxies exist)")
    p.add_argument("--runs", type=int, default=31, help="independent seeded runs (default 31)")
    p.add_argument("--jobs", type=int, default=2, help="parallel runs on this machine, -1 = all cores (default 2)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address: send runs to that cluster")
    p.add_argument("--generations", type=int,
                   help="default 50 (the paper's); 150 on the built-in benchmark, where it generalizes better")
    p.add_argument("--population", type=int, default=100, help="trees per generation, even (default 100)")
    p.add_argument("--seed", type=seed_type, default=0, help="run i uses seed SEED+i; also seeds the train/test split")
    p.add_argument("--test-size", type=fraction, default=0.3,
                   help="share of each problem's rows held out to report test tau (default 0.3)")
    p.add_argument("--crossover", type=probability, default=0.7, help="probability of subtree crossover (default 0.7)")
    p.add_argument("--subtree-mutation", type=probability, default=0.1,
                   help="probability of replacing a subtree by a random one (default 0.1)")
    p.add_argument("--hoist-mutation", type=probability, default=0.5,
                   help="probability of replacing a tree by one of its subtrees, which shrinks it (default 0.5)")
    p.add_argument("--point-mutation", type=probability, default=0.1,
                   help="probability of swapping one node for another of the same arity (default 0.1; the three "
                        "mutation probabilities sum to at most 1)")
    p.add_argument("--init-depth", type=int, nargs=2, default=(2, 6), metavar=("MIN", "MAX"),
                   help="depth range of the random initial trees, ramped half-and-half (default 2 6)")
    p.add_argument("--max-depth", type=int, default=10,
                   help="deepest tree variation may produce, at most 17 (default 10)")
    add_worst_weight_argument(p)
    add_selection_arguments(p)
    p.add_argument("--out", type=out_path, required=True, metavar="DIR", help="output folder (result.json, runs/, convergence.png)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_evolve)


def add_worst_weight_argument(p: argparse.ArgumentParser) -> None:
    """``--worst-weight`` and ``--balance``, shared by evolve and validate."""
    p.add_argument("--worst-weight", type=non_negative, default=0.0, metavar="W",
                   help="fitness = Eq. 1 + W x problems x the worst training problem's normalized tau "
                        "(default 0: the paper's Eq. 1)")
    p.add_argument("--balance", choices=("problem", "space"), default="problem",
                   help="what Eq. 1 weighs equally: every training problem (default, the paper) or every search "
                        "space (its problems share one weight)")


def add_data_arguments(p: argparse.ArgumentParser) -> None:
    """``--data`` and ``--problems``, shared by evolve, evaluate, validate and report."""
    p.add_argument("--data", action="append", metavar="FILE",
                   help="suite file zc_<space>.json, NAME=FILE (names the space, e.g. nb201pre=... for a second "
                        "release), or 'builtin' (the three built-in tables); repeat for several "
                        "(default: builtin, problems NB201-ECG, NB201-MNIST, NB201-NODULE)")
    p.add_argument("--problems", type=_csv,
                   help="comma-separated, e.g. NB201-CF10,nasbench301/cifar10 (default: every task of the files)")


def add_selection_arguments(p: argparse.ArgumentParser) -> None:
    """How the final formula is chosen, and the training-row cap (evolve and validate)."""
    p.add_argument("--select", default="transfer", choices=("transfer", "train"),
                   help="transfer: choose the formula on problems its run did not train on (default); "
                        "train: best Eq. 1 score on the training rows (the paper)")
    p.add_argument("--folds", type=int, default=3,
                   help="with --select transfer: problems are dealt into this many groups, each run holds one out")
    p.add_argument("--fold-by", default="problem", choices=("problem", "space"),
                   help="with --select transfer: deal single problems (default) or whole search spaces into the groups")
    p.add_argument("--parsimony", type=non_negative, default=0.01,
                   help="the smallest formula within this much of the best held-out score wins (default 0.01)")
    p.add_argument("--max-rows", type=int, default=None, metavar="N",
                   help="at most N training rows per problem, a seeded subsample (default: all)")


def _evaluate_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="Kendall tau and Spearman rho of a formula per problem",
                       description="Score a formula (text, a proxy name, or a result.json from evolve or baseline) "
                                   "on benchmark problems: Kendall tau and Spearman rho of its values against "
                                   "the architectures' accuracy, on all rows of each problem.")
    add_data_arguments(p)
    p.add_argument("--formula", required=True, help="formula text, a proxy name, or a result.json")
    p.add_argument("--json", action="store_true", help="print JSON (tau null where a problem lacks a proxy)")
    p.set_defaults(func=_evaluate)


def _evolve(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from .gp import GPConfig
    from .evolve import write_json
    from .report import format_report, plot_convergence
    from .synthesizer import ProxySynthesizer

    from benchmarks_data import builtin

    generations = args.generations
    if generations is None:
        only_builtin = not args.data or args.data == ["builtin"]
        generations = builtin.GENERATIONS if only_builtin else GPConfig.generations
    try:
        config = GPConfig(population=args.population, generations=generations, crossover=args.crossover,
                          subtree_mutation=args.subtree_mutation, hoist_mutation=args.hoist_mutation,
                          point_mutation=args.point_mutation, init_min_depth=args.init_depth[0],
                          init_max_depth=args.init_depth[1], max_depth=args.max_depth,
                          worst_weight=args.worst_weight, balance=args.balance)
    except ValueError as exc:
        raise DataError(str(exc)) from None
    problems = load_training_problems(args.data, args.problems, args.features)
    model = ProxySynthesizer(runs=args.runs, seed=args.seed, test_size=args.test_size, config=config,
                             jobs=args.jobs, scheduler=args.scheduler, out=args.out, select=args.select,
                             folds=args.folds, parsimony=args.parsimony, max_rows=args.max_rows,
                             fold_by=args.fold_by)
    model.check_params()
    make_folder(args.out)
    bar = tqdm(total=args.runs * generations, unit="gen", desc=f"evolve {args.runs} runs",
               disable=args.quiet, file=sys.stderr, dynamic_ncols=True)
    with bar:
        model.progress = bar.update
        model.fit(problems)
    report = model.report_
    write_json(os.path.join(args.out, "result.json"), report)
    plot_convergence(model.results_, os.path.join(args.out, "convergence.png"))
    print(format_report(report))
    print(f"wrote {os.path.join(args.out, 'result.json')} and convergence.png")
    return 0


def _data_and_problems(data: list[str] | None, names: list[str] | None) -> tuple[list[str], list[str]]:
    """The files and problems to use: the built-in benchmark when no file is given, every task of the
    files when no problem is named (the built-in tables by their aliases NB201-ECG, ...)."""
    from benchmarks_data.problems import BUILTIN, expand_data, problem_names

    data = list(data or [BUILTIN])
    return expand_data(data), (names or problem_names(data))


def load_training_problems(data: list[str] | None, problems: list[str] | None,
                           features: list[str] | None = None) -> list:
    """The problems a synthesis reads (``--data``/``--problems``/``--features``), with every proxy
    name checked to be usable in a formula before any run starts."""
    from benchmarks_data.problems import load_problems

    from .primitives import check_feature_names

    paths, names = _data_and_problems(data, problems)
    loaded = load_problems(paths, names, features, per_problem=True)
    try:
        check_feature_names(sorted({f for p in loaded for f in p.features.columns}))
    except ValueError as exc:
        raise DataError(str(exc)) from None
    return loaded


def load_formula(spec: str) -> tuple[Formula, list[str] | None]:
    """A metric from text or from a JSON file (a result.json, or a baseline's metric from ``validate``:
    a formula, or a rank average, which needs the other architectures to score one); also the result's
    problems when there are some."""
    from zc_core.jsonio import load_json

    from .formula import Formula
    from .predictors.ftscorenet.metric import PREFIX

    if spec.startswith(PREFIX):
        from .predictors.ftscorenet.metric import FTScoreNetMetric

        return FTScoreNetMetric(spec[len(PREFIX):]), None
    if spec.endswith(".json") or os.path.isfile(spec):
        if not os.path.isfile(spec):
            raise DataError(f"{spec}: no such file")
        data = load_json(spec)
        if not isinstance(data, dict) or not ("expr" in data or "formula" in data):
            raise DataError(f"{spec}: not a zc-synth result (no 'formula')")
        if data.get("metric") == "rank_average":
            from .baselines import metric_from_dict
            return metric_from_dict(data), None
        formula = Formula.from_json(data) if "expr" in data else Formula(data["formula"])
        problems = list(data["problems"]) if isinstance(data.get("problems"), dict) else None
        return formula, problems
    return Formula(spec), None


def _evaluate(args: argparse.Namespace) -> int:
    from scipy.stats import spearmanr

    from benchmarks_data.problems import load_problems

    from .evolve import kendall
    from .metric_values import metric_values

    formula, from_result = load_formula(args.formula)
    data, names = _data_and_problems(args.data, args.problems or (from_result if args.data else None))
    problems = load_problems(data, names, formula.features or None, per_problem=True)
    out: dict[str, dict] = {}
    for problem in problems:
        lacking = sorted(set(formula.features) - set(problem.features.columns))
        if lacking:
            out[problem.name] = {"tau": None, "spearman": None, "n": len(problem), "lacks": lacking}
            continue
        scores = metric_values(formula, problem.features, problem.archs)
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


class _Parser(argparse.ArgumentParser):
    """argparse with the project's error format: one line on stderr, exit 2 (no usage block)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"zc-synth: error: {self.prog.removeprefix('zc-synth ')}: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="zc-synth", description="Synthesize zero-cost NAS proxy metrics.")
    sub = parser.add_subparsers(dest="command", required=True)
    _evolve_parser(sub)
    _evaluate_parser(sub)
    proxies_parser(sub)
    spaces_parser(sub)
    dataset_parsers(sub)
    search_parser(sub)
    train_parser(sub)
    ensemble_parsers(sub)
    transfer_parsers(sub)
    compare_parser(sub)
    ftscorenet_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except USER_ERRORS as exc:
        print(f"zc-synth: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("zc-synth: interrupted; finished runs are kept, run the same command to resume", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
