"""The bottom layer of zc-synth: what ``proxies``, ``benchmarks_data`` and ``synth`` all need and
that imports none of them: the one error root (:class:`ZcError`), suggestions and one-line messages,
and the readers of user files (JSON, numpy arrays). Light: no torch, pandas or sympy."""
from __future__ import annotations

from .errors import DataError, ZcError, did_you_mean, first_line

__all__ = ["DataError", "ZcError", "did_you_mean", "first_line"]
