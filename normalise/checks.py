"""Recompute the arithmetic of a report and check it where it is stated.

Every computed value is recomputed from the clause weights and percentages (weight × %,
summed per part and over the report), so a single wrong stated number (an item score, a
part score, the total) yields a single finding where it stands, while a wrong weight or %
shows wherever its recomputation reaches. Subsection headings (``组织架构(4+8分)``) and part
maxima are checked against the clause weights. The final score, its intermediate figures,
special items and levels are checked in :mod:`certreport.normalise.scoring`.
Comparisons are at the report's own precision (the most decimals it writes).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Sequence

from certreport.extract.record import SubsectionHeading
from certreport.normalise.findings import ERROR, WARNING, Finding
from certreport.normalise.match import subsection_titled
from certreport.normalise.settings import SETTINGS, Settings
from certreport.normalise.values import compact, decimals, halfwidth, same_at_precision
from certreport.schemas.catalogue import Scheme
from certreport.schemas.folds import format_number

if TYPE_CHECKING:
    from certreport.normalise.parts import PartTotals

_HEADING_POINTS = re.compile(r"(\d+(?:\.\d+)?)\s*\+\s*(\d+(?:\.\d+)?)\s*分")
_EXT_ONLY = re.compile(r"(?:^|[^\d.])\+\s*(\d+(?:\.\d+)?)\s*分")
_SUBSECTION_NO = re.compile(r"\d+(?:\.\d+){2}")


@dataclass(frozen=True)
class ClauseValues:
    """One matched row, parsed: what the checks need."""

    section: str | None
    subsection: str | None
    target: str  # code, else clause number, else a position
    weight: float | None
    pct: float | None
    not_applicable: bool
    stated: float | None
    computed: float | None
    where: Any = None
    # the value cells that could not be read (weight / pct / score): unreadable text or an
    # OCR value nothing confirmed; null here, checked by nothing (see unread_sums)
    unread: frozenset[str] = frozenset()


def computed_item(weight: float | None, pct: float | None, not_applicable: bool) -> float | None:
    """weight × % (0 when not applicable; None when weight or % is missing)."""
    if not_applicable:
        return 0.0
    if weight is None or pct is None:
        return None
    return round(weight * pct / 100.0, 6)


def heading_points(text: str | None) -> tuple[float | None, float | None]:
    """``组织架构(4+8分)`` -> (4, 8); ``服务系统 +10分`` -> (0, 10); else (None, None)."""
    t = compact(text)
    m = _HEADING_POINTS.search(t)
    if m:
        return float(m.group(1)), float(m.group(2))
    m = _EXT_ONLY.search(t)
    if m:
        return 0.0, float(m.group(1))
    return None, None


def _sum(values: Sequence[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(sum(vals), 6) if vals else None


def check_items(items: Sequence[ClauseValues], places: int) -> list[Finding]:
    """Each stated item score against weight × % (not above its weight where there is no
    % column)."""
    out = []
    for it in items:
        if it.stated is None or it.unread:
            continue
        if it.pct is None and it.weight is not None and it.stated > it.weight + 1e-9:
            out.append(Finding("item_score", ERROR, it.target, it.stated, it.weight,
                               f"{it.target}: stated {_n(it.stated)}, above its weight "
                               f"{_n(it.weight)}", it.where))
            continue
        if it.computed is None:
            if it.pct is None and not it.not_applicable:
                out.append(Finding("item_value", WARNING, it.target, it.stated, None,
                                   f"{it.target}: no score % to check the stated score against",
                                   it.where))
            continue
        if not same_at_precision(it.stated, it.computed, places):
            what = "not applicable" if it.not_applicable else f"{_n(it.weight)} × {_n(it.pct)}%"
            out.append(Finding("item_score", ERROR, it.target, it.stated, it.computed,
                               f"{it.target}: stated {_n(it.stated)}, but {what} = {_n(it.computed)}",
                               it.where))
    return out


def check_subsections(headings: Sequence[SubsectionHeading], items: Sequence[ClauseValues],
                      scheme: Scheme, settings: Settings = SETTINGS) -> list[Finding]:
    out = []
    seen = set()
    for h in headings:
        number = None
        for t in (h.number, h.heading):
            m = _SUBSECTION_NO.search(halfwidth(t.text)) if t else None
            if m:
                number = m.group(0)
                break
        if number is None and h.heading is not None:  # the 序号 cell was lost
            number = subsection_titled(scheme, h.heading.text)
        base, ext = heading_points(h.heading.text if h.heading else None)
        if number is None or base is None or number in seen:
            continue
        seen.add(number)
        weights = [it.weight for it in items if it.subsection == number]
        if not weights:
            continue
        total = _sum(weights) or 0.0
        stated = base + (ext or 0.0)
        if abs(total - stated) > settings.points_tolerance:
            where = (h.heading or h.number).where if (h.heading or h.number) else None
            out.append(Finding("subsection_max", ERROR, number, stated, total,
                               f"subsection {number} heading states {_n(base)}+{_n(ext)} = "
                               f"{_n(stated)} points, its clause weights add up to {_n(total)}",
                               where))
    return out


def reconciled(it: ClauseValues, places: int) -> float | None:
    """An item's score as the report may fairly have added it up: the stated score when it
    agrees with weight × % at the report's precision (1.05 written 1.1), else the
    recomputed one, so rounding in the report is not taken for an error."""
    if it.stated is not None and (it.computed is None or
                                  same_at_precision(it.stated, it.computed, places)):
        return it.stated
    return it.computed


def check_parts(parts: Sequence["PartTotals"], places: int,
                settings: Settings = SETTINGS) -> list[Finding]:
    """Each part's stated maximum against its clause weights, and its stated score against
    the sum of its clause scores: recomputed (weight × %), or as the report rounded the
    items that agree with their recomputation."""
    out = []
    for p in parts:
        s = p.section
        if p.stated_max is not None and p.computed_max is not None and \
                abs(p.stated_max - p.computed_max) > settings.points_tolerance:
            out.append(Finding("section_max", ERROR, s, p.stated_max, p.computed_max,
                               f"part {s} states a maximum of {_n(p.stated_max)}, its clause "
                               f"weights add up to {_n(p.computed_max)}", p.where))
        if not p.agrees(places):
            out.append(Finding("section_score", ERROR, s, p.stated_score, p.computed_score,
                               f"part {s} states {_n(p.stated_score)}, its clauses "
                               f"(weight × %) add up to {_n(p.computed_score)}", p.where))
    return out


def report_precision(texts: Sequence[str | None]) -> int:
    """The most decimals the report writes its scores with (at least 0; line by line, so
    a cell holding two rows' scores, ``0.7`` over ``0``, is not read as ``0.70``)."""
    return max((decimals(line) for t in texts if t for line in t.splitlines()), default=0)


_n = format_number

