"""The seven TransNAS-Bench-101 tasks as NAS-Bench-Suite-Zero built them (plain Python, shared by
the micro and macro spaces): input shape, outputs and the kind of head each task puts on the
encoder."""
from __future__ import annotations

from dataclasses import dataclass

from .base import ArchError, SuiteConfig


@dataclass(frozen=True)
class Task:
    """One task: the suite's input (one sample), its outputs (classes or output channels) and its
    head: ``classify`` (global pool + linear), ``jigsaw`` (9 tiles through one encoder, then pool +
    linear), ``segment`` (conv/deconv decoder to per-pixel logits) or ``generate`` (the Pix2Pix
    decoder to an image)."""

    name: str
    input_shape: tuple[int, ...]
    outputs: int
    head: str

    @property
    def dense(self) -> bool:
        """Whether the head predicts a 2D map (only 2D networks have one)."""
        return self.head in ("segment", "generate")


JIGSAW_TILES = 9
"""Jigsaw puzzles have 9 tiles; the network reads them stacked along channels (9 x 3 = 27)."""

TASKS: dict[str, Task] = {t.name: t for t in (
    Task("class_scene", (3, 256, 256), 63, "classify"),
    Task("class_object", (3, 256, 256), 100, "classify"),
    Task("jigsaw", (3 * JIGSAW_TILES, 64, 64), 1000, "jigsaw"),
    Task("room_layout", (3, 256, 256), 9, "classify"),
    Task("segmentsemantic", (3, 256, 256), 17, "segment"),
    Task("autoencoder", (3, 256, 256), 3, "generate"),
    Task("normal", (3, 256, 256), 3, "generate"),
)}
"""Task name (as in the suite files) -> task. Inputs: 256x256 images (NASLib's Taskonomy loaders),
jigsaw 9 tiles of 64x64 (its loader's crops); outputs: 63 scene / 100 object classes, 9 room-layout
values, 1000 jigsaw permutations, 17 segmentation classes, 3 image channels."""

TASK_NAMES: tuple[str, ...] = tuple(TASKS)


def suite_config(task: str | None, width: int, cells: int) -> SuiteConfig:
    """The suite's build of ``task`` (None: class_scene, the suite's first task)."""
    name = "class_scene" if task is None else task
    if name not in TASKS:
        raise ArchError(f"TransNAS-Bench-101 has no task {task!r}; choose from {', '.join(TASK_NAMES)}")
    spec = TASKS[name]
    return SuiteConfig(input_shape=spec.input_shape, num_classes=spec.outputs, width=width, cells=cells,
                       task=name, extra={"head": spec.head})
