"""Recompute the arithmetic of a report and check it where it is stated.

Every computed value is recomputed from the clause weights and percentages (weight × %,
summed per part and over the report), so a single wrong stated number (an item score, a
part score, the total) yields a single finding where it stands, while a wrong weight or %
shows wherever its recomputation reaches. The stated level is checked against the level
of the stated total. Subsection
headings (``组织架构(4+8分)``) and part maxima are checked against the clause weights.
Comparisons are at the report's own precision (the most decimals it writes).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Sequence

from certreport.extract.record import Record, SubsectionHeading
from certreport.normalise.findings import ERROR, WARNING, Finding
from certreport.normalise.match import subsection_titled
from certreport.normalise.values import (canonical_level, compact, decimals, halfwidth,
                             same_at_precision)
from certreport.schemas.catalogue import Scheme
from certreport.schemas.folds import format_number

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
    out = []
    for it in items:
        if it.stated is None:
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
                      scheme: Scheme) -> list[Finding]:
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
        if abs(total - stated) > 1e-6:
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


def _agrees(stated: float, candidates: Sequence[float | None], places: int) -> bool:
    return any(c is not None and same_at_precision(stated, c, places) for c in candidates)


def check_parts(sections: list[dict[str, Any]], items: Sequence[ClauseValues],
                places: int) -> list[Finding]:
    """Each part's stated maximum against its clause weights, and its stated score against
    the sum of its clause scores: recomputed (weight × %), or as the report rounded the
    items that agree with their recomputation. Sets ``_agrees`` on each section."""
    out = []
    for sec in sections:
        s = sec["section"]
        where = sec.pop("_where", None)
        if sec["stated_max"] is not None and sec["computed_max"] is not None and \
                abs(sec["stated_max"] - sec["computed_max"]) > 1e-6:
            out.append(Finding("section_max", ERROR, s, sec["stated_max"], sec["computed_max"],
                               f"part {s} states a maximum of {_n(sec['stated_max'])}, its clause "
                               f"weights add up to {_n(sec['computed_max'])}", where))
        rounded = _sum([reconciled(it, places) for it in items if it.section == s])
        sec["_agrees"] = True
        if sec["stated_score"] is not None and sec["computed_score"] is not None and \
                not _agrees(sec["stated_score"], [sec["computed_score"], rounded], places):
            sec["_agrees"] = False
            out.append(Finding("section_score", ERROR, s, sec["stated_score"], sec["computed_score"],
                               f"part {s} states {_n(sec['stated_score'])}, its clauses "
                               f"(weight × %) add up to {_n(sec['computed_score'])}", where))
    return out


def check_total(stated_total: float | None, computed_total: float | None,
                sections: Sequence[dict[str, Any]], items: Sequence[ClauseValues], places: int,
                where: Any) -> list[Finding]:
    """The stated total against the recomputed one, or the sum of the parts as stated
    where they agree, or the sum of the items as the report rounded them."""
    if stated_total is None or computed_total is None:
        return []
    parts = _sum([sec["stated_score"] if sec.get("_agrees") and sec["stated_score"] is not None
                  else sec["computed_score"] for sec in sections])
    rounded = _sum([reconciled(it, places) for it in items])
    if _agrees(stated_total, [computed_total, parts, rounded], places):
        return []
    return [Finding("total", ERROR, "total", stated_total, computed_total,
                    f"total stated {_n(stated_total)}, the clauses (weight × %) add up to "
                    f"{_n(computed_total)}", where)]


def check_levels(record: Record, scheme: Scheme, stated_total: float | None,
                 computed_total: float | None) -> list[Finding]:
    basis = stated_total if stated_total is not None else computed_total
    if basis is None:
        return []
    expected = scheme.level_for(basis)
    out = []
    for lv in record.levels:
        stated = canonical_level(lv.value.text)
        if stated != expected:
            out.append(Finding("level", ERROR, "total", stated, expected,
                               f"{lv.name} states {lv.value.text}, a total of {_n(basis)} is "
                               f"{expected or 'below every level'} under {scheme.id}",
                               lv.value.where))
    return out


def report_precision(texts: Sequence[str | None]) -> int:
    """The most decimals the report writes its scores with (at least 0)."""
    return max((decimals(t) for t in texts if t), default=0)


_n = format_number

