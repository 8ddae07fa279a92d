"""Tables ruled with horizontal lines only (no vertical lines, so pdfplumber's line strategy
finds no table in them), rebuilt from their rules and the positions of their text. Pure
stages on plain dicts, like :mod:`certreport.extract.page_lines`:

``rule_levels`` (drawn lines and thin rectangles -> horizontal rules, grouped by height)
-> ``rule_runs`` (levels one above the other over the same width: a table's candidates)
-> ``row_bands`` (the bands between levels that are table rows: a band whose text reaches
outside the rules, or runs across the columns the other bands show, is a paragraph
between two tables)
-> ``column_bounds`` (column edges in the empty vertical gaps of the text, at the ends of
the rules where a rule ends in such a gap)
-> ``merge_offset_columns`` (a header centred over its column and body text aligned left
leave an empty strip between them: two columns that no row fills both of, the first row
only one, are one column)
-> ``grid_cells`` (rows × columns, a cell merged downwards while the rule under it does
not cross its column: how a merged 序号/标题 cell looks when only rows are ruled).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Iterable, Sequence

from certreport.extract import page_lines
from certreport.extract.page_lines import Char, cluster_rows

BBox = tuple[float, float, float, float]


@dataclass(frozen=True)
class RuledSettings:
    """Tuning of the horizontal-rules table stage (PDF points unless said otherwise)."""

    min_levels: int = 3           # a table has at least this many rule heights (2 rows)
    min_length_ratio: float = 0.25  # a rule covers at least this share of the page width
    same_y: float = 1.5           # segments closer than this in height are one rule
    touch: float = 1.5            # segments this close end to end are one segment
    max_band_ratio: float = 0.5   # a band taller than this × page height ends a run
    col_gap: float = 4.0          # an empty vertical strip this wide separates columns
    edge_slack: float = 3.0       # text this far outside the rules is outside the table
    cross_ratio: float = 0.5      # a rule crosses a column when it covers this share of it
    line_tolerance: float = 3.0   # characters whose middles differ less share a line
    min_rows_above: int = 2       # body rows above a band that show the columns it keeps


@dataclass(frozen=True)
class Level:
    """A horizontal rule: its height and the x-intervals drawn there."""

    y: float
    segments: tuple[tuple[float, float], ...]

    @property
    def x0(self) -> float:
        return self.segments[0][0]

    @property
    def x1(self) -> float:
        return self.segments[-1][1]

    def covers(self, a: float, b: float) -> float:
        """Length of [a, b] this rule draws over."""
        total = 0  # as sum() adds: the conditionals pick what min and max would
        for s0, s1 in self.segments:
            d = (s1 if s1 < b else b) - (s0 if s0 > a else a)
            total += d if d > 0.0 else 0.0
        return total


@dataclass(frozen=True)
class RuledTable:
    """A table found from its rules: its box, column edges, and rows of cell boxes
    (None where a cell merged from above covers the grid position)."""

    bbox: BBox
    columns: tuple[float, ...]
    rows: tuple[tuple[BBox | None, ...], ...]


def rule_levels(objects: Iterable[dict], page_width: float,
                settings: RuledSettings = RuledSettings()) -> list[Level]:
    """Horizontal lines and thin filled rectangles as rules, merged by height; only rules
    long enough to border a table are kept."""
    segs: list[tuple[float, float, float]] = []
    for o in objects:
        h = abs(o["bottom"] - o["top"])
        if h <= 2.0 and o["x1"] - o["x0"] > settings.touch:
            segs.append(((o["top"] + o["bottom"]) / 2, o["x0"], o["x1"]))
    segs.sort()
    levels: list[Level] = []
    group: list[tuple[float, float, float]] = []

    def close() -> None:
        if not group:
            return
        merged: list[list[float]] = []
        for _, a, b in sorted(group, key=lambda s: s[1]):
            if merged and a <= merged[-1][1] + settings.touch:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        if sum(b - a for a, b in merged) >= settings.min_length_ratio * page_width:
            y = sum(s[0] for s in group) / len(group)
            levels.append(Level(y, tuple((a, b) for a, b in merged)))

    for s in segs:
        if group and s[0] - group[-1][0] > settings.same_y:
            close()
            group = []
        group.append(s)
    close()
    return levels


def rule_runs(levels: Sequence[Level], page_height: float,
              settings: RuledSettings = RuledSettings()) -> list[list[Level]]:
    """Consecutive rules over the same width, none too far below the last."""
    runs: list[list[Level]] = []
    for lv in levels:
        if runs:
            prev = runs[-1][-1]
            overlap = min(prev.x1, lv.x1) - max(prev.x0, lv.x0)
            shorter = min(prev.x1 - prev.x0, lv.x1 - lv.x0)
            if (lv.y - prev.y <= settings.max_band_ratio * page_height
                    and overlap >= 0.5 * shorter):
                runs[-1].append(lv)
                continue
        runs.append([lv])
    return [r for r in runs if len(r) >= settings.min_levels]


def text_spans(chars: Sequence[Char], settings: RuledSettings = RuledSettings()) -> list[tuple[float, float]]:
    """The x-intervals of the text runs of some characters: lines split at wide gaps."""
    spans: list[tuple[float, float]] = []
    for row in cluster_rows(chars, settings.line_tolerance):
        a, b = row[0]["x0"], row[0]["x1"]
        for c in row[1:]:
            if c["x0"] - b >= settings.col_gap:
                spans.append((a, b))
                a = c["x0"]
            x1 = c["x1"]
            if x1 > b:  # max(b, x1)
                b = x1
        spans.append((a, b))
    return spans


def _union(spans: Iterable[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for a, b in sorted(spans):
        if out and a < out[-1][1] + gap:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def band_chars(run: Sequence[Level], chars: Sequence[Char]) -> list[list[Char]]:
    """The characters whose middles lie between each pair of consecutive rules."""
    ys = [lv.y for lv in run]
    native = page_lines._native
    if native is not None:
        got = native.band_chars(ys, chars)
        if got is not NotImplemented:
            return got
    bands: list[list[Char]] = [[] for _ in range(len(run) - 1)]
    for c in chars:
        mid = (c["top"] + c["bottom"]) / 2
        i = bisect.bisect_left(ys, mid)
        if 0 < i < len(ys):
            bands[i - 1].append(c)
    return bands


def row_bands(run: Sequence[Level], bands: Sequence[Sequence[Char]],
              settings: RuledSettings, spans: Sequence[list[tuple[float, float]]]) -> list[bool]:
    """Which bands are table rows: text within the rules' width, and no text run that
    spans two of the columns the other bands show. ``spans``: each band's
    :func:`text_spans`."""
    x0 = min(lv.x0 for lv in run) - settings.edge_slack
    x1 = max(lv.x1 for lv in run) + settings.edge_slack
    ok = [all(c["x0"] >= x0 and c["x1"] <= x1 for c in b) for b in bands]
    result = []
    others_of = _unions_but_one(spans, ok, settings.col_gap)
    for i, mine in enumerate(spans):
        if not ok[i]:
            result.append(False)
            continue
        if others_of is not None:
            others = others_of[i]
        else:
            others = _union((s for j, sp in enumerate(spans) if j != i and ok[j] for s in sp),
                            settings.col_gap)
        result.append(not _crosses(mine, others))
    # a paragraph between two tables whose rules run on at one width ("4) 特别项:" over a
    # table of other columns): one text run across the columns the body rows above it show
    # (not the header's words, centred in wide columns), which the union with the next
    # table's text does not show, that text filling those gaps
    above: list[tuple[float, float]] = []
    body_rows = -1  # the first row of a piece is its header
    for i, mine in enumerate(spans):
        if not result[i]:
            above, body_rows = [], -1
            continue
        if body_rows >= settings.min_rows_above and len(mine) == 1 \
                and _crosses(mine, _union(above, settings.col_gap)):
            result[i] = False
            above, body_rows = [], -1
            continue
        if body_rows >= 0:
            above += mine
        body_rows += 1
    return result


def _unions_but_one(spans: Sequence[list[tuple[float, float]]], ok: Sequence[bool], gap: float
                    ) -> list[list[tuple[float, float]] | None] | None:
    """For each band ``i`` with ``ok[i]``, the :func:`_union` of the spans of the other
    ``ok`` bands (None for the others), from the unions of the bands before and after it.
    A union is the connected runs of the spans each widened to ``[a, b + gap)``, each run
    as its least start and greatest end, so the union of unions is the union of all,
    where no widened span is empty. None where one is (or is NaN) or a value is not a
    float: the caller then unites every band's spans itself."""
    if type(gap) not in (float, int) or \
            not all(type(sp) is list and all(type(s) is tuple and len(s) == 2 for s in sp)
                    for sp in spans) or \
            not all(type(a) is float and type(b) is float and a < b + gap
                    for sp in spans for a, b in sp):
        return None
    n = len(spans)
    before: list[list[tuple[float, float]]] = []
    acc: list[tuple[float, float]] = []
    for i in range(n):
        before.append(acc)
        if ok[i]:
            acc = _union(acc + spans[i], gap)
    out: list[list[tuple[float, float]] | None] = [None] * n
    acc = []
    for i in range(n - 1, -1, -1):
        if ok[i]:
            out[i] = _union(before[i] + acc, gap)
            acc = _union(acc + spans[i], gap)
    return out


