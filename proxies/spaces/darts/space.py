"""DARTS (NAS-Bench-301) as a :class:`~proxies.spaces.base.Space`: a tuple is the 32 choices
(input, op) x 8 slots of the normal then the reduction cell, each node's two pairs sorted."""
from __future__ import annotations

import operator
from typing import Sequence

from ..base import Arch, ArchError, Space, SuiteConfig
from .encoding import (CHOICES, SIZE, Cells, canonical_cells, cells_from_choices, choices_from_cells,
                       genotype_cells, genotype_string, key_text, parse_text, to_genotype)


class DartsSpace(Space):
    name = "darts"
    suite_names = ("nasbench301",)
    choices = CHOICES
    size = SIZE
    supports = frozenset({"draw"})
    default_width = 8
    default_cells = 5
    width_help = "initial cell channels C (stem 3C, doubled at each reduction cell; the suite used 32)"
    cells_help = "number of cells, reduction cells at 1/3 and 2/3 of them (the suite used 8)"
    description = ("DARTS / NAS-Bench-301 cells: normal and reduction cells of 4 nodes, each summing 2 of 7 ops "
                   "on distinct earlier nodes; stem, N cells, global pool, linear classifier")

    def canonical(self, choices: Sequence[int]) -> Arch:
        return choices_from_cells(canonical_cells(cells_from_choices(self.check_tuple(choices))))

    def parse(self, key: object) -> Arch:
        """A suite key (``[[(input, op) x 8], [(input, op) x 8]]``, as text or a nested sequence; also
        the archs files' tuple form), a 32-int choice tuple, or a DARTS genotype (dict, namedtuple or
        ``Genotype(...)`` text)."""
        value = parse_text(key) if isinstance(key, str) else key
        if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
            value = value.tolist()
        if isinstance(value, dict) or hasattr(value, "normal"):
            return choices_from_cells(canonical_cells(genotype_cells(value)))
        if isinstance(value, (list, tuple)) and len(value) == len(CHOICES) and self._all_ints(value):
            return self.canonical(value)
        if isinstance(value, (list, tuple)) and len(value) == 2:
            return choices_from_cells(canonical_cells(value))
        shown = str(key) if len(str(key)) <= 80 else f"{str(key)[:60]}... ({len(str(key))} characters)"
        raise ArchError(f"not a DARTS architecture: {shown!r} (expected a suite key like "
                        "'[[(0, 0), (1, 5), ...8 pairs], [...8 pairs]]', 32 choices or a genotype)")

    @staticmethod
    def _all_ints(values: Sequence[object]) -> bool:
        try:
            return all(not isinstance(v, bool) and operator.index(v) is not None for v in values)
        except TypeError:
            return False

    def cells(self, arch: Arch) -> Cells:
        """The (normal, reduce) (input, op) pairs of ``arch``."""
        return cells_from_choices(self.canonical(arch))

    def key(self, arch: Arch) -> str:
        return key_text(self.cells(arch))

    def describe(self, arch: Arch) -> str:
        """DARTS' ``Genotype(normal=[(op, input), ...], ...)`` text."""
        return genotype_string(self.cells(arch))

    def genotype(self, arch: Arch) -> dict[str, list[tuple[str, int]]]:
        """``{"normal": [(op_name, input), ...], "reduce": [...]}`` (for drawing cells)."""
        return to_genotype(self.cells(arch))

    def draw(self, arch: "str | Arch", path: str) -> str:
        """The normal and reduction cells as DAGs (as the DARTS paper's figures) in a PNG."""
        from .draw import draw_genotype

        return draw_genotype(self.cells(self.parse(arch) if isinstance(arch, str) else arch), path)

    def suite_config(self, task: str | None = None) -> SuiteConfig:
        if task not in (None, "cifar10"):
            raise ArchError(f"darts has no suite task {task!r}; choose from cifar10")
        return SuiteConfig(input_shape=(3, 32, 32), num_classes=10, width=32, cells=8, task=None)

    def _network(self, arch: Arch, *, dim: int, in_channels: int, num_classes: int, width: int, cells: int,
                 task: str | None):
        from .network import DartsNetwork

        return DartsNetwork(cells_from_choices(arch), dim=dim, in_channels=in_channels, num_classes=num_classes,
                            width=width, layers=cells)


SPACE = DartsSpace()
