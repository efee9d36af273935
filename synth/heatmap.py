"""Compare zero-cost metrics by Kendall tau over many problems: summary, text table, CSV and heatmap (Fig. 6)."""
from __future__ import annotations

import math
import os
import re
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd

FORMULA = "FORMULA"
MISSING_COLOR = "#eeeeee"
CELL_IN = (0.62, 0.34)  # width, height of one heatmap cell in inches


def _clean(value: Any) -> float | None:
    """A tau as a plain float, or None when it is missing (None, NaN or infinite)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def summarize(metrics: dict[str, dict[str, float | None]], problems: list[str]) -> dict[str, Any]:
    """Mean tau, mean rank and coverage of each metric over `problems` (JSON-ready).

    A missing tau (None / NaN: the metric's proxies are absent on that problem) counts as 0.0 in
    `mean_tau`, since a metric one cannot compute ranks no better than chance. For `mean_rank` the
    metrics are ranked per problem by tau, descending (1 = best, ties share their average rank);
    missing ones come after every available one and share the average of the remaining positions.
    `coverage` counts the problems where the tau is available.
    """
    if not metrics or not problems:
        raise ValueError("summarize needs at least one metric and one problem")
    if len(set(problems)) != len(problems):
        raise ValueError(f"duplicate problem names in {problems}")
    filled = {name: {p: _clean(taus.get(p)) for p in problems} for name, taus in metrics.items()}
    frame = pd.DataFrame.from_dict(filled, orient="index", dtype=float).reindex(columns=problems)
    ranks = frame.rank(axis=0, ascending=False, method="average", na_option="bottom")
    return {
        "problems": list(problems),
        "metrics": filled,
        "mean_tau": {n: float(v) for n, v in frame.fillna(0.0).mean(axis=1).items()},
        "mean_rank": {n: float(v) for n, v in ranks.mean(axis=1).items()},
        "coverage": {n: int(v) for n, v in frame.notna().sum(axis=1).items()},
    }


def order(summary: dict[str, Any]) -> list[str]:
    """Metric names, best first: by mean rank (ascending), then mean tau (descending), then name."""
    return sorted(summary["metrics"], key=lambda n: (summary["mean_rank"][n], -summary["mean_tau"][n], n))


def _grouped(problems: list[str], groups: dict[str, str] | None) -> list[tuple[str, list[str]]]:
    """Problems gathered by group label, groups in first-appearance order ('' when ungrouped)."""
    out: dict[str, list[str]] = {}
    for p in problems:
        out.setdefault((groups or {}).get(p, ""), []).append(p)
    return list(out.items())


def _short(problem: str, group: str = "", width: int = 18) -> str:
    """A short label: the group prefix and any path removed; '~' + the tail when still too long."""
    name = problem
    if group and name.lower().startswith(group.lower()) and name[len(group):len(group) + 1] in "/-_: .":
        name = name[len(group) + 1:] or problem
    name = name.rsplit("/", 1)[-1] or name
    return name if len(name) <= width else "~" + name[1 - width:]


def _labels(problems: list[str], groups: dict[str, str] | None, width: int = 18) -> dict[str, str]:
    """Problem labels unambiguous within their group (whose label is shown); colliding ones stay whole."""
    group = {p: (groups or {}).get(p, "") for p in problems}
    short = {p: _short(p, group[p], width) for p in problems}
    counts = Counter((group[p], s) for p, s in short.items())
    return {p: (s if counts[(group[p], s)] == 1 else p) for p, s in short.items()}


def _columns(summary: dict[str, Any], problems: list[str]) -> pd.DataFrame:
    """Metrics (in `order`) x (problems, mean tau, mean rank) as floats with NaN for missing."""
    names = order(summary)
    frame = pd.DataFrame.from_dict(summary["metrics"], orient="index", dtype=float)
    frame = frame.reindex(index=names, columns=problems)
    frame["mean tau"] = [summary["mean_tau"][n] for n in names]
    frame["mean rank"] = [summary["mean_rank"][n] for n in names]
    return frame


def _is_best(column: pd.Series, lowest: bool) -> pd.Series:
    """True where the column reaches its best value (every tie is marked); False for missing cells."""
    best = column.min() if lowest else column.max()
    return np.isclose(column, best) & column.notna()


def _fmt(value: float, digits: int = 2) -> str:
    """A number with `digits` decimals, never '-0.00'; '-' when missing."""
    return "-" if not math.isfinite(value) else f"{round(value, digits) + 0.0:.{digits}f}"


def format_table(summary: dict[str, Any], groups: dict[str, str] | None = None) -> str:
    """Fixed-width ASCII table: one row per metric (best first), problems grouped, best per column marked '*'."""
    grouped = _grouped(summary["problems"], groups)
    problems = [p for _, ps in grouped for p in ps]
    labels = _labels(problems, groups)
    frame = _columns(summary, problems)
    cells = {}
    for col in frame.columns:
        best = _is_best(frame[col], lowest=col == "mean rank")
        cells[col] = [_fmt(v, 1 if col == "mean rank" else 2) + ("*" if b else " ") for v, b in zip(frame[col], best)]
    heads = [labels.get(c, c) for c in frame.columns]
    widths = [max(len(h), *(len(c) for c in cells[col])) for h, col in zip(heads, frame.columns)]
    firsts = {ps[0] for _, ps in grouped[1:]} | {"mean tau"}
    seps = [" | " if c in firsts else "  " for c in frame.columns]
    name_w = max(6, *(len(n) for n in frame.index))

    def row(first: str, values: list[str]) -> str:
        return f"{first:<{name_w}}" + "".join(f"{s}{v:>{w}}" for s, v, w in zip(seps, values, widths))

    lines = []
    if groups:
        top, k = " " * name_w, 0
        for label, ps in grouped:
            span = sum(len(s) + w for s, w in zip(seps[k:k + len(ps)], widths[k:k + len(ps)])) - len(seps[k])
            widths[k + len(ps) - 1] += max(0, len(label) - span)
            top += seps[k] + f"{label:<{max(span, len(label))}}"
            k += len(ps)
        lines.append(top.rstrip())
    lines += [row("metric", heads), "-" * len(row("metric", heads))]
    lines += [row(name, [cells[c][i] for c in frame.columns]) for i, name in enumerate(frame.index)]
    lines.append("(* best in column; - not computable; mean tau counts missing as 0)")
    return "\n".join(lines)


def write_csv(summary: dict[str, Any], path: str) -> None:
    """One row per metric (best first): metric, each problem's tau, mean_tau, mean_rank, coverage."""
    frame = _columns(summary, summary["problems"]).rename(columns={"mean tau": "mean_tau", "mean rank": "mean_rank"})
    frame["coverage"] = [summary["coverage"][n] for n in frame.index]
    frame.index.name = "metric"
    frame.reset_index().to_csv(path, index=False)


def _wrap(label: str, budget: int) -> list[str]:
    """Group label split after '-', '/', '_' or ' ' into lines of at most `budget` characters where possible."""
    lines: list[str] = []
    for token in re.split(r"(?<=[-/_ ])", label):
        if lines and len(lines[-1]) + len(token) <= budget:
            lines[-1] += token
        elif token:
            lines.append(token)
    return [line.strip() for line in lines]


def _text_color(rgba: tuple[float, ...]) -> str:
    """White text on dark cells, near-black text on light ones (perceived luminance)."""
    r, g, b = rgba[:3]
    return "white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "#222222"


def _draw_groups(fig: Any, ax: Any, grouped: list[tuple[str, list[str]]]) -> int:
    """Separator lines between groups (thick before the means) and bracketed group labels above them.

    Labels too wide for their columns are wrapped and shrunk; returns the most label lines (for the title).
    """
    from matplotlib.transforms import blended_transform_factory, offset_copy

    above = blended_transform_factory(ax.transData, ax.transAxes)
    start, label_lines = 0, 0
    for k, (label, ps) in enumerate(grouped):
        lines = _wrap(label, 7 * len(ps))
        label_lines = max(label_lines, len(lines))
        if k:
            ax.axvline(start - 0.5, color="black", lw=1.0)
        if label:
            size = max(6.0, min(8.5, 8.5 * 6.5 * len(ps) / max(len(line) for line in lines)))
            ax.text(start + (len(ps) - 1) / 2, 1, "\n".join(lines), ha="center", va="bottom", fontsize=size,
                    fontweight="bold", linespacing=1.1, transform=offset_copy(above, fig, y=7, units="points"))
            ax.plot([start - 0.4, start + len(ps) - 0.6], [1, 1], color="black", lw=1.0, clip_on=False,
                    transform=offset_copy(above, fig, y=4, units="points"))
        start += len(ps)
    ax.axvline(start - 0.5, color="black", lw=2.8)
    ax.axvline(start + 0.5, color="black", lw=1.0)
    return label_lines



def plot_heatmap(summary: dict[str, Any], path: str, groups: dict[str, str] | None = None,
                 title: str | None = None) -> None:
    """Heatmap PNG of tau: metrics (best at top) x problems grouped by search space, plus mean tau and mean rank.

    Tau cells share a diverging colormap centred at 0; the mean-rank column has its own green scale
    (darker = better). The best value of each column is bold and boxed; missing cells show a grey '-'.
    """
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize
    from matplotlib.patches import Rectangle

    grouped = _grouped(summary["problems"], groups)
    problems = [p for _, ps in grouped for p in ps]
    labels = _labels(problems, groups)
    frame = _columns(summary, problems)
    names, n_rows, n_cols = list(frame.index), len(frame.index), len(frame.columns)
    taus = frame.drop(columns="mean rank").to_numpy()
    limit = float(np.nanmax(np.abs(taus))) or 1.0
    tau_cmap, tau_norm = plt.get_cmap("RdBu_r"), Normalize(-limit, limit)
    ranks = frame["mean rank"].to_numpy()
    greens, low, span = plt.get_cmap("Greens"), ranks.min(), max(float(np.ptp(ranks)), 1e-9)

    width, height = CELL_IN[0] * n_cols, CELL_IN[1] * n_rows
    fig = plt.figure(figsize=(width, height))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    for j, col in enumerate(frame.columns):
        is_rank = col == "mean rank"
        best = _is_best(frame[col], lowest=is_rank).to_numpy()
        for i, value in enumerate(frame[col].to_numpy()):
            if not math.isfinite(value):
                color, text, text_color = MISSING_COLOR, "-", "#999999"
            else:
                color = greens(0.55 - 0.5 * (value - low) / span) if is_rank else tau_cmap(tau_norm(value))
                text, text_color = _fmt(value, 1 if is_rank else 2), _text_color(color)
            ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=color, edgecolor="white", lw=0.5))
            ax.text(j, i, text, ha="center", va="center", fontsize=7.5, color=text_color,
                    fontweight="bold" if best[i] else "normal")
            if best[i]:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="black", lw=2.4, zorder=3))
                ax.add_patch(Rectangle((j - 0.43, i - 0.4), 0.86, 0.8, fill=False, edgecolor="white", lw=0.8, zorder=3))
    ax.set_xlim(-0.5, n_cols - 0.5)
    ax.set_ylim(n_rows - 0.5, -0.5)
    ax.set_yticks(range(n_rows), names, fontsize=8.5)
    for tick, name in zip(ax.get_yticklabels(), names):
        tick.set_fontweight("bold" if name == FORMULA else "normal")
    ax.set_xticks(range(n_cols), [labels.get(c, c) for c in frame.columns], rotation=50, ha="right",
                  rotation_mode="anchor", fontsize=8.5)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)

    label_lines = _draw_groups(fig, ax, grouped)
    bar_height = max(height, 1.0)
    cax = fig.add_axes((1 + 0.15 / width, 1 - bar_height / height, 0.18 / width, bar_height / height))
    bar = fig.colorbar(plt.cm.ScalarMappable(norm=tau_norm, cmap=tau_cmap), cax=cax)
    bar.set_label("Kendall tau", fontsize=8.5)
    bar.ax.tick_params(labelsize=7.5)
    if title:
        ax.set_title(title, fontsize=10, pad=10 + 13 * label_lines)
    fig.savefig(path, dpi=130, bbox_inches="tight")
    plt.close(fig)


def write_outputs(summary: dict[str, Any], groups: dict[str, str], out: str, stem: str, title: str) -> list[str]:
    """``out``/``stem``.json, ``stem``.csv and heatmap.png of a summary (validate, report); their paths."""
    from zc_core.files import write_json

    os.makedirs(out, exist_ok=True)
    json_path, csv_path, png = (os.path.join(out, f"{stem}.json"), os.path.join(out, f"{stem}.csv"),
                                os.path.join(out, "heatmap.png"))
    write_json(json_path, summary)
    write_csv(summary, csv_path)
    plot_heatmap(summary, png, groups=groups, title=title)
    return [json_path, csv_path, png]
