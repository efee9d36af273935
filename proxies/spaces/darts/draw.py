"""Draw a DARTS genotype's normal and reduction cells as DAGs, in the style of the DARTS paper's figures.

Each cell is one panel: the inputs c_{k-2} and c_{k-1} on the left, the 4 intermediate nodes staggered
in the middle, the output c_{k} (which concatenates the nodes) on the right. Every (input, op) edge is
an arrow coloured and labelled by its op. Edges are routed as arcs (straight where possible) that keep
clear of other boxes, and labels are slid along their edge to avoid boxes and each other; matplotlib
loads only when drawing, so importing this module stays light.
"""
from __future__ import annotations

import operator
import pathlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from .encoding import CHOICES, NODES, OPS, Cells, Pair, cells_from_choices, check_cells, genotype_cells, parse_text

OP_COLORS: dict[str, str] = dict(zip(OPS, ("#8c564b", "#e377c2", "#7f7f7f", "#1f77b4", "#2ca02c", "#ff7f0e",
                                           "#d62728")))
"""One colour per op (pools brown/pink, skip grey, separable convs blue/green, dilated convs orange/red)."""
PANEL_TITLES: tuple[str, ...] = ("normal cell", "reduction cell")

_INPUTS = ("c_{k-2}", "c_{k-1}")
_OUTPUT = "c_{k}"
_FILL = {"input": "#d5ecd4", "node": "#d6e6f7", "output": "#fbf1c0"}
_HALF = {"input": (0.48, 0.27), "node": (0.27, 0.27), "output": (0.42, 0.27)}
"""Half width and half height of each kind of box, in data units."""
_NODE_X = (2.55, 4.15, 5.75, 7.35)
_OUTPUT_X = 9.35
_XLIM, _YLIM = (-0.6, 9.9), (-2.3, 2.3)
_LAYOUTS = (((1.5, -1.5), (1.05, -1.05, 1.05, -1.05)), ((1.5, -1.5), (-1.05, 1.05, -1.05, 1.05)),
            ((1.7, -1.7), (1.45, -0.45, 0.45, -1.45)), ((1.7, -1.7), (-1.45, 0.45, -0.45, 1.45)),
            ((1.7, -1.7), (0.0, 1.5, -1.5, 0.0)), ((1.7, -1.7), (1.5, -1.5, 0.0, 1.5)))
"""Candidate y positions of (c_{k-2}, c_{k-1}) and of nodes 0..3; each cell gets the one it draws best in."""
_RADS = (0.0, 0.12, -0.12, 0.24, -0.24, 0.36, -0.36, 0.5, -0.5)
_LABEL_TS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.27, 0.73, 0.2, 0.8)
_SAMPLES = 48
_FONT = 7.5
_LABEL_PAD = 1.5
"""Label box padding, in points."""


def draw_genotype(arch: Any, path: str, title: str | None = None) -> str:
    """Write a PNG of the architecture's normal and reduction cells side by side; returns ``path``.

    ``arch`` is a DARTS genotype (dict, ``Genotype`` namedtuple or its text), cells (two lists of 8
    (input, op) pairs), the suite's key text of them, or a 32-int choice tuple. A bad architecture
    raises :class:`~proxies.spaces.base.ArchError` before anything is written; the parent folder is created.
    """
    cells = _cells(arch)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(15.0, 3.9 if title else 3.6), dpi=150)
    canvas = FigureCanvasAgg(fig)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.02, top=0.87 if title else 0.93, wspace=0.04)
    axes = fig.subplots(1, 2)
    if title:
        fig.suptitle(title, fontsize=11)
    renderer = canvas.get_renderer()
    for ax, panel, cell in zip(axes, PANEL_TITLES, cells):
        _draw_cell(ax, renderer, cell, panel)
    out = pathlib.Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=fig.dpi)
    return str(path)


