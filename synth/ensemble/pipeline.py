"""The ensemble stage as one job a Python user can run (``zc-synth ensemble`` is its command line):
check every setting, score the candidates on the user's data (saved as they come, so a stop loses
little), pick the k best distinct ones, train them and the single-architecture baseline (members
already in the folder are reused), and write the report, the per-sample predictions and the coverage
plot."""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any

import numpy as np

from benchmarks_data.builder import finite_or_none
from zc_core.errors import DataError
from zc_core.files import write_json

RUN_FILE = "run.json"
CANDIDATES_FILE = "candidates.json"


@dataclass
class EnsembleJob:
    """The settings of one ensemble run into the folder ``out`` (the options of ``zc-synth ensemble``);
    :meth:`run` does the work and returns the report."""

    dataset: str
    metric: str
    out: str
    space: str = "nb201"
    dim: int | None = None
    candidates: str = "random:200"
    k: int = 5
    epochs: int = 10
    width: int | None = None
    cells: int | None = None
    batch_size: int = 64
    lr: float = 0.05
    proxy_batch: int = 64
    combine: str = "mean"
    uncertainty: str = "auto"
    calibrate: bool = False
    jobs: int = 1
    scheduler: str | None = None
    seed: int = 0
    device: str | None = None
    quiet: bool = True

    def run(self) -> "EnsembleResult":
        """Score, select, train and report; every setting is checked before any work."""
        from proxies import spaces

        from .io import write_predictions
        from .report import build_report, plot_coverage, plot_data

        formula, dataset, candidates = _prepare(self)
        if not self.quiet:
            print(dataset.summary(), file=sys.stderr)
        scores = _score(self, formula, dataset, candidates)
        ensemble, single = _train(self, formula, dataset, _members(scores, self.k, candidates))
        x, y = dataset.split("test")
        space = spaces.get(self.space)
        info = [{"arch": space.describe(space.parse(m.arch)), "key": m.arch, "metric": finite_or_none(m.metric),
                 "seed": m.seed} for m in ensemble.members_]
        member_proba, single_proba = ensemble.member_proba(x), single.member_proba(x)
        doc, samples = build_report(info, member_proba, single_proba, y, self.combine, ensemble.uncertainty_info(),
                                    single.uncertainty_info())
        write_json(os.path.join(self.out, "report.json"), doc)
        write_predictions(os.path.join(self.out, "test_predictions.csv"), samples, y, flag=0.0)
        plot_coverage(plot_data(member_proba, single_proba, y, self.combine, doc), y,
                      os.path.join(self.out, "coverage.png"),
                      f"{dataset.name}: {self.k} distinct architectures vs best architecture x {self.k} seeds "
                      "(test split)")
        return EnsembleResult(report=doc, metric=str(formula), scores=scores, ensemble=ensemble, single=single)


@dataclass
class EnsembleResult:
    """What :meth:`EnsembleJob.run` hands back: the report (``report.json``), the metric, every
    candidate's score, and the two fitted ensembles."""

    report: dict[str, Any]
    metric: str
    scores: dict[str, float]
    ensemble: Any
    single: Any


# ------------------------------------------------------------------------------------- helpers
def _check_run(out: str, settings: dict[str, Any]) -> None:
    """Refuse to mix a run with another one's files; record the settings of a new run."""
    from zc_core.jobs import claim_folder

    claim_folder(out, settings, only_ours=True, marker=RUN_FILE, what="zc-synth ensemble run")


def _load_candidates(out: str) -> dict[str, float]:
    from zc_core.jsonio import load_json_object

    path = os.path.join(out, CANDIDATES_FILE)
    if not os.path.isfile(path):
        return {}
    return {a: (-np.inf if v is None else float(v)) for a, v in load_json_object(path, f"{out}: unreadable candidate scores").items()}


def _save_candidates(out: str, scores: dict[str, float]) -> None:
    write_json(os.path.join(out, CANDIDATES_FILE), {a: finite_or_none(v) for a, v in scores.items()})


