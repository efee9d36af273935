"""TransNAS-Bench-101-Micro cell encodings: the suite's 6-tuple keys, TNB's architecture strings and
NB201-style cell strings (plain Python).

A cell has 4 nodes and 6 edges, each with one of 4 ops, numbered as TNB numbers them (0 none,
1 skip_connect, 2 conv 1x1, 3 conv 3x3). The suite key lists the op of each edge in the order
TNB's string ``64-41414-a_bc_def`` does: (1<-0), (2<-0), (2<-1), (3<-0), (3<-1), (3<-2) (NASLib
formats the key's digits straight into that string).
"""
from __future__ import annotations

import re
from typing import Sequence

from ..base import ArchError, shown

OPS: tuple[str, ...] = ("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3")
"""Op names by TNB code (the suite key's digits)."""
EDGES: tuple[tuple[int, int], ...] = ((1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2))
"""Edges (target, source) in suite key order."""
MACRO_CODE = "41414"
"""TNB's micro backbone: 5 stages, 4 = downsample and double the channels, 1 = keep."""

_TUPLE_KEY = re.compile(r"^[(\[]\s*(-?\d+\s*(?:,\s*-?\d+\s*)*),?\s*[)\]]$")
_TNB_STRING = re.compile(r"^64-41414-(\d)_(\d)(\d)_(\d)(\d)(\d)$")


def parse_key(key: object) -> tuple[int, ...]:
    """The op codes of a suite key ("(1, 0, 0, 2, 1, 0)" or a sequence), a TNB string
    ("64-41414-1_00_210") or a cell string ("|skip_connect~0|+|none~0|none~1|+|...|")."""
    if isinstance(key, str):
        text = key.strip()
        if text.startswith("|"):
            return _from_cell_string(text)
        match = _TNB_STRING.match(text)
        if match:
            codes = [int(g) for g in match.groups()]
        else:
            match = _TUPLE_KEY.match(text) if len(text) <= 300 else None
            if not match:
                raise ArchError(f"not a TransNAS-Bench-101-Micro architecture: {shown(text)} (expected a key like "
                                "'(1, 0, 0, 2, 1, 0)', a TNB string '64-41414-1_00_210' or a cell string)")
            codes = [int(i) for i in re.findall(r"-?\d+", match.group(1))]
    elif isinstance(key, (tuple, list)) and all(isinstance(i, int) and not isinstance(i, bool) for i in key):
        codes = list(key)
    else:
        raise ArchError(f"not a TransNAS-Bench-101-Micro architecture: {shown(repr(key))}")
    if len(codes) != len(EDGES) or not all(0 <= c < len(OPS) for c in codes):
        raise ArchError(f"not a TransNAS-Bench-101-Micro key: {shown(str(tuple(codes)))} (needs 6 op codes 0..3: "
                        "0 none, 1 skip_connect, 2 conv 1x1, 3 conv 3x3)")
    return tuple(codes)


def _from_cell_string(text: str) -> tuple[int, ...]:
    nodes = text.split("+")
    if len(nodes) != 3:
        raise ArchError(f"not a cell string (needs 3 nodes joined by '+'): {shown(text)}")
    codes: list[int] = []
    for target, node in enumerate(nodes, start=1):
        parts = node.strip().strip("|").split("|")
        if len(parts) != target:
            raise ArchError(f"node {target} of {shown(text)} needs {target} inputs, got {len(parts)}")
        for source, part in enumerate(parts):
            op, _, src = part.partition("~")
            if src != str(source) or op not in OPS:
                raise ArchError(f"bad edge {shown(part)} in a TransNAS-Bench-101-Micro cell string: expected "
                                f"'<op>~{source}' with op in {', '.join(OPS)}")
            codes.append(OPS.index(op))
    return tuple(codes)


def key_text(codes: Sequence[int]) -> str:
    """The suite key, e.g. ``(1, 0, 0, 2, 1, 0)``."""
    return str(tuple(int(c) for c in codes))


def tnb_string(codes: Sequence[int]) -> str:
    """TNB's architecture string, e.g. ``64-41414-1_00_210``."""
    a, b, c, d, e, f = codes
    return f"64-{MACRO_CODE}-{a}_{b}{c}_{d}{e}{f}"


def cell_string(codes: Sequence[int]) -> str:
    """The NB201-style cell string, e.g. ``|skip_connect~0|+|none~0|none~1|+|...|``."""
    it = iter(OPS[c] for c in codes)
    return "+".join("|" + "|".join(f"{next(it)}~{s}" for s in range(t)) + "|" for t in (1, 2, 3))
