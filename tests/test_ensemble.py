"""Ensemble stage: combination rules, uncertainty, coverage, the Ensemble API and the CLI end to end."""
from __future__ import annotations

import csv
import json
import os

import numpy as np
import pytest

from zc_core.errors import NotFittedError

from benchmarks_data.datasets import load_dataset, save_dataset
from benchmarks_data.synthetic import make_ecg
from synth.cli import main
from synth.ensemble import combine as rules
from synth.ensemble.candidates import select_members
from synth.ensemble.model import Ensemble
from synth.ensemble.uncertainty import SCORES as UNCERTAINTY_SCORES
from conftest import drawn_pixels

METRIC = "synflow + params"


# ------------------------------------------------------------------------------ pure functions
def test_mean_rule_averages_member_probabilities():
    p = np.array([[[0.9, 0.1], [0.4, 0.6]],
                  [[0.3, 0.7], [0.2, 0.8]]])
    assert np.allclose(rules.mean_proba(p), [[0.6, 0.4], [0.3, 0.7]])
    assert rules.combine(p, "mean").tolist() == [0, 1]


def test_vote_rule_takes_the_majority_and_breaks_ties_by_mean_probability():
    # sample 0: two of three members say class 2 although the mean favours class 0
    # sample 1: one vote each for classes 0 and 1 (tie); class 1 has the higher mean probability
    p = np.array([[[0.45, 0.00, 0.55], [0.6, 0.4, 0.0]],
                  [[0.45, 0.00, 0.55], [0.3, 0.7, 0.0]],
                  [[1.00, 0.00, 0.00], [0.3, 0.3, 0.4]]])
    assert rules.combine(p, "mean")[0] == 0
    assert rules.combine(p, "vote")[0] == 2
    counts = rules.vote_counts(p)
    assert counts[1].tolist() == [1, 1, 1]
    assert rules.combine(p, "vote")[1] == 1           # mean (0.4, 0.467, 0.133)
    with pytest.raises(ValueError, match="unknown combination rule"):
        rules.combine(p, "median")


def test_coverage_curve_on_a_constructed_case():
    # 20 samples; the 10 most confident are right, the others right every other time
    uncert = np.arange(20) / 100.0
    prob = np.full(20, 0.5)
    correct = np.array([True] * 10 + [True, False] * 5)
    order = rules.confidence_order(uncert, prob)
    assert order.tolist() == list(range(20))
    curve = rules.coverage_curve(correct, order)
    assert list(curve) == [str(x) for x in range(5, 101, 5)]
    assert curve["5"] == 1.0 and curve["50"] == 1.0
    assert curve["100"] == pytest.approx(15 / 20)
    assert curve["60"] == pytest.approx(11 / 12)            # 12 samples kept: 10 + 1 right of the next 2
    # shuffling the samples together with their uncertainty changes nothing
    perm = np.random.default_rng(0).permutation(20)
    assert rules.coverage_curve(correct[perm], rules.confidence_order(uncert[perm], prob[perm])) == curve


def test_confidence_ties_go_to_the_higher_probability_and_flags_mark_the_least_confident():
    order = rules.confidence_order(np.array([0.0, 0.0, 0.1, 0.0]), np.array([0.6, 0.9, 0.99, 0.6]))
    assert order.tolist() == [1, 0, 3, 2]
    flags = rules.flag_least_confident(order, 0.5)
    assert flags.tolist() == [False, False, True, True]
    assert not rules.flag_least_confident(order, 0.0).any()
    with pytest.raises(ValueError):
        rules.flag_least_confident(order, 1.5)


def test_select_members_keeps_the_k_best_distinct_scorable_architectures():
    scores = {"(0, 0, 0, 0, 0, 1)": 3.0, "(1, 0, 0, 0, 0, 1)": -np.inf, "(2, 0, 0, 0, 0, 1)": 5.0,
              "(3, 0, 0, 0, 0, 1)": 1.0}
    assert select_members(scores, 2) == [("(2, 0, 0, 0, 0, 1)", 5.0), ("(0, 0, 0, 0, 0, 1)", 3.0)]
    with pytest.raises(Exception, match="--k 4 needs 4 distinct"):
        select_members(scores, 4)


