"""The zc-synth command line: end-to-end evolve and evaluate, and every bad-input path (one line, exit 2)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from scipy.stats import kendalltau

from synth.cli import main
from conftest import drawn_pixels


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "synth", *args], capture_output=True, text=True)


def test_evolve_writes_result_plot_and_table(toy_files, tmp_path, capsys):
    out = str(tmp_path / "job")
    args = ["evolve", "--problems", "toya/task1,toyn/cifar10", "--runs", "3", "--jobs", "1",
            "--generations", "5", "--population", "20", "--out", out, "--quiet"]
    assert main(args + ["--data", toy_files["toya"], "--data", toy_files["toyn"]]) == 0
    printed = capsys.readouterr().out
    result = json.load(open(os.path.join(out, "result.json")))
    assert {"formula", "latex", "features", "problems", "runs", "hall_of_fame", "elapsed_s"} <= set(result)
    assert set(result["problems"]) == {"toya/task1", "toyn/cifar10"}
    assert set(result["problems"]["toya/task1"]) >= {"n_train", "n_test", "train_tau", "test_tau"}
    assert [set(r) >= {"seed", "formula", "score"} for r in result["runs"]] == [True] * 3
    assert all(set(h) >= {"size", "formula", "score", "test_tau"} for h in result["hall_of_fame"])
    assert drawn_pixels(os.path.join(out, "convergence.png")) > 500
    assert result["formula"] in printed and "alpha" in printed and "test" in printed

    evaluated = _cli("evaluate", "--data", toy_files["toya"], "--data", toy_files["toyn"],
                     "--formula", os.path.join(out, "result.json"), "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    scores = json.loads(evaluated.stdout)["problems"]
    assert set(scores) == {"toya/task1", "toyn/cifar10"}
    assert set(scores["toya/task1"]) == {"tau", "spearman", "n"} and scores["toya/task1"]["n"] == 80

    example = subprocess.run([sys.executable, os.path.join(os.path.dirname(__file__), "..", "examples", "use_formula.py"),
                              os.path.join(out, "result.json"), toy_files["toya"], "toya/task1"],
                             capture_output=True, text=True)
    assert example.returncode == 0, example.stderr
    assert "numpy and torch exports agree" in example.stdout


def test_evaluate_matches_scipy_on_real_data(paper_files):
    done = _cli("evaluate", "--data", paper_files[1], "--formula", "jacov", "--problems", "NB201-CF10", "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)["problems"]["NB201-CF10"]
    from benchmarks_data import load_problems
    (problem,) = load_problems([paper_files[1]], ["NB201-CF10"], ["jacov"])
    assert result["n"] == len(problem)
    assert result["tau"] == pytest.approx(kendalltau(problem.features["jacov"], problem.target)[0], abs=1e-12)


@pytest.mark.parametrize("case", ["missing file", "malformed json", "unknown problem", "unknown proxy",
                                  "syntax error", "few rows", "bad result file", "foreign out"])
def test_bad_input_is_one_line_and_exit_2(case, toy_files, tmp_path):
    bad = tmp_path / "zc_bad.json"
    data = toy_files["toya"]
    formula, problems = "alpha", "toya/task1"
    if case == "missing file":
        data = str(tmp_path / "zc_missing.json")
    elif case == "malformed json":
        bad.write_text('{"task1": {')
        data = str(bad)
    elif case == "unknown problem":
        problems = "NB201-CF1O"
    elif case == "unknown proxy":
        formula = "alpah + beta"
    elif case == "syntax error":
        formula = "alpha +* beta)"
    elif case == "few rows":
        bad.write_text(json.dumps({"t": {f"a{i}": {"val_accuracy": float(i), "alpha": {"score": 1.0 * i}}
                                         for i in range(9)}}))
        data, problems = str(bad), "bad/t"
    elif case == "bad result file":
        bad.write_text('{"nothing": 1}')
        formula = str(bad)
    if case == "foreign out":
        out = str(tmp_path / "job")
        base = ["evolve", "--data", data, "--problems", problems, "--runs", "1", "--generations", "2",
                "--population", "10", "--jobs", "1", "--quiet", "--out", out]
        assert _cli(*base).returncode == 0
        done = _cli(*base[:-2], "--seed", "5", "--out", out)
    else:
        done = _cli("evaluate", "--data", data, "--formula", formula, "--problems", problems)
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("zc-synth: error:") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