# ------------------------------------------------------------------------------------ ensemble
def _prepare(job: "EnsembleJob"):
    """Checks every argument before any work; returns (formula, dataset, candidates kind/value/budget)."""
    from proxies import spaces
    from synth.inputs import load_formula
    from synth.search.live import check_live_metric, load_live_dataset

    from . import uncertainty
    from .candidates import candidate_archs, parse_candidates
    from .combine import COMBINE_RULES
    from .model import dataset_fingerprint

    space = spaces.get(job.space)
    job.space = space.name
    small_width, small_cells = space.small_size()
    job.width = small_width if job.width is None else job.width
    job.cells = small_cells if job.cells is None else job.cells
    if min(job.k, job.epochs, job.width, job.cells, job.batch_size, job.proxy_batch, job.jobs) < 1:
        raise DataError("--k, --epochs, --width, --cells, --batch-size, --proxy-batch and --jobs must be >= 1")
    if job.k < 2:
        raise DataError("--k must be >= 2: an ensemble of one network has no disagreement to rank by")
    if not job.lr > 0:
        raise DataError("--lr must be > 0")
    COMBINE_RULES.get(job.combine)
    uncertainty.check_choice(job.uncertainty)
    kind, value, budget = parse_candidates(job.candidates)
    if kind == "file" and not os.path.isfile(str(value)):
        raise DataError(f"--candidates {value}: no such file (give FILE, random:N or search:ALGO)")
    formula, _ = load_formula(job.metric)
    check_live_metric(formula)
    dataset = load_live_dataset(job.dataset, job.dim)
    if os.path.exists(job.out) and not os.path.isdir(job.out):
        raise DataError(f"--out {job.out} exists and is not a folder")
    if kind != "search":
        listed = len(candidate_archs(job.candidates, job.seed, space.name))
        if listed < job.k:
            raise DataError(f"--k {job.k} needs {job.k} distinct architectures; --candidates {job.candidates} "
                            f"lists {listed}")
    _check_run(job.out, {
        "dataset": dataset.name, "dataset_fingerprint": dataset_fingerprint(dataset), "metric": str(formula),
        **({} if space.name == "nb201" else {"space": space.name}),
        "candidates": job.candidates, "k": job.k, "epochs": job.epochs, "width": job.width, "cells": job.cells,
        "batch_size": job.batch_size, "lr": job.lr, "proxy_batch": job.proxy_batch, "combine": job.combine,
        "seed": job.seed})
    return formula, dataset, (kind, value, budget)


def _score(job: "EnsembleJob", formula, dataset, candidates: tuple) -> dict[str, float]:
    """Every candidate's metric value on this data, saved every 10 cells so a stop loses little."""
    from tqdm import tqdm

    from synth.search.live import LiveObjective
    from .candidates import score_candidates

    kind, value, budget = candidates
    known = _load_candidates(job.out)
    objective = LiveObjective(formula, dataset, width=job.width, cells=job.cells, batch_size=job.proxy_batch,
                              seed=job.seed, device=job.device, space=job.space)
    total = budget if kind == "search" else (value if kind == "random" else None)
    fresh: dict[str, float] = dict(known)
    with tqdm(total=total, desc="score candidates", unit="arch", disable=job.quiet, file=sys.stderr,
              dynamic_ncols=True) as bar:
        def scored(arch: str, v: float) -> None:
            fresh[arch] = v
            bar.update(1)
            if len(fresh) % 10 == 0:
                _save_candidates(job.out, fresh)

        scores = score_candidates(job.candidates, objective, seed=job.seed, known=known, progress=scored,
                                  jobs=job.jobs, scheduler=job.scheduler)
    _save_candidates(job.out, scores)
    return scores


def _members(scores: dict[str, float], k: int, candidates: tuple) -> list[tuple[str, float]]:
    from .candidates import select_members

    kind, value, _ = candidates
    try:
        return select_members(scores, k)
    except DataError as exc:
        if kind != "search":
            raise
        raise DataError(f"{exc}: search:{value} visited too few cells (pruning scores supernets and visits "
                        "few cells); raise its budget, use rl, pmbga, aging or random, or --candidates random:N") from None


def _train(job: "EnsembleJob", formula, dataset, members: list[tuple[str, float]]):
    """The architecture ensemble and the single-architecture baseline (best member, k seeds), fitted
    (members already in --out are reused) and saved."""
    from tqdm import tqdm

    from .model import Ensemble

    common = dict(space=job.space, width=job.width, cells=job.cells, epochs=job.epochs, batch_size=job.batch_size, lr=job.lr,
                  combine=job.combine, device=job.device, jobs=job.jobs, scheduler=job.scheduler, folder=job.out,
                  metric_name=str(formula), uncertainty=job.uncertainty, calibrate=job.calibrate)
    archs, values = [a for a, _ in members], [v for _, v in members]
    ensemble = Ensemble(archs, seeds=job.seed, metrics=values, **common)
    single = Ensemble([archs[0]] * job.k, seeds=[job.seed + i for i in range(job.k)], metrics=[values[0]] * job.k,
                      **common)
    with tqdm(total=2 * job.k, desc="train members", unit="net", disable=job.quiet, file=sys.stderr,
              dynamic_ncols=True) as bar:
        ensemble.fit(dataset, progress=lambda m: bar.update(1))
        single.fit(dataset, progress=lambda m: bar.update(1))
    ensemble.save(job.out, "ensemble.json")
    single.save(job.out, "single_architecture.json")
    return ensemble, single
