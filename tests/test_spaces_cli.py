"""Every command in every space: proxies, build-benchmark, live and lookup search take ``--space``; bad
spaces and architecture keys end in one line, exit 2, with nothing written."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from proxies import spaces
from synth.cli import main

from conftest import BENCH, drawn_pixels

NAMES = spaces.names()
def _nb101_key(edges, ops) -> str:
    matrix = [[int((i, j) in edges) for j in range(7)] for i in range(7)]
    return str(tuple([v for row in matrix for v in row] + [0, *ops, 1]))


NB101_TEN_EDGES = _nb101_key({(0, j) for j in range(1, 6)} | {(j, 6) for j in range(1, 6)}, [4] * 5)
DARTS_ONE_INPUT = str([[(0, 0), (0, 1), (1, 1), (0, 1), (1, 3), (0, 3), (1, 3), (3, 2)],
                       [(1, 0), (0, 2), (1, 3), (0, 3), (3, 0), (0, 1), (2, 0), (3, 6)]])


def _one_line_exit_2(argv, capsys, words: str) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and "\n" not in err and "Traceback" not in err


@pytest.mark.parametrize("name", NAMES)
def test_proxies_command_in_every_space(name, tmp_path, capsys, one_thread):
    out = tmp_path / "t.json"
    assert main(["proxies", "--space", name, "--archs", "random:2", "--data", "gaussian", "--proxies",
                 "synflow,params,nwot", "--width", "4", "--cells", "1", "--batch-size", "8", "--jobs", "1",
                 "--quiet", "--out", str(out)]) == 0
    table = json.loads(out.read_text())["gaussian"]
    assert len(table) == 2
    for key, record in table.items():
        spaces.get(name).parse(key)
        assert all(record[p]["score"] is not None and np.isfinite(record[p]["score"]) for p in record)


@pytest.mark.parametrize("argv, words", [
    (["--space", "dart"], "did you mean 'darts'"),
    (["--space", "nb101", "--archs", "FILE:(0, 1, 2, 3, 4, 0)"], "not a NB101 key"),
    (["--space", "nb101", "--archs", f"FILE:{NB101_TEN_EDGES}"], "edges"),
    (["--space", "darts", "--archs", f"FILE:{DARTS_ONE_INPUT}"], "input"),
    (["--space", "nb201", "--archs", f"FILE:{DARTS_ONE_INPUT}"], "not a NB201 architecture"),
    (["--space", "tnb101_macro", "--archs", "FILE:(1, 0, 2, 2, 0, 0)"], "macro"),
    (["--space", "darts", "--archs", "all"], "too many to list"),
    (["--space", "nb201", "--task", "class_scene"], "no task heads"),
])
def test_bad_space_or_key_is_one_line_exit_2_and_writes_nothing(argv, words, tmp_path, capsys):
    argv = list(argv)
    if "--archs" in argv and argv[argv.index("--archs") + 1].startswith("FILE:"):
        listing = tmp_path / "archs.txt"
        listing.write_text(argv[argv.index("--archs") + 1][5:] + "\n")
        argv[argv.index("--archs") + 1] = str(listing)
    elif "--archs" not in argv:
        argv += ["--archs", "random:2"]
    out = tmp_path / "t.json"
    _one_line_exit_2(["proxies", *argv, "--data", "gaussian", "--proxies", "params", "--out", str(out)], capsys,
                     words)
    assert not out.exists()
    _one_line_exit_2(["search", "--algo", "aging", "--space", "dart", "--dataset", "x.npz", "--metric", "params",
                      "--out", str(tmp_path / "s")], capsys, "did you mean 'darts'")
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("name", NAMES)
def test_live_aging_search_returns_a_valid_architecture_in_every_space(name, tiny_ecg, tmp_path, capsys, one_thread):
    assert main(["search", "--algo", "aging", "--space", name, "--dataset", tiny_ecg, "--metric", "synflow + nwot",
                 "--width", "4", "--cells", "1", "--proxy-batch", "8", "--budget", "4", "--json",
                 "--out", str(tmp_path / "search")]) == 0
    doc = json.loads(capsys.readouterr().out.strip().splitlines()[0])
    (run,) = doc["runs"]
    assert doc["space"] == spaces.get(name).name and run["evaluations"] == 4 and np.isfinite(run["metric"])
    spaces.get(name).parse(run["key"])


@pytest.mark.parametrize("name", [n for n in NAMES if "supernet" in spaces.get(n).supports])
def test_live_pruning_in_every_space_with_supernets(name, tiny_ecg, tmp_path, capsys, one_thread):
    assert main(["search", "--algo", "prune", "--space", name, "--dataset", tiny_ecg, "--metric", "synflow",
                 "--width", "4", "--cells", "1", "--proxy-batch", "8", "--budget", "60", "--json",
                 "--out", str(tmp_path / "search")]) == 0
    (run,) = json.loads(capsys.readouterr().out.strip().splitlines()[0])["runs"]
    assert np.isfinite(run["metric"]) and spaces.get(name).parse(run["key"])


def test_pruning_a_space_without_supernets_is_one_line(tiny_ecg, tmp_path, capsys):
    _one_line_exit_2(["search", "--algo", "prune", "--space", "darts", "--dataset", tiny_ecg, "--metric", "synflow",
                      "--out", str(tmp_path / "s")], capsys, "supernets")


@pytest.mark.parametrize("name", ["nb101", "darts"])
def test_build_benchmark_in_another_space(name, tiny_ecg, tmp_path, capsys, one_thread):
    out = tmp_path / f"zc_{name}-ecg.json"
    argv = ["build-benchmark", "--space", name, "--data", tiny_ecg, "--archs", "random:2", "--epochs", "1",
            "--width", "4", "--proxies", "params,synflow", "--quiet", "--out", str(out)]
    assert main(argv) == 0
    (task,) = json.loads(out.read_text()).values()
    assert len(task) == 2 and all(np.isfinite(r["val_accuracy"]) for r in task.values())
    assert json.loads((tmp_path / f"zc_{name}-ecg.json.build.json").read_text())["spec"]["space"] == name
    capsys.readouterr()
    assert main(["search", "--algo", "random", "--data", str(out), "--problem", f"{name}-ecg/ecg",
                 "--metric", "synflow", "--budget", "2", "--json", "--out", str(tmp_path / "s")]) == 0
    doc = json.loads(capsys.readouterr().out.strip().splitlines()[0])
    assert doc["space"] == name and doc["runs"][0]["accuracy"] is not None


LOOKUPS = [("zc_nasbench101.json", "NB101-CF10", "suite-zero-prerelease"),
           ("zc_nasbench301.json", "NB301-CF10", "suite-zero-prerelease"),
           ("zc_transbench101_micro.json", "TNB101-MICRO-SCENE", "suite-zero-prerelease"),
           ("zc_transbench101_macro.json", "TNB101-MACRO-OBJECT", "suite-zero-prerelease")]


@pytest.mark.parametrize("file, problem, release", LOOKUPS)
def test_lookup_search_reads_every_space_table(file, problem, release, capsys, tmp_path):
    path = BENCH / release / file
    if not path.exists():
        pytest.skip(f"{path} is not here")
    assert main(["search", "--algo", "aging", "--data", str(path), "--problem", problem, "--metric",
                 "synflow" if problem.startswith("NB") else "params", "--budget", "30", "--runs", "2", "--json",
                 "--out", str(tmp_path / "s")]) == 0
    doc = json.loads(capsys.readouterr().out.strip().splitlines()[0])
    assert all(r["accuracy"] is not None for r in doc["runs"])
    assert doc["space"] == spaces.for_table(file[3:-5]).name


def test_ensemble_and_predict_in_another_space(tiny_ecg, tmp_path, capsys, one_thread):
    out = tmp_path / "ens"
    assert main(["ensemble", "--space", "darts", "--dataset", tiny_ecg, "--metric", "synflow", "--candidates",
                 "random:3", "--k", "2", "--epochs", "1", "--width", "4", "--cells", "2", "--proxy-batch", "8",
                 "--quiet", "--out", str(out)]) == 0
    members = sorted(os.listdir(out / "models"))
    assert len(members) == 3 and all(m.startswith("arch-darts-") for m in members)
    report = json.loads((out / "report.json").read_text())
    assert all(spaces.get("darts").parse(m["key"]) for m in report["members"])
    assert main(["predict", "--ensemble", str(out), "--input", tiny_ecg, "--out", str(tmp_path / "p.csv")]) == 0


def test_spaces_command_lists_the_registry(capsys):
    assert main(["spaces", "--json"]) == 0
    infos = json.loads(capsys.readouterr().out)
    assert [i["name"] for i in infos] == NAMES and all(i["size"] > 1 and i["suite"] for i in infos)
    assert main(["spaces"]) == 0 and "tnb101_macro" in capsys.readouterr().out


def test_spaces_draw_writes_a_darts_genotype_from_a_key_or_a_train_json(tmp_path, capsys):
    darts = spaces.get("darts")
    key = darts.key(darts.random(1, 4)[0])
    assert main(["spaces", "--draw", key, "--out", str(tmp_path / "a" / "g.png")]) == 0
    assert drawn_pixels(tmp_path / "a" / "g.png") > 2000
    (tmp_path / "train.json").write_text(json.dumps({"space": "darts", "arch": key}))
    assert main(["spaces", "--draw", str(tmp_path / "train.json"), "--out", str(tmp_path / "b.png")]) == 0
    assert "wrote" in capsys.readouterr().out and drawn_pixels(tmp_path / "b.png") > 2000
