"""The DARTS (NAS-Bench-301) space: suite keys, canonical tuples, params against the suite, networks."""
from __future__ import annotations

import ast
import json
import math
import random
from collections import namedtuple
from pathlib import Path

import numpy as np
import pytest

from proxies.spaces import get
from proxies.spaces.base import ArchError
from proxies.spaces.darts import SPACE, from_genotype, to_genotype

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
SUITE_FILE = BENCH / "suite-zero-prerelease" / "zc_nasbench301.json"
ARCHS_FILE = BENCH / "archs_nasbench301.json"

KEY = ("[[(0, 0), (1, 5), (1, 1), (0, 1), (1, 3), (0, 3), (1, 3), (3, 2)], "
       "[(1, 0), (0, 2), (1, 3), (0, 3), (3, 0), (0, 1), (2, 0), (3, 6)]]")


@pytest.fixture(scope="module")
def suite() -> dict[str, dict]:
    if not SUITE_FILE.exists():
        pytest.skip("NAS-Bench-Suite-Zero data not found in ../shared/benchmarks")
    return json.loads(SUITE_FILE.read_text())["cifar10"]


def _pairs(key: str) -> list[list[tuple[int, int]]]:
    return [list(cell) for cell in ast.literal_eval(key)]


def _is_canonical(key: str) -> bool:
    return all(cell[2 * k] <= cell[2 * k + 1] for cell in _pairs(key) for k in range(4))


def test_registry_serves_nasbench301() -> None:
    assert get("darts") is SPACE and get("nasbench301") is SPACE
    assert SPACE.size == (1 * 3 * 6 * 10 * 7 ** 8) ** 2
    assert len(SPACE.choices) == 32 and [len(c) for c in SPACE.choices[:8]] == [2, 7, 2, 7, 3, 7, 3, 7]
    assert "enumerate" not in SPACE.supports


def test_suite_keys_round_trip(suite: dict) -> None:
    for key in suite:
        arch = SPACE.parse(key)
        again = SPACE.key(arch)
        assert SPACE.parse(again) == arch
        assert _is_canonical(again)
        if _is_canonical(key):
            assert again == key
        else:
            assert sorted(map(sorted, _pairs(again))) == sorted(map(sorted, _pairs(key)))


def test_archs_file_keys_parse() -> None:
    if not ARCHS_FILE.exists():
        pytest.skip("archs_nasbench301.json not found in ../shared/benchmarks")
    archs = json.loads(ARCHS_FILE.read_text())
    for text in archs.values():
        arch = SPACE.parse(text)
        assert SPACE.canonical(arch) == arch
    for text in random.Random(0).sample(sorted(archs.values()), 200):
        arch = SPACE.parse(text)
        assert SPACE.parse(SPACE.key(arch)) == arch == SPACE.parse(ast.literal_eval(text))


def test_params_equal_suite(suite: dict) -> None:
    config = SPACE.suite_config("cifar10")
    assert (config.input_shape, config.num_classes, config.width, config.cells) == ((3, 32, 32), 10, 32, 8)
    for key in random.Random(0).sample(sorted(suite), 20):
        model = SPACE.build(key, in_channels=config.input_shape[0], num_classes=config.num_classes,
                            width=config.width, cells=config.cells)
        params = round(sum(p.numel() for p in model.parameters()) / 1e6, 6)
        assert params == suite[key]["params"]["score"], key


def test_swapped_pairs_give_one_tuple() -> None:
    arch = SPACE.parse(KEY)
    cells = _pairs(KEY)
    cells[0][2], cells[0][3] = cells[0][3], cells[0][2]
    cells[1][6], cells[1][7] = cells[1][7], cells[1][6]
    assert SPACE.parse(cells) == arch
    assert SPACE.parse(str(cells)) == arch
    flat = [v for cell in cells for pair in cell for v in pair]
    assert SPACE.canonical(flat) == arch
    assert SPACE.canonical(arch) == arch


