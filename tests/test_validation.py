"""Many problems with different proxies, transfer selection, leave-problems-out validation and report."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from benchmarks_data import Problem, load_problems
from synth.evolve import split_problems, training_data
from synth.fitness import TreeEvaluator, normalized_score
from synth.gp import GPConfig, primitive_set
from synth.selection import Candidate, group_keys, pick, problem_groups
from synth.validation import Settings, collect, make_folds, run_fold
from conftest import drawn_pixels

SMALL = GPConfig(population=20, generations=4)


def _problem(name: str, space: str, frame: pd.DataFrame, target: np.ndarray) -> Problem:
    return Problem(name=name, space=space, task=name, archs=np.arange(len(target)), features=frame,
                   target=target, n_dropped=0, source="synthetic")


def _toy(seed: int, n: int = 80, proxies: tuple[str, ...] = ("a", "b", "c"), space: str = "s") -> Problem:
    rng = np.random.default_rng(seed)
    target = rng.uniform(50, 90, n)
    frame = pd.DataFrame({p: target * (k + 1) + rng.normal(0, 15 * (k + 1), n) for k, p in enumerate(proxies)})
    return _problem(f"{space}/p{seed}", space, frame, target)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "synth", *args], capture_output=True, text=True)


def test_per_problem_policy_keeps_a_proxy_one_problem_lacks(tmp_path):
    """The shared policy drops proxy 'b' everywhere; per_problem keeps it where it exists."""
    rng = np.random.default_rng(0)
    records = {f"x{i}": {"val_accuracy": float(i), "a": {"score": float(i + rng.normal())},
                         "b": {"score": float(rng.normal())}} for i in range(40)}
    lacking = {f"y{i}": {"val_accuracy": float(i), "a": {"score": float(i + rng.normal())}} for i in range(40)}
    path = tmp_path / "zc_m.json"
    path.write_text(json.dumps({"full": records, "lack": lacking}))
    shared = load_problems([str(path)], ["m/full", "m/lack"])
    assert [list(p.features.columns) for p in shared] == [["a"], ["a"]]
    own = load_problems([str(path)], ["m/full", "m/lack"], per_problem=True)
    assert [list(p.features.columns) for p in own] == [["a", "b"], ["a"]]


def test_a_tree_is_scored_only_where_all_its_proxies_exist():
    full = _toy(1, proxies=("a", "b"))
    lacking = _toy(2, proxies=("a",))
    data = training_data(split_problems([full, lacking], 0.3, 0))
    assert data.features == ("a", "b") and data.available.tolist() == [[True, True], [True, False]]
    evaluator = TreeEvaluator(data)
    pset = primitive_set(data.features)
    from deap import gp
    only_a = evaluator.taus(gp.PrimitiveTree.from_string("a", pset))
    uses_b = evaluator.taus(gp.PrimitiveTree.from_string("add(a, b)", pset))
    assert np.isfinite(only_a).all()
    assert np.isfinite(uses_b[0]) and np.isnan(uses_b[1])
    low, high = np.array([0.0, 0.0]), np.array([1.0, 1.0])
    assert normalized_score(uses_b, low, high) == pytest.approx(uses_b[0])


def test_problem_groups_partition_and_are_seeded():
    keys = [str(i) for i in range(7)]
    groups = problem_groups(keys, 3, seed=4)
    assert sorted(i for g in groups for i in g) == list(range(7)) and len(groups) == 3
    assert groups == problem_groups(keys, 3, seed=4)
    assert problem_groups(["a", "b"], 3, seed=0) in ([[0], [1]], [[1], [0]])


def test_fold_by_space_keeps_a_space_in_one_group():
    spaces = ["nb201", "nb201@pre", "nb101", "tnb", "tnb", "nb301", "nb201"]
    keys = group_keys(spaces, "space")
    for seed in range(5):
        groups = problem_groups(keys, 3, seed)
        assert sorted(i for g in groups for i in g) == list(range(7)) and len(groups) == 3
        group_of = {i: g for g, members in enumerate(groups) for i in members}
        assert group_of[0] == group_of[1] == group_of[6] and group_of[3] == group_of[4]
    assert group_keys(["nb201", "nb201@pre"], "space") == ["0", "1"]
    assert group_keys(spaces, "problem") == [str(i) for i in range(7)]


def test_parsimony_picks_the_smallest_near_best():
    cands = [Candidate(0, 9, "t9", np.zeros(1), [0], 0.80), Candidate(1, 3, "t3", np.zeros(1), [0], 0.795),
             Candidate(2, 1, "t1", np.zeros(1), [0], 0.70)]
    assert pick(cands, 0.01) == 1
    assert pick(cands, 0.0) == 0
    assert pick(cands, 0.2) == 2


def test_transfer_selection_reports_groups(toy_files):
    from synth import ProxySynthesizer
    problems = load_problems(list(toy_files.values()), ["toya/task1", "toyb/task2", "toyn/cifar10"], per_problem=True)
    model = ProxySynthesizer(runs=3, config=SMALL, select="transfer", folds=3).fit(problems)
    selection = model.report_["selection"]
    assert selection["method"] == "transfer" and len(selection["groups"]) == 3
    assert sorted(sum(selection["groups"], [])) == sorted(p.name for p in problems)
    train = ProxySynthesizer(runs=3, config=SMALL, select="train").fit(problems)
    assert train.report_["selection"] == {"method": "train"}


def test_a_fold_never_reads_its_held_out_problem():
    """Poison every row of the held-out problem: the fold's formula and baselines must not change."""
    problems = [_toy(s, space=f"s{s}") for s in range(4)]
    settings = Settings(runs=2, config=SMALL, baselines=("rank_average", "upnas"))
    held = problems[0]
    rng = np.random.default_rng(9)
    poisoned = _problem(held.name, held.space, pd.DataFrame(rng.normal(size=held.features.shape) * 1e6,
                                                            columns=held.features.columns),
                        rng.permutation(held.target) * -3)
    clean = run_fold(0, problems[1:], [held], ["a", "b", "c"], settings, None)
    dirty = run_fold(0, problems[1:], [poisoned], ["a", "b", "c"], settings, None)
    assert clean["metrics"] == dirty["metrics"]
    assert clean["taus"] != dirty["taus"]


