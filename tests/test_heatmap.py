"""Metric-comparison summary (mean tau, mean rank, coverage), its text table, CSV and heatmap PNG."""
from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from synth.heatmap import format_table, order, plot_heatmap, summarize, write_csv

PROBLEMS = ["NB201-CF10", "NB201-CF100", "nb201pre/cifar10", "TNB101-MICRO-SCENE"]
GROUPS = {"NB201-CF10": "NB201", "NB201-CF100": "NB201", "nb201pre/cifar10": "NB201",
          "TNB101-MICRO-SCENE": "TNB101-MICRO"}
METRICS = {
    "FORMULA": {"NB201-CF10": 0.6, "NB201-CF100": 0.5, "nb201pre/cifar10": 0.4, "TNB101-MICRO-SCENE": None},
    "synflow": {"NB201-CF10": 0.6, "NB201-CF100": 0.3, "nb201pre/cifar10": float("nan"),
                "TNB101-MICRO-SCENE": 0.2},
    "teacup": {"NB201-CF10": 0.1, "NB201-CF100": -0.2, "nb201pre/cifar10": 0.5},
}


@pytest.fixture
def summary() -> dict:
    return summarize(METRICS, PROBLEMS)


def test_summarize_counts_missing_as_zero_and_ranks_them_last(summary):
    assert summary["problems"] == PROBLEMS
    assert summary["metrics"]["teacup"]["TNB101-MICRO-SCENE"] is None
    assert summary["metrics"]["synflow"]["nb201pre/cifar10"] is None
    assert summary["mean_tau"] == pytest.approx({"FORMULA": 1.5 / 4, "synflow": 1.1 / 4, "teacup": 0.4 / 4})
    # CF10: FORMULA and synflow tie (1.5, 1.5), teacup 3; CF100: 1, 2, 3;
    # cifar10: teacup 1, FORMULA 2, synflow missing 3; SCENE: synflow 1, FORMULA and teacup missing (2.5, 2.5).
    assert summary["mean_rank"] == pytest.approx({"FORMULA": (1.5 + 1 + 2 + 2.5) / 4,
                                                  "synflow": (1.5 + 2 + 3 + 1) / 4,
                                                  "teacup": (3 + 3 + 1 + 2.5) / 4})
    assert summary["coverage"] == {"FORMULA": 3, "synflow": 3, "teacup": 3}
    assert all(type(v) is float for v in summary["mean_tau"].values())
    json.dumps(summary, allow_nan=False)


def test_summarize_rejects_empty_input():
    with pytest.raises(ValueError):
        summarize({}, PROBLEMS)
    with pytest.raises(ValueError):
        summarize(METRICS, [])


def test_order_by_mean_rank_then_mean_tau_then_name():
    summary = summarize({"b": {"p": 0.5, "q": 0.1}, "a": {"p": 0.1, "q": 0.5}, "c": {"p": 0.0, "q": 0.0}},
                        ["p", "q"])
    assert order(summary) == ["a", "b", "c"]
    assert order(summarize(METRICS, PROBLEMS)) == ["FORMULA", "synflow", "teacup"]


def test_format_table_marks_best_and_missing(summary):
    text = format_table(summary, GROUPS)
    text.encode("ascii")
    lines = text.splitlines()
    assert "NB201" in lines[0] and "TNB101-MICRO" in lines[0]
    formula = next(line for line in lines if line.startswith("FORMULA"))
    assert "0.60*" in formula and "0.50*" in formula and " -" in formula
    assert "0.38*" in formula and "1.8*" in formula
    synflow = next(line for line in lines if line.startswith("synflow"))
    assert "0.60*" in synflow and "0.20*" in synflow
    assert "cifar10" in text and "SCENE" in text and "mean rank" in text


def test_format_table_keeps_colliding_labels_whole():
    problems = ["nb201/cifar10", "nb201pre/cifar10"]
    text = format_table(summarize({"m": {p: 0.1 for p in problems}}, problems))
    assert "nb201/cifar10" in text and "nb201pre/cifar10" in text


def test_plot_heatmap_writes_png(tmp_path, summary):
    path = tmp_path / "grouped.png"
    plot_heatmap(summary, str(path), GROUPS, title="tau")
    assert path.stat().st_size > 1000 and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    single = tmp_path / "single.png"
    plot_heatmap(summarize({"FORMULA": {"NB201-ECG": None}}, ["NB201-ECG"]), str(single))
    assert single.stat().st_size > 1000


def test_write_csv_round_trips_through_pandas(tmp_path, summary):
    path = tmp_path / "summary.csv"
    write_csv(summary, str(path))
    frame = pd.read_csv(path)
    assert list(frame.columns) == ["metric", *PROBLEMS, "mean_tau", "mean_rank", "coverage"]
    assert frame["metric"].tolist() == order(summary)
    row = frame.set_index("metric").loc["FORMULA"]
    assert row["NB201-CF10"] == pytest.approx(0.6) and math.isnan(row["TNB101-MICRO-SCENE"])
    assert row["mean_rank"] == pytest.approx(summary["mean_rank"]["FORMULA"]) and row["coverage"] == 3
