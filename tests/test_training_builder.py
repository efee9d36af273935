"""The training loop, the benchmark builder (resume = uninterrupted) and their commands."""
from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from benchmarks_data import DataError, load_problems
from benchmarks_data.builder import BuildSpec, build_benchmark
from benchmarks_data.datasets import from_arrays, save_dataset
from benchmarks_data.training import Normalization, TrainConfig, classification_metrics, train_network
from proxies.spaces.nb201 import NB201Network
from synth.cli import main

CELL = "|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|none~0|avg_pool_3x3~1|skip_connect~2|"


def blobs(n=96, seed=0):
    """Two classes of 1x6x6 images: a bright square top-left vs bottom-right, plus noise."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    x = rng.normal(0, 0.5, (n, 1, 6, 6)).astype(np.float32)
    x[y == 0, :, :3, :3] += 1.5
    x[y == 1, :, 3:, 3:] += 1.5
    cut = [int(0.6 * n), int(0.8 * n)]
    return from_arrays("blobs", {"train": (x[:cut[0]], y[:cut[0]]), "val": (x[cut[0]:cut[1]], y[cut[0]:cut[1]]),
                                 "test": (x[cut[1]:], y[cut[1]:])})


def test_metrics_on_hand_made_probabilities():
    y = np.array([0, 0, 1, 1])
    proba = np.array([[0.9, 0.1], [0.4, 0.6], [0.3, 0.7], [0.2, 0.8]])
    m = classification_metrics(y, proba)
    assert m["accuracy"] == 0.75
    assert m["macro_f1"] == pytest.approx((2 / 3 + 0.8) / 2)
    assert m["auc"] == 1.0                                  # every positive scores above every negative
    three = classification_metrics(np.array([0, 1, 2]), np.eye(3))
    assert three == {"accuracy": 1.0, "macro_f1": 1.0, "auc": 1.0, "log_loss": 0.0, "f1_per_class": [1.0, 1.0, 1.0]}
    assert m["log_loss"] == pytest.approx(-np.mean(np.log([0.9, 0.4, 0.7, 0.8])))
    assert m["f1_per_class"] == pytest.approx([2 / 3, 0.8])


def test_the_challenge_f1_is_the_mean_f1_of_n_a_and_o_without_the_noisy_class():
    y = np.array([0, 0, 1, 2, 3, 3])                            # N N A O ~ ~
    proba = np.eye(4)[[0, 1, 1, 2, 0, 3]]                       # one N called A, one ~ called N
    m = classification_metrics(y, proba, ("N", "A", "O", "~"))
    f1 = m["f1_per_class"]
    assert m["challenge_f1"] == pytest.approx((f1[0] + f1[1] + f1[2]) / 3)
    assert f1 == pytest.approx([0.5, 2 / 3, 1.0, 2 / 3])
    assert "challenge_f1" not in classification_metrics(y, proba)            # classes not named N, A, O
    assert classification_metrics(np.array([0, 0, 1]), np.eye(3)[[0, 0, 1]])["auc"] is None  # class 2 absent


def test_a_diverged_networks_nan_probabilities_score_chance_instead_of_failing():
    y = np.array([0, 1, 2, 0, 1, 2])
    nan = np.full((6, 3), np.nan)
    m = classification_metrics(y, nan)
    assert m["accuracy"] == pytest.approx(1 / 3) and m["auc"] == 0.5
    part = np.eye(3)[y]
    part[:3] = np.nan                                   # half the rows diverged, half are right
    assert classification_metrics(y, part)["accuracy"] == pytest.approx(4 / 6)


def test_normalization_uses_train_statistics_per_channel():
    x = np.stack([np.full((4, 3), 2.0), np.arange(12.0).reshape(4, 3)], 1)     # (4, 2, 3)
    norm = Normalization.fit(x)
    z = norm.apply(x)
    assert np.allclose(z[:, 0], 0) and abs(z[:, 1].mean()) < 1e-6 and abs(z[:, 1].std() - 1) < 1e-5
    with pytest.raises(DataError, match="channels"):
        norm.apply(np.zeros((1, 3, 3), np.float32))
    assert np.allclose(Normalization.from_json(norm.to_json()).mean, norm.mean)


def _train(seed=0, epochs=5):
    torch.manual_seed(seed)
    net = NB201Network(CELL, dim=2, in_channels=1, num_classes=2, width=4, cells_per_stage=1)
    return net, train_network(net, blobs(), TrainConfig(epochs=epochs, batch_size=16, seed=seed), device="cpu")


def test_training_learns_keeps_the_best_epoch_and_is_deterministic():
    net, result = _train()
    assert result.val["accuracy"] >= 0.9 and result.test["accuracy"] >= 0.8       # chance is 0.5
    best = max(h["val_accuracy"] for h in result.history)
    assert result.val["accuracy"] == pytest.approx(best)
    assert result.history[result.best_epoch - 1]["val_accuracy"] == pytest.approx(best)
    for key, value in net.state_dict().items():
        assert torch.equal(value, result.state_dict[key])
    _, again = _train()
    assert again.val == result.val and again.test == result.test and again.history == result.history


def test_on_step_sees_every_sample_and_stops_training_where_it_returns_true():
    calls = []

    def watch(seen, model):
        calls.append((seen, model.training))
        return seen >= 100

    torch.manual_seed(0)
    net = NB201Network(CELL, dim=2, in_channels=1, num_classes=2, width=4, cells_per_stage=1)
    result = train_network(net, blobs(), TrainConfig(epochs=5, batch_size=16, seed=0), device="cpu", on_step=watch)
    seen = [c[0] for c in calls]
    assert seen == sorted(seen) and seen[0] == 16 and seen[-1] >= 100 and seen[-2] < 100
    assert all(training for _, training in calls)
    assert len(result.history) == 1 + (seen[-1] > len(blobs().x_train))      # stopped in the epoch it asked
    _, full = _train()
    assert len(full.history) == 5


def test_train_config_is_validated():
    with pytest.raises(DataError):
        TrainConfig(epochs=0)
    with pytest.raises(DataError):
        TrainConfig(lr=-1.0)


PROXIES = ("params", "flops", "synflow", "snip", "nwot", "jacov")


def _spec(**kw) -> BuildSpec:
    base = dict(dataset="blobs", dim=2, in_channels=1, num_classes=2, width=4, cells=1, epochs=1, batch_size=16,
                seed=0, proxies=PROXIES)
    base.update(kw)
    return BuildSpec(**base)


def _numbers(table: dict) -> dict:
    """Everything but timings."""
    return {task: {arch: {k: (v["score"] if isinstance(v, dict) else v) for k, v in rec.items() if k != "train_time"}
                   for arch, rec in rows.items()} for task, rows in table.items()}


ARCHS = ["(1, 2, 3, 0, 4, 1)", "(3, 3, 3, 3, 3, 3)", "(0, 1, 4, 2, 2, 3)", "(4, 4, 1, 2, 3, 0)"]


def test_resumed_build_equals_uninterrupted_build(tmp_path):
    data = blobs()
    full = build_benchmark(data, ARCHS, _spec(), str(tmp_path / "full.json"))
    out = str(tmp_path / "part.json")
    first = build_benchmark(data, ARCHS, _spec(), out, limit=2)          # "killed" after two architectures
    assert len(first["blobs"]) == 2
    with open(out, encoding="utf-8") as handle:
        assert list(json.load(handle)["blobs"]) == ARCHS[:2]
    calls = []
    resumed = build_benchmark(data, ARCHS, _spec(), out, progress=calls.append)
    assert calls[0] == 2 and sum(calls) == 4                             # two were skipped, not recomputed
    assert _numbers(resumed) == _numbers(full)
    with open(out, encoding="utf-8") as handle:
        assert _numbers(json.load(handle)) == _numbers(full)
    parallel = _numbers(build_benchmark(data, ARCHS, _spec(), str(tmp_path / "par.json"), jobs=2))["blobs"]
    for arch, rec in _numbers(full)["blobs"].items():                   # one thread per worker: rounding only
        assert parallel[arch].keys() == rec.keys()
        for key, value in rec.items():
            assert parallel[arch][key] == (value if value is None else pytest.approx(value, rel=1e-6))
    record = full["blobs"][ARCHS[0]]
    assert set(PROXIES) <= set(record) and 0 <= record["val_accuracy"] <= 100 and record["best_epoch"] == 1


def test_build_records_learning_curves_that_the_suite_reader_returns(tmp_path):
    from benchmarks_data.suite import read_suite

    out = str(tmp_path / "zc_blobs.json")
    table = build_benchmark(blobs(), ARCHS[:2], _spec(epochs=3), out)
    for record in table["blobs"].values():
        curve = record["val_curve"]
        assert len(curve) == 3 and record["val_accuracy"] == pytest.approx(max(curve))
    curves = read_suite(out).curves("blobs")
    assert curves.shape == (2, 3) and list(curves.columns) == [1, 2, 3]
    assert "val_curve" not in read_suite(out).table("blobs").columns              # not a proxy


def test_build_refuses_other_settings_and_foreign_files(tmp_path):
    out = str(tmp_path / "t.json")
    build_benchmark(blobs(), ARCHS[:1], _spec(), out)
    with pytest.raises(DataError, match="differs in: epochs"):
        build_benchmark(blobs(), ARCHS[:1], _spec(epochs=2), out)
    foreign = tmp_path / "zc_other.json"
    foreign.write_text("{}")
    with pytest.raises(DataError, match="not written by build-benchmark"):
        build_benchmark(blobs(), ARCHS[:1], _spec(), str(foreign))


def test_make_dataset_build_benchmark_and_evolve_commands(tmp_path, capsys):
    data = str(tmp_path / "digits.npz")
    assert main(["make-dataset", "digits", "--n", "120", "--out", data, "--quiet"]) == 0
    table = str(tmp_path / "zc_tiny.json")
    args = ["build-benchmark", "--dim", "2", "--data", data, "--archs", "random:12", "--epochs", "1",
            "--width", "4", "--proxies", "params,flops,synflow,nwot", "--out", table, "--quiet"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "12 architectures" in out and "tau(params, acc)" in out
    problems = load_problems([table], ["tiny/digits"])
    assert len(problems[0]) == 12 and sorted(problems[0].features) == ["flops", "nwot", "params", "synflow"]
    assert main(args) == 0                                    # finished build: rerun is a no-op
    assert main(["evolve", "--data", table, "--runs", "1", "--generations", "2", "--population", "10",
                 "--out", str(tmp_path / "run"), "--quiet"]) == 0
    assert "tiny/digits" in capsys.readouterr().out


@pytest.mark.parametrize("argv,words", [
    (["build-benchmark", "--dim", "3", "--archs", "random:2", "--epochs", "1"], "--dim 3 does not fit"),
    (["build-benchmark", "--archs", "random:2", "--epochs", "1", "--proxies", "snipp"], "snip"),
    (["build-benchmark", "--archs", "random:2", "--epochs", "0"], "must be >= 1"),
])
def test_build_benchmark_bad_input_is_one_line_exit_2(tmp_path, capsys, argv, words):
    data = str(tmp_path / "blobs.npz")
    save_dataset(blobs(), data)
    assert main(argv + ["--data", data, "--out", str(tmp_path / "o.json"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert words in err and len(err.splitlines()) == 1


def test_evolve_defaults_to_the_builtin_benchmark():
    from benchmarks_data import builtin
    from synth.inputs import data_and_problems as _data_and_problems

    data, names = _data_and_problems(None, None)
    expected = list(builtin.default_aliases())              # switches in one step once a set has finished
    assert data == builtin.default_paths() and names == expected
    assert [p.rsplit("/", 1)[1] for p in data] == [builtin.TABLES[a] for a in expected]
    problems = load_problems(data, names)
    assert [p.task for p in problems] == [builtin.space_task(a)[1] for a in expected]
    assert "mnist" in [p.task for p in problems]
    assert {"params", "flops", "synflow", "nwot", "zico", "ntk_cond", "az_trainability"} <= set(problems[0].features)
    for problem in problems:
        assert len(problem) >= 10 and np.ptp(problem.target) > (0.05 if problem.measure != "val_accuracy" else 5)


def test_builtin_tables_hold_at_least_150_architectures_with_every_proxy():
    from benchmarks_data import builtin
    from proxies.registry import available

    for path in builtin.paths():
        with open(path, encoding="utf-8") as handle:
            (task, rows), = json.load(handle).items()
        assert len(rows) >= 150, (task, len(rows))
        for arch, record in rows.items():
            assert set(available()) <= set(record), (task, arch, set(available()) - set(record))
            assert 0.0 <= record["val_accuracy"] <= 100.0


def test_evolve_uses_the_builtin_generations_only_on_the_builtin_benchmark(tmp_path, capsys):
    from benchmarks_data import builtin

    assert main(["evolve", "--runs", "1", "--jobs", "1", "--quiet", "--out", str(tmp_path / "a")]) == 0
    with open(tmp_path / "a" / "result.json", encoding="utf-8") as handle:
        assert json.load(handle)["config"]["generations"] == builtin.GENERATIONS
    assert main(["evolve", "--runs", "1", "--jobs", "1", "--quiet", "--generations", "3",
                 "--out", str(tmp_path / "b")]) == 0
    with open(tmp_path / "b" / "result.json", encoding="utf-8") as handle:
        assert json.load(handle)["config"]["generations"] == 3
    capsys.readouterr()


def test_a_builtin_table_counts_once_its_build_has_finished(tmp_path):
    from benchmarks_data.builtin import finished

    table, settings = tmp_path / "zc_nb101-1d.json", tmp_path / "zc_nb101-1d.json.build.json"
    settings.write_text(json.dumps({"spec": "{}", "archs": ["a", "b", "c"]}))
    table.write_text(json.dumps({"ecg": {"a": {}, "b": {}}}))
    assert not finished(str(table))                       # a build still under way is never read
    table.write_text(json.dumps({"ecg": {"a": {}, "b": {}, "c": {}}}))
    assert finished(str(table)) and not finished(str(tmp_path / "absent.json"))


@pytest.mark.parametrize("alias", [
    "NB201-ECG", "NB201-MNIST", "NB201-NODULE", "NB101-ECG", "NB101-MNIST", "DARTS-ECG", "DARTS-MNIST",
    "TNB101-MICRO-ECG", "TNB101-MICRO-MNIST", "TNB101-MACRO-ECG", "TNB101-MACRO-MNIST"])
def test_every_builtin_problem_loads_with_its_learning_curves(alias):
    from benchmarks_data import builtin, read_suite
    from proxies.spaces import for_table

    path = builtin.tables().get(alias)
    if path is None:
        pytest.skip(f"{alias}: its table is still being built (regenerate.sh)")
    (problem,) = load_problems([path], [alias])
    assert len(problem) >= 150 and np.ptp(problem.target) > 5
    space = for_table(problem.space)
    for key in problem.archs[:20]:
        space.parse(str(key))                              # keys of the space the table names
    curves = read_suite(path).curves(problem.task)
    assert len(curves) == len(read_suite(path).raw[problem.task]) and curves.shape[1] >= 3                  # 3-8 epochs per table


def test_builtin_default_switches_to_real_data_only_once_every_clinical_table_has_finished(monkeypatch):
    from benchmarks_data import builtin

    core = {a: f"/t/{builtin.TABLES[a]}" for a in builtin.CORE}
    monkeypatch.setattr(builtin, "tables", lambda: {**core, "NB101-ECG": "/t/zc_nb101-1d.json"})
    assert builtin.default_paths() == list(core.values())
    simulated = {a: f"/t/{builtin.TABLES[a]}" for a in builtin.SIMULATED_DEFAULT}
    partial = {**simulated, **{a: f"/t/{builtin.TABLES[a]}" for a in builtin.CLINICAL[:-1]}}
    monkeypatch.setattr(builtin, "tables", lambda: partial)     # the last clinical table still under way
    assert builtin.default_paths() == list(simulated.values()) and len(simulated) == 11
    every = {a: f"/t/{f}" for a, f in builtin.TABLES.items()}
    monkeypatch.setattr(builtin, "tables", lambda: every)
    assert builtin.default_paths() == [every[a] for a in builtin.REAL_DEFAULT]
    assert not any(a in builtin.SIMULATED for a in builtin.REAL_DEFAULT)


def test_repeats_record_the_mean_of_several_seeds_and_the_last_epoch_option(tmp_path):
    data = blobs()
    one = [build_benchmark(data, ARCHS[:1], _spec(epochs=2, seed=s), str(tmp_path / f"s{s}.json"))["blobs"][ARCHS[0]]
           for s in (0, 1)]
    both = build_benchmark(data, ARCHS[:1], _spec(epochs=2, repeats=2), str(tmp_path / "r.json"))["blobs"][ARCHS[0]]
    for key in ("val_accuracy", "test_macro_f1", "val_log_loss"):
        assert both[key] == pytest.approx((one[0][key] + one[1][key]) / 2)
    assert both["val_f1_per_class"] == pytest.approx(np.mean([one[0]["val_f1_per_class"],
                                                              one[1]["val_f1_per_class"]], 0).tolist())
    assert [r["val_accuracy"] for r in both["repeats"]] == [one[0]["val_accuracy"], one[1]["val_accuracy"]]
    assert both[PROXIES[0]]["score"] == one[0][PROXIES[0]]["score"]             # proxies once, at the first seed
    assert "repeats" not in _spec().to_json() and _spec(repeats=2).to_json()["repeats"] == 2
    last = build_benchmark(data, ARCHS[:1], _spec(epochs=3, keep="last"), str(tmp_path / "l.json"))["blobs"][ARCHS[0]]
    assert last["best_epoch"] == 3 and last["val_accuracy"] == pytest.approx(last["val_curve"][-1])


def test_folds_measure_every_pooled_sample_out_of_fold_and_keep_records_together(tmp_path):
    from benchmarks_data.builder import fold_indices

    data = blobs()
    pooled = len(data.y_train) + len(data.y_val)                       # 76 labelled samples, 19 test
    rec = build_benchmark(data, ARCHS[:1], _spec(epochs=2, keep="last", folds=3, proxies=()),
                          str(tmp_path / "cv.json"))["blobs"][ARCHS[0]]
    correct = rec["val_accuracy"] / 100 * pooled
    assert correct == pytest.approx(round(correct), abs=1e-6)         # one accuracy over all 76, not a mean of 3
    tested = rec["test_accuracy"] / 100 * len(data.y_test) * 3
    assert tested == pytest.approx(round(tested), abs=1e-6)           # the mean of 3 networks' test accuracies
    assert len(rec["val_curve"]) == 2 and rec["best_epoch"] == 2
    assert _spec(folds=3).to_json()["folds"] == 3 and "folds" not in _spec().to_json()
    with pytest.raises(DataError, match="keep='last'"):
        build_benchmark(data, ARCHS[:1], _spec(folds=3, proxies=()), str(tmp_path / "bad.json"))
    y = np.repeat([0, 1], 30)
    groups = np.repeat(np.arange(20), 3)                             # 20 records of 3 samples, one class each
    parts = fold_indices(y, groups, 4, seed=0)
    assert sorted(np.concatenate(parts).tolist()) == list(range(60))
    assert all(len(set(groups[p]) & set(groups[q])) == 0 for i, p in enumerate(parts) for q in parts[i + 1:])
    assert all(set(y[p]) == {0, 1} for p in parts)                    # stratified: both classes in every fold
    assert [p.tolist() for p in fold_indices(y, None, 4, seed=1)] != [p.tolist() for p in parts]


def test_build_benchmark_refuses_folds_without_the_last_epoch(tmp_path, capsys):
    path = tmp_path / "d.npz"
    save_dataset(blobs(), str(path))
    code = main(["build-benchmark", "--data", str(path), "--archs", "random:1", "--epochs", "1", "--folds", "3",
                 "--out", str(tmp_path / "t.json")])
    assert code == 2 and "--keep last" in capsys.readouterr().err
    assert not (tmp_path / "t.json").exists()
