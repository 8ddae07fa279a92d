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
