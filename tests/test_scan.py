"""Scans and unreadable text layers read by OCR (a handful of pages: OCR is slow).

The files in ``tests/scans`` are made by ``data/make_scan_samples.py`` from a committed
synthetic report whose truth sits beside them: image files (PNG at 150 dpi, a skewed JPEG
at 200 dpi, a two-page TIFF), a PDF whose fonts lost their ToUnicode maps, a digital PDF
with one scanned page, a blank page.
"""
from __future__ import annotations

import json
import socket
from pathlib import Path

import numpy as np
import pytest

from certreport.extract import ocr_engines
from certreport.pipeline import process_file
from tests.conftest import ROOT

SCANS = ROOT / "tests" / "scans"
TRUTH = json.loads((SCANS / "synth_classic_unicode_s101.truth.json").read_text(encoding="utf-8"))
PAGE2_FIELDS = ("org_name", "project_no", "registered_address", "audit_address",
                "contact_name", "contact_phone", "audit_method", "audit_start", "audit_end",
                "audit_days", "scope")

needs_ocr = pytest.mark.skipif(ocr_engines.rapidocr_version() is None,
                               reason="RapidOCR not installed (pip install -e '.[ocr]')")


@pytest.fixture(scope="module")
def read():
    cache: dict[str, dict] = {}

    def get(name: str) -> dict:
        if name not in cache:
            cache[name] = process_file(SCANS / name).rows
        return cache[name]
    return get


def _truth_clause(number: str) -> dict:
    return next(c for c in TRUTH["clauses"] if c["clause_no"] == number)


@needs_ocr
@pytest.mark.parametrize("name", ["page2_150.png", "page2_200_skew.jpg"])
def test_image_file_fields(read, name):
    rows = read(name)
    report = rows["reports"][0]
    got = {k: report.get(k) for k in PAGE2_FIELDS}
    want = {k: TRUTH["report"][k] for k in PAGE2_FIELDS}
    got["audit_start"] = got["audit_start"] and str(got["audit_start"])
    got["audit_end"] = got["audit_end"] and str(got["audit_end"])
    assert got == want
    assert report["text_source"] == "ocr" and "org_name" in report["ocr_fields"]
    [page] = rows["pages"]
    assert page["source"] == "ocr" and page["engine"].startswith("rapidocr 3")
    assert 0.8 <= page["ocr_confidence"] <= 1.0


@needs_ocr
def test_multipage_tiff_score_rows(read):
    rows = read("pages_2_5.tif")
    assert [p["page"] for p in rows["pages"]] == [1, 2]
    # page 5's first row continues a clause of page 4, which the file leaves out
    clauses = {c["clause_no"]: c for c in rows["clauses"] if c["clause_no"]}
    assert len(clauses) >= 15
    for number, c in clauses.items():
        t = _truth_clause(number)
        assert (c["code"], c["weight"], c["score_pct"], c["stated_score"]) == (
            t["code"], t["weight"], t["score_pct"], t["stated_score"]), number
        assert c["source"] == "ocr" and 0.5 <= c["ocr_confidence"] <= 1.0
    assert not [f for f in rows["checks"] if f["severity"] == "error"
                and f["check_name"] == "item_score"]


@needs_ocr
def test_text_layer_without_unicode_maps_is_read_by_ocr(read):
    rows = read("nomap_p2_5.pdf")
    pages = rows["pages"]
    assert [p["source"] for p in pages] == ["ocr", "ocr"]
    assert all("(cid:n)" in p["quality"] for p in pages)
    assert rows["reports"][0]["org_name"] == TRUTH["report"]["org_name"]
    clauses = {c["clause_no"]: c for c in rows["clauses"] if c["clause_no"]}
    assert len(clauses) >= 15
    assert all(c["stated_score"] == _truth_clause(n)["stated_score"] for n, c in clauses.items())


