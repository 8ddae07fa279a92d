"""The reader registry: files go to the reader their content names, then their suffix."""
from __future__ import annotations

import shutil
import subprocess

import pandas as pd
import pytest

from certreport import __version__, extract
from certreport.extract import readers
from certreport.pipeline import discover, import_paths, process_file
from tests.conftest import REAL_REPORT, SAMPLES

DOCX = SAMPLES / "synth_classic_unicode_s1.docx"
PDF = SAMPLES / "pdf" / "synth_classic_unicode_s101.pdf"


def _copy(src, dst):
    shutil.copyfile(src, dst)
    return dst


@pytest.mark.parametrize("src, name, reader", [
    (PDF, "report.docx", "pdf"),          # a PDF misnamed .docx
    (DOCX, "report.pdf", "docx"),         # a .docx misnamed .pdf
    (PDF, "report", "pdf"),               # no suffix
    (DOCX, "report", "docx"),
    (DOCX, "report.bin", "docx"),          # a suffix no reader knows
    (REAL_REPORT, "report.md", "text"),    # text has no magic: by its suffix
])
def test_reader_chosen_by_content_then_suffix(tmp_path, src, name, reader):
    path = _copy(src, tmp_path / name)
    assert readers.choose(path).name == reader


def test_misnamed_files_read_as_what_they_are(tmp_path):
    for src, name, fmt in ((DOCX, "really_docx.pdf", "docx"), (PDF, "really_pdf.docx", "pdf"),
                           (PDF, "no_suffix", "pdf")):
        original = process_file(src).rows
        got = process_file(_copy(src, tmp_path / name)).rows
        report = got["reports"][0]
        assert report["status"] == original["reports"][0]["status"] == "ok", report["error"]
        assert report["source_format"] == fmt
        assert got["clauses"] == original["clauses"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_docx_that_is_really_a_legacy_doc_goes_to_the_doc_reader(tmp_path):
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--headless", "--convert-to", "doc", "--outdir", str(tmp_path), str(DOCX)],
                   check=True, capture_output=True, timeout=180)
    legacy = (tmp_path / DOCX.with_suffix(".doc").name).rename(tmp_path / "legacy.docx")
    assert readers.choose(legacy).name == "doc"
    record = extract.read(legacy)
    assert record.source_format == "doc"
    assert len(record.rows) == len(extract.read(DOCX).rows) > 0


def test_unknown_content_without_a_known_suffix_is_refused_by_name(tmp_path):
    path = tmp_path / "notes.bin"
    path.write_bytes(b"\x00\x01 nothing we read")
    with pytest.raises(readers.UnsupportedFormat, match=r"'\.bin'"):
        readers.choose(path)
    result = process_file(path)
    assert result.status == "failed" and "unsupported file type" in result.error
    assert result.rows["reports"][0]["source_format"] is None


def test_folders_take_files_by_content_and_count_the_rest(tmp_path):
    _copy(PDF, tmp_path / "scan_export")          # no suffix, a PDF inside
    (tmp_path / "readme.json").write_text("{}")  # not a report by suffix or content
    _copy(REAL_REPORT, tmp_path / "real.md")
    from collections import Counter
    ignored: Counter = Counter()
    found = sorted(p.name for p in discover([tmp_path], ignored))
    assert found == ["real.md", "scan_export"]
    assert ignored == Counter({".json": 1})


def test_one_source_format_for_read_and_failed_files(tmp_path):
    empty = tmp_path / "empty.md"
    empty.write_bytes(b"")
    failed = process_file(empty).rows["reports"][0]
    good = process_file(REAL_REPORT).rows["reports"][0]
    assert failed["status"] == "failed" and good["status"] == "ok"
    assert good["source_format"] == failed["source_format"] == "markdown"


def test_the_reader_version_joins_the_skip_key(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    _copy(DOCX, folder / "a.docx")
    _copy(REAL_REPORT, folder / "b.md")
    out = tmp_path / "wh"
    first = import_paths([folder], out)
    assert first.counts["ok"] == 2
    versions = dict(pd.read_parquet(out / "reports")[["source_format", "extractor_version"]]
                    .itertuples(index=False))
    assert versions == {"docx": f"{__version__} docx/1", "markdown": f"{__version__} text/1"}
    assert import_paths([folder], out).counts["unchanged"] == 2
    # upgrading one reader re-reads just its files
    bumped = tuple(r if r.name != "docx" else readers.Reader(r.name, r.module, r.suffixes, "2",
                                                              r.sniff, r.missing)
                   for r in readers.READERS)
    monkeypatch.setattr(readers, "READERS", bumped)
    again = import_paths([folder], out)
    assert again.counts["unchanged"] == 1 and again.counts["ok"] == 1
