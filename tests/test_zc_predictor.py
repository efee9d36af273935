"""The zero-cost-feature predictor's fit/predict contract (issue 16, part)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zc_core.errors import NotFittedError
from scipy.stats import kendalltau

from proxies.spaces.nb201.encoding import random_cells
from synth.predictors import ZeroCostPredictor, one_hot_cells


@pytest.fixture(scope="module")
def table():
    """120 NB201 cells: accuracy from the ops plus noise; proxy ``good`` tracks it, ``noise`` does not."""
    rng = np.random.default_rng(0)
    archs = [str(c.to_tuple()) for c in random_cells(120, 0)]
    ops = one_hot_cells(archs)
    acc = 60 + ops @ rng.normal(0, 3, ops.shape[1]) + rng.normal(0, 1, len(archs))
    good = acc + rng.normal(0, 2, len(archs))
    good[:5] = np.nan                                                   # missing values are allowed
    return pd.DataFrame({"good": good, "noise": rng.normal(size=len(archs)), "val_accuracy": acc},
                        index=pd.Index(archs, name="arch"))


def test_one_hot_encoding_marks_one_op_per_edge():
    enc = one_hot_cells(["(0, 1, 2, 3, 4, 0)", "|nor_conv_3x3~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|none~2|"])
    assert enc.shape == (2, 30) and (enc.sum(axis=1) == 6).all()
    assert enc[0].reshape(6, 5).argmax(axis=1).tolist() == [0, 1, 2, 3, 4, 0]


def test_fit_predict_shapes_quality_and_determinism(table):
    archs = list(table.index)
    train, test = archs[:80], archs[80:]
    first = ZeroCostPredictor(seed=3).fit(train, table).predict(test, table)
    again = ZeroCostPredictor(seed=3).fit(train, table).predict(test, table)
    assert first.shape == (40,) and np.array_equal(first, again)
    assert kendalltau(first, table.loc[test, "val_accuracy"])[0] > 0.5
    other = ZeroCostPredictor(seed=4).fit(train, table).predict(test, table)
    assert not np.array_equal(first, other)
    boosted = ZeroCostPredictor(model="boosting", proxies=["good"]).fit(train, table).predict(test, table)
    assert boosted.shape == (40,) and np.isfinite(boosted).all()


def test_clear_errors(table):
    archs = list(table.index)
    with pytest.raises(ValueError, match="unknown proxy 'godo'.*did you mean 'good'"):
        ZeroCostPredictor(proxies=["godo"]).fit(archs, table)
    with pytest.raises(NotFittedError, match="not fitted"):
        ZeroCostPredictor().predict(archs, table)
    with pytest.raises(ValueError, match="unknown model"):
        ZeroCostPredictor(model="xgb").fit(archs, table)
    with pytest.raises(ValueError, match="not in the table"):
        ZeroCostPredictor().fit(archs[:10] + ["(4, 4, 4, 4, 4, 4)"], table)
    with pytest.raises(ValueError, match="encoding=False"):
        ZeroCostPredictor().fit(["a", "b"], pd.DataFrame({"good": [1.0, 2.0], "val_accuracy": [1.0, 2.0]},
                                                         index=["a", "b"]))
