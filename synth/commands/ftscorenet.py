"""``zc-synth ftscorenet fit`` and ``zc-synth ftscorenet score``: train FT-ScoreNet on a table, then
score NB201 cells (or add its scores to a table as a proxy column) with the saved model."""
from __future__ import annotations

import argparse
import os
import sys
import time

from zc_core.errors import DataError
from zc_core.files import atomic_write, output_format, write_json
from proxies.argtypes import make_folder, out_file, positive_float, positive_int
from proxies.argtypes import seed as seed_type

from .arguments import add_threads_argument, job_signature

PROXY_NAME = "ftscorenet"
"""Column name of the scores when ``score --data`` adds them to a table."""


def train_size(text: str) -> float:
    """``--train``: a count (an integer >= 2) or a share of the rows (0 < x < 1)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a count or a fraction, got {text!r}") from None
    if not (0 < value < 1 or (value >= 2 and value == int(value))):
        raise argparse.ArgumentTypeError(f"expected an integer count >= 2 or a fraction in (0, 1), got {text!r}")
    return value


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser("ftscorenet", help="FT-ScoreNet: train a learned zero-shot scorer, score cells with it",
                       description="FT-ScoreNet (Le, Nguyen and Luong): NB201 cells built from one learnable Fourier "
                                   "kernel bank, run on a learnable input and scored by a small MLP trained to rank.")
    actions = p.add_subparsers(dest="action", required=True)
    fit = actions.add_parser("fit", help="train on a table's architectures and accuracies",
                             description="Train FT-ScoreNet on a seeded share of one problem's architectures; report "
                                         "Spearman and Kendall tau on the rest (model.json).")
    fit.add_argument("--data", action="append", metavar="FILE",
                     help="suite file, NAME=FILE or 'builtin' (default: builtin); repeat for several")
    fit.add_argument("--problem", required=True, help="the problem, e.g. NB201-CF10")
    fit.add_argument("--train", type=train_size, default=0.8, metavar="N|FRACTION",
                     help="training architectures: a count or a share of the problem's rows (default 0.8)")
    fit.add_argument("--seed", type=seed_type, default=0, help="seeds the split, the weights and the batches")
    fit.add_argument("--epochs", type=positive_float, default=2.0, help="passes over the training architectures (default 2)")
    fit.add_argument("--dim", type=int, choices=(1, 2, 3),
                     help="dimension of the constructed networks (default: from the space, e.g. nb201-1d -> 1, else 2)")
    fit.add_argument("--width", type=positive_int, default=8, help="channels of the first stage (default 8)")
    fit.add_argument("--cells", type=positive_int, default=1, help="cells per stage (default 1)")
    fit.add_argument("--input-size", type=positive_int, default=16, help="side of the learnable input (default 16)")
    fit.add_argument("--out", type=out_file("pt"), required=True, metavar="MODEL.pt",
                     help="the model; MODEL.json gets the held-out scores")
    fit.add_argument("--quiet", action="store_true", help="no progress bar")
    add_threads_argument(fit)
    fit.set_defaults(action_run=fit_command)
    score = actions.add_parser("score", help="score cells with a saved model, or add the scores to a table",
                               description="Score NB201 cells with a saved FT-ScoreNet: --archs writes a CSV; --data "
                                           f"writes a copy of the table with a {PROXY_NAME!r} proxy on every cell.")
    score.add_argument("--model", required=True, metavar="MODEL.pt")
    what = score.add_mutually_exclusive_group(required=True)
    what.add_argument("--archs", metavar="FILE|all|random:N", help="cells to score (one per line in FILE)")
    what.add_argument("--data", metavar="TABLE", help="a suite table whose cells get a score column")
    score.add_argument("--seed", type=seed_type, default=0, help="seeds random:N")
    score.add_argument("--out", type=out_file("csv", "json"), required=True, metavar="FILE",
                       help="scores.csv (with --archs) or the new table .json (with --data)")
    score.add_argument("--quiet", action="store_true", help="no progress bar")
    add_threads_argument(score)
    score.set_defaults(action_run=score_command)
    return p


def run(args: argparse.Namespace) -> int:
    """``ftscorenet fit`` or ``ftscorenet score``."""
    return args.action_run(args)


def space_dim(space: str) -> int:
    """The dimension a search space's networks work in: ``nb201-1d`` -> 1, ``nb201-3d`` -> 3, else 2."""
    for dim in (1, 3):
        if space.endswith(f"-{dim}d"):
            return dim
    return 2


def _progress(total: int, quiet: bool, unit: str):
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, disable=quiet, file=sys.stderr, dynamic_ncols=True)


def check_space(table_space: str) -> None:
    """FT-ScoreNet encodes NB201 cells (its paper's space): a table of another space is refused."""
    from proxies.spaces import for_table

    space = for_table(table_space)
    if "ftscorenet" not in space.supports:
        raise DataError(f"FT-ScoreNet scores NB201 cells (its paper's space); {table_space!r} is a {space.name} "
                        "table: use a formula or the zero-cost predictor (zc-synth compare) there")


