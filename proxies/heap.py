"""Keep the process's resident memory near what is live: glibc's heap holds on to freed memory.

glibc serves allocations under its mmap threshold from a heap that it rarely returns to the OS and
that fragments when long-lived and short-lived tensors interleave, so a process's peak resident size
can exceed its live tensors by 30-40 %. Both helpers do nothing where the C library is not glibc.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from contextlib import contextmanager
from typing import Iterator

M_MMAP_THRESHOLD = -3
"""mallopt's parameter number for the mmap threshold (malloc.h)."""
LARGE = 4 * 2**20
"""Bytes from which a heavy step's transient tensors get their own mapping (a 64 x 16 x 32 x 32
activation map and up), the threshold :func:`mapped_above` is used with around GraSP's double
backward and the NTK's per-sample backward passes."""
GLIBC_MAX_THRESHOLD = 32 * 2**20
"""The ceiling of glibc's own (dynamic) threshold on 64-bit systems: allocations below it may come from
the heap, as they would without this module."""


@functools.lru_cache(maxsize=1)
def _libc():
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def trim() -> None:
    """Return the heap's free memory to the OS (``malloc_trim``), e.g. after a step freed its tensors."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def peak_rss() -> int:
    """This process's peak resident memory so far, in bytes (0 where the platform cannot tell)."""
    try:
        import resource
    except ImportError:
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


@contextmanager
def mapped_above(nbytes: int) -> Iterator[None]:
    """Inside, every allocation of at least ``nbytes`` gets its own mapping, returned to the OS when
    freed, so large short-lived tensors cannot fragment the heap. Costs page faults: use it only
    around the step whose transient is the process's peak."""
    libc = _libc()
    if libc is None:
        yield
        return
    libc.mallopt(M_MMAP_THRESHOLD, int(nbytes))
    try:
        yield
    finally:
        libc.mallopt(M_MMAP_THRESHOLD, GLIBC_MAX_THRESHOLD)
