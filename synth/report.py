"""Human-readable output of an evolve job: the per-problem table and the convergence plot."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from .gp import RunResult


def tau_table(report: dict[str, Any]) -> pd.DataFrame:
    """Rows: the formula, then every single proxy; columns: (problem, train/test) Kendall tau."""
    rows = {"FORMULA": {(p, part): v[f"{part}_tau"] for p, v in report["problems"].items() for part in ("train", "test")}}
    for proxy, by_problem in report["proxies"].items():
        rows[proxy] = {(p, part): v[f"{part}_tau"] for p, v in by_problem.items() for part in ("train", "test")}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.columns = pd.MultiIndex.from_tuples(table.columns)
    return table


def run_summary(report: dict[str, Any]) -> pd.DataFrame:
    """Mean / min / max over runs of each run winner's train and test tau (the paper's Table 15)."""
    records = []
    for part in ("train", "test"):
        frame = pd.DataFrame([r[f"{part}_tau"] for r in report["runs"]])
        for stat in ("mean", "min", "max"):
            records.append({"split": part, "stat": stat, **getattr(frame, stat)().to_dict()})
    return pd.DataFrame(records).set_index(["split", "stat"])


def format_report(report: dict[str, Any]) -> str:
    """The text `zc-synth evolve` prints."""
    lines = [f"formula: {report['formula']}", ""]
    selection = report.get("selection", {})
    if selection.get("method") == "transfer":
        groups = " | ".join(", ".join(g) for g in selection["groups"])
        lines += [f"chosen on held-out problems (runs hold out one group each: {groups}); held-out score "
                  f"{selection['held_out_score']:.3f}, the smallest formula within {selection['parsimony']} "
                  "of the best", ""]
    for name, p in report["problems"].items():
        lines.append(f"{name}: {p['n_train']} train / {p['n_test']} test rows"
                     f" ({p['n_dropped']} dropped for missing values)")
    lines += ["", "Kendall tau per problem (formula vs every single proxy):",
              tau_table(report).to_string(float_format=lambda v: f"{v:6.3f}"), "",
              f"over {len(report['runs'])} runs (each run's winner):",
              run_summary(report).to_string(float_format=lambda v: f"{v:6.3f}"), "",
              "hall of fame (best formula per size that beats every smaller one"
              + (" on held-out problems" if selection.get("method") == "transfer" else "") + "):"]
    for entry in report["hall_of_fame"]:
        taus = " ".join("  -  " if v is None else f"{v:.3f}" for v in entry["test_tau"].values())
        score = "  -  " if entry["score"] is None else f"{entry['score']:.3f}"
        lines.append(f"  size {entry['size']:3d}  score {score}  test tau {taus}  {entry['formula']}")
    lines.append(f"elapsed: {report['elapsed_s']:.1f} s")
    return "\n".join(lines)


def plot_convergence(results: Sequence[RunResult], path: str) -> None:
    """Best (solid) and median (dashed) Eq.-1 score of the population per generation, per training
    problem (Eq. 1 divided by its weights' sum), so runs that train on different numbers of problems
    (the held-out groups of a transfer selection) share one scale; one colour per group."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [float(np.sum(r.weights)) if r.weights is not None else float(len(r.winner_taus)) for r in results]
    groups = sorted(set(sizes))
    colors = dict(zip(groups, plt.cm.viridis(np.linspace(0, 0.85, max(1, len(groups))))))
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for result, size in zip(results, sizes):
        history = np.array(result.history, dtype=float) / max(size, 1.0)
        ax.plot(history[:, 0], color=colors[size], lw=1)
        ax.plot(history[:, 1], color=colors[size], lw=0.8, ls="--", alpha=0.6)
    ax.plot([], [], color="k", lw=1, label="best of the population")
    ax.plot([], [], color="k", lw=0.8, ls="--", label="median of the population")
    if len(groups) > 1:
        for size in groups:
            ax.plot([], [], color=colors[size], lw=3,
                    label=f"{size:g} training problems ({sizes.count(size)} runs)")
    ax.set_xlabel("generation")
    ax.set_ylabel("Eq. 1 score per training problem\n(mean min-max normalised Kendall tau)")
    ax.set_title(f"Convergence of {len(results)} runs"
                 + (": runs differ in the problems they hold out" if len(groups) > 1 else ""))
    ax.legend(loc="lower right", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
