"""NB201 encodings and networks: both key formats, 1D/2D/3D builds, params and flops on real suite cells."""
from __future__ import annotations

import json
import random

import pandas as pd
import pytest
import torch

from proxies.measures.flops import count_flops
from proxies.spaces.nb201 import ArchError, Cell, NB201Network, all_cells, random_cells

from conftest import bench_file

README_KEY = "(4, 0, 3, 1, 4, 3)"
README_STR = "|avg_pool_3x3~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|avg_pool_3x3~1|nor_conv_1x1~2|"


def test_the_readme_example_maps_both_ways():
    assert Cell.parse(README_KEY).to_string() == README_STR
    assert Cell.parse(README_STR).to_tuple() == (4, 0, 3, 1, 4, 3)


def test_all_cells_round_trip_and_are_distinct():
    cells = list(all_cells())
    assert len({c.to_tuple() for c in cells}) == 15625
    assert all(Cell.parse(c.to_string()) == c == Cell.parse(str(c.to_tuple())) for c in cells[::97])


@pytest.mark.parametrize("bad", ["(0, 1, 2)", "(0, 1, 2, 3, 4, 5)", "|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|",
                                 "|none~0|+|none~0|+|none~0|none~1|none~2|", "hello"])
def test_bad_keys_raise_one_clear_error(bad):
    with pytest.raises(ArchError):
        Cell.parse(bad)


def test_random_cells_are_seeded_and_distinct():
    a, b = random_cells(50, seed=3), random_cells(50, seed=3)
    assert a == b and len(set(a)) == 50 and random_cells(50, seed=4) != a


@pytest.mark.parametrize("dim,shape", [(1, (2, 1, 64)), (2, (2, 3, 16, 16)), (3, (2, 1, 8, 8, 8))])
def test_1d_2d_3d_networks_run_forward_and_backward(dim, shape):
    net = NB201Network("|nor_conv_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|skip_connect~0|none~1|nor_conv_3x3~2|",
                       dim=dim, in_channels=shape[1], num_classes=4, width=4, cells_per_stage=1)
    out = net(torch.randn(*shape))
    assert out.shape == (2, 4)
    out.sum().backward()
    assert all(p.grad is not None for p in net.stem.parameters())


def test_params_follow_the_formula_for_a_tiny_network():
    """C=4, N=1, one 3x3 conv edge: count every layer by hand."""
    c, k = 4, 10
    net = NB201Network("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|", width=c, cells_per_stage=1,
                       num_classes=k)
    stem = 3 * c * 9 + 2 * c
    convs = [c * c * 9 + 2 * c, 2 * c * 2 * c * 9 + 4 * c, 4 * c * 4 * c * 9 + 8 * c]
    red1 = c * 2 * c * 9 + 2 * 2 * c + 2 * c * 2 * c * 9 + 2 * 2 * c + c * 2 * c
    red2 = 2 * c * 4 * c * 9 + 2 * 4 * c + 4 * c * 4 * c * 9 + 2 * 4 * c + 2 * c * 4 * c
    head = 2 * 4 * c + 4 * c * k + k
    assert sum(p.numel() for p in net.parameters()) == stem + sum(convs) + red1 + red2 + head


def test_flops_of_a_conv_follow_the_formula():
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 5, 3, padding=1), torch.nn.ReLU())
    # 8x8x5 outputs x (27 MACs + 1 bias) + 320 ReLU elements
    assert count_flops(net, torch.zeros(1, 3, 8, 8)) == pytest.approx((320 * 28 + 320) / 1e6)


def test_params_and_flops_match_the_suite_on_200_cells():
    suite = json.load(open(bench_file("suite-zero/zc_nasbench201.json"), encoding="utf-8"))["cifar10"]
    csv = pd.read_csv(bench_file("nasbench201/cifar10_accuracy.csv"))
    csv_params = dict(zip(csv["arch_str"], csv["params"]))
    keys = random.Random(0).sample(sorted(k for k, v in suite.items() if isinstance(v.get("params"), dict)), 200)
    x = torch.zeros(1, 3, 32, 32)
    checked = 0
    for key in keys:
        net = NB201Network(key).eval()
        params = sum(p.numel() for p in net.parameters()) / 1e6
        assert params == pytest.approx(suite[key]["params"]["score"], abs=1e-6), key
        if abs(csv_params[Cell.parse(key).to_string()] - suite[key]["params"]["score"]) <= 1e-6:
            checked += 1
        assert count_flops(net, x) == pytest.approx(suite[key]["flops"]["score"], rel=0.01), key
    assert checked >= 190


def test_pruned_cells_drop_exactly_the_edges_off_every_input_output_path():
    cell = Cell.parse("|nor_conv_3x3~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|none~1|avg_pool_3x3~2|")
    # node 1 feeds nothing: its input edge goes; node 2 feeds the output through avg_pool
    assert cell.pruned() == Cell.parse("|none~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|none~1|avg_pool_3x3~2|")
    dead_input = Cell.parse("|none~0|+|none~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|avg_pool_3x3~2|")
    # node 1 never receives the input, so nothing it feeds (directly or through node 2) matters
    assert dead_input.pruned() == Cell.parse("|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|")
    cells = list(all_cells())
    assert all(c.pruned().pruned() == c.pruned() for c in cells)
    assert sum(c.pruned() == c for c in cells) < len(cells)
    assert Cell(("none",) * 6).pruned() == Cell(("none",) * 6)
