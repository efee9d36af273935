"""One registry shape everywhere (zc_core.registry.Registry), and one contract test per registry,
parametrized over its entries: a new entry is checked the moment it is registered."""
from __future__ import annotations

import inspect

import numpy as np
import pytest

from zc_core.errors import ZcError
from zc_core.registry import Registry


def test_registry_add_get_meta_and_errors():
    reg: Registry[int] = Registry("widget")
    assert reg.add("alpha", 1, colour="red") == 1
    reg.register("beta")(2)
    assert list(reg) == ["alpha", "beta"] and reg["beta"] == 2 and len(reg) == 2
    assert reg.meta("alpha") == {"colour": "red"} and reg.get("gamma", None) is None
    with pytest.raises(ValueError, match="registered twice"):
        reg.add("alpha", 3)
    with pytest.raises(ZcError, match=r"unknown widget 'alpah' \(did you mean 'alpha'\?\); choose from alpha, beta"):
        reg.get("alpah")


def _registries():
    from proxies import spaces
    from proxies.registry import available
    from synth.baselines import BASELINES
    from synth.ensemble.combine import COMBINE_RULES
    from synth.ensemble.uncertainty import SCORES
    from synth.predictors import PREDICTORS
    from synth.predictors.curves import MODELS
    from synth.search.algorithms import ALGORITHMS

    return {"proxies": available(), "spaces": spaces.REGISTRY, "search algorithms": ALGORITHMS,
            "baselines": BASELINES, "predictors": PREDICTORS, "uncertainty scores": SCORES,
            "combination rules": COMBINE_RULES, "curve models": MODELS}


REGISTRIES = _registries()
ENTRIES = [(kind, name) for kind, reg in REGISTRIES.items() for name in reg]


@pytest.mark.parametrize("kind", list(REGISTRIES))
def test_every_registry_has_the_one_shape_and_a_one_line_unknown_name(kind):
    reg = REGISTRIES[kind]
    assert isinstance(reg, Registry) and len(reg) >= 2
    first = next(iter(reg))
    with pytest.raises(ZcError) as caught:
        reg.get(first + "x")
    message = str(caught.value)
    assert "\n" not in message and f"did you mean {first!r}" in message and "choose from" in message


@pytest.mark.parametrize("kind,name", ENTRIES, ids=[f"{k}:{n}" for k, n in ENTRIES])
def test_every_entry_keeps_its_registrys_contract(kind, name):
    entry = REGISTRIES[kind].get(name)
    if kind == "proxies":
        from proxies.registry import NEEDS
        assert entry.name == name and callable(entry.fn) and entry.needs <= NEEDS
    elif kind == "spaces":
        from proxies import spaces
        space = spaces.get(name)
        assert space.name == name and _suite_of(name) in space.suite_names
    elif kind == "search algorithms":
        from synth.search.algorithms import SearchAlgorithm
        assert issubclass(entry, SearchAlgorithm) and entry.name == name
        assert all(p.kind == p.KEYWORD_ONLY for p in list(inspect.signature(entry).parameters.values()))
    elif kind == "baselines":
        model = entry(seed=0)
        assert hasattr(model, "fit") and not hasattr(model, "metric_")
    elif kind == "predictors":
        from synth.predictors import get_predictor
        cls = get_predictor(name)
        assert callable(getattr(cls, "fit")) and callable(getattr(cls, "predict"))
    elif kind == "uncertainty scores":
        proba = np.array([[[0.9, 0.1], [0.5, 0.5]], [[0.8, 0.2], [0.4, 0.6]]])
        values = entry(proba, np.array([0, 0]))
        assert values.shape == (2,) and np.isfinite(values).all()
    elif kind == "combination rules":
        from synth.ensemble.combine import combine
        assert isinstance(entry, str) and combine(np.full((2, 3, 2), 0.5), name).shape == (3,)
    elif kind == "curve models":
        assert entry.name == name and len(entry.start) == len(entry.lower) == len(entry.upper)
        assert np.all(np.array(entry.lower) <= np.array(entry.start)) and np.all(np.array(entry.start) <= entry.upper)


def _suite_of(name: str) -> str:
    from proxies import spaces
    return spaces.REGISTRY.meta(name)["suite"]


def test_the_search_commands_help_names_every_registered_algorithm():
    from synth.cli import build_parser

    (search,) = [a.choices["search"] for a in build_parser()._actions if getattr(a, "choices", None)
                 and "search" in a.choices]
    (algo,) = [a for a in search._actions if "--algo" in a.option_strings]
    assert all(name in algo.help for name in REGISTRIES["search algorithms"])