def _crosses(mine: Sequence[tuple[float, float]], columns: Sequence[tuple[float, float]]) -> bool:
    """Whether one of the text runs ``mine`` overlaps two of ``columns``."""
    for s0, s1 in mine:  # min(s1, b) - max(s0, a) as conditionals (a per-pair hot loop)
        hits = 0
        for a, b in columns:
            if (b if b < s1 else s1) - (a if a > s0 else s0) > 1.0:
                hits += 1
                if hits >= 2:
                    return True
    return False


def column_bounds(levels: Sequence[Level], spans: Sequence[tuple[float, float]],
                  prior: Sequence[float] | None = None,
                  settings: RuledSettings = RuledSettings()) -> tuple[float, ...]:
    """Column edges: the table's outer edges, and one edge in each empty vertical strip
    of its text (where a rule ends in the strip, there; else in its middle). ``prior``,
    the edges of the same table's piece on the previous page, is kept when it fits this
    piece's text, so that a page whose columns are partly empty keeps the grid."""
    left, right = min(lv.x0 for lv in levels), max(lv.x1 for lv in levels)
    text = _union(spans, settings.col_gap)
    ends = sorted({round(x, 1) for lv in levels for s in lv.segments for x in s
                   if left + settings.edge_slack < x < right - settings.edge_slack})
    gaps = [(left, text[0][0] if text else right, False)]
    gaps += [(a[1], b[0], True) for a, b in zip(text, text[1:])]
    if text:
        gaps.append((text[-1][1], right, False))
    if prior is not None and len(prior) >= 2 and abs(prior[0] - left) <= settings.edge_slack \
            and abs(prior[-1] - right) <= settings.edge_slack:
        inner = prior[1:-1]
        fits = all(any(g0 <= x <= g1 for g0, g1, _ in gaps) for x in inner)
        every = all(any(g0 <= x <= g1 for x in inner) for g0, g1, between in gaps if between)
        if fits and every:
            return (left, *inner, right)
    bounds = [left]
    for g0, g1, between in gaps:
        here = [x for x in ends if g0 <= x <= g1]
        if here:
            for x in here:
                if x - bounds[-1] >= settings.col_gap:
                    bounds.append(x)
        elif between:
            bounds.append((g0 + g1) / 2)
    if right - bounds[-1] < settings.col_gap and len(bounds) > 1:
        bounds.pop()
    bounds.append(right)
    return tuple(bounds)