def test_genotype_forms() -> None:
    arch = SPACE.parse(KEY)
    genotype = to_genotype(arch)
    assert genotype["normal"][:2] == [("max_pool_3x3", 0), ("dil_conv_3x3", 1)]
    assert len(genotype["reduce"]) == 8
    assert from_genotype(genotype) == arch
    Genotype = namedtuple("Genotype", "normal normal_concat reduce reduce_concat")
    assert SPACE.parse(Genotype(genotype["normal"], [2, 3, 4, 5], genotype["reduce"], [2, 3, 4, 5])) == arch
    assert SPACE.parse(SPACE.describe(arch)) == arch
    assert SPACE.parse(tuple(tuple(cell) for cell in _pairs(KEY))) == arch


@pytest.mark.parametrize("bad", [
    "[[(0, 0), (0, 5), (1, 1), (0, 1), (1, 3), (0, 3), (1, 3), (3, 2)], "
    "[(1, 0), (0, 2), (1, 3), (0, 3), (3, 0), (0, 1), (2, 0), (3, 6)]]",        # node 0 takes input 0 twice
    KEY.replace("(3, 6)", "(3, 7)"),                                             # op out of range
    KEY.replace("(1, 5)", "(2, 5)"),                                             # node 0 reads node 0
    KEY.replace("(3, 2)]", "(5, 2)]", 1),                                        # input past node 2
    KEY.replace(", (3, 2)]", "]", 1),                                            # 7 pairs in the normal cell
    KEY.replace(", (3, 2)]", ", (3, 2), (0, 1)]", 1),                            # 9 pairs
    "[" + KEY.split("], [")[0][1:] + "]]",                                       # one cell only
    "(0, 1, 2, 3, 4, 0)",                                                        # an NB201 key
    (0, 1, 2, 3, 4, 0),
    "[[(0, 0)]] garbage",
    "x" * 10_000,
    "Genotype(normal=[('conv_7x7', 0)], reduce=[])",
    [[("a", 0)] * 8] * 2,
    42,
])
def test_invalid_keys_raise(bad: object) -> None:
    with pytest.raises(ArchError) as info:
        SPACE.parse(bad)
    assert "\n" not in str(info.value) and len(str(info.value)) < 300


def test_invalid_choice_tuples_raise() -> None:
    arch = list(SPACE.parse(KEY))
    with pytest.raises(ArchError):
        SPACE.canonical(arch[:-1])
    twice = arch.copy()
    twice[2] = twice[0]
    with pytest.raises(ArchError, match="twice"):
        SPACE.canonical(twice)
    wrong_op = arch.copy()
    wrong_op[1] = 7
    with pytest.raises(ArchError):
        SPACE.canonical(wrong_op)


def test_sampling_and_mutation_stay_canonical() -> None:
    rng = np.random.default_rng(0)
    arch = SPACE.sample(rng)
    assert SPACE.canonical(arch) == arch
    near = SPACE.neighbours(arch)
    assert near and all(SPACE.canonical(a) == a != arch for a in near)
    assert len(SPACE.random(5, seed=1)) == 5


@pytest.mark.parametrize("dim,shape", [(1, (1, 101)), (2, (3, 15, 17)), (3, (1, 9, 8, 7))])
def test_forward_backward_tiny(dim: int, shape: tuple[int, ...]) -> None:
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(0)
    model = SPACE.build(KEY, dim=dim, in_channels=shape[0], num_classes=5, width=4, cells=3)
    x = torch.randn(2, *shape)
    out = model(x)
    assert out.shape == (2, 5)
    out.square().mean().backward()
    assert all(p.grad is not None for p in model.parameters())
    blocks = model.feature_blocks()
    assert len(blocks) == 4 and model.forward_features(x).ndim == 2 + dim
    assert math.isfinite(float(out.detach().sum()))
