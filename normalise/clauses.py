"""The clause stage in three named pure steps: match each score row to its catalogue
clause (:func:`match_rows`), parse its values (:func:`parse_values`), confirm the values of rows
read by OCR (:func:`confirm_ocr`), recompute its score (:func:`recompute`); :func:`clause_rows` chains them into the ``clauses`` rows.

Each step takes and returns frozen values; findings are returned, never appended to an
argument.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

from certreport.extract.pages import OCR
from certreport.extract.record import Record, ScoreRow, Where
from certreport.normalise.checks import ClauseValues, computed_item
from certreport.normalise.findings import WARNING, Finding, box_columns, union_where
from certreport.normalise.match import ClauseMatcher, Match, read_code, subsection_hint
from certreport.normalise.ocr import confirm_row, row_confidence, ocr_match_findings
from certreport.normalise.settings import SETTINGS, Settings
from certreport.normalise.unreadable import unread_cells
from certreport.normalise.values import (Percent, compact, decimals, is_coefficient_column,
                                         is_not_applicable, parse_number, parse_percent,
                                         round_half_up)
from certreport.schemas.catalogue import Scheme


@dataclass(frozen=True)
class MatchedRow:
    """A score row and the clause it was given (None when it fits none)."""

    row: ScoreRow
    match: Match
    section: str | None
    subsection_hint: str | None


@dataclass(frozen=True)
class ParsedRow:
    """A matched row with its values read: weight, percentage, stated score."""

    matched: MatchedRow
    weight: float | None
    pct: Percent
    stated: float | None
    not_applicable: bool
    unread: frozenset[str] = frozenset()  # value cells not read (see ClauseValues.unread)


def section_of_part(title: str | None, scheme: Scheme) -> str | None:
    """The section letter of the part a heading title names (售后服务体系 -> A)."""
    if not title:
        return None
    key = compact(title)
    for p in scheme.parts:
        if compact(p.title) == key:
            return p.section
    return None


def match_rows(record: Record, scheme: Scheme,
               settings: Settings = SETTINGS) -> tuple[MatchedRow, ...]:
    """Match every score row, in order, to a clause of ``scheme`` (each match carries its
    findings)."""
    matcher = ClauseMatcher(scheme, settings)
    letters = "".join(p.section for p in scheme.parts)
    out = []
    for row in record.rows:
        section = section_of_part(row.part, scheme)
        code_hint = read_code(row.code.text if row.code else None, letters)
        if section is None and code_hint:
            section = code_hint[0]
        sub_hint = subsection_hint(scheme, row.subsection.text if row.subsection else None,
                                   row.heading.text if row.heading else None, section, settings)
        out.append(MatchedRow(row, matcher.match(row, section, sub_hint), section, sub_hint))
    return tuple(out)


def percent_notation(record: Record, settings: Settings = SETTINGS) -> tuple[bool | None, tuple[Finding, ...]]:
    """Whether the % column holds coefficients (0.7 for 70%), and the warnings when it
    cannot tell or there is no % column."""
    rows = record.rows
    coefficient = is_coefficient_column(
        [r.pct.text if r.pct else None for r in rows], rows[0].pct_header if rows else "",
        [(parse_number(r.weight.text if r.weight else None),
          parse_number(r.score.text if r.score else None)) for r in rows],
        settings.coefficient_fit)
    findings = []
    if coefficient is None:
        findings.append(Finding("item_value", WARNING, "clauses", None, None,
                                "the % column holds only 0 and 1 and no score tells whether 1 "
                                "is 1% or 100%: read as percentages", rows[0].where))
    if rows and not any(r.pct is not None for r in rows):
        findings.append(Finding("item_value", WARNING, "clauses", None, None,
                                "the score tables have no % column: item scores are taken as "
                                "stated, not recomputed", rows[0].where))
    return coefficient, tuple(findings)


def parse_values(matched: Sequence[MatchedRow], coefficient: bool | None,
                 lost: Sequence[Sequence[tuple[str, Any]]] = ()) -> tuple[ParsedRow, ...]:
    """Weight, percentage (in the column's notation) and stated score of each row;
    ``lost`` holds each row's unreadable cells (:func:`~certreport.normalise.unreadable.
    readable_rows`), which become its ``unread`` cells."""
    out = []
    for i, m in enumerate(matched):
        row = m.row
        pct = parse_percent(row.pct.text if row.pct else None, row.pct_header, bool(coefficient))
        stated = parse_number(row.score.text if row.score else None)
        not_applicable = pct.not_applicable or (pct.value is None and row.score is not None
                                               and is_not_applicable(row.score.text))
        out.append(ParsedRow(m, parse_number(row.weight.text if row.weight else None), pct,
                             stated, not_applicable,
                             unread_cells(lost[i]) if i < len(lost) else frozenset()))
    return tuple(out)


def page_sources(record: Record) -> Callable[[int | None], str | None]:
    """``record.page_source`` as one look-up per page (the record's pages read once)."""
    if not record.page_info:
        return lambda page: "text"
    by_page: dict[int | None, str | None] = {}
    for p in record.page_info:
        by_page.setdefault(p.page, p.source)
    return by_page.get


def row_where(row: ScoreRow) -> Where:
    """Where a score row stands: its page and line, the union of its cells' boxes on it."""
    return union_where([row.where] + [c.where for c in (row.content, row.weight, row.code,
                                                         row.pct, row.score) if c])


def recompute(parsed: Sequence[ParsedRow], has_pct_column: bool) -> tuple[ClauseValues, ...]:
    """Each row's score recomputed (weight × %; 0 when not applicable; the stated score
    where the report has no % column), with its section, subsection and target."""
    out = []
    for i, p in enumerate(parsed):
        m, clause = p.matched.match, p.matched.match.clause
        computed = computed_item(p.weight, p.pct.value, p.not_applicable)
        if computed is None and not has_pct_column:
            computed = p.stated  # no % column: the stated score is all there is to add up
        section = clause.section if clause else p.matched.section
        target = (clause.code or clause.number) if clause else (m.number or f"row {i + 1}")
        subsection = clause.subsection if clause else (
            ".".join(m.number.split(".")[:3]) if m.number else p.matched.subsection_hint)
        out.append(ClauseValues(section, subsection, target, p.weight, p.pct.value,
                                p.not_applicable, p.stated, computed, row_where(p.matched.row),
                                p.unread))
    return tuple(out)


def confirm_ocr(parsed: Sequence[ParsedRow], record: Record, places: int,
                settings: Settings = SETTINGS) -> tuple[tuple[ParsedRow, ...], tuple[Finding, ...]]:
    """Rows read from OCR'd pages confirmed by the catalogue and weight × % = score
    (:func:`~certreport.normalise.ocr.confirm_row`): a lost or misread weight replaced by
    the catalogue's only where confirmed, a value nothing confirms not taken (null, in the
    row's ``unread`` cells) with a warning; text-layer rows as they are."""
    out, findings = [], []
    source_of = page_sources(record)
    if not any(source_of(p.matched.row.where.page) == OCR for p in parsed):
        return tuple(parsed), ()  # a text layer throughout: nothing to confirm
    written = Counter(decimals(p.matched.row.pct.text) for p in parsed
                      if p.matched.row.pct is not None and p.pct.value is not None)
    pct_decimals = written.most_common(1)[0][0] if written else 0
    for i, p in enumerate(parsed):
        row = p.matched.row
        if source_of(row.where.page) != OCR:
            out.append(p)
            continue
        m, clause = p.matched.match, p.matched.match.clause
        target = (clause.code or clause.number) if clause else (m.number or f"row {i + 1}")
        got = confirm_row(target, row, clause, p.weight, p.pct.value, p.stated,
                          p.not_applicable, places, settings, pct_decimals)
        findings.extend(got.findings)
        out.append(replace(p, weight=got.weight, pct=replace(p.pct, value=got.pct,
                                                                 not_applicable=got.not_applicable),
                           stated=got.stated, not_applicable=got.not_applicable,
                           unread=p.unread | got.unread))
    return tuple(out), tuple(findings)


def weight_findings(parsed: Sequence[ParsedRow], scheme: Scheme,
                    settings: Settings = SETTINGS) -> tuple[Finding, ...]:
    """Rows whose weight differs from the catalogue's."""
    out = []
    for p in parsed:
        clause = p.matched.match.clause
        if clause is not None and p.weight is not None and \
                abs(p.weight - clause.weight) > settings.points_tolerance:
            out.append(Finding(
                "catalogue_weight", WARNING, clause.code or clause.number, p.weight,
                clause.weight, f"{clause.code or clause.number}: weight {p.weight:g} in the "
                f"report, {clause.weight:g} in {scheme.id}", p.matched.row.where))
    return tuple(out)


def clause_rows(record: Record, scheme: Scheme, places: int, settings: Settings = SETTINGS,
                lost: Sequence[Sequence[tuple[str, Any]]] = ()
                ) -> tuple[list[dict[str, Any]], tuple[ClauseValues, ...], tuple[Finding, ...]]:
    """Match → parse → confirm OCR → recompute: the ``clauses`` rows, the values the checks
    need, and the findings of matching and parsing (``lost``: each row's unreadable
    cells)."""
    matched = match_rows(record, scheme, settings)
    coefficient, notation_findings = percent_notation(record, settings)
    parsed, ocr_findings = confirm_ocr(parse_values(matched, coefficient, lost), record,
                                       places, settings)
    items = recompute(parsed, any(r.pct is not None for r in record.rows))
    findings: list[Finding] = list(notation_findings) + list(ocr_findings)
    source_of = page_sources(record)
    for p in parsed:  # row by row: how it matched, then its weight
        row = p.matched.row
        findings.extend(ocr_match_findings(row, p.matched.match.findings)
                        if source_of(row.where.page) == OCR else p.matched.match.findings)
        findings.extend(weight_findings([p], scheme, settings))
    rows = []
    for i, (p, it) in enumerate(zip(parsed, items)):
        m, clause = p.matched.match, p.matched.match.clause
        rows.append({
            "section": it.section,
            "subsection_no": it.subsection,
            "clause_no": clause.number if clause else m.number,
            "code": clause.code if clause else None,
            "weight": p.weight,
            "score_pct": p.pct.value,
            "not_applicable": bool(p.not_applicable),
            "stated_score": p.stated,
            "computed_score": round_half_up(it.computed, places),
            "match_score": round(m.score, 1),
            "match_method": (f"layout:{m.method}"
                             if m.method and p.matched.row.read_by == "layout" else m.method),
            "text": p.matched.row.content.text,
            "page": p.matched.row.where.page,
            "row_no": i + 1,
            "pct_raw": p.pct.raw or None,
            "catalogue_weight": clause.weight if clause else None,
            "line": p.matched.row.where.line,
            **box_columns(it.where),
            "source": source_of(p.matched.row.where.page),
            "ocr_confidence": row_confidence(p.matched.row),
        })
    return rows, items, tuple(findings)


__all__ = ["MatchedRow", "ParsedRow", "match_rows", "percent_notation", "parse_values",
           "recompute", "confirm_ocr", "weight_findings", "clause_rows", "section_of_part"]
