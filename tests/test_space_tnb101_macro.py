"""TransNAS-Bench-101-Macro: suite keys round trip (both releases' formats), the validity rule gives
exactly the suite's 3,256 networks, params (and class_scene flops) equal the suite's, invalid keys,
task heads, 1D/2D/3D forward and backward."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import torch

from proxies import spaces
from proxies.measures.flops import count_flops
from proxies.spaces.base import ArchError
from proxies.spaces.tnb101_macro import SPACE

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
FINAL = BENCH / "suite-zero" / "zc_transbench101_macro.json"
PRERELEASE = BENCH / "suite-zero-prerelease" / "zc_transbench101_macro.json"
EXAMPLE = (1, 2, 4, 2, 0, 0)


def _load(path: Path) -> dict:
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return json.loads(path.read_text(encoding="utf-8"))


def _params(arch, task: str) -> float:
    """Params (millions, 6 decimals) of the suite's build, on the meta device (no memory, no init)."""
    cfg = SPACE.suite_config(task)
    with torch.device("meta"):
        net = SPACE.build(arch, in_channels=cfg.input_shape[0], width=cfg.width, cells=cfg.cells, task=task)
    return round(sum(p.numel() for p in net.parameters()) / 1e6, 6)


def test_registry_serves_the_suite_name():
    assert spaces.get("tnb101_macro") is SPACE is spaces.get("transbench101_macro")


def test_final_release_keys_round_trip_exactly():
    for task, records in _load(FINAL).items():
        assert all(SPACE.key(SPACE.parse(k)) == k for k in records), task


def test_prerelease_padded_keys_round_trip():
    for task, records in _load(PRERELEASE).items():
        for k in records:
            arch = SPACE.parse(k)
            assert SPACE.padded_key(arch) == k and SPACE.parse(SPACE.key(arch)) == arch, (task, k)


def test_the_rule_gives_exactly_the_suite_networks():
    keys = [SPACE.key(a) for a in SPACE.all()]
    assert len(set(keys)) == SPACE.size == 3256
    for task, records in _load(FINAL).items():
        assert set(records) == set(keys), task


def test_params_of_the_example_and_flops_on_class_scene():
    assert _params(EXAMPLE, "class_scene") == 11.218783
    with torch.device("meta"):
        net = SPACE.build(EXAMPLE, width=64, cells=2, task="class_scene").eval()
        assert count_flops(net, torch.zeros(1, 3, 256, 256)) == pytest.approx(13602.455552, rel=1e-9)


def test_params_equal_the_suite_on_21_sampled_archs():
    suite = _load(PRERELEASE)
    rng = random.Random(0)
    for task, records in suite.items():
        for key in rng.sample(sorted(records), 3):
            assert _params(key, task) == records[key]["params"]["score"], (task, key)


def test_other_forms_give_the_same_arch():
    assert SPACE.parse("64-1242-basic") == SPACE.parse("(1, 2, 4, 2)") == SPACE.parse([1, 2, 4, 2, 0, 0]) == EXAMPLE
    assert SPACE.describe(EXAMPLE) == "64-1242-basic" and SPACE.key(EXAMPLE) == "(1, 2, 4, 2)"


@pytest.mark.parametrize("bad", [
    "(1, 1, 1, 1, 0, 0)",          # no downsampling, no doubling
    "(3, 3, 3, 3, 3, 1)",          # 5 downsamplings (at most 4), no doubling
    "(4, 4, 4, 4, 1, 1)",          # 4 doublings (at most 3)
    "(2, 2, 1, 1, 1, 1)",          # doublings but no downsampling
    "(1, 2, 0, 4, 2, 0)",          # a zero in the middle
    "(1, 2, 4, 0, 0, 0)", "(1, 2, 4)",   # 3 stages
    "(1, 2, 4, 2, 5, 0)", "(1, 2, 4, 2, 0, 0, 0)", "(-1, 2, 4, 2, 0, 0)",
    str(tuple([0, 1] * 28)),      # an NB101 key
    "[[(0, 0), (1, 5)], [(1, 0), (0, 2)]]", "64-41414-1_00_210", "64-12-basic", "hello", "(" * 4000, None,
])
def test_invalid_keys_raise_arch_error(bad):
    with pytest.raises(ArchError):
        SPACE.parse(bad)


@pytest.mark.parametrize("bad", [(1, 2, 0, 4, 2, 0), (1, 2, 4, 0, 0, 0), (1, 1, 1, 1, 1, 1), (1, 2, 4, 2), (5,) * 6])
def test_invalid_tuples_raise_arch_error(bad):
    with pytest.raises(ArchError):
        SPACE.canonical(bad)


def test_mutation_and_sampling_stay_valid():
    import numpy as np

    rng = np.random.default_rng(0)
    arch = SPACE.sample(rng)
    for _ in range(20):
        arch = SPACE.mutate(arch, rng)
        assert SPACE.is_valid(arch)
    assert all(SPACE.is_valid(a) for a in SPACE.neighbours(EXAMPLE))


@pytest.mark.parametrize("dim,shape", [(1, (2, 1, 1000)), (2, (2, 3, 33, 31)), (3, (2, 1, 16, 16, 16))])
def test_1d_2d_3d_networks_run_forward_and_backward(dim, shape):
    torch.manual_seed(0)
    net = SPACE.build((4, 3, 2, 1, 4, 3), dim=dim, in_channels=shape[1], num_classes=5, width=4, cells=1)
    out = net(torch.randn(*shape))
    assert out.shape == (2, 5)
    out.sum().backward()
    assert all(p.grad is not None for p in net.encoder.stem.parameters())
    assert net.forward_features(torch.randn(*shape)).shape[1] == 4 * 8 and len(net.feature_blocks()) == 7


@pytest.mark.parametrize("task,out", [("jigsaw", (2, 1000)), ("segmentsemantic", (2, 17, 64, 64)),
                                      ("normal", (2, 3, 64, 64))])
def test_task_heads_run_forward_and_backward(task, out):
    cfg = SPACE.suite_config(task)
    net = SPACE.build((2, 3, 1, 3, 0, 0), in_channels=cfg.input_shape[0], width=4, cells=1, task=task)
    y = net(torch.randn(2, cfg.input_shape[0], 64, 64))
    assert y.shape == out
    y.mean().backward()


def test_dense_heads_need_2d():
    with pytest.raises(ArchError):
        SPACE.build(EXAMPLE, dim=1, in_channels=1, width=4, task="autoencoder")
