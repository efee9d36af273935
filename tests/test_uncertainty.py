"""Uncertainty scores, AURC, auto choice and calibration on hand-made probability arrays, and the
chosen score surviving save/load."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from benchmarks_data.datasets import load_dataset, save_dataset
from benchmarks_data.synthetic import make_ecg
from synth.ensemble import calibration
from synth.ensemble import combine as rules
from synth.ensemble import uncertainty as scores
from synth.ensemble.model import Ensemble


def _members(*rows):
    """(members, samples, classes) from one list of per-member rows per sample."""
    return np.array(rows, dtype=float).transpose(1, 0, 2)


# sample 0: every member confident and right (class 0), with a little spread; sample 1: every member
# near-uniform and identical; sample 2: members confident but split; sample 3: agree on class 1.
P = _members(
    [[0.97, 0.01, 0.01, 0.01], [0.90, 0.06, 0.02, 0.02], [0.99, 0.005, 0.0025, 0.0025]],
    [[0.26, 0.25, 0.25, 0.24], [0.26, 0.25, 0.25, 0.24], [0.26, 0.25, 0.25, 0.24]],
    [[0.9, 0.1, 0.0, 0.0], [0.1, 0.9, 0.0, 0.0], [0.8, 0.2, 0.0, 0.0]],
    [[0.05, 0.9, 0.05, 0.0], [0.05, 0.9, 0.05, 0.0], [0.05, 0.9, 0.05, 0.0]],
)
DISAGREEMENT_ONLY = {"variance", "mutual_info"}
"""Scores that measure only the members' disagreement: they cannot tell agreeing-unsure from
agreeing-sure members (documented in synth.ensemble.uncertainty)."""


def _rank(name):
    pred = rules.combine(P, "mean")
    u = scores.score(name, P, pred)
    return rules.confidence_order(u, rules.mean_proba(P)[np.arange(4), pred]).tolist(), u


@pytest.mark.parametrize("name", sorted(set(scores.SCORES) - DISAGREEMENT_ONLY))
def test_near_uniform_members_rank_below_confident_right_ones(name):
    assert rules.combine(P, "mean").tolist() == [0, 0, 0, 1]
    order, _ = _rank(name)
    assert order.index(0) < order.index(1)


@pytest.mark.parametrize("name", sorted(DISAGREEMENT_ONLY))
def test_disagreement_only_scores_rank_agreeing_unsure_members_as_sure(name):
    # the failure issue 14 reports: identical near-uniform members have no disagreement (score 0),
    # confident-and-right members with a little spread have some, so the unsure sample ranks first
    order, u = _rank(name)
    assert u[1] == 0.0 < u[0]
    assert order.index(1) < order.index(0)


def test_scores_on_constructed_values():
    pred = rules.combine(P, "mean")
    assert scores.variance(P, pred)[2] == pytest.approx(np.var([0.9, 0.1, 0.8]))
    assert scores.least_confidence(P, pred)[0] == pytest.approx(1 - np.mean([0.97, 0.90, 0.99]))
    assert scores.vote_disagreement(P, pred).tolist() == pytest.approx([0, 0, 1 / 3, 0])
    assert scores.entropy(P, pred)[1] == pytest.approx(np.log(4), abs=2e-3)
    assert scores.mutual_info(P, pred)[2] > 0.1 and scores.mutual_info(P, pred)[3] == 0.0
    with pytest.raises(ValueError, match="unknown uncertainty score"):
        scores.score("margin", P, pred)


def test_mutual_information_is_zero_when_members_agree_exactly_and_positive_otherwise():
    rng = np.random.default_rng(0)
    same = np.repeat(rng.dirichlet(np.ones(5), size=(1, 50)), 7, axis=0)
    assert np.array_equal(scores.mutual_info(same, rules.combine(same)), np.zeros(50))
    other = same.copy()
    other[0] = rng.dirichlet(np.ones(5), size=50)
    assert (scores.mutual_info(other, rules.combine(other)) > 0).all()


def test_aurc_on_a_constructed_order():
    correct = np.array([True, False, True, True])
    # risks at coverage 1..4 for the given order: 0, 1/2, 1/3, 1/4
    assert scores.aurc(correct, np.arange(4)) == pytest.approx(np.mean([0, 1 / 2, 1 / 3, 1 / 4]))
    best = scores.aurc(correct, np.array([0, 2, 3, 1]))
    assert best == pytest.approx(np.mean([0, 0, 0, 1 / 4]))
    assert best < scores.aurc(correct, np.arange(4))


def test_auto_picks_the_score_with_the_lowest_validation_aurc():
    rng = np.random.default_rng(0)
    member_proba = rng.dirichlet(np.ones(3), size=(4, 60))
    y = rng.integers(0, 3, size=60)
    aurcs = rules.aurc_by_score(member_proba, y)
    assert set(aurcs) == set(scores.SCORES)
    assert scores.choose(aurcs) == min(aurcs, key=aurcs.get)
    # ties go to the earlier score, variance last
    assert scores.choose({"variance": 0.1, "entropy": 0.1}) == "entropy"
    assert scores.choose({"variance": 0.05, "entropy": 0.1}) == "variance"


def test_auto_with_bootstrap_prefers_the_earlier_score_only_within_one_standard_error():
    aurcs = {"least_confidence": 0.030, "mutual_info": 0.020, "variance": 0.025}
    noisy = {"least_confidence": np.array([0.02, 0.04]), "mutual_info": np.array([0.02, 0.02]),
             "variance": np.array([0.02, 0.03])}                      # SE of lc - mi: 0.01 >= 0.010 gap
    assert scores.choose(aurcs, noisy) == "least_confidence"
    sure = {"least_confidence": np.array([0.030, 0.032]), "mutual_info": np.array([0.020, 0.020]),
            "variance": np.array([0.025, 0.025])}                    # SE 0.001: mutual_info is clearly lowest
    assert scores.choose(aurcs, sure) == "mutual_info"
    # bootstrap AURCs are paired resamples: the same draws for every score
    rng = np.random.default_rng(2)
    member_proba = rng.dirichlet(np.ones(3), size=(3, 80))
    y = rng.integers(0, 3, size=80)
    boot = rules.aurc_bootstrap(member_proba, y, draws=50)
    again = rules.aurc_bootstrap(member_proba, y, draws=50)
    assert all(len(b) == 50 and np.array_equal(b, again[n]) for n, b in boot.items())
    full = rules.aurc_by_score(member_proba, y)
    assert all(abs(boot[n].mean() - full[n]) < 0.1 for n in full)


def test_temperature_scaling_undoes_overconfidence_and_ece_sees_it():
    rng = np.random.default_rng(1)
    logits = rng.normal(size=(400, 3)) * 2
    true = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    y = np.array([rng.choice(3, p=p) for p in true])
    sharp = calibration.temper(true, 0.4)                         # overconfident by a factor 2.5
    assert np.allclose(calibration.temper(true, 1.0), true)
    t = calibration.fit_temperature(sharp, y)
    assert 1.8 < t < 3.5
    assert calibration.nll(calibration.temper(sharp, t), y) < calibration.nll(sharp, y)
    assert calibration.ece(calibration.temper(sharp, t), y) < calibration.ece(sharp, y)
    assert calibration.fit_temperature(true[:, [0, 1, 2]], y) == pytest.approx(1.0, abs=0.3)


# ------------------------------------------------------------------------------------ Ensemble
@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("unc") / "ecg.npz")
    save_dataset(make_ecg(n=48, seed=3), path)
    return load_dataset(path)


@pytest.mark.parametrize("uncertainty, calibrate", [("auto", False), ("mutual_info", True)])
def test_chosen_score_and_temperatures_survive_save_and_load(dataset, tmp_path, uncertainty, calibrate):
    archs = ["(3, 3, 0, 3, 1, 2)", "(2, 3, 1, 0, 3, 3)", "(1, 3, 1, 2, 3, 3)"]
    ens = Ensemble(archs, seeds=0, width=4, epochs=1, uncertainty=uncertainty, calibrate=calibrate).fit(dataset)
    x_val, y_val = dataset.split("val")
    assert ens.validation_aurc_ == pytest.approx(rules.aurc_by_score(ens.member_proba(x_val), y_val))
    boot = rules.aurc_bootstrap(ens.member_proba(x_val), y_val)
    expected = scores.choose(ens.validation_aurc_, boot) if uncertainty == "auto" else uncertainty
    lowest = min(ens.validation_aurc_, key=ens.validation_aurc_.get)
    assert ens.validation_aurc_[expected] - ens.validation_aurc_[lowest] <= ens.validation_aurc_se_[expected] or \
        uncertainty != "auto"
    assert ens.uncertainty_score_ == expected
    assert ens.calibration_["requested"] is calibrate
    if ens.calibration_["kept"]:
        assert ens.calibration_["val_nll_after"] < ens.calibration_["val_nll_before"]
    ens.save(str(tmp_path / "saved"))
    loaded = Ensemble.load(str(tmp_path / "saved"))
    x = dataset.x_test
    first, again = ens.explain(x), loaded.explain(x)
    assert loaded.uncertainty_score_ == expected and loaded.temperatures_ == ens.temperatures_
    assert np.array_equal(first["order"], again["order"])
    assert np.array_equal(first["uncertainty"], again["uncertainty"])


def test_a_version_1_ensemble_loads_with_the_variance_score(dataset, tmp_path):
    ens = Ensemble(["(3, 3, 0, 3, 1, 2)", "(2, 3, 1, 0, 3, 3)"], seeds=0, width=4, epochs=1).fit(dataset)
    path = ens.save(str(tmp_path / "v1"))
    with open(path, encoding="utf-8") as handle:
        doc = json.load(handle)
    for key in ("uncertainty", "uncertainty_score", "validation_aurc", "calibration"):
        doc.pop(key)
    doc["version"] = 1
    for member in doc["members"]:
        member.pop("temperature")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(doc, handle)
    loaded = Ensemble.load(os.path.dirname(path))
    p = loaded.member_proba(dataset.x_test)
    assert loaded.uncertainty_score_ == "variance"
    assert np.array_equal(loaded.predict_uncertainty(dataset.x_test), scores.variance(p, rules.combine(p)))


def test_an_unknown_score_is_refused_before_training(dataset):
    with pytest.raises(Exception, match="unknown uncertainty score 'entropi'.*entropy"):
        Ensemble(["(3, 3, 0, 3, 1, 2)"], uncertainty="entropi").fit(dataset)
