"""NB101 space: suite keys round trip, the suite's params, canonical (isomorphism-free) tuples, invalid
cells, and 1D/2D/3D networks."""
from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from proxies import spaces
from proxies.spaces.base import ArchError, Space
from proxies.spaces.nb101 import SPACE, NB101Network, Spec
from proxies.spaces.nb101.network import vertex_channels

BENCH = Path(__file__).resolve().parents[1].parent / "shared" / "benchmarks"
CONV3, CONV1, POOL = "conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3"


def suite_records() -> dict[str, dict]:
    """Every NB101 suite record (final release and prerelease files that exist), by key."""
    records: dict[str, dict] = {}
    final = BENCH / "suite-zero" / "zc_nasbench101.json"
    if final.exists():
        for task in json.loads(final.read_text()).values():
            records.update(task)
    pre = BENCH / "suite-zero-prerelease" / "zc_nasbench101.json"
    if pre.exists():
        records.update(json.loads(pre.read_text())["nasbench101"]["cifar10"])
    if not records:
        pytest.skip(f"no NB101 suite files under {BENCH}")
    return records


def key_of(edges: list[tuple[int, int]], ops: list[str]) -> str:
    """A 56-int suite key of a 7-vertex graph (``ops``: the 5 interior ops)."""
    matrix = [[int((i, j) in edges) for j in range(7)] for i in range(7)]
    codes = {POOL: 2, CONV1: 3, CONV3: 4}
    return str(tuple(v for row in matrix for v in row) + (0, *(codes[op] for op in ops), 1))


def params_m(net: torch.nn.Module) -> float:
    return round(sum(p.numel() for p in net.parameters()) / 1e6, 6)


def test_registry_and_shape():
    assert spaces.get("nasbench101") is SPACE and SPACE.name == "nb101"
    assert len(SPACE.choices) == 26 and SPACE.size == 423_624 and "enumerate" not in SPACE.supports
    config = SPACE.suite_config("cifar10")
    assert (config.input_shape, config.num_classes, config.width, config.cells) == ((3, 32, 32), 10, 128, 3)


