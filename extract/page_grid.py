"""Tables drawn with a full grid of lines, found from a page's shapes.

The stages and their arithmetic are pdfplumber's ``lines`` table strategy (pdfplumber
0.11, MIT licence: ``table.py`` and ``utils/geometry.py``, ``utils/clustering.py``),
carried over so the PDF reader needs no PDF library's Python layer at run time and gives
the same cells in the same order (``tests/test_page_grid.py`` compares both on every
committed PDF page and on generated shapes):

shapes -> edges (a line is one edge, a rectangle four, a curve one per segment)
-> edges of at least ``edge_min_length_prefilter`` -> snapped (edges within the snap
tolerance of one another moved to their mean) -> joined (collinear edges closer than the
join tolerance made one) -> edges of at least ``edge_min_length`` -> intersections
-> cells (the smallest rectangle whose corners are intersections joined by common edges)
-> tables (cells sharing a corner) -> rows of cells (None where a merged cell covers the
position).

An edge is a small dict: ``o`` (orientation ``h``/``v``; ``None`` for a slanted curve
segment), ``x0, x1, top, bottom, width, height``.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Iterable

BBox = tuple[float, float, float, float]
Edge = dict


@dataclass(frozen=True)
class GridSettings:
    """The tolerances of the grid stages (PDF points), as pdfplumber names them."""

    snap_x_tolerance: float = 3
    snap_y_tolerance: float = 3
    join_x_tolerance: float = 3
    join_y_tolerance: float = 3
    edge_min_length: float = 3
    edge_min_length_prefilter: float = 1
    intersection_x_tolerance: float = 3
    intersection_y_tolerance: float = 3


# ------------------------------------------------------------------ shapes -> edges


def shape_edges(shapes: Iterable[dict]) -> list[Edge]:
    """The edges of lines, rectangles and curves (page-model dicts), in their order."""
    out: list[Edge] = []
    append = out.append
    for s in shapes:
        kind = s["object_type"]
        if kind == "line":
            append({"o": "h" if s["top"] == s["bottom"] else "v", "x0": s["x0"], "x1": s["x1"],
                    "top": s["top"], "bottom": s["bottom"], "width": s["width"],
                    "height": s["height"]})
        elif kind == "rect":
            x0, x1, top, bottom, width, height = (s["x0"], s["x1"], s["top"], s["bottom"],
                                                  s["width"], s["height"])
            append({"o": "h", "x0": x0, "x1": x1, "top": top, "bottom": top, "width": width,
                    "height": 0})
            append({"o": "h", "x0": x0, "x1": x1, "top": top + height, "bottom": bottom,
                    "width": width, "height": 0})
            append({"o": "v", "x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0,
                    "height": height})
            append({"o": "v", "x0": x1, "x1": x1, "top": top, "bottom": bottom, "width": 0,
                    "height": height})
        else:  # a curve: one edge per segment
            pts = s["pts"]
            for (ax, ay), (bx, by) in zip(pts, pts[1:]):
                append({"o": "v" if ax == bx else ("h" if ay == by else None),
                        "x0": min(ax, bx), "x1": max(ax, bx), "top": min(ay, by),
                        "bottom": max(ay, by), "width": abs(ax - bx), "height": abs(ay - by)})
    return out


def long_enough(edges: Iterable[Edge], min_length: float, orientation: str | None = None
                ) -> list[Edge]:
    """Edges (of one orientation, when given) at least ``min_length`` long."""
    return [e for e in edges if (orientation is None or e["o"] == orientation)
            and e["height" if e["o"] == "v" else "width"] >= min_length]


# ------------------------------------------------------------------ snap and join


def _clusters(values: list[float], tolerance: float) -> dict[float, int]:
    """Each distinct value -> its cluster's number: sorted values chained while each is
    within ``tolerance`` of the one before."""
    out: dict[float, int] = {}
    group, last = 0, None
    for v in sorted(set(values)):
        if last is not None and not (tolerance and v <= last + tolerance):
            group += 1
        out[v] = group
        last = v
    return out


def _snap(edges: list[Edge], attr: str, tolerance: float) -> list[Edge]:
    """Edges grouped by ``attr`` (x0 of vertical edges, top of horizontal ones) and each
    group moved to the group's mean, group by group."""
    cluster = _clusters([e[attr] for e in edges], tolerance)
    ordered = sorted(edges, key=lambda e: cluster[e[attr]])
    out: list[Edge] = []
    lo, hi = ("x0", "x1") if attr == "x0" else ("top", "bottom")
    for _, members in groupby(ordered, key=lambda e: cluster[e[attr]]):
        members = list(members)
        mean = sum(e[attr] for e in members) / len(members)
        for e in members:
            shift = mean - e[attr]
            out.append({**e, lo: e[lo] + shift, hi: e[hi] + shift})
    return out


