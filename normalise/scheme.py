"""Which scheme a report is judged against."""
from __future__ import annotations

from certreport.extract.record import Record
from certreport.normalise.values import compact, parse_number
from certreport.schemas.catalogue import Scheme


def detect_scheme(record: Record, schemes: tuple[Scheme, ...]) -> tuple[Scheme, str]:
    """The report's scheme and how it was told: the criteria text (依据/审查准则) naming
    it, else the stated part maxima, else the stated total's range, else the first
    scheme. Returns (scheme, reason)."""
    criteria = compact(record.criteria).lower()
    hits = []
    for s in schemes:
        n = sum(1 for d in s.detect if compact(d).lower() in criteria)
        if n:
            first = min(criteria.find(compact(d).lower()) for d in s.detect
                        if compact(d).lower() in criteria)
            hits.append((-n, first, s))
    if hits:
        hits.sort(key=lambda h: (h[0], h[1]))
        return hits[0][2], "criteria"
    maxima = sorted(v for p in record.parts if p.stated_max
                    for v in [parse_number(p.stated_max.text)] if v is not None)
    if maxima:
        for s in schemes:
            if maxima == sorted(p.max for p in s.parts):
                return s, "part maxima"
    total = parse_number(record.stated_total.text) if record.stated_total else None
    if total is not None:
        fitting = [s for s in schemes if total <= s.total_max]
        if fitting and total > min(s.total_max for s in schemes):
            return min(fitting, key=lambda s: s.total_max), "total range"
    return schemes[0], "default"
