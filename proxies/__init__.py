"""Hand-crafted zero-cost proxies for PyTorch networks, computed by one engine that shares work.

>>> from proxies import compute, ProxyData, NB201Network            # doctest: +SKIP
>>> data = ProxyData.gaussian((3, 32, 32))
>>> scores = compute(lambda: NB201Network("|nor_conv_3x3~0|+|none~0|skip_connect~1|+|nor_conv_1x1~0|"
...                                        "avg_pool_3x3~1|nor_conv_3x3~2|"), "all", data)
>>> scores["synflow"].score

Importing this package is light; torch loads with the names below.
"""
from __future__ import annotations

from importlib import import_module

_LAZY = {
    "compute": ".engine", "Score": ".engine", "ProxyData": ".data", "NB201Network": ".spaces.nb201",
    "Cell": ".spaces.nb201", "available": ".registry", "register": ".registry", "PROXIES": ".registry",
    "score_architectures": ".batch", "NetworkSpec": ".batch", "write_table": ".batch",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'proxies' has no attribute {name!r}")
