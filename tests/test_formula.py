"""Protected operators, Kendall tau, and the formula's parse / print / JSON / numpy / torch round trips."""
from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest
from deap import gp as deap_gp
from scipy.stats import kendalltau

from synth import Formula, FormulaError
from synth.fitness import TrainingData, TreeEvaluator
from synth.gp import primitive_set
from synth.kendall import RankedTarget
from synth.primitives import BAD, PRIMITIVES, finalize


def test_protected_operators_return_bad_where_undefined():
    a = np.array([4.0, 0.0, -1.0, np.nan])
    b = np.array([2.0, 0.0, 0.0, 1.0])
    with np.errstate(all="ignore"):
        assert PRIMITIVES["div"].apply(np, a, b)[:3].tolist() == [2.0, BAD, BAD]
        assert PRIMITIVES["log"].apply(np, a)[:3].tolist() == [np.log(4.0), BAD, BAD]
        assert PRIMITIVES["sqrt"].apply(np, a)[:3].tolist() == [2.0, 0.0, BAD]
        assert PRIMITIVES["log"].apply(np, a)[3] == BAD and PRIMITIVES["sqrt"].apply(np, a)[3] == BAD
    assert BAD == -10_000_000.0
    assert finalize(np, np.array([1.0, np.inf, -np.inf, np.nan])).tolist() == [1.0, BAD, BAD, BAD]


def test_ranked_target_equals_scipy_tau_b_with_ties():
    rng = np.random.default_rng(0)
    for _ in range(100):
        n = int(rng.integers(3, 300))
        y = rng.integers(0, 8, n).astype(float)
        x = rng.integers(0, 6, n).astype(float) if rng.random() < 0.5 else rng.normal(size=n)
        if len(np.unique(y)) < 2:
            continue
        expected = kendalltau(x, y)[0]
        got = RankedTarget(y).tau(x)
        assert (np.isnan(expected) and np.isnan(got)) or abs(expected - got) < 1e-12


@pytest.mark.parametrize("text, expected", [
    ("log(flops)*nwot/snip", "(nwot*log(flops))/snip"),
    ("add(nwot, neg(synflow))", "nwot - synflow"),
    ("c*(a/b)", "c*(a/b)"),
    ("a/b/c", "(a/b)/c"),
    ("neg(neg(a))", "a"),
    ("sub(a, a)", "0"),
    ("nwot", "nwot"),
])
def test_parse_simplifies_and_prints_back(text, expected):
    formula = Formula(text)
    assert str(formula) == expected
    assert Formula(str(formula)) == formula
    assert Formula.from_json(formula.to_json()) == formula


@pytest.mark.parametrize("text, message", [
    ("a +", "syntax error"), ("foo(a)", "unknown function foo/1"), ("a.b", "cannot use"),
    ("__import__('os')", "unknown function"), ("", "empty formula"), ("log(a, b)", "unknown function log/2"),
])
def test_bad_formulas_raise(text, message):
    with pytest.raises(FormulaError, match=message):
        Formula(text)


def test_unknown_proxy_suggests_a_name():
    with pytest.raises(FormulaError, match="did you mean 'nwot'"):
        Formula("nwott + snip", features=["nwot", "snip"])


def test_evaluate_protects_and_reports_missing_columns():
    data = pd.DataFrame({"a": [1.0, 0.0, -1.0, 2.0], "b": [0.0, 1.0, 2.0, 4.0]})
    assert Formula("a/b").evaluate(data).tolist() == [BAD, 0.0, -0.5, 0.5]
    assert Formula("sqrt(b) + log(a)").evaluate(data)[[0, 3]].tolist() == [0.0, 2.0 + np.log(2.0)]
    assert Formula("a - a").evaluate(data).tolist() == [0.0] * 4
    assert Formula("a").to_numpy()(a=np.array([3.0])).tolist() == [3.0]
    with pytest.raises(FormulaError, match="lacks column"):
        Formula("a + c").evaluate(data)


def test_latex_export():
    assert Formula("log(flops)*nwot/snip").to_latex() == \
        r"\frac{\mathrm{nwot} \log{\left(\mathrm{flops} \right)}}{\mathrm{snip}}"


def _random_data(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"p": rng.normal(0, 3, n), "q": rng.uniform(-1, 5, n), "r": rng.integers(-2, 3, n) * 1.0,
                         "s": rng.lognormal(0, 1, n)})


def test_exported_formula_evaluates_like_the_tree():
    """Sympy export round trip: the simplified formula (and its JSON, text, torch forms) equals the tree."""
    torch = pytest.importorskip("torch")
    frame = _random_data()
    features = list(frame.columns)
    data = TrainingData.stack(["x"], features, [frame.to_numpy()], [np.arange(len(frame), dtype=float)])
    evaluator = TreeEvaluator(data)
    pset = primitive_set(features)
    random.seed(3)
    for _ in range(300):
        tree = deap_gp.PrimitiveTree(deap_gp.genHalfAndHalf(pset, 1, 5))
        expected = evaluator.output(tree)
        formula = Formula.from_tree(tree)
        assert Formula(str(tree)) == formula
        for candidate in (formula, Formula.from_json(formula.to_json()), Formula(str(formula))):
            np.testing.assert_allclose(candidate.evaluate(frame), expected, rtol=1e-9, atol=1e-9)
        torch_values = formula.to_torch()({k: torch.tensor(v) for k, v in frame.items()}).numpy()
        np.testing.assert_allclose(torch_values, expected, rtol=1e-9, atol=1e-9)


def test_import_synth_does_not_import_torch():
    import subprocess
    import sys
    code = "import sys, synth; synth.Formula('a+b'); print('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
