"""A report's status (ok / partial / failed) and the sentence that says why."""
from __future__ import annotations

import pytest

from certreport.extract.record import PartHeading, Record, Text
from certreport.normalise.status import page_ranges, report_status
from certreport.schemas.catalogue import default_scheme

SCHEME = default_scheme()
FOUND = {"org_name": "某公司", "project_no": "0001-2024-SE-2024", "audit_start": None, "scope": None}
ROWS = [{"section": s} for s in "ABC"]


def status(record: Record, clauses=ROWS, fields=FOUND):
    return report_status(record, clauses, fields, SCHEME)


def test_ok():
    assert status(Record("r.pdf", "pdf")) == ("ok", None)


def test_missing_part_and_reader_problems_are_partial():
    got = status(Record("r.pdf", "pdf", problems=("page 3: unreadable stream",)),
                 clauses=[{"section": "A"}])
    assert got == ("partial", "r.pdf: no score rows for part(s) B, C; page 3: unreadable stream")


def test_no_score_tables():
    assert status(Record("r.pdf", "pdf"), clauses=[]) == (
        "partial", "r.pdf: no score tables found (found: org_name, project_no)")
    parts_only = Record("r.pdf", "pdf", parts=(PartHeading(Text("售后服务体系")),))
    assert status(parts_only, clauses=[], fields={}) == (
        "partial", "r.pdf: no score tables found (found: part headings)")
    assert status(Record("x.txt", "text"), clauses=[], fields={}) == (
        "failed", "x.txt: not a report: no score tables and no report fields found")


def test_unreadable_pages():
    """Pages neither the text layer nor OCR could read; the reader's problems say why."""
    why = "page 1: OCR found no text (blank page or not a document)"
    scan = Record("s.pdf", "pdf", image_only_pages=(1, 2, 3), problems=(why,))
    assert status(scan, clauses=[], fields={}) == (
        "failed", f"s.pdf: no readable page: pages 1–3 could not be read; {why}")
    assert status(scan) == ("partial", f"s.pdf: {why}; pages 1–3 could not be read")


@pytest.mark.parametrize("pages,text", [((3, 4, 5, 9), "3–5, 9"), ((7,), "7"), ((), ""),
                                        ((2, 1), "1–2")])
def test_page_ranges(pages, text):
    assert page_ranges(pages) == text
