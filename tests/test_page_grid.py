"""The grid-table stages (extract/page_grid.py) give pdfplumber's cells, in its order: on
every page of the committed PDFs and on generated grids (merged cells, jittered and broken
rules, rectangles, curves, stray marks)."""
from __future__ import annotations

import random
from pathlib import Path

import pytest

from certreport.extract.page_grid import grid_tables
from certreport.extract.pdf_pdfium import PdfFile

ROOT = Path(__file__).resolve().parent.parent
PDFS = sorted(p for p in (ROOT / "data" / "samples").rglob("*.pdf"))


def pdfplumber_grid(shapes: list[dict], settings: dict) -> list:
    """pdfplumber's own ``lines`` strategy stages on the same shapes (the reference)."""
    from pdfplumber.table import (Table, TableSettings, cells_to_tables, edges_to_intersections,
                                  intersections_to_cells, merge_edges)
    from pdfplumber.utils import filter_edges, obj_to_edges

    s = TableSettings.resolve(settings)
    edges = [e for o in shapes for e in obj_to_edges(o)]
    v = filter_edges(edges, "v", min_length=s.edge_min_length_prefilter)
    h = filter_edges(edges, "h", min_length=s.edge_min_length_prefilter)
    if not v or not h:
        return []
    merged = merge_edges(v + h, snap_x_tolerance=s.snap_x_tolerance,
                         snap_y_tolerance=s.snap_y_tolerance,
                         join_x_tolerance=s.join_x_tolerance, join_y_tolerance=s.join_y_tolerance)
    merged = filter_edges(merged, min_length=s.edge_min_length)
    points = edges_to_intersections(merged, s.intersection_x_tolerance,
                                    s.intersection_y_tolerance)
    out = []
    for group in cells_to_tables(intersections_to_cells(points)):
        table = Table(None, group)  # type: ignore[arg-type]
        rows = [list(row.cells) for row in table.rows]
        if rows:
            out.append((tuple(table.bbox), rows))
    return out


SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines",
            "snap_tolerance": 3, "join_tolerance": 3, "intersection_tolerance": 3}


def _shapes(page) -> list[dict]:
    return page.rects + page.curves + page.lines


def test_same_tables_on_every_committed_pdf_page():
    pages = tables = 0
    for path in PDFS:
        try:
            pdf = PdfFile(path.read_bytes())
        except ValueError:
            continue
        with pdf:
            for i in range(pdf.page_count()):
                page = pdf.read(i)
                want = pdfplumber_grid(_shapes(page), SETTINGS)
                assert grid_tables(_shapes(page)) == want, (path.name, i + 1)
                pages += 1
                tables += len(want)
    assert pages > 150 and tables > 50


def _line(x0, top, x1, bottom, width=0.5) -> dict:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "doctop": top, "y0": 842 - bottom, "y1": 842 - top, "width": x1 - x0,
            "height": bottom - top, "linewidth": width}


def _rect(x0, top, x1, bottom) -> dict:
    return {"object_type": "rect", "x0": x0, "x1": x1, "top": top, "bottom": bottom,
            "doctop": top, "y0": 842 - bottom, "y1": 842 - top, "width": x1 - x0,
            "height": bottom - top}


def _curve(pts) -> dict:
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return {"object_type": "curve", "x0": min(xs), "x1": max(xs), "top": min(ys),
            "bottom": max(ys), "doctop": min(ys), "y0": 842 - max(ys), "y1": 842 - min(ys),
            "width": max(xs) - min(xs), "height": max(ys) - min(ys), "pts": pts}


def random_grid(rng: random.Random) -> list[dict]:
    """A table or two of rules: jittered (snap), broken into pieces (join), some cells
    merged (missing inner rules), drawn as lines, thin rectangles or curves, plus marks."""
    shapes: list[dict] = []
    for _ in range(rng.randint(1, 2)):
        left, top = rng.uniform(30, 120), rng.uniform(30, 400)
        xs = [left]
        for _ in range(rng.randint(2, 7)):
            xs.append(xs[-1] + rng.uniform(15, 120))
        ys = [top]
        for _ in range(rng.randint(2, 12)):
            ys.append(ys[-1] + rng.uniform(8, 40))

        def j() -> float:
            return rng.choice([0.0, 0.0, rng.uniform(-2.5, 2.5), rng.uniform(-4, 4)])

        for k, y in enumerate(ys):  # horizontal rules, some broken into pieces
            inner = 0 < k < len(ys) - 1
            for a, b in zip(xs, xs[1:]):
                if inner and rng.random() < 0.12:
                    continue  # a merged cell: no rule here
                yy = y + j()
                kind = rng.random()
                if kind < 0.6:
                    shapes.append(_line(a + j(), yy, b + j(), yy))
                elif kind < 0.85:
                    shapes.append(_rect(a + j(), yy - 0.25, b + j(), yy + 0.25))
                else:
                    shapes.append(_curve([(a, yy), ((a + b) / 2, yy), (b, yy)]))
        for k, x in enumerate(xs):
            inner = 0 < k < len(xs) - 1
            for a, b in zip(ys, ys[1:]):
                if inner and rng.random() < 0.12:
                    continue
                xx = x + j()
                if rng.random() < 0.7:
                    shapes.append(_line(xx, a + j(), xx, b + j()))
                else:
                    shapes.append(_rect(xx - 0.25, a + j(), xx + 0.25, b + j()))
    for _ in range(rng.randint(0, 6)):  # check boxes, a slanted stroke, a dot
        x, y, size = rng.uniform(20, 500), rng.uniform(20, 800), rng.uniform(0.5, 12)
        pick = rng.random()
        if pick < 0.5:
            shapes.append(_rect(x, y, x + size, y + size))
        elif pick < 0.8:
            shapes.append(_curve([(x, y), (x + size, y + size), (x + 2 * size, y)]))
        else:
            shapes.append(_line(x, y, x + size, y + size))
    rng.shuffle(shapes)
    return shapes


@pytest.mark.parametrize("seed", range(60))
def test_same_tables_on_generated_grids(seed: int):
    shapes = random_grid(random.Random(seed))
    assert grid_tables(shapes) == pdfplumber_grid(shapes, SETTINGS)


def test_no_table_without_both_directions():
    assert grid_tables([_line(10, 10, 200, 10), _line(10, 30, 200, 30)]) == []
    assert grid_tables([]) == []


def test_a_two_by_two_grid_with_a_merged_cell():
    shapes = [_line(10, 10, 210, 10), _line(10, 30, 110, 30), _line(10, 50, 210, 50),
              _line(10, 10, 10, 50), _line(110, 10, 110, 50), _line(210, 10, 210, 50)]
    (bbox, rows), = grid_tables(shapes)
    assert bbox == (10, 10, 210, 50)
    assert rows == [[(10, 10, 110, 30), (110, 10, 210, 50)], [(10, 30, 110, 50), None]]
