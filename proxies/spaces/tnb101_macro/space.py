"""TransNAS-Bench-101-Macro as a :class:`~proxies.spaces.base.Space`: a tuple is the 6 stage codes
(0 pads after the last stage); the valid tuples are exactly the 3,256 networks of TNB's macro space
(see :mod:`.encoding` for the rules), each its own canonical form."""
from __future__ import annotations

from typing import Iterator, Sequence

from ..base import Arch, ArchError, Space, SuiteConfig
from .. import tnb101_tasks as tasks
from .encoding import POSITIONS, STAGES, all_codes, key_text, parse_key, problem, tnb_string


class TNB101MacroSpace(Space):
    name = "tnb101_macro"
    suite_names = ("transbench101_macro",)
    choices = tuple(STAGES for _ in range(POSITIONS))
    size = 3256
    supports = frozenset({"enumerate", "tasks"})
    tasks = tasks.TASK_NAMES
    default_width = 8
    default_cells = 1
    width_help = "base channels (TNB: 64; stages coded 2 or 4 double them)"
    cells_help = "residual blocks per stage (TNB: 2)"
    description = ("TransNAS-Bench-101-Macro: 4-6 residual stages (keep, double channels, downsample, both) "
                   "after TNB's stem, with TNB's 7 task heads")

    def canonical(self, choices: Sequence[int]) -> Arch:
        arch = self.check_tuple(choices)
        why = problem(arch)
        if why:
            raise ArchError(f"not a {self.name} architecture: {arch} ({why})")
        return arch

    def parse(self, key: object) -> Arch:
        """A suite key, padded ("(1, 2, 4, 2, 0, 0)", as the prerelease files write it) or not
        ("(1, 2, 4, 2)", as the final release does), a sequence of codes or a TNB string "64-1242-basic"."""
        return self.canonical(parse_key(key))

    def key(self, arch: Arch) -> str:
        """The final release's key: the stage codes without padding, e.g. ``(1, 2, 4, 2)``."""
        return key_text(c for c in self.canonical(arch) if c)

    def padded_key(self, arch: Arch) -> str:
        """The prerelease files' key: the codes padded with 0 to 6, e.g. ``(1, 2, 4, 2, 0, 0)``."""
        return key_text(self.canonical(arch))

    def describe(self, arch: Arch) -> str:
        return tnb_string(self.canonical(arch))

    def all(self) -> Iterator[Arch]:
        return all_codes()

    def suite_config(self, task: str | None = None) -> SuiteConfig:
        """TNB's build: width 64, 2 blocks per stage, the task's input and outputs (None: class_scene).
        A network built with a task has that task's outputs, whatever ``num_classes`` says."""
        return tasks.suite_config(task, width=64, cells=2)

    def _network(self, arch: Arch, *, dim: int, in_channels: int, num_classes: int, width: int, cells: int,
                 task: str | None):
        from .network import TNB101MacroNetwork

        return TNB101MacroNetwork(arch, dim=dim, in_channels=in_channels, num_classes=num_classes, width=width,
                                  cells=cells, task=task)


SPACE = TNB101MacroSpace()
