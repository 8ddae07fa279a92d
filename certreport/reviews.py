"""Reviewers' decisions on findings and values, kept in the warehouse's ``reviews`` table.

A review confirms a finding (the report is wrong), dismisses it with a reason (the report is
right), or corrects a value (``stated_score`` of A10 is really 0.7). The table is written by
:meth:`~certreport.store.Warehouse.add_reviews` only: ``import``, ``import --force`` and
re-imports never touch it, and a review applies again to the re-imported rows because it
names its finding by (report, check, target) and its value by (report, target, column).
The latest review of a key is in force.

    from certreport.reviews import add_review, apply_to_findings
    add_review(wh, {"report_id": rid, "check_name": "item_score", "target": "A10",
                    "action": "dismiss", "reason": "the % is 80 on paper", "reviewer": "王工"})
"""
from __future__ import annotations

import csv
import io
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import yaml

from certreport.schemas.tables import REVIEW_TABLE, schema
from certreport.store import Warehouse

ACTIONS = ("confirm", "dismiss", "correct")
FIELDS = tuple(schema(REVIEW_TABLE).names)
REPORT_TARGET = "report"  # the target of a correction of a report-level value
# findings about the report's total or level name it "total": the same report-level row
REPORT_TARGETS = (REPORT_TARGET, "total")
# the value a finding of each check is about (what correcting it changes)
FINDING_COLUMN = {"item_score": "stated_score", "section_score": "stated_score",
                  "section_max": "stated_max", "total": "stated_total", "level": "stated_level",
                  "catalogue_weight": "weight"}
# the columns a correction may name, per table it lands in
CORRECTABLE = {
    "reports": ("org_name", "project_no", "cert_body", "audit_type", "registered_address",
                "audit_address", "contact_name", "contact_phone", "audit_method",
                "audit_start", "audit_end", "audit_days", "team_leader", "scope", "conclusion",
                "stated_total", "stated_level", "author", "compiled_date"),
    "clauses": ("weight", "score_pct", "stated_score", "not_applicable", "code", "clause_no"),
    "sections": ("stated_max", "stated_score"),
}
MAX_TEXT = 2000


class ReviewError(ValueError):
    """A review that cannot be stored (names what is wrong)."""


def _text(value: Any, name: str, required: bool = False) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ReviewError(f"{name} is required")
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ReviewError(f"{name} must be text")
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        raise ReviewError(f"{name} is longer than {MAX_TEXT} characters")
    return text


def validate(data: Mapping[str, Any], known_reports: Iterable[str] | None = None) -> dict[str, Any]:
    """A review row from what a reviewer sent, or :class:`ReviewError` naming the problem:
    a known action, a report, a target, a reason to dismiss, a column and value to correct."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ReviewError(f"unknown field(s): {', '.join(sorted(unknown))}")
    action = _text(data.get("action"), "action", required=True)
    if action not in ACTIONS:
        raise ReviewError(f"action {action!r}: expected one of {', '.join(ACTIONS)}")
    row = {
        "review_id": _text(data.get("review_id"), "review_id") or uuid.uuid4().hex[:16],
        "report_id": _text(data.get("report_id"), "report_id", required=True),
        "check_name": _text(data.get("check_name"), "check_name"),
        "target": _text(data.get("target"), "target", required=True),
        "action": action,
        "column": _text(data.get("column"), "column"),
        "value": _text(data.get("value"), "value"),
        "reason": _text(data.get("reason"), "reason"),
        "reviewer": _text(data.get("reviewer"), "reviewer"),
        "reviewed_at": _time(data.get("reviewed_at")),
    }
    if known_reports is not None and row["report_id"] not in set(known_reports):
        raise ReviewError(f"report {row['report_id']!r} is not in the warehouse")
    if action in ("confirm", "dismiss") and not row["check_name"]:
        raise ReviewError(f"{action} needs the check_name of the finding")
    if action == "dismiss" and not row["reason"]:
        raise ReviewError("dismiss needs a reason")
    if action == "correct":
        if not row["column"]:
            raise ReviewError("correct needs the column whose value is corrected")
        allowed = CORRECTABLE["reports"] if row["target"] in REPORT_TARGETS else (
            CORRECTABLE["clauses"] + CORRECTABLE["sections"])
        if row["column"] not in allowed:
            raise ReviewError(f"column {row['column']!r} cannot be corrected for target "
                              f"{row['target']!r}")
        if row["value"] is None:
            raise ReviewError("correct needs the value as it really is")
    return row


def _time(value: Any) -> datetime:
    if value is None or value == "":
        return datetime.now(timezone.utc)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    try:
        t = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise ReviewError(f"reviewed_at {value!r}: not an ISO date and time")
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def add_review(wh: Warehouse, data: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one review and store it; returns the stored row."""
    known = wh.read("reports", ["report_id"]).column("report_id").to_pylist()
    row = validate(data, known)
    wh.add_reviews([row])
    return row