# ------------------------------------------------------------------------------ API and CLI
@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("ens") / "ecg.npz")
    save_dataset(make_ecg(n=48, seed=3), path)
    return path


def _fit(dataset, folder=None, seed=0):
    archs = ["(3, 3, 0, 3, 1, 2)", "(2, 3, 1, 0, 3, 3)"]
    return Ensemble(archs, seeds=seed, metrics=[2.0, 1.0], width=4, epochs=1, folder=folder).fit(dataset)


def test_api_is_deterministic_and_survives_save_and_load(tiny, tmp_path):
    dataset = load_dataset(tiny)
    first, second = _fit(dataset), _fit(dataset)
    x = dataset.x_test
    assert np.array_equal(first.member_proba(x), second.member_proba(x))
    assert not np.array_equal(first.member_proba(x), _fit(dataset, seed=1).member_proba(x))
    assert first.predict_proba(x).shape == (len(x), dataset.num_classes)
    assert np.allclose(first.predict_proba(x).sum(1), 1.0)
    first.save(str(tmp_path / "saved"))
    loaded = Ensemble.load(str(tmp_path / "saved"))
    assert [m.arch for m in loaded.members_] == [m.arch for m in first.members_]
    assert np.array_equal(loaded.predict_proba(x), first.predict_proba(x))
    assert np.array_equal(loaded.predict(x), first.predict(x))
    assert np.array_equal(loaded.predict_uncertainty(x), first.predict_uncertainty(x))
    with pytest.raises(Exception, match="channel"):
        loaded.predict(np.zeros((2, 3, 1000), np.float32))
    with pytest.raises(NotFittedError, match="not fitted"):
        Ensemble(["(0, 0, 0, 0, 0, 1)"]).predict(x)


def _run(tiny, out, *extra):
    return main(["ensemble", "--dataset", tiny, "--metric", METRIC, "--candidates", "random:6", "--k", "2",
                 "--epochs", "1", "--width", "4", "--out", out, "--quiet", *extra])


@pytest.fixture(scope="module")
def finished(tiny, tmp_path_factory):
    """One complete run (k = 2, one epoch), shared by the tests that only read it."""
    out = str(tmp_path_factory.mktemp("ens") / "run")
    assert _run(tiny, out) == 0
    return out


def _read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_end_to_end_report_and_predict_round_trip(tiny, finished, tmp_path, capsys):
    out = finished
    assert main(["ensemble", "--dataset", tiny, "--metric", METRIC, "--candidates", "random:6", "--k", "2",
                 "--epochs", "1", "--width", "4", "--out", out, "--quiet"]) == 0       # finished: only reports
    text = capsys.readouterr().out
    assert "architecture ensemble" in text and "single-architecture" in text
    with open(os.path.join(out, "report.json"), encoding="utf-8") as handle:
        report = json.load(handle)
    assert set(report) == {"members", "ensemble", "single_architecture", "median_member"}
    for key in ("ensemble", "single_architecture"):
        section = report[key]
        assert section["requested_uncertainty"] == "auto"
        assert set(section["scores"]) == set(section["validation_aurc"]) == set(UNCERTAINTY_SCORES)
        val, se = section["validation_aurc"], section["validation_aurc_se"]
        assert val[section["uncertainty"]] - min(val.values()) <= se[section["uncertainty"]]
        assert section["aurc"] == pytest.approx(section["scores"][section["uncertainty"]]["aurc"])
        assert 0 <= section["test"]["ece"] <= 1 and section["test"]["nll"] > 0
    assert len(report["members"]) == 2
    assert report["members"][0]["metric"] >= report["members"][1]["metric"]
    assert report["members"][0]["arch"] != report["members"][1]["arch"]
    for member in report["members"]:
        assert set(member["test"]) == {"accuracy", "macro_f1", "auc"} and isinstance(member["arch"], str)
    for key in ("ensemble", "single_architecture"):
        assert list(report[key]["coverage"]) == [str(x) for x in range(5, 101, 5)]
        assert report[key]["coverage"]["100"] == pytest.approx(report[key]["test"]["accuracy"])
        assert report[key]["test"]["auc"] is None                 # four classes
    assert drawn_pixels(os.path.join(out, "coverage.png")) > 200
    models = sorted(os.listdir(os.path.join(out, "models")))
    assert len(models) == 3                                       # member 1 doubles as baseline seed 0
    for name in models:
        assert {"weights.pt", "member.json"} <= set(os.listdir(os.path.join(out, "models", name)))
    # predict after loading from disk gives the saved test predictions exactly
    preds = str(tmp_path / "preds.csv")
    assert main(["predict", "--ensemble", out, "--input", tiny, "--flag", "0.25", "--out", preds]) == 0
    saved, again = _read_csv(os.path.join(out, "test_predictions.csv")), _read_csv(preds)
    for column in ("label", "prediction", "probability", "uncertainty", "disagreement", "confidence_rank"):
        assert [r[column] for r in again] == [r[column] for r in saved]
    assert sum(int(r["flagged"]) for r in again) == int(0.25 * len(again))
    flagged_ranks = sorted(int(r["confidence_rank"]) for r in again if r["flagged"] == "1")
    assert flagged_ranks == list(range(len(again) - len(flagged_ranks) + 1, len(again) + 1))
    # an x-only npz works too
    x_only = str(tmp_path / "x.npz")
    np.savez(x_only, x=load_dataset(tiny).x_test)
    assert main(["predict", "--ensemble", out, "--input", x_only, "--out", str(tmp_path / "p2.csv")]) == 0
    assert [r["prediction"] for r in _read_csv(str(tmp_path / "p2.csv"))] == [r["prediction"] for r in saved]


