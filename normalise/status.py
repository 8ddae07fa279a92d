"""A report's status (ok / partial / failed) and the sentence that says why."""
from __future__ import annotations

from typing import Any

from certreport.extract.record import Record
from certreport.schemas.catalogue import Scheme


def report_status(record: Record, clauses: list[dict[str, Any]], fields: dict[str, Any],
                  scheme: Scheme) -> tuple[str, str | None]:
    """``failed`` when nothing of a report was found (or no page could be read, by its text
    layer or by OCR: the pages' reasons follow), ``partial`` when
    score tables, parts, clauses of the catalogue or pages are missing or the reader
    noticed problems, else ``ok``;
    the message names the file and what is missing."""
    problems = list(record.problems)
    name = record.source_path
    found = [k for k in ("org_name", "project_no", "audit_start", "scope") if fields.get(k)]
    if record.image_only_pages:
        problems.append(f"pages {page_ranges(record.image_only_pages)} could not be read")
    if not clauses:
        if record.image_only_pages and not found:
            return "failed", "; ".join([f"{name}: no readable page: " + problems.pop()] + problems)
        if not found and not record.parts and record.stated_total is None:
            return "failed", "; ".join([f"{name}: not a report: no score tables and no report "
                                        "fields found"] + problems)
        what = ", ".join(found) or "part headings"
        return "partial", "; ".join([f"{name}: no score tables found (found: {what})"] + problems)
    sections = {c["section"] for c in clauses if c["section"]}
    missing = [p.section for p in scheme.parts if p.section not in sections]
    if missing:
        problems.insert(0, f"{name}: no score rows for part(s) {', '.join(missing)}")
    lost = lost_clauses(scheme, clauses, skip_sections=set(missing))
    if lost:
        problems.append(lost)
    if problems:
        text = "; ".join(problems)
        return "partial", text if text.startswith(f"{name}: ") else f"{name}: {text}"
    return "ok", None


def lost_clauses(scheme: Scheme, clauses: list[dict[str, Any]],
                 skip_sections: set[str] = frozenset()) -> str | None:  # type: ignore[assignment]
    """A sentence naming the catalogue clauses no score row was read for, and the pages
    where they should stand (between the read clauses before and after them); None when
    every clause of the scheme is there. Parts without any row are reported apart."""
    seen = {(c.get("code"), c.get("clause_no")): c.get("page") for c in clauses}
    order = [(c.code, c.number) for c in scheme.clauses if c.section not in skip_sections]
    gone = [i for i, key in enumerate(order) if key not in seen]
    if not gone or len(gone) == len(order):  # none matched: a matter for the findings
        return None
    pages: set[int] = set()
    for i in gone:
        before = next((seen[order[j]] for j in range(i - 1, -1, -1) if order[j] in seen), None)
        after = next((seen[order[j]] for j in range(i + 1, len(order)) if order[j] in seen), None)
        known = [p for p in (before, after) if p is not None]
        if known:
            pages.update(range(min(known), max(known) + 1))
    names = [order[i][0] or order[i][1] for i in gone]
    shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    where = f" (pages {page_ranges(tuple(pages))})" if pages else ""
    return f"{len(gone)} clause(s) of {scheme.id} not read{where}: {shown}"


def page_ranges(pages: tuple[int, ...]) -> str:
    """``(3, 4, 5, 9)`` -> ``3–5, 9``."""
    out, start, prev = [], None, None
    for p in sorted(pages):
        if start is None:
            start = prev = p
        elif p == prev + 1:
            prev = p
        else:
            out.append(f"{start}" if start == prev else f"{start}–{prev}")
            start = prev = p
    if start is not None:
        out.append(f"{start}" if start == prev else f"{start}–{prev}")
    return ", ".join(out)
