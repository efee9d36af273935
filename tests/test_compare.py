"""zc-synth compare: splits, per-method scores and the command end to end on a small NB201 table."""
from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks_data.problems import load_problems
from synth.cli import main
from synth.compare.methods import METHODS, Split, Unavailable, extrapolated_labels, observed_epochs
from synth.compare.run import make_split, regret, run_split, zero_shot_methods
from conftest import drawn_pixels

EPOCHS = 10

@pytest.fixture
def table(nb201_toy: str) -> str:
    return nb201_toy


def test_splits_are_nested_and_share_their_test_architectures(table):
    (problem,) = load_problems([table], ["nb201toy/toy"])
    splits = [make_split(problem, n, 40, seed=3, curves=None, settings={}) for n in (0, 10, 40)]
    assert all(np.array_equal(s.test, splits[0].test) for s in splits)
    assert set(splits[1].train) <= set(splits[2].train) and len(splits[1].train) == 10
    assert not set(splits[2].train) & set(splits[2].test) and len(splits[2].test) == len(problem) - 40
    assert not np.array_equal(make_split(problem, 10, 40, 4, None, {}).train, splits[1].train)


def test_regret_is_the_gap_to_the_best_test_accuracy():
    accuracy = np.array([70.0, 90.0, 80.0])
    assert regret(np.array([1.0, 3.0, 2.0]), accuracy) == 0.0
    assert regret(np.array([3.0, 1.0, 2.0]), accuracy) == 20.0
    assert regret(np.array([2.0, 1.0, 2.0]), accuracy) == 20.0        # ties: the first


def test_extrapolated_labels_come_from_the_first_epochs_only():
    assert observed_epochs(10, 0.2) == 2 and observed_epochs(8, 0.2) == 2 and observed_epochs(3, 0.9) == 2
    x = np.arange(1, EPOCHS + 1)
    finals = np.array([50.0, 70.0, 90.0])
    curves = finals[:, None] * (1 - np.exp(-0.5 * x))[None, :]
    labels = extrapolated_labels(curves, np.arange(3), 0.3)
    assert np.argsort(labels).tolist() == [0, 1, 2]
    changed = curves.copy()
    changed[:, 3:] = 0.0                                              # what is not observed cannot matter
    assert np.allclose(extrapolated_labels(changed, np.arange(3), 0.3), labels)
    with pytest.raises(Unavailable, match="no learning curves"):
        extrapolated_labels(None, np.arange(3), 0.2)


def test_every_method_scores_each_test_architecture(table):
    (problem,) = load_problems([table], ["nb201toy/toy"])
    from benchmarks_data.problems import learning_curves

    curves = learning_curves(problem)
    assert curves is not None and curves.shape == (len(problem), EPOCHS)
    methods = {**zero_shot_methods(problem, {}), **METHODS}
    unit = run_split(problem, 30, 40, 0, methods, curves, {"synth_runs": 1, "generations": 3, "population": 20})
    results = unit["results"]
    assert set(results) == set(methods)
    for name, r in results.items():
        assert "tau" in r, (name, r)
        assert -1 <= r["tau"] <= 1 and r["regret"] >= 0
    assert results["predictor[both]"]["tau"] > 0.3            # proxies track the accuracy in this table
    again = run_split(problem, 30, 40, 0, methods, curves, {"synth_runs": 1, "generations": 3, "population": 20})
    assert again == unit                                      # deterministic under the seed


def test_a_method_says_why_it_cannot_run(table):
    (problem,) = load_problems([table], ["nb201toy/toy"], features=["grad_norm", "snip", "params"])
    split = make_split(problem, 5, 40, 0, None, {})
    for name, needle in (("hnas[grad_norm]", "ntk_cond"), ("synthesized", "at least 10"),
                         ("predictor[both]+lce", "learning curves")):
        with pytest.raises(Unavailable, match=needle):
            METHODS[name](split)
    assert isinstance(split, Split)


def test_compare_end_to_end_resumes_and_writes_its_outputs(table, tmp_path, capsys):
    out = tmp_path / "cmp"
    args = ["compare", "--data", table, "--problem", "nb201toy/toy", "--train-sizes", "0,10,30", "--seeds", "2",
            "--methods", "synthesized,teacup,predictor[both],predictor[both]+lce,hnas[grad_norm]",
            "--synth-runs", "1", "--generations", "3", "--population", "20", "--metric", "mine=grad_norm+snip",
            "--jobs", "1", "--quiet", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    summary = json.loads((out / "compare.json").read_text())
    assert summary["problem"] == "nb201toy/toy" and summary["train_sizes"] == [0, 10, 30]
    assert summary["best_single_proxy"] in {"ntk_cond", "grad_norm", "snip", "grasp", "ntk_trace", "params"}
    methods = summary["methods"]
    assert set(methods["mine"]) == {"0", "10", "30"} and set(methods["predictor[both]"]) == {"10", "30"}
    for cell in methods["predictor[both]+lce"].values():
        assert set(cell) >= {"tau_mean", "tau_std", "regret_mean"} and cell["seeds"] == 2
    assert summary["curves"] is True and drawn_pixels(out / "compare.png") > 200
    assert "predictor[both]+lce" in printed and "* best single proxy" in printed
    files = sorted(p.name for p in (out / "splits").iterdir())
    assert len(files) == 6
    stamps = {p: (out / "splits" / p).stat().st_mtime_ns for p in files}
    assert main(args) == 0                                    # resumed: nothing recomputed
    assert stamps == {p: (out / "splits" / p).stat().st_mtime_ns for p in files}
    assert json.loads((out / "compare.json").read_text()) == summary
    changed = [a if a != "0,10,30" else "0,10" for a in args]
    assert main(changed) == 2                                 # other arguments, same folder: refused
    assert "differs in: train_sizes" in capsys.readouterr().err
