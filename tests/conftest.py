"""Shared fixtures: small suite files in both layouts, and the real benchmark data in ../shared."""
from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(os.environ.get("ZC_BENCHMARKS", ROOT.parent / "shared" / "benchmarks"))
PROXIES = ["alpha", "beta", "gamma", "delta"]


def toy_records(n: int, seed: int, nested: bool = False) -> dict[str, dict]:
    """n architectures whose proxies are noisy views of the accuracy (bare floats when nested)."""
    rng = np.random.default_rng(seed)
    accuracy = rng.uniform(50, 95, n)
    records = {}
    for i in range(n):
        record: dict = {"id": i, "val_accuracy": float(accuracy[i])}
        for k, proxy in enumerate(PROXIES):
            value = float(accuracy[i] * (k + 1) + rng.normal(0, 10 * (k + 1)))
            record[proxy] = value if nested else {"score": value, "time": 0.01}
        records[str(tuple(rng.integers(0, 5, 6).tolist()) + (i,))] = record
    return records


@pytest.fixture
def toy_files(tmp_path: Path) -> dict[str, str]:
    """Two official-layout files (spaces toya, toyb) and one nested file (toyn)."""
    files = {}
    for space, seed in (("toya", 1), ("toyb", 2)):
        path = tmp_path / f"zc_{space}.json"
        path.write_text(json.dumps({"task1": toy_records(80, seed), "task2": toy_records(60, seed + 10)}))
        files[space] = str(path)
    nested = tmp_path / "zc_toyn.json"
    nested.write_text(json.dumps({"toyn": {"cifar10": toy_records(70, 5, nested=True)}}))
    files["toyn"] = str(nested)
    return files


NB201_EPOCHS = 10


def nb201_table(path: Path, n: int = 90, seed: int = 0) -> str:
    """n distinct NB201 cells whose proxies are noisy views of the accuracy, each with a saturating curve."""
    rng = np.random.default_rng(seed)
    keys: set[tuple[int, ...]] = set()
    while len(keys) < n:
        keys.add(tuple(int(i) for i in rng.integers(0, 5, 6)))
    records = {}
    for key in sorted(keys):
        final = float(rng.uniform(40, 90))
        rate = float(rng.uniform(0.3, 0.8))
        curve = [final * (1 - np.exp(-rate * e)) + float(rng.normal(0, 0.3)) for e in range(1, NB201_EPOCHS + 1)]
        records[str(key)] = {
            "val_accuracy": final, "val_curve": curve,
            "ntk_cond": {"score": float(200 / final + rng.normal(0, 0.5)), "time": 0.0},
            "grad_norm": {"score": float(final + rng.normal(0, 15)), "time": 0.0},
            "snip": {"score": float(final + rng.normal(0, 25)), "time": 0.0},
            "grasp": {"score": float(final + rng.normal(0, 40)), "time": 0.0},
            "ntk_trace": {"score": float(final + rng.normal(0, 20)), "time": 0.0},
            "params": {"score": float(rng.uniform(0.1, 1.5)), "time": 0.0},
        }
    out = path / "zc_nb201toy.json"
    out.write_text(json.dumps({"toy": records}))
    return str(out)


@pytest.fixture
def nb201_toy(tmp_path: Path) -> str:
    """A 90-row NB201 suite file (problem nb201toy/toy) with curves and the HNAS proxies."""
    return nb201_table(tmp_path)


def bench_file(relative: str) -> str:
    path = BENCH / relative
    if not path.is_file():
        pytest.skip(f"real benchmark data not found at {path} (set ZC_BENCHMARKS)")
    return str(path)


@pytest.fixture
def paper_files() -> list[str]:
    """The paper's three problems: NB101 (pre-release, nested), NB201 (final), NB301 (pre-release)."""
    return [bench_file("suite-zero-prerelease/zc_nasbench101.json"), bench_file("suite-zero/zc_nasbench201.json"),
            bench_file("suite-zero-prerelease/zc_nasbench301.json")]


@pytest.fixture(scope="module")
def tiny_ecg(tmp_path_factory) -> str:
    """A 40-sample ECG dataset file (live searches and builds in the CLI tests)."""
    from benchmarks_data.datasets import save_dataset
    from benchmarks_data.synthetic import make_dataset

    path = str(tmp_path_factory.mktemp("data") / "ecg.npz")
    save_dataset(make_dataset("ecg", 40, seed=0), path)
    return path


@pytest.fixture
def one_thread():
    """One torch thread: the tiny networks gain nothing from more and CI machines may be busy."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def drawn_pixels(path) -> int:
    """Coloured pixels of a picture a command wrote (a channel spread above 0.2): lines, markers,
    heatmap cells and boxes are coloured, while the axes, ticks, text and background are grey, so
    an empty plot counts 0. Every picture test asserts this is well above 0."""
    import matplotlib.image as mpimg
    import numpy as np

    rgb = mpimg.imread(str(path))[..., :3].astype(float)
    return int(((rgb.max(-1) - rgb.min(-1)) > 0.2).sum())