def fit_command(args: argparse.Namespace) -> int:
    import numpy as np
    from scipy.stats import kendalltau, spearmanr

    from benchmarks_data.problems import load_accuracies

    from synth.predictors.ftscorenet.model import FTScoreNetRanker, parse_cells
    from synth.predictors.ftscorenet.scorer import ScorerConfig

    _claim_fit(args, write=False)                       # refuse another job's files before any work
    problem = load_accuracies(args.data or ["builtin"], args.problem)
    check_space(problem.space)
    n = len(problem)
    n_train = int(args.train) if args.train >= 1 else int(round(args.train * n))
    if not 2 <= n_train <= n - 2:
        raise DataError(f"--train {args.train:g} leaves {n_train} training and {n - n_train} test architectures of "
                        f"{n}; both need at least 2")
    cells = np.asarray(parse_cells(problem.archs), dtype=object)
    make_folder(os.path.dirname(args.out) or ".")
    from synth.predictors.ftscorenet.model import split_rows

    train, test = split_rows(n, n_train, args.seed)
    config = ScorerConfig(dim=args.dim or space_dim(problem.space), width=args.width, cells_per_stage=args.cells,
                          input_size=args.input_size)
    model = FTScoreNetRanker(config=config, epochs=args.epochs, seed=args.seed)
    start = time.perf_counter()
    with _progress(model.steps_for(n_train), args.quiet, "step") as bar:
        def progress(step: int, steps: int, loss: float) -> None:
            bar.set_postfix(loss=f"{loss:.3f}", refresh=False)
            bar.update(1)

        model.fit(list(cells[train]), problem.target[train], progress=progress)
    train_time = time.perf_counter() - start
    start = time.perf_counter()
    scores = _predict(model, list(cells[test]), args.quiet)
    score_time = time.perf_counter() - start
    report = {"problem": problem.name, "n_train": int(n_train), "n_test": int(len(test)),
              "test_spearman": float(spearmanr(scores, problem.target[test])[0]),
              "test_kendall": float(kendalltau(scores, problem.target[test])[0]),
              "seed": args.seed, "epochs": args.epochs, "config": config.to_dict(),
              "train_seconds": round(train_time, 1), "score_seconds_per_1000": round(1000 * score_time / len(test), 1),
              "source": problem.source}
    _claim_fit(args, write=True)
    model.save(args.out, **{k: report[k] for k in ("problem", "n_train", "test_spearman", "test_kendall")})
    write_json(os.path.splitext(args.out)[0] + ".json", report)
    print(f"{problem.name}: trained on {n_train} architectures in {train_time:.0f} s; on the other {len(test)}: "
          f"Spearman {report['test_spearman']:.3f}, Kendall tau {report['test_kendall']:.3f}")
    print(f"wrote {args.out} and {os.path.splitext(args.out)[0]}.json")
    return 0


def _claim_fit(args: argparse.Namespace, write: bool) -> None:
    """Claim MODEL.pt and its report MODEL.json: both are this job's or neither exists yet."""
    from zc_core.jobs import claim_file, job_file

    report = os.path.splitext(args.out)[0] + ".json"
    if not os.path.exists(job_file(args.out)) and os.path.exists(report):
        raise DataError(f"--out {args.out}: its report {report} exists and is not an FT-ScoreNet report; "
                        "use another --out")
    claim_file(args.out, job_signature(args, "ftscorenet fit"), "zc-synth FT-ScoreNet model", write=write)


def _claim_score(args: argparse.Namespace, write: bool) -> None:
    """Claim ``ftscorenet score``'s output file (one line, nothing touched, when another job's)."""
    from zc_core.jobs import claim_file

    claim_file(args.out, job_signature(args, "ftscorenet score"), "zc-synth ftscorenet score file", write=write)


def _predict(model, archs: list, quiet: bool):
    with _progress(len(archs), quiet, "cell") as bar:
        return model.predict(archs, progress=bar.update)


def score_command(args: argparse.Namespace) -> int:
    from synth.predictors.ftscorenet.model import FTScoreNetRanker

    wanted = "csv" if args.archs is not None else "json"
    if output_format(args.out, ("csv", "json")) != wanted:
        raise DataError(f"--out {args.out}: {'--archs writes a .csv' if wanted == 'csv' else '--data writes a .json table'}")
    if args.data is not None and os.path.abspath(args.out) == os.path.abspath(args.data):
        raise DataError(f"--out {args.out} is the input table; write the scored copy to another file")
    _claim_score(args, write=False)                     # refuse another job's file before any work
    model = FTScoreNetRanker.load(args.model)
    if args.archs is not None:
        from proxies.batch import parse_archs

        archs = parse_archs(args.archs, args.seed)
        make_folder(os.path.dirname(args.out) or ".")
        scores = _predict(model, archs, args.quiet)
        _claim_score(args, write=True)

        def write_csv(tmp: str) -> None:
            with open(tmp, "w", encoding="utf-8") as handle:
                handle.write(f"arch,{PROXY_NAME}\n")
                handle.writelines(f"\"{arch}\",{float(value)!r}\n" for arch, value in zip(archs, scores))
        atomic_write(args.out, write_csv)
        print(f"scored {len(archs)} cells; wrote {args.out}")
        return 0
    return _score_table(model, args)


def _score_table(model, args: argparse.Namespace) -> int:
    from benchmarks_data.suite import read_suite
    from proxies.spaces.nb201.encoding import ArchError, Cell

    suite = read_suite(args.data)
    check_space(suite.space)
    cells: dict[str, Cell] = {}
    for task, records in suite.raw.items():
        for arch in records:
            try:
                cells.setdefault(arch, Cell.parse(arch))
            except ArchError:
                raise DataError(f"{args.data}: task {task!r} has architecture {arch!r}, which is not a NB201 cell; "
                                "FT-ScoreNet scores NB201 cells only") from None
    make_folder(os.path.dirname(args.out) or ".")
    keys = list(cells)
    values = dict(zip(keys, _predict(model, [cells[k] for k in keys], args.quiet)))
    out = {task: {arch: {**record, PROXY_NAME: {"score": float(values[arch]), "time": None}}
                  for arch, record in records.items()} for task, records in suite.raw.items()}
    _claim_score(args, write=True)
    write_json(args.out, out, indent=None)
    print(f"added {PROXY_NAME!r} to {len(keys)} cells of {len(suite.raw)} task(s); wrote {args.out}")
    return 0
