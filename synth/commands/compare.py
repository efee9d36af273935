"""``zc-synth compare``: every single proxy, given formulas, a formula synthesized on the trained
architectures, composites, the zero-cost-feature predictor and HNAS, side by side on one problem
when n architectures may be trained."""
from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from zc_core.errors import DataError
from proxies.argtypes import fraction, int_list, out_path, positive_int

from .arguments import add_target_argument, csv_list

DEFAULT_SIZES = "0,10,25,50,100,150"
SHOWN = 10
"""Few-shot and given methods are always shown; single proxies beyond the best are in compare.json only."""


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:

    p = sub.add_parser("compare", help="few-shot comparison on one problem: proxies, formulas, predictor, HNAS",
                       description="On the same random splits (n architectures trained, the same test architectures "
                                   "for every n): test Kendall tau and regret of every single proxy, the given "
                                   "formulas, a formula synthesized on the n, TEACUP and UP-NAS composites, the "
                                   "zero-cost-feature predictor (true or curve-extrapolated labels) and HNAS.")
    p.add_argument("--data", action="append", metavar="FILE",
                   help="suite file, NAME=FILE or 'builtin' (default: builtin); repeat for several")
    p.add_argument("--problem", required=True, help="the problem, e.g. NB201-ECG or NB201-CF10")
    add_target_argument(p)
    p.add_argument("--metric", action="append", metavar="[NAME=]SPEC",
                   help="a formula, result.json or a baseline's metric JSON to compare; repeat")
    p.add_argument("--train-sizes", type=int_list, default=int_list(DEFAULT_SIZES), metavar="N,N,...",
                   help=f"numbers of trained architectures (default {DEFAULT_SIZES})")
    p.add_argument("--seeds", type=positive_int, default=5, help="random splits per train size (default 5)")
    p.add_argument("--methods", type=csv_list, default=None,
                   help="few-shot methods to run (default: all; see compare.json's names)")
    p.add_argument("--synth-runs", type=positive_int, default=8,
                   help="GP runs of the formula synthesized on the trained architectures (default 8)")
    p.add_argument("--generations", type=positive_int, default=50)
    p.add_argument("--population", type=positive_int, default=100)
    p.add_argument("--curve-fraction", type=fraction, default=0.2,
                   help="share of the learning curve observed for extrapolated labels (default 0.2)")
    p.add_argument("--jobs", type=int, default=2, help="splits at once (default 2)")
    p.add_argument("--out", type=out_path, required=True, metavar="DIR", help="compare.json, compare.png, splits/")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def format_table(summary: dict[str, Any], shown: list[str]) -> str:
    """Methods (rows) against train sizes (columns): mean tau +- std, and mean regret in brackets."""
    sizes = summary["train_sizes"]
    width = max(len(name) for name in shown) + 2
    lines = [f"{summary['problem']}: test Kendall tau +- std over seeds (mean regret of the top pick)",
             "method".ljust(width) + "".join(f"n={n}".rjust(24) for n in sizes)]
    for name in shown:
        cells = []
        for n in sizes:
            v = summary["methods"][name].get(str(n))
            cells.append(f"{v['tau_mean']:+.3f}+-{v['tau_std']:.3f} ({v['regret_mean']:5.2f})" if v else "-")
        tag = " *" if name == summary["best_single_proxy"] else ""
        lines.append((name + tag).ljust(width) + "".join(c.rjust(24) for c in cells))
    lines.append("* best single proxy (by mean test tau); other proxies are in compare.json")
    return "\n".join(lines)


def shown_methods(summary: dict[str, Any]) -> list[str]:
    kinds = summary["kinds"]
    order = ["formula", "proxy", "zero-shot", "few-shot"]
    names = [n for n in summary["methods"] if kinds.get(n) != "proxy" or n == summary["best_single_proxy"]]
    return sorted(names, key=lambda n: order.index(kinds.get(n, "few-shot")))


