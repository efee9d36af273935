"""Eq. 1 normalisation, elitist selection, determinism and seeding of single GP runs."""
from __future__ import annotations

import random

import numpy as np
import pytest

from benchmarks_data import load_problems
from synth.evolve import combine, split_problems, training_data
from synth.fitness import normalized_score
from synth.gp import GPConfig, _pair_tournament, run_gp

SMALL = GPConfig(population=30, generations=8)


@pytest.fixture
def toy_data(toy_files):
    problems = load_problems(list(toy_files.values()), ["toya/task1", "toyb/task2", "toyn/cifar10"])
    return training_data(split_problems(problems, 0.3, 0))


def test_eq1_normalises_each_problem_by_its_bounds():
    low, high = np.array([0.1, -0.2, 0.3]), np.array([0.5, 0.6, 0.3])
    taus = np.array([[0.3, 0.2, 0.3], [0.5, 0.6, 0.1]])
    np.testing.assert_allclose(normalized_score(taus, low, high), [0.5 + 0.5 + 0.0, 1.0 + 1.0 + 0.0])
    assert normalized_score(np.array([0.1, -0.2, 0.3]), low, high) == 0.0


def test_worst_weight_rewards_the_tree_that_ranks_every_problem():
    low, high = np.array([0.0, 0.0, 0.0]), np.array([1.0, 1.0, 1.0])
    lopsided, balanced = np.array([1.0, 1.0, 0.0]), np.array([0.6, 0.6, 0.6])
    taus = np.stack([lopsided, balanced])
    assert normalized_score(taus, low, high).tolist() == pytest.approx([2.0, 1.8])          # Eq. 1 prefers it
    assert normalized_score(taus, low, high, 0.5).tolist() == pytest.approx([2.0, 1.8 + 0.5 * 3 * 0.6])


def test_worst_weight_is_a_checked_setting_kept_out_of_the_papers_signature(toy_data):
    from synth.commands.arguments import WORST_WEIGHT

    assert GPConfig().worst_weight == WORST_WEIGHT == 0.0                 # the default: the paper's Eq. 1
    assert "worst_weight" not in GPConfig().to_dict()                       # which keeps its job signature
    assert GPConfig(worst_weight=0.5).to_dict()["worst_weight"] == 0.5
    for bad in (-1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="worst_weight"):
            GPConfig(worst_weight=bad)
    config = GPConfig(population=10, generations=4, worst_weight=1.0)
    result = run_gp(toy_data, config, seed=3)
    scores = [normalized_score(np.array(t), np.array(result.low), np.array(result.high), 1.0)
              for entries in result.fronts.values() for _, t in entries]
    winner = normalized_score(np.array(result.winner_taus), np.array(result.low), np.array(result.high), 1.0)
    assert winner == pytest.approx(max(scores))


def test_space_balance_gives_every_search_space_the_same_total_weight(toy_data):
    from synth.fitness import TrainingData

    blocks = [np.zeros((3, 1))] * 4
    data = TrainingData.stack(["a1", "a2", "a3", "b"], ["x"], blocks, [np.arange(3.0)] * 4,
                              spaces=["a", "a", "a", "b"])
    np.testing.assert_allclose(data.weights("problem"), [1, 1, 1, 1])
    np.testing.assert_allclose(data.weights("space"), [4 / 6] * 3 + [2.0])       # mean 1, each space 2
    assert data.subset([0, 3]).weights("space").tolist() == [1.0, 1.0]
    low, high = np.zeros(4), np.ones(4)
    only_a, only_b = np.array([1.0, 1.0, 1.0, 0.0]), np.array([0.0, 0.0, 0.0, 1.0])
    assert normalized_score(only_a, low, high) > normalized_score(only_b, low, high)     # three problems outvote one
    assert normalized_score(only_a, low, high, weights=data.weights("space")) == pytest.approx(
        normalized_score(only_b, low, high, weights=data.weights("space")))
    assert toy_data.spaces == ("toya", "toyb", "toyn")                                # each its own space here


