"""Every proxy: a contract over the registry, plus a hand-checkable value on a tiny network."""
from __future__ import annotations

import math
import os
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from proxies import heap
from proxies.context import Context
from proxies.data import ProxyData
from proxies.engine import compute, memory_order
from proxies.measures._aznas import block_trainability, spectrum_entropy
from proxies.measures.epe_nas import per_class_score
from proxies.measures.jacov import jacobian_score
from proxies.measures.meco import min_correlation_eigenvalue
from proxies.measures.nwot import hamming_kernel
from proxies.measures.swap import unique_columns
from proxies.measures.zico import zico_score
from proxies.registry import available, select
from proxies.spaces.nb201 import NB201Network

ALL = sorted(available())
CELL = "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|"


def tiny(dim: int = 2) -> NB201Network:
    return NB201Network(CELL, dim=dim, in_channels=3, num_classes=5, width=4, cells_per_stage=1)


def nb201(cell: str) -> NB201Network:
    return NB201Network(cell, in_channels=3, num_classes=5, width=4, cells_per_stage=1)


def images(n: int = 24, dim: int = 2, seed: int = 0) -> ProxyData:
    shape = {1: (3, 32), 2: (3, 8, 8), 3: (3, 8, 8, 8)}[dim]
    return ProxyData.gaussian(shape, num_classes=5, n=n, seed=seed)


def test_there_are_the_issue_s_proxies():
    suite = {"params", "flops", "synflow", "snip", "grasp", "fisher", "grad_norm", "jacov", "nwot", "epe_nas",
             "l2_norm", "plain", "zen"}
    others = {"zico", "meco", "swap", "ntk_cond", "ntk_trace", "linear_regions", "length_distortion",
              "az_expressivity", "az_progressivity", "az_trainability"}
    assert set(ALL) == suite | others
    assert {p.name for p in select(None) if p.suite} == suite
    assert all(p.fn.__doc__ for p in select(None)), "every proxy documents its formula"


@pytest.fixture(scope="module")
def shared_and_isolated():
    data = images()
    return (compute(tiny, "all", data, "cpu", batch_size=16),
            compute(tiny, "all", data, "cpu", batch_size=16, share=False),
            compute(tiny, "all", data, "cpu", batch_size=16))


@pytest.mark.parametrize("name", ALL)
def test_contract_finite_repeatable_and_equal_with_or_without_sharing(name, shared_and_isolated):
    shared, isolated, again = shared_and_isolated
    assert shared[name].ok, shared[name].error
    assert math.isfinite(shared[name].score)
    assert again[name].score == shared[name].score
    assert isolated[name].score == pytest.approx(shared[name].score, rel=1e-5, abs=1e-8)


def test_results_keep_the_requested_order_whatever_order_they_ran_in():
    names = ["grasp", "params", "ntk_cond", "nwot", "az_expressivity", "fisher"]
    scores = compute(tiny, names, images(), "cpu", batch_size=16)
    assert list(scores) == names and all(s.ok for s in scores.values())
    order = [p.name for p in memory_order(select(names))]
    assert order.index("az_expressivity") < order.index("nwot") < order.index("ntk_cond") < order.index("grasp")


def test_the_shared_pass_frees_what_no_later_proxy_reads():
    needs = frozenset().union(*(p.needs for p in select(None)))
    ctx = Context(tiny, images(), device=torch.device("cpu"), needs=needs, batch_size=16)
    record = ctx.forward()
    assert record.output.requires_grad and record.channel_products and record.relu_codes
    # a sample map is a copy of sample 0, not a view that keeps the whole batch's map alive
    assert all(m.untyped_storage().nbytes() == m.numel() * m.element_size() for m in record.sample_maps)
    ctx.cached("features", lambda: torch.ones(3), serves={"own_model"})
    ctx.release(frozenset({"grad", "sample_grads"}))
    assert not record.relu_codes and not record.sample_maps and not record.channel_products
    assert record.weight_grads and record.output.requires_grad and "features" not in ctx._cache
    ctx.release(frozenset())
    assert not record.weight_grads and record.loss_tensor is None and not record.output.requires_grad


