"""Test-set report of an ensemble run: member and ensemble metrics, coverage curves, table, plot."""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from . import combine as rules

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


def ensemble_section(member_proba: np.ndarray, y: np.ndarray, rule: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """``{"test": metrics, "coverage": curve}`` of the ensemble whose members gave ``member_proba`` on
    the test samples ``y``, and the per-sample arrays (prediction, probability, uncertainty, ...)."""
    samples = rules.summarize(member_proba, rule)
    pred = samples["prediction"]
    section = {"test": metrics(y, pred, samples["proba"]), "coverage": rules.coverage_curve(pred == y, samples["order"])}
    return section, samples


def build_report(members: list[dict[str, Any]], member_proba: np.ndarray, single_proba: np.ndarray,
                 y: np.ndarray, rule: str) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """report.json's document: ``members`` (arch, metric, test metrics of each architecture-ensemble
    member), ``ensemble`` and ``single_architecture`` (test metrics and coverage curve); plus the
    architecture ensemble's per-sample arrays."""
    rows = []
    for info, proba in zip(members, member_proba):
        rows.append({**info, "test": metrics(y, proba.argmax(1), proba)})
    ensemble, samples = ensemble_section(member_proba, y, rule)
    single, _ = ensemble_section(single_proba, y, rule)
    return {"members": rows, "ensemble": ensemble, "single_architecture": single}, samples


def _pct(value: float | None) -> str:
    return "   -  " if value is None else f"{100 * value:6.2f}"


def _num(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def format_report(doc: dict[str, Any]) -> str:
    """The readable table: one row per member (architectures as suite tuple keys), then both
    ensembles with coverage points."""
    from proxies.spaces.nb201.encoding import Cell

    lines = ["members (the k best distinct architectures by the metric; ops per edge as indices)",
             f"  {'#':>2}  {'architecture':20s} {'metric':>12s}  {'test acc %':>10s}  {'macro-F1':>8s}  {'AUC':>5s}"]
    for i, m in enumerate(doc["members"], 1):
        metric = "-" if m.get("metric") is None else f"{m['metric']:.5g}"
        lines.append(f"  {i:2d}  {str(Cell.parse(m['arch']).to_tuple()):20s} {metric:>12s}  {_pct(m['test']['accuracy']):>10s}  "
                     f"{_num(m['test']['macro_f1']):>8s}  {_num(m['test']['auc']):>5s}")
    accs = [m["test"]["accuracy"] for m in doc["members"]]
    lines.append(f"  median member: {100 * float(np.median(accs)):.2f} %")
    head = "  ".join(f"acc@{c:>3s}%" for c in REPORT_COVERAGES)
    lines.append(f"\n{'':26s}{'test acc %':>10s}  {'macro-F1':>8s}  {'AUC':>5s}  {head}")
    for name, key in (("architecture ensemble", "ensemble"), ("single-architecture", "single_architecture")):
        s = doc[key]
        cover = "  ".join(f"{_pct(s['coverage'][c]):>9s}" for c in REPORT_COVERAGES)
        lines.append(f"{name:26s}{_pct(s['test']['accuracy']):>10s}  {_num(s['test']['macro_f1']):>8s}  "
                     f"{_num(s['test']['auc']):>5s}  {cover}")
    return "\n".join(lines)


def plot_coverage(doc: dict[str, Any], path: str, title: str) -> None:
    """Accuracy on the x % most confident test samples, both ensembles, plus the median member."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, key, style in (("architecture ensemble", "ensemble", "-o"),
                             ("single-architecture ensemble", "single_architecture", "--s")):
        curve = doc[key]["coverage"]
        xs = [int(c) for c in curve]
        ax.plot(xs, [100 * v for v in curve.values()], style, ms=3, label=name)
    median = 100 * float(np.median([m["test"]["accuracy"] for m in doc["members"]]))
    ax.axhline(median, color="grey", lw=0.8, ls=":", label=f"median member ({median:.1f} %)")
    ax.set_xlabel("coverage: % most confident test samples kept")
    ax.set_ylabel("accuracy on them (%)")
    ax.set_xlim(0, 102)
    ax.set_title(title, fontsize=8)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
