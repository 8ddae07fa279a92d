"""Damaged PDFs made here from a committed sample: a file that lost its cross-reference
table (also with its trailer, or whose ``startxref`` or entries point elsewhere) is
read, the table rebuilt by PDFium, with the same rows as the sound file and
``repaired`` among its problems; a file cut short before its catalog cannot be opened
and fails in one line."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from certreport.extract.pdf import PdfError, read_document
from certreport.pipeline import process_file
from tests.conftest import ROOT

SAMPLE = ROOT / "data" / "samples" / "pdf" / "synth_ledger_tick_s108.pdf"


def _lost_xref_and_trailer(data: bytes) -> bytes:
    """Everything after the last object cut away (table, trailer, startxref, %%EOF)."""
    return data[:data.rindex(b"\nxref") + 1]


def _lost_xref(data: bytes) -> bytes:
    """The cross-reference table cut out, the trailer kept."""
    return data[:data.rindex(b"\nxref") + 1] + data[data.rindex(b"trailer"):]


def _wrong_startxref(data: bytes) -> bytes:
    return re.sub(rb"startxref\s+\d+", b"startxref\n12345", data)


def _zeroed_xref(data: bytes) -> bytes:
    """The table's entries overwritten with zeros (offsets that point nowhere)."""
    at = data.rindex(b"\nxref") + 1
    end = data.index(b"trailer", at)
    table = re.sub(rb"\d{10} \d{5} n", b"0000000000 00000 n", data[at:end])
    return data[:at] + table + data[end:]


@pytest.fixture(scope="module")
def sound() -> dict:
    return process_file(SAMPLE).rows


@pytest.mark.parametrize("damage", [_lost_xref, _lost_xref_and_trailer, _wrong_startxref,
                                    _zeroed_xref],
                         ids=["xref-lost", "xref-and-trailer-lost", "startxref-wrong",
                              "xref-zeroed"])
def test_pdf_without_its_cross_reference_table_is_read_and_marked_repaired(
        tmp_path: Path, sound: dict, damage) -> None:
    path = tmp_path / "damaged.pdf"
    path.write_bytes(damage(SAMPLE.read_bytes()))
    doc = read_document(path)
    assert any(p.startswith("repaired:") for p in doc.problems), doc.problems
    result = process_file(path)
    assert result.status == "partial" and "repaired" in result.error
    for table in ("clauses", "sections", "team"):
        strip = lambda rows: [{k: v for k, v in r.items() if k != "report_id"}  # noqa: E731
                              for r in rows]
        assert strip(result.rows[table]) == strip(sound[table]), table
    report = {k: v for k, v in result.rows["reports"][0].items()
              if k not in ("report_id", "source_path", "source_size", "status", "error",
                           "problems", "warning_count")}  # partial: the repair is named
    want = {k: v for k, v in sound["reports"][0].items() if k in report}
    assert report == want


def test_sound_pdf_is_not_marked_repaired() -> None:
    assert not any("repaired" in p for p in read_document(SAMPLE).problems)


@pytest.mark.parametrize("keep", [0.5, 0.9], ids=["half", "nine-tenths"])
def test_pdf_cut_before_its_catalog_fails_in_one_line(tmp_path: Path, keep: float) -> None:
    data = SAMPLE.read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[:int(len(data) * keep)])
    with pytest.raises(PdfError, match=r"^damaged or truncated PDF: PDFium cannot open it "
                                       r"\(the file is cut short"):
        read_document(path)
    result = process_file(path)
    assert result.status == "failed" and "\n" not in result.error
