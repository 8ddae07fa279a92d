"""One report's record through the normalise stages: match clauses, parse values,
recompute (:mod:`~certreport.normalise.clauses`), add up the parts
(:mod:`~certreport.normalise.parts`), make the final score as the scheme says
(:mod:`~certreport.normalise.scoring`, rules in :mod:`~certreport.normalise.rules`), check.
:func:`normalise` returns the rows of the output tables (without ``report_id``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from certreport.extract.record import Record
from certreport.normalise.checks import check_items, check_parts, check_subsections, report_precision
from certreport.normalise.clauses import clause_rows, page_sources
from certreport.normalise.completeness import check_report_end, value_findings
from certreport.normalise.fields import check_dates, report_fields
from certreport.normalise.findings import ERROR, WARNING, Finding, box_columns
from certreport.normalise.parts import part_totals
from certreport.normalise.rules import level_for
from certreport.extract.pages import OCR
from certreport.normalise.scheme import detect_scheme
from certreport.normalise.scoring import (check_figures, check_levels, check_rule, check_special,
                                          check_total, final_score, special_values)
from certreport.normalise.settings import SETTINGS, Settings
from certreport.normalise.status import report_status
from certreport.normalise.unread_sums import explain_unread, missing_items
from certreport.normalise.unreadable import readable_record, readable_rows
from certreport.normalise.values import canonical_level, parse_number
from certreport.schemas.catalogue import Scheme, load_schemes

__all__ = ["Normalised", "normalise", "Finding", "Settings"]


@dataclass
class Normalised:
    """A report's rows, ready for the store."""

    report: dict[str, Any]
    clauses: list[dict[str, Any]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    team: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)
    pages: list[dict[str, Any]] = field(default_factory=list)  # the pages table

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]


def _precision(record: Record) -> int:
    """Scores are compared and summed at the report's own precision."""
    return report_precision([r.score.text if r.score else None for r in record.rows]
                            + [p.stated_score.text if p.stated_score else None
                               for p in record.parts]
                            + [record.stated_total.text if record.stated_total else None])


def normalise(record: Record, schemes: tuple[Scheme, ...] | None = None,
              settings: Settings = SETTINGS) -> Normalised:
    """Match, parse, recompute and check one record."""
    schemes = schemes or load_schemes()
    record, findings = readable_record(record)  # unreadable text never becomes a value
    record, lost_cells = readable_rows(record)
    scheme, detected_by = detect_scheme(record, schemes)
    fields = report_fields(record, findings)
    places = _precision(record)

    clauses, items, clause_findings = clause_rows(record, scheme, places, settings, lost_cells)
    special = special_values(record.special)
    stated_total = parse_number(record.stated_total.text) if record.stated_total else None

    def sums(its: Any) -> tuple[Any, Any, list[Finding]]:
        return _sum_checks(record, scheme, its, places, special, stated_total, settings)

    parts, final, sum_findings = sums(items)
    findings.extend(clause_findings)
    findings.extend(value_findings(record.rows, items, lost_cells))
    findings.extend(check_items(items, places))
    # a sum over a clause that could not be read is an error only where no reading of it
    # explains the difference; catalogue clauses an OCR'd report did not yield count too
    source_of = page_sources(record)
    missing = missing_items(scheme, items, lambda it: source_of(
        it.where.page if it.where is not None else None) == OCR) if any(
        p.source == OCR for p in record.page_info) else ()
    findings.extend(explain_unread(sum_findings, items, missing, scheme,
                                   lambda its: sums(its)[2], settings))
    findings.extend(check_dates(fields, record))
    findings.extend(check_report_end(fields, clauses))
    findings.extend(_coverage(scheme, clauses, settings))
    findings.extend(_layout_findings(record))

    team = [{
        "member_code": t.get("member_code"), "name": t.get("name"), "role": t.get("role"),
        "cert_no": t.get("cert_no"), "specialty_code": t.get("specialty_code"),
        "phone": t.get("phone"),
        "source": record.page_source(next((c.where.page for _, c in t.cells), None)),
    } for t in record.team]
    leader = next((t["name"] for t in team if t["role"] and "组长" in t["role"]), None)
    if leader is None and record.field("team_leader"):
        leader = record.field("team_leader").value.text.strip()  # type: ignore[union-attr]

    status, error = report_status(record, clauses, fields, scheme)
    if status == "failed":  # not a report: one failed row, nothing made up for it
        return Normalised(failed_report(status, error, record, fields))
    figures = record.figures
    raw_text = figures.raw_total or figures.formula_raw
    max_text = figures.applicable_max or figures.formula_max
    rules = scheme.scoring.special
    report = {
        "status": status,
        "error": error,
        "spec": scheme.id,
        "spec_detected_by": detected_by,
        **fields,
        "team_leader": leader,
        "stated_total": stated_total,
        "computed_total": final.total,
        "stated_level": canonical_level(record.levels[0].value.text) if record.levels else None,
        "computed_level": level_for(scheme, final.total, final.deduction),
        "special_deduction": (special.points("deduction", rules.deduction_points)[-1]
                              if special.stated else None),
        "special_addition": (special.points("addition", rules.addition_points)[-1]
                             if special.stated else None),
        "special_reasons": "；".join(special.reasons) or None,
        "raw_total": parse_number(raw_text.text) if raw_text else None,
        "applicable_max": parse_number(max_text.text) if max_text else None,
        "pages": record.pages,
        "clause_count": len(clauses),
        "error_count": sum(1 for f in findings if f.severity == ERROR),
        "warning_count": sum(1 for f in findings if f.severity == WARNING),
        **text_sources(record),
    }
    pages = [{"page": p.page, "source": p.source, "quality": p.quality,
              "ocr_confidence": p.confidence, "engine": p.engine} for p in record.page_info]
    return Normalised(report, clauses, [p.row() for p in parts], team, findings,
                      locations(record), pages)