def _cells(arch: Any) -> Cells:
    """The checked (normal, reduce) cells of anything :func:`draw_genotype` accepts; the encoding's
    checks raise :class:`~proxies.spaces.base.ArchError` otherwise."""
    if isinstance(arch, str):
        arch = parse_text(arch)
    if hasattr(arch, "tolist") and not isinstance(arch, (list, tuple)):
        arch = arch.tolist()
    if isinstance(arch, dict) or hasattr(arch, "normal"):
        return genotype_cells(arch)
    if isinstance(arch, (list, tuple)) and len(arch) == len(CHOICES) and _all_ints(arch):
        return check_cells(cells_from_choices(arch))
    return check_cells(arch)


def _all_ints(values: Any) -> bool:
    """Whether every value is an integer (not a bool)."""
    try:
        return all(not isinstance(v, bool) and operator.index(v) is not None for v in values)
    except TypeError:
        return False


@dataclass
class _Box:
    """A box in display pixels: its kind (input, node or output), centre and half extents."""

    kind: str
    center: np.ndarray
    half: np.ndarray

    def inside(self, points: np.ndarray, margin: float = 0.0) -> np.ndarray:
        """Which of ``points`` (n x 2) fall within this box grown by ``margin``."""
        return np.all(np.abs(points - self.center) <= self.half + margin, axis=1)


@dataclass
class _Edge:
    """An arrow between two boxes, with its op (None for the plain arrows into c_{k})."""

    source: str
    target: str
    op: str | None
    rad: float = 0.0
    points: np.ndarray | None = None
    label_at: np.ndarray | None = None