def test_another_uncertainty_or_calibration_reuses_the_trained_members(tiny, finished, tmp_path, monkeypatch, capsys):
    import shutil

    from synth.ensemble import model

    out = str(tmp_path / "copy")
    shutil.copytree(finished, out)
    monkeypatch.setattr(model, "_train_member", lambda *a, **k: pytest.fail("a member was retrained"))
    assert _run(tiny, out, "--uncertainty", "variance", "--calibrate") == 0
    text = capsys.readouterr().out
    assert "calibration (architecture ensemble): validation NLL" in text
    with open(os.path.join(out, "report.json"), encoding="utf-8") as handle:
        report = json.load(handle)
    for key in ("ensemble", "single_architecture"):
        assert report[key]["uncertainty"] == "variance" and report[key]["requested_uncertainty"] == "variance"
        assert report[key]["calibration"]["requested"] is True
    with open(os.path.join(out, "ensemble.json"), encoding="utf-8") as handle:
        saved = json.load(handle)
    assert saved["uncertainty_score"] == "variance"
    assert [m["temperature"] for m in saved["members"]] == report["ensemble"]["calibration"]["temperatures"]


def test_a_stopped_run_resumes_from_the_members_already_trained(tiny, finished, tmp_path, monkeypatch, capsys):
    from synth.ensemble import model

    whole = finished
    real = model._train_member
    calls = []

    def stop_after_one(*args, **kwargs):
        if len(calls) == 1:
            raise KeyboardInterrupt
        calls.append(args[:2])
        return real(*args, **kwargs)

    stopped = str(tmp_path / "stopped")
    monkeypatch.setattr(model, "_train_member", stop_after_one)
    assert _run(tiny, stopped) == 130
    assert len(os.listdir(os.path.join(stopped, "models"))) == 1
    calls.clear()
    monkeypatch.setattr(model, "_train_member", lambda *a, **k: calls.append(a[:2]) or real(*a, **k))
    assert _run(tiny, stopped) == 0
    assert len(calls) == 2                                        # only the two members still missing
    capsys.readouterr()
    for name in ("report.json", "candidates.json"):
        with open(os.path.join(whole, name)) as a, open(os.path.join(stopped, name)) as b:
            assert json.load(a) == json.load(b)


