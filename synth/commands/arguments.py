"""Argument groups and value types that several commands share, in one place (each command's own
options live in its module)."""
from __future__ import annotations

import argparse
import os

from benchmarks_data.measures import DECLARED
from proxies.argtypes import non_negative, positive_int
from zc_core.errors import DataError


WORST_WEIGHT = 0.0
"""``--worst-weight``'s default: :attr:`synth.gp.GPConfig.worst_weight` (a test keeps them equal;
read here without importing the GP engine, so ``--help`` stays light)."""


def csv_list(text: str) -> list[str]:
    """A comma-separated list (empty items dropped)."""
    return [part.strip() for part in text.split(",") if part.strip()]


OUTPUT_ONLY = frozenset({"func", "command", "jobs", "json", "quiet", "out", "verbose", "threads"})
"""Arguments that change how a command reports or how fast it runs, never what it computes."""


def job_signature(args: argparse.Namespace, kind: str, drop: tuple[str, ...] = ()) -> dict:
    """The settings a command's ``--out`` records (``job.json`` or ``FILE.job.json``): every argument
    that changes its result, so a rerun with the same ones may rewrite the output and any other
    command or settings is refused instead of overwriting it."""
    return {"kind": kind, **{k: v for k, v in sorted(vars(args).items())
                             if k not in OUTPUT_ONLY | set(drop) and not callable(v)}}


def claim_out_folder(args: argparse.Namespace, kind: str, drop: tuple[str, ...] = ()) -> None:
    """Make ``args.out`` this command's job folder: refuse (one line, nothing touched) a file, a folder
    of other files or another job's folder, before any work."""
    from zc_core.jobs import claim_folder

    check_out_folder(args.out)
    claim_folder(args.out, job_signature(args, kind, drop), only_ours=True, what=f"zc-synth {kind} job")


def add_threads_argument(p: argparse.ArgumentParser, verbose: bool = True) -> None:
    """``--threads`` (and ``--verbose``, which prints the choice) for commands that run torch."""
    p.add_argument("--threads", type=positive_int, default=None, metavar="N",
                   help="torch threads in this process (default: the cores left free by the work already "
                        "running, from the load average; --jobs workers use one each)")
    if verbose:
        p.add_argument("--verbose", action="store_true", help="print the thread count chosen and why")


def check_out_folder(path: str) -> None:
    """Refuse an ``--out`` that names an existing file where a folder goes."""
    if not path:
        raise DataError("--out must name a folder")
    if os.path.exists(path) and not os.path.isdir(path):
        raise DataError(f"--out {path} exists and is not a folder")


def add_fitness_arguments(p: argparse.ArgumentParser) -> None:
    """``--worst-weight`` and ``--balance``, shared by evolve and validate."""
    p.add_argument("--worst-weight", type=non_negative, default=WORST_WEIGHT, metavar="W",
                   help="fitness = Eq. 1 + W x problems x the worst training problem's normalized tau (default "
                        f"{WORST_WEIGHT:g}: the paper's Eq. 1; 1 transfers better to a new search space, worse to a "
                        "new problem of a known one)")
    p.add_argument("--balance", choices=("problem", "space"), default="problem",
                   help="what Eq. 1 weighs equally: every training problem (default, the paper) or every search "
                        "space (its problems share one weight)")


def add_data_arguments(p: argparse.ArgumentParser) -> None:
    """``--data`` and ``--problems``, shared by evolve, evaluate, validate and report."""
    p.add_argument("--data", action="append", metavar="FILE",
                   help="suite file zc_<space>.json, NAME=FILE (names the space, e.g. nb201pre=... for a second "
                        "release), or 'builtin' (the eleven built-in tables); repeat for several "
                        "(default: builtin, problems NB201-ECG, ..., TNB101-MACRO-MNIST)")
    p.add_argument("--problems", type=csv_list,
                   help="comma-separated, e.g. NB201-CF10,nasbench301/cifar10 (default: every task of the files)")
    add_target_argument(p)


def target_type(text: str) -> str:
    """A ``--target`` value (argparse type): a measure name, with a did-you-mean otherwise."""
    from benchmarks_data.measures import check_target

    try:
        return check_target(text)
    except DataError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--target ")) from None


def add_target_argument(p: argparse.ArgumentParser) -> None:
    """``--target``: which recorded measure is a table's ground truth (every command that reads a table)."""
    p.add_argument("--target", type=target_type, default=DECLARED, metavar="MEASURE",
                   help="ground truth read from each table: 'declared' (default: the table's own measure, e.g. "
                        "val_challenge_f1 for CINC-ECG, val_auc for BREAST; val_accuracy where a table declares "
                        "none, as every suite file) or val_|test_ + accuracy, macro_f1, challenge_f1, auc, "
                        "log_loss (negated: higher is better)")


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


SIZE_DEFAULTS = {
    "small": ("the space's small size, 8 in NB201", "the space's small size, 1 in NB201"),
    "space": ("the space's", "the space's"),
    "search": ("the search's, else the space's small size", "the search's, else the space's small size"),
}
"""What ``--width`` and ``--cells`` default to, by command: the space's small (cheap to train) size,
its full size, or the size a search used."""


def add_size_arguments(p: argparse.ArgumentParser, default: str = "small", mode: str = "") -> None:
    """``--width`` and ``--cells`` (integers >= 1, None = ``default``): the size of the networks that
    build-benchmark, proxies, search, ensemble and train build. ``mode`` prefixes the help (``live mode: ``)."""
    width, cells = SIZE_DEFAULTS[default]
    p.add_argument("--width", type=positive_int, default=None, help=f"{mode}channels of the first stage (default: {width})")
    p.add_argument("--cells", type=positive_int, default=None, help=f"{mode}cells per stage (default: {cells})")