def test_balance_is_a_checked_setting_kept_out_of_the_papers_signature(toy_data):
    assert "balance" not in GPConfig().to_dict()
    assert GPConfig(balance="space").to_dict()["balance"] == "space"
    with pytest.raises(ValueError, match="balance"):
        GPConfig(balance="spaces")
    result = run_gp(toy_data, GPConfig(population=10, generations=3, balance="space"), seed=1)
    assert result.weights == [1.0, 1.0, 1.0]
    assert run_gp(toy_data, GPConfig(population=10, generations=3), seed=1).weights is None


def test_pair_tournament_never_loses_the_best():
    rng = np.random.default_rng(0)
    for seed in range(200):
        scores = rng.normal(size=40)
        assert int(np.argmax(scores)) in _pair_tournament(scores, 20, random.Random(seed))


def test_single_problem_best_is_never_lost(toy_files):
    """With one problem the fitness is monotone in tau, so the population best must stay at its maximum
    (1 for Eq. 1, plus the worst-problem term: 1 + worst_weight) every generation."""
    (problem,) = load_problems([toy_files["toya"]], ["toya/task1"])
    data = training_data(split_problems([problem], 0.3, 0))
    result = run_gp(data, SMALL, seed=1)
    assert [best for best, _ in result.history] == [1.0 + SMALL.worst_weight] * (SMALL.generations + 1)
    assert result.winner_taus[0] == pytest.approx(result.high[0])


def test_best_score_never_decreases_against_final_bounds(toy_data):
    """The run's archive keeps every tree: the winner is the best tree seen, under the final bounds."""
    result = run_gp(toy_data, SMALL, seed=2)
    low, high, w = np.array(result.low), np.array(result.high), SMALL.worst_weight
    winner = normalized_score(np.array(result.winner_taus), low, high, w)
    for entries in result.fronts.values():
        for _, taus in entries:
            assert normalized_score(np.array(taus), low, high, w) <= winner + 1e-12
    history = np.array(result.history)
    assert (history[:, 0] >= history[:, 1]).all()


def test_runs_are_deterministic_and_seeded(toy_data):
    a, b, c = (run_gp(toy_data, SMALL, seed=s) for s in (5, 5, 6))
    assert a.to_dict() == b.to_dict()
    assert a.to_dict() != c.to_dict()
    random.seed(123)
    before = random.random()
    random.seed(123)
    run_gp(toy_data, SMALL, seed=5)
    assert random.random() == before, "a run must not disturb the caller's random state"
    random.seed(999)
    assert run_gp(toy_data, SMALL, seed=5).to_dict() == a.to_dict(), "global random state must not matter"


def test_depth_limit_and_config_validation(toy_data):
    result = run_gp(toy_data, GPConfig(population=20, generations=5, max_depth=3, init_max_depth=3), seed=0)
    from deap import gp
    for entries in result.fronts.values():
        for text, _ in entries:
            assert gp.PrimitiveTree.from_string(text, _pset(toy_data)).height <= 3
    for bad in (dict(population=3), dict(crossover=1.5), dict(hoist_mutation=0.9, point_mutation=0.2),
                dict(init_max_depth=12)):
        with pytest.raises(ValueError):
            GPConfig(**bad)


def _pset(data):
    from synth.gp import primitive_set
    return primitive_set(data.features)


def test_combine_uses_global_bounds_and_builds_hall_of_fame(toy_data):
    results = [run_gp(toy_data, SMALL, seed=s, run=i) for i, s in enumerate((0, 1, 2))]
    combined = combine(results)
    assert (combined.low <= np.min([r.low for r in results], axis=0)).all()
    assert combined.run_scores[combined.winner] == max(combined.run_scores)
    sizes = [size for size, _, _ in combined.hall_of_fame]
    scores = [score for _, _, score in combined.hall_of_fame]
    assert sizes == sorted(sizes) and scores == sorted(scores)
    assert scores[-1] >= max(combined.run_scores) - 1e-12
