"""Pure layout stages for PDF pages, on plain dicts of characters (pdfplumber's shape:
``text, x0, x1, top, bottom, size, fontname``), the part of the PDF reader that needs no
file and is easy to test:

``group_lines`` (characters -> lines, spaces only where the gap is wide)
-> ``join_wrapped`` (lines -> paragraphs: a line the next word did not fit on continues
on the next line, joined without a space inside CJK text or after a hyphen)
-> ``cell_text`` (the lines of a table cell, wrapped lines joined, paragraphs on lines);
``running_lines`` finds headers and footers repeated in the margins of several pages.
"""
from __future__ import annotations

import unicodedata
from operator import itemgetter
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

from certreport.extract.running import repeated_edge_keys

Char = dict


@dataclass(frozen=True)
class LayoutSettings:
    """Tuning of line building (in PDF points unless said otherwise)."""

    line_tolerance: float = 3.0    # characters whose middles differ less share a line
    space_ratio: float = 0.45      # a gap wider than this × font size becomes a space
    margin_ratio: float = 0.09     # top/bottom share of the page where running texts live
    running_min_pages: int = 2     # a margin line repeated on this many pages is running
    # wrapped lines: the next line's first word would have overflowed the previous line
    # (by more than wrap_slack), the lines are closer than wrap_gap_ratio × font size, and
    # the next line starts no further right than indent_ratio × font size
    wrap_slack: float = 1.0
    wrap_gap_ratio: float = 0.6
    indent_ratio: float = 3.0


class Line(NamedTuple):
    """A line of text on a page and its box (a named tuple: made for every line and cell
    of every page)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float = 10.0   # the line's largest font size
    lead: float = 0.0    # width of its first word (one CJK character, or a Latin word)


def _wide(ch: str) -> bool:
    """CJK characters and full-width punctuation: text that wraps anywhere, no spaces."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def cluster_rows(chars: Iterable[Char], tolerance: float) -> list[list[Char]]:
    """Characters grouped by vertical middle (within ``tolerance`` of a row's first, in
    the order of middles), each group by x (ties in the order of middles, then input)."""
    chars = chars if isinstance(chars, list) else list(chars)
    if _native is not None:
        got = _native.cluster_rows(chars, tolerance)
        if got is not NotImplemented:
            return got
    return cluster_rows_reference(chars, tolerance)


def cluster_rows_reference(chars: list[Char], tolerance: float) -> list[list[Char]]:
    """:func:`cluster_rows` in Python: the definition the C extension reproduces, and
    what runs where it is not built or does not take the input."""
    if not chars:
        return []
    mids = [(c["top"] + c["bottom"]) / 2 for c in chars]
    if min(mids) == max(mids):  # one line (the usual cell): by x, ties in input order
        return [sorted(chars, key=_X0)]
    order = sorted(range(len(chars)), key=mids.__getitem__)
    rows: list[list[Char]] = []
    row: list[Char] = []
    last = mids[order[0]]
    for i in order:
        mid = mids[i]
        if mid - last <= tolerance:
            row.append(chars[i])
        else:
            rows.append(row)
            row = [chars[i]]
            last = mid
    rows.append(row)
    for row in rows:
        if len(row) > 1:
            row.sort(key=_X0)
    return rows


_X0 = itemgetter("x0")


def group_lines(chars: Iterable[Char], settings: LayoutSettings = LayoutSettings()) -> list[Line]:
    """Cluster characters into lines by vertical middle, then order each by x."""
    chars = chars if isinstance(chars, list) else list(chars)
    if _native is not None:
        got = _native.group_lines(chars, settings.line_tolerance, settings.space_ratio)
        if got is not NotImplemented:
            return got
    return group_lines_reference(chars, settings)


def group_lines_reference(chars: list[Char], settings: LayoutSettings = LayoutSettings()
                          ) -> list[Line]:
    """:func:`group_lines` in Python (see :func:`cluster_rows_reference`)."""
    return [_line(r, settings) for r in cluster_rows_reference(chars, settings.line_tolerance)
            if r]


# line-breaking rules (kinsoku): a line does not start with closing punctuation nor end
# with an opening bracket, so such characters travel with their neighbour to the next line
NO_START = set("、。，．,.：:；;？?！!）)》」』】〕〉”’%％·…—～")
NO_END = set("（(《「『【〔〈“‘")
_BREAK_AFTER = ("-", "/", "－", "—")


def _can_break(a: str, b: str, gap: bool) -> bool:
    """Whether a line may wrap between characters ``a`` and ``b``."""
    if b in NO_START or a in NO_END:
        return False
    return gap or _wide(a) or _wide(b) or a in _BREAK_AFTER