def merge_offset_columns(bounds: Sequence[float], band_spans: Sequence[Sequence[tuple[float, float]]]
                         ) -> tuple[float, ...]:
    """Drop the edge between two neighbouring columns when no band has text in both and the
    first band (the header) has text in exactly one: a header word and its column's values
    that do not overlap (centred header, left-aligned values) are one column."""
    def filled(spans: Sequence[tuple[float, float]], a: float, b: float) -> bool:
        for s0, s1 in spans:  # min(s1, b) - max(s0, a) > 1.0
            if (b if b < s1 else s1) - (a if a > s0 else s0) > 1.0:
                return True
        return False

    out = list(bounds)
    k = 1
    while k < len(out) - 1 and band_spans:
        a, m, b = out[k - 1], out[k], out[k + 1]
        occupancy = [(filled(sp, a, m), filled(sp, m, b)) for sp in band_spans]
        head = occupancy[0]
        if head[0] != head[1] and not any(x and y for x, y in occupancy) \
                and any(x for x, _ in occupancy[1:]) != any(y for _, y in occupancy[1:]):
            del out[k]
            continue
        k += 1
    return tuple(out)


def grid_cells(levels: Sequence[Level], bounds: Sequence[float],
               settings: RuledSettings = RuledSettings()) -> tuple[tuple[BBox | None, ...], ...]:
    """Cell boxes row by row; a cell extends down over the rules that do not cross its
    column and stands in its first row (None below it)."""
    n_rows, n_cols = len(levels) - 1, len(bounds) - 1
    grid: list[list[BBox | None]] = [[None] * n_cols for _ in range(n_rows)]
    for k in range(n_cols):
        a, b = bounds[k], bounds[k + 1]
        start = 0
        for i in range(n_rows):
            below = levels[i + 1]
            last = i == n_rows - 1
            if last or below.covers(a, b) >= settings.cross_ratio * (b - a):
                grid[start][k] = (a, levels[start].y, b, below.y)
                start = i + 1
    return tuple(tuple(r) for r in grid)