def test_grasp_freeing_the_graph_gives_the_value_of_keeping_it():
    needs = frozenset({"data", "labels", "grad", "hvp"})
    kept = Context(tiny, images(), device=torch.device("cpu"), needs=needs, batch_size=16)
    freed = Context(tiny, images(), device=torch.device("cpu"), needs=needs, batch_size=16)
    freed.later_needs = frozenset()
    assert select(["grasp"])[0](freed) == select(["grasp"])[0](kept)
    assert kept.forward().loss_tensor is not None and freed.forward().loss_tensor is None


def test_a_user_network_is_never_modified():
    net = tiny()
    before = {k: v.clone() for k, v in net.state_dict().items()}
    compute(net, "all", images(), "cpu", batch_size=16)
    after = net.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert net.training and all(p.grad is None for p in net.parameters())


@pytest.mark.parametrize("dim", [1, 3])
def test_1d_and_3d_networks_get_every_proxy(dim):
    scores = compute(lambda: tiny(dim), "all", images(16, dim), "cpu", batch_size=8)
    assert {n for n, s in scores.items() if not s.ok} == set(), {n: s.error for n, s in scores.items() if not s.ok}


def test_a_failing_proxy_is_recorded_with_its_reason_and_the_rest_run():
    net = nn.Sequential(nn.Flatten(), nn.Linear(3 * 8 * 8, 5))       # no ReLU, no pooling
    scores = compute(net, ["nwot", "zen", "params", "snip"], images(), "cpu", batch_size=8)
    assert not scores["nwot"].ok and "ReLU" in scores["nwot"].error and math.isnan(scores["nwot"].score)
    assert not scores["zen"].ok and "pooling" in scores["zen"].error
    assert scores["params"].score == pytest.approx((192 * 5 + 5) / 1e6) and scores["snip"].ok


def test_seed_changes_initialization_and_batches():
    a = compute(tiny, ["snip", "l2_norm"], images(), "cpu", batch_size=8, seed=0)
    b = compute(tiny, ["snip", "l2_norm"], images(), "cpu", batch_size=8, seed=1)
    assert a["snip"].score != b["snip"].score and a["l2_norm"].score != b["l2_norm"].score


# ---- hand-checkable values -------------------------------------------------------------------

def linear_setup(seed: int = 0):
    """A one-layer linear classifier on 4 samples of shape (1, 3): every gradient is closed-form."""
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Flatten(), nn.Linear(3, 4))
    data = ProxyData.gaussian((1, 3), num_classes=4, n=4, seed=seed)
    ctx = Context(lambda: net, data, device=torch.device("cpu"), batch_size=4)
    x, y = ctx.batch(0)
    w, b = net[1].weight.detach(), net[1].bias.detach()
    logits = x.flatten(1) @ w.T + b
    dlogits = (logits.softmax(1) - F.one_hot(y, 4).float()) / 4          # d mean-CE / d logits
    grad_w = dlogits.T @ x.flatten(1)
    return net, data, x.flatten(1), y, w, b, logits, dlogits, grad_w


def test_params_flops_and_l2_norm_by_formula():
    net, data, *_ , w, b, _, _, _ = linear_setup()
    s = compute(net, ["params", "flops", "l2_norm"], data, "cpu")
    assert s["params"].score == pytest.approx(16 / 1e6)
    assert s["flops"].score == pytest.approx(12 / 1e6)                    # 4 outputs x 3 MACs, bias not counted
    assert s["l2_norm"].score == pytest.approx(float(w.norm()))


def test_gradient_proxies_against_closed_form_gradients():
    net, data, x, y, w, b, logits, dlogits, grad_w = linear_setup()
    s = compute(net, ["snip", "grad_norm", "plain", "fisher"], data, "cpu", batch_size=4)
    assert s["snip"].score == pytest.approx(float((grad_w * w).abs().sum()), rel=1e-5)
    assert s["grad_norm"].score == pytest.approx(float(grad_w.norm()), rel=1e-5)
    assert s["plain"].score == pytest.approx(float((grad_w * w).sum()), rel=1e-4, abs=1e-7)
    fisher = (0.5 * (logits * dlogits).pow(2).mean(0)).abs().sum() * 3
    assert s["fisher"].score == pytest.approx(float(fisher), rel=1e-5)


