"""Test-set report of an ensemble run: member and ensemble metrics, coverage curves, table, plot."""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from . import calibration
from . import combine as rules
from . import uncertainty as scores

REPORT_COVERAGES = ("20", "50", "100")
"""Coverage points the stdout table shows (report.json has every 5 %)."""


def metrics(y: np.ndarray, predicted: np.ndarray, proba: np.ndarray) -> dict[str, float | None]:
    """accuracy and macro-F1 of ``predicted``; ROC AUC of ``proba`` (None unless the task is binary)."""
    from sklearn.metrics import f1_score, roc_auc_score

    k = proba.shape[1]
    out: dict[str, float | None] = {
        "accuracy": float(np.mean(predicted == y)),
        "macro_f1": float(f1_score(y, predicted, average="macro", labels=np.arange(k), zero_division=0)),
        "auc": None}
    if k == 2 and len(np.unique(y)) == 2:
        out["auc"] = float(roc_auc_score(y, proba[:, 1]))
    return out


def _confidence_section(member_proba: np.ndarray, y: np.ndarray, rule: str, chosen: str,
                        every_score: bool) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Test metrics, calibration error and risk-coverage figures of one set of member probabilities,
    samples ordered by the ``chosen`` uncertainty score (with ``every_score``, also each score's AURC
    and accuracy at the report's coverages)."""
    samples = rules.summarize(member_proba, rule, chosen)
    pred, proba = samples["prediction"], samples["proba"]
    correct = pred == y
    section: dict[str, Any] = {
        "test": {**metrics(y, pred, proba), "nll": calibration.nll(proba, y), "ece": calibration.ece(proba, y)},
        "uncertainty": chosen, "aurc": scores.aurc(correct, samples["order"]),
        "coverage": rules.coverage_curve(correct, samples["order"])}
    if every_score:
        steps = tuple(int(c) for c in REPORT_COVERAGES)
        section["scores"] = {name: {"aurc": scores.aurc(correct, order),
                                    "coverage": rules.coverage_curve(correct, order, steps)}
                             for name, order in rules.orders_by_score(member_proba, rule)[1].items()}
    return section, samples


def ensemble_section(member_proba: np.ndarray, y: np.ndarray, rule: str,
                     info: dict[str, Any]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """An ensemble's test section (see :func:`build_report`) and its per-sample arrays; ``info`` is
    :meth:`Ensemble.uncertainty_info` (requested/chosen score, validation AURCs, calibration)."""
    section, samples = _confidence_section(member_proba, y, rule, info["chosen"], every_score=True)
    section.update({"requested_uncertainty": info["requested"], "validation_aurc": info["validation_aurc"],
                    "validation_aurc_se": info.get("validation_aurc_se", {}), "calibration": info["calibration"]})
    return section, samples


def median_member(member_proba: np.ndarray, y: np.ndarray) -> int:
    """Index of the member with the median test accuracy (the lower one of the middle two for an even count)."""
    accs = [(float(np.mean(p.argmax(1) == y)), i) for i, p in enumerate(member_proba)]
    return sorted(accs)[(len(accs) - 1) // 2][1]


def build_report(members: list[dict[str, Any]], member_proba: np.ndarray, single_proba: np.ndarray,
                 y: np.ndarray, rule: str, info: dict[str, Any],
                 single_info: dict[str, Any]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """report.json's document and the architecture ensemble's per-sample arrays.

    ``members``: arch, metric and test metrics of each architecture-ensemble member. ``ensemble`` and
    ``single_architecture``: test metrics (accuracy, macro-F1, AUC, NLL, ECE), the chosen uncertainty
    score with its test ``aurc`` and ``coverage`` curve, every score's test AURC and accuracy at 20/50/100 %
    (``scores``), every score's ``validation_aurc`` and the ``calibration``. ``median_member``: the same
    figures for the member with the median test accuracy, its samples ordered by its own probability
    of the predicted class (one network has no disagreement to measure)."""
    y = np.asarray(y)
    rows = []
    for info_row, proba in zip(members, member_proba):
        rows.append({**info_row, "test": metrics(y, proba.argmax(1), proba)})
    ensemble, samples = ensemble_section(member_proba, y, rule, info)
    single, _ = ensemble_section(single_proba, y, rule, single_info)
    m = median_member(member_proba, y)
    median, _ = _confidence_section(member_proba[m:m + 1], y, rule, "least_confidence", every_score=False)
    median["member"] = m
    return {"members": rows, "ensemble": ensemble, "single_architecture": single, "median_member": median}, samples


def plot_data(member_proba: np.ndarray, single_proba: np.ndarray, y: np.ndarray, rule: str,
              doc: dict[str, Any]) -> dict[str, dict[str, np.ndarray]]:
    """Per curve of :func:`plot_coverage`: the risk at every coverage and the mean probabilities."""
    out = {}
    m = doc["median_member"]["member"]
    for label, proba, score in (("architecture ensemble", member_proba, doc["ensemble"]["uncertainty"]),
                                ("single-architecture ensemble", single_proba, doc["single_architecture"]["uncertainty"]),
                                ("median member", member_proba[m:m + 1], "least_confidence")):
        samples = rules.summarize(proba, rule, score)
        out[f"{label} ({score})"] = {"risk": scores.risk_coverage(samples["prediction"] == y, samples["order"]),
                                     "proba": samples["proba"]}
    return out


def _short(member: dict) -> str:
    """A member's architecture for the table: its suite key (the tuple key in NB201), long keys cut."""
    key = str(member.get("key") or member["arch"])
    return key if len(key) <= 40 else f"{key[:37]}..."


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{100 * value:6.2f}"


def _num(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def format_report(doc: dict[str, Any]) -> str:
    """The readable tables: one row per member (architectures as suite tuple keys); both ensembles and
    the median member with AURC, ECE and coverage points; every uncertainty score's AURC."""
    lines = ["members (the k best distinct architectures by the metric; ops per edge as indices)",
             f"  {'#':>2}  {'architecture':20s} {'metric':>12s}  {'test acc %':>10s}  {'macro-F1':>8s}  {'AUC':>5s}"]
    for i, m in enumerate(doc["members"], 1):
        metric = "-" if m.get("metric") is None else f"{m['metric']:.5g}"
        lines.append(f"  {i:2d}  {_short(m):20s} {metric:>12s}  {_pct(m['test']['accuracy']):>10s}  "
                     f"{_num(m['test']['macro_f1']):>8s}  {_num(m['test']['auc']):>5s}")
    head = "  ".join(f"acc@{c:>3s}%" for c in REPORT_COVERAGES)
    lines.append(f"\n{'':26s}{'test acc %':>10s}  {'macro-F1':>8s}  {'AUC':>5s}  {'AURC':>6s}  {'ECE':>5s}  {head}  "
                 "uncertainty")
    for name, key in (("architecture ensemble", "ensemble"), ("single-architecture", "single_architecture"),
                      (f"median member (#{doc['median_member']['member'] + 1})", "median_member")):
        s = doc[key]
        cover = "  ".join(f"{_pct(s['coverage'][c]):>9s}" for c in REPORT_COVERAGES)
        lines.append(f"{name:26s}{_pct(s['test']['accuracy']):>10s}  {_num(s['test']['macro_f1']):>8s}  "
                     f"{_num(s['test']['auc']):>5s}  {s['aurc']:6.4f}  {s['test']['ece']:5.3f}  {cover}  {s['uncertainty']}")
    lines.append("\nuncertainty scores (* = used; auto: the lowest validation AURC, preferring the earlier score "
                 "within one bootstrap standard error)")
    lines.append(f"  {'':18s}  {'architecture ensemble':>30s}   {'single architecture':>30s}")
    lines.append(f"  {'score':18s}  " + "   ".join([f"{'val AURC':>9s}  {'test AURC':>9s}  {'acc@50%':>7s}"] * 2))
    for name in scores.SCORES:
        cells = []
        for key in ("ensemble", "single_architecture"):
            s = doc[key]
            val = s["validation_aurc"].get(name)
            mark = "*" if s["uncertainty"] == name else " "
            cells.append(f"{'-' if val is None else f'{val:.4f}':>8s}{mark}  {s['scores'][name]['aurc']:9.4f}  "
                         f"{_pct(s['scores'][name]['coverage']['50']):>7s}")
        lines.append(f"  {name:18s}  {cells[0]}   {cells[1]}")
    cal = doc["ensemble"]["calibration"]
    if cal.get("requested"):
        lines.append(f"calibration (architecture ensemble): validation NLL {cal['val_nll_before']:.4f} -> "
                     f"{cal['val_nll_after']:.4f}, temperatures {'kept' if cal['kept'] else 'dropped'}: "
                     + ", ".join(f"{t:.2f}" for t in cal["temperatures"]))
    return "\n".join(lines)


def plot_coverage(curves: dict[str, dict[str, np.ndarray]], y: np.ndarray, path: str, title: str) -> None:
    """Two panels: the risk-coverage curve (error rate on the x % most confident test samples) of each
    curve of :func:`plot_data`, and their reliability diagram (accuracy against confidence)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig, (risk_ax, rel_ax) = plt.subplots(1, 2, figsize=(11, 4.2))
    for (label, curve), style in zip(curves.items(), ("-", "--", ":")):
        risk = curve["risk"]
        coverage = 100 * np.arange(1, len(risk) + 1) / len(risk)
        aurc = float(np.mean(risk))
        risk_ax.plot(coverage, 100 * risk, style, lw=1.4, label=f"{label}: AURC {aurc:.4f}")
        bins = calibration.reliability(curve["proba"], y)
        err = calibration.ece(curve["proba"], y)
        rel_ax.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], style, marker="o", ms=3,
                    label=f"{label}: ECE {err:.3f}")
    risk_ax.set_xlabel("coverage: % most confident test samples kept")
    risk_ax.set_ylabel("error rate on them (%)")
    risk_ax.set_xlim(0, 101)
    risk_ax.set_ylim(bottom=0)
    risk_ax.set_title("risk-coverage (lower is better)", fontsize=9)
    risk_ax.legend(fontsize=7)
    rel_ax.plot([0, 1], [0, 1], color="grey", lw=0.8, label="perfect calibration")
    rel_ax.set_xlabel("confidence (mean probability of the predicted class)")
    rel_ax.set_ylabel("accuracy")
    rel_ax.set_xlim(0, 1)
    rel_ax.set_ylim(0, 1.02)
    rel_ax.set_title(f"reliability diagram ({calibration.ECE_BINS} bins)", fontsize=9)
    rel_ax.legend(fontsize=7)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
