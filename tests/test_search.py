"""Architecture search: the contract every registered algorithm keeps (seeded, within budget, a valid
cell), lookup mode on hand-made tables with a known optimum, the percentile and supernet scores."""
from __future__ import annotations

import itertools
import math
import subprocess
import sys

import numpy as np
import pytest

from proxies.spaces.nb201 import Cell, all_cells
from synth.search import ALGORITHMS, LookupObjective, get_algorithm, get_space, percentile_of, register
from synth.search.algorithms.base import SearchAlgorithm
from synth.search.space import SearchSpace

SPACE = get_space("nb201")


class CountingObjective(LookupObjective):
    """A lookup objective that counts every (uncached) architecture, supernet and training computation,
    with proxy columns made from its values (for HNAS: kappa falls and M rises with the value)."""

    calls = 0

    def __init__(self, space, values, accuracy=None):
        import pandas as pd

        super().__init__(space, values, accuracy)
        self.rows = list(self.values)
        v = np.array([self.values[a] for a in self.rows])
        self.features = pd.DataFrame({"ntk_cond": np.exp(-v / 4), "grad_norm": np.exp(v / 4), "snip": np.exp(v / 5),
                                      "grasp": np.exp(v / 6), "ntk_trace": np.exp(v / 3)})

    def train(self, arch):
        self.calls += 1
        return super().train(arch)

    def _evaluate(self, arch):
        self.calls += 1
        return super()._evaluate(arch)

    def _evaluate_supernet(self, allowed):
        self.calls += 1
        return super()._evaluate_supernet(allowed)


def separable(seed: int = 0, missing: float = 0.0, gap: float = 0.0) -> tuple[np.ndarray, tuple[int, ...]]:
    """Metric = sum over edges of a per-(edge, op) weight, the best op of each edge ``gap`` ahead of
    the others; its unique optimum; a share ``missing`` of the other cells not evaluable."""
    rng = np.random.default_rng(seed)
    weights = rng.normal(size=(6, 5))
    best = tuple(int(k) for k in weights.argmax(axis=1))
    weights[np.arange(6), best] += gap
    grid = np.array(list(itertools.product(range(5), repeat=6)))
    values = weights[np.arange(6), grid].sum(axis=1)
    values[rng.random(len(values)) < missing] = -np.inf
    values[SPACE.index(best)] = weights.max(axis=1).sum()
    return values, best


@pytest.fixture
def toy() -> CountingObjective:
    values, _ = separable(3, missing=0.3)
    return CountingObjective(SPACE, values, accuracy=50 + values)


def test_space_indices_follow_all_cells_and_encodings_round_trip():
    cells = list(all_cells())
    rng = np.random.default_rng(0)
    for i in rng.integers(0, len(cells), 50):
        arch = SPACE.from_cell(cells[i])
        assert SPACE.index(arch) == i and SPACE.parse(str(cells[i])) == arch
        assert SPACE.parse(str(cells[i].to_tuple())) == arch and SPACE.encode(arch) == arch
    arch = SPACE.sample(rng)
    assert len(set(SPACE.neighbours(arch))) == 24 and SPACE.mutate(arch, rng) in SPACE.neighbours(arch)


def test_sample_distinct_gives_distinct_architectures_and_a_whole_small_space():
    rng = np.random.default_rng(0)
    pool = SPACE.sample_distinct(300, rng)
    assert len(pool) == len(set(pool)) == 300
    assert pool[:5] == SPACE.sample_distinct(5, np.random.default_rng(0))

    class Tiny(SearchSpace):
        name, choices, size = "tiny", (("a", "b"), ("c", "d", "e")), 6
        parse = key = _network = None

        def canonical(self, choices):
            return self.check_tuple(choices)

    assert sorted(Tiny().sample_distinct(10, rng)) == sorted(itertools.product(range(2), range(3)))


@pytest.mark.parametrize("name", sorted(ALGORITHMS))
def test_contract_deterministic_given_a_seed(name, toy):
    first = get_algorithm(name)(seed=7, budget=300).fit(toy).result_
    again = get_algorithm(name)(seed=7, budget=300).fit(toy).result_
    assert first == again
    assert first.history == tuple(np.maximum.accumulate(first.history))


@pytest.mark.parametrize("budget", [1, 2, 9, 40, 120])
@pytest.mark.parametrize("name", sorted(ALGORITHMS))
def test_contract_respects_the_budget_and_returns_a_valid_cell(name, budget):
    values, _ = separable(1, missing=0.2)
    objective = CountingObjective(SPACE, values)
    result = get_algorithm(name)(seed=0, budget=budget).fit(objective).result_
    assert objective.calls == result.evaluations == len(result.history) <= budget
    assert Cell.parse(result.cell) == SPACE.to_cell(result.arch)
    assert len(result.evaluated) <= result.evaluations
    if name != "hnas":                     # HNAS reports its M (Eq. 7), not the objective's metric
        assert result.value == objective(result.arch)