def test_space_imports_without_torch():
    code = ("import sys, numpy, proxies.spaces.nb101 as m; m.SPACE.key(m.SPACE.sample(numpy.random.default_rng(0)));"
            "assert 'torch' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])


def test_every_suite_key_round_trips():
    for key in suite_records():
        arch = SPACE.parse(key)
        text = SPACE.key(arch)
        assert SPACE.parse(text) == arch and SPACE.key(SPACE.parse(text)) == text
        assert SPACE.canonical(arch) == arch and SPACE.parse(list(arch)) == arch


def test_suite_params_on_a_sample():
    """The key's own vertex order gives the suite's params exactly; the canonical order too, except
    where the output's channels split unevenly among its feeders (the remainder goes to the earliest
    feeders, so it depends on the vertex order)."""
    records = suite_records()
    config = SPACE.suite_config()
    for key in random.Random(0).sample(sorted(records), 20):
        assert params_m(SPACE.suite_network(key)) == records[key]["params"], key
        spec = SPACE.key_spec(key)
        feeders = sum((v, spec.num_vertices - 1) in spec.edges for v in range(1, spec.num_vertices - 1))
        if feeders in (0, 1, 2, 4):
            net = SPACE.build(SPACE.parse(key), width=config.width, cells=config.cells, num_classes=10)
            assert params_m(net) == records[key]["params"], key


def test_channel_split_follows_nasbench():
    spec = Spec(frozenset({(0, 1), (0, 2), (0, 3), (1, 4), (2, 4), (3, 4)}), (CONV3, CONV1, POOL))
    assert vertex_channels(spec, 64, 128) == [64, 43, 43, 42, 128]
    chain = Spec(frozenset({(0, 1), (1, 2), (0, 3), (2, 3)}), (CONV3, CONV1))
    assert vertex_channels(chain, 16, 32) == [16, 32, 32, 32]


def test_isomorphic_graphs_share_one_tuple():
    a = key_of([(0, 1), (0, 2), (1, 3), (2, 3), (3, 6)], [CONV3, CONV1, POOL, CONV3, CONV3])
    b = key_of([(0, 1), (0, 2), (1, 3), (2, 3), (3, 6)], [CONV1, CONV3, POOL, CONV1, CONV1])
    swapped = key_of([(0, 2), (0, 1), (2, 3), (1, 3), (3, 6)], [CONV1, CONV3, POOL, CONV3, CONV3])
    assert a != swapped and SPACE.parse(a) == SPACE.parse(swapped) == SPACE.parse(b)
    full = [(0, 1), (0, 3), (1, 2), (2, 6), (3, 4), (4, 5), (5, 6), (1, 6), (0, 6)]
    relabelled = [(0, 1), (0, 2), (1, 3), (2, 4), (3, 5), (4, 6), (5, 6), (2, 6), (0, 6)]
    assert SPACE.parse(key_of(full, [CONV3, POOL, CONV1, CONV1, CONV3])) == \
        SPACE.parse(key_of(relabelled, [CONV1, CONV3, CONV1, POOL, CONV3]))
    assert SPACE.parse(key_of(full, [CONV3, POOL, CONV1, CONV1, CONV3])) != \
        SPACE.parse(key_of(relabelled, [CONV3, CONV1, CONV1, POOL, CONV3]))


def test_pruned_and_padded_forms_share_one_tuple():
    small = [(0, 1), (1, 6), (0, 6)]
    arch = SPACE.parse(key_of(small, [POOL, CONV1, CONV1, CONV1, CONV1]))
    dead = key_of(small + [(0, 2), (2, 3), (4, 6), (1, 5)], [POOL, CONV3, CONV1, POOL, CONV3])
    assert SPACE.parse(dead) == arch
    assert SPACE.parse("(0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 2, 1)") == arch
    assert SPACE.parse({"matrix": [[0, 1, 1], [0, 0, 1], [0, 0, 0]], "ops": ["input", POOL, "output"]}) == arch
    assert SPACE.key(arch).endswith("0, 0, 2, 4, 4, 4, 4, 1)") and SPACE.describe(arch).startswith("ops [1:maxpool3x3]")


def test_raw_graphs_over_nine_edges_that_prune_to_nine_are_valid():
    edges = [(0, 1), (0, 2), (0, 3), (0, 4), (0, 6), (1, 5), (1, 6), (2, 6), (3, 4), (3, 5), (4, 5), (4, 6)]
    assert len(SPACE.key_spec(key_of(edges, [CONV1, CONV1, CONV3, CONV3, CONV3])).edges) == 9


def test_sampled_and_mutated_tuples_are_canonical():
    rng = np.random.default_rng(0)
    for arch in SPACE.random(30, seed=1):
        assert SPACE.canonical(arch) == arch == SPACE.parse(SPACE.key(arch))
        near = SPACE.neighbours(arch)
        assert arch not in near and all(SPACE.canonical(n) == n for n in near)
        assert SPACE.mutate(arch, rng) in near or not near


def test_the_bare_input_output_cell_grows_a_vertex():
    """One changed position never adds a live vertex (an unused one has no edges); the "add a
    vertex" move does: input -> new vertex -> output, with each of the 3 ops."""
    bare = SPACE.parse(DIRECT)
    near = SPACE.neighbours(bare)
    assert len(near) == 3 and {SPACE.spec(a).ops for a in near} == {(CONV3,), (CONV1,), (POOL,)}
    assert all(SPACE.spec(a).edges == {(0, 1), (1, 2), (0, 2)} for a in near)
    assert SPACE.mutate(bare, np.random.default_rng(0)) in near


def neighbourhood_sample() -> list[tuple[int, ...]]:
    chain = SPACE.parse(key_of([(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6)], [CONV3, CONV1, POOL, CONV3, CONV1]))
    return [SPACE.parse(DIRECT), chain, *SPACE.random(40, seed=2)]


def test_neighbours_are_valid_canonical_distinct_and_deterministic():
    for arch in neighbourhood_sample():
        near = SPACE.neighbours(arch)
        assert near and arch not in near and len(set(near)) == len(near)
        assert all(SPACE.canonical(n) == n and SPACE.is_valid(n) for n in near)
        assert all(len(SPACE.spec(n).edges) <= 9 and SPACE.spec(n).num_vertices <= 7 for n in near)
        assert SPACE.neighbours(arch) == near and near is not SPACE.neighbours(arch)
        assert SPACE.neighbours(list(arch)) == near
        grown = SPACE.grow(arch)
        assert set(grown) <= set(near) and set(Space.neighbours(SPACE, arch)) <= set(near)
        assert set(near) == set(grown) | set(Space.neighbours(SPACE, arch))
        size = SPACE.spec(arch).num_vertices
        assert all(SPACE.spec(n).num_vertices == size + 1 for n in grown)
        assert all(arch in SPACE.neighbours(n) for n in grown)  # removing the new vertex: one edge flip


def test_grow_adds_every_vertex_between_any_acyclic_pair():
    """Brute force: every topological order of the live vertices, the new vertex at every position,
    an in-edge from any vertex before it and an out-edge to any after it, each op, canonicalised."""
    from proxies.spaces.nb101 import EDGES, OPS
    for arch in neighbourhood_sample()[:25]:
        spec = SPACE.spec(arch)
        n = spec.num_vertices
        expected = set()
        if n < 7 and len(spec.edges) <= 7:
            for perm in itertools.permutations(range(1, n - 1)):
                order = [0, *perm, n - 1]
                rank = {v: k for k, v in enumerate(order)}
                if any(rank[i] > rank[j] for i, j in spec.edges):
                    continue
                for p in range(1, n):
                    slot = {v: k if k < p else k + 1 for k, v in enumerate(order)}
                    slot[n - 1] = 6
                    ops = [0] * 5
                    for v in range(1, n - 1):
                        ops[slot[v] - 1] = OPS.index(spec.ops[v - 1])
                    for u, w, op in itertools.product(order[:p], order[p:], range(3)):
                        edges = {(slot[i], slot[j]) for i, j in spec.edges} | {(slot[u], p), (p, slot[w])}
                        ops[p - 1] = op
                        expected.add(SPACE.canonical(tuple(int(e in edges) for e in EDGES) + tuple(ops)))
        assert set(SPACE.grow(arch)) == expected - {arch}


def test_mutation_from_the_smallest_cell_reaches_seven_vertices():
    rng = np.random.default_rng(0)
    arch = SPACE.parse(DIRECT)
    sizes = []
    for _ in range(300):
        child = SPACE.mutate(arch, rng)
        assert child != arch and child in SPACE.neighbours(arch)
        arch = child
        sizes.append(SPACE.spec(arch).num_vertices)
        if sizes[-1] == 7:
            break
    assert sizes[-1] == 7, sizes
    again = np.random.default_rng(0)
    replay = SPACE.parse(DIRECT)
    for _ in sizes:
        replay = SPACE.mutate(replay, again)
    assert replay == arch


def test_neighbours_take_a_few_milliseconds():
    import time
    from proxies.spaces.nb101 import encoding, space
    archs = SPACE.random(100, seed=7)
    encoding._canonical_of_pruned.cache_clear()
    space._neighbours.cache_clear()
    start = time.perf_counter()
    for arch in archs:
        SPACE.neighbours(arch)
    assert (time.perf_counter() - start) / len(archs) < 0.02  # about 2 ms cold on a laptop core


TEN_EDGES = key_of([(0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (1, 6), (2, 6), (3, 6), (4, 6), (5, 6)], [CONV3] * 5)
DIRECT = key_of([(0, 6)], [CONV3] * 5)
CODES = "0, 4, 4, 4, 4, 4, 1)"
assert DIRECT.endswith(CODES) and SPACE.parse(DIRECT)
BAD_KEYS = {
    "ten edges after pruning": TEN_EDGES,
    "output unreachable": key_of([(0, 1), (1, 2), (3, 6)], [CONV3] * 5),
    "no edges": key_of([], [CONV3] * 5),
    "55 ints": DIRECT.replace(CODES, "4, 4, 4, 4, 4, 1)"),
    "57 ints": DIRECT.replace(CODES, "0, 4, 4, 4, 4, 4, 4, 1)"),
    "op code 5": DIRECT.replace(CODES, "0, 4, 5, 4, 4, 4, 1)"),
    "interior op code 1": DIRECT.replace(CODES, "0, 4, 1, 4, 4, 4, 1)"),
    "first op not input": DIRECT.replace(CODES, "2, 4, 4, 4, 4, 4, 1)"),
    "last op not output": DIRECT.replace(CODES, "0, 4, 4, 4, 4, 4, 4)"),
    "lower-triangular edge": DIRECT.replace("(0, 0, 0, 0, 0, 0, 1, 0", "(0, 0, 0, 0, 0, 0, 1, 1", 1),
    "entry 2": DIRECT.replace("(0, 0", "(0, 2", 1),
    "NB201 text key": "(0, 1, 2, 3, 4, 0)",
    "NB201 tuple key": (0, 1, 0, 0, 0, 1),
    "DARTS key": "[[(0, 1), (1, 2)], [(0, 3), (1, 4)]]",
    "text": "hello",
    "long text": "9" * 5000,
    "float entries": [0.0] * 56,
    "bad spec ops": {"matrix": [[0, 1], [0, 0]], "ops": ["input", "conv5x5"]},
}


@pytest.mark.parametrize("name", list(BAD_KEYS))
def test_invalid_keys_raise_one_line_arch_errors(name):
    with pytest.raises(ArchError) as err:
        SPACE.parse(BAD_KEYS[name])
    assert "\n" not in str(err.value) and len(str(err.value)) < 300


def test_invalid_choice_tuples_raise():
    for bad in [(0,) * 25, (2,) + (0,) * 25, (1,) * 21 + (0,) * 5, (0,) * 21 + (3, 0, 0, 0, 0)]:
        with pytest.raises(ArchError):
            SPACE.canonical(bad)


@pytest.mark.parametrize("dim,shape", [(1, (2, 1, 1000)), (2, (2, 3, 17, 15)), (3, (2, 1, 16, 16, 16))])
def test_1d_2d_3d_networks_run_forward_and_backward(dim, shape):
    edges = [(0, 1), (0, 2), (1, 3), (2, 3), (3, 6), (0, 6), (2, 6)]
    arch = SPACE.parse(key_of(edges, [CONV3, POOL, CONV1, CONV3, CONV3]))
    net = SPACE.build(arch, dim=dim, in_channels=shape[1], num_classes=4, width=4, cells=1)
    assert isinstance(net, NB101Network) and len(net.feature_blocks()) == 4
    out = net(torch.randn(*shape))
    assert out.shape == (2, 4)
    torch.nn.functional.cross_entropy(out, torch.tensor([0, 3])).backward()
    assert all(p.grad is not None for p in net.stem.parameters())
    assert net.forward_features(torch.randn(*shape)).shape[1] == 16
