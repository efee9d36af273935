"""Suite loaders, problems, missing values, aliases and splits: on hand-made and real files."""
from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks_data import ALIASES, DataError, load_problems, read_suite, resolve_name
from conftest import PROXIES


def test_official_layout_reads_scores_and_skips_metadata(toy_files):
    suite = read_suite(toy_files["toya"])
    assert suite.space == "toya" and suite.tasks == ["task1", "task2"]
    table = suite.table("task1")
    assert sorted(table.columns) == sorted(PROXIES + ["val_accuracy"])
    assert len(table) == 80 and "id" not in table.columns


def test_nested_layout_reads_bare_floats(toy_files):
    suite = read_suite(toy_files["toyn"])
    assert suite.space == "toyn"
    table = suite.table("cifar10")
    assert len(table) == 70 and table[PROXIES].notna().all().all()


def test_sentinel_nan_and_inf_are_missing(tmp_path):
    records = {f"a{i}": {"val_accuracy": 50.0 + i, "p": {"score": float(i)}, "q": {"score": 1.0 + i}}
               for i in range(20)}
    records["a0"]["p"]["score"] = -100000000.0
    records["a1"]["p"]["score"] = float("nan")
    records["a2"]["q"]["score"] = float("inf")
    records["a3"]["q"] = {"score": None}
    path = tmp_path / "zc_s.json"
    path.write_text(json.dumps({"t": records}))
    table = read_suite(str(path)).table("t")
    assert table["p"].isna().sum() == 2 and table["q"].isna().sum() == 2
    (problem,) = load_problems([str(path)], ["s/t"])
    assert len(problem) == 16 and problem.n_dropped == 4
    assert np.isfinite(problem.features.to_numpy()).all()


@pytest.mark.parametrize("content, message", [
    ("{not json", "malformed JSON"),
    ("[1, 2]", "not a NAS-Bench-Suite-Zero file"),
    ('{"t": {"a": 3}}', "not a NAS-Bench-Suite-Zero file"),
    ('{}', "not a NAS-Bench-Suite-Zero file"),
])
def test_malformed_files_raise_one_line_errors(tmp_path, content, message):
    path = tmp_path / "zc_bad.json"
    path.write_text(content)
    with pytest.raises(DataError, match=message) as info:
        read_suite(str(path))
    assert "\n" not in str(info.value)


def test_missing_file_and_unknown_space(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_suite(str(tmp_path / "nope.json"))
    path = tmp_path / "renamed.json"
    path.write_text(json.dumps({"t": {"a": {"val_accuracy": 1.0}}}))
    with pytest.raises(DataError, match="cannot tell its search space"):
        read_suite(str(path))
    assert read_suite(f"myspace={path}").space == "myspace"


def test_aliases_and_space_task_names():
    assert resolve_name("NB201-CF10") == ("nasbench201", "cifar10")
    assert resolve_name("nb201-imgnt") == ("nasbench201", "ImageNet16-120")
    assert resolve_name("TNB101-MICRO-SEGMENT") == ("transbench101_micro", "segmentsemantic")
    assert resolve_name("TNB101-MACRO-AUTOENC") == ("transbench101_macro", "autoencoder")
    assert resolve_name("transbench101_micro/class_scene") == ("transbench101_micro", "class_scene")
    assert len([a for a, (space, _) in ALIASES.items() if space == "transbench101_micro"]) == 7
    assert resolve_name("NB101-ECG") == ("nb101-1d", "ecg")
    assert resolve_name("darts-mnist") == ("darts-2d", "mnist")
    assert resolve_name("TNB101-MACRO-ECG") == ("tnb101_macro-1d", "ecg")
    with pytest.raises(DataError, match="did you mean 'NB201-CF10'"):
        resolve_name("NB201-CF01")


def test_problems_keep_user_names_and_share_features(toy_files):
    problems = load_problems(list(toy_files.values()), ["toya/task1", "toyn/cifar10"])
    assert [p.name for p in problems] == ["toya/task1", "toyn/cifar10"]
    assert all(list(p.features.columns) == sorted(PROXIES) for p in problems)
    chosen = load_problems([toy_files["toya"]], ["toya/task2"], features=["gamma", "alpha"])
    assert list(chosen[0].features.columns) == ["gamma", "alpha"]
    with pytest.raises(DataError, match="did you mean 'alpha'"):
        load_problems([toy_files["toya"]], ["toya/task2"], features=["alpah"])
    with pytest.raises(DataError, match="no task 'task3'"):
        load_problems([toy_files["toya"]], ["toya/task3"])
    with pytest.raises(DataError, match="no --data file holds it"):
        load_problems([toy_files["toya"]], ["toyb/task1"])


def test_too_few_rows_is_an_error(tmp_path):
    records = {f"a{i}": {"val_accuracy": float(i), "p": {"score": float(i) if i < 5 else -1e8}} for i in range(30)}
    path = tmp_path / "zc_few.json"
    path.write_text(json.dumps({"t": records}))
    with pytest.raises(DataError, match="5 usable rows"):
        load_problems([str(path)], ["few/t"])


def test_split_is_seeded_70_30_and_independent_of_other_problems(toy_files):
    (alone,) = load_problems([toy_files["toya"]], ["toya/task1"])
    both = load_problems(list(toy_files.values()), ["toyb/task2", "toya/task1"])
    train, test = alone.split(0.3, seed=7)
    assert len(test) == 24 and len(train) == 56 and not set(train) & set(test)
    assert np.array_equal(both[1].split(0.3, 7)[1], test)
    assert not np.array_equal(alone.split(0.3, 8)[1], test)


def test_real_paper_problems(paper_files):
    problems = load_problems(paper_files, ["NB101-CF10", "nasbench201/cifar10", "NB301-CF10"])
    assert [len(p) for p in problems] == [500, 9444, 725]
    assert list(problems[1].features.columns) == ["epe_nas", "fisher", "flops", "grad_norm", "grasp", "jacov",
                                                  "l2_norm", "params", "plain", "snip", "synflow"]
    assert problems[1].n_dropped == 15625 - 9444
    assert problems[0].archs[0].startswith("(")


def test_a_proxy_only_table_reads_but_is_not_a_problem(tmp_path):
    """Tables from `zc-synth proxies` hold scores without ground truth: readable, not trainable on."""
    path = tmp_path / "zc_toyp.json"
    path.write_text('{"t": {"a": {"p": {"score": 1}}, "b": {"p": {"score": null, "error": "x"}}}}')
    from benchmarks_data.suite import read_suite
    table = read_suite(str(path)).table("t")
    assert list(table.columns) == ["p"] and table["p"].isna().tolist() == [False, True]
    with pytest.raises(DataError, match="no 'val_accuracy'"):
        load_problems([str(path)], ["toyp/t"])
