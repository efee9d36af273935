"""``zc-synth train`` and the search features built on it: training one architecture of every space,
resuming a killed training or search to the same result, the time budget, ``--train-final`` and
``--from-search``."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest
import torch

from benchmarks_data.datasets import load_dataset
from benchmarks_data.training import TrainConfig
from zc_core.errors import DataError
from proxies import spaces
from synth.cli import main
from synth.train import TrainJob, train_architecture

TINY = {"nb201": (4, 1), "nb101": (4, 1), "darts": (4, 1), "tnb101_micro": (4, 1), "tnb101_macro": (4, 1)}


@pytest.mark.parametrize("name", spaces.names())
def test_train_one_architecture_of_every_space(name, tiny_ecg, tmp_path, one_thread):
    space = spaces.get(name)
    key = space.key(space.random(1, seed=3)[0])
    width, cells = TINY.get(name, (4, 1))
    job = TrainJob(name, key, width, cells, TrainConfig(epochs=2, batch_size=16))
    doc = train_architecture(job, load_dataset(tiny_ecg), str(tmp_path / "t"), dataset_path=tiny_ecg,
                             progress=False)
    assert doc["space"] == name and doc["arch"] == key and len(doc["curve"]) == 2
    assert 0 <= doc["test_accuracy"] <= 100 and doc["best_epoch"] in (1, 2)
    assert doc["params_m"] > 0 and doc["flops_m"] > 0 and doc["seconds"] > 0
    files = set(os.listdir(tmp_path / "t"))
    assert {"job.json", "train.json", "weights.pt"} <= files and "checkpoint.pt" not in files
    assert ("genotype.png" in files) == (name == "darts")
    weights = torch.load(tmp_path / "t" / "weights.pt", weights_only=True)
    model = space.build(key, dim=1, in_channels=1, num_classes=doc["classes"], width=width, cells=cells)
    model.load_state_dict(weights["state_dict"])


def _kill_after(monkeypatch, epochs: int) -> None:
    """Make the training loop die (as a kill would) right after writing its ``epochs``-th checkpoint."""
    import benchmarks_data.training as training

    real, saved = training._save_checkpoint, []

    def save(*args, **kwargs):
        real(*args, **kwargs)
        saved.append(1)
        if len(saved) == epochs:
            raise KeyboardInterrupt

    monkeypatch.setattr(training, "_save_checkpoint", save)


def test_a_killed_training_resumes_to_the_same_weights_and_result(tiny_ecg, tmp_path, monkeypatch, one_thread):
    dataset = load_dataset(tiny_ecg)
    job = TrainJob("nb201", "(3, 2, 0, 3, 2, 2)", 4, 1, TrainConfig(epochs=4, batch_size=8, seed=5))
    whole = train_architecture(job, dataset, str(tmp_path / "a"), dataset_path=tiny_ecg, progress=False)
    with monkeypatch.context() as patch:
        _kill_after(patch, 2)
        with pytest.raises(KeyboardInterrupt):
            train_architecture(job, dataset, str(tmp_path / "b"), dataset_path=tiny_ecg, progress=False)
    assert not os.path.exists(tmp_path / "b" / "train.json")
    assert torch.load(tmp_path / "b" / "checkpoint.pt", weights_only=True)["epoch"] == 2
    resumed = train_architecture(job, dataset, str(tmp_path / "b"), dataset_path=tiny_ecg, progress=False)
    assert {k: v for k, v in whole.items() if k != "seconds"} == {k: v for k, v in resumed.items() if k != "seconds"}
    a = torch.load(tmp_path / "a" / "weights.pt", weights_only=True)["state_dict"]
    b = torch.load(tmp_path / "b" / "weights.pt", weights_only=True)["state_dict"]
    assert a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    again = train_architecture(job, dataset, str(tmp_path / "b"), dataset_path=tiny_ecg, progress=False)
    assert again == resumed                      # a finished job is read back, not trained again


class _Planted:
    """A pickled object whose unpickling would run code (``os.system``) if the loader allowed it."""

    def __reduce__(self):
        return (os.system, ("touch planted-ran",))


def test_a_planted_checkpoint_that_would_run_code_is_refused_in_one_line(tiny_ecg, tmp_path, monkeypatch,
                                                                          one_thread):
    monkeypatch.chdir(tmp_path)
    dataset = load_dataset(tiny_ecg)
    job = TrainJob("nb201", "(3, 2, 0, 3, 2, 2)", 4, 1, TrainConfig(epochs=2, batch_size=8, seed=5))
    with monkeypatch.context() as patch:
        _kill_after(patch, 1)
        with pytest.raises(KeyboardInterrupt):
            train_architecture(job, dataset, str(tmp_path / "b"), dataset_path=tiny_ecg, progress=False)
    state = torch.load(tmp_path / "b" / "checkpoint.pt", weights_only=True)
    state["history"].append(_Planted())
    torch.save(state, tmp_path / "b" / "checkpoint.pt")
    with pytest.raises(DataError) as error:
        train_architecture(job, dataset, str(tmp_path / "b"), dataset_path=tiny_ecg, progress=False)
    assert "\n" not in str(error.value) and "refused" in str(error.value)
    assert not os.path.exists(tmp_path / "planted-ran")


def test_a_job_folder_refuses_other_settings(tiny_ecg, tmp_path, one_thread, capsys):
    args = ["train", "--arch", "(3, 2, 0, 3, 2, 2)", "--dataset", tiny_ecg, "--width", "4", "--cells", "1",
            "--epochs", "1", "--quiet", "--out", str(tmp_path / "t")]
    assert main(args) == 0
    assert "test accuracy" in capsys.readouterr().out
    before = open(tmp_path / "t" / "train.json").read()
    assert main(args[:-5] + ["--epochs", "2", "--quiet", "--out", str(tmp_path / "t")]) == 2
    assert "other settings" in capsys.readouterr().err
    assert open(tmp_path / "t" / "train.json").read() == before


def test_search_train_final_and_train_from_search_agree(tiny_ecg, tmp_path, one_thread, capsys):
    out = str(tmp_path / "s")
    assert main(["search", "--algo", "random", "--dataset", tiny_ecg, "--metric", "synflow", "--budget", "3",
                 "--width", "4", "--train-final", "1", "--quiet", "--out", out]) == 0
    printed = capsys.readouterr().out
    assert "search wall time" in printed and "test accuracy" in printed
    doc = json.load(open(os.path.join(out, "search.json")))
    final = json.load(open(os.path.join(out, "final", "train.json")))
    assert final["arch"] == doc["runs"][0]["key"] and final["width"] == 4 and final["epochs"] == 1
    assert main(["train", "--from-search", out, "--dataset", tiny_ecg, "--epochs", "1", "--json", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0]) == final


def test_a_killed_live_search_resumes_from_its_log(tiny_ecg, tmp_path, one_thread, capsys):
    args = ["search", "--algo", "aging", "--population", "2", "--tournament", "2", "--dataset", tiny_ecg,
            "--metric", "synflow + nwot", "--budget", "5", "--width", "4", "--quiet", "--space", "tnb101_macro"]
    assert main(args + ["--out", str(tmp_path / "a")]) == 0
    whole = json.load(open(tmp_path / "a" / "search.json"))
    os.makedirs(tmp_path / "b")
    lines = open(tmp_path / "a" / "evaluations.jsonl").read().splitlines()
    assert len(lines) == 5
    for name in ("job.json",):
        with open(tmp_path / "b" / name, "w") as handle:
            handle.write(open(tmp_path / "a" / name).read())
    with open(tmp_path / "b" / "evaluations.jsonl", "w") as handle:     # killed while writing line 4
        handle.write("\n".join(lines[:3]) + "\n" + lines[3][:20])
    capsys.readouterr()
    assert main(args + ["--out", str(tmp_path / "b")]) == 0
    assert "3 read back from the log" in capsys.readouterr().out
    resumed = json.load(open(tmp_path / "b" / "search.json"))
    assert resumed["runs"] == whole["runs"]


def test_the_time_budget_counts_metric_seconds():
    from synth.search.algorithms import get_algorithm
    from synth.search.objective import Objective

    class Slow(Objective):
        """Every architecture's metric "costs" one second (primed, as a resumed log would)."""

        def _evaluate(self, arch):
            return float(sum(arch))

        def __call__(self, arch):
            if arch not in self._cache:
                self.prime(arch, self._evaluate(arch), seconds=1.0)
            return self._cache[arch]

    objective = Slow(spaces.get("nb201"))
    result = get_algorithm("random")(budget=100, seed=0).fit(objective, time_budget=5.5).result_
    assert result.evaluations == 6
    with pytest.raises(ValueError, match="time budget"):
        get_algorithm("random")(budget=100).fit(objective, time_budget=0)
    assert np.isfinite(result.value)


@pytest.mark.parametrize("algo", ["random", "rl", "pmbga", "prune"])
def test_every_live_algorithm_resumes_to_the_same_runs(algo, tiny_ecg, tmp_path, one_thread, capsys):
    args = ["search", "--algo", algo, "--dataset", tiny_ecg, "--metric", "params + nwot", "--budget", "8",
            "--width", "4", "--quiet", "--json"]
    assert main(args + ["--out", str(tmp_path / "a")]) == 0
    whole = json.loads(capsys.readouterr().out)
    lines = open(tmp_path / "a" / "evaluations.jsonl").read().splitlines()
    os.makedirs(tmp_path / "b")
    (tmp_path / "b" / "job.json").write_text((tmp_path / "a" / "job.json").read_text())
    (tmp_path / "b" / "evaluations.jsonl").write_text("\n".join(lines[:len(lines) // 2]) + "\n")
    assert main(args + ["--out", str(tmp_path / "b")]) == 0
    assert json.loads(capsys.readouterr().out)["runs"] == whole["runs"]
