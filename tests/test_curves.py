"""Learning-curve models and the extrapolator (issue 16, part 2)."""
from __future__ import annotations

import numpy as np
import pytest

from zc_core.errors import NotFittedError

from synth.predictors.curves import MODELS, CurveExtrapolator, fit_curve

TRUE = {"pow3": (0.85, 0.6, 0.7), "log_log_linear": (0.25, 1.5), "vapor_pressure": (-0.1, -0.8, -0.02),
        "mmf": (0.9, 0.2, 0.3, 1.5), "exp3": (0.88, 0.3, -0.2), "janoschek": (0.9, 0.2, 0.2, 0.9),
        "weibull": (0.9, 0.2, 0.15, 1.2), "ilog2": (0.95, 0.4), "log_shift_scale": (0.3, 0.12, 2.0)}
X = np.arange(1, 51, dtype=float)


def test_every_model_is_covered():
    assert set(TRUE) == set(MODELS)


@pytest.mark.parametrize("name", sorted(TRUE))
def test_each_curve_model_recovers_its_own_parameters_from_noiseless_points(name):
    model, true = MODELS[name], np.array(TRUE[name])
    y = model(X, *true)
    assert np.all((y > 0) & (y < 1))                                  # a plausible accuracy curve
    got = fit_curve(model, X, y)                                      # from the model's generic start
    assert got is not None
    np.testing.assert_allclose(got, true, rtol=1e-4, atol=1e-6)


def _saturating(n=60, epochs=50, seed=0):
    rng = np.random.default_rng(seed)
    a, b, k = rng.uniform(0.6, 0.95, n), rng.uniform(0.2, 0.5, n), rng.uniform(0.05, 0.3, n)
    clean = a[:, None] - b[:, None] * np.exp(-k[:, None] * X[None, :epochs])
    return 100 * (clean + rng.normal(0, 0.005, clean.shape))         # percent, as tables hold them


def test_extrapolation_beats_the_last_observed_value_on_saturating_curves():
    curves = _saturating()
    seen = curves[:, :10]                                             # the first 20 % of 50 epochs
    predicted = CurveExtrapolator(final_epoch=50).fit(seen).predict(seen)
    truth = curves[:, -1]
    extrapolated, naive = np.abs(predicted - truth).mean(), np.abs(seen[:, -1] - truth).mean()
    assert extrapolated < 0.85 * naive
    assert 0 < predicted.min() and predicted.max() < 150                # percent in, percent out


def test_extrapolator_checks_its_input():
    curves = _saturating(n=5)
    with pytest.raises(NotFittedError, match="not fitted"):
        CurveExtrapolator(final_epoch=50).predict(curves[:, :10])
    with pytest.raises(ValueError, match="before the last observed"):
        CurveExtrapolator(final_epoch=5).fit(curves[:, :10])
    with pytest.raises(ValueError, match="unknown curve model"):
        CurveExtrapolator(final_epoch=50, models=["pow4"]).fit(curves[:, :10])
    with pytest.raises(ValueError, match="epochs >= 2"):
        CurveExtrapolator(final_epoch=50).fit(curves[:, :1])