def test_folds_by_problem_and_by_space():
    problems = [_toy(1, space="x"), _toy(2, space="x"), _toy(3, space="y")]
    assert make_folds(problems, "problem") == [[0], [1], [2]]
    assert make_folds(problems, "space") == [[0, 1], [2]]
    releases = [_toy(1, space="nb"), _toy(2, space="nb@pre"), _toy(3, space="other")]
    assert make_folds(releases, "space") == [[0, 1], [2]]
    with pytest.raises(Exception, match="at least 2"):
        make_folds(problems[:2], "space")


def test_space_folds_join_a_suite_space_with_its_builtin_tables():
    spaces = ["nasbench301", "darts-1d", "nasbench201", "nb201-1d", "nasbench201@pre", "darts-2d",
              "transbench101_micro", "tnb101_micro-2d", "toy"]
    problems = [_toy(i, space=s) for i, s in enumerate(spaces)]
    assert make_folds(problems, "space") == [[0, 1, 5], [2, 3, 4], [6, 7], [8]]


def test_a_fold_never_reads_its_held_out_space():
    """Poison every row of every problem of the held-out space (suite file and built-in tables alike):
    the fold's formula and baselines must not change."""
    problems = [_toy(0, space="nasbench301"), _toy(1, space="darts-1d"), _toy(2, space="darts-2d"),
                _toy(3, space="nasbench201"), _toy(4, space="nb101-1d"), _toy(5, space="tnb101_macro-2d")]
    (held_idx, *_rest) = make_folds(problems, "space")
    held = [problems[i] for i in held_idx]
    assert [p.space for p in held] == ["nasbench301", "darts-1d", "darts-2d"]
    train = [p for i, p in enumerate(problems) if i not in held_idx]
    rng = np.random.default_rng(9)
    poisoned = [_problem(p.name, p.space, pd.DataFrame(rng.normal(size=p.features.shape) * 1e6,
                                                       columns=p.features.columns), rng.permutation(p.target) * -3)
                for p in held]
    settings = Settings(runs=2, config=SMALL, baselines=("rank_average", "upnas"))
    clean = run_fold(0, train, held, ["a", "b", "c"], settings, None)
    dirty = run_fold(0, train, poisoned, ["a", "b", "c"], settings, None)
    assert clean["metrics"] == dirty["metrics"]
    assert clean["taus"] != dirty["taus"]


def test_collect_puts_each_fold_on_its_problems():
    folds = [{"taus": {"FORMULA": {"p": 0.5}, "a": {"p": 0.1}}}, {"taus": {"FORMULA": {"q": 0.2}, "a": {"q": None}}}]
    assert collect(folds, ["p", "q"]) == {"FORMULA": {"p": 0.5, "q": 0.2}, "a": {"p": 0.1, "q": None}}


