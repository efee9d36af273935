"""Composite baselines (synth.baselines): planted weights recovered, rank average by hand, proxies
missing from some problems, determinism, the registry, and metric round-trips."""
from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from zc_core.errors import NotFittedError

from benchmarks_data import DataError, Problem
from synth.baselines import (BASELINES, TEACUP_PROXIES, RankAverage, RankAverageBaseline, RidgeComposite,
                             WeightedSum, make_baseline, metric_from_dict)
from synth.baselines.ridge import ridge_coef
from synth.kendall import kendall
from synth.formula import Formula
from synth.primitives import BAD
from synth.symbolic import FormulaError


def problem(name: str, columns: dict[str, np.ndarray], target: np.ndarray) -> Problem:
    n = len(target)
    return Problem(name=name, space="synthetic", task=name, archs=np.arange(n), features=pd.DataFrame(columns),
                   target=np.asarray(target, dtype=float), n_dropped=0, source="synthetic")


def planted(seed: int, n: int = 400) -> Problem:
    """accuracy = 2*log(a) + log(b) + noise, on a problem-specific scale; c is irrelevant."""
    rng = np.random.default_rng(seed)
    a, b, c = (np.exp(rng.normal(0, 1, n)) for _ in range(3))
    accuracy = 2 * np.log(a) + np.log(b) + rng.normal(0, 0.3, n)
    return problem(f"P{seed}", {"a": a, "b": b, "c": c}, 60 + (seed + 1) * accuracy)


def additive(seed: int, n: int = 300) -> Problem:
    """Three noisy views of three independent parts of the accuracy: no single proxy sees it all."""
    rng = np.random.default_rng(seed)
    parts = rng.normal(0, 1, (3, n))
    columns = {"p": np.exp(parts[0] + rng.normal(0, 0.3, n)), "q": np.exp(parts[1] + rng.normal(0, 0.3, n)),
               "r": parts[2] + rng.normal(0, 0.3, n)}
    return problem(f"A{seed}", columns, parts.sum(axis=0))


@pytest.fixture(scope="module")
def three() -> list[Problem]:
    return [planted(seed) for seed in range(3)]


def test_ridge_recovers_planted_weights(three: list[Problem]) -> None:
    model = RidgeComposite(seed=0).fit(three)
    w = model.weights_
    assert model.transforms_ == {"a": "log", "b": "log", "c": "log"}
    assert w["a"] / w["b"] == pytest.approx(2.0, rel=0.05)
    assert abs(w["c"]) < 0.05 * abs(w["b"])
    assert min(abs(v) for v in w.values()) == pytest.approx(1.0)
    assert model.metric_.features == ["a", "b", "c"]
    assert "log(a)" in str(model.metric_) and model.heldout_r_ > 0.9
    assert all(tau > 0.8 for tau in model.score(three).values())


def test_ridge_closed_form_matches_sklearn() -> None:
    from sklearn.linear_model import Ridge

    rng = np.random.default_rng(3)
    x = rng.normal(size=(200, 4))
    y = x @ [1.0, -2.0, 0.0, 0.5] + rng.normal(size=200)
    assert np.allclose(ridge_coef(x, y, 2.5), Ridge(alpha=2.5).fit(x, y).coef_, atol=1e-10)


def test_ridge_scales_a_proxy_that_cannot_be_logged(three: list[Problem]) -> None:
    shifted = [problem(p.name, {**p.features, "c": p.features["c"] - 1.0}, p.target) for p in three]
    model = RidgeComposite(bootstrap=50).fit(shifted)
    assert model.transforms_["c"] == "scaled" and set(model.scales_) == {"c"}
    assert "log(c)" not in str(model.metric_) and "c" in model.metric_.features


def test_weighted_sum_beats_its_best_single_proxy() -> None:
    model = WeightedSum(maxiter=30, seed=0).fit([additive(seed) for seed in range(4)])
    held = [additive(seed) for seed in range(10, 13)]
    combined = np.mean([kendall(model.metric_.evaluate(p.features), p.target) for p in held])
    single = max(np.mean([kendall(p.features[name].to_numpy(), p.target) for p in held]) for name in "pqr")
    assert model.transforms_ == {"p": "log", "q": "log", "r": "raw"}
    assert combined > single + 0.1
    assert model.train_tau_ > single and isinstance(model.metric_, Formula)


