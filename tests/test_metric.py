"""The one metric interface (synth.metric): every kind of metric answers it, survives its dict, and the
one method table is what validate, compare and report score."""
from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.stats import kendalltau

from benchmarks_data.problems import load_problems
from proxies.spaces.nb201.encoding import Cell
from synth.baselines import BASELINES, RankAverage, make_baseline
from synth.cli import main
from synth.compare.methods import score
from synth.compare.run import make_split, zero_shot_methods
from synth.formula import Formula
from synth.metric import Metric, method_table, metric_from_dict, tau_on, tau_table
from synth.validation import score_fold


def _problem(table: str):
    (problem,) = load_problems([table], ["nb201toy/toy"])
    return problem


class KeyMetric:
    """A learned metric of a user's own: it scores an architecture by its key, reads no proxy."""

    population = False
    reads_architectures = True
    features: list[str] = []

    def score(self, features, archs) -> np.ndarray:
        return np.array([sum(Cell.parse(str(a)).to_tuple()) for a in archs], dtype=float)

    def to_dict(self) -> dict:
        return {"metric": "key-sum"}


def _every_metric(problem) -> dict[str, Metric]:
    metrics: dict[str, Metric] = {"formula": Formula("grad_norm / ntk_cond"), "rank": RankAverage(["snip", "grasp"]),
                                  "key": KeyMetric()}
    for name in BASELINES:
        metrics[name] = make_baseline(name, seed=0).fit([problem]).metric_
    return metrics


def test_every_kind_of_metric_answers_the_interface_one_score_per_row(nb201_toy):
    problem = _problem(nb201_toy)
    for name, metric in _every_metric(problem).items():
        assert isinstance(metric, Metric), name
        values = metric.score(problem.features, problem.archs)
        assert values.shape == (len(problem),) and np.isfinite(values).all(), name
        assert tau_on(metric, problem) == pytest.approx(kendalltau(values, problem.target)[0]), name


def test_a_metric_rebuilt_from_its_dict_scores_the_same(nb201_toy):
    problem = _problem(nb201_toy)
    for name, metric in _every_metric(problem).items():
        if name == "key":
            continue
        back = metric_from_dict(json.loads(json.dumps(metric.to_dict())))
        assert np.array_equal(back.score(problem.features, problem.archs),
                              metric.score(problem.features, problem.archs)), name


def test_a_formula_dict_without_its_exact_expression_is_read_from_its_text(tmp_path):
    assert metric_from_dict({"formula": "snip + grasp"}) == Formula("snip + grasp")
    from synth.inputs import load_formula

    path = tmp_path / "rank.json"
    path.write_text(json.dumps({**RankAverage(["snip", "grasp"]).to_dict(), "problems": {"p": {}}}))
    assert load_formula(str(path)) == (RankAverage(["snip", "grasp"]), None)


def test_the_method_table_puts_given_metrics_first_and_given_names_win():
    given = {"mine": Formula("snip"), "snip": Formula("grasp"), "failed": None}
    table = method_table(given, ["snip", "grasp", "snip"], rank_average=True)
    assert list(table) == ["mine", "snip", "failed", "grasp", "rank_average"]
    assert table["snip"] == Formula("grasp") and table["grasp"] == Formula("grasp") and table["failed"] is None
    assert table["rank_average"] == RankAverage(["snip", "grasp"])
    assert "rank_average" not in method_table({}, ["snip"])
    assert method_table({}, [], rank_average=True) == {}


def test_tau_table_is_none_where_a_metric_is_missing_or_a_proxy_lacks(nb201_toy):
    problem = _problem(nb201_toy)
    taus = tau_table({"f": Formula("snip"), "lacks": Formula("synflow"), "none": None}, [problem])
    assert taus["f"][problem.name] == pytest.approx(kendalltau(problem.features["snip"], problem.target)[0])
    assert taus["lacks"] == {problem.name: None} and taus["none"] == {problem.name: None}


def test_validate_compare_and_report_score_one_table_alike(nb201_toy, tmp_path, capsys):
    """The same metrics get the same taus from validate's fold scoring, compare's zero-shot methods and
    the report command, a user's own learned metric included."""
    problem = _problem(nb201_toy)
    metrics = {"formula": Formula("grad_norm / ntk_cond"), "rank": RankAverage(["snip", "grasp"])}
    fitted = {"metrics": {name: m.to_dict() for name, m in metrics.items()}}
    proxies = list(problem.features.columns)
    from_validate = score_fold(fitted, [problem], proxies)
    expected = tau_table(method_table(metrics, proxies), [problem])
    assert from_validate == expected

    split = make_split(problem, 0, 0, seed=0, curves=None, settings={})
    methods = zero_shot_methods(problem, {**metrics, "key": KeyMetric()})
    for name, values in expected.items():
        tau = kendalltau(score(methods[name], split), problem.target[split.test])[0]
        assert tau == pytest.approx(values[problem.name]), name
    assert "rank_average" in methods and "key" in methods

    out = tmp_path / "report"
    assert main(["report", "--data", nb201_toy, "--problems", "nb201toy/toy", "--metric", "formula=grad_norm / ntk_cond",
                 "--proxies", "--out", str(out)]) == 0
    capsys.readouterr()
    report = json.loads((out / "report.json").read_text())
    for name in ["grad_norm", "snip", "params"]:
        assert report["metrics"][name][problem.name] == pytest.approx(expected[name][problem.name]), name
    assert report["metrics"]["formula"][problem.name] == pytest.approx(expected["formula"][problem.name])
