"""Pure functions over the intermediate record: match clauses, parse values, recompute,
check. :func:`normalise` returns the rows of the output tables (without ``report_id``)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from certreport.extract.record import PartHeading, Record
from certreport.normalise.checks import (ClauseValues, check_items, check_levels, check_parts,
                              check_subsections, check_total, computed_item, report_precision)
from certreport.normalise.fields import check_dates, report_fields
from certreport.normalise.findings import ERROR, WARNING, Finding
from certreport.normalise.match import ClauseMatcher, read_code, subsection_hint
from certreport.normalise.scheme import detect_scheme
from certreport.normalise.status import report_status
from certreport.normalise.values import (canonical_level, compact, is_coefficient_column, is_not_applicable,
                              parse_number, parse_percent, round_half_up)
from certreport.schemas.catalogue import Scheme, load_schemes

__all__ = ["Normalised", "normalise", "Finding"]


@dataclass
class Normalised:
    """A report's rows, ready for the store."""

    report: dict[str, Any]
    clauses: list[dict[str, Any]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    team: list[dict[str, Any]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]


def _section_of_part(title: str | None, scheme: Scheme) -> str | None:
    if not title:
        return None
    key = compact(title)
    for p in scheme.parts:
        if compact(p.title) == key:
            return p.section
    return None


def clause_rows(record: Record, scheme: Scheme, places: int,
                findings: list[Finding]) -> tuple[list[dict[str, Any]], list[ClauseValues]]:
    """Match each score row to its clause and parse its values: the ``clauses`` rows and
    what the checks need; matching findings are appended to ``findings``."""
    matcher = ClauseMatcher(scheme)
    coefficient = is_coefficient_column(
        [r.pct.text if r.pct else None for r in record.rows],
        record.rows[0].pct_header if record.rows else "",
        [(parse_number(r.weight.text if r.weight else None),
          parse_number(r.score.text if r.score else None)) for r in record.rows])
    clauses: list[dict[str, Any]] = []
    items: list[ClauseValues] = []
    if coefficient is None:
        findings.append(Finding("item_value", WARNING, "clauses", None, None,
                                "the % column holds only 0 and 1 and no score tells whether 1 "
                                "is 1% or 100%: read as percentages", record.rows[0].where))
    pct_column = any(r.pct is not None for r in record.rows)
    if record.rows and not pct_column:
        findings.append(Finding("item_value", WARNING, "clauses", None, None,
                                "the score tables have no % column: item scores are taken as "
                                "stated, not recomputed", record.rows[0].where))
    for i, row in enumerate(record.rows):
        section = _section_of_part(row.part, scheme)
        code_hint = read_code(row.code.text if row.code else None)
        if section is None and code_hint:
            section = code_hint[0]
        sub_hint = subsection_hint(scheme, row.subsection.text if row.subsection else None,
                                   row.heading.text if row.heading else None, section)
        m = matcher.match(row, section, sub_hint)
        findings.extend(m.findings)
        clause = m.clause
        pct = parse_percent(row.pct.text if row.pct else None, row.pct_header, bool(coefficient))
        weight = parse_number(row.weight.text if row.weight else None)
        stated = parse_number(row.score.text if row.score else None)
        not_applicable = pct.not_applicable or (pct.value is None and row.score is not None
                                               and is_not_applicable(row.score.text))
        computed = computed_item(weight, pct.value, not_applicable)
        if computed is None and not pct_column:
            computed = stated  # no % column: the stated score is all there is to add up
        if clause is not None:
            section = clause.section
            if weight is not None and abs(weight - clause.weight) > 1e-6:
                findings.append(Finding(
                    "catalogue_weight", WARNING, clause.code or clause.number, weight,
                    clause.weight, f"{clause.code or clause.number}: weight {weight:g} in the "
                    f"report, {clause.weight:g} in {scheme.id}", row.where))
        target = (clause.code or clause.number) if clause else (m.number or f"row {i + 1}")
        subsection = clause.subsection if clause else (
            ".".join(m.number.split(".")[:3]) if m.number else sub_hint)
        items.append(ClauseValues(section, subsection, target, weight, pct.value,
                                  not_applicable, stated, computed, row.where))
        clauses.append({
            "section": section,
            "subsection_no": subsection,
            "clause_no": clause.number if clause else m.number,
            "code": clause.code if clause else None,
            "weight": weight,
            "score_pct": pct.value,
            "not_applicable": bool(not_applicable),
            "stated_score": stated,
            "computed_score": round_half_up(computed, places),
            "match_score": round(m.score, 1),
            "match_method": m.method,
            "text": row.content.text,
            "page": row.where.page,
            "row_no": i + 1,
            "pct_raw": pct.raw or None,
            "catalogue_weight": clause.weight if clause else None,
        })

    return clauses, items


def _figures(heading: PartHeading) -> int:
    return (heading.stated_max is not None) + (heading.stated_score is not None)


def section_rows(record: Record, scheme: Scheme, items: list[ClauseValues],
                 places: int) -> list[dict[str, Any]]:
    """One row per part of the scheme: stated maximum and score, and the recomputed ones."""
    sections = []
    stated_parts = {}
    for p in record.parts:  # per part, the first heading that states the most figures
        sec = _section_of_part(p.title.text, scheme)
        if sec and (sec not in stated_parts or _figures(p) > _figures(stated_parts[sec])):
            stated_parts[sec] = p
    for part in scheme.parts:
        its = [it for it in items if it.section == part.section]
        head = stated_parts.get(part.section)
        weights = [it.weight for it in its if it.weight is not None]
        comp = [round_half_up(it.computed, places) for it in its if it.computed is not None]
        sections.append({
            "section": part.section,
            "title": part.title,
            "stated_max": parse_number(head.stated_max.text) if head and head.stated_max else None,
            "stated_score": (parse_number(head.stated_score.text)
                             if head and head.stated_score else None),
            "computed_max": round(sum(weights), 6) if weights else None,
            "computed_score": round(sum(comp), 6) if comp else None,
            "scheme_max": part.max,
            "clause_count": len(its),
            "_where": head.title.where if head else None,
        })

    return sections


def normalise(record: Record, schemes: tuple[Scheme, ...] | None = None) -> Normalised:
    """Match, parse, recompute and check one record."""
    schemes = schemes or load_schemes()
    scheme, detected_by = detect_scheme(record, schemes)
    findings: list[Finding] = []
    fields = report_fields(record, findings)

    # scores are compared and summed at the report's own precision
    places = report_precision([r.score.text if r.score else None for r in record.rows]
                              + [p.stated_score.text if p.stated_score else None
                                 for p in record.parts]
                              + [record.stated_total.text if record.stated_total else None])
    clauses, items = clause_rows(record, scheme, places, findings)
    sections = section_rows(record, scheme, items, places)

    findings.extend(check_items(items, places))
    findings.extend(check_subsections(record.subsections, items, scheme))
    findings.extend(check_parts(sections, items, places))
    stated_total = parse_number(record.stated_total.text) if record.stated_total else None
    comp_parts = [s["computed_score"] for s in sections if s["computed_score"] is not None]
    computed_total = round(sum(comp_parts), 6) if comp_parts else None
    findings.extend(check_total(stated_total, computed_total, sections, items, places,
                                record.stated_total.where if record.stated_total else None))
    for sec in sections:
        sec.pop("_agrees", None)
    findings.extend(check_levels(record, scheme, stated_total, computed_total))
    findings.extend(check_dates(fields, record))
    findings.extend(_coverage(scheme, clauses))

    team = [{
        "member_code": t.get("member_code"), "name": t.get("name"), "role": t.get("role"),
        "cert_no": t.get("cert_no"), "specialty_code": t.get("specialty_code"),
        "phone": t.get("phone"),
    } for t in record.team]
    leader = next((t["name"] for t in team if t["role"] and "组长" in t["role"]), None)
    if leader is None and record.field("team_leader"):
        leader = record.field("team_leader").value.text.strip()  # type: ignore[union-attr]

    status, error = report_status(record, clauses, fields, scheme)
    report = {
        "status": status,
        "error": error,
        "spec": scheme.id,
        "spec_detected_by": detected_by,
        **fields,
        "team_leader": leader,
        "stated_total": stated_total,
        "computed_total": computed_total,
        "stated_level": canonical_level(record.levels[0].value.text) if record.levels else None,
        "computed_level": scheme.level_for(computed_total),
        "pages": record.pages,
        "clause_count": len(clauses),
        "error_count": sum(1 for f in findings if f.severity == ERROR),
        "warning_count": sum(1 for f in findings if f.severity == WARNING),
    }
    return Normalised(report, clauses, sections, team, findings)


def _coverage(scheme: Scheme, clauses: list[dict[str, Any]]) -> list[Finding]:
    """Catalogue clauses the report does not score (only when it has score rows)."""
    if not clauses:
        return []
    seen = {(c["code"], c["clause_no"]) for c in clauses}
    missing = [c for c in scheme.clauses if (c.code, c.number) not in seen]
    if not missing or len(missing) == len(scheme.clauses):
        return []
    names = ", ".join(c.code or c.number for c in missing[:12])
    more = f" and {len(missing) - 12} more" if len(missing) > 12 else ""
    return [Finding("missing_clause", WARNING, c.code or c.number, None, c.weight,
                    f"{c.code or c.number} ({c.number}) of {scheme.id} is not in the report", None)
            for c in missing] if len(missing) <= 12 else [
        Finding("missing_clause", WARNING, "clauses", None, len(missing),
                f"{len(missing)} clauses of {scheme.id} are not in the report: {names}{more}", None)]