def test_validate_writes_json_heatmap_and_resumes(toy_files, tmp_path):
    out = str(tmp_path / "val")
    args = ["validate", "--data", toy_files["toya"], "--data", toy_files["toyb"], "--data", toy_files["toyn"],
            "--runs", "2", "--generations", "3", "--population", "10", "--jobs", "1", "--quiet", "--out", out,
            "--baselines", "rank_average,upnas"]
    done = _cli(*args)
    assert done.returncode == 0, done.stderr
    result = json.load(open(os.path.join(out, "validation.json")))
    assert {"problems", "metrics", "mean_tau", "mean_rank"} <= set(result)
    assert len(result["problems"]) == 5 and "FORMULA" in result["metrics"]
    assert {"alpha", "rank_average", "upnas"} <= set(result["metrics"])
    assert all(set(taus) == set(result["problems"]) for taus in result["metrics"].values())
    assert drawn_pixels(os.path.join(out, "heatmap.png")) > 2000
    assert "FORMULA" in done.stdout and "mean tau" in done.stdout
    again = _cli(*args)
    assert again.returncode == 0 and json.load(open(os.path.join(out, "validation.json"))) == result
    other = _cli(*args[:-1], "rank_average")
    assert other.returncode == 2 and "other settings" in other.stderr


def test_report_writes_heatmap_csv_and_json(toy_files, tmp_path):
    out = str(tmp_path / "rep")
    done = _cli("report", "--data", toy_files["toya"], "--data", toy_files["toyb"], "--metric", "alpha + beta",
                "--metric", "mine=log(gamma)", "--proxies", "--out", out)
    assert done.returncode == 0, done.stderr
    result = json.load(open(os.path.join(out, "report.json")))
    assert {"alpha + beta", "mine", "alpha", "delta"} <= set(result["metrics"])
    assert result["problems"] == ["toya/task1", "toya/task2", "toyb/task1", "toyb/task2"]
    assert drawn_pixels(os.path.join(out, "heatmap.png")) > 2000 and os.path.isfile(os.path.join(out, "report.csv"))


@pytest.mark.parametrize("args,message", [
    (["validate", "--group", "spaces"], "invalid choice"),
    (["validate", "--runs", "0"], "runs must be >= 1, got 0"),
    (["validate", "--baselines", "tecup"], "did you mean 'teacup'"),
    (["validate", "--problems", "toya/task1"], "at least 2"),
    (["report", "--metric", "alpah"], "no problem has"),
    (["report", "--problems", "toya/task9"], "no task 'task9'"),
])
def test_bad_input_to_validate_and_report_is_one_line(args, message, toy_files, tmp_path):
    done = _cli(*args, "--data", toy_files["toya"], "--out", str(tmp_path / "o"))
    assert done.returncode == 2, done.stdout + done.stderr
    assert done.stderr.startswith("zc-synth: error:") and done.stderr.count("\n") == 1, done.stderr
    assert message in done.stderr


@pytest.mark.parametrize("name", ["upnas", "rank_average", "teacup_all"])
def test_a_fitted_baseline_is_a_metric_for_evaluate(name, toy_files, tmp_path):
    path = str(tmp_path / f"{name}.json")
    fitted = _cli("baseline", name, "--data", toy_files["toya"], "--out", path)
    assert fitted.returncode == 0, fitted.stderr
    done = _cli("evaluate", "--data", toy_files["toya"], "--formula", path, "--json")
    assert done.returncode == 0, done.stderr
    taus = [v["tau"] for v in json.loads(done.stdout)["problems"].values()]
    assert len(taus) == 2 and min(taus) > 0.3


def test_live_mode_refuses_a_population_metric():
    from benchmarks_data import DataError
    from synth.baselines import RankAverage
    from synth.search.live import check_live_metric
    with pytest.raises(DataError, match="one architecture at a time"):
        check_live_metric(RankAverage(["nwot", "synflow"]))


def test_validate_refuses_a_folder_with_other_files(toy_files, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me")
    done = _cli("validate", "--data", toy_files["toya"], "--data", toy_files["toyb"], "--runs", "1", "--out", str(folder))
    assert done.returncode == 2 and "non-empty folder" in done.stderr and done.stderr.count("\n") == 1
    assert (folder / "notes.txt").read_text() == "keep me" and sorted(os.listdir(folder)) == ["notes.txt"]
