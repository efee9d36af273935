"""benchmarks/teacup_fig1c.py's Figure 1D part on a small table: partial trainings resume from their
cache and give one point per checkpoint."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np

from benchmarks_data import builtin
from benchmarks_data.builder import BuildSpec, build_benchmark
from benchmarks_data.datasets import from_arrays, save_dataset

SPEC = importlib.util.spec_from_file_location("teacup_fig1c", Path(__file__).parent.parent / "benchmarks" / "teacup_fig1c.py")
fig = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(fig)


def _blobs(n: int = 80):
    rng = np.random.default_rng(0)
    y = np.arange(n) % 2
    x = rng.normal(0, 0.5, (n, 1, 6, 6)).astype(np.float32)
    x[y == 0, :, :3, :3] += 1.0
    x[y == 1, :, 3:, 3:] += 1.0
    return from_arrays("blobs", {"train": (x[:48], y[:48]), "val": (x[48:64], y[48:64]), "test": (x[64:], y[64:])})


def test_figure_1d_gives_a_point_per_checkpoint_and_resumes_from_its_cache(tmp_path, monkeypatch):
    data = _blobs()
    npz = tmp_path / "blobs.npz"
    save_dataset(data, str(npz))
    spec = BuildSpec(dataset="blobs", dim=2, in_channels=1, num_classes=2, width=4, cells=1, epochs=2,
                     batch_size=16, seed=0, proxies=("length_distortion", "ntk_cond", "synflow", "zico"))
    archs = ["(1, 2, 3, 0, 4, 1)", "(3, 3, 3, 3, 3, 3)", "(0, 1, 4, 2, 2, 3)", "(4, 4, 1, 2, 3, 0)"]
    build_benchmark(data, archs, spec, str(tmp_path / "zc_nb201-blobs.json"))
    monkeypatch.setattr(builtin, "FOLDER", str(tmp_path))
    monkeypatch.setitem(builtin.TABLES, "TOY-BLOBS", "zc_nb201-blobs.json")
    monkeypatch.setitem(fig.TARGET, "TOY-BLOBS", "test_auc")
    monkeypatch.chdir(tmp_path)
    first = fig.figure_1d("TOY-BLOBS", str(npz), 3, max_epochs=1)
    assert first["n"] == 3 and first["train_samples"] == 48
    assert [p["samples"] for p in first["points"]] == [48]      # one epoch of 48 samples: below the first 64
    cache = tmp_path / "runs" / "fig1c-partial" / "TOY-BLOBS-3-1.json"
    saved = json.loads(cache.read_text())
    assert len(saved["archs"]) == 3
    calls = []
    monkeypatch.setattr("benchmarks_data.training.train_network", lambda *a, **k: calls.append(a))
    again = fig.figure_1d("TOY-BLOBS", str(npz), 3, max_epochs=1)
    assert calls == [] and again["points"] == first["points"]                  # every training read back
    fig.print_1d(again)