def _line(chars: Sequence[Char], settings: LayoutSettings) -> Line:
    """One line from characters already in x order (:func:`cluster_rows`)."""
    first = chars[0]
    top, bottom, x1 = first["top"], first["bottom"], first["x1"]
    size = max(first.get("size") or 0.0, 0.0)
    if len(chars) == 1:
        return Line(first["text"].strip(), first["x0"], top, x1, bottom, size or 10.0,
                    x1 - first["x0"])
    out = [first["text"]]
    append = out.append
    lead_end = None  # where the line's first word ends: its first break opportunity
    ratio = settings.space_ratio
    prev_x1, prev_text = x1, first["text"]
    for c in chars[1:]:
        s = c.get("size") or 0.0
        text = c["text"]
        width = s or 10.0  # a gap is measured in the character's size (at least 1 pt)
        gap = c["x0"] - prev_x1 > ratio * (width if width > 1.0 else 1.0)
        if gap:
            append(" ")
        if lead_end is None and _can_break(prev_text[-1:], text[:1], gap):
            lead_end = prev_x1
        append(text)
        if s > size:
            size = s
        c_top, c_bottom, prev_x1 = c["top"], c["bottom"], c["x1"]
        if c_top < top:
            top = c_top
        if c_bottom > bottom:
            bottom = c_bottom
        if prev_x1 > x1:
            x1 = prev_x1
        prev_text = text
    x0 = first["x0"]
    if lead_end is None:
        lead_end = chars[-1]["x1"]
    return Line("".join(out).strip(), x0, top, x1, bottom, size or 10.0, lead_end - x0)


def _load_native():
    """The C extension of the per-character loops (``extract/_layout.c``), None where it
    is not built or is stale; tests switch it off by setting ``page_lines._native`` to
    None."""
    from certreport.extract.native import load

    _layout = load("_layout")  # (None too where the build is older than its source)
    if _layout is None:
        return None
    _layout.setup(Line, NO_START, NO_END, _BREAK_AFTER, unicodedata.east_asian_width)
    return _layout


_native = _load_native()


def lines_text(lines: Sequence[Line]) -> str:
    """Lines joined with line breaks (empty lines dropped)."""
    return "\n".join(line.text for line in lines if line.text)


# ---------------------------------------------------------------- wrapped lines


def joiner(prev: str, nxt: str) -> str:
    """What stood at a line wrap: nothing inside CJK text or after a hyphen or slash
    (codes such as ``0029-2023-SE-2024`` break there), a space between Latin words."""
    if not prev or not nxt:
        return ""
    if _wide(prev[-1]) or _wide(nxt[0]) or prev.endswith(_BREAK_AFTER):
        return ""
    return " "


def wraps(prev: Line, nxt: Line, right: float, settings: LayoutSettings = LayoutSettings(),
          same_page: bool = True) -> str | None:
    """The joiner when ``nxt`` continues ``prev`` (its first word did not fit on ``prev``,
    whose text runs up to ``right``); None when the break was a paragraph's end. Across a
    page break (``same_page`` False) the lines' heights are not compared."""
    if not prev.text or not nxt.text:
        return None
    size = max(prev.size, nxt.size)
    if same_page and (nxt.top - prev.bottom > settings.wrap_gap_ratio * size
                      or nxt.top < prev.top):
        return None
    if nxt.x0 > prev.x0 + settings.indent_ratio * size:
        return None
    glue = joiner(prev.text, nxt.text)
    need = nxt.lead + (settings.space_ratio * size if glue else 0.0)
    if prev.x1 + need <= right - settings.wrap_slack:
        return None
    return glue


def join_wrapped(lines: Sequence[Line], right: float,
                 settings: LayoutSettings = LayoutSettings()) -> list[Line]:
    """Lines (in reading order) merged into paragraphs where they wrap; the merged line's
    box covers its pieces and its text is joined by :func:`joiner`."""
    out: list[Line] = []
    last: Line | None = None  # the last physical line of the open paragraph
    for line in lines:
        glue = wraps(last, line, right, settings) if last is not None and out else None
        if glue is None:
            out.append(line)
        else:
            p = out[-1]
            out[-1] = Line(p.text + glue + line.text, min(p.x0, line.x0), p.top,
                           max(p.x1, line.x1), line.bottom, max(p.size, line.size), p.lead)
        last = line
    return out


def cell_text(lines: Sequence[Line], bbox: tuple[float, float, float, float],
              settings: LayoutSettings = LayoutSettings()) -> str:
    """A table cell's text: wrapped lines joined, its paragraphs on separate lines. The
    cell's inner right edge is estimated from its box and its text's left padding."""
    lines = [line for line in lines if line.text]
    if len(lines) < 2:  # the usual cell: one line, nothing to join
        return lines[0].text if lines else ""
    pad = max(0.0, min(line.x0 for line in lines) - bbox[0])
    right = max(max(line.x1 for line in lines), bbox[2] - pad)
    return lines_text(join_wrapped(lines, right, settings))


def inside(c: Char, bbox: tuple[float, float, float, float], slack: float = 0.5) -> bool:
    """Whether a character's centre lies within ``bbox`` (x0, top, x1, bottom)."""
    x = (c["x0"] + c["x1"]) / 2
    y = (c["top"] + c["bottom"]) / 2
    return bbox[0] - slack <= x <= bbox[2] + slack and bbox[1] - slack <= y <= bbox[3] + slack


# ---------------------------------------------------------------- running headers/footers

def running_lines(pages: Sequence[tuple[float, Sequence[Line]]],
                  settings: LayoutSettings = LayoutSettings()) -> set[str]:
    """Keys of lines standing in the top or bottom margin of several pages (running
    headers and footers, page numbers). ``pages`` holds (page height, lines)."""
    margin = settings.margin_ratio
    return repeated_edge_keys(([line.text for line in lines if line.bottom <= height * margin
                                or line.top >= height * (1 - margin)] for height, lines in pages),
                              settings.running_min_pages)
