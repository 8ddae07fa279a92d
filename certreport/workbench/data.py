"""What the workbench shows, read from a warehouse: plain dicts a template, the JSON API or
a notebook can use. Reviews are applied here: each value carries its extracted and its
effective (reviewed) value, each finding its review."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

import pyarrow.compute as pc

from certreport import findings_report
from certreport import reviews as rv
from certreport.store import Warehouse

REPORT_LIST_COLUMNS = ("report_id", "source_path", "source_format", "status", "error", "spec",
                       "cert_body", "org_name", "project_no", "stated_level", "computed_level",
                       "stated_total", "computed_total", "audit_start", "compiled_date", "pages",
                       "error_count", "warning_count")
# report fields shown on a report page, in order; record field whose location they share
FIELD_ROWS = (("org_name", "org_name"), ("project_no", "project_no"), ("cert_body", "cert_body"),
              ("audit_type", "audit_type"), ("registered_address", "registered_address"),
              ("audit_address", "audit_address"), ("contact_name", "contact_name"),
              ("contact_phone", "contact_phone"), ("audit_method", "audit_method"),
              ("audit_start", "audit_dates"), ("audit_end", "audit_dates"),
              ("audit_days", "audit_dates"), ("team_leader", "team_leader"),
              ("scope", "scope"), ("stated_total", "stated_total"),
              ("computed_total", "stated_total"), ("stated_level", "stated_level"),
              ("computed_level", "stated_level"), ("conclusion", "conclusion"),
              ("author", "author"), ("compiled_date", "compiled_date"))
FILTERS = ("body", "year", "scheme", "level", "status", "findings")
BOX = ("box_x0", "box_top", "box_x1", "box_bottom")


def _rows(wh: Warehouse, table: str, report_id: str | None = None) -> list[dict[str, Any]]:
    """A table's rows (of one report: filtered in Arrow before any Python objects are made)."""
    t = wh.read(table)
    if report_id is not None:
        t = t.filter(pc.equal(t["report_id"], report_id))
    return t.to_pylist()


def year_of(report: Mapping[str, Any]) -> int | None:
    """The audit year (else the year the report was compiled)."""
    for key in ("audit_start", "compiled_date"):
        v = report.get(key)
        if isinstance(v, date):
            return v.year
    return None


def level_of(report: Mapping[str, Any]) -> str | None:
    return report.get("stated_level") or report.get("computed_level")


def all_findings(wh: Warehouse) -> list[dict[str, Any]]:
    """Every finding with its report's fields and the review in force."""
    return rv.apply_to_findings(findings_report.findings(wh), wh.read_reviews().to_pylist())


def report_findings(wh: Warehouse, report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One report's findings, sorted and with reviews applied, as :func:`all_findings`."""
    out = []
    for c in _rows(wh, "checks", report["report_id"]):
        row = {k: report.get(k) for k in findings_report.REPORT_FIELDS}
        row.update({k: c.get(k) for k in findings_report.CHECK_FIELDS})
        out.append(row)
    return rv.apply_to_findings(sorted(out, key=findings_report.sort_key),
                                rv.reviews(wh, report["report_id"]))


def report_list(wh: Warehouse, filters: Mapping[str, str | None] | None = None
                ) -> list[dict[str, Any]]:
    """Every report (failed and partial too, with their reasons), newest audit first, with
    its open and reviewed finding counts; ``filters`` narrows by body, year, scheme, level,
    status and findings (``open``, ``none``, ``error``)."""
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "")}
    found = all_findings(wh)
    open_by = Counter(f["report_id"] for f in found if rv.is_open(f))
    errors_by = Counter(f["report_id"] for f in found
                        if rv.still_counts(f) and f["severity"] == "error")
    reviewed_by = Counter(f["report_id"] for f in found if not rv.is_open(f))
    out = []
    cols = [c for c in wh.read("reports").column_names]
    for r in wh.read("reports", [c for c in cols if c in REPORT_LIST_COLUMNS or c == "problems"]
                     ).to_pylist():
        r["year"] = year_of(r)
        r["level"] = level_of(r)
        r["open_findings"] = open_by[r["report_id"]]
        r["open_errors"] = errors_by[r["report_id"]]
        r["reviewed_findings"] = reviewed_by[r["report_id"]]
        if _keep(r, filters):
            out.append(r)
    return sorted(out, key=lambda r: (-(r["year"] or 0), r.get("org_name") or "",
                                      r.get("source_path") or ""))


def _keep(r: Mapping[str, Any], f: Mapping[str, str]) -> bool:
    if "body" in f and (r.get("cert_body") or "") != f["body"]:
        return False
    if "year" in f and str(r.get("year") or "") != f["year"]:
        return False
    if "scheme" in f and (r.get("spec") or "") != f["scheme"]:
        return False
    if "level" in f and (r.get("level") or "") != f["level"]:
        return False
    if "status" in f and r.get("status") != f["status"]:
        return False
    want = f.get("findings")
    if want == "open" and not r["open_findings"]:
        return False
    if want == "none" and r["open_findings"]:
        return False
    if want == "error" and not r["open_errors"]:
        return False
    return True


def filter_choices(wh: Warehouse) -> dict[str, list[str]]:
    """The values each filter can take in this warehouse."""
    rows = wh.read("reports").to_pylist()

    def vals(get: Any) -> list[str]:
        return sorted({str(v) for v in map(get, rows) if v not in (None, "")})
    return {"body": vals(lambda r: r.get("cert_body")), "year": vals(year_of)[::-1],
            "scheme": vals(lambda r: r.get("spec")), "level": vals(level_of),
            "status": vals(lambda r: r.get("status")), "findings": ["open", "error", "none"]}


