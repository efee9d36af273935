"""Read NAS-Bench-Suite-Zero files into tidy per-task tables.

Two layouts are accepted:

* official: ``{task: {arch: {"val_accuracy": float, proxy: {"score": float, "time": float}}}}``
* nested pre-release (NB101): ``{space: {task: {arch: {proxy: float, "val_accuracy": float}}}}``

Missing values follow one policy (:func:`mask_missing`): the suite's failure sentinel ``-1e8``,
NaN and +-inf are missing, never scores.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from .builder import CURVE, RESULT_KEYS
from .measures import DECLARED, MEASURES, sign, target_column
from zc_core.errors import DataError
from .join import JoinReport, join_records, split_spec
from zc_core.jsonio import load_json

SENTINEL = -1e8
TARGET = "val_accuracy"
_METADATA = frozenset({"id", "idx", "arch",
                       # training results build-benchmark records (val_accuracy among them): never proxies;
                       # the one --target names is read as the ground truth
                       *RESULT_KEYS, CURVE})
_FILE_NAME = re.compile(r"^zc_(?P<space>.+)\.json$")


def mask_missing(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with the sentinel, NaN and infinities replaced by NaN (= missing)."""
    values = frame.to_numpy(dtype=float, copy=True)
    values[~np.isfinite(values) | (values == SENTINEL)] = np.nan
    return pd.DataFrame(values, index=frame.index, columns=frame.columns)


def _number(value: Any) -> float | None:
    """A proxy value as float: a bare number or ``{"score": number}``; None when it is neither."""
    if isinstance(value, dict):
        value = value.get("score")
    if isinstance(value, Real) and not isinstance(value, bool):
        return float(value)
    return None


@dataclass
class SuiteFile:
    """One suite file: its search space and, per task, the raw architecture records."""

    path: str
    """The file, or ``SUITE+EXTRA...`` for a suite file with extra proxy tables joined on."""
    space: str
    raw: dict[str, dict[str, dict]]
    joins: list[JoinReport] = field(default_factory=list)
    """One report per (extra table, task) joined onto this file (:mod:`benchmarks_data.join`)."""
    measure: str | None = None
    """The measure the table declares as its ground truth (``build-benchmark --measure``), if any."""
    _tables: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def tasks(self) -> list[str]:
        return list(self.raw)

    def target_column(self, target: str = DECLARED) -> str:
        """The record key ``target`` reads here (:func:`benchmarks_data.measures.target_column`)."""
        return target_column(target, self.measure)

    def table(self, task: str, target: str = DECLARED) -> pd.DataFrame:
        """Proxy scores of ``task`` and its ground truth as column ``val_accuracy`` (the record key that
        ``target`` names, negated where lower is better): one row per architecture, NaN = missing."""
        column = self.target_column(target)
        if (task, column) not in self._tables:
            self._tables[task, column] = _records_to_frame(self.raw[task], f"{self.path}: task {task!r}", column)
        return self._tables[task, column]

    def curves(self, task: str) -> pd.DataFrame:
        """Learning curves of ``task``: one row per architecture that has a ``val_curve``, one column per
        epoch (1, 2, ...); an error when no architecture has one (tables built before curves were kept)."""
        rows = {arch: rec[CURVE] for arch, rec in self.raw[task].items()
                if isinstance(rec, dict) and isinstance(rec.get(CURVE), list) and rec[CURVE]}
        if not rows:
            raise DataError(f"{self.path}: task {task!r} has no learning curves ({CURVE!r}); rebuild it with "
                            "zc-synth build-benchmark")
        lengths = {len(c) for c in rows.values()}
        if len(lengths) != 1:
            raise DataError(f"{self.path}: task {task!r} has learning curves of different lengths {sorted(lengths)}")
        frame = pd.DataFrame.from_dict(rows, orient="index", dtype=float)
        frame.columns = range(1, frame.shape[1] + 1)
        frame.index.name = "arch"
        return frame


