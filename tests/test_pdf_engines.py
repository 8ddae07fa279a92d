"""PDFium against pdfminer: for every committed PDF (the samples, the malformed corpus's
readable PDFs, the check-box PDFs written by test_pdf_reader) the PDFium engine yields
the same normalised rows as the pdfminer engine it replaced (kept as the reference in
tests/pdfminer_pages.py, outside the package)."""
from __future__ import annotations

from pathlib import Path

import pytest

from certreport.extract.assemble import assemble
from certreport.extract.page_blocks import document_from_pages
from certreport.extract.pages import text_layer_problem
from certreport.extract.scan import add_ocr_pages
from certreport.normalise import normalise
from certreport.pipeline import process_file, rows_of
from certreport.schemas.catalogue import part_titles
from tests.conftest import ROOT
from tests.pdfminer_pages import PdfFile as PdfminerFile
from tests.test_pdf_reader import WD, WD_BARE, _sym, _vec, audit_type_line, make_pdf

SAMPLES = sorted((ROOT / "data" / "samples" / "pdf").glob("*.pdf"))
CORPUS = ROOT / "tests" / "malformed" / "corpus"


def pdfminer_rows(path: Path, report_id: str) -> dict:
    """The rows of the reader as it was: pdfminer's pages through the same stages."""
    with open(path, "rb") as fh:
        pdf = PdfminerFile(fh)
        pages, unreadable, problems = [], {}, []
        found = list(pdf.pages())
        for number, page in enumerate(found, start=1):
            objects = pdf.read(page, number)
            why = text_layer_problem(objects)
            if why is None:
                pages.append(objects)
            else:
                unreadable[number] = why
    # pages without a usable text layer go to OCR on both engines
    pages, still, infos = add_ocr_pages(path, pages, unreadable, problems)
    doc = document_from_pages(str(path), "pdf", pages, len(found), problems, still,
                              page_info=tuple(infos))
    record = assemble(doc, part_titles())
    return rows_of(report_id, path, path.stat().st_size, record.source_format, normalise(record),
                   list(dict.fromkeys(record.problems)))


BOX = ("box_x0", "box_top", "box_x1", "box_bottom")
BOX_TOLERANCE = 3.0  # points: the engines' glyph boxes differ by a font's ascent at most


def _without_boxes(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in BOX} for r in rows]


def _same(path: Path) -> None:
    new = process_file(path)
    new.rows["reports"][0].pop("extractor_version")  # the reader's version: PDFium's is 2
    old = pdfminer_rows(path, new.report_id)
    for table in old:
        if table == "pages":  # names the engine that read each page: differs by design
            assert [(p["page"], p["source"]) for p in new.rows[table]] == [
                (p["page"], p["source"]) for p in old[table]], path.name
            continue
        assert _without_boxes(new.rows[table]) == _without_boxes(old[table]), (path.name, table)
        for a, b in zip(new.rows[table], old[table]):  # the places agree within a line
            for k in BOX:
                if k in a:
                    assert (a[k] is None) == (b[k] is None), (path.name, table, k)
                    assert a[k] is None or abs(a[k] - b[k]) <= BOX_TOLERANCE, (
                        path.name, table, k, a[k], b[k])


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples_read_alike(path):
    _same(path)


@pytest.mark.parametrize("name", ["not_a_report.pdf", "scan_only.pdf"])
def test_corpus_pdfs_read_alike(name):
    _same(CORPUS / name)


@pytest.mark.parametrize("marks", [
    [_sym(0xA8, WD), _sym(0xFE, WD), _sym(0xA8, WD)],
    [_sym(0xA8, WD_BARE), _sym(0xFE, WD_BARE), _sym(0xA8, WD_BARE)],
    [_sym(0x41), _sym(0xFE), _sym(0xA8)],
    [_vec(False), _vec(False), _vec(True)],
], ids=["wingdings-pua", "wingdings-bare-bytes", "unknown-glyph", "vector-boxes"])
def test_checkbox_pdfs_read_alike(tmp_path, marks):
    path = tmp_path / "boxes.pdf"
    path.write_bytes(make_pdf([audit_type_line(700, marks)]))
    _same(path)
