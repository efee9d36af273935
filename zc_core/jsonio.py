"""Reading a JSON file as a one-line :class:`DataError` on every kind of bad file (missing,
unreadable, not UTF-8, malformed, or nested so deeply that the parser would recurse out of stack)."""
from __future__ import annotations

import json
import os
from typing import Any

from .errors import DataError, first_line


def load_json(path: str) -> Any:
    """The JSON value in ``path``."""
    if not os.path.isfile(path):
        raise DataError(f"{path}: no such file")
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: malformed JSON ({exc.msg} at line {exc.lineno} column {exc.colno})") from None
    except RecursionError:
        raise DataError(f"{path}: JSON nested too deeply to read") from None
    except (UnicodeDecodeError, OSError) as exc:
        raise DataError(f"{path}: cannot read ({type(exc).__name__}: {first_line(exc)})") from None


def load_json_object(path: str, what: str) -> dict[str, Any]:
    """The JSON object in ``path``; a missing, unreadable or non-object file is a one-line
    :class:`DataError` that starts with ``what`` (what the file was read for)."""
    if not os.path.isfile(path):
        raise DataError(f"{what}: no {os.path.basename(path)} in {os.path.dirname(path) or '.'}")
    try:
        data = load_json(path)
    except DataError as exc:
        raise DataError(f"{what}: {exc}") from None
    if not isinstance(data, dict):
        raise DataError(f"{what}: {path} is not a JSON object")
    return data