def test_parallel_scoring_matches_serial_scoring(tiny):
    from synth.ensemble.candidates import score_candidates
    from synth.formula import Formula
    from synth.search.live import LiveObjective

    dataset = load_dataset(tiny)
    serial = score_candidates("random:6", LiveObjective(Formula(METRIC), dataset, width=4), seed=2)
    seen = []
    parallel = score_candidates("random:6", LiveObjective(Formula(METRIC), dataset, width=4), seed=2, jobs=2,
                                known={next(iter(serial)): serial[next(iter(serial))]},
                                progress=lambda arch, v: seen.append(arch))
    assert list(parallel) == list(serial) and len(seen) == 5                 # the known one is not rescored
    assert np.allclose(list(parallel.values()), list(serial.values()), rtol=1e-6)
    assert select_members(parallel, 3) == [(a, parallel[a]) for a, _ in select_members(serial, 3)]


def test_search_and_file_candidates(tiny, tmp_path, capsys):
    out = str(tmp_path / "search")
    assert main(["ensemble", "--dataset", tiny, "--metric", METRIC, "--candidates", "search:random:5", "--k", "2",
                 "--epochs", "1", "--width", "4", "--out", out, "--quiet"]) == 0
    with open(os.path.join(out, "candidates.json")) as handle:
        assert len(json.load(handle)) == 5
    listing = tmp_path / "archs.txt"
    from proxies.spaces.nb201.encoding import Cell

    listing.write_text(f"(0, 3, 3, 0, 3, 3)\n{Cell.parse('(0, 3, 3, 0, 3, 3)').to_string()}\n(3, 3, 3, 1, 3, 3)\n")
    out = str(tmp_path / "file")
    assert main(["ensemble", "--dataset", tiny, "--metric", METRIC, "--candidates", str(listing), "--k", "2",
                 "--epochs", "1", "--width", "4", "--out", out, "--quiet"]) == 0
    with open(os.path.join(out, "candidates.json")) as handle:
        assert len(json.load(handle)) == 2                        # the first two lines are one architecture
    capsys.readouterr()


@pytest.mark.parametrize("case, message", [
    ("k-too-large", "--k 9 needs 9 distinct architectures; --candidates random:6 lists 6"),
    ("missing-split", "missing array"),
    ("other-settings", "other settings"),
    ("no-folder", "no such ensemble folder"),
    ("not-an-ensemble", "not a saved ensemble"),
    ("wrong-channels", "channel"),
    ("wrong-shape", "samples of shape"),
    ("broken-weights", "unreadable ensemble member"),
])
def test_bad_input_gives_one_line_and_exit_2(case, message, tiny, finished, tmp_path, capsys):
    import shutil

    out = str(tmp_path / "run")
    if case == "k-too-large":
        code = main(["ensemble", "--dataset", tiny, "--metric", METRIC, "--candidates", "random:6", "--k", "9",
                     "--epochs", "1", "--width", "4", "--out", out, "--quiet"])
    elif case == "missing-split":
        bad = str(tmp_path / "bad.npz")
        d = load_dataset(tiny)
        np.savez(bad, x_train=d.x_train, y_train=d.y_train, x_test=d.x_test, y_test=d.y_test)
        code = main(["ensemble", "--dataset", bad, "--metric", METRIC, "--out", out, "--quiet"])
    elif case == "other-settings":
        code = _run(tiny, finished, "--lr", "0.1")
    elif case in ("no-folder", "not-an-ensemble"):
        folder = str(tmp_path / "nothing")
        if case == "not-an-ensemble":
            os.makedirs(folder)
        code = main(["predict", "--ensemble", folder, "--input", tiny])
    else:
        shutil.copytree(finished, out)
        x = load_dataset(tiny).x_test
        data = str(tmp_path / "x.npz")
        if case == "wrong-channels":
            np.savez(data, x=np.repeat(x, 2, axis=1))
        elif case == "wrong-shape":
            np.savez(data, x=x[..., :500])
        else:
            np.savez(data, x=x)
            member = sorted(os.listdir(os.path.join(out, "models")))[0]
            with open(os.path.join(out, "models", member, "weights.pt"), "wb") as handle:
                handle.write(b"not a torch file")
        code = main(["predict", "--ensemble", out, "--input", data])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert message in err and len(err.splitlines()) == 1 and err.startswith("zc-synth: error:")