def _join(edges: list[Edge], orientation: str, tolerance: float) -> list[Edge]:
    """Edges on one line joined where one starts within ``tolerance`` of the last's end."""
    lo, hi, length = ("x0", "x1", "width") if orientation == "h" else ("top", "bottom", "height")
    ordered = sorted(edges, key=itemgetter(lo))
    joined = [ordered[0]]
    for e in ordered[1:]:
        last = joined[-1]
        if e[lo] <= last[hi] + tolerance:
            if e[hi] > last[hi]:
                if orientation == "h":
                    joined[-1] = {**last, hi: e[hi], length: e[hi] - last[lo]}
                else:
                    joined[-1] = {**last, hi: e[hi], length: last[length] + (e[hi] - last[hi])}
        else:
            joined.append(e)
    return joined


def merge_edges(edges: list[Edge], s: GridSettings) -> list[Edge]:
    """Snapped, then joined along each line (vertical lines by x, horizontal by top)."""
    if s.snap_x_tolerance > 0 or s.snap_y_tolerance > 0:
        edges = (_snap([e for e in edges if e["o"] == "v"], "x0", s.snap_x_tolerance)
                 + _snap([e for e in edges if e["o"] == "h"], "top", s.snap_y_tolerance))

    def line_of(e: Edge) -> tuple[str, float]:
        return ("h", e["top"]) if e["o"] == "h" else ("v", e["x0"])

    out: list[Edge] = []
    for (orientation, _), group in groupby(sorted(edges, key=line_of), key=line_of):
        out.extend(_join(list(group), orientation,
                         s.join_x_tolerance if orientation == "h" else s.join_y_tolerance))
    return out


# ------------------------------------------------------------------ cells and tables


def _box(e: Edge) -> BBox:
    return (e["x0"], e["top"], e["x1"], e["bottom"])


def intersections(edges: list[Edge], x_tolerance: float, y_tolerance: float
                  ) -> dict[tuple[float, float], tuple[set[BBox], set[BBox]]]:
    """Where vertical and horizontal edges cross (within the tolerances): point ->
    (boxes of its vertical edges, boxes of its horizontal edges)."""
    vs = sorted((e for e in edges if e["o"] == "v"), key=itemgetter("x0", "top"))
    hs = sorted((e for e in edges if e["o"] == "h"), key=itemgetter("top", "x0"))
    # the tolerances added to the horizontal edge's coordinates, as pdfplumber compares
    h_limits = [(h["top"], h["top"] + y_tolerance, h["top"] - y_tolerance, h["x0"] - x_tolerance,
                 h["x1"] + x_tolerance, _box(h)) for h in hs]
    out: dict[tuple[float, float], tuple[set[BBox], set[BBox]]] = {}
    for v in vs:
        x, v_top, v_bottom, vbox = v["x0"], v["top"], v["bottom"], _box(v)
        for top, below, above, left, right, hbox in h_limits:
            if v_top <= below and v_bottom >= above and left <= x <= right:
                point = (x, top)
                got = out.get(point)
                if got is None:
                    got = out[point] = (set(), set())
                got[0].add(vbox)
                got[1].add(hbox)
    return out


