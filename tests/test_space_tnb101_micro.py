"""TransNAS-Bench-101-Micro: suite keys round trip, params (and class_scene flops) equal the suite's,
canonical tuples and invalid keys, task heads, 1D/2D/3D forward and backward."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
import torch

from proxies import spaces
from proxies.measures.flops import count_flops
from proxies.spaces.base import ArchError
from proxies.spaces.tnb101_micro import SPACE, TASKS

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
FINAL = BENCH / "suite-zero" / "zc_transbench101_micro.json"
PRERELEASE = BENCH / "suite-zero-prerelease" / "zc_transbench101_micro.json"
EXAMPLE = (1, 0, 0, 2, 1, 0)
EXAMPLE_PARAMS = {"class_scene": 0.910687, "class_object": 0.929668, "autoencoder": 23.750227, "normal": 23.750227,
                  "jigsaw": 5.487368, "segmentsemantic": 11.902545, "room_layout": 0.882985}
"""The suite's params (millions) of the example cell per task."""


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
    assert spaces.get("tnb101_micro") is SPACE is spaces.get("transbench101_micro")
    assert set(SPACE.tasks) == set(TASKS) and "tasks" in SPACE.supports


@pytest.mark.parametrize("path", [FINAL, PRERELEASE])
def test_every_suite_key_round_trips(path):
    suite = _load(path)
    for task, records in suite.items():
        assert all(SPACE.key(SPACE.parse(k)) == k for k in records), task
    assert len({SPACE.parse(k) for k in suite["class_scene"]}) == (4096 if path == FINAL else 711)


def test_enumeration_is_every_final_release_key():
    keys = [SPACE.key(a) for a in SPACE.all()]
    assert len(set(keys)) == SPACE.size == 4096
    assert set(keys) == set(_load(FINAL)["class_scene"])


def test_params_of_the_example_cell_per_task():
    for task, expected in EXAMPLE_PARAMS.items():
        assert _params(EXAMPLE, task) == expected, task


def test_params_equal_the_suite_on_21_sampled_archs():
    suite = _load(PRERELEASE)
    rng = random.Random(0)
    for task, records in suite.items():
        for key in rng.sample(sorted(records), 3):
            assert _params(key, task) == records[key]["params"]["score"], (task, key)


def test_class_scene_flops_equal_the_suite_on_3_archs():
    records = _load(PRERELEASE)["class_scene"]
    for key in random.Random(1).sample(sorted(records), 3):
        with torch.device("meta"):
            net = SPACE.build(key, width=64, cells=2, task="class_scene").eval()
            flops = count_flops(net, torch.zeros(1, 3, 256, 256))
        assert flops == pytest.approx(records[key]["flops"]["score"], rel=1e-9), key


def test_other_text_forms_give_the_same_arch():
    assert SPACE.parse("64-41414-1_00_210") == SPACE.parse("(1, 0, 0, 2, 1, 0)") == SPACE.parse([1, 0, 0, 2, 1, 0])
    assert SPACE.parse(SPACE.describe(EXAMPLE)) == EXAMPLE
    assert SPACE.describe(EXAMPLE) == "|skip_connect~0|+|none~0|none~1|+|nor_conv_1x1~0|skip_connect~1|none~2|"
    assert SPACE.canonical(EXAMPLE) == EXAMPLE


@pytest.mark.parametrize("bad", [
    "(1, 0, 0, 2, 1, 4)",                      # op index 4 (an NB201 avg_pool key)
    "(0, 1, 2, 3, 4, 0)",                      # an NB201 key
    "(1, 0, 0, 2, 1)", "(1, 0, 0, 2, 1, 0, 0)", "(1, 0, 0, 2, -1, 0)",
    str(tuple([0, 1] * 28)),                   # an NB101 key (49 + 7 numbers)
    "[[(0, 0), (1, 5), (1, 1), (0, 1)], [(1, 0), (0, 2), (1, 3), (0, 3)]]",   # an NB301 key's shape
    "64-41214-1_00_210", "64-41414-1_00_21",   # another backbone, a short cell
    "|avg_pool_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|", "hello", "x" * 5000, 3.5, None,
])
def test_invalid_keys_raise_arch_error(bad):
    with pytest.raises(ArchError):
        SPACE.parse(bad)


@pytest.mark.parametrize("bad", [(1, 0, 0, 2, 1, 4), (1, 0, 0), (0,) * 7, ("a",) * 6])
def test_invalid_tuples_raise_arch_error(bad):
    with pytest.raises(ArchError):
        SPACE.canonical(bad)


def test_long_input_is_truncated_in_the_message():
    with pytest.raises(ArchError) as err:
        SPACE.parse("(" + ", ".join(["1"] * 3000) + ")")
    assert len(str(err.value)) < 300 and "\n" not in str(err.value)


@pytest.mark.parametrize("dim,shape", [(1, (2, 1, 1000)), (2, (2, 3, 33, 31)), (3, (2, 1, 16, 16, 16))])
def test_1d_2d_3d_networks_run_forward_and_backward(dim, shape):
    torch.manual_seed(0)
    net = SPACE.build((3, 1, 2, 1, 0, 3), dim=dim, in_channels=shape[1], num_classes=5, width=4, cells=1)
    out = net(torch.randn(*shape))
    assert out.shape == (2, 5)
    out.sum().backward()
    assert all(p.grad is not None for p in net.encoder.stem.parameters())
    assert net.forward_features(torch.randn(*shape)).ndim == dim + 2 and len(net.feature_blocks()) == 6


@pytest.mark.parametrize("task,out", [("jigsaw", (2, 1000)), ("room_layout", (2, 9)),
                                      ("segmentsemantic", (2, 17, 64, 64)), ("autoencoder", (2, 3, 64, 64))])
def test_task_heads_run_forward_and_backward(task, out):
    cfg = SPACE.suite_config(task)
    net = SPACE.build((3, 1, 2, 1, 0, 3), in_channels=cfg.input_shape[0], width=4, cells=1, task=task)
    y = net(torch.randn(2, cfg.input_shape[0], 64, 64))
    assert y.shape == out
    y.mean().backward()


def test_dense_heads_need_2d_and_jigsaw_needs_tiles():
    with pytest.raises(ArchError):
        SPACE.build(EXAMPLE, dim=3, in_channels=1, width=4, task="segmentsemantic")
    with pytest.raises(ArchError):
        SPACE.build(EXAMPLE, in_channels=3, width=4, task="jigsaw")
    with pytest.raises(ArchError):
        SPACE.build(EXAMPLE, width=4, task="cifar10")
    net = SPACE.build(EXAMPLE, dim=3, in_channels=1, width=4, task="class_object").eval()
    assert net(torch.randn(1, 1, 8, 8, 8)).shape == (1, 100)
