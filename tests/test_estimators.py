"""Every estimator follows scikit-learn's conventions (as its ``test_common.py`` checks): parameters
come from ``__init__`` and ``sklearn.base.clone`` rebuilds an equal unfitted copy; the randomness
parameter is ``seed`` (never ``random_state``); a fitted-only call before ``fit`` raises the one NotFittedError."""
from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, clone

from zc_core.errors import NotFittedError, ZcError


def _estimators():
    from synth.baselines import BASELINES
    from synth.ensemble.model import Ensemble
    from synth.predictors import get_predictor
    from synth.search.algorithms import ALGORITHMS
    from synth.synthesizer import ProxySynthesizer

    table = pd.DataFrame({"synflow": [1.0]}, index=["|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|"])
    cases = {
        "ProxySynthesizer": (lambda: ProxySynthesizer(runs=3, seed=4), lambda e: e.score([])),
        "Ensemble": (lambda: Ensemble(["0" * 6], seeds=2, uncertainty="entropy"),
                     lambda e: e.predict(np.zeros((1, 3, 8, 8)))),
        "ZeroCostPredictor": (lambda: get_predictor("zero_cost")(["synflow"], seed=5),
                              lambda e: e.predict(list(table.index), table)),
        "CurveExtrapolator": (lambda: get_predictor("curve_extrapolation")(final_epoch=5),
                              lambda e: e.predict(np.ones((1, 2)))),
        "FTScoreNetRanker": (lambda: get_predictor("ftscorenet")(seed=6), lambda e: e.predict(list(table.index))),
    }
    for name, factory in BASELINES.items():
        cases[f"baseline {name}"] = (lambda f=factory: f(seed=7), lambda e: e.predict(table))
    for name, cls in ALGORITHMS.items():
        cases[f"search {name}"] = (lambda c=cls: c(budget=5, seed=8), None)
    return cases


CASES = _estimators()


@pytest.mark.parametrize("name", list(CASES))
def test_clone_rebuilds_an_equal_unfitted_estimator_with_a_seed(name):
    make, _ = CASES[name]
    estimator = make()
    assert isinstance(estimator, BaseEstimator)
    copy = clone(estimator)
    assert type(copy) is type(estimator) and copy is not estimator
    assert copy.get_params() == estimator.get_params()
    params = inspect.signature(type(estimator)).parameters
    assert "random_state" not in params                  # seeded estimators take seed (Ensemble: seeds per member)
    assert {"seed", "seeds"} & set(params) or name in ("CurveExtrapolator", "baseline rank_average")


@pytest.mark.parametrize("name", [n for n, (_, call) in CASES.items() if call is not None])
def test_a_fitted_only_call_before_fit_raises_the_one_not_fitted_error(name):
    make, call = CASES[name]
    with pytest.raises(NotFittedError, match="is not fitted") as caught:
        call(make())
    assert isinstance(caught.value, ZcError) and "\n" not in str(caught.value)
