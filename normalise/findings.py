"""Findings: what the checks report. Data, never exceptions."""
from __future__ import annotations

from dataclasses import dataclass

from certreport.extract.record import Where
from certreport.schemas.folds import format_number

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Finding:
    """One inconsistency: which check, how bad, about what (a clause code, a subsection
    number, A/B/C, ``total``), the value the report states and the recomputed one."""

    check: str
    severity: str
    target: str
    stated: object
    computed: object
    message: str
    where: Where | None = None


def fmt(value: object) -> str | None:
    """How a stated/computed value is written in the checks table."""
    if value is None:
        return None
    if isinstance(value, float):
        return format_number(value)
    return str(value)


BOX_COLUMNS = ("box_x0", "box_top", "box_x1", "box_bottom")


def box_columns(where: Where | None) -> dict[str, float | None]:
    """A position's box as the tables' ``box_*`` columns (all null where unknown)."""
    box = where.bbox if where is not None else None
    return dict(zip(BOX_COLUMNS, (round(v, 1) for v in box) if box else (None,) * 4))


def union_where(wheres: "list[Where | None]") -> Where:
    """One position for several pieces (a row's cells): the first piece's page and line,
    the union of the boxes of the pieces on that page."""
    known = [w for w in wheres if w is not None]
    if not known:
        return Where()
    first = known[0]
    boxes = [w.bbox for w in known if w.bbox and w.page == first.page]
    if not boxes:
        return first
    x0, top, x1, bottom = zip(*boxes)
    return Where(first.page, first.line, (min(x0), min(top), max(x1), max(bottom)))
