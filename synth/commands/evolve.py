"""``zc-synth evolve``: synthesize one metric from benchmark tables (:class:`synth.ProxySynthesizer`)."""
from __future__ import annotations

import argparse
import os
import sys

from proxies.argtypes import fraction, make_folder, out_path, probability
from proxies.argtypes import seed as seed_type
from zc_core.errors import DataError

from .arguments import add_data_arguments, add_fitness_arguments, add_selection_arguments, csv_list


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("evolve", help="synthesize a metric from benchmark tables",
                       description="Synthesize one zero-cost metric that ranks architectures well on all problems.")
    add_data_arguments(p)
    p.add_argument("--features", type=csv_list, help="proxies to use (default: every proxy; each problem uses those "
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
    add_fitness_arguments(p)
    add_selection_arguments(p)
    p.add_argument("--out", type=out_path, required=True, metavar="DIR", help="output folder (result.json, runs/, convergence.png)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from benchmarks_data import builtin
    from zc_core.files import write_json
    from synth.gp import GPConfig
    from synth.inputs import load_training_problems
    from synth.report import format_report, plot_convergence
    from synth.synthesizer import ProxySynthesizer

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
    problems = load_training_problems(args.data, args.problems, args.features, args.target)
    model = ProxySynthesizer(runs=args.runs, seed=args.seed, test_size=args.test_size, config=config,
                             jobs=args.jobs, scheduler=args.scheduler, out=args.out, select=args.select,
                             folds=args.folds, parsimony=args.parsimony, max_rows=args.max_rows,
                             fold_by=args.fold_by)
    model.check_params()
    make_folder(args.out)
    bars: list = []

    def progress(n: int = 1) -> None:            # the bar opens with the first generation, after every check
        if not bars:
            bars.append(tqdm(total=args.runs * generations, unit="gen", desc=f"evolve {args.runs} runs",
                             disable=args.quiet, file=sys.stderr, dynamic_ncols=True))
        bars[0].update(n)

    model.progress = progress
    try:
        model.fit(problems)
    finally:
        for bar in bars:
            bar.close()
    report = model.report_
    write_json(os.path.join(args.out, "result.json"), report)
    plot_convergence(model.results_, os.path.join(args.out, "convergence.png"))
    print(format_report(report))
    print(f"wrote {os.path.join(args.out, 'result.json')} and convergence.png")
    return 0
