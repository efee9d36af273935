"""HNAS's Eq. 7 objective and its Bayesian optimisation loop (issue 16, part)."""
from __future__ import annotations

import numpy as np
import pytest

from synth.search.hnas import hnas_objective, hnas_search


def test_objective_is_eq7_and_refuses_unusable_candidates():
    kappa, m = np.array([2.0, 4.0, 1.0, np.nan]), np.array([1.0, 2.0, -1.0, 1.0])
    got = hnas_objective(kappa, m, mu=0.5, nu=1.0, t=1)
    assert got[0] == pytest.approx(2.0 + 0.5 * 0.0)
    assert got[1] == pytest.approx(2.0 + 0.5 * 3.0 ** 2)
    assert np.isinf(got[2]) and np.isinf(got[3])                        # M <= 0, kappa NaN
    assert hnas_objective(kappa, m, 0.5, 1.0, t=2)[1] == pytest.approx(2.0 + 0.5 * 3.0 ** 4)


def _pool(n=300, seed=0):
    rng = np.random.default_rng(seed)
    m = rng.lognormal(0, 1, n)
    kappa = rng.lognormal(2, 1, n)
    accuracy = 50 + 10 * np.log(m) - 2 * np.log(kappa) + rng.normal(0, 1, n)
    return kappa, m, accuracy


def test_search_respects_its_budget_and_is_deterministic_under_a_seed():
    kappa, m, accuracy = _pool()
    calls = []

    def train(i):
        calls.append(i)
        return float(accuracy[i])

    first = hnas_search(kappa, m, train, queries=8, seed=1)
    assert len(first.queries) == 8 and len(calls) <= 8 and len(set(calls)) == len(calls)   # never trained twice
    assert first.accuracy == max(accuracy[i] for i in calls) and first.best in calls
    again = hnas_search(kappa, m, lambda i: float(accuracy[i]), queries=8, seed=1)
    assert again.queries == first.queries and again.best == first.best
    other = hnas_search(kappa, m, lambda i: float(accuracy[i]), queries=8, seed=2)
    assert other.queries != first.queries


def test_search_beats_the_median_candidate_on_a_planted_pool():
    kappa, m, accuracy = _pool(seed=3)
    found = [hnas_search(kappa, m, lambda i: float(accuracy[i]), queries=10, seed=s).accuracy for s in range(3)]
    assert np.mean(found) > np.quantile(accuracy, 0.9)


def test_bad_input():
    with pytest.raises(ValueError, match="queries must be >= 1"):
        hnas_search(np.ones(3), np.ones(3), lambda i: 0.0, queries=0)
    with pytest.raises(ValueError, match="same length"):
        hnas_search(np.ones(3), np.ones(2), lambda i: 0.0, queries=2)
    with pytest.raises(ValueError, match="positive M"):
        hnas_search(np.ones(3), -np.ones(3), lambda i: 0.0, queries=2)


def test_search_algo_hnas_on_a_table(nb201_toy, tmp_path, capsys):
    import json

    from synth.cli import main

    table = nb201_toy
    args = ["search", "--algo", "hnas", "--data", table, "--problem", "nb201toy/toy", "--budget", "6", "--runs", "2",
            "--pool", "50", "--json", "--out", str(tmp_path / "s")]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out.splitlines()[0])
    assert doc["algo"] == "hnas" and "ntk_cond" in doc["metric"]
    accuracies = [r["val_accuracy"] for r in json.loads(open(table).read())["toy"].values()]
    for run in doc["runs"]:
        assert 1 <= run["evaluations"] <= 6 and run["accuracy"] in accuracies
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[0])["runs"] == doc["runs"]      # seeded
    assert main(args[:-2] + ["--metric", "snip", "--out", str(tmp_path / "s")]) == 2
    assert "drop --metric" in capsys.readouterr().err
