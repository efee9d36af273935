"""argparse value types shared by every zc-synth subcommand (the lowest CLI layer, so every package
can use them): a bad value becomes argparse's one-line error with exit status 2."""
from __future__ import annotations

import argparse

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
