"""Join extra proxy columns onto a suite file's tasks by architecture key (``--data SUITE+EXTRA``).

NAS-Bench-Suite-Zero has 13 proxies; zc-synth computes more (ZiCo, MeCo, SWAP, ...) on the suite's own
architectures (the paper's dataset D). The extra table is in the suite layout (what ``zc-synth
proxies`` writes, or ``benchmarks/dataset_d.py``), one task per suite task it adds to. A row joins
the suite record with the same key: the same text, else the same architecture in the space's
canonical form when exactly one key on each side has it (``(1, 2)`` and ``(1,2)``; NB101's
isomorphic keys are ambiguous and stay unmatched). Nothing is invented: suite rows the extra table
lacks keep their proxies and miss the extra ones, extra rows the suite lacks are left out, and
columns the suite already has keep the suite's values. Each join is described by a
:class:`JoinReport`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

JOIN = "+"
"""Separates a suite file from the extra tables joined onto it in a ``--data`` spec."""


@dataclass(frozen=True)
class JoinReport:
    """What one extra table added to one task of a suite file."""

    extra: str
    task: str
    matched: int
    suite_rows: int
    missing: tuple[str, ...] = ()
    """Suite keys the extra table has no row for."""
    unused: tuple[str, ...] = ()
    """Extra keys that match no suite key."""
    columns: tuple[str, ...] = ()
    """Proxy columns added."""
    kept: tuple[str, ...] = field(default=())
    """Extra columns the suite already has (the suite's values are kept)."""

    def summary(self) -> str:
        text = (f"{self.extra}: task {self.task!r}: {self.matched} of {self.suite_rows} architectures joined "
                f"({', '.join(self.columns) or 'no new column'})")
        if self.missing:
            text += f"; {len(self.missing)} have no row there (e.g. {self.missing[0]})"
        if self.unused:
            text += f"; {len(self.unused)} of its rows match no architecture of the suite file"
        if self.kept:
            text += f"; the suite's own {', '.join(self.kept)} kept"
        return text


def split_spec(spec: str) -> tuple[str, list[str]]:
    """``(suite file, [extra tables])`` of a ``SUITE+EXTRA[+EXTRA...]`` spec."""
    base, *extras = spec.split(JOIN)
    return base, extras


def _match(suite_keys: list[str], extra_keys: list[str], canonical: Callable[[str], object] | None) -> dict[str, str]:
    """suite key -> extra key: the same text, else a canonical form that one key on each side has."""
    extra_set = set(extra_keys)
    pairs = {k: k for k in suite_keys if k in extra_set}
    if canonical is None or len(pairs) == len(suite_keys):
        return pairs

    def forms(keys: list[str]) -> dict[object, list[str]]:
        out: dict[object, list[str]] = {}
        for key in keys:
            try:
                out.setdefault(canonical(key), []).append(key)
            except ValueError:
                continue
        return out
    taken = set(pairs.values())
    left = forms([k for k in suite_keys if k not in pairs])
    right = forms([k for k in extra_keys if k not in taken])
    for form, keys in left.items():
        if len(keys) == 1 and len(right.get(form, ())) == 1:
            pairs[keys[0]] = right[form][0]
    return pairs


def join_records(records: dict[str, dict], extra: dict[str, dict], *, extra_name: str, task: str,
                 proxy_keys: Callable[[dict], list[str]],
                 canonical: Callable[[str], object] | None = None) -> tuple[dict[str, dict], JoinReport]:
    """``records`` (one suite task, ``{arch: record}``) with the proxy entries of ``extra``'s matching
    records added (entries the suite record already has are kept); returns the new records and the
    report. ``proxy_keys(record)`` names a record's proxy entries."""
    pairs = _match(list(records), list(extra), canonical)
    suite_columns = {k for record in records.values() if isinstance(record, dict) for k in proxy_keys(record)}
    added: set[str] = set()
    kept: set[str] = set()
    out: dict[str, dict] = {}
    for key, record in records.items():
        other = extra.get(pairs.get(key, ""), None)
        if not isinstance(record, dict) or not isinstance(other, dict):
            out[key] = record
            continue
        merged = dict(record)
        for name in proxy_keys(other):
            if name in suite_columns:
                kept.add(name)
            else:
                merged[name] = other[name]
                added.add(name)
        out[key] = merged
    used = set(pairs.values())
    report = JoinReport(extra=extra_name, task=task, matched=len(pairs), suite_rows=len(records),
                        missing=tuple(k for k in records if k not in pairs),
                        unused=tuple(k for k in extra if k not in used),
                        columns=tuple(sorted(added)), kept=tuple(sorted(kept)))
    return out, report
