"""argparse value types shared by every zc-synth subcommand (the lowest CLI layer, so every package
can use them): a bad value becomes argparse's one-line error with exit status 2."""
from __future__ import annotations

import argparse
import os

MAX_SEED = 2**32 - 1
"""numpy's seeds are 0..2**32-1 (torch accepts more, the splits and samplers do not)."""


def seed(text: str) -> int:
    """A random seed: an integer in 0..2**32-1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid seed {text!r}: give an integer in 0..{MAX_SEED}") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"invalid seed {value}: give an integer in 0..{MAX_SEED}")
    return value


def _int_at_least(text: str, low: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: give an integer >= {low}") from None
    if value < low:
        raise argparse.ArgumentTypeError(f"invalid value {value}: give an integer >= {low}")
    return value


def positive_int(text: str) -> int:
    """An integer >= 1."""
    return _int_at_least(text, 1)


def non_negative_int(text: str) -> int:
    """An integer >= 0."""
    return _int_at_least(text, 0)


def positive_float(text: str) -> float:
    """A finite number > 0 (``nan`` and ``inf`` refused)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: give a number > 0") from None
    if not 0.0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: give a finite number > 0")
    return value


def _finite(text: str, wanted: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: give {wanted}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: give {wanted}")
    return value


def non_negative(text: str) -> float:
    """A finite number >= 0 (a weight, a tolerance)."""
    value = _finite(text, "a finite number >= 0")
    if value < 0:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: give a finite number >= 0")
    return value


def probability(text: str) -> float:
    """A number within 0 and 1, both included (a rate, a share)."""
    value = _finite(text, "a number within 0 and 1")
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"invalid value {text!r}: give a number within 0 and 1")
    return value


FLOAT_TYPES = ("positive_float", "fraction", "non_negative", "probability")
"""The names of this module's number types: every float option of zc-synth uses one of them, so
``nan`` and ``inf`` never reach a command (a test walks the parsers to check it)."""


def int_list(text: str) -> list[int]:
    """Comma-separated integers >= 0, e.g. train sizes ``0,10,25``."""
    try:
        sizes = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None
    if not sizes or min(sizes) < 0:
        raise argparse.ArgumentTypeError(f"expected integers >= 0, got {text!r}")
    return sizes


def fraction(text: str) -> float:
    """A number strictly between 0 and 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"expected a fraction between 0 and 1, got {value}")
    return value


def device(text: str) -> str:
    """A torch device this machine has: ``cpu``, ``cuda`` or ``cuda:N`` (CUDA checked when asked for)."""
    name = text.strip().lower()
    if name == "cpu":
        return name
    if name == "cuda" or (name.startswith("cuda:") and name[5:].isdigit()):
        import torch

        if not torch.cuda.is_available():
            raise argparse.ArgumentTypeError(f"{text}: CUDA is not available on this machine; use --device cpu")
        if ":" in name and int(name[5:]) >= torch.cuda.device_count():
            raise argparse.ArgumentTypeError(f"{text}: this machine has {torch.cuda.device_count()} CUDA device(s)")
        return name
    raise argparse.ArgumentTypeError(f"unknown device {text!r}: use cpu, cuda or cuda:N")


def out_path(text: str) -> str:
    """An output file or folder: a non-empty path (an empty one would write into the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("empty path: name the output file or folder")
    return text


def out_file(*formats: str):
    """An argparse type: an output file whose extension is one of ``formats`` (checked by
    :func:`zc_core.errors.output_format`), e.g. ``out_file("json", "csv")``."""
    def check(text: str) -> str:
        from zc_core.errors import DataError
        from zc_core.files import output_format

        try:
            output_format(out_path(text), formats)
        except DataError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
        return text
    check.__name__ = "out_file"
    return check


def make_folder(path: str, what: str = "--out") -> None:
    """Create ``path`` (and its parents) before any long work, so an unwritable output fails at once
    and in one line, not after progress bars."""
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise OSError(f"cannot create {what} {path}: {exc.strerror or exc}") from None
