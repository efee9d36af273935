"""Writing files so that a stopped job never leaves half a file: every writer of zc-synth goes through
:func:`atomic_write`, and every JSON file through :func:`write_json`, with one policy for the numbers
JSON cannot hold: a NaN or an infinity is written as ``null`` (strict JSON that any reader parses),
read back as a missing value. :func:`output_format` decides what an output file holds."""
from __future__ import annotations

import json
import math
import os
from typing import Any, Callable

from .errors import DataError


def atomic_write(path: str, write: Callable[[str], None], suffix: str = "") -> None:
    """``write(tmp)`` to a temporary file beside ``path`` (named ``path.tmpPID`` + ``suffix``, for
    writers that insist on an extension), then move it onto ``path`` in one step; on failure the
    temporary file is removed and ``path`` is untouched."""
    tmp = f"{path}.tmp{os.getpid()}{suffix}"
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def json_ready(value: Any) -> Any:
    """``value`` with every non-finite float as None, numpy scalars and arrays as Python numbers and
    lists, and tuples as lists: what :func:`write_json` writes."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, str) else k: json_ready(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):      # numpy scalar or array
        return json_ready(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_json(path: str, data: Any, indent: int | None = 1) -> None:
    """``data`` as strict JSON at ``path``, atomically (NaN and infinities as null)."""
    def dump(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(json_ready(data), handle, indent=indent, allow_nan=False)
    atomic_write(path, dump)


def output_format(path: str, formats: "tuple[str, ...]") -> str:
    """The format of the output file ``path``: its extension (lower case, no dot), which must be one of
    ``formats`` (e.g. ``("json", "csv")``). The one place that decides what an output file holds, so
    ``--out table.txt`` is refused before any work instead of silently written as JSON."""
    ext = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if ext not in formats:
        names = " or ".join(f".{f}" for f in formats)
        raise DataError(f"{path}: unknown output format {('.' + ext) if ext else '(no extension)'}; name a {names} file")
    return ext
