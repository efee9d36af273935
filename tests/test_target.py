"""``--target``: every command that reads a benchmark table can rank by another recorded measure,
a table's declared measure is the default, and lower-is-better measures are negated."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from benchmarks_data import load_problems
from synth.cli import main


def _table(folder: Path, n: int = 60) -> str:
    """An NB201 table whose proxy 'acc' follows val_accuracy, 'f1' follows the macro-F1 (validation and
    test) and 'sure' the log-loss; the table declares macro_f1 as its measure."""
    rng = np.random.default_rng(0)
    keys: set[tuple[int, ...]] = set()
    while len(keys) < n:
        keys.add(tuple(int(i) for i in rng.integers(0, 5, 6)))
    accuracy, f1, loss = rng.permutation(n), rng.permutation(n), rng.permutation(n)
    records = {}
    for i, key in enumerate(sorted(keys)):
        records[str(key)] = {
            "val_accuracy": 50.0 + accuracy[i] * 0.5, "test_accuracy": 50.0 + accuracy[i] * 0.5,
            "val_macro_f1": 0.3 + f1[i] / 200, "test_macro_f1": 0.3 + f1[i] / 200,
            "val_log_loss": 0.2 + loss[i] / 100, "test_log_loss": 0.2 + loss[i] / 100, "val_auc": None,
            "acc": {"score": float(accuracy[i]), "time": 0.0}, "f1": {"score": float(f1[i]), "time": 0.0},
            "sure": {"score": float(-loss[i]), "time": 0.0}, "params": {"score": float(rng.uniform()), "time": 0.0},
        }
    path = folder / "zc_nb201-toy.json"
    path.write_text(json.dumps({"toy": records}))
    (folder / "zc_nb201-toy.json.build.json").write_text(json.dumps({"spec": {}, "archs": list(records),
                                                                     "measure": "macro_f1"}))
    return str(path)


@pytest.fixture
def table(tmp_path):
    return _table(tmp_path)


def _tau(capsys, argv) -> float:
    assert main(argv + ["--json"]) == 0
    (entry,) = json.loads(capsys.readouterr().out)["problems"].values()
    return entry["tau"]


def test_the_declared_measure_is_the_default_and_target_picks_another(table, capsys):
    base = ["evaluate", "--data", table]
    assert _tau(capsys, base + ["--formula", "f1"]) == pytest.approx(1.0)              # declared: val_macro_f1
    assert _tau(capsys, base + ["--formula", "acc", "--target", "val_accuracy"]) == pytest.approx(1.0)
    assert _tau(capsys, base + ["--formula", "f1", "--target", "test_macro_f1"]) == pytest.approx(1.0)
    assert _tau(capsys, base + ["--formula", "sure", "--target", "val_log_loss"]) == pytest.approx(1.0)  # negated
    assert abs(_tau(capsys, base + ["--formula", "acc"])) < 0.5
    (problem,) = load_problems([table], target="test_log_loss")
    assert problem.measure == "test_log_loss" and problem.target.max() <= -0.2


def test_a_suite_file_without_a_declared_measure_is_read_by_val_accuracy(table, tmp_path, capsys):
    Path(f"{table}.build.json").unlink()
    assert _tau(capsys, ["evaluate", "--data", table, "--formula", "acc"]) == pytest.approx(1.0)


@pytest.mark.parametrize("command", [
    ["evolve", "--runs", "1", "--generations", "2", "--population", "10", "--jobs", "1", "--quiet"],
    ["validate", "--runs", "1", "--generations", "2", "--population", "10", "--jobs", "1", "--quiet",
     "--baselines", "rank_average"],
    ["report", "--metric", "f1", "--metric", "acc"],
    ["baseline", "rank_average"],
])
def test_every_command_that_reads_tables_takes_target(command, table, tmp_path, capsys):
    suffix = ".json" if command[0] == "baseline" else ""
    argv = command[:1] + ["--data", table, "--data", _second(tmp_path)] + command[1:]
    assert main(argv + ["--out", str(tmp_path / f"o{suffix}"), "--target", "test_macro_f1"]) == 0
    capsys.readouterr()
    bad = main(argv + ["--out", str(tmp_path / f"p{suffix}"), "--target", "test_auc"])   # a column the table lacks
    err = capsys.readouterr().err.strip()
    assert bad == 2 and len(err.splitlines()) == 1 and "test_auc" in err


def _second(tmp_path: Path) -> str:
    folder = tmp_path / "second"
    folder.mkdir(exist_ok=True)
    path = Path(_table(folder))
    renamed = folder / "zc_nb201-toy2.json"
    path.rename(renamed)
    Path(f"{path}.build.json").rename(f"{renamed}.build.json")
    return str(renamed)


def test_lookup_search_reports_the_target_measure(table, tmp_path, capsys):
    argv = ["search", "--algo", "random", "--data", table, "--problem", "nb201-toy/toy", "--metric", "f1",
            "--budget", "60", "--json"]
    assert main(argv + ["--target", "test_macro_f1", "--out", str(tmp_path / "f1")]) == 0
    (run,) = json.loads(capsys.readouterr().out)["runs"]
    assert run["accuracy"] == pytest.approx(0.3 + 59 / 200)           # the best by f1 has the best macro-F1
    assert main(argv + ["--target", "val_accuracy", "--out", str(tmp_path / "acc")]) == 0
    (run,) = json.loads(capsys.readouterr().out)["runs"]
    assert 50.0 <= run["accuracy"] <= 80.0


def test_compare_takes_target(table, tmp_path, capsys):
    argv = ["compare", "--data", table, "--problem", "nb201-toy/toy", "--train-sizes", "0,10", "--seeds", "1",
            "--methods", "synthesized", "--synth-runs", "1", "--generations", "2", "--population", "10",
            "--jobs", "1", "--quiet", "--out", str(tmp_path / "c"), "--target", "test_macro_f1"]
    assert main(argv) == 0
    summary = json.loads((tmp_path / "c" / "compare.json").read_text())
    assert summary["best_single_proxy"] == "f1"
    capsys.readouterr()


def test_an_unknown_target_is_one_line_with_a_suggestion(table, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["evaluate", "--data", table, "--formula", "f1", "--target", "val_macro_f"])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert "did you mean" in err and len(err.splitlines()) == 1