def _edges(cell: tuple[Pair, ...]) -> list[_Edge]:
    """The 8 op edges of a cell, then the 4 edges from the nodes to c_{k}."""
    names = _INPUTS + tuple(str(k) for k in range(NODES))
    edges = [_Edge(names[node], str(slot // 2), OPS[op]) for slot, (node, op) in enumerate(cell)]
    return edges + [_Edge(str(k), _OUTPUT, None) for k in range(NODES)]


def _control(a: np.ndarray, b: np.ndarray, rad: float) -> np.ndarray:
    """Control point of the arc from ``a`` to ``b``: off the chord's middle by ``rad`` times its
    length (matplotlib's ``arc3`` rule)."""
    return (a + b) / 2 + rad * np.array([b[1] - a[1], a[0] - b[0]])


def _arc(a: np.ndarray, b: np.ndarray, rad: float, ts: np.ndarray) -> np.ndarray:
    """Points at ``ts`` of the arc from ``a`` to ``b``, a quadratic Bezier in display pixels."""
    control = _control(a, b, rad)
    t = ts[:, None]
    return (1 - t) ** 2 * a + 2 * (1 - t) * t * control + t ** 2 * b


def _clipped_arc(source: _Box, target: _Box, rad: float, gap: float = 3.0) -> np.ndarray:
    """Start, control and end point of the part of the arc from ``source`` to ``target`` that lies
    outside both boxes (``gap`` pixels off them), as one quadratic Bezier."""
    a, b = source.center, target.center
    ts = np.linspace(0.0, 1.0, 400)
    points = _arc(a, b, rad, ts)
    out_a = np.flatnonzero(~source.inside(points, gap))
    out_b = np.flatnonzero(~target.inside(points, gap))
    t0, t1 = (ts[out_a[0]], ts[out_b[-1]]) if len(out_a) and len(out_b) else (0.0, 1.0)
    control = _control(a, b, rad)
    middle = (1 - t0) * (1 - t1) * a + ((1 - t0) * t1 + t0 * (1 - t1)) * control + t0 * t1 * b
    return np.array([_arc(a, b, rad, np.array([t0]))[0], middle, _arc(a, b, rad, np.array([t1]))[0]])


def _boxes(ax: Any, layout: tuple[tuple[float, ...], tuple[float, ...]]) -> dict[str, _Box]:
    """The cell's boxes at one candidate layout, in display pixels."""
    input_y, node_y = layout
    spots = [(name, "input", 0.0, y) for name, y in zip(_INPUTS, input_y)]
    spots += [(str(k), "node", x, y) for k, (x, y) in enumerate(zip(_NODE_X, node_y))]
    spots.append((_OUTPUT, "output", _OUTPUT_X, 0.0))
    boxes = {}
    for name, kind, x, y in spots:
        hx, hy = _HALF[kind]
        lo, hi = ax.transData.transform([(x - hx, y - hy), (x + hx, y + hy)])
        boxes[name] = _Box(kind, (lo + hi) / 2, np.abs(hi - lo) / 2)
    return boxes


def _overlaps(lo: np.ndarray, hi: np.ndarray, rects_lo: np.ndarray, rects_hi: np.ndarray) -> np.ndarray:
    """Areas shared by each of the rectangles ``lo``..``hi`` (n x 2) with each of ``rects`` (m x 2): n x m."""
    size = (np.minimum(hi[:, None], rects_hi[None]) - np.maximum(lo[:, None], rects_lo[None])).clip(0.0, None)
    return size.prod(axis=2)


def _route(edges: list[_Edge], boxes: dict[str, _Box], frame: np.ndarray, margin: float) -> float:
    """Pick each edge's arc (shortest edges first): clear of other boxes, inside ``frame`` (the
    panel's lower-left and upper-right corners), away from earlier edges, as straight as possible.
    Returns the total penalty."""
    names = list(boxes)
    centers = np.array([boxes[n].center for n in names])
    halves = np.array([boxes[n].half for n in names]) + margin
    ts, rads = np.linspace(0.0, 1.0, _SAMPLES), np.array(_RADS)
    total, placed = 0.0, np.empty((0, 2))
    order = sorted(edges, key=lambda e: float(np.linalg.norm(boxes[e.target].center - boxes[e.source].center)))
    for edge in order:
        ends = [names.index(edge.source), names.index(edge.target)]
        points = np.stack([_arc(centers[ends[0]], centers[ends[1]], rad, ts) for rad in rads])
        gaps = np.abs(points[:, :, None] - centers) - halves
        inside = (gaps[..., 0] <= 0) & (gaps[..., 1] <= 0)
        free = ~inside[:, :, ends].any(axis=2)
        outside = np.any((points < frame[0] + margin) | (points > frame[1] - margin), axis=2)
        hits = (inside.sum(axis=2) * free).sum(axis=1) + outside.sum(axis=1)
        crowd = np.zeros(len(rads))
        if len(placed):
            flat = points.reshape(-1, 2)
            d2 = (flat ** 2).sum(axis=1)[:, None] + (placed ** 2).sum(axis=1)[None] - 2 * flat @ placed.T
            near = d2.min(axis=1).reshape(free.shape) < (1.2 * margin) ** 2
            crowd = (near & free).sum(axis=1)
        scores = 60.0 * hits + 1.5 * crowd + 12.0 * np.abs(rads)
        best = int(np.argmin(scores))
        edge.rad, edge.points = float(rads[best]), points[best]
        placed = np.concatenate([placed, points[best][free[best]]])
        total += float(scores[best])
    return total


def _place_labels(edges: list[_Edge], boxes: dict[str, _Box], sizes: dict[str, np.ndarray], frame: np.ndarray,
                  margin: float) -> float:
    """Slide each op label along its edge to the spot nearest the middle that overlaps no box, no
    other label and few other edges, stays inside ``frame`` and leaves some of its own edge in sight.
    Returns the total penalty."""
    boxes_lo = np.array([b.center - b.half for b in boxes.values()]) - margin / 2
    boxes_hi = np.array([b.center + b.half for b in boxes.values()]) + margin / 2
    ts = np.array(_LABEL_TS)
    total, taken_lo, taken_hi = 0.0, np.empty((0, 2)), np.empty((0, 2))
    for i, edge in enumerate(edges):
        if edge.op is None:
            continue
        half = sizes[edge.op] / 2
        area = float(np.prod(2 * half))
        at = _arc(boxes[edge.source].center, boxes[edge.target].center, edge.rad, ts)
        lo, hi = at - half, at + half
        on_boxes = _overlaps(lo, hi, boxes_lo, boxes_hi).sum(axis=1) / area
        on_labels = _overlaps(lo - margin / 3, hi + margin / 3, taken_lo, taken_hi).sum(axis=1) / area
        others = np.concatenate([e.points for j, e in enumerate(edges) if j != i])
        on_edges = np.all(np.abs(others[None] - at[:, None]) <= half, axis=2).sum(axis=1)
        off_frame = 1.0 - _overlaps(lo, hi, frame[:1], frame[1:])[:, 0] / area
        own = edge.points[~(boxes[edge.source].inside(edge.points) | boxes[edge.target].inside(edge.points))]
        hidden = np.all(np.abs(own[None] - at[:, None]) <= half, axis=2).mean(axis=1) if len(own) else 0.0
        scores = (80.0 * (on_boxes + on_labels + off_frame) + 1.0 * on_edges + 20.0 * np.clip(hidden - 0.5, 0, None)
                  + 6.0 * np.abs(ts - 0.5))
        best = int(np.argmin(scores))
        edge.label_at = at[best]
        taken_lo, taken_hi = np.vstack([taken_lo, lo[best]]), np.vstack([taken_hi, hi[best]])
        total += float(scores[best])
    return total


def _label_sizes(ax: Any, renderer: Any) -> dict[str, np.ndarray]:
    """Width and height in pixels of each op's label, its padded box included."""
    pad = 2 * _LABEL_PAD * ax.figure.dpi / 72
    sizes = {}
    for op in OPS:
        text = ax.text(0, 0, op, fontsize=_FONT)
        extent = text.get_window_extent(renderer=renderer)
        sizes[op] = np.array([extent.width + pad, extent.height + pad])
        text.remove()
    return sizes


def _draw_cell(ax: Any, renderer: Any, cell: tuple[Pair, ...], panel: str) -> None:
    """Draw one cell into ``ax``, at the candidate layout whose edges and labels collide least."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path

    ax.set_xlim(*_XLIM)
    ax.set_ylim(*_YLIM)
    ax.set_aspect("equal", adjustable="box")
    ax.set_axis_off()
    ax.set_title(panel, fontsize=11)
    ax.apply_aspect()
    margin = 5.0 * ax.figure.dpi / 72
    sizes = _label_sizes(ax, renderer)
    frame = np.array(ax.bbox.get_points())
    best = None
    for layout in _LAYOUTS:
        boxes, edges = _boxes(ax, layout), _edges(cell)
        score = _route(edges, boxes, frame, margin) + _place_labels(edges, boxes, sizes, frame, margin)
        if best is None or score < best[0]:
            best = (score, boxes, edges)
    _, boxes, edges = best
    to_data = ax.transData.inverted()
    for name, box in boxes.items():
        lo, hi = to_data.transform([box.center - box.half, box.center + box.half])
        patch = FancyBboxPatch(tuple(lo), *(hi - lo), boxstyle="round,pad=0,rounding_size=0.08",
                               facecolor=_FILL[box.kind], edgecolor="#333333", linewidth=1.0, zorder=3)
        ax.add_patch(patch)
        text = f"${name}$" if box.kind != "node" else name
        ax.text(*to_data.transform(box.center), text, ha="center", va="center", fontsize=10, zorder=4)
    for edge in edges:
        color = OP_COLORS[edge.op] if edge.op else "#444444"
        path = Path(to_data.transform(_clipped_arc(boxes[edge.source], boxes[edge.target], edge.rad)),
                    [Path.MOVETO, Path.CURVE3, Path.CURVE3])
        ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=11, shrinkA=0, shrinkB=0,
                                     color=color, linewidth=1.6 if edge.op else 1.0, zorder=2 if edge.op else 1))
    for edge in edges:
        if edge.op is not None:
            ax.text(*to_data.transform(edge.label_at), edge.op, ha="center", va="center", fontsize=_FONT,
                    color="#111111", zorder=5,
                    bbox={"boxstyle": f"round,pad={_LABEL_PAD / _FONT:.3f}", "facecolor": "white", "alpha": 0.9,
                          "edgecolor": OP_COLORS[edge.op], "linewidth": 0.9})
