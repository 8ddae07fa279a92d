"""Never silent: damaged input is repaired or flagged, no wrong or missing value goes
without a finding, failed files stay in sight (issue 15)."""
from __future__ import annotations

import dataclasses
import json
import logging
import re
import warnings
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from certreport import extract
from certreport.cli import app
from certreport.normalise import normalise
from certreport.normalise.unreadable import is_unreadable
from certreport.pipeline import import_paths, process_file
from tests.conftest import REAL_REPORT, SAMPLES
from tests.malformed.make_corpus import pdf as write_pdf

runner = CliRunner()
DOCX = SAMPLES / "synth_classic_unicode_s1.docx"
A1_ROW = "| 1    | A1         | 100   | 1      |"


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def _variant(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = REAL_REPORT.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _checks(result, name: str) -> list[dict]:
    return [c for c in result.rows["checks"] if c["check_name"] == name]


# ---------------------------------------------------------------- 1. unreadable text


@pytest.mark.parametrize("noise", ["(cid:15)(cid:10)(cid:10)(cid:30)", "1\ufffd0", "\ue012\ue013"])
def test_unreadable_pct_cell_is_null_with_a_finding(tmp_path, noise):
    result = process_file(_variant(tmp_path, "r.md", A1_ROW,
                                   f"| 1    | A1         | {noise}   | 1      |"))
    a1 = next(c for c in result.rows["clauses"] if c["code"] == "A1")
    assert a1["score_pct"] is None and a1["weight"] == 1 and a1["stated_score"] == 1
    found = _checks(result, "unreadable_text")
    assert [f["target"] for f in found] == ["A1"]
    assert "score %" in found[0]["message"] and "page" in found[0]["message"]
    assert found[0]["page"] == a1["page"]


def test_unreadable_weight_and_score_never_become_numbers(tmp_path):
    result = process_file(_variant(tmp_path, "r.md", A1_ROW,
                                   "| (cid:15)    | A1         | 100   | (cid:15)(cid:10)      |"))
    a1 = next(c for c in result.rows["clauses"] if c["code"] == "A1")
    assert a1["weight"] is None and a1["stated_score"] is None
    assert len(_checks(result, "unreadable_text")) == 2
    assert not _checks(result, "missing_value")  # said once, as unreadable


def test_unreadable_field_is_null_with_a_finding(tmp_path):
    result = process_file(_variant(tmp_path, "r.md", "1.2 项目编号： 0029-2023-SE-2024",
                                   "1.2 项目编号： (cid:3)(cid:4)(cid:5)"))
    report = result.rows["reports"][0]
    assert report["project_no"] in (None, "0029-2023-SE-2024")  # the cover states it too
    assert not is_unreadable(report["project_no"] or "")
    assert any(f["target"] == "project_no" for f in _checks(result, "unreadable_text"))


def test_clean_samples_have_no_unreadable_or_missing_findings():
    for path in [REAL_REPORT, DOCX, SAMPLES / "pdf" / "synth_classic_unicode_s101.pdf"]:
        result = process_file(path)
        assert not _checks(result, "unreadable_text"), path
        assert not _checks(result, "missing_value"), path
        assert result.rows["reports"][0]["problems"] is None, path


# ---------------------------------------------------------------- 2. warnings, pages, lost clauses


def test_library_warnings_are_stored_with_the_report_not_printed(tmp_path, monkeypatch, capsys):
    real_read = extract.read

    def noisy_read(*args, **kwargs):
        warnings.warn("an odd table", UserWarning)
        warnings.warn("garbage collected elsewhere", ResourceWarning)
        for _ in range(3):
            logging.getLogger("pdfminer.pdftypes").warning("Data-loss while decompressing")
        return real_read(*args, **kwargs)

    monkeypatch.setattr(extract, "read", noisy_read)
    result = process_file(REAL_REPORT)
    problems = result.rows["reports"][0]["problems"]
    assert "pdfminer.pdftypes: Data-loss while decompressing (×3)" in problems
    assert "UserWarning: an odd table" in problems
    assert not any("garbage" in p for p in problems)  # about code, not this file
    captured = capsys.readouterr()
    assert "Data-loss" not in captured.err and "odd table" not in captured.err


def test_problems_column_round_trips_through_the_warehouse(tmp_path, monkeypatch):
    real_read = extract.read
    monkeypatch.setattr(extract, "read", lambda *a, **k: (
        logging.getLogger("docx.x").warning("odd part"), real_read(*a, **k))[1])
    import_paths([REAL_REPORT], tmp_path / "wh")
    reports = pd.read_parquet(tmp_path / "wh" / "reports")
    assert list(reports.loc[0, "problems"]) == ["docx.x: odd part"]


def _pdf(pages: list[tuple[bytes, bytes]]) -> bytes:
    """A PDF of (stream dictionary, stream data) content streams, Helvetica as F1."""
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(len(pages)))
    objects: list = [b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages),
                     b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                     b"/Encoding /WinAnsiEncoding >>"]
    for i, stream in enumerate(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                       b"<< /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        objects.append(stream)
    return write_pdf(objects)


TEXT_PAGE = b"".join(b"BT /F1 9 Tf 1 0 0 1 40 %d Tm (Line %d: words to read on this page.) "
                     b"Tj ET\n" % (800 - 14 * i, i) for i in range(50))


def test_page_whose_stream_does_not_decode_is_named(tmp_path):
    packed = bytearray(zlib.compress(TEXT_PAGE))
    packed[len(packed) // 2] ^= 0xFF
    packed[len(packed) // 2 + 1] ^= 0x55
    path = tmp_path / "damaged_stream.pdf"
    path.write_bytes(_pdf([(b"<< >>", TEXT_PAGE), (b"<< /Filter /FlateDecode >>", bytes(packed)),
                           (b"<< >>", TEXT_PAGE)]))
    problems = extract.read_document(path).problems
    assert "object 7: compressed stream damaged (incorrect data check)" in " ".join(problems)
    stored = process_file(path).rows["reports"][0]["problems"]
    assert any("compressed stream damaged" in p for p in stored)


def test_stream_cut_short_is_named(tmp_path):
    packed = zlib.compress(TEXT_PAGE)
    path = tmp_path / "short_stream.pdf"
    path.write_bytes(_pdf([(b"<< >>", TEXT_PAGE),
                           (b"<< /Filter /FlateDecode >>", packed[: len(packed) // 3]),
                           (b"<< >>", TEXT_PAGE)]))
    assert "(the stream ends early)" in " ".join(extract.read_document(path).problems)


def test_clean_pdf_samples_have_no_damaged_streams():
    from certreport.extract.pdf_streams import damaged_streams

    for path in sorted((SAMPLES / "pdf").glob("*.pdf")):
        assert damaged_streams(path.read_bytes()) == [], path.name


def test_page_that_yields_nothing_beside_full_pages_is_named(tmp_path):
    path = tmp_path / "blank_middle.pdf"
    path.write_bytes(_pdf([(b"<< >>", TEXT_PAGE), (b"<< >>", b""), (b"<< >>", TEXT_PAGE)]))
    problems = extract.read_document(path).problems
    assert any(re.match(r"page 2: 0 text piece\(s\) against \d+ and \d+", p) for p in problems)


def test_reader_problems_make_a_report_partial():
    record = dataclasses.replace(extract.read(REAL_REPORT),
                                 problems=("page 4: its content may be lost",))
    report = normalise(record).report
    assert report["status"] == "partial" and "page 4" in report["error"]
    assert report["error"].startswith(f"{REAL_REPORT}: ")


def test_clauses_lost_against_the_catalogue_make_a_report_partial(tmp_path):
    text = REAL_REPORT.read_text(encoding="utf-8")
    lines = text.splitlines()
    keep = [ln for ln in lines if not re.search(r"\|\s*A1[2-4]\s*\|", ln)]
    assert len(lines) - len(keep) == 3
    path = tmp_path / "lost.md"
    path.write_text("\n".join(keep), encoding="utf-8")
    result = process_file(path)
    assert result.status == "partial"
    assert re.search(r"3 clause\(s\) of CTS ISC-JSGF-06 not read \(pages? [\d–, ]+\): "
                     r"A12, A13, A14", result.error), result.error


# ---------------------------------------------------------------- 3. missing stated values


def test_empty_stated_score_is_a_warning_naming_clause_and_page(tmp_path):
    result = process_file(_variant(tmp_path, "r.md", A1_ROW, "| 1    | A1         | 100   |       |"))
    found = _checks(result, "missing_value")
    assert [(f["severity"], f["target"]) for f in found] == [("warning", "A1")]
    assert "分项实际得分" in found[0]["message"] and "page" in found[0]["message"]
    assert found[0]["page"] is not None


def test_non_numeric_weight_is_a_warning(tmp_path):
    result = process_file(_variant(tmp_path, "r.md", A1_ROW, "| 1    | A1         | 100   | 1      |"
                                   .replace("| 1    | A1", "| 一分    | A1")))
    found = _checks(result, "missing_value")
    assert [f["target"] for f in found] == ["A1"] and "小类分值" in found[0]["message"]
    assert "'一分'" in found[0]["message"]


# ---------------------------------------------------------------- 4. Word packages


def _rezip(src: Path, dst: Path, drop: set[str] = frozenset(),
           change=lambda name, data: data) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename not in drop:
                zout.writestr(info.filename, change(info.filename, zin.read(info)))
    return dst


def _values(result) -> tuple:
    rows = result.rows
    report = {k: v for k, v in rows["reports"][0].items()
              if k in ("org_name", "project_no", "audit_type", "stated_total", "computed_total",
                       "audit_start", "scope", "conclusion")}
    clauses = [(c["code"], c["weight"], c["score_pct"], c["stated_score"]) for c in rows["clauses"]]
    return report, clauses


@pytest.mark.parametrize("part", ["word/numbering.xml", "word/styles.xml", "word/settings.xml",
                                  "docProps/core.xml", "customXml/item1.xml",
                                  "word/fontTable.xml"])
def test_docx_without_an_auxiliary_part_is_read_and_partial(tmp_path, part):
    path = _rezip(DOCX, tmp_path / "lost_part.docx", drop={part})
    result = process_file(path)
    assert result.status == "partial", result.error
    assert f"missing part {part}" in result.error
    assert any(part in p for p in result.rows["reports"][0]["problems"])
    assert _values(result) == _values(process_file(DOCX))


def test_docx_with_a_damaged_auxiliary_part_is_read_and_partial(tmp_path):
    path = _rezip(DOCX, tmp_path / "bad_styles.docx",
                  change=lambda n, d: d[: len(d) // 2] if n == "word/styles.xml" else d)
    result = process_file(path)
    assert result.status == "partial" and "damaged part word/styles.xml" in result.error
    assert _values(result) == _values(process_file(DOCX))


def test_docx_without_content_types_is_rebuilt(tmp_path):
    path = _rezip(DOCX, tmp_path / "no_ct.docx", drop={"[Content_Types].xml"})
    result = process_file(path)
    assert result.status == "partial" and "[Content_Types].xml: rebuilt" in result.error
    assert _values(result) == _values(process_file(DOCX))


def test_docx_with_a_damaged_main_part_fails_in_one_line(tmp_path):
    path = _rezip(DOCX, tmp_path / "bad_main.docx",
                  change=lambda n, d: d[:-300] if n == "word/document.xml" else d)
    result = process_file(path)
    assert result.status == "failed" and "\n" not in result.error
    assert "word/document.xml is not well-formed XML" in result.error


_TO_STRICT = {
    b"http://schemas.openxmlformats.org/wordprocessingml/2006/main":
        b"http://purl.oclc.org/ooxml/wordprocessingml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    b"http://schemas.openxmlformats.org/drawingml/2006/main":
        b"http://purl.oclc.org/ooxml/drawingml/main",
}


def test_strict_ooxml_docx_reads_like_its_transitional_twin(tmp_path):
    def strict(name: str, data: bytes) -> bytes:
        for old, new in _TO_STRICT.items():
            data = data.replace(old, new)
        return data
    path = _rezip(DOCX, tmp_path / "strict.docx", change=strict)
    with zipfile.ZipFile(path) as zf:
        assert b"purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" in zf.read(
            "_rels/.rels")
    result = process_file(path)
    original = process_file(DOCX)
    assert result.status == original.status == "ok", result.error
    assert _values(result) == _values(original)


# ---------------------------------------------------------------- 5. failed files stay in sight


@pytest.fixture()
def mixed(tmp_path: Path) -> Path:
    """A warehouse of the real report, a file that fails, and one read in part."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "real.md").write_bytes(REAL_REPORT.read_bytes())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Cat")
    text = REAL_REPORT.read_text(encoding="utf-8")
    (folder / "no_tables.md").write_text(
        "\n".join(ln for ln in text.splitlines() if not ln.startswith("|")), encoding="utf-8")
    out = tmp_path / "wh"
    assert invoke("import", folder, "--out", out, "-j", "0").exit_code == 1
    return out


def test_failed_and_partial_files_are_findings(mixed):
    checks = pd.read_parquet(mixed / "checks")
    status = checks[checks["check_name"] == "file_status"]
    by_file = {Path(t).name: (s, m) for t, s, m in zip(status["target"], status["severity"],
                                                       status["message"])}
    assert by_file["broken.pdf"][0] == "error" and "broken.pdf" in by_file["broken.pdf"][1]
    assert by_file["no_tables.md"][0] == "warning"
    assert "real.md" not in by_file


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "html"])
def test_every_check_format_lists_the_failed_file(mixed, fmt):
    res = invoke("check", mixed, "--format", fmt)
    assert res.exit_code == 1  # a failed file is an error finding
    assert "broken.pdf" in res.stdout and "file_status" in res.stdout
    assert "no_tables.md" in res.stdout
    if fmt == "json":
        rows = json.loads(res.stdout)
        assert {r["check_name"] for r in rows} == {"file_status"}
    if fmt == "html":
        assert "every report adds up" not in res.stdout


def test_xlsx_export_lists_the_failed_file(mixed, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "w.xlsx"
    assert invoke("export", mixed, "--to", "xlsx", "--out", out).exit_code == 0
    sheet = load_workbook(out, read_only=True)["checks"]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row]
    assert any("broken.pdf" in c for c in cells) and "file_status" in cells


def test_rerun_retries_failed_files_and_counts_them(mixed, tmp_path):
    again = invoke("import", tmp_path / "in", "--out", mixed, "-j", "0")
    assert again.exit_code == 1
    assert "1 failed" in again.stderr and "2 unchanged" in again.stderr
    skip = invoke("import", tmp_path / "in", "--out", mixed, "-j", "0", "--no-retry")
    assert skip.exit_code == 1
    assert "0 failed; 3 unchanged" in skip.stderr
    assert "1 failed earlier and not retried" in skip.stderr and "broken.pdf" in skip.stderr
    assert len(pd.read_parquet(mixed / "reports")) == 3


# ---------------------------------------------------------------- 9. non-reports


def test_non_report_is_one_failed_row_and_nothing_else(tmp_path):
    novel = tmp_path / "novel.txt"
    novel.write_text("从前有座山，山里有座庙。\n庙里有个老和尚。\n", encoding="utf-8")
    out = tmp_path / "wh"
    import_paths([novel], out)
    reports = pd.read_parquet(out / "reports")
    assert len(reports) == 1 and reports.loc[0, "status"] == "failed"
    assert pd.isna(reports.loc[0, "spec"]) and pd.isna(reports.loc[0, "spec_detected_by"])
    for table in ("clauses", "sections", "team"):
        assert len(pd.read_parquet(out / table)) == 0, table
    checks = pd.read_parquet(out / "checks")
    assert list(checks["check_name"]) == ["file_status"]  # the failure itself, nothing more


def test_fuzzed_samples_are_never_silent():
    """A few seeded damaged copies (benchmarks/fuzz.py runs hundreds): no crash, no hang,
    no ok row whose values changed without a finding or a recorded problem."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import fuzz

    subset = [REAL_REPORT, DOCX, SAMPLES / "pdf" / "synth_ledger_tick_s108.pdf"]
    tallies = fuzz.run(count=15, seed=7, workers=1, timeout=60, only=subset)
    total = tallies["all"]
    assert total.files == 15
    assert (total.crashes, total.hangs, total.silent) == (0, 0, 0)


def test_object_whose_dictionary_was_zeroed_is_named():
    """Overwritten bytes that hit a dictionary (here a page's content stream: its length
    and the stream keyword lost) leave PDFium reading past the object without a word."""
    from certreport.extract.pdf_streams import damaged_streams

    data = bytearray(_pdf([(b"<< >>", TEXT_PAGE), (b"<< /Filter /FlateDecode >>",
                                                   zlib.compress(TEXT_PAGE))]))
    at = data.index(b"/Filter /FlateDecode") + len(b"/Filter /Flate")
    data[at:at + 40] = bytes(40)
    assert damaged_streams(bytes(data)) == [
        "object 7: damaged (a run of zero bytes in its dictionary): its content may be lost "
        "or garbled"]


def test_stream_filter_with_a_flipped_byte_is_named():
    from certreport.extract.pdf_streams import damaged_streams

    data = _pdf([(b"<< /Filter /FlbteDecode >>", zlib.compress(TEXT_PAGE)),
                 (b"<< /Filter [/ASCII85Decode /FlateDecode] >>", b"z~>")])
    assert damaged_streams(data) == [
        "object 5: stream filter /FlbteDecode is no PDF filter (its dictionary is damaged): "
        "its content cannot be decoded"]


def test_zero_bytes_in_stream_data_or_after_the_file_are_no_damage():
    """Binary stream data (an image, a font) may hold runs of zeros, and some tools pad a
    file with them after its end: neither is damage."""
    from certreport.extract.pdf_streams import damaged_streams

    data = _pdf([(b"<< >>", TEXT_PAGE), (b"<< /Subtype /Image >>", b"\xff" + bytes(64) + b"\x01")])
    assert damaged_streams(data + bytes(4096)) == []