def reviews(wh: Warehouse, report_id: str | None = None) -> list[dict[str, Any]]:
    """Stored reviews, oldest first (of one report when given)."""
    rows = wh.read_reviews().to_pylist()
    if report_id is not None:
        rows = [r for r in rows if r["report_id"] == report_id]
    return sorted(rows, key=lambda r: (r["reviewed_at"], r["review_id"]))


def finding_key(f: Mapping[str, Any]) -> tuple:
    return (f["report_id"], f.get("check_name"), f.get("target"))


def decisions(rows: Sequence[Mapping[str, Any]]) -> dict[tuple, dict[str, Any]]:
    """The review in force per finding (report, check, target): the latest naming a check."""
    out: dict[tuple, dict[str, Any]] = {}
    for r in sorted(rows, key=lambda r: (r["reviewed_at"], r["review_id"])):
        if r.get("check_name"):
            out[finding_key(r)] = dict(r)
    return out


def corrections(rows: Sequence[Mapping[str, Any]]) -> dict[tuple, dict[str, Any]]:
    """The correction in force per value (report, target, column)."""
    out: dict[tuple, dict[str, Any]] = {}
    for r in sorted(rows, key=lambda r: (r["reviewed_at"], r["review_id"])):
        if r["action"] == "correct":
            target = REPORT_TARGET if r["target"] in REPORT_TARGETS else r["target"]
            out[(r["report_id"], target, r["column"])] = dict(r)
    return out


def apply_to_findings(found: Sequence[Mapping[str, Any]],
                      rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each finding with ``review`` (the action in force: confirm / dismiss / correct, or
    None while open) and ``review_reason``, ``reviewer``, ``reviewed_at``, ``review_value``."""
    decided = decisions(rows)
    out = []
    for f in found:
        r = decided.get(finding_key(f))
        out.append({**f, "review": r["action"] if r else None,
                    "review_reason": r["reason"] if r else None,
                    "reviewer": r["reviewer"] if r else None,
                    "reviewed_at": _iso(r["reviewed_at"]) if r else None,
                    "review_value": r["value"] if r else None})
    return out


def _iso(t: Any) -> Any:
    return t.astimezone(timezone.utc).isoformat(timespec="seconds") if isinstance(t, datetime) else t


def is_open(f: Mapping[str, Any]) -> bool:
    """A finding no review has decided."""
    return not f.get("review")


def still_counts(f: Mapping[str, Any]) -> bool:
    """A finding that stands: open or confirmed (not dismissed, not settled by a correction)."""
    return f.get("review") in (None, "confirm")


def clause_target(clause: Mapping[str, Any]) -> str:
    """How findings and reviews name a clause row: its code, else number, else row."""
    return clause.get("code") or clause.get("clause_no") or f"row {clause.get('row_no')}"


# -- moving reviews between warehouses

def _plain(row: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: row.get(k) for k in FIELDS}
    if isinstance(out["reviewed_at"], datetime):
        out["reviewed_at"] = out["reviewed_at"].astimezone(timezone.utc).isoformat()
    return out


def export_reviews(wh: Warehouse, fmt: str) -> str:
    """Every review as CSV (header row) or YAML (a list of mappings)."""
    rows = [_plain(r) for r in reviews(wh)]
    if fmt == "yaml":
        return yaml.safe_dump(rows, allow_unicode=True, sort_keys=False)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows({k: "" if v is None else v for k, v in r.items()} for r in rows)
        return buf.getvalue()
    raise ValueError(f"format {fmt!r}: expected csv or yaml")


def parse_reviews(text: str, fmt: str) -> list[dict[str, Any]]:
    """Review mappings from CSV or YAML text (not yet validated)."""
    if fmt == "yaml":
        data = yaml.safe_load(text) or []
        if not isinstance(data, list) or not all(isinstance(d, dict) for d in data):
            raise ReviewError("a YAML file of reviews is a list of mappings")
        return data
    if fmt == "csv":
        return [{k: (v if v != "" else None) for k, v in r.items()}
                for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))]
    raise ValueError(f"format {fmt!r}: expected csv or yaml")


def import_reviews(wh: Warehouse, items: Sequence[Mapping[str, Any]]) -> tuple[int, int]:
    """Store reviews from another warehouse: each validated (all or none are stored); a
    review whose id is already here is skipped. Returns (added, skipped)."""
    have = set(wh.read_reviews().column("review_id").to_pylist())
    rows = []
    for i, item in enumerate(items, 1):
        try:
            row = validate(item)
        except ReviewError as exc:
            raise ReviewError(f"review {i}: {exc}")
        if row["review_id"] not in have:
            have.add(row["review_id"])
            rows.append(row)
    if rows:
        wh.add_reviews(rows)
    return len(rows), len(items) - len(rows)


def format_of(path: Path) -> str:
    """csv or yaml from a file name."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix == ".csv":
        return "csv"
    raise ReviewError(f"{path}: expected a .csv, .yaml or .yml file")