def test_rank_average_by_hand() -> None:
    data = {"a": np.array([3.0, 1.0, 3.0, np.nan, 2.0]), "b": np.array([10.0, 20.0, 30.0, 5.0, np.inf])}
    metric = RankAverage(["b", "a"])
    # finite rows 0..2 (n = 3): a ranks 2.5, 1, 2.5; b ranks 1, 2, 3; then divide by 3 and average
    expected = [(2.5 / 3 + 1 / 3) / 2, (1 / 3 + 2 / 3) / 2, (2.5 / 3 + 3 / 3) / 2, BAD, BAD]
    assert np.allclose(metric.evaluate(data), expected)
    assert np.allclose(metric.evaluate(pd.DataFrame(data)), expected)
    assert metric.features == ["a", "b"] and str(metric) == "rank_average(a, b)"
    assert RankAverage.population is True
    assert metric.to_dict() == {"metric": "rank_average", "proxies": ["a", "b"], "formula": "rank_average(a, b)"}
    with pytest.raises(FormulaError, match="lacks column"):
        metric.evaluate({"a": np.ones(3)})
    with pytest.raises(FormulaError):
        RankAverage([])


def test_missing_proxies_default_to_the_common_ones(three: list[Problem]) -> None:
    fewer = problem("P9", {"a": three[0].features["a"], "b": three[0].features["b"]}, three[0].target)
    problems = [*three, fewer]
    for model in (RankAverageBaseline(), RidgeComposite(bootstrap=20), WeightedSum(maxiter=3)):
        model.fit(problems)
        assert model.proxies_ == ["a", "b"] and model.metric_.features == ["a", "b"]
        assert model.problems_ == ["P0", "P1", "P2", "P9"]
    chosen = RidgeComposite(proxies=["a", "c"], bootstrap=20).fit(problems)
    assert chosen.problems_ == ["P0", "P1", "P2"] and chosen.metric_.features == ["a", "c"]
    with pytest.raises(DataError, match="did you mean 'c'"):
        RankAverageBaseline(proxies=["cc"]).fit(problems)


def test_teacup_preset_uses_its_proxies_where_problems_have_them() -> None:
    """Every preset proxy some problem has, fitted on the problems that hold all of them."""
    rng = np.random.default_rng(0)
    target = rng.normal(size=100)
    columns = {"synflow": np.exp(target + rng.normal(size=100)), "zico": np.exp(rng.normal(size=100)),
               "jacov": rng.normal(size=100)}
    problems = [problem("X", columns, target), problem("Y", {k: columns[k] for k in ("synflow", "jacov")}, target)]
    model = make_baseline("teacup").fit(problems)
    assert model.proxies_ == ["synflow", "zico"] and model.problems_ == ["X"]
    assert make_baseline("teacup").fit([problems[1]]).proxies_ == ["synflow"]
    assert make_baseline("teacup_all").fit(problems).proxies_ == ["jacov", "synflow"]
    with pytest.raises(DataError, match="no problem has any of"):
        make_baseline("teacup").fit([problem("Z", {"jacov": columns["jacov"]}, target)])


def test_deterministic_under_a_seed(three: list[Problem]) -> None:
    for build in (lambda s: RidgeComposite(bootstrap=100, seed=s), lambda s: WeightedSum(maxiter=10, seed=s)):
        first, again, other = build(1).fit(three), build(1).fit(three), build(2).fit(three)
        assert first.weights_ == again.weights_ and str(first.metric_) == str(again.metric_)
        assert first.weights_ != other.weights_


def test_registry_and_did_you_mean() -> None:
    assert set(BASELINES) == {"rank_average", "teacup", "teacup_all", "upnas"}
    assert make_baseline("upnas", seed=4).seed == 4
    with pytest.raises(DataError, match="'teacup'"):
        make_baseline("tecup")


def test_validation_and_not_fitted(three: list[Problem]) -> None:
    with pytest.raises(DataError, match="test_size"):
        RidgeComposite(test_size=1.5).fit(three)
    with pytest.raises(DataError, match="maxiter"):
        WeightedSum(maxiter=0).fit(three)
    with pytest.raises(DataError, match="no problems"):
        RankAverageBaseline().fit([])
    with pytest.raises(NotFittedError, match="not fitted"):
        RidgeComposite().predict(three[0].features)


@pytest.mark.parametrize("name", sorted(BASELINES))
def test_metric_round_trips(name: str, three: list[Problem]) -> None:
    model = make_baseline(name, seed=0)
    if hasattr(model, "bootstrap"):
        model.bootstrap = 100
    if hasattr(model, "maxiter"):
        model.maxiter = 10
    named = {"a": "synflow", "b": "zico", "c": "ntk_cond"}
    problems = [problem(p.name, p.features.rename(columns=named), p.target) for p in three]
    model.fit(problems)
    data = json.loads(json.dumps(model.metric_.to_dict()))
    rebuilt = metric_from_dict(data)
    assert type(rebuilt) is type(model.metric_) and str(rebuilt) == str(model.metric_)
    for p in problems:
        assert np.array_equal(rebuilt.evaluate(p.features), model.metric_.evaluate(p.features))
        assert np.array_equal(model.predict(p.features), model.metric_.evaluate(p.features))
    if isinstance(model.metric_, Formula):
        assert rebuilt == model.metric_ and Formula(str(model.metric_)) == model.metric_
