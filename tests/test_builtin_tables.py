"""Every built-in table: once its build has finished it loads as its problem, names its registered
space, holds every proxy, and carries a learning curve per architecture as long as its epochs."""
from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks_data import builtin, load_problems, read_suite
from benchmarks_data.measures import LOWER_IS_BETTER
from proxies.registry import available
from synth.selection import space_of


def _finished_or_skip(alias: str) -> str:
    path = f"{builtin.FOLDER}/{builtin.TABLES[alias]}"
    if not builtin.finished(path):
        pytest.skip(f"{alias}: its build is still under way (regenerate.sh resumes it)")
    return path


@pytest.mark.parametrize("alias", list(builtin.TABLES))
def test_a_finished_builtin_table_loads_with_every_proxy_and_its_learning_curves(alias):
    path = _finished_or_skip(alias)
    with open(f"{path}.build.json", encoding="utf-8") as handle:
        spec = json.load(handle)["spec"]
    (problem,) = load_problems([path], [alias])
    space, task = builtin.space_task(alias)
    assert (problem.space, problem.task) == (space, task)
    assert space_of(problem.space) == spec["space"]
    assert len(problem) >= 150 and np.isfinite(problem.target).all()
    assert set(problem.features.columns) == set(available())
    table, curves = read_suite(path).table(task, "val_accuracy"), read_suite(path).curves(task)
    assert curves.shape == (len(table), spec["epochs"]) and np.isfinite(curves.to_numpy()).all()
    if spec.get("keep", "best") == "best":                             # the table keeps the best epoch
        kept = curves.max(axis=1)
    else:                                                              # the last one (of each seed: their mean)
        kept = curves.iloc[:, -1]
    folds = spec.get("folds", 1) > 1                                   # out of fold over all samples vs the folds' mean
    assert np.allclose(kept.reindex(table.index).to_numpy(), table["val_accuracy"].to_numpy(), atol=1.0 if folds else 1e-8)
    if alias in builtin.CLINICAL:                                      # ranked by its declared measure
        measure = read_suite(path).measure
        low, high = (-np.inf, 0) if measure in LOWER_IS_BETTER else (0, 1)       # log-loss is read negated
        assert measure and problem.measure == f"val_{measure}" and low <= problem.target.min() < problem.target.max() <= high


def test_the_default_benchmark_is_real_data_once_every_clinical_table_has_finished():
    found = builtin.tables()
    if all(a in found for a in builtin.REAL_DEFAULT):
        expected = builtin.REAL_DEFAULT
    elif all(a in found for a in builtin.SIMULATED_DEFAULT):
        expected = builtin.SIMULATED_DEFAULT
    else:
        expected = builtin.CORE
    assert builtin.default_paths() == [found[a] for a in expected]
    assert not set(builtin.REAL_DEFAULT) & set(builtin.SIMULATED)
    assert set(builtin.CLINICAL) <= set(builtin.REAL_DEFAULT)


def test_a_finished_builtin_table_outside_the_default_loads_by_its_alias():
    outside = [a for a in builtin.tables() if a not in builtin.default_aliases()]
    if not outside:
        pytest.skip("every finished built-in table is in the default benchmark")
    (problem,) = load_problems(["builtin"], [outside[0]])
    assert problem.name == outside[0] and len(problem) >= 150
    (lower,) = load_problems(["builtin"], [outside[0].lower()])                # an alias in any case
    assert np.array_equal(lower.target, problem.target)