def ruled_tables(objects: Iterable[dict], chars: Sequence[Char], page_width: float,
                 page_height: float, taken: Sequence[BBox] = (),
                 prior: Sequence[float] | None = None,
                 settings: RuledSettings = RuledSettings()) -> list[RuledTable]:
    """Every table of a page that only horizontal rules draw. Rules inside ``taken``
    (tables found otherwise) are left out; ``prior`` is the column edges of the last such
    table on the previous page (see :func:`column_bounds`)."""
    def free(lv: Level) -> bool:
        return not any(t[0] - 2 <= lv.x0 and lv.x1 <= t[2] + 2 and t[1] - 2 <= lv.y <= t[3] + 2
                       for t in taken)

    levels = [lv for lv in rule_levels(objects, page_width, settings) if free(lv)]
    tables: list[RuledTable] = []
    for run in rule_runs(levels, page_height, settings):
        bands = band_chars(run, chars)
        band_spans = [text_spans(b, settings) for b in bands]
        is_row = row_bands(run, bands, settings, band_spans)
        i = 0
        while i < len(is_row):
            if not is_row[i]:
                i += 1
                continue
            j = i
            while j < len(is_row) and is_row[j]:
                j += 1
            piece = run[i:j + 1]
            if len(piece) >= settings.min_levels:
                spans = [s for sp in band_spans[i:j] for s in sp]
                bounds = column_bounds(piece, spans, prior, settings)
                bounds = merge_offset_columns(bounds, band_spans[i:j])
                rows = grid_cells(piece, bounds, settings)
                tables.append(RuledTable((bounds[0], piece[0].y, bounds[-1], piece[-1].y),
                                         bounds, rows))
                prior = bounds
            i = j
    return tables
