"""Pure layout stages for PDF pages, on plain dicts of characters (pdfplumber's shape:
``text, x0, x1, top, bottom, size, fontname``): characters -> lines -> text, the part of
the PDF reader that needs no file and is easy to test."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

Char = dict


@dataclass(frozen=True)
class LayoutSettings:
    """Tuning of line building (in PDF points unless said otherwise)."""

    line_tolerance: float = 3.0    # characters whose middles differ less share a line
    space_ratio: float = 0.45      # a gap wider than this × font size becomes a space
    margin_ratio: float = 0.09     # top/bottom share of the page where running texts live
    running_min_pages: int = 2     # a margin line repeated on this many pages is running


@dataclass(frozen=True)
class Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


def group_lines(chars: Iterable[Char], settings: LayoutSettings = LayoutSettings()) -> list[Line]:
    """Cluster characters into lines by vertical middle, then order each by x."""
    rows: list[list[Char]] = []
    mids: list[float] = []
    for c in sorted(chars, key=lambda c: ((c["top"] + c["bottom"]) / 2, c["x0"])):
        mid = (c["top"] + c["bottom"]) / 2
        if rows and abs(mid - mids[-1]) <= settings.line_tolerance:
            rows[-1].append(c)
        else:
            rows.append([c])
            mids.append(mid)
    return [_line(r, settings) for r in rows if r]


def _line(chars: Sequence[Char], settings: LayoutSettings) -> Line:
    chars = sorted(chars, key=lambda c: c["x0"])
    out = []
    prev = None
    for c in chars:
        if prev is not None:
            gap = c["x0"] - prev["x1"]
            if gap > settings.space_ratio * max(c.get("size") or 10.0, 1.0):
                out.append(" ")
        out.append(c["text"])
        prev = c
    return Line("".join(out).strip(), min(c["x0"] for c in chars), min(c["top"] for c in chars),
                max(c["x1"] for c in chars), max(c["bottom"] for c in chars))


def lines_text(lines: Sequence[Line]) -> str:
    """Lines joined with line breaks (empty lines dropped)."""
    return "\n".join(line.text for line in lines if line.text)


def inside(c: Char, bbox: tuple[float, float, float, float], slack: float = 0.5) -> bool:
    """Whether a character's centre lies within ``bbox`` (x0, top, x1, bottom)."""
    x = (c["x0"] + c["x1"]) / 2
    y = (c["top"] + c["bottom"]) / 2
    return bbox[0] - slack <= x <= bbox[2] + slack and bbox[1] - slack <= y <= bbox[3] + slack


_DIGITS = re.compile(r"\d+")


def running_key(text: str) -> str:
    """A margin line's identity across pages: digits (page numbers) folded."""
    return _DIGITS.sub("#", re.sub(r"\s+", "", text))


def running_lines(pages: Sequence[tuple[float, Sequence[Line]]],
                  settings: LayoutSettings = LayoutSettings()) -> set[str]:
    """Keys of lines standing in the top or bottom margin of several pages (running
    headers and footers, page numbers). ``pages`` holds (page height, lines)."""
    seen: dict[str, int] = {}
    for height, lines in pages:
        keys = set()
        for line in lines:
            if line.bottom <= height * settings.margin_ratio or \
                    line.top >= height * (1 - settings.margin_ratio):
                keys.add(running_key(line.text))
        for k in keys:
            seen[k] = seen.get(k, 0) + 1
    need = settings.running_min_pages if len(pages) >= settings.running_min_pages else 10 ** 9
    return {k for k, n in seen.items() if n >= need and k}
