"""Problems: one search space + one task, with proxy features and ground-truth accuracy.

A problem is named either by the paper's alias (``NB201-CF10``) or by ``space/task`` with the space
as in the file name ``zc_<space>.json`` (``nasbench201/cifar10``). Output keys keep the name exactly
as the user typed it.
"""
from __future__ import annotations

import math
import os
import zlib
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from . import builtin
from zc_core.errors import DataError, did_you_mean
from .measures import DECLARED
from .suite import TARGET, SuiteFile, read_suite

_TNB_TASKS = {
    "SCENE": "class_scene", "OBJECT": "class_object", "JIGSAW": "jigsaw", "AUTOENC": "autoencoder",
    "ROOM": "room_layout", "NORMAL": "normal", "SEGMENT": "segmentsemantic",
}
ALIASES: dict[str, tuple[str, str]] = {
    "NB101-CF10": ("nasbench101", "cifar10"),
    "NB201-CF10": ("nasbench201", "cifar10"),
    "NB201-CF100": ("nasbench201", "cifar100"),
    "NB201-IMGNT": ("nasbench201", "ImageNet16-120"),
    "NB301-CF10": ("nasbench301", "cifar10"),
    **{f"TNB101-MICRO-{k}": ("transbench101_micro", v) for k, v in _TNB_TASKS.items()},
    **{f"TNB101-MACRO-{k}": ("transbench101_macro", v) for k, v in _TNB_TASKS.items()},
}
ALIASES.update({alias: builtin.space_task(alias) for alias in builtin.TABLES})   # the built-in tables
MIN_ROWS = 10
PRESENT_SHARE = 0.5
"""Per-problem policy: a proxy belongs to a problem when at least half of its rows have it, so a proxy
computed on a few architectures does not cut the problem down to those."""


def resolve_name(name: str) -> tuple[str, str]:
    """``(space, task)`` for an alias (any case) or a ``space/task`` name."""
    alias = ALIASES.get(name.upper())
    if alias:
        return alias
    if "/" in name:
        space, _, task = name.partition("/")
        if space and task:
            return space, task
    raise DataError(f"unknown problem {name!r}{did_you_mean(name.upper(), ALIASES)}: "
                    f"use an alias such as NB201-CF10 or space/task such as nasbench201/cifar10")