def _records_to_frame(records: dict[str, Any], where: str, target: str = TARGET) -> pd.DataFrame:
    columns: dict[str, list[float]] = {}
    for row, (arch, record) in enumerate(records.items()):
        if not isinstance(record, dict):
            raise DataError(f"{where}: architecture {arch!r} maps to {type(record).__name__}, expected an object")
        for key, value in record.items():
            if key == target:
                number, key = _number(value), TARGET
                number = None if number is None else sign(target) * number
            else:
                number = None if key in _METADATA else _number(value)
            if number is not None:
                columns.setdefault(key, [math.nan] * len(records))[row] = number
    if not columns:
        raise DataError(f"{where}: no numeric proxy scores or {TARGET!r}")
    frame = pd.DataFrame(columns, index=pd.Index(list(records), name="arch"))
    return mask_missing(frame)


def _detect_layout(data: Any, path: str) -> tuple[str | None, dict]:
    """Return (space from a nested file or None, {task: {arch: record}})."""
    bad = DataError(f"{path}: not a NAS-Bench-Suite-Zero file (expected {{task: {{arch: {{...}}}}}})")
    if not isinstance(data, dict) or not data:
        raise bad
    first = next(iter(data.values()))
    if not isinstance(first, dict) or not first:
        raise bad
    record = next(iter(first.values()))
    if isinstance(record, dict) and (TARGET in record or any(
            isinstance(v, dict) and "score" in v for v in record.values())):
        return None, data
    if isinstance(record, dict) and record:
        inner = next(iter(record.values()))
        if isinstance(inner, dict) and TARGET in inner and len(data) == 1:
            space = next(iter(data))
            return space, first
    raise bad


def proxy_entries(record: dict) -> list[str]:
    """The proxy scores of one architecture record (numbers or ``{"score": ...}``, not metadata nor
    the accuracy)."""
    return [k for k, v in record.items() if k not in _METADATA and k != TARGET and _number(v) is not None]


def _canonical_of(space: str):
    """A key -> canonical architecture function for a registered space's tables, else None."""
    from proxies import spaces

    name = spaces.name_for_table(space)
    return spaces.get(name).parse if name else None


def read_suite(path: str, space: str | None = None) -> SuiteFile:
    """Open a suite file (``PATH``, ``SPACE=PATH``, and ``...+EXTRA`` to join extra proxy tables on).

    The space comes from ``space``, a ``SPACE=`` prefix, the name ``zc_<space>.json`` or the nested key.
    Each ``+EXTRA`` table (suite layout) adds the proxies of its tasks to the same tasks here, row by
    architecture key (:mod:`benchmarks_data.join`); a task of EXTRA this file lacks is an error.
    """
    if space is None and "=" in path and not os.path.isfile(path):
        space, path = path.split("=", 1)
    base, extras = split_spec(path) if not os.path.isfile(path) else (path, [])
    if extras:
        suite = read_suite(base, space)
        canonical = _canonical_of(suite.space)
        for extra_path in extras:
            extra = read_suite(extra_path, suite.space)
            for task, records in extra.raw.items():
                if task not in suite.raw:
                    raise DataError(f"{extra_path}: task {task!r} is not in {base} (tasks there: "
                                    f"{', '.join(suite.tasks)})")
                suite.raw[task], report = join_records(suite.raw[task], records, extra_name=extra_path, task=task,
                                                       proxy_keys=proxy_entries, canonical=canonical)
                suite.joins.append(report)
        suite.path = path
        return suite
    if not os.path.isfile(path):
        raise DataError(f"{path}: no such file")
    data = load_json(path)
    nested_space, tasks = _detect_layout(data, path)
    match = _FILE_NAME.match(os.path.basename(path))
    space = space or (match.group("space") if match else None) or nested_space
    if not space:
        raise DataError(f"{path}: cannot tell its search space; name the file zc_<space>.json or pass SPACE={path}")
    for task, records in tasks.items():
        if not isinstance(records, dict):
            raise DataError(f"{path}: task {task!r} maps to {type(records).__name__}, expected an object")
    return SuiteFile(path=path, space=space, raw=tasks, measure=declared_measure(path))


def declared_measure(path: str) -> str | None:
    """The measure a build-benchmark table declares in its ``<path>.build.json``, else None."""
    settings = f"{path}.build.json"
    if not os.path.isfile(settings):
        return None
    from zc_core.jsonio import load_json_object

    measure = load_json_object(settings, "unreadable build settings").get("measure")
    if measure is not None and measure not in MEASURES:
        raise DataError(f"{settings}: unknown measure {measure!r} (known: {', '.join(MEASURES)})")
    return measure
