"""A self-contained HTML report of an output folder: ``report.html``.

One file that opens anywhere without network: headline numbers, the partnership network
(actors coloured by bloc, links coloured by kind of deal), a timeline of deals by month, the
counts by axis (EU-US, EU-CN, EU-EU...), the table of events with their evidence sentences,
outlet and publication date and the other articles of the same deal (sortable, filterable and
downloadable as CSV by a small inline script, which works from a file), and the inputs that
were skipped, failed or ignored.  Figures are drawn with matplotlib (network layout by
networkx) and embedded as base64 PNG; the style sheet and the script are inline; nothing is
fetched.

Counting rules, stated in the report too:

* a *deal* is an ``event_group`` (the same deal told by several articles counts once); an
  *event* is one report of it in one article;
* negated events ("n'a pas signé avec...") are listed in the table but left out of the figures;
* a deal is dated by its most precise date; deals known to the year only are drawn, hatched, in
  January of that year; undated deals are counted but not drawn.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import re
import textwrap
from collections import Counter
from collections.abc import Iterable
from datetime import date
from itertools import combinations, product
from pathlib import Path
from urllib.parse import urlsplit

import matplotlib.dates as mdates
import networkx as nx
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox

from . import __version__
from .export import events_frame
from .load import KINDS, Dataset, load
from .store import read_problems

REPORT_NAME = "report.html"

BLOC_COLOURS = {
    "EU": "#2457a6",
    "US": "#c8382c",
    "CN": "#e0a100",
    "other": "#7d8a96",
    "unknown": "#c9ced3",
}
KIND_COLOURS = dict(
    zip(
        KINDS,
        (
            "#1b9e77",
            "#7570b3",
            "#e7298a",
            "#66a61e",
            "#d95f02",
            "#a6761d",
            "#1f78b4",
            "#555555",
        ),
        strict=True,
    )
)
AXIS_COLOURS = {
    "EU-US": "#c8382c",
    "EU-CN": "#e0a100",
    "EU-EU": "#2457a6",
    "EU-other": "#5b9bd5",
    "EU-unknown": "#9dbbe0",
    "US-CN": "#8e44ad",
    "US-US": "#e58d85",
    "CN-CN": "#f2cf66",
}
# Axes outside the table above (US-other, CN-unknown...) get one of these, in turn.
OTHER_AXIS_COLOURS = ("#8c6d9e", "#6b9080", "#b07d62", "#7f8c8d", "#a3a847", "#5d7b9d", "#c98db8")

# The network shows at most this many actors (those in the most deals) to stay readable.
MAX_NETWORK_NODES = 60
_DPI = 110
_GRANULARITY_RANK = {"day": 0, "month": 1, "year": 2}


# ---------------------------------------------------------------------------------- data


def _parties(event: pd.Series, names: dict[str, str]) -> tuple[list[str], list[str]]:
    """Entity ids of the event split into (who, with_whom), following the names' roles."""
    who_left = list(event["who"])
    who: list[str] = []
    other: list[str] = []
    for pid in event["party_ids"]:
        name = names.get(pid, pid)
        if name in who_left:
            who_left.remove(name)
            who.append(pid)
        else:
            other.append(pid)
    return who, other


def _pairs(who: list[str], other: list[str]) -> Iterable[tuple[str, str]]:
    """Links drawn for one event: who x with_whom, or every pair when one side is empty."""
    pairs = product(who, other) if who and other else combinations(who + other, 2)
    for a, b in pairs:
        if a != b:
            yield (a, b) if a < b else (b, a)


def _deals(events: pd.DataFrame) -> pd.DataFrame:
    """One row per deal (event group): the event with the most precise date stands for it."""
    if events.empty:
        return events.assign(_rank=pd.Series(dtype=int))
    ranked = events.assign(
        _rank=events["date_granularity"].astype(object).map(_GRANULARITY_RANK).fillna(3)
    )
    ranked = ranked.sort_values(["_rank", "date_start"], na_position="last", kind="stable")
    return ranked.drop_duplicates("event_group", keep="first")


def axis_palette(axes: Iterable[str]) -> dict[str, str]:
    """A colour per axis: fixed for the main axes, the others in turn (same in every figure)."""
    palette: dict[str, str] = {}
    others = 0
    for axis in _axis_order(axes):
        if axis in AXIS_COLOURS:
            palette[axis] = AXIS_COLOURS[axis]
        else:
            palette[axis] = OTHER_AXIS_COLOURS[others % len(OTHER_AXIS_COLOURS)]
            others += 1
    return palette


def _axis_order(axes: Iterable[str]) -> list[str]:
    known = list(AXIS_COLOURS)
    return sorted(set(axes), key=lambda a: (known.index(a) if a in known else len(known), a))