@needs_ocr
def test_mixed_file_is_read_page_by_page(read):
    rows = read("mixed_p3.pdf")
    assert [(p["page"], p["source"]) for p in rows["pages"]] == [(1, "text"), (2, "ocr")]
    report = rows["reports"][0]
    assert report["text_source"] == "mixed"
    assert report["org_name"] == TRUTH["report"]["org_name"]  # page 1: the text layer
    team = [{k: t[k] for k in TRUTH["team"][0]} for t in rows["team"]]
    assert team == TRUTH["team"]                              # page 2: OCR
    assert {t["source"] for t in rows["team"]} == {"ocr"}


@needs_ocr
def test_blank_page_fails_with_the_reason(read):
    report = read("blank.png")["reports"][0]
    assert report["status"] == "failed"
    assert "no readable page" in report["error"] and "OCR found no text" in report["error"]


def test_scan_without_an_engine_says_how_to_enable_ocr(monkeypatch):
    def missing(*_a, **_k):
        raise ocr_engines.OcrUnavailable(f"RapidOCR is not installed: {ocr_engines.ENABLE_HINT}")

    monkeypatch.setattr("certreport.extract.scan.read_words", missing)
    for name in ("nomap_p2_5.pdf", "blank.png"):
        report = process_file(SCANS / name).rows["reports"][0]
        assert report["status"] == "failed", name
        assert "OCR is not available" in report["error"] or "needs OCR" in report["error"]
        assert "pip install 'certreport[ocr]'" in report["error"]


@needs_ocr
def test_models_come_from_the_wheel_and_nothing_is_downloaded(monkeypatch):
    """The engine loads with sockets refused and the library's downloader disabled."""
    import rapidocr.utils.download_file as dl

    def refuse(*_a, **_k):
        raise AssertionError("network use")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(dl.DownloadFile, "run", classmethod(lambda cls, *a, **k: refuse()))
    ocr_engines._load.cache_clear()
    try:
        settings = ocr_engines.OcrSettings(threads=1)
        engine = ocr_engines.get_engine(settings)
        img = np.full((60, 200), 255, np.uint8)
        img[20:40, 20:180:8] = 0
        engine.read(img)
        assert "PP-OCR" in engine.version
    finally:
        ocr_engines._load.cache_clear()


@needs_ocr
def test_ocr_results_are_cached_by_page_image(monkeypatch, tmp_path):
    monkeypatch.setenv("CERTREPORT_OCR_CACHE", str(tmp_path))
    img = np.full((80, 300), 255, np.uint8)
    img[30:50, 30:270:10] = 0
    first, _ = ocr_engines.read_words(img)
    calls = []
    engine = ocr_engines.get_engine(ocr_engines.OcrSettings())
    monkeypatch.setattr(engine, "read", lambda g: calls.append(1) or [])
    again, _ = ocr_engines.read_words(img)
    assert again == first and not calls
    assert list(tmp_path.rglob("*.json"))


@pytest.mark.skipif(ocr_engines.tesseract_version() is None,
                    reason="tesseract with chi_sim not installed")
def test_tesseract_is_an_option(monkeypatch):
    monkeypatch.setenv("CERTREPORT_OCR_ENGINE", "tesseract")
    rows = process_file(SCANS / "page2_150.png").rows
    assert rows["pages"][0]["engine"].startswith("tesseract")
    assert rows["reports"][0]["status"] in ("partial", "failed")


@needs_ocr
def test_committed_scanned_sample_round_trips():
    """The whole scanned report of data/samples (10 pages at 150 dpi, turned 0.4°): every
    field, team row, part total and clause value as in its truth, no error finding."""
    from synth.roundtrip import compare

    scan = ROOT / "data" / "samples" / "scan" / "synth_modern_square_s105.scan.pdf"
    truth = json.loads(scan.with_name(scan.stem + ".truth.json").read_text(encoding="utf-8"))
    rows = process_file(scan).rows
    result = compare(truth, rows)
    assert result.ok, result.lines()[:10]
    assert {c["source"] for c in rows["clauses"]} == {"ocr"}
    assert len(rows["pages"]) == 10 and {p["source"] for p in rows["pages"]} == {"ocr"}
