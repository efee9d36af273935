"""TransNAS-Bench-101-Macro encodings: the suite's 6-tuple keys and TNB's architecture strings
(plain Python).

A network is 4 to 6 residual stages, each coded as TNB codes it: 1 keep, 2 double the channels,
3 downsample (halve the maps), 4 both; the suite key pads the codes with 0 to 6 entries, e.g.
``(1, 2, 4, 2, 0, 0)``; TNB writes ``64-1242-basic``. TNB's space (and NASLib's sampler) allows
1 to 4 downsampling stages (codes 3, 4) and 1 to 3 channel-doubling stages (codes 2, 4):
sum over 4, 5, 6 stages of C(n, 1..4) x C(n, 1..3) = 210 + 750 + 2,296 = 3,256 networks.
"""
from __future__ import annotations

import itertools
import re
from typing import Iterator, Sequence

from ..base import ArchError, shown

STAGES: tuple[str, ...] = ("none", "keep", "double", "down", "down_double")
"""Option names by code (0 pads the key after the last stage)."""
POSITIONS = 6
MIN_STAGES, MAX_STAGES = 4, 6
DOWNSAMPLINGS = (1, 4)
"""Allowed range of stages with code 3 or 4."""
DOUBLINGS = (1, 3)
"""Allowed range of stages with code 2 or 4."""

_TUPLE_KEY = re.compile(r"^[(\[]\s*(-?\d+\s*(?:,\s*-?\d+\s*)*),?\s*[)\]]$")
_TNB_STRING = re.compile(r"^64-([0-9]{1,10})-basic$")


def problem(codes: Sequence[int]) -> str | None:
    """Why ``codes`` (6 ints) is not a macro network, or None when it is one."""
    if len(codes) != POSITIONS or any(not 0 <= c < len(STAGES) for c in codes):
        return f"needs {POSITIONS} codes 0..4"
    stages = [c for c in codes if c]
    if any(codes[i] == 0 and codes[i + 1] for i in range(POSITIONS - 1)):
        return "a 0 (padding) before a stage: zeros go only at the end"
    if not MIN_STAGES <= len(stages) <= MAX_STAGES:
        return f"{len(stages)} stages; needs {MIN_STAGES} to {MAX_STAGES}"
    down = sum(c in (3, 4) for c in stages)
    if not DOWNSAMPLINGS[0] <= down <= DOWNSAMPLINGS[1]:
        return f"{down} downsampling stages (codes 3, 4); needs {DOWNSAMPLINGS[0]} to {DOWNSAMPLINGS[1]}"
    double = sum(c in (2, 4) for c in stages)
    if not DOUBLINGS[0] <= double <= DOUBLINGS[1]:
        return f"{double} channel-doubling stages (codes 2, 4); needs {DOUBLINGS[0]} to {DOUBLINGS[1]}"
    return None


def parse_key(key: object) -> tuple[int, ...]:
    """The 6 codes of a suite key ("(1, 2, 4, 2, 0, 0)"; 4 or 5 codes are padded) or a TNB string
    ("64-1242-basic"); shape only (the counting rules are checked by the space)."""
    if isinstance(key, str):
        text = key.strip()
        match = _TNB_STRING.match(text)
        if match:
            codes = [int(c) for c in match.group(1)]
        else:
            match = _TUPLE_KEY.match(text) if len(text) <= 300 else None
            if not match:
                raise ArchError(f"not a TransNAS-Bench-101-Macro architecture: {shown(text)} (expected a key like "
                                "'(1, 2, 4, 2, 0, 0)' or a TNB string '64-1242-basic')")
            codes = [int(i) for i in re.findall(r"-?\d+", match.group(1))]
    elif isinstance(key, (tuple, list)) and all(isinstance(i, int) and not isinstance(i, bool) for i in key):
        codes = list(key)
    else:
        raise ArchError(f"not a TransNAS-Bench-101-Macro architecture: {shown(repr(key))}")
    if not MIN_STAGES <= len(codes) <= POSITIONS:
        raise ArchError(f"not a TransNAS-Bench-101-Macro key: {shown(str(tuple(codes)))} (needs {POSITIONS} codes, "
                        "4 to 6 stages coded 1 keep, 2 double, 3 downsample, 4 both, padded with 0)")
    return tuple(codes) + (0,) * (POSITIONS - len(codes))


def key_text(codes: Sequence[int]) -> str:
    """The suite key, e.g. ``(1, 2, 4, 2, 0, 0)``."""
    return str(tuple(int(c) for c in codes))


def tnb_string(codes: Sequence[int]) -> str:
    """TNB's architecture string, e.g. ``64-1242-basic``."""
    return f"64-{''.join(str(c) for c in codes if c)}-basic"


def all_codes() -> Iterator[tuple[int, ...]]:
    """Every valid code tuple, fewer stages first, then in lexicographic order."""
    for n in range(MIN_STAGES, MAX_STAGES + 1):
        for stages in itertools.product(range(1, len(STAGES)), repeat=n):
            codes = stages + (0,) * (POSITIONS - n)
            if problem(codes) is None:
                yield codes