@pytest.mark.parametrize("name", sorted(ALGORITHMS))
def test_contract_natural_limits_without_a_budget(name, toy):
    limits = {"rl": 100 * 10 + 1, "pmbga": 50 + 100 * 10, "prune": 89, "aging": 3000, "random": 1000, "hnas": 20}
    result = get_algorithm(name)(seed=1).fit(toy).result_
    assert result.evaluations <= limits[name]


@pytest.mark.parametrize("name", ["rl", "pmbga", "prune", "aging"])
def test_metric_driven_searches_find_the_known_optimum(name):
    values, best = separable(5, missing=0.2, gap=1.0)
    objective = LookupObjective(SPACE, values)
    assert objective.best() == best
    result = get_algorithm(name)(seed=0).fit(objective).result_
    assert result.arch == best and objective.percentile(result.value) == 100.0


def test_random_search_returns_the_best_it_evaluated(toy):
    result = get_algorithm("random")(seed=0, budget=200).fit(toy).result_
    assert result.evaluations == 200 and result.value == max(result.evaluated) == result.history[-1]


def test_prune_keeps_one_op_per_edge_in_four_rounds():
    values, best = separable(2)
    objective = CountingObjective(SPACE, values)
    result = get_algorithm("prune")(seed=0).fit(objective).result_
    assert result.evaluations == 1 + 30 + 1 + 24 + 1 + 18 + 1 + 12 + 1 and result.arch == best


def test_percentile_is_the_share_of_architectures_at_most_the_value():
    values = np.full(SPACE.size, -np.inf)
    values[:4] = [1.0, 2.0, 2.0, 5.0]
    objective = LookupObjective(SPACE, values)
    assert objective.evaluable == 4
    assert [objective.percentile(v) for v in (5.0, 2.0, 1.0, 0.5, -math.inf)] == [100.0, 75.0, 25.0, 0.0, 0.0]
    assert percentile_of(3.0, np.array([1.0, np.nan, 3.0, 4.0, -np.inf])) == pytest.approx(200 / 3)


def test_lookup_supernet_score_is_the_exact_mean_percentile_of_its_cells():
    values, _ = separable(4, missing=0.25)
    objective = LookupObjective(SPACE, values)
    allowed = ((0, 3), (1,), (2, 3, 4), (0, 1, 2, 3, 4), (4,), (1, 2))
    cells = [SPACE.index(a) for a in itertools.product(*allowed)]
    expected = np.mean([objective.percentile(values[i]) / 100 for i in cells if np.isfinite(values[i])])
    assert objective.supernet(allowed)["metric"] == pytest.approx(expected)


def test_lookup_accuracy_and_missing_architectures(toy):
    missing = next(a for a in map(SPACE.from_cell, all_cells()) if toy(a) == -math.inf)
    assert toy.accuracy(missing) is None and toy.percentile(toy(missing)) == 0.0
    present = toy.best()
    assert toy.accuracy(present) == pytest.approx(50 + toy(present))


def test_registry_names_settings_and_errors():
    assert set(ALGORITHMS) == {"rl", "pmbga", "prune", "aging", "random", "hnas"}
    with pytest.raises(ValueError, match="did you mean 'aging'"):
        get_algorithm("agin")
    with pytest.raises(ValueError, match="registered twice"):
        register("rl")(type("Again", (SearchAlgorithm,), {"_search": lambda self, t, r: None}))
    values, _ = separable(0)
    for name, settings in [("aging", {"budget": 0}), ("aging", {"tournament": 200}), ("rl", {"lr": 0.0}),
                           ("rl", {"gamma": 1.0}), ("pmbga", {"samples": 0}), ("random", {"budget": 2.5})]:
        with pytest.raises(ValueError):
            get_algorithm(name)(**settings).fit(LookupObjective(SPACE, values))
    with pytest.raises(TypeError):
        get_algorithm("rl")(lr=0.1, learning_rate=0.1)


def test_reinforce_restores_torch_threads(toy):
    import torch

    before = torch.get_num_threads()
    get_algorithm("rl")(seed=0, budget=30).fit(toy)
    assert torch.get_num_threads() == before


def test_importing_the_cli_and_search_package_loads_no_torch():
    code = "import sys, synth, synth.cli, synth.search; assert 'torch' not in sys.modules, 'torch imported'"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
