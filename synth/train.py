"""Train one architecture of any registered space on a dataset: the job behind ``zc-synth train``
and ``search --train-final``.

A training job is a folder: ``job.json`` (its settings; a rerun with other settings is refused),
``checkpoint.pt`` after every epoch while it runs (a killed job resumes from its last finished epoch to
the same weights), then ``weights.pt`` (best-validation weights and the input normalization),
``train.json`` (test and validation metrics, best epoch, params, flops, wall time, learning curve) and,
in the DARTS space, ``genotype.png``. The loop is :func:`benchmarks_data.training.train_network`, the one
``build-benchmark`` trains with, so accuracies compare with the tables.
"""
from __future__ import annotations

import copy
import os
import sys
from dataclasses import dataclass
from typing import Any

from benchmarks_data.datasets import Dataset
from zc_core.errors import DataError
from zc_core.files import write_json
from zc_core.jobs import claim_folder
from zc_core.jsonio import load_json
from benchmarks_data.training import TrainConfig


RESULT = "train.json"
WEIGHTS = "weights.pt"
CHECKPOINT = "checkpoint.pt"
GENOTYPE = "genotype.png"


@dataclass(frozen=True)
class TrainJob:
    """One architecture (any form the space parses), the space, the network size (None: the
    space's small size) and the training settings."""

    space: str
    arch: Any
    width: int | None = None
    cells: int | None = None
    config: TrainConfig = TrainConfig()
    task: str | None = None

    def checked(self) -> "TrainJob":
        """This job with the space resolved, the architecture as its suite key and the size filled in;
        :class:`DataError` (an ``ArchError`` for the architecture) naming the first problem."""
        from proxies import spaces

        space = spaces.get(self.space)
        key = space.key(space.parse(self.arch))
        small_width, small_cells = space.small_size()
        width = small_width if self.width is None else self.width
        cells = small_cells if self.cells is None else self.cells
        if width < 1 or cells < 1:
            raise DataError(f"--width and --cells must be >= 1, got {width} and {cells}")
        return TrainJob(space.name, key, width, cells, self.config, self.task)

    def signature(self, dataset: str) -> dict:
        """What ``job.json`` holds: a folder is resumed only by the same job."""
        from dataclasses import asdict

        return {"kind": "train", "space": self.space, "arch": self.arch, "dataset": os.path.abspath(dataset),
                "width": self.width, "cells": self.cells, "task": self.task, **asdict(self.config)}


def training_folder(parent: str, space: str, key: str) -> str:
    """The job folder of one architecture among many (HNAS's trainings): ``parent/<space>-<digest>``."""
    import hashlib

    return os.path.join(parent, f"{space}-{hashlib.sha1(key.encode()).hexdigest()[:12]}")


def finished(folder: str) -> dict | None:
    """The ``train.json`` of a finished job in ``folder``, else None."""
    path = os.path.join(folder, RESULT)
    return load_json(path) if os.path.exists(path) else None


def train_architecture(job: TrainJob, dataset: Dataset, folder: str, *, dataset_path: str,
                       device: str | None = None, progress: bool = True) -> dict:
    """Run (or resume, or return the finished result of) ``job`` in ``folder``; the ``train.json`` document.

    Deterministic for a seed on the CPU with a given thread count, resumed or not.
    """
    import torch
    from tqdm import tqdm

    from benchmarks_data.builder import finite_metrics, finite_or_none
    from benchmarks_data.training import save_atomic, train_network
    from proxies import spaces
    from proxies.measures.flops import count_flops

    job = job.checked()
    space = spaces.get(job.space)
    claim_folder(folder, job.signature(dataset_path), only_ours=True)
    done = finished(folder)
    if done is not None:
        return done
    torch.manual_seed(job.config.seed)
    model = space.build(job.arch, dim=dataset.dim, in_channels=dataset.in_channels,
                        num_classes=dataset.num_classes, width=job.width, cells=job.cells, task=job.task)
    params = sum(p.numel() for p in model.parameters()) / 1e6
    sample = torch.zeros((1, *dataset.sample_shape))
    flops = count_flops(copy.deepcopy(model).eval(), sample)
    if "draw" in space.supports:
        space.draw(job.arch, os.path.join(folder, GENOTYPE))
    bar = tqdm(total=job.config.epochs, unit="epoch", desc=f"train {space.name}", disable=not progress,
               file=sys.stderr, dynamic_ncols=True)
    checkpoint = os.path.join(folder, CHECKPOINT)
    if os.path.exists(checkpoint):
        bar.set_postfix_str("resuming")

    def step(epoch: int, val: dict) -> None:
        bar.n = epoch
        bar.set_postfix(val_acc=f"{100 * val['accuracy']:.2f}")
        bar.refresh()

    with bar:
        result = train_network(model, dataset, job.config, device=device, progress=step, checkpoint=checkpoint)
    save_atomic({"state_dict": result.state_dict, "normalization": result.normalization.to_json()},
                os.path.join(folder, WEIGHTS))
    doc = {
        "space": space.name, "arch": job.arch, "description": space.describe(space.parse(job.arch)),
        "dataset": dataset.name, "dim": dataset.dim, "classes": dataset.num_classes, "task": job.task,
        "width": job.width, "cells": job.cells, "epochs": job.config.epochs, "seed": job.config.seed,
        "device": str(next(model.parameters()).device), "threads": torch.get_num_threads(),
        "params_m": params, "flops_m": flops,
        "test_accuracy": 100.0 * result.test["accuracy"], "val_accuracy": 100.0 * result.val["accuracy"],
        "best_epoch": result.best_epoch,
        "test": finite_metrics(result.test),
        "val": finite_metrics(result.val),
        "seconds": result.seconds,
        "curve": [{"epoch": h["epoch"], "train_loss": finite_or_none(h["train_loss"]),
                   "val_accuracy": 100.0 * h["val_accuracy"]} for h in result.history],
    }
    write_json(os.path.join(folder, RESULT), doc)
    if os.path.exists(checkpoint):
        os.remove(checkpoint)
    return doc


def format_result(doc: dict) -> str:
    """The lines ``zc-synth train`` prints for a ``train.json`` document."""
    return (f"{doc['space']} {doc['arch']}\n"
            f"  test accuracy {doc['test_accuracy']:.2f} % (best validation epoch {doc['best_epoch']} of "
            f"{doc['epochs']}: {doc['val_accuracy']:.2f} %), {doc['params_m']:.3f} M params, "
            f"{doc['flops_m']:.2f} MFLOPs, {doc['seconds']:.1f} s of training")
