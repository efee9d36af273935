"""Extra proxy columns joined onto a suite file by architecture key (``--data SUITE+EXTRA``), and the
suite-proxies table that makes them (dataset D)."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from benchmarks_data import DataError, load_problems, read_suite
from synth.cli import main


def _suite(tmp_path, n: int = 30) -> str:
    """An NB201 suite file ``zc_nasbench201.json`` (task cifar10) with two proxies and the accuracy."""
    rng = np.random.default_rng(0)
    keys: list[str] = []
    while len(keys) < n:
        key = str(tuple(int(i) for i in rng.integers(0, 5, 6)))
        if key not in keys:
            keys.append(key)
    records = {k: {"val_accuracy": float(50 + i), "synflow": {"score": float(i), "time": 0.0},
                   "zico": {"score": -1.0, "time": 0.0}} for i, k in enumerate(keys)}
    path = tmp_path / "zc_nasbench201.json"
    path.write_text(json.dumps({"cifar10": records}))
    return str(path)


def _extra(tmp_path, suite: str, *, skip: int = 3, respell: int = 1, foreign: bool = True, task: str = "cifar10") -> str:
    """An extra table over the suite's keys: the first ``skip`` keys left out, the next ``respell``
    written without spaces, one key the suite lacks; proxies meco (= 2 * accuracy) and zico."""
    keys = list(json.loads(open(suite).read())["cifar10"])
    rows = {}
    for i, key in enumerate(keys):
        if i < skip:
            continue
        spelled = key.replace(" ", "") if i < skip + respell else key
        rows[spelled] = {"meco": {"score": 2.0 * (50 + i), "time": 0.1}, "zico": {"score": 7.0, "time": 0.1}}
    if foreign:
        rows["(4, 4, 4, 4, 4, 4)" if "(4, 4, 4, 4, 4, 4)" not in keys else "(3, 3, 3, 3, 3, 3)"] = {
            "meco": {"score": 1.0, "time": 0.1}}
    path = tmp_path / "d_extra.json"
    path.write_text(json.dumps({task: rows}))
    return str(path)


def test_join_adds_columns_by_key_and_invents_nothing(tmp_path):
    suite = _suite(tmp_path)
    extra = _extra(tmp_path, suite)
    joined = read_suite(f"{suite}+{extra}")
    table = joined.table("cifar10")
    keys = list(table.index)
    assert table["meco"].isna().sum() == 3                         # the 3 keys the extra table lacks
    assert table.loc[keys[3:], "meco"].tolist() == [2.0 * (50 + i) for i in range(3, 30)]
    assert (table["zico"] == -1.0).all()                          # the suite's own column is kept
    (report,) = joined.joins
    assert report.matched == 27 and report.suite_rows == 30
    assert report.missing == tuple(keys[:3]) and len(report.unused) == 1
    assert report.columns == ("meco",) and report.kept == ("zico",)
    assert "27 of 30 architectures joined" in report.summary()


def test_joined_problem_uses_the_extra_proxy_and_drops_rows_without_it(tmp_path):
    suite = _suite(tmp_path)
    extra = _extra(tmp_path, suite)
    (problem,) = load_problems([f"{suite}+{extra}"], ["NB201-CF10"], ["synflow", "meco"])
    assert len(problem) == 27 and problem.n_dropped == 3
    assert problem.features["meco"].tolist() == (2.0 * problem.target).tolist()
    (plain,) = load_problems([suite], ["NB201-CF10"], ["synflow"])
    assert len(plain) == 30                                        # the plain file is unchanged


def test_join_refuses_a_task_the_suite_lacks(tmp_path):
    suite = _suite(tmp_path)
    extra = _extra(tmp_path, suite, task="cifar100")
    with pytest.raises(DataError, match="task 'cifar100' is not in"):
        read_suite(f"{suite}+{extra}")


def test_evolve_reads_a_joined_spec(tmp_path):
    suite = _suite(tmp_path)
    extra = _extra(tmp_path, suite)
    out = tmp_path / "run"
    assert main(["evolve", "--data", f"{suite}+{extra}", "--features", "synflow,meco", "--runs", "2",
                 "--generations", "2", "--population", "10", "--select", "train", "--jobs", "1", "--quiet",
                 "--out", str(out)]) == 0
    result = json.loads((out / "result.json").read_text())
    assert set(result["features"]) == {"synflow", "meco"}


def test_join_with_a_missing_extra_file_is_one_line(tmp_path, capsys):
    suite = _suite(tmp_path)
    out = tmp_path / "run"
    assert main(["evolve", "--data", f"{suite}+{tmp_path / 'nope.json'}", "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no such file" in err and not out.exists()


def test_suite_proxies_resumes_and_refuses_other_settings(tmp_path, capsys):
    suite = _suite(tmp_path, n=6)
    out = str(tmp_path / "d.json")
    keys = list(json.loads(open(suite).read())["cifar10"])
    (tmp_path / "two.txt").write_text("\n".join(keys[:2]) + "\n")
    (tmp_path / "three.txt").write_text("\n".join(keys[:3]) + "\n")
    common = ["suite-proxies", "--suite", suite, "--proxies", "params,flops", "--data", "gaussian", "--quiet",
              "--out", out]
    assert main([*common, "--archs", str(tmp_path / "two.txt")]) == 0
    first = json.loads(open(out).read())["cifar10"]
    assert list(first) == keys[:2] and first[keys[0]]["params"]["score"] > 0
    # a stop after the first row: the rerun keeps it as it is (its time too) and scores the other
    json.dump({"cifar10": {keys[0]: dict(first[keys[0]], marker={"score": 1.0})}}, open(out, "w"))
    assert main([*common, "--archs", str(tmp_path / "two.txt")]) == 0
    resumed = json.loads(open(out).read())["cifar10"]
    assert resumed[keys[0]]["marker"] == {"score": 1.0} and resumed[keys[1]]["params"]["score"] == first[keys[1]]["params"]["score"]
    json.dump({"cifar10": first}, open(out, "w"))
    before = open(out).read()
    assert main([*common[:4], "zico", *common[5:], "--archs", str(tmp_path / "two.txt")]) == 2
    assert "differs in: proxies" in capsys.readouterr().err and open(out).read() == before
    # a rerun of the same command computes nothing and rewrites the same rows
    assert main([*common, "--archs", str(tmp_path / "two.txt")]) == 0
    assert json.loads(open(out).read())["cifar10"] == first
    joined = read_suite(f"{suite}+{out}").table("cifar10")
    assert joined["params"].notna().sum() == 2


def test_suite_proxies_builds_the_suites_network(tmp_path):
    """NB201-CF10's suite network (C 16, N 5, 10 classes): params as the suite counts them."""
    from benchmarks_data.suite_proxies import score_suite

    suite = _suite(tmp_path, n=2)
    key = list(json.loads(open(suite).read())["cifar10"])[0]
    from proxies import spaces

    model = spaces.get("nb201").suite_network(key, "cifar10")
    expected = sum(p.numel() for p in model.parameters()) / 1e6
    table = score_suite(suite, "cifar10", ["params"], str(tmp_path / "d.json"), data="gaussian")
    assert table["cifar10"][key]["params"]["score"] == pytest.approx(expected, rel=1e-6)
    assert os.path.exists(tmp_path / "d.json.job.json")
