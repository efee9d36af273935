"""The error root of zc-synth and its bad-input type, the input limits they enforce, and the
suggestion their messages carry. Light: imported by every command line."""
from __future__ import annotations

import difflib
from typing import Iterable


class ZcError(ValueError):
    """Every error zc-synth raises for bad input or settings: the message is one line that says what
    is wrong and how to fix it. The command line reports these (and ``OSError``) in one line, exit 2;
    anything else is a bug and keeps its traceback."""


class DataError(ZcError):
    """Bad input data: files, problem names, features, arrays."""


MAX_CLASSES = 100_000
"""Largest class count a label array may imply: a label is a class index, and a huge one is a mistake
that would otherwise allocate an output layer of that size."""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's message ('' when it has none), for one-line error reports."""
    text = str(exc)
    return text.splitlines()[0] if text else ""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice (case aside: 'DARTS' finds 'darts'), or an
    empty string."""
    lower = {str(choice).lower(): choice for choice in choices}
    close = difflib.get_close_matches(word.lower(), list(lower), n=1, cutoff=0.6)
    return f" (did you mean {lower[close[0]]!r}?)" if close else ""


class NotFittedError(ZcError, AttributeError):
    """An estimator used before ``fit``: the one not-fitted error of every zc-synth estimator (an
    ``AttributeError`` too, as scikit-learn's, so ``hasattr`` probes stay quiet)."""


def check_fitted(estimator: object, attribute: str, how: str = "call fit(...) first") -> None:
    """Raise :class:`NotFittedError` unless ``estimator`` has the fitted ``attribute``."""
    if not hasattr(estimator, attribute):
        raise NotFittedError(f"this {type(estimator).__name__} is not fitted: {how}")