def intersections_to_cells(points_edges: dict[tuple[float, float], tuple[set[BBox], set[BBox]]]
                           ) -> list[BBox]:
    """Each intersection's smallest cell: the nearest points below and to the right
    joined to it by a common edge, whose corner is an intersection joined to both. The
    points of a column and of a row are looked up instead of searched."""
    points = sorted(points_edges)
    column: dict[float, list] = {}
    row: dict[float, list] = {}
    at: dict[tuple[float, float], tuple[int, int]] = {}  # point -> its places in both
    for p in points:  # in (x, top) order: a column top-down, a row left to right
        col, line = column.setdefault(p[0], []), row.setdefault(p[1], [])
        at[p] = (len(col), len(line))
        col.append(p)
        line.append(p)

    if any(x != x or top != top for x, top in points):  # a NaN: the general comparisons
        return _cells_of_any_points(points_edges, points, column, row, at)
    # Two points are joined when they share an edge: points of one column (the same x,
    # so not the same top) a vertical one, points of one row a horizontal one. A point
    # below pt is in its column, one right of it in its row, and the corner is in the
    # column of the one and the row of the other.
    cells = []
    for pt in points:
        i, j = at[pt]
        pt_v, pt_h = points_edges[pt]
        found = None
        joined_right: list | None = None  # the points right of pt joined to it, once
        for below_pt in column[pt[0]][i + 1:]:
            below_v, below_h = points_edges[below_pt]
            if pt_v.isdisjoint(below_v):
                continue
            if joined_right is None:
                joined_right = [q for q in row[pt[1]][j + 1:]
                                if not pt_h.isdisjoint(points_edges[q][1])]
            for right_pt in joined_right:
                corner = (right_pt[0], below_pt[1])
                at_corner = points_edges.get(corner)
                if at_corner is not None \
                        and not at_corner[0].isdisjoint(points_edges[right_pt][0]) \
                        and not at_corner[1].isdisjoint(below_h):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _cells_of_any_points(points_edges, points, column, row, at) -> list[BBox]:
    """:func:`intersections_to_cells` comparing the points' coordinates as pdfplumber
    does (a NaN equals nothing, not even itself)."""
    def connects(p1, p2) -> bool:
        return bool((p1[0] == p2[0] and not points_edges[p1][0].isdisjoint(points_edges[p2][0]))
                    or (p1[1] == p2[1]
                        and not points_edges[p1][1].isdisjoint(points_edges[p2][1])))

    cells = []
    for pt in points:
        i, j = at[pt]
        below = column[pt[0]][i + 1:]
        right = row[pt[1]][j + 1:]
        found = None
        joined_right: list | None = None  # the points right of pt joined to it, once
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            if joined_right is None:
                joined_right = [q for q in right if connects(pt, q)]
            for right_pt in joined_right:
                corner = (right_pt[0], below_pt[1])
                if corner in points_edges and connects(corner, right_pt) \
                        and connects(corner, below_pt):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def cells_to_tables(cells: list[BBox]) -> list[list[BBox]]:
    """Cells grouped into tables of cells touching at a corner, top to bottom then left to
    right; tables of a single cell dropped."""
    def corners(c: BBox) -> tuple:
        x0, top, x1, bottom = c
        return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))

    remaining = list(cells)
    current_corners: set = set()
    current: list[BBox] = []
    tables: list[list[BBox]] = []
    corners_of = {id(c): corners(c) for c in cells}  # (each cell's, made once)
    while remaining:
        before = len(current)
        for cell in list(remaining):
            cs = corners_of[id(cell)]
            if not current or not current_corners.isdisjoint(cs):
                current_corners |= set(cs)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            tables.append(list(current))
            current_corners.clear()
            current.clear()
    if current:
        tables.append(list(current))
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def table_rows(cells: list[BBox]) -> list[list[BBox | None]]:
    """A table's rows: cells by top, each row over every column start of the table."""
    xs = sorted({c[0] for c in cells})
    rows = []
    for _, row_cells in groupby(sorted(cells, key=itemgetter(1, 0)), key=itemgetter(1)):
        by_x = {c[0]: c for c in row_cells}
        rows.append([by_x.get(x) for x in xs])
    return rows


def grid_tables(shapes: Iterable[dict], settings: GridSettings = GridSettings()
                ) -> list[tuple[BBox, list[list[BBox | None]]]]:
    """Each grid table's box and its rows of cell boxes (see the module docstring)."""
    edges = shape_edges(shapes)
    v = long_enough(edges, settings.edge_min_length_prefilter, "v")
    h = long_enough(edges, settings.edge_min_length_prefilter, "h")
    if not v or not h:
        return []
    merged = long_enough(merge_edges(v + h, settings), settings.edge_min_length)
    points = intersections(merged, settings.intersection_x_tolerance,
                           settings.intersection_y_tolerance)
    out = []
    for cells in cells_to_tables(intersections_to_cells(points)):
        bbox = (min(c[0] for c in cells), min(c[1] for c in cells),
                max(c[2] for c in cells), max(c[3] for c in cells))
        rows = table_rows(cells)
        if rows:
            out.append((bbox, rows))
    return out
