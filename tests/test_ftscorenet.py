"""FT-ScoreNet: the Fourier kernel construction, v-norm, invariance to how a cell is written,
determinism, save/load and a learning signal on a known target."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
from scipy.stats import spearmanr

from proxies.spaces.nb201.encoding import OPS, Cell, random_cells
from synth.cli import main
from synth.predictors.ftscorenet import FrequencyBank, FTScoreNet, FTScoreNetRanker, ScorerConfig, soft_rank
from synth.predictors.ftscorenet.constructed import sample_norm, v_norm
from synth.predictors.ftscorenet.ranking import exact_rank, spearman_loss

SMALL = ScorerConfig(dim=1, width=4, cells_per_stage=1, input_size=12, samples=16, hidden=16)


@pytest.mark.parametrize("dim, c_out, c_in, kernel", [
    (2, 16, 16, 3),      # trims the 7x7 maps and the 4096 channel pairs
    (2, 32, 8, 1),       # 1x1
    (2, 8, 4, 9),        # zero-pads the maps spatially (9 > 7)
    (2, 128, 64, 1),     # zero-pads the channel pairs (8192 > 4096)
    (1, 16, 8, 3),
    (3, 8, 8, 3),
])
def test_kernels_have_he_mean_square_whatever_the_shape(dim, c_out, c_in, kernel):
    bank = FrequencyBank(dim, 7, generator=torch.Generator().manual_seed(0))
    w = bank.weight(c_out, c_in, (kernel,) * dim).detach()
    fan_in = c_in * kernel ** dim
    assert w.shape == (c_out, c_in, *(kernel,) * dim)
    assert (w >= 0).all()
    # mean square 2 / fan_in (He); the magnitude of a complex Gaussian has mean sqrt(pi)/2 of its rms
    assert float((w ** 2).mean()) * fan_in / 2 == pytest.approx(1.0, rel=0.12)
    assert float(w.mean()) / math.sqrt(2 / fan_in) == pytest.approx(math.sqrt(math.pi) / 2, rel=0.12)


def test_padding_without_the_energy_rescale_would_shrink_the_weights():
    bank = FrequencyBank(2, 3, generator=torch.Generator().manual_seed(1))
    small = bank.weight(8, 8, (3, 3)).detach()
    padded = bank.weight(8, 8, (9, 9)).detach()     # 3x3 maps zero-padded to 9x9: 9x fewer energy per entry
    ratio = float((padded ** 2).mean() * 81) / float((small ** 2).mean() * 9)
    assert ratio == pytest.approx(1.0, rel=0.15)


def test_v_norm_makes_each_cells_convolution_output_unit_variance():
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(3 * 5, 4, 6, 6, generator=gen) * torch.tensor([0.1, 7.0, 300.0]).repeat_interleave(5)[:, None, None, None]
    y = v_norm(x, 3).reshape(3, -1)
    assert torch.allclose(y.std(dim=1), torch.ones(3), atol=1e-3)
    z = sample_norm(x, 3).reshape(3, 5, -1)
    assert torch.allclose(z.mean(dim=1), torch.zeros(3, z.shape[2]), atol=1e-5)


def test_soft_rank_tends_to_the_exact_rank_and_the_loss_to_minus_spearman():
    gen = torch.Generator().manual_seed(0)
    s, t = torch.randn(40, generator=gen), torch.randn(40, generator=gen)
    assert torch.allclose(soft_rank(s, 1e-4), exact_rank(s), atol=1e-3)
    assert float(-spearman_loss(s, t, 1e-4)) == pytest.approx(spearmanr(s, t)[0], abs=1e-3)
    assert torch.equal(exact_rank(torch.tensor([3.0, 1.0, 3.0, 2.0])), torch.tensor([3.5, 1.0, 3.5, 2.0]))


def test_identical_cells_written_differently_get_the_same_score():
    net = FTScoreNet(SMALL, seed=0)
    # node 1 feeds nothing, so whatever its input edge holds, the cell computes the same function
    a = "|nor_conv_3x3~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|none~1|avg_pool_3x3~2|"
    b = "|avg_pool_3x3~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|none~1|avg_pool_3x3~2|"
    c = "|none~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|none~1|avg_pool_3x3~2|"
    assert Cell.parse(a).pruned() == Cell.parse(b).pruned() == Cell.parse(c).pruned()
    with torch.no_grad():
        scores = net([a, b, c, Cell.parse(c).to_tuple()])
    assert len(set(scores.tolist())) == 1


def test_a_cells_score_does_not_depend_on_the_rest_of_its_batch():
    net = FTScoreNet(SMALL, seed=0)
    cells = random_cells(12, seed=4)
    with torch.no_grad():
        together = net(cells)
        alone = torch.stack([net([c])[0] for c in cells])
    assert torch.allclose(together, alone, rtol=1e-4, atol=1e-6)


def _target(cells):
    """A known target the untrained scorer ranks backwards: pooling on live edges is better, convolutions
    worse (an untrained constructed network's response grows with its convolutions)."""
    out = []
    for cell in cells:
        ops = Cell.parse(cell).pruned().ops
        out.append(2.0 * ops.count("avg_pool_3x3") + ops.count("skip_connect") - ops.count("nor_conv_3x3"))
    return np.asarray(out)


def test_fit_is_deterministic_under_a_seed_and_learns_a_ranking():
    cells = [str(c) for c in random_cells(400, seed=7)]
    train, test = cells[:256], cells[256:]
    fit = lambda seed: FTScoreNetRanker(config=SMALL, epochs=3, batch_size=32, seed=seed).fit(train, _target(train))
    first, again, other = fit(0), fit(0), fit(1)
    p = first.predict(test)
    assert np.array_equal(p, again.predict(test))
    assert not np.array_equal(p, other.predict(test))
    assert spearmanr(p, _target(test))[0] > 0.5
    untrained = FTScoreNetRanker(config=SMALL, epochs=1e-9, seed=0)
    untrained.module_ = FTScoreNet(SMALL, seed=0)
    assert spearmanr(untrained.predict(test), _target(test))[0] < 0


def test_save_load_round_trip(tmp_path):
    cells = [str(c) for c in random_cells(64, seed=2)]
    model = FTScoreNetRanker(config=SMALL, epochs=1, batch_size=32, seed=3).fit(cells, _target(cells))
    path = str(tmp_path / "m.pt")
    model.save(path, problem="toy")
    back = FTScoreNetRanker.load(path)
    assert back.config == SMALL and back.meta_ == {"problem": "toy"}
    assert np.array_equal(back.predict(cells), model.predict(cells))


def _table(path, n=120, seed=0):
    cells = random_cells(n, seed=seed)
    acc = _target(cells) * 3 + 60 + np.random.default_rng(seed).normal(0, 0.5, n)
    records = {str(c.to_tuple()): {"val_accuracy": float(a), "flops": {"score": float(a), "time": 0.0}}
               for c, a in zip(cells, acc)}
    with open(path, "w") as handle:
        json.dump({"cifar10": records}, handle)


def test_command_line_fit_then_score_cells_and_a_table(tmp_path, capsys):
    table = str(tmp_path / "zc_nasbench201.json")
    _table(table)
    model = str(tmp_path / "m.pt")
    code = main(["ftscorenet", "fit", "--data", table, "--problem", "NB201-CF10", "--train", "0.5", "--epochs", "3",
                 "--width", "4", "--input-size", "8", "--out", model, "--quiet"])
    assert code == 0
    report = json.load(open(tmp_path / "m.json"))
    assert report["problem"] == "NB201-CF10" and report["n_train"] == 60 and report["n_test"] == 60
    assert set(report) >= {"test_spearman", "test_kendall"} and -1 <= report["test_kendall"] <= 1
    scores = str(tmp_path / "s.csv")
    assert main(["ftscorenet", "score", "--model", model, "--archs", "random:7", "--out", scores, "--quiet"]) == 0
    lines = open(scores).read().splitlines()
    assert lines[0] == "arch,ftscorenet" and len(lines) == 8 and all(np.isfinite(float(x.rsplit(",", 1)[1]))
                                                                    for x in lines[1:])
    scored = str(tmp_path / "nb201" / "zc_nasbench201.json")
    (tmp_path / "nb201").mkdir()
    assert main(["ftscorenet", "score", "--model", model, "--data", table, "--out", scored, "--quiet"]) == 0
    data = json.load(open(scored))["cifar10"]
    assert all(set(r) == {"val_accuracy", "flops", "ftscorenet"} for r in data.values())
    capsys.readouterr()
    assert main(["evaluate", "--data", scored, "--problems", "NB201-CF10", "--formula", "ftscorenet + flops",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["problems"]["NB201-CF10"]["n"] == 120


def test_every_op_is_handled():
    net = FTScoreNet(SMALL, seed=0)
    cells = [Cell((op,) * 6) for op in OPS]
    with torch.no_grad():
        scores = net(cells)
    assert torch.isfinite(scores).all()


@pytest.mark.parametrize("dim", [1, 2, 3])
def test_constructed_networks_of_every_dimension_score_cells(dim):
    config = ScorerConfig(dim=dim, width=2, input_size=8, samples=4, hidden=16, kernel=3)
    net = FTScoreNet(config, seed=0)
    assert net.bank.freq.shape == (64 * 64, *(3,) * dim)
    assert net.inputs.shape == (4, 3, *(8,) * dim)
    scores = net(random_cells(5, seed=dim))
    assert scores.shape == (5,) and torch.isfinite(scores).all()
    scores.sum().backward()
    assert torch.isfinite(net.bank.freq.grad).all() and net.bank.freq.grad.abs().sum() > 0
