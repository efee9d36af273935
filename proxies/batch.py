"""Score many architectures of a search space: joblib workers on CPU, one process on a GPU.

Results are written as the official NAS-Bench-Suite-Zero layout
``{task: {arch: {proxy: {"score": float|null, "time": float}}}}`` (a failed proxy has a null score
and an ``"error"``) or as CSV (one row per architecture, one column per proxy), so the rest of the
project (``benchmarks_data``, ``zc-synth evolve``) reads them directly.
"""
from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator


from zc_core.errors import DataError
from zc_core.files import atomic_write, output_format, write_json

from .data import ProxyData
from . import heap
from .engine import Score, compute, default_device
from . import spaces
from .spaces import Arch, ArchError, Space


@dataclass(frozen=True)
class NetworkSpec:
    """How to build a network of a search space for the data: space, dimension, channels, classes,
    width and depth (None: the space's default), and the task head (spaces with tasks; None: a
    classifier). ``as_suite``: the network NAS-Bench-Suite-Zero built for the key on ``task``
    (:meth:`~proxies.spaces.base.Space.suite_network`; the other fields are then unused)."""

    dim: int = 2
    in_channels: int = 3
    num_classes: int = 10
    width: int | None = None
    cells_per_stage: int | None = None
    space: str = "nb201"
    task: str | None = None
    as_suite: bool = False

    def build(self, arch: "str | Arch"):
        if self.as_suite:
            return spaces.get(self.space).suite_network(arch, self.task)
        return spaces.get(self.space).build(arch, dim=self.dim, in_channels=self.in_channels,
                                            num_classes=self.num_classes, width=self.width,
                                            cells=self.cells_per_stage, task=self.task)


def parse_archs(spec: str, seed: int = 0, space: "str | Space" = "nb201") -> list[str]:
    """Architectures of ``space`` from ``all``, ``random:N`` or a file with one key per line.

    Each architecture is returned exactly as given (validated), so outputs use the user's keys;
    ``all`` and ``random:N`` give the space's suite keys.
    """
    space = spaces.get(space)
    if spec == "all":
        return [space.key(a) for a in space.all()]
    if spec.startswith("random:"):
        try:
            n = int(spec.split(":", 1)[1])
        except ValueError:
            raise DataError(f"--archs {spec!r}: expected random:N with an integer N") from None
        return [space.key(a) for a in space.random(n, seed)]
    try:
        with open(spec, encoding="utf-8") as f:
            lines = [line.strip() for line in f if line.strip() and not line.lstrip().startswith("#")]
    except OSError as exc:
        raise DataError(f"--archs {spec}: cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise DataError(f"--archs {spec}: not a UTF-8 text file (expected one architecture per line)") from None
    if not lines:
        raise DataError(f"--archs {spec}: the file lists no architectures")
    for number, line in enumerate(lines, 1):
        try:
            space.parse(line)
        except ArchError as exc:
            raise DataError(f"{spec}: architecture {number}: {exc}") from None
    return lines


def _score_one(arch: str, spec: NetworkSpec, proxies, data: ProxyData, device: "str | None", seed: int,
               batch_size: int) -> tuple[str, dict[str, Score], int]:
    scores = compute(lambda: spec.build(arch), proxies, data, device, seed=seed, batch_size=batch_size)
    return arch, scores, heap.peak_rss()


def score_architectures(archs: Iterable[str], spec: NetworkSpec, proxies, data: ProxyData, *,
                        device: "str | None" = None, jobs: int = 1, seed: int = 0, batch_size: int = 64,
                        progress: Callable[[int], None] | None = None, scheduler: str | None = None,
                        peak: Callable[[int], None] | None = None) -> Iterator[tuple[str, dict[str, Score]]]:
    """Yield ``(arch, {proxy: Score})`` for every architecture, in completion order.

    On CPU ``jobs`` processes (joblib) each score whole architectures with one thread; on a GPU the
    architectures run one after another in this process. With ``scheduler`` (a Dask scheduler
    address) every architecture is one task on that cluster's workers, one torch thread each.
    ``peak(bytes)`` gets the peak resident memory of the process that scored each architecture.
    """
    from .parallel import parallel_map

    archs = list(archs)
    resolved = str(device or default_device())
    where = device if scheduler is not None else resolved     # a cluster's workers pick their own default
    tasks = [(_score_one, (a, spec, proxies, data, where, seed, batch_size)) for a in archs]
    for arch, scores, rss in parallel_map(tasks, 1 if resolved.startswith("cuda") else jobs, scheduler,
                                          torch_jobs=True):
        if progress:
            progress(1)
        if peak:
            peak(rss)
        yield arch, scores


def _cell(score: Score) -> dict:
    out = {"score": score.score if math.isfinite(score.score) else None, "time": score.time}
    if score.error:
        out["error"] = score.error
    return out


def write_table(path: str, task: str, results: dict[str, dict[str, Score]]) -> None:
    """Write ``results`` to ``path``: CSV when it ends in ``.csv``, the suite JSON layout for ``.json``."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    if output_format(path, ("json", "csv")) == "json":
        write_json(path, {task: {arch: {name: _cell(s) for name, s in scores.items()}
                                 for arch, scores in results.items()}})
        return

    def write_csv(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(["arch", *next(iter(results.values()), {})])
            for arch, scores in results.items():
                writer.writerow([arch, *("" if not s.ok else repr(s.score) for s in scores.values())])
    atomic_write(path, write_csv)