# ------------------------------------------------------------------------------- figures


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI, bbox_inches="tight", metadata={"Software": None})
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _img(fig: Figure, alt: str) -> str:
    return f'<img src="data:image/png;base64,{_png(fig)}" alt="{html.escape(alt)}">'


def _component_layout(graph: nx.Graph, nodes: set[str]) -> dict[str, tuple[float, float]]:
    """Positions of one connected component in a box of side about sqrt(len(nodes))."""
    order = sorted(nodes)
    sub = nx.Graph()  # nodes and edges in sorted order: the layout does not vary between runs
    sub.add_nodes_from(order)
    sub.add_edges_from(sorted(tuple(sorted(e)) for e in graph.subgraph(nodes).edges))
    if len(order) == 1:
        return {order[0]: (0.0, 0.0)}
    if len(order) == 2:
        return {order[0]: (0.0, 0.0), order[1]: (1.0, 0.0)}
    raw = nx.spring_layout(sub, seed=7, k=1.0 / math.sqrt(len(order)), iterations=300)
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    side = 1.15 * math.sqrt(len(order))
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    return {
        v: ((x - min(xs)) / span * side, (y - min(ys)) / span * side) for v, (x, y) in raw.items()
    }


def _packed_layout(graph: nx.Graph) -> tuple[dict[str, tuple[float, float]], float, float]:
    """Components laid out one by one and packed in rows, biggest first (no empty space)."""
    comps = sorted(nx.connected_components(graph), key=lambda c: (-len(c), sorted(c)))
    layouts = [_component_layout(graph, c) for c in comps]
    row_width = max(4.6, 1.9 * math.sqrt(graph.number_of_nodes()))
    gap_x, gap_y = 0.75, 0.7
    pos: dict[str, tuple[float, float]] = {}
    x0, y0, row_h, width = 0.0, 0.0, 0.0, 0.0
    for lay in layouts:
        w = max(p[0] for p in lay.values())
        h = max(p[1] for p in lay.values())
        if x0 > 0 and x0 + w > row_width:
            x0, y0, row_h = 0.0, y0 - row_h - gap_y, 0.0
        for v, (x, y) in lay.items():
            pos[v] = (x0 + x, y0 - h + y)
        width = max(width, x0 + w)
        x0 += w + gap_x
        row_h = max(row_h, h)
    return pos, width, -(y0 - row_h)


def _label(name: str, width: int = 18) -> str:
    return "\n".join(textwrap.wrap(name, width=width, break_on_hyphens=True)) or name


def network_figure(events: pd.DataFrame, entities: pd.DataFrame) -> Figure | None:
    """Actors (nodes coloured by bloc, sized by deals) linked by deals (coloured by kind)."""
    names = dict(zip(entities["entity_id"], entities["name"], strict=True))
    blocs = {
        k: (v if isinstance(v, str) else "unknown")
        for k, v in zip(entities["entity_id"], entities["bloc"].astype(object), strict=True)
    }
    graph = nx.Graph()
    for _, ev in events.iterrows():
        who, other = _parties(ev, names)
        for a, b in _pairs(who, other):
            if graph.has_edge(a, b):
                graph[a][b]["kinds"][ev["kind"]] += 1
                graph[a][b]["groups"].add(ev["event_group"])
            else:
                graph.add_edge(a, b, kinds=Counter([ev["kind"]]), groups={ev["event_group"]})
    if graph.number_of_edges() == 0:
        return None
    deals_of = {
        n: len(set().union(*(graph[n][m]["groups"] for m in graph[n]))) for n in graph.nodes
    }
    if graph.number_of_nodes() > MAX_NETWORK_NODES:
        keep = sorted(graph.nodes, key=lambda n: (-deals_of[n], n))[:MAX_NETWORK_NODES]
        graph = graph.subgraph(keep).copy()
        graph.remove_nodes_from([n for n in list(graph.nodes) if graph.degree(n) == 0])
    pos, width, height = _packed_layout(graph)
    fig_w = 11.5
    fig_h = min(9.0, max(3.2, fig_w * (height + 1.0) / (width + 1.2) + 0.6))
    fig = Figure(figsize=(fig_w, fig_h))
    ax = fig.add_axes((0.0, 0.1, 1.0, 0.9))
    ax.set_axis_off()
    for a, b, data in graph.edges(data=True):
        kind, _ = data["kinds"].most_common(1)[0]
        count = len(data["groups"])
        (xa, ya), (xb, yb) = pos[a], pos[b]
        ax.plot(
            [xa, xb],
            [ya, yb],
            color=KIND_COLOURS.get(kind, "#555555"),
            linewidth=2.6 + 1.6 * (count - 1),
            alpha=0.9,
            zorder=1,
            solid_capstyle="round",
        )
        if count > 1:
            ax.text(
                (xa + xb) / 2,
                (ya + yb) / 2,
                f"×{count}",
                fontsize=8,
                ha="center",
                va="center",
                zorder=2,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
            )
    nodes = list(graph.nodes)
    ax.scatter(
        [pos[v][0] for v in nodes],
        [pos[v][1] for v in nodes],
        s=[150 + 90 * min(deals_of[v], 10) for v in nodes],
        c=[BLOC_COLOURS.get(blocs.get(v, "unknown"), BLOC_COLOURS["unknown"]) for v in nodes],
        edgecolors="white",
        linewidths=1.5,
        zorder=3,
    )
    ax.set_xlim(-0.6, width + 0.6)
    ax.set_ylim(-height - 0.55, 0.3)
    sizes = {v: 150 + 90 * min(deals_of[v], 10) for v in nodes}
    place_labels(fig, ax, pos, {v: _label(names.get(v, v)) for v in nodes}, sizes,
                 edges=list(graph.edges))
    used_blocs = [b for b in BLOC_COLOURS if any(blocs.get(v, "unknown") == b for v in nodes)]
    used_kinds = sorted(
        {d["kinds"].most_common(1)[0][0] for _, _, d in graph.edges(data=True)},
        key=lambda k: KINDS.index(k) if k in KINDS else len(KINDS),
    )
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=10,
            markerfacecolor=BLOC_COLOURS[b],
            markeredgecolor="white",
            label=f"{b} actor",
        )
        for b in used_blocs
    ] + [
        Line2D([], [], color=KIND_COLOURS.get(k, "#555555"), linewidth=3, label=k.replace("_", " "))
        for k in used_kinds
    ]
    fig.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, 0.0),
        ncols=min(len(handles), 7),
        frameon=False,
        fontsize=9,
    )
    return fig