def _sum_checks(record: Record, scheme: Scheme, items: Any, places: int, special: Any,
                stated_total: float | None, settings: Settings
                ) -> tuple[Any, Any, list[Finding]]:
    """The parts and final score over ``items``, and the checks of every sum over them
    (subsections, parts, the scheme's rule, special items, the stated figures, the total,
    the levels), in that order."""
    parts = part_totals(record, scheme, items, places)
    final = final_score(parts, items, special, scheme, places)
    return parts, final, [
        *check_subsections(record.subsections, items, scheme, settings),
        *check_parts(parts, places, settings),
        *check_rule(scheme),
        *check_special(special, scheme, settings),
        *check_figures(record.figures, final, places,
                       record.stated_total is not None
                       and record.stated_total == record.figures.normalised, settings),
        *check_total(stated_total, final, places,
                     record.stated_total.where if record.stated_total else None),
        *check_levels(record, scheme, stated_total, final)]


def locations(record: Record) -> list[dict[str, Any]]:
    """Where each report-level value stands: fields, check-box groups, total, level."""
    out = []

    def add(name: str, text: str | None, where: Any) -> None:
        if where is not None and (where.page is not None or where.line is not None):
            out.append({"field": name, "text": text, "page": where.page, "line": where.line,
                        **box_columns(where)})

    seen = set()
    for f in record.fields:
        if f.name not in seen:
            seen.add(f.name)
            add(f.name, f.value.text, f.value.where)
    for g in record.checkboxes:
        if g.name not in seen:
            seen.add(g.name)
            add(g.name, "、".join(g.checked) or None, g.where)
    if record.cert_body is not None:
        add("cert_body", record.cert_body.text, record.cert_body.where)
    if record.stated_total is not None:
        add("stated_total", record.stated_total.text, record.stated_total.where)
    if record.levels:
        add("stated_level", record.levels[0].value.text, record.levels[0].value.where)
    return out


def failed_report(status: str, error: str | None, record: Record,
                  fields: dict[str, Any]) -> dict[str, Any]:
    """The report row of a file that is not a report: its status and why, and the few
    fields it did hold; no scheme, no parts, no findings made up for it."""
    return {"status": status, "error": error, **fields, "pages": record.pages,
            "clause_count": 0, "error_count": 0, "warning_count": 0}


def text_sources(record: Record) -> dict[str, Any]:
    """Where the report's text came from: ``text_source`` (text | ocr | mixed) and
    ``ocr_fields``, the record's fields, check-box groups and total read from OCR'd pages."""
    sources = {p.source for p in record.page_info if p.source}
    kind = "mixed" if len(sources) > 1 else (sources.pop() if sources else "text")
    named = [(f.name, f.value.where.page) for f in record.fields]
    named += [(g.name, g.where.page) for g in record.checkboxes]
    named += [("level", f.value.where.page) for f in record.levels]
    if record.stated_total is not None:
        named.append(("stated_total", record.stated_total.where.page))
    ocr = sorted({name for name, page in named if record.page_source(page) == OCR})
    return {"text_source": kind, "ocr_fields": ", ".join(ocr) or None}




def _coverage(scheme: Scheme, clauses: list[dict[str, Any]],
              settings: Settings = SETTINGS) -> list[Finding]:
    """Catalogue clauses the report does not score (only when it has score rows)."""
    if not clauses:
        return []
    seen = {(c["code"], c["clause_no"]) for c in clauses}
    missing = [c for c in scheme.clauses if (c.code, c.number) not in seen]
    if not missing or len(missing) == len(scheme.clauses):
        return []
    most = settings.missing_clauses_listed
    if len(missing) <= most:
        return [Finding("missing_clause", WARNING, c.code or c.number, None, c.weight,
                        f"{c.code or c.number} ({c.number}) of {scheme.id} is not in the report",
                        None) for c in missing]
    names = ", ".join(c.code or c.number for c in missing[:most])
    return [Finding("missing_clause", WARNING, "clauses", None, len(missing),
                    f"{len(missing)} clauses of {scheme.id} are not in the report: {names}"
                    f" and {len(missing) - most} more", None)]


def _layout_findings(record: Record) -> list[Finding]:
    """What the catalogue-guided layout reader did: a warning naming the clauses it added
    (no recognised table held them), an error per clause the table and the layout read
    differently."""
    out = []
    if record.layout_added:
        names = ", ".join(record.layout_added[:12])
        more = f" and {len(record.layout_added) - 12} more" if len(record.layout_added) > 12 else ""
        out.append(Finding("layout_rows", WARNING, "clauses", None, len(record.layout_added),
                           f"{len(record.layout_added)} score rows read from the page layout by "
                           f"their clause numbers, not from a recognised table: {names}{more}",
                           None))
    for text in record.layout_disagreements:
        out.append(Finding("layout_rows", ERROR, text.split(":", 1)[0], None, None, text, None))
    return out
