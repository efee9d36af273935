"""Use a synthesized formula: load it from result.json, score architectures, export it.

Usage: python examples/use_formula.py RESULT_JSON SUITE_FILE PROBLEM
e.g.   python examples/use_formula.py runs/paper/result.json \
           ../shared/benchmarks/suite-zero/zc_nasbench201.json NB201-CF10
"""
import json
import sys

import numpy as np

from benchmarks_data import load_problems
from synth import Formula


def main(result_path: str, suite_file: str, problem_name: str) -> None:
    with open(result_path) as handle:
        formula = Formula.from_json(json.load(handle))
    print("formula:", formula)
    print("LaTeX:  ", formula.to_latex())

    (problem,) = load_problems([suite_file], [problem_name], formula.features)
    scores = formula.evaluate(problem.features)
    top = np.argsort(scores)[::-1][:5]
    print(f"top 5 of {len(problem)} architectures by the formula (arch, score, val_accuracy):")
    for i in top:
        print(f"  {problem.archs[i]}  {scores[i]:.4g}  {problem.target[i]:.2f}")

    metric = formula.to_numpy()
    assert np.array_equal(metric(problem.features), scores)
    torch_metric = formula.to_torch()
    import torch
    tensors = {name: torch.tensor(problem.features[name].to_numpy()) for name in formula.features}
    np.testing.assert_allclose(torch_metric(tensors).numpy(), scores)
    print("numpy and torch exports agree on all rows")

    same = Formula.from_json(formula.to_json())
    assert same == formula and Formula(str(formula)) == formula
    print("JSON and text round trips give the same formula")


def _fail(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(2)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        _fail(f"usage: python {sys.argv[0]} RESULT_JSON SUITE_FILE PROBLEM "
              "(e.g. runs/paper/result.json ../shared/benchmarks/suite-zero/zc_nasbench201.json NB201-CF10)")
    try:
        main(*sys.argv[1:4])
    except (OSError, ValueError) as exc:
        _fail(f"use_formula: error: {str(exc).splitlines()[0]}")
