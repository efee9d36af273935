"""Live mode: the metric computed on the user's data by the proxies engine, one network at a time.

Networks come from :class:`proxies.batch.NetworkSpec` (the space's builder, any registered space), the data from the
dataset's standardized train split, as ``build-benchmark`` scores them. An architecture on which a
proxy the metric reads fails is not evaluable (``-inf``). Values are cached, so repeated runs of a
search on one objective compute each network once.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Callable

import pandas as pd

from benchmarks_data.builder import proxy_data
from benchmarks_data.datasets import Dataset

from ..formula import Formula
from ..metric import reads_architectures
from .objective import Allowed, Objective
from .space import Arch, SearchSpace, get_space

if TYPE_CHECKING:
    from torch import nn

    from ..train import TrainJob


def check_live_metric(formula: Formula) -> None:
    """Live mode computes the proxies the metric reads: it must read some, all known to the engine."""
    from zc_core.errors import DataError
    from proxies.registry import ProxyError, select

    if reads_architectures(formula):
        return
    if not formula.features:
        raise DataError(f"metric {formula} reads no proxy: it cannot rank architectures on your data")
    if getattr(formula, "population", False):
        raise DataError(f"metric {formula} ranks architectures against each other, but live mode scores one "
                        "architecture at a time: use it in lookup mode, or use a formula (e.g. the upnas baseline)")
    try:
        select(formula.features)
    except ProxyError as exc:
        raise DataError(f"live mode: {exc}") from None


def load_live_dataset(path: str, dim: int | None) -> Dataset:
    """The dataset at ``path``, checked against the dimension the user asked for (None: any)."""
    from benchmarks_data.datasets import load_dataset
    from zc_core.errors import DataError

    dataset = load_dataset(path)
    if dim is not None and dim != dataset.dim:
        raise DataError(f"--dim {dim} does not fit {path}: its samples are {dataset.dim}D, "
                        f"shape {dataset.sample_shape}")
    return dataset


class LiveObjective(Objective):
    """``formula`` over the proxies that :func:`proxies.engine.compute` gives on ``dataset``.

    Supernets (pruning) are real modules (:meth:`proxies.spaces.base.Space.supernet`) scored the
    same way; their one criterion is the metric.
    """

    def __init__(self, formula: Formula, dataset: Dataset, *, width: int | None = None, cells: int | None = None,
                 batch_size: int = 64, seed: int = 0, device: str | None = None, train_epochs: int = 8,
                 space: "str | SearchSpace" = "nb201") -> None:
        from proxies.batch import NetworkSpec

        space = get_space(space)
        super().__init__(space)
        small_width, small_cells = space.small_size()
        self.formula = formula
        self.network = NetworkSpec(dim=dataset.dim, in_channels=dataset.in_channels,
                                   num_classes=dataset.num_classes, width=small_width if width is None else width,
                                   cells_per_stage=small_cells if cells is None else cells, space=space.name)
        self.data, _ = proxy_data(dataset)
        self.batch_size = batch_size
        self.seed = seed
        self.device = device
        self.dataset = dataset
        self.train_epochs = train_epochs
        self._proxies: dict[tuple[Arch, str], float] = {}
        self._trained: dict[Arch, float] = {}
        self.on_proxies: Callable[[Arch, dict[str, float]], None] | None = None
        """Called with the proxies :meth:`proxies` computes (not cached ones)."""
        self.train_folder: str | None = None
        """Where :meth:`train` keeps one resumable ``zc-synth train`` job per architecture (None: in memory)."""
        self.dataset_path: str = dataset.name

    def _metric(self, factory: Callable[[], nn.Module]) -> float:
        """The formula over the proxies of the network ``factory`` builds; ``-inf`` when one fails."""
        from proxies.engine import compute

        scores = compute(factory, self.formula.features, self.data, self.device, seed=self.seed,
                         batch_size=self.batch_size)
        if any(not s.ok for s in scores.values()):
            return -math.inf
        value = float(self.formula.evaluate(pd.DataFrame({k: [s.score] for k, s in scores.items()}))[0])
        return value if math.isfinite(value) else -math.inf

    def _evaluate(self, arch: Arch) -> float:
        if reads_architectures(self.formula):
            value = float(self.formula.score_archs([self.space.key(arch)])[0])
            return value if math.isfinite(value) else -math.inf
        return self._metric(lambda: self.network.build(arch))

    def _evaluate_supernet(self, allowed: Allowed) -> dict[str, float]:
        from zc_core.errors import DataError

        if reads_architectures(self.formula):
            raise DataError(f"{self.formula} scores single cells, not supernets: use another --algo than prune")
        return {"metric": self._metric(lambda: self.space.supernet(allowed, self.network))}

    def proxies(self, arch: Arch, names) -> dict[str, float]:
        """The named proxies of one network (NaN where one fails), each computed once."""
        from proxies.engine import compute

        todo = [n for n in names if (arch, n) not in self._proxies]
        if todo:
            scores = compute(lambda: self.network.build(arch), todo, self.data, self.device, seed=self.seed,
                             batch_size=self.batch_size)
            computed = {name: (s.score if s.ok else math.nan) for name, s in scores.items()}
            self.prime_proxies(arch, computed)
            if self.on_proxies:
                self.on_proxies(arch, computed)
        return {n: self._proxies[(arch, n)] for n in names}

    def prime_proxies(self, arch: Arch, values: dict[str, float]) -> None:
        """Record proxies computed earlier (a resumed search)."""
        for name, value in values.items():
            self._proxies[(arch, name)] = float(value)

    def train(self, arch: Arch) -> float:
        """Best validation accuracy (percent) of the network trained ``train_epochs`` epochs with the
        project's training loop (as ``build-benchmark`` and ``zc-synth train`` train), once per
        architecture; in ``train_folder/<digest>`` when set, so a killed search keeps its trainings."""
        from benchmarks_data.training import TrainConfig, train_network

        if arch in self._trained:
            return self._trained[arch]
        config = TrainConfig(epochs=self.train_epochs, seed=self.seed)
        if self.train_folder is None:
            import torch

            torch.manual_seed(self.seed)                     # the initialisation zc-synth train uses
            result = train_network(self.network.build(arch), self.dataset, config, device=self.device)
            self._trained[arch] = 100.0 * float(result.val["accuracy"])
        else:
            from ..train import train_architecture, training_folder

            job = self.train_job(arch, config)
            doc = train_architecture(job, self.dataset, training_folder(self.train_folder, job.space, job.arch),
                                     dataset_path=self.dataset_path, device=self.device, progress=False)
            self._trained[arch] = float(doc["val_accuracy"])
        return self._trained[arch]

    def train_job(self, arch: "Arch | str", config) -> "TrainJob":
        """The ``zc-synth train`` job of one architecture at this objective's network size and head."""
        from ..train import TrainJob

        key = arch if isinstance(arch, str) else self.space.key(arch)
        return TrainJob(self.space.name, key, self.network.width, self.network.cells_per_stage, config,
                        self.network.task)
