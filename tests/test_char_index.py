"""A table's cells take the page's characters row by row (``_CharIndex.take_rows``)
exactly as cell-by-cell look-ups (:func:`take`, the plain definition) do: the same
characters, in the same order, each in one cell only — also for characters on a shared
border, in merged cells and already taken by an earlier table."""
from __future__ import annotations

import random

import pytest

from certreport.extract.page_blocks import _CharIndex


def take(index: _CharIndex, bbox: tuple, slack: float = 0.5) -> list[dict]:
    """The characters not yet taken whose centre lies in ``bbox``, in the order of
    middles; marks them taken (one cell at a time, by scanning its band)."""
    got = []
    for k, i in enumerate(index.order):
        mid = index.mids[k]
        if i not in index.taken and bbox[1] - slack <= mid <= bbox[3] + slack \
                and bbox[0] - slack <= index.xs[i] <= bbox[2] + slack:
            got.append(index.chars[i])
            index.taken.add(i)
    return got


def _chars(rng: random.Random, n: int) -> list[dict]:
    out = []
    for _ in range(n):
        x, y = rng.choice([rng.uniform(0, 400), float(rng.randint(0, 40) * 10)]), \
            rng.choice([rng.uniform(0, 300), float(rng.randint(0, 30) * 10)])
        w, h = rng.choice([0.0, 2.0, 6.0]), rng.choice([0.0, 4.0, 10.0])
        out.append({"text": "字", "x0": x - w / 2, "x1": x + w / 2, "top": y - h / 2,
                    "bottom": y + h / 2})
    return out


def _grid(rng: random.Random) -> list[list[tuple | None]]:
    xs = sorted({float(rng.randint(0, 40) * 10) for _ in range(rng.randint(2, 6))})
    ys = sorted({float(rng.randint(0, 30) * 10) for _ in range(rng.randint(2, 8))})
    rows = [[(a, t, b, u) for a, b in zip(xs, xs[1:])] for t, u in zip(ys, ys[1:])]
    for r in range(len(rows) - 1):  # merge some cells down over the next row
        for c in range(len(rows[r])):
            if rows[r][c] is not None and rng.random() < 0.2:
                a, t, b, _ = rows[r][c]
                rows[r][c] = (a, t, b, rows[r + 1][c][3] if rows[r + 1][c] else ys[r + 2])
                rows[r + 1][c] = None
    return rows


@pytest.mark.parametrize("seed", range(40))
def test_rows_take_what_cells_take(seed: int):
    rng = random.Random(seed)
    chars = _chars(rng, rng.randint(0, 300))
    grids = [_grid(rng) for _ in range(rng.randint(1, 3))]
    one, rows = _CharIndex(chars), _CharIndex(chars)
    for grid in grids:
        want = [[None if cell is None else take(one, cell) for cell in row] for row in grid]
        assert rows.take_rows(grid) == want
    assert one.taken == rows.taken
    assert rows.free() == one.free()