def test_grasp_against_an_independent_hessian_vector_product():
    net, data, x, y, w, b, *_ = linear_setup()

    def loss(weight):
        return F.cross_entropy(x @ weight.T + b, y)
    wr = w.clone().requires_grad_(True)
    g = torch.autograd.grad(loss(wr), wr)[0]
    _, hg = torch.autograd.functional.hvp(loss, w.clone(), g)
    expected = float((-w * hg).sum())
    assert compute(net, ["grasp"], data, "cpu", batch_size=4)["grasp"].score == pytest.approx(expected, rel=1e-4)


def test_synflow_on_a_two_layer_linear_net_is_log_2R():
    """R = 1^T |W2| |W1| 1; each layer contributes sum |W * dR/dW| = R, so synflow = log(2R)."""
    torch.manual_seed(0)
    net = nn.Sequential(nn.Flatten(), nn.Linear(6, 5, bias=False), nn.Linear(5, 3, bias=False))
    w1, w2 = net[1].weight.detach().abs().double(), net[2].weight.detach().abs().double()
    r = float(torch.ones(3, dtype=torch.float64) @ w2 @ w1 @ torch.ones(6, dtype=torch.float64))
    data = ProxyData.gaussian((2, 3), n=4)
    assert compute(net, ["synflow"], data, "cpu")["synflow"].score == pytest.approx(math.log(2 * r), rel=1e-9)
    assert torch.equal(net[1].weight.detach().abs().double(), w1)   # the caller's weights keep their signs


def test_nwot_kernel_on_hand_made_codes():
    codes = torch.tensor([[1, 0, 1], [1, 1, 1], [0, 0, 0]], dtype=torch.bool)
    k = hamming_kernel([codes[:, :2], codes[:, 2:]])
    hamming = (codes[:, None, :] != codes[None, :, :]).sum(-1)
    assert torch.equal(k, (3 - hamming).double())


def test_jacov_and_epe_nas_on_hand_made_jacobians():
    ortho = np.array([[1.0, -1, 0, 0], [0, 0, 1, -1], [1, 1, -1, -1]])   # zero-mean, mutually uncorrelated rows
    k = 1e-5
    assert jacobian_score(ortho) == pytest.approx(-3 * (math.log(1 + k) + 1 / (1 + k)))
    labels = np.array([0, 0, 1])
    same = np.array([[1.0, 2, 3, 4], [2, 4, 6, 8], [1, 0, 0, 1]])      # class 0: corr = 1 everywhere
    assert per_class_score(same, labels, 10) == pytest.approx(abs(4 * math.log(1 + k)) + abs(math.log(1 + k)))


def test_zico_on_hand_made_gradients():
    batches = [[torch.tensor([1.0, 2.0])], [torch.tensor([3.0, 2.0])]]   # 2nd weight has zero deviation
    assert zico_score(batches) == pytest.approx(math.log(2.0 / 1.0))


def test_meco_min_eigenvalue_of_channel_correlation():
    base = torch.randn(10)
    assert min_correlation_eigenvalue(torch.stack([base, 2 * base + 1]).view(2, 2, 5)) == pytest.approx(0, abs=1e-9)
    a, b = torch.tensor([1.0, -1, 1, -1]), torch.tensor([1.0, 1, -1, -1])
    assert min_correlation_eigenvalue(torch.stack([a, b]).view(2, 2, 2)) == pytest.approx(1.0)


def test_swap_counts_distinct_unit_patterns():
    codes = torch.tensor([[1, 1, 0, 0, 1], [0, 0, 1, 1, 0], [1, 1, 1, 1, 1]], dtype=torch.bool)
    assert unique_columns(codes) == 2
    wide = torch.rand(130, 500) > 0.5                                   # several 64-bit words per unit
    assert unique_columns(wide) == len({tuple(col) for col in wide.T.tolist()})


def test_ntk_proxies_on_a_linear_model():
    """f(x) = W x + b: d sum_c f_c / dW = 1 (x) x, so Theta = C X X^T over weights, + C over biases."""
    torch.manual_seed(0)
    net = nn.Sequential(nn.Flatten(), nn.Linear(20, 3))
    data = ProxyData.gaussian((1, 20), num_classes=3, n=16, seed=0)
    s = compute(net, ["ntk_cond", "ntk_trace"], data, "cpu", batch_size=16)
    x = Context(lambda: net, data, device=torch.device("cpu"), batch_size=16).batch(0)[0].flatten(1).double()
    eig = torch.linalg.eigvalsh(3 * x @ x.T)
    assert s["ntk_cond"].score == pytest.approx(float(eig[-1] / eig[0]), rel=1e-4)
    assert s["ntk_trace"].score == pytest.approx(math.sqrt(float((3 * x.pow(2).sum(1) + 3).mean())), rel=1e-5)