def _box(row: Mapping[str, Any]) -> list[float] | None:
    box = [row.get(k) for k in BOX]
    return box if all(v is not None for v in box) else None


def _place(row: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Where a value stands: page, line and box (None when nothing is known)."""
    if not row or (row.get("page") is None and row.get("line") is None):
        return None
    return {"page": row.get("page"), "line": row.get("line"), "box": _box(row),
            "text": row.get("text")}


def report_detail(wh: Warehouse, report_id: str) -> dict[str, Any] | None:
    """One report: its row, fields (extracted and effective values, places), parts, clauses,
    team, findings (with reviews) and reviews; None when the warehouse has no such report."""
    reports = _rows(wh, "reports", report_id)
    if not reports:
        return None
    report = reports[0]
    all_reviews = rv.reviews(wh, report_id)
    fixes = rv.corrections(all_reviews)
    places = {}
    for loc in _rows(wh, "locations", report_id):
        places.setdefault(loc["field"], loc)

    def value(table_target: str, column: str, extracted: Any) -> dict[str, Any]:
        fix = fixes.get((report_id, table_target, column))
        return {"column": column, "extracted": extracted,
                "effective": fix["value"] if fix else extracted, "correction": fix}

    fields = []
    for column, where_name in FIELD_ROWS:
        v = value(rv.REPORT_TARGET, column, report.get(column))
        v["target"] = rv.REPORT_TARGET
        v["place"] = _place(places.get(where_name))
        v["correctable"] = column in rv.CORRECTABLE["reports"]
        fields.append(v)
    sections = []
    for s in sorted(_rows(wh, "sections", report_id), key=lambda s: s["section"]):
        s = dict(s)
        s["target"] = s["section"]
        s["values"] = {c: value(s["section"], c, s.get(c)) for c in rv.CORRECTABLE["sections"]}
        s["place"] = _place(s)
        sections.append(s)
    clauses = []
    for c in sorted(_rows(wh, "clauses", report_id), key=lambda c: c["row_no"] or 0):
        c = dict(c)
        c["target"] = rv.clause_target(c)
        c["values"] = {k: value(c["target"], k, c.get(k)) for k in rv.CORRECTABLE["clauses"]}
        c["place"] = _place(c)
        clauses.append(c)
    found = report_findings(wh, report)
    checks = {(c["check_name"], c["target"], c["message"]): c
              for c in _rows(wh, "checks", report_id)}
    by_target = {c["target"]: c for c in clauses}
    for f in found:
        c = checks.get((f["check_name"], f["target"], f["message"]), {})
        clause = by_target.get(f.get("target"))
        # text to find the value by where the warehouse has no box (a Word report's PDF)
        text = (clause["text"] or "")[:30] if clause else (
            (places.get(f.get("target")) or {}).get("text") or f.get("stated"))
        f["place"] = _place({**c, "text": text}) or _clause_place(f, clauses)
        f["correct_column"] = rv.FINDING_COLUMN.get(f["check_name"])
    return {"report": report, "fields": fields, "sections": sections, "clauses": clauses,
            "team": _rows(wh, "team", report_id), "findings": found, "reviews": all_reviews,
            "places": places, "history": _history(wh, report)}


def _clause_place(f: Mapping[str, Any], clauses: Sequence[Mapping[str, Any]]) -> Any:
    """A finding without a place of its own: the place of the clause it names."""
    for c in clauses:
        if c["target"] == f.get("target") and c["place"]:
            return c["place"]
    return None


def _history(wh: Warehouse, report: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The organisation's audits in this warehouse (``organisation_history``: date order,
    total, level, clauses lost again) and the clauses it lost points on more than once."""
    from certreport.history import organisation_history
    org_id = report.get("org_id")
    if not org_id:
        return {"audits": [], "repeated": []}
    h = organisation_history(wh, org_id)

    def rows(frame: Any) -> list[dict[str, Any]]:
        return [{k: (None if _missing(v) else v) for k, v in r.items()}
                for r in frame.to_dict("records")]
    return {"audits": rows(h.audits), "repeated": rows(h.repeated)}


def _missing(v: Any) -> bool:
    try:
        return bool(v != v) or v is None  # NaN, NaT
    except (TypeError, ValueError):
        return False


def grouped_findings(found: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Counts of findings by check, by certification body and by report: each group with its
    open, reviewed and error counts, largest first."""
    groups: dict[str, dict[str, dict[str, Any]]] = {"check": {}, "body": {}, "report": {}}
    for f in found:
        keys = {"check": f.get("check_name") or "", "body": f.get("cert_body") or "",
                "report": f["report_id"]}
        for g, k in keys.items():
            e = groups[g].setdefault(k, {"key": k, "open": 0, "reviewed": 0, "errors": 0,
                                         "total": 0, "org_name": f.get("org_name"),
                                         "source_path": f.get("source_path")})
            e["total"] += 1
            e["open" if rv.is_open(f) else "reviewed"] += 1
            e["errors"] += f["severity"] == "error" and rv.still_counts(f)
    return {g: sorted(d.values(), key=lambda e: (-e["total"], e["key"]))
            for g, d in groups.items()}


def by_group(found: Iterable[Mapping[str, Any]], key: str) -> dict[str, list[Mapping[str, Any]]]:
    out: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for f in found:
        out[f.get(key) or ""].append(f)
    return dict(out)
