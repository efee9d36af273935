"""TransNAS-Bench-101-Micro as a :class:`~proxies.spaces.base.Space`: a tuple is the TNB op code of
each edge in suite key order, so tuples, suite keys and TNB strings share one numbering; every one of
the 4^6 = 4,096 tuples is its own architecture (as in the suite, no cells are merged)."""
from __future__ import annotations

import itertools
from typing import Iterator, Sequence

from ..base import Arch, Space, SuiteConfig
from .. import tnb101_tasks as tasks
from .encoding import EDGES, OPS, cell_string, key_text, parse_key


class TNB101MicroSpace(Space):
    name = "tnb101_micro"
    suite_names = ("transbench101_micro",)
    choices = tuple(OPS for _ in EDGES)
    size = len(OPS) ** len(EDGES)
    supports = frozenset({"enumerate", "tasks", "supernet"})
    tasks = tasks.TASK_NAMES
    default_width = 16
    default_cells = 1
    width_help = "base channels (TNB: 64; 5 stages double them 3 times)"
    cells_help = "cells per stage (TNB: 2; 5 stages)"
    description = ("TransNAS-Bench-101-Micro: NB201-like cells (4 nodes, 6 edges, 4 ops) in TNB's 64-41414 "
                   "backbone, with TNB's 7 task heads")

    def canonical(self, choices: Sequence[int]) -> Arch:
        return self.check_tuple(choices)

    def parse(self, key: object) -> Arch:
        """A suite key (text or a sequence of op codes), a TNB string ``64-41414-a_bc_def`` or a cell string."""
        return parse_key(key)

    def key(self, arch: Arch) -> str:
        return key_text(self.canonical(arch))

    def describe(self, arch: Arch) -> str:
        """The NB201-style cell string with TNB's op names (:func:`.encoding.tnb_string` gives TNB's name)."""
        return cell_string(self.canonical(arch))

    def all(self) -> Iterator[Arch]:
        return iter(itertools.product(range(len(OPS)), repeat=len(EDGES)))

    def suite_config(self, task: str | None = None) -> SuiteConfig:
        """TNB's build: width 64, 2 cells per stage, the task's input and outputs (None: class_scene).
        A network built with a task has that task's outputs, whatever ``num_classes`` says."""
        return tasks.suite_config(task, width=64, cells=2)

    def supernet(self, allowed, spec):
        from .supernet import build_supernet

        return build_supernet(tuple(tuple(int(k) for k in ops) for ops in allowed), spec)

    def _network(self, arch: Arch, *, dim: int, in_channels: int, num_classes: int, width: int, cells: int,
                 task: str | None):
        from .network import TNB101MicroNetwork

        return TNB101MicroNetwork(arch, dim=dim, in_channels=in_channels, num_classes=num_classes, width=width,
                                  cells=cells, task=task)


SPACE = TNB101MicroSpace()