def test_length_distortion_of_a_scaling_is_its_log_factor():
    net = nn.Sequential(nn.Flatten(), nn.Linear(8, 8, bias=False))
    with torch.no_grad():
        net[1].weight.copy_(2.5 * torch.eye(8))
    data = ProxyData.gaussian((2, 4), n=8)
    assert compute(net, ["length_distortion"], data, "cpu")["length_distortion"].score == pytest.approx(math.log(2.5))


def test_linear_regions_counts_the_hyperplanes_a_segment_crosses():
    """One ReLU unit with a huge bias never switches (1 region); a unit w.x = 0 through the origin
    splits a segment between two random points at most once."""
    net = nn.Sequential(nn.Flatten(), nn.Linear(4, 1), nn.ReLU())
    with torch.no_grad():
        net[1].bias.fill_(1e6)
    data = ProxyData.gaussian((1, 4), n=4)
    assert compute(net, ["linear_regions"], data, "cpu")["linear_regions"].score == 1
    with torch.no_grad():
        net[1].bias.zero_()
    assert compute(net, ["linear_regions"], data, "cpu")["linear_regions"].score in (1, 2)


def test_zen_of_a_linear_conv_net_is_log_of_the_perturbation():
    """Without BN and ReLU, f(x) - f(x + 0.01 e) = -0.01 conv(e): zen = log E sum |0.01 conv(e)|,
    conv having zen's N(0, 1) weights."""
    net = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1, bias=False), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                        nn.Linear(4, 2))
    data = ProxyData.gaussian((3, 6, 6), n=8)
    score = compute(net, ["zen"], data, "cpu", batch_size=8)["zen"].score
    ctx = Context(lambda: net, data, device=torch.device("cpu"), batch_size=8)
    e = ctx.randn(8, 3, 6, 6, offset=2)
    conv = nn.Conv2d(3, 4, 3, padding=1, bias=False)
    with torch.no_grad():
        weight = torch.empty_like(conv.weight)
        torch.manual_seed(0)
        ctx.new_model()                              # the same seeded build as zen's private copy
        nn.init.normal_(weight)                      # zen draws its N(0, 1) weights right after it
        conv.weight.copy_(weight)
        expected = math.log(float((0.01 * conv(e)).abs().flatten(1).sum(1).mean()))
    assert score == pytest.approx(expected, rel=1e-4)


def test_az_nas_pieces_on_hand_made_features():
    feats = torch.randn(4000, 3, 1)                  # (B, C, 1): nearly isotropic channels
    assert spectrum_entropy(feats) == pytest.approx(math.log(3), rel=1e-2)
    rank_one = torch.randn(500, 1, 1).repeat(1, 3, 1)
    assert spectrum_entropy(rank_one) == pytest.approx(0, abs=1e-6)
    x = torch.randn(64, 8, 4, 4, requires_grad=True)
    assert block_trainability(x, x.clone(), torch.Generator().manual_seed(0)) == -math.inf
    value = block_trainability(x, 2.0 * x, torch.Generator().manual_seed(0))
    probe = (torch.randint(0, 2, x.shape, generator=torch.Generator().manual_seed(0)).float() * 2 - 1)
    rows = probe.double().movedim(1, -1).reshape(-1, 8)
    sigma = 2 * float(torch.linalg.eigvalsh(rows.T @ rows / rows.shape[0])[-1])
    assert value == pytest.approx(-sigma - 1 / (sigma + 1e-6) + 2, rel=1e-6)


HEAP_SCRIPT = """
import os, torch
from proxies import heap
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
def freed():
    heap.trim()
    big = torch.ones(24 * 2**18)        # 24 MiB, touched
    before = rss()
    del big
    return before - rss()
libc = heap._libc()
libc.mallopt(-1, 2**30)                 # M_TRIM_THRESHOLD: a freed heap top stays, whatever the environment
libc.mallopt(heap.M_MMAP_THRESHOLD, heap.GLIBC_MAX_THRESHOLD)   # the threshold a long proxy run reaches
plain = freed()
with heap.mapped_above(2**20):
    mapped = freed()
print(plain, mapped)
"""


