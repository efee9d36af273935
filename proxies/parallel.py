"""Independent jobs on this machine (joblib's loky) or on a Dask cluster, results as they finish.

Every command that spreads work (``proxies``, ``build-benchmark``, ``ensemble``, ``evolve``,
``validate``) goes through :func:`parallel_map`, so ``--jobs`` and ``--scheduler`` mean the same
everywhere. Each job is a module-level function and its arguments, so it pickles for any backend;
results come back in completion order, so a caller saves finished work as it arrives. On a cluster,
Dask reruns the jobs of a worker that is lost mid-run on the remaining workers; results already
returned are not recomputed.
"""
from __future__ import annotations

import os
import threading
from contextlib import nullcontext
from typing import Any, Callable, Iterator, Sequence

from zc_core.errors import DataError

Task = tuple[Callable[..., Any], tuple]

_TORCH_LOCK = threading.Lock()


def _torch_job(fn: Callable[..., Any], args: tuple) -> Any:
    """``fn(*args)`` alone in its worker process, with one torch thread. Seeding, the thread count and
    the allocator settings are process-wide, so two jobs in threads of one Dask worker would disturb
    each other's initial weights; they take turns instead."""
    import torch

    with _TORCH_LOCK:
        torch.set_num_threads(1)
        return fn(*args)


def _one_thread(fn: Callable[..., Any], args: tuple) -> Any:
    """``fn(*args)`` in this process with one torch thread, as in a worker: a spread run left with a
    single task (one member to retrain, one network to resume) gives the numbers a worker would."""
    import torch

    threads = torch.get_num_threads()
    try:
        return _torch_job(fn, args)
    finally:
        torch.set_num_threads(threads)


def parallel_map(tasks: Sequence[Task], jobs: int, scheduler: str | None = None, *,
                 torch_jobs: bool = False) -> Iterator[Any]:
    """Yield ``fn(*args)`` of every task as it ends: in-process for one job, else loky or Dask.

    ``torch_jobs``: the tasks build and run torch networks; away from this process each then runs
    alone in its worker with one torch thread. With ``jobs`` = 1 and no scheduler they run here with
    torch's threads; a spread run clipped to one job (one task left) runs here with one thread, so its
    numbers match the workers' bit for bit."""
    if not tasks:
        return
    spread = jobs > 1 or scheduler is not None
    if scheduler is None:
        jobs = max(1, min(jobs, len(tasks), os.cpu_count() or 1))
    if jobs == 1 and scheduler is None:
        for fn, args in tasks:
            yield _one_thread(fn, args) if torch_jobs and spread else fn(*args)
        return
    if torch_jobs:
        tasks = [(_torch_job, (fn, args)) for fn, args in tasks]
    from joblib import Parallel, delayed, parallel_config

    context: Any = nullcontext()
    client = None
    if scheduler is not None:
        try:
            from dask.distributed import Client
        except ImportError:
            raise DataError("--scheduler needs Dask: pip install 'zc-synth[dask]'") from None
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise DataError(f"cannot reach the Dask scheduler at {scheduler}: {exc}".splitlines()[0]) from None
        context = parallel_config(backend="dask", wait_for_workers_timeout=30)
    try:
        with context:
            parallel = Parallel(n_jobs=jobs, return_as="generator_unordered")
            yield from parallel(delayed(fn)(*args) for fn, args in tasks)
    finally:
        if client is not None:
            client.close()
        else:
            from joblib.externals.loky import get_reusable_executor
            get_reusable_executor().shutdown(wait=True)
