"""``zc-synth search``: the --json schema in lookup mode, bad input (one line, exit 2), real NB201 data,
and live mode end to end (proxies computed on a tiny synthetic ECG dataset) for every algorithm."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from proxies.spaces.nb201 import OPS as SPACE_OPS
from proxies.spaces.nb201 import Cell, random_cells
from synth.cli import main
from synth.search import ALGORITHMS

from conftest import bench_file, drawn_pixels

RUN_KEYS = {"seed": int, "arch": str, "key": str, "metric": float, "score": float, "metric_percentile": float,
            "accuracy": float, "evaluations": int}
TIMINGS = ("seconds", "metric_seconds")


@pytest.fixture
def nb201_table(tmp_path) -> str:
    """A suite-layout NB201 file (400 cells, proxies alpha and beta); accuracy grows with alpha."""
    rng = np.random.default_rng(0)
    records = {}
    for cell in random_cells(400, seed=1):
        alpha = float(sum(op.startswith("nor_conv") for op in cell.ops) + rng.normal(0, 0.3))
        records[str(cell.to_tuple())] = {"val_accuracy": 60 + 5 * alpha + float(rng.normal(0, 1)),
                                         "alpha": {"score": alpha, "time": 0.0},
                                         "beta": {"score": float(rng.normal()), "time": 0.0}}
    path = tmp_path / "zc_nasbench201.json"
    path.write_text(json.dumps({"cifar10": records}))
    return str(path)


def _json(capsys, argv: list[str], timings: bool = False) -> dict:
    """The --json document (without its wall times unless ``timings``: they differ between runs)."""
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    return doc if timings else {k: v for k, v in doc.items() if k not in TIMINGS}


def test_lookup_json_schema_percentile_and_plot(nb201_table, tmp_path, capsys):
    out = str(tmp_path / "plots")
    doc = _json(capsys, ["search", "--algo", "aging", "--data", nb201_table, "--problem", "NB201-CF10",
                         "--metric", "alpha", "--budget", "150", "--runs", "3", "--seed", "4", "--json", "--out", out],
                timings=True)
    assert list(doc) == ["algo", "space", "metric", "runs", "mean_accuracy", "std_accuracy", "mode", "seconds",
                         "metric_seconds", "problem"]
    assert doc["mode"] == "lookup" and doc["problem"] == "NB201-CF10" and doc["seconds"] > 0
    assert json.load(open(os.path.join(out, "search.json"))) == doc
    assert doc["algo"] == "aging" and doc["metric"] == "alpha" and [r["seed"] for r in doc["runs"]] == [4, 5, 6]
    table = json.load(open(nb201_table))["cifar10"]
    alphas = np.array([r["alpha"]["score"] for r in table.values()])
    for run in doc["runs"]:
        assert list(run) == list(RUN_KEYS) and all(isinstance(run[k], t) for k, t in RUN_KEYS.items())
        record = table[str(Cell.parse(run["arch"]).to_tuple())]
        assert run["metric"] == record["alpha"]["score"] and run["accuracy"] == record["val_accuracy"]
        assert run["metric_percentile"] == pytest.approx(100 * np.mean(alphas <= run["metric"]))
        assert 0 < run["evaluations"] <= 150
    accuracies = [r["accuracy"] for r in doc["runs"]]
    assert doc["mean_accuracy"] == pytest.approx(np.mean(accuracies))
    assert doc["std_accuracy"] == pytest.approx(np.std(accuracies))
    assert drawn_pixels(os.path.join(out, "convergence.png")) > 200


def test_lookup_text_report_and_jobs_give_the_same_runs(nb201_table, tmp_path, capsys):
    argv = ["search", "--algo", "pmbga", "--data", nb201_table, "--problem", "nasbench201/cifar10",
            "--metric", "alpha - beta", "--runs", "2", "--out", str(tmp_path / "search")]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "pmbga search, metric: alpha - beta" in printed and "percentile" in printed and "mean" in printed
    serial = _json(capsys, argv + ["--json"])
    assert _json(capsys, argv + ["--json", "--jobs", "2"]) == serial


@pytest.mark.parametrize("argv, words", [
    (["--algo", "agin"], "did you mean 'aging'"),
    (["--budget", "0"], "budget must be a positive integer"),
    (["--runs", "0"], "--runs and --jobs must be >= 1"),
    (["--metric", "gamma"], "feature 'gamma' is not in problem"),
    (["--metric", "alpha +"], "formula"),
    (["--metric", "missing.json"], "no such file"),
    (["--problem", "NB201-CF100"], "no task 'cifar100'"),
    (["--problem", None], "--data needs --problem"),
    (["--dim", "2"], "--dim applies to live mode"),
])
def test_bad_lookup_input_is_one_line_exit_2(argv, words, nb201_table, tmp_path, capsys):
    base = {"--algo": "rl", "--data": nb201_table, "--problem": "NB201-CF10", "--metric": "alpha",
            "--out": str(tmp_path / "search")}
    extra = []
    for key, value in zip(argv[::2], argv[1::2]):
        if key in base:
            base[key] = value
        else:
            extra += [key, value]
    args = ["search"] + [x for k, v in base.items() if v is not None for x in (k, v)] + extra
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("zc-synth: error:") and words in err and "\n" not in err


@pytest.mark.parametrize("argv, words", [
    (["--metric", "synflow", "--dim", "2"], "--dim 2 does not fit"),
    (["--metric", "synflo"], "did you mean 'synflow'"),
    (["--metric", "nwot", "--width", "0"], "--width: invalid value 0: give an integer >= 1"),
])
def test_bad_live_input_is_one_line_exit_2(argv, words, tiny_ecg, tmp_path, capsys):
    try:
        code = main(["search", "--algo", "random", "--dataset", tiny_ecg, "--out", str(tmp_path / "search"), *argv])
    except SystemExit as exc:                       # argparse's own errors (a bad value type)
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert words in err and "\n" not in err
    assert main(["search", "--algo", "random", "--dataset", str(tmp_path / "none.npz"), "--metric", "nwot"]) == 2


def test_lookup_on_real_nb201_finds_a_cell_above_the_median():
    path = bench_file("suite-zero/zc_nasbench201.json")
    from synth import Formula
    from synth.search import load_lookup

    objective = load_lookup(path, "NB201-CF10", Formula("synflow"))
    median = np.median(list(objective.accuracies.values()))
    for algo in ("prune", "pmbga"):
        result = ALGORITHMS[algo](seed=0).fit(objective).result_
        assert objective.accuracy(result.arch) > median + 2 and objective.percentile(result.value) > 90


@pytest.mark.parametrize("algo", sorted(set(ALGORITHMS) - {"hnas"}))   # hnas takes no --metric: test_hnas.py
def test_live_mode_end_to_end(algo, tiny_ecg, tmp_path, capsys, one_thread):
    budget = "40" if algo == "prune" else "6"
    doc = _json(capsys, ["search", "--algo", algo, "--dataset", tiny_ecg, "--dim", "1", "--metric", "nwot + params",
                         "--width", "4", "--cells", "1", "--proxy-batch", "16", "--budget", budget, "--json",
                         "--out", str(tmp_path / "search")])
    (run,) = doc["runs"]
    assert run["accuracy"] is None and doc["mean_accuracy"] is None and doc["std_accuracy"] is None
    assert Cell.parse(run["arch"]) and np.isfinite(run["metric"]) and 0 < run["evaluations"] <= int(budget)
    assert 0 < run["metric_percentile"] <= 100
    assert drawn_pixels(tmp_path / "search" / "convergence.png") > 20      # prune: one marker


def test_supernet_sums_the_allowed_ops_of_every_edge(one_thread):
    import torch

    from proxies.batch import NetworkSpec
    from proxies.spaces.nb201.supernet import MixedCell, build_supernet

    spec = NetworkSpec(dim=1, in_channels=1, num_classes=3, width=4, cells_per_stage=2)
    cell = Cell.parse("(2, 0, 3, 4, 1, 2)")
    single = build_supernet(tuple((SPACE_OPS.index(op),) for op in cell.ops), spec)
    count = sum(p.numel() for p in single.parameters())
    assert count == sum(p.numel() for p in spec.build(cell).parameters())
    full = build_supernet(tuple(tuple(range(5)) for _ in range(6)), spec)
    assert sum(isinstance(m, MixedCell) for m in full.modules()) == 6
    assert sum(len(ops) for m in full.modules() if isinstance(m, MixedCell) for ops in m.layers) == 6 * 30
    out = full(torch.randn(2, 1, 64))
    out.sum().backward()
    assert out.shape == (2, 3) and torch.isfinite(out).all()
    with pytest.raises(ValueError, match="at least one op"):
        build_supernet(((),) * 6, spec)


def test_a_lookup_prune_convergence_plot_shows_its_final_cell(tmp_path, capsys):
    table = bench_file("suite-zero/zc_nasbench201.json")
    out = tmp_path / "prune"
    assert main(["search", "--algo", "prune", "--data", table, "--problem", "NB201-CF10", "--metric", "synflow",
                 "--out", str(out), "--json"]) == 0
    assert drawn_pixels(out / "convergence.png") > 20