#: Where a node's label may go, in points from the node's edge, tried in this order: below,
#: above, right, left, then the diagonals and further below / above.
_LABEL_SLOTS = (
    (0, -1, "center", "top"),
    (0, 1, "center", "bottom"),
    (1, 0, "left", "center"),
    (-1, 0, "right", "center"),
    (1, -1, "left", "top"),
    (-1, -1, "right", "top"),
    (1, 1, "left", "bottom"),
    (-1, 1, "right", "bottom"),
    (0, -2.6, "center", "top"),
    (0, 2.6, "center", "bottom"),
)
_LABEL_GAP_PT = 3.0
#: Points sampled along each link, and the cost of one under a label (in square pixels: a
#: label may cross a link rather than another label or a node, not rather than free space).
_EDGE_SAMPLES = 16
_EDGE_POINT_COST = 30.0


def _overlap(a: Bbox, b: Bbox) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def place_labels(
    fig: Figure,
    ax: object,
    pos: dict[str, tuple[float, float]],
    labels: dict[str, str],
    sizes: dict[str, float],
    edges: list[tuple[str, str]] | None = None,
) -> list[object]:
    """Write each node's label where it covers no other label and no node.

    Nodes are served in order of size (the biggest get the first choice); each tries the
    slots of ``_LABEL_SLOTS`` and keeps the first that overlaps nothing already placed, no
    node and no link, and stays inside the figure, else the slot that costs least (overlap
    areas, plus a little per point of a link under the label).  The labels
    are ``Annotation`` artists with ``gid`` ``"label:<node>"`` (the tests measure them).
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    px_per_pt = fig.dpi / 72.0
    frame = fig.bbox
    node_boxes: dict[str, Bbox] = {}
    for v, (x, y) in pos.items():
        cx, cy = ax.transData.transform((x, y))  # type: ignore[attr-defined]
        r = math.sqrt(sizes.get(v, 150)) / 2 * px_per_pt + 1.0
        node_boxes[v] = Bbox.from_extents(cx - r, cy - r, cx + r, cy + r)
    points = []
    for a, b in edges or []:
        (xa, ya), (xb, yb) = (ax.transData.transform(pos[a]),  # type: ignore[attr-defined]
                              ax.transData.transform(pos[b]))  # type: ignore[attr-defined]
        points += [(xa + (xb - xa) * t / _EDGE_SAMPLES, ya + (yb - ya) * t / _EDGE_SAMPLES)
                   for t in range(1, _EDGE_SAMPLES)]
    placed: list[Bbox] = []
    artists = []
    for v in sorted(labels, key=lambda n: (-sizes.get(n, 0), n)):
        radius_pt = math.sqrt(sizes.get(v, 150)) / 2
        best = None
        for dx, dy, ha, va in _LABEL_SLOTS:
            offset = (dx * (radius_pt + _LABEL_GAP_PT), dy * (radius_pt + _LABEL_GAP_PT))
            text = ax.annotate(  # type: ignore[attr-defined]
                labels[v], pos[v], xytext=offset, textcoords="offset points", ha=ha, va=va,
                fontsize=9, zorder=4, gid=f"label:{v}",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8},
            )
            box = text.get_window_extent(renderer)
            cost = sum(_overlap(box, other) for other in placed)
            cost += sum(_overlap(box, nb) for n, nb in node_boxes.items() if n != v)
            outside = box.width * box.height - _overlap(box, frame)
            cost += outside
            cost += _EDGE_POINT_COST * sum(
                1 for px, py in points if box.x0 <= px <= box.x1 and box.y0 <= py <= box.y1
            )
            if best is None or cost < best[0]:
                if best is not None:
                    best[1].remove()
                best = (cost, text, box)
            else:
                text.remove()
            if cost == 0:
                break
        assert best is not None
        placed.append(best[2])
        artists.append(best[1])
    return artists


def timeline_figure(deals: pd.DataFrame, palette: dict[str, str] | None = None) -> Figure | None:
    """Deals per month, stacked by axis; year-only deals hatched in January of their year."""
    dated = deals[deals["date_start"].notna()]
    if dated.empty:
        return None
    month = dated["date_start"].dt.to_period("M").dt.to_timestamp()
    year_only = dated["date_granularity"].astype(object).eq("year").to_numpy()
    frame = pd.DataFrame(
        {
            "month": month.to_numpy(),
            "axis": dated["axis"].astype(object).fillna("single party").to_numpy(),
            "year_only": year_only,
        }
    )
    counts = frame.groupby(["month", "year_only", "axis"]).size().rename("n").reset_index()
    axes_present = _axis_order(counts["axis"])
    palette = palette or axis_palette(axes_present)
    fig = Figure(figsize=(7.2, 4.3))
    ax = fig.add_subplot()
    bottoms: dict[pd.Timestamp, float] = {}
    for year_flag in (False, True):
        for axis in axes_present:
            part = counts[(counts["axis"] == axis) & (counts["year_only"] == year_flag)]
            if part.empty:
                continue
            xs = list(part["month"])
            ax.bar(
                xs,
                list(part["n"]),
                width=24,
                bottom=[bottoms.get(x, 0) for x in xs],
                color=palette.get(axis, OTHER_AXIS_COLOURS[0]),
                edgecolor="white" if not year_flag else "#333333",
                hatch="///" if year_flag else None,
                linewidth=0.6,
                align="edge",
            )
            for x, n in zip(xs, part["n"], strict=True):
                bottoms[x] = bottoms.get(x, 0) + n
    first, last = min(bottoms), max(bottoms)
    ax.set_xlim(first - pd.Timedelta(days=60), last + pd.Timedelta(days=90))
    span_years = (last - first).days / 365
    if span_years > 3:
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
        ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(4, 7, 10)))
    else:
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel("deals")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e3e6e9", linewidth=0.8)
    ax.set_axisbelow(True)
    handles = [
        Patch(facecolor=palette.get(a, OTHER_AXIS_COLOURS[0]), label=a) for a in axes_present
    ]
    if frame["year_only"].any():
        handles.append(
            Patch(
                facecolor="white",
                edgecolor="#333333",
                hatch="///",
                label="year known only\n(drawn in January)",
            )
        )
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.01),
        fontsize=8,
        frameon=False,
        ncols=4,
    )
    fig.tight_layout()
    return fig


def axis_figure(axis_counts: pd.DataFrame, palette: dict[str, str] | None = None) -> Figure | None:
    """Horizontal bars: deals per axis, with the number of events beside each bar."""
    if axis_counts.empty:
        return None
    rows = axis_counts.iloc[::-1]
    palette = palette or axis_palette(rows["axis"])
    fig = Figure(figsize=(4.6, 0.9 + 0.42 * len(rows)))
    ax = fig.add_subplot()
    ax.barh(
        list(rows["axis"]),
        list(rows["deals"]),
        color=[palette.get(a, OTHER_AXIS_COLOURS[0]) for a in rows["axis"]],
        height=0.65,
    )
    for y, (d, e) in enumerate(zip(rows["deals"], rows["events"], strict=True)):
        label = f" {d} deal{'s' if d != 1 else ''}"
        if e != d:
            label += f" · {e} events"
        ax.text(d, y, label, va="center", fontsize=9)
    ax.set_xlim(0, rows["deals"].max() * 1.6)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_xlabel("deals")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------- html

_CSS = """
body{font-family:-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;margin:0;
 background:#f5f6f8;color:#1d2731;line-height:1.45}
main{max-width:1240px;margin:0 auto;padding:24px 28px 48px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:0 0 8px}
.sub{color:#5b6770;margin:0 0 18px;font-size:14px}
.cards{display:grid;grid-template-columns:repeat(5,1fr);gap:12px;margin-bottom:18px}
.card{background:#fff;border-radius:8px;padding:12px 16px;box-shadow:0 1px 2px #0001}
.card b{display:block;font-size:28px}.card span{color:#5b6770;font-size:13px}
section{background:#fff;border-radius:8px;padding:16px 20px;margin-bottom:18px;
 box-shadow:0 1px 2px #0001}
.row{display:grid;grid-template-columns:3fr 2fr;gap:18px}.row section{margin-bottom:0}
.row{margin-bottom:18px}
img{max-width:100%;height:auto;display:block;margin:0 auto}
.note{color:#5b6770;font-size:13px;margin:6px 0 0}
.empty{color:#5b6770;font-style:italic;padding:24px 0;text-align:center}
table{border-collapse:collapse;width:100%;font-size:13px}
th{text-align:left;background:#eef1f4;padding:6px 8px;position:sticky;top:0}
td{padding:6px 8px;border-top:1px solid #e6e9ec;vertical-align:top}
table.axes{width:auto;margin-top:10px}table.axes td,table.axes th{padding:3px 12px}
td.num{text-align:right}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:4px}
.party{white-space:nowrap}.arrow{color:#8a949c;margin:0 4px}
.tag{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;color:#fff;
 margin-bottom:3px}
.status{color:#5b6770;font-size:12px}.negated{color:#b03a2e;font-weight:600}
tr.is-negated td{background:#fbf3f2}
mark{background:#ffe9a8;padding:0 1px}
.src{color:#5b6770;font-size:12px;word-break:break-all}
.evidence{max-width:460px}
.tools{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:0 0 10px;font-size:13px}
.tools input,.tools select,.tools button{font:inherit;padding:4px 8px;border:1px solid #c9ced3;
 border-radius:5px;background:#fff}
.tools input{min-width:240px}.tools .count{color:#5b6770;margin-left:auto}
th button{all:unset;cursor:pointer;font-weight:600}th button::after{content:" ↕";color:#8a949c}
th[aria-sort=ascending] button::after{content:" ↑";color:#1d2731}
th[aria-sort=descending] button::after{content:" ↓";color:#1d2731}
.also{margin-top:4px;font-size:12px;color:#5b6770;word-break:normal}.also a,.src a{color:#2457a6}
table.inputs td.status-error{color:#b03a2e;font-weight:600}
"""

#: The events table's script: sort by a column (click its header, again to reverse; empty
#: cells last), filter by text, kind, status and axis, download the rows shown as CSV.
_SCRIPT = r"""
(function () {
  var table = document.getElementById("events-table");
  if (!table) return;
  var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
  var heads = table.tHead.rows[0].cells, count = document.getElementById("events-count");
  var text = document.getElementById("events-filter");
  var selects = document.querySelectorAll("select[data-filter]");
  var data = JSON.parse(document.getElementById("events-data").textContent);
  function key(row, i) {
    var cell = row.cells[i];
    if (cell.hasAttribute("data-sort")) return cell.getAttribute("data-sort");
    return cell.textContent.trim();
  }
  Array.prototype.forEach.call(heads, function (th, i) {
    var button = th.querySelector("button");
    if (!button) return;
    button.addEventListener("click", function () {
      var up = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", up ? "ascending" : "descending");
      var numeric = th.getAttribute("data-type") === "number";
      rows.slice().sort(function (a, b) {
        var x = key(a, i), y = key(b, i);
        if (x === "" || y === "") return x === y ? 0 : (x === "" ? 1 : -1);
        var c = numeric ? parseFloat(x) - parseFloat(y) : x.localeCompare(y, "fr");
        return up ? c : -c;
      }).forEach(function (row) { body.appendChild(row); });
    });
  });
  function apply() {
    var words = text.value.toLowerCase().trim(), shown = 0;
    rows.forEach(function (row) {
      var ok = !words || row.textContent.toLowerCase().indexOf(words) >= 0;
      Array.prototype.forEach.call(selects, function (s) {
        if (s.value && row.getAttribute("data-" + s.getAttribute("data-filter")) !== s.value) {
          ok = false;
        }
      });
      row.hidden = !ok;
      if (ok) shown += 1;
    });
    count.textContent = shown + " of " + rows.length + " events shown";
  }
  text.addEventListener("input", apply);
  Array.prototype.forEach.call(selects, function (s) { s.addEventListener("change", apply); });
  function cell(value) {
    if (value === null || value === undefined) return "";
    var v = String(value);
    return /[",;\n\r]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  document.getElementById("events-download").addEventListener("click", function () {
    var lines = [data.columns.map(cell).join(",")];
    Array.prototype.forEach.call(body.rows, function (row) {
      if (row.hidden) return;
      var values = data.rows[row.getAttribute("data-event-id")];
      if (values) lines.push(values.map(cell).join(","));
    });
    var blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], {type: "text/csv"});
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "events.csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 5000);
  });
  apply();
})();
"""


def _e(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return html.escape(str(value))


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _highlight(sentence: str, trigger: str | None) -> str:
    """The evidence sentence, escaped, with the trigger words marked."""
    if not trigger:
        return html.escape(sentence)
    m = re.search(re.escape(trigger), sentence, flags=re.IGNORECASE)
    if m is None:
        return html.escape(sentence)
    return (
        html.escape(sentence[: m.start()])
        + f"<mark>{html.escape(m.group(0))}</mark>"
        + html.escape(sentence[m.end() :])
    )


def _party_html(pid: str, names: dict[str, str], blocs: dict[str, str]) -> str:
    bloc = blocs.get(pid, "unknown")
    colour = BLOC_COLOURS.get(bloc, BLOC_COLOURS["unknown"])
    return (
        f'<span class="party" title="bloc: {html.escape(bloc)}">'
        f'<span class="dot" style="background:{colour}"></span>'
        f"{html.escape(names.get(pid, pid))}</span>"
    )


def outlet(url: object) -> str | None:
    """The site an article comes from: its URL's host without ``www.`` (None without URL)."""
    if not isinstance(url, str) or not url:
        return None
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _article_info(articles: pd.DataFrame) -> dict[str, dict[str, str | None]]:
    info = {}
    for _, a in articles.drop_duplicates("article_id").iterrows():
        url = _text(a.get("url"))
        info[a["article_id"]] = {
            "source": _text(a.get("source")),
            "title": _text(a.get("title")),
            "published": _text(a.get("published")),
            "url": url,
            "outlet": outlet(url),
        }
    return info


def _article_link(info: dict[str, str | None], fallback: str) -> str:
    label = _e(info.get("title") or info.get("source") or fallback)
    url = info.get("url")
    return f'<a href="{html.escape(url)}">{label}</a>' if url else label


def _events_data(data: Dataset) -> str:
    """The export rows of every event (what the download button writes), as inline JSON."""
    frame = events_frame(data)
    rows = {
        row["event_id"]: [None if pd.isna(v) else (int(v) if isinstance(v, int) else v)
                          for v in row.values()]
        for row in frame.astype(object).to_dict(orient="records")
    }
    payload = json.dumps({"columns": list(frame.columns), "rows": rows}, ensure_ascii=False,
                         default=str)
    return payload.replace("</", "<\\/")


def _options(values: Iterable[str], label: str, name: str) -> str:
    opts = "".join(f'<option value="{_e(v)}">{_e(v.replace("_", " "))}</option>'
                   for v in sorted(set(values)))
    return (f'<select data-filter="{name}" aria-label="{label}">'
            f'<option value="">every {label}</option>{opts}</select>')


def _events_table(data: Dataset) -> str:
    events, entities, articles = data.events, data.entities, data.articles
    if events.empty:
        return '<p class="empty">No events in these tables.</p>'
    names = dict(zip(entities["entity_id"], entities["name"], strict=True))
    blocs = {
        k: (v if isinstance(v, str) else "unknown")
        for k, v in zip(entities["entity_id"], entities["bloc"].astype(object), strict=True)
    }
    info = _article_info(articles)
    articles_of_group: dict[str, list[str]] = {}
    for gid, aid in zip(events["event_group"], events["article_id"], strict=True):
        if aid not in articles_of_group.setdefault(gid, []):
            articles_of_group[gid].append(aid)
    ordered = events.sort_values(
        ["date_start", "source", "start"], na_position="last", kind="stable"
    )
    rows = []
    for _, ev in ordered.iterrows():
        who, other = _parties(ev, names)
        left = " + ".join(_party_html(p, names, blocs) for p in who)
        right = " + ".join(_party_html(p, names, blocs) for p in other)
        parties = f'{left}<span class="arrow">↔</span>{right}' if left and right else left + right
        party_names = "; ".join(names.get(p, p) for p in who + other)
        kind = str(ev["kind"])
        status = str(ev["status"])
        axis = _text(ev["axis"]) or ""
        status_html = (
            f'<span class="negated">{_e(status)}</span>'
            if status == "negated"
            else f'<span class="status">{_e(status)}</span>'
        )
        date_txt = _text(ev["date"])
        date_html = (
            f"{_e(date_txt)}<br><span class='status'>«&nbsp;{_e(ev['date_text'])}&nbsp;»</span>"
            if date_txt
            else '<span class="status">no date</span>'
        )
        start = ev["date_start"]
        date_key = start.date().isoformat() if pd.notna(start) else ""
        art = info.get(ev["article_id"], {})
        published = art.get("published") or ""
        site = art.get("outlet")
        where = _e(site) if site else '<span class="status">outlet unknown</span>'
        src = _article_link(art, str(ev.get("source") or ev["article_id"]))
        others = [a for a in articles_of_group.get(ev["event_group"], []) if a != ev["article_id"]]
        also = ""
        if others:
            items = ", ".join(
                _article_link(info.get(a, {}), a)
                + (f" ({_e(info[a]['published'])})" if info.get(a, {}).get("published") else "")
                for a in others
            )
            also = f'<div class="also">same deal also in: {items}</div>'
        rows.append(
            f'<tr class="{"is-negated" if status == "negated" else ""}" '
            f'data-event-id="{_e(ev["event_id"])}" data-kind="{_e(kind)}" '
            f'data-status="{_e(status)}" data-axis="{_e(axis)}">'
            f'<td data-sort="{date_key}">{date_html}</td>'
            f'<td data-sort="{_e(party_names)}">{parties}</td>'
            f'<td data-sort="{_e(kind)}"><span class="tag" '
            f'style="background:{KIND_COLOURS.get(kind, "#555")}">'
            f"{_e(kind.replace('_', ' '))}</span><br>{status_html}<br>"
            f'<span class="status">{_e(axis)}</span></td>'
            f"<td>{_e(_text(ev['purpose']) or '—')}</td>"
            f'<td class="evidence">{_highlight(str(ev["sentence"] or ""), _text(ev["trigger"]))}'
            f"</td>"
            f'<td class="num" data-sort="{float(ev["confidence"]):.3f}">'
            f'{float(ev["confidence"]):.2f}</td>'
            f'<td data-sort="{_e(published)}">{_e(published) or "—"}<br>'
            f'<span class="status">{where}</span></td>'
            f'<td class="src" data-sort="{_e(art.get("source") or "")}">{src}{also}</td></tr>'
        )
    tools = (
        '<div class="tools">'
        '<input id="events-filter" type="search" placeholder="filter: actor, word, source..." '
        'aria-label="filter the events">'
        + _options(events["kind"].astype(str), "kind", "kind")
        + _options(events["status"].astype(str), "status", "status")
        + _options(events["axis"].dropna().astype(str), "axis", "axis")
        + '<button id="events-download" type="button">download CSV</button>'
        f'<span class="count" id="events-count">{len(events)} events</span></div>'
    )
    head = "".join(
        f'<th{" data-type=number" if typ == "number" else ""}>'
        + (f'<button type="button">{label}</button>' if typ else label) + "</th>"
        for label, typ in (
            ("date", "text"), ("parties", "text"), ("kind · status · axis", "text"),
            ("purpose", ""), ("evidence (trigger marked)", ""), ("confidence", "number"),
            ("published · outlet", "text"), ("source", "text"),
        )
    )
    return (
        tools
        + f'<table class="events" id="events-table"><thead><tr>{head}</tr></thead><tbody>'
        + "\n".join(rows)
        + "</tbody></table>"
        + '<script type="application/json" id="events-data">' + _events_data(data)
        + "</script>"
    )


def _inputs_section(articles: pd.DataFrame, problems: list[dict[str, str]]) -> str:
    """The inputs that gave no article: skipped and failed documents, ignored files."""
    rows = [
        (str(a["source"]), str(a["status"]), _text(a.get("error")) or "")
        for _, a in articles.iterrows()
        if str(a["status"]) != "ok"
    ]
    seen = {r[0] for r in rows}
    rows += [(p["source"], p["status"], p.get("reason") or "") for p in problems
             if p.get("source") not in seen]
    if not rows:
        return '<p class="empty">Every input was read.</p>'
    body = "".join(
        f'<tr><td class="src">{_e(src)}</td><td class="status-{_e(status)}">{_e(status)}</td>'
        f"<td>{_e(reason)}</td></tr>"
        for src, status, reason in rows
    )
    return (
        "<table class='inputs'><thead><tr><th>input</th><th>status</th><th>reason</th></tr>"
        f"</thead><tbody>{body}</tbody></table>"
    )


def axis_counts(events: pd.DataFrame) -> pd.DataFrame:
    """Events, deals and articles per axis (negated events excluded), most deals first."""
    frame = events.assign(axis=events["axis"].astype(object).fillna("single party"))
    if frame.empty:
        return pd.DataFrame(columns=["axis", "events", "deals", "articles"])
    counts = (
        frame.groupby("axis")
        .agg(
            events=("event_id", "size"),
            deals=("event_group", "nunique"),
            articles=("article_id", "nunique"),
        )
        .reset_index()
    )
    return counts.sort_values(["deals", "events", "axis"], ascending=[False, False, True])


def render_report(
    data: Dataset,
    title: str = "souverain_nlp report",
    problems: list[dict[str, str]] | None = None,
) -> str:
    """The report as one HTML string (figures embedded; no network needed to open it).

    ``problems``: the rows of ``problems.csv`` (inputs ignored by the run), listed with the
    skipped and failed articles.
    """
    events, entities, articles = data.events, data.entities, data.articles
    positive = events[events["status"].astype(object) != "negated"]
    n_negated = len(events) - len(positive)
    deals = _deals(positive)
    actors = {pid for ids in events["party_ids"] for pid in ids}
    n_ok = int((articles["status"].astype(object) == "ok").sum())

    cards = [
        (len(articles), f"articles ({n_ok} processed)"),
        (len(events), "events"),
        (events["event_group"].nunique(), "deals (event groups)"),
        (len(actors), "actors in events"),
        (
            int((deals["group_n_articles"] > 1).sum()) if len(deals) else 0,
            "deals told by 2+ articles",
        ),
    ]
    cards_html = "".join(
        f"<div class='card'><b>{v}</b><span>{_e(k)}</span></div>" for v, k in cards
    )

    left_out = f"{n_negated} negated event{'s' if n_negated != 1 else ''} left out of the figures"
    net = network_figure(positive, entities)
    net_html = (
        _img(net, "partnership network")
        if net is not None
        else '<p class="empty">No events with two or more parties: nothing to draw.</p>'
    )
    shown_note = ""
    n_actors_net = len({p for ids in positive["party_ids"] for p in ids})
    if n_actors_net > MAX_NETWORK_NODES:
        shown_note = f" Only the {MAX_NETWORK_NODES} actors in the most deals are drawn."

    palette = axis_palette(positive["axis"].astype(object).fillna("single party"))
    tl = timeline_figure(deals, palette)
    n_undated = int(deals["date_start"].isna().sum()) if len(deals) else 0
    tl_html = (
        _img(tl, "timeline of deals by month")
        if tl is not None
        else '<p class="empty">No dated deals.</p>'
    )

    counts = axis_counts(positive)
    ax_fig = axis_figure(counts, palette)
    ax_html = (
        _img(ax_fig, "deals per axis") if ax_fig is not None else '<p class="empty">No events.</p>'
    )
    if not counts.empty:
        ax_html += (
            "<table class='axes'><thead><tr><th>axis</th><th>deals</th><th>events</th>"
            "<th>articles</th></tr></thead><tbody>"
            + "".join(
                f"<tr><td>{_e(r.axis)}</td><td class='num'>{r.deals}</td>"
                f"<td class='num'>{r.events}</td><td class='num'>{r.articles}</td></tr>"
                for r in counts.itertuples()
            )
            + "</tbody></table>"
        )

    today = date.today().isoformat()
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title><style>{_CSS}</style></head>
<body><main>
<h1>{_e(title)}</h1>
<p class="sub">Partnership events between European, American and Chinese actors, extracted
from French news articles. Generated {today} by souverain-nlp {__version__}.</p>
<div class="cards">{cards_html}</div>
<section id="network"><h2>Partnership network</h2>{net_html}
<p class="note">Actors coloured by bloc and sized by number of deals; links coloured by the most
frequent kind of deal between the two, thicker (×n) when they share several deals.
{left_out}.{shown_note}</p></section>
<div class="row">
<section id="timeline"><h2>Deals by month</h2>{tl_html}
<p class="note">Each deal once, at its most precise date. Deals known to the year only are
hatched and drawn in January of that year. {n_undated} undated deal{
        "s" if n_undated != 1 else ""
    } not drawn; {left_out}.</p></section>
<section id="axes"><h2>Deals by axis</h2>{ax_html}
<p class="note">Axis = blocs of the parties (EU, US, CN, other, unknown).</p></section>
</div>
<section id="events"><h2>Events and their evidence</h2>
<p class="note">Click a column header to sort (again to reverse); filter by words or labels;
the download button writes the events shown as CSV.</p>
{_events_table(data)}</section>
<section id="inputs"><h2>Skipped, failed and ignored inputs</h2>
{_inputs_section(articles, problems or [])}</section>
</main><script>{_SCRIPT}</script></body></html>
"""


def write_report(out_dir: Path, dest: Path | None = None) -> Path:
    """Read the tables in ``out_dir`` and write the HTML report (default ``out_dir/report.html``).

    Raises FileNotFoundError (saying to run ``make run``) when the folder has no tables.
    """
    out_dir = Path(out_dir)
    data = load(out_dir)
    dest = Path(dest) if dest is not None else out_dir / REPORT_NAME
    dest.parent.mkdir(parents=True, exist_ok=True)
    page = render_report(data, problems=read_problems(out_dir))
    tmp = dest.with_name(dest.name + ".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(dest)
    return dest
