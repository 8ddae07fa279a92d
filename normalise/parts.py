"""The parts of a report (A/B/C …), stated and recomputed, as frozen values."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from certreport.extract.record import PartHeading, Record, Where
from certreport.normalise.checks import ClauseValues, reconciled
from certreport.normalise.clauses import section_of_part
from certreport.normalise.findings import box_columns
from certreport.normalise.values import parse_number, round_half_up, same_at_precision
from certreport.schemas.catalogue import Scheme


@dataclass(frozen=True)
class PartTotals:
    """One part of the scheme: what the report states (maximum, score) and what its clause
    rows add up to (weights; scores recomputed, and as the report rounded them)."""

    section: str
    title: str
    scheme_max: float
    stated_max: float | None
    stated_score: float | None
    computed_max: float | None
    computed_score: float | None
    rounded_score: float | None  # the items as the report may fairly have written them
    clause_count: int
    where: Where | None
    source: str | None = None  # text | ocr: where the stated figures were read

    def agrees(self, places: int) -> bool:
        """Whether the stated score is the recomputed one, or the sum of the items as
        written, at the report's precision (True when nothing is stated)."""
        if self.stated_score is None or self.computed_score is None:
            return True
        return any(c is not None and same_at_precision(self.stated_score, c, places)
                   for c in (self.computed_score, self.rounded_score))

    def row(self) -> dict[str, Any]:
        """The ``sections`` row (without ``report_id``)."""
        return {"section": self.section, "title": self.title, "stated_max": self.stated_max,
                "stated_score": self.stated_score, "computed_max": self.computed_max,
                "computed_score": self.computed_score, "scheme_max": self.scheme_max,
                "clause_count": self.clause_count,
                "page": self.where.page if self.where else None,
                "line": self.where.line if self.where else None, **box_columns(self.where),
                "source": self.source}


def _figures(heading: PartHeading) -> int:
    return (heading.stated_max is not None) + (heading.stated_score is not None)


def _sum(values: Sequence[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(sum(vals), 6) if vals else None


def part_totals(record: Record, scheme: Scheme, items: Sequence[ClauseValues],
                places: int) -> tuple[PartTotals, ...]:
    """One value per part of the scheme; the stated figures from the first heading of
    the part that states the most of them."""
    stated: dict[str, PartHeading] = {}
    for p in record.parts:
        sec = section_of_part(p.title.text, scheme)
        if sec and (sec not in stated or _figures(p) > _figures(stated[sec])):
            stated[sec] = p
    out = []
    for part in scheme.parts:
        its = [it for it in items if it.section == part.section]
        head = stated.get(part.section)
        out.append(PartTotals(
            section=part.section, title=part.title, scheme_max=part.max,
            stated_max=parse_number(head.stated_max.text) if head and head.stated_max else None,
            stated_score=(parse_number(head.stated_score.text)
                          if head and head.stated_score else None),
            computed_max=_sum([it.weight for it in its]),
            computed_score=_sum([round_half_up(it.computed, places) for it in its]),
            rounded_score=_sum([reconciled(it, places) for it in its]),
            clause_count=len(its),
            where=head.title.where if head else None,
            source=record.page_source(head.title.where.page) if head else None))
    return tuple(out)