def plot(summary: dict[str, Any], shown: list[str], path: str) -> None:
    """Test tau against n, one line per shown method (zero-shot ones flat, dashed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5))
    colors = plt.get_cmap("tab20").colors   # up to 20 distinct lines (the default cycle repeats after 10)
    for i, name in enumerate(shown):
        points = sorted((int(n), v["tau_mean"], v["tau_std"]) for n, v in summary["methods"][name].items())
        xs, ys, sd = zip(*points)
        style = "--" if summary["kinds"].get(name) != "few-shot" else "-"
        line, = ax.plot(xs, ys, style, marker="o", ms=3, label=name, color=colors[i % len(colors)])
        if summary["kinds"].get(name) == "few-shot":
            ax.fill_between(xs, [y - s for y, s in zip(ys, sd)], [y + s for y, s in zip(ys, sd)],
                            color=line.get_color(), alpha=0.12)
    ax.set_xlabel("trained architectures n")
    ax.set_ylabel("test Kendall tau")
    ax.set_title(f"{summary['problem']}: few-shot comparison")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from benchmarks_data.problems import measures_signature
    from zc_core.jsonio import load_json

    from synth.inputs import load_formula, load_training_problems, metric_name
    from synth.evolve import file_digest
    from zc_core.jobs import claim_folder
    from zc_core.files import write_json
    from proxies.parallel import parallel_map
    from synth.compare.run import all_methods, check_sizes, kinds_of, run_split, summarize, units

    if args.jobs == 0 or args.jobs < -1:
        raise DataError(f"--jobs must be >= 1 or -1 (all cores), got {args.jobs}")
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        raise DataError(f"--out {args.out} exists and is not a folder")
    (problem,) = load_training_problems(args.data, [args.problem], target=args.target)
    metrics: dict[str, Any] = {}
    for spec in args.metric or []:
        name, text = metric_name(spec)
        if name in metrics or name in problem.features.columns:
            raise DataError(f"metric name {name!r} is taken; name it with NAME=SPEC")
        metrics[name] = load_formula(text)[0]
    sizes = check_sizes(problem, args.train_sizes)
    seeds = list(range(args.seeds))
    zero_shot, few_shot = all_methods(problem, metrics, args.methods)
    kinds = kinds_of(zero_shot, few_shot, problem, metrics)
    from benchmarks_data.problems import learning_curves

    curves = learning_curves(problem)
    settings = {"synth_runs": args.synth_runs, "generations": args.generations, "population": args.population,
                "curve_fraction": args.curve_fraction}
    signature = {"kind": "compare", "data": {problem.source: file_digest(problem.source)}, "problem": problem.name,
                 "train_sizes": sizes, "seeds": len(seeds), "methods": list(few_shot),
                 "metrics": {name: str(m) for name, m in metrics.items()}, "settings": settings,
                 **measures_signature([problem])}
    claim_folder(args.out, signature, only_ours=True)
    folder = os.path.join(args.out, "splits")
    os.makedirs(folder, exist_ok=True)

    def path(n: int, seed: int) -> str:
        return os.path.join(folder, f"n{n:05d}_seed{seed:03d}.json")

    done = [load_json(path(n, s)) for n, s in units(sizes, seeds) if os.path.exists(path(n, s))]
    todo = [(n, s) for n, s in units(sizes, seeds) if not os.path.exists(path(n, s))]
    methods = {**zero_shot, **few_shot}
    tasks = [(run_split, (problem, n, sizes[-1], s, methods, curves, settings)) for n, s in todo]
    bar = tqdm(total=len(done) + len(todo), initial=len(done), unit="split", desc=f"compare on {problem.name}",
               disable=args.quiet, file=sys.stderr, dynamic_ncols=True)
    with bar:
        for unit in parallel_map(tasks, args.jobs):
            write_json(path(unit["n"], unit["seed"]), unit)
            done.append(unit)
            bar.update(1)
    summary = summarize(problem.name, sizes, done, kinds)
    summary["test_architectures"] = len(problem) - sizes[-1]
    summary["curves"] = curves is not None
    shown = shown_methods(summary)
    write_json(os.path.join(args.out, "compare.json"), summary)
    plot(summary, shown, os.path.join(args.out, "compare.png"))
    print(format_table(summary, shown))
    for name, reason in summary["unavailable"].items():
        print(f"{name}: not run ({reason})")
    print(f"wrote {os.path.join(args.out, 'compare.json')}, {os.path.join(args.out, 'compare.png')}")
    return 0