@pytest.mark.skipif(heap._libc() is None or not os.path.exists("/proc/self/statm"), reason="glibc on Linux only")
def test_large_tensors_inside_mapped_above_go_back_to_the_os_when_freed():
    done = subprocess.run([sys.executable, "-c", HEAP_SCRIPT], capture_output=True, text=True, check=True)
    plain, mapped = map(float, done.stdout.split())
    assert mapped > 20 and plain < 4, (plain, mapped)


def test_channels_last_engine_matches_a_contiguous_float64_reference_as_closely_as_float32_allows():
    """The engine runs 3D networks channels-last (faster oneDNN kernels), here forced on 2D ones. Weights
    drawn by proxies come out identical whatever the layout; the rest differs from a contiguous run by
    float32 rounding only, which the float64 reference bounds."""
    from proxies import context

    data = images(64)
    def run(fmt, dtype):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(context, "channels_last_format", lambda ndim: fmt)
            mp.setattr(context.Context, "new_model",
                       lambda self, d=torch.float32, _orig=context.Context.new_model: _orig(self, dtype))
            batch = context.Context.batch
            mp.setattr(context.Context, "batch", lambda self, i=0: tuple(
                t.to(dtype) if t.is_floating_point() else t for t in batch(self, i)))
            return compute(lambda: nb201("|nor_conv_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+"
                                         "|avg_pool_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"),
                           ["az_expressivity", "zen", "grad_norm", "ntk_trace", "jacov"], data, "cpu",
                           batch_size=16)
    fast = run(torch.channels_last, torch.float32)
    plain = run(None, torch.float32)
    exact = run(None, torch.float64)
    for name in fast:
        assert fast[name].score == pytest.approx(plain[name].score, rel=1e-3)
    for name in ("grad_norm", "ntk_trace", "jacov"):      # the pass's readers, on float64 data too
        assert fast[name].score == pytest.approx(exact[name].score, rel=1e-3)


def test_a_node_s_relu_is_computed_once_for_every_edge_reading_it_with_hooks_still_firing():
    from proxies.spaces.nb201.network import SharedReLU

    net = nb201("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|nor_conv_1x1~0|nor_conv_3x3~1|nor_conv_3x3~2|")
    outputs = []
    hooks = [m.register_forward_hook(lambda m, i, o: outputs.append(o)) for m in net.modules() if isinstance(m, nn.ReLU)]
    x = torch.randn(4, 3, 8, 8)
    shared = net(x)
    for h in hooks:
        h.remove()
    assert len(outputs) == sum(isinstance(m, nn.ReLU) for m in net.modules())       # every hook fired
    assert len({o.data_ptr() for o in outputs}) < len(outputs)                     # one ReLU per node
    assert all(m.memo is None for m in net.modules() if isinstance(m, SharedReLU))  # nothing kept
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(SharedReLU, "forward", lambda self, t: torch.relu(t))
        assert torch.equal(net(x), shared)


def test_the_block_features_are_freed_after_the_last_az_proxy():
    needs = frozenset().union(*(p.needs for p in select(None)))
    ctx = Context(tiny, images(), device=torch.device("cpu"), needs=needs, batch_size=16)
    from proxies.measures._aznas import block_features
    block_features(ctx)
    ctx.release(frozenset({"own_model", "grad"}))
    assert "aznas_features" not in ctx._cache


def test_az_trainability_on_odd_lengths_that_a_stride_halves():
    """A 1D TransNAS macro network on 1,000-sample signals halves lengths down to odd ones: a block whose
    input length is odd used to fail with a shape mismatch."""
    from proxies import ProxyData, compute, spaces

    space = spaces.get("tnb101_macro")
    data = ProxyData.gaussian((1, 1000), 4)
    scores = compute(lambda: space.build("(4, 3, 2, 1, 1)", dim=1, in_channels=1, num_classes=4),
                     ["az_trainability"], data, "cpu", batch_size=16)
    assert scores["az_trainability"].ok, scores["az_trainability"].error
