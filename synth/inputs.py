"""What commands read from the user, as library functions a Python user can call too: the problems
of ``--data``/``--problems`` (the built-in benchmark by default), and a metric from text, a proxy
name, a result or baseline JSON file, or a saved FT-ScoreNet."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from benchmarks_data.measures import DECLARED
from zc_core.errors import DataError

if TYPE_CHECKING:
    from .formula import Formula


def data_and_problems(data: list[str] | None, names: list[str] | None) -> tuple[list[str], list[str]]:
    """The files and problems to use: the built-in benchmark when no file is given, every task of the
    files when no problem is named (the built-in tables by their aliases NB201-ECG, ...)."""
    from benchmarks_data.problems import BUILTIN, expand_data, problem_names

    data = list(data or [BUILTIN])
    return expand_data(data), (names or problem_names(data))


def load_training_problems(data: list[str] | None, problems: list[str] | None,
                           features: list[str] | None = None, target: str = DECLARED) -> list:
    """The problems a synthesis reads (``--data``/``--problems``/``--features``/``--target``), with
    every proxy name checked to be usable in a formula before any run starts."""
    from benchmarks_data.problems import load_problems

    from .primitives import check_feature_names

    paths, names = data_and_problems(data, problems)
    loaded = load_problems(paths, names, features, per_problem=True, target=target)
    try:
        check_feature_names(sorted({f for p in loaded for f in p.features.columns}))
    except ValueError as exc:
        raise DataError(str(exc)) from None
    return loaded


def load_formula(spec: str) -> tuple[Formula, list[str] | None]:
    """A metric from text or from a JSON file (a result.json, or any metric's ``to_dict()``, read by
    :func:`synth.metric.metric_from_dict`: a formula, a rank average, which needs the other
    architectures to score one, or a saved FT-ScoreNet); also a formula result's problems when there are some."""
    from zc_core.jsonio import load_json

    from .formula import Formula
    from .metric import metric_from_dict
    from .predictors.ftscorenet.metric import PREFIX

    if spec.startswith(PREFIX):
        from .predictors.ftscorenet.metric import FTScoreNetMetric

        return FTScoreNetMetric(spec[len(PREFIX):]), None
    if spec.endswith(".json") or os.path.isfile(spec):
        if not os.path.isfile(spec):
            raise DataError(f"{spec}: no such file")
        data = load_json(spec)
        if not isinstance(data, dict) or not ("expr" in data or "formula" in data):
            raise DataError(f"{spec}: not a zc-synth result (no 'formula')")
        metric = metric_from_dict(data)
        if not isinstance(metric, Formula):
            return metric, None
        problems = list(data["problems"]) if isinstance(data.get("problems"), dict) else None
        return metric, problems
    return Formula(spec), None


def metric_name(spec: str) -> tuple[str, str]:
    """``NAME=SPEC`` -> (NAME, SPEC); a result file is named after its folder; else the spec itself."""
    name, sep, rest = spec.partition("=")
    if sep and name and rest and name.replace("_", "").replace("-", "").isalnum() and not os.path.exists(spec):
        return name, rest
    if spec.endswith(".json"):
        parent = os.path.basename(os.path.dirname(os.path.abspath(spec)))
        return parent or os.path.basename(spec), spec
    return spec, spec
