"""How many intra-op threads torch gets in one zc-synth process: the cores this process may use
less the work already running on them, so a command on a shared machine (a laptop, a cluster node,
the test suite beside it) does not spin threads on cores other processes hold.

Measured with ``benchmarks/bench_threads.py`` (docs/performance.md): on a busy CPU torch's default of
one thread per core ran a live search 2.7x slower than one thread; on an idle CPU every core is
fastest. Parallel workers (``--jobs``) keep one thread each (:mod:`proxies.parallel`).
"""
from __future__ import annotations

import os


def available_cores() -> int:
    """Cores this process may run on (its CPU affinity, which container and job-scheduler limits set)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                              # macOS, Windows
        return os.cpu_count() or 1


def busy_cores() -> float:
    """Cores other work keeps busy: the one-minute load average (0 where the system has none)."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):
        return 0.0


def choose_threads(cores: int, load: float) -> int:
    """The policy: the cores left free by ``load`` (rounded), at least 1 and at most ``cores``."""
    return max(1, min(cores, int(cores - load + 0.5)))


def set_threads(requested: int | None = None) -> tuple[int, str]:
    """Set torch's intra-op threads to ``requested``, else to ``OMP_NUM_THREADS`` when the user set
    it, else to the policy's choice; returns (threads, why)."""
    import torch

    pinned = os.environ.get("OMP_NUM_THREADS", "")
    if requested is not None:
        threads, why = requested, "--threads"
    elif pinned.isdigit() and int(pinned) > 0:
        threads, why = int(pinned), "OMP_NUM_THREADS"
    else:
        cores, load = available_cores(), busy_cores()
        threads = choose_threads(cores, load)
        why = f"{cores} cores available, load average {load:.1f}"
    torch.set_num_threads(threads)
    return threads, why