@dataclass(frozen=True)
class Problem:
    """Rows of one (space, task) with every used feature present and a known accuracy."""

    name: str
    space: str
    task: str
    archs: np.ndarray
    features: pd.DataFrame
    target: np.ndarray
    n_dropped: int
    source: str
    measure: str = TARGET
    """The record key the ground truth ``target`` was read from (``--target``)."""

    def __len__(self) -> int:
        return len(self.target)

    def split(self, test_size: float = 0.3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
        """Seeded train/test row indices; the same for a (space, task) whatever the other problems."""
        if not 0.0 < test_size < 1.0:
            raise DataError(f"test size must be between 0 and 1, got {test_size}")
        key = zlib.crc32(f"{self.space}/{self.task}".encode())
        order = np.random.default_rng([seed, key]).permutation(len(self))
        n_test = math.ceil(test_size * len(self))
        return np.sort(order[n_test:]), np.sort(order[:n_test])


BUILTIN = "builtin"
"""``--data builtin``: every finished built-in table (NB201-ECG, NB201-MNIST, NB201-NODULE, and the
other spaces' NB101-ECG, DARTS-MNIST, ... once built; :mod:`benchmarks_data.builtin`)."""


def expand_data(paths: Sequence[str]) -> list[str]:
    """The file specs of ``paths`` with ``builtin`` replaced by the built-in tables."""
    out: list[str] = []
    for spec in paths:
        if spec == BUILTIN and not os.path.isfile(spec):
            if any(alias not in builtin.tables() for alias in builtin.CORE):
                raise DataError(f"the built-in benchmark is incomplete in {builtin.FOLDER}; reinstall zc-synth")
            out.extend(builtin.default_paths())
        else:
            out.append(spec)
    return out


def _builtin_aliases() -> dict[str, str]:
    """Path of each built-in table -> its problem alias (NB201-ECG, ...)."""
    return {os.path.join(builtin.FOLDER, f): alias for alias, f in builtin.TABLES.items()}


def _suite_problem_names(suite: SuiteFile) -> list[str]:
    """The problems of one opened file: a built-in table's alias, or ``space/task`` for each task."""
    alias = _builtin_aliases().get(suite.path)
    return [alias] if alias else [f"{suite.space}/{task}" for task in suite.tasks]


def problem_names(paths: Sequence[str]) -> list[str]:
    """Every problem of the files (after ``builtin`` expansion; the built-in tables are not read)."""
    aliases = _builtin_aliases()
    out: list[str] = []
    for path in expand_data(paths):
        out += [aliases[path]] if path in aliases else _suite_problem_names(read_suite(path))
    return out


def _open_files(paths: Sequence[str]) -> dict[str, SuiteFile]:
    files: dict[str, SuiteFile] = {}
    for spec in expand_data(paths):
        suite = read_suite(spec)
        if suite.space in files:
            raise DataError(f"two files hold space {suite.space!r}: {files[suite.space].path} and "
                            f"{suite.path}; pass only one")
        files[suite.space] = suite
    return files


def _table(files: dict[str, SuiteFile], name: str, target: str = DECLARED) -> tuple[pd.DataFrame, SuiteFile, str, str]:
    space, task = resolve_name(name)
    if space not in files and name.upper() in builtin.TABLES:    # a built-in table outside the default, by its alias
        path = os.path.join(builtin.FOLDER, builtin.TABLES[name.upper()])
        if builtin.finished(path):
            files[space] = read_suite(path)
    if space not in files:
        raise DataError(f"problem {name!r} needs space {space!r}, but no --data file holds it "
                        f"(loaded: {', '.join(sorted(files)) or 'none'})")
    suite = files[space]
    if task not in suite.raw:
        raise DataError(f"problem {name!r}: {suite.path} has no task {task!r}{did_you_mean(task, suite.tasks)}"
                        f"; tasks there: {', '.join(suite.tasks)}")
    table = suite.table(task, target)
    if TARGET not in table:
        column = suite.target_column(target)
        if column != TARGET:
            raise DataError(f"problem {name!r}: {suite.path} task {task!r} records no {column!r} (--target "
                            f"{target}); choose another --target or rebuild the table with zc-synth build-benchmark")
        raise DataError(f"problem {name!r}: {suite.path} task {task!r} has proxy scores but no {TARGET!r} "
                        "(ground truth comes from training: see zc-synth build-benchmark)")
    return table, suite, space, task


def _present(table: pd.DataFrame, share: float = 0.0) -> set[str]:
    """Proxies with a value on more than ``share`` of the rows that have an accuracy (and on one at least)."""
    rows = table[table[TARGET].notna()].drop(columns=[TARGET])
    counts = rows.notna().sum()
    return set(counts[(counts > 0) & (counts >= share * len(rows))].index)


def load_problems(paths: Sequence[str], names: Sequence[str] | None = None, features: Sequence[str] | None = None,
                  min_rows: int = MIN_ROWS, *, per_problem: bool = False, target: str = DECLARED) -> list[Problem]:
    """Load the named problems from suite files (``builtin`` in ``paths`` adds the built-in tables);
    ``names=None`` loads every problem of the files (the built-in tables by their aliases NB201-ECG,
    ..., other files as ``space/task``).

    Two feature policies:

    * shared (default): every problem gets the same columns, ``features`` or the proxies present in
      every chosen problem (sorted by name); a requested feature a problem lacks is an error.
    * ``per_problem=True``: a proxy missing from one problem is not removed from the others. Each
      problem keeps the proxies of ``features`` (default: every proxy) that it has on at least
      :data:`PRESENT_SHARE` of its rows; a requested
      feature no problem has is an error. Synthesis then scores a tree only on the problems that
      have all its proxies (see :mod:`synth.fitness`).

    Rows missing a used feature or the accuracy are dropped and counted.

    ``target`` chooses the ground truth (:mod:`benchmarks_data.measures`): ``declared`` (each table's
    own measure; ``val_accuracy`` for a table that declares none) or a record key such as
    ``test_macro_f1``; the problem's ``target`` holds it, negated where lower is better.
    """
    if isinstance(paths, str):
        paths = [paths]
    files = _open_files(paths)
    if names is None:
        names = [name for suite in files.values() for name in _suite_problem_names(suite)]
    elif isinstance(names, str):
        names = [names]
    if not names:
        raise DataError("no problems given")
    if len(set(names)) != len(names):
        raise DataError(f"a problem is named twice in {', '.join(names)}")
    tables = {name: _table(files, name, target) for name in names}
    share = PRESENT_SHARE if per_problem else 0.0
    present = {name: _present(table, share) for name, (table, *_rest) in tables.items()}
    if per_problem:
        every = set().union(*present.values())
        for feature in features or ():
            if feature not in every:
                raise DataError(f"feature {feature!r} is in none of the problems{did_you_mean(feature, every)}")
        wanted = list(dict.fromkeys(features)) if features else sorted(every)
        used = {name: [f for f in wanted if f in present[name]] for name in names}
        for name, own in used.items():
            if not own:
                raise DataError(f"problem {name!r} has none of the features {', '.join(wanted)}")
    elif features:
        for name in names:
            for feature in features:
                if feature not in present[name]:
                    raise DataError(f"feature {feature!r} is not in problem {name!r}"
                                    f"{did_you_mean(feature, present[name])}")
        used = {name: list(dict.fromkeys(features)) for name in names}
    else:
        common = sorted(set.intersection(*present.values()))
        if not common:
            raise DataError(f"problems {', '.join(names)} share no proxy")
        used = {name: common for name in names}
    return [_problem(name, table, suite, space, task, used[name], min_rows, suite.target_column(target))
            for name, (table, suite, space, task) in tables.items()]


def load_accuracies(paths: Sequence[str], name: str, min_rows: int = MIN_ROWS, target: str = DECLARED) -> Problem:
    """One problem with every architecture that has an accuracy and no proxy columns: the rows a
    learned scorer that reads only the architecture (FT-ScoreNet) trains and is judged on."""
    files = _open_files([paths] if isinstance(paths, str) else paths)
    table, suite, space, task = _table(files, name, target)
    return _problem(name, table, suite, space, task, [], min_rows, suite.target_column(target))


def _problem(name: str, table: pd.DataFrame, suite: SuiteFile, space: str, task: str,
             used: list[str], min_rows: int, measure: str = TARGET) -> Problem:
    keep = table[used + [TARGET]].notna().all(axis=1)
    if len(table) < min_rows:
        raise DataError(f"problem {name!r} has only {len(table)} architectures in {suite.path}; a problem needs "
                        f"at least {min_rows} to rank (build a larger table)")
    if keep.sum() < min_rows:
        missing = table[used].isna().sum().sort_values(ascending=False)
        worst = ", ".join(f"{k} ({v} missing)" for k, v in missing.head(3).items() if v)
        raise DataError(f"problem {name!r} has {int(keep.sum())} usable rows (< {min_rows}) with features "
                        f"{','.join(used)}; most missing: {worst or TARGET + ' (the accuracy)'}; choose --features")
    rows = table[keep]
    return Problem(name=name, space=space, task=task, archs=rows.index.to_numpy(),
                   features=rows[used].reset_index(drop=True), target=rows[TARGET].to_numpy(),
                   n_dropped=int((~keep).sum()), source=suite.path, measure=measure)


def measures_signature(problems: Sequence[Problem]) -> dict[str, dict[str, str]]:
    """What a job's settings record of its problems' ground truth: ``{"measures": {problem: measure}}``
    for the problems read by another measure than ``val_accuracy``, else ``{}`` (so job folders of
    earlier versions still resume)."""
    measures = {p.name: p.measure for p in problems if p.measure != TARGET}
    return {"measures": measures} if measures else {}


def learning_curves(problem: "Problem") -> "np.ndarray | None":
    """The problem's curves as an (architectures, epochs) array aligned with its rows, or None."""
    from .suite import read_suite

    try:
        frame = read_suite(problem.source).curves(problem.task)
    except DataError:
        return None
    if not set(problem.archs) <= set(frame.index):
        return None
    return frame.loc[list(problem.archs)].to_numpy(dtype=float)
