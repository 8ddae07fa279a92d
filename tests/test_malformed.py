"""A whole archive of malformed inputs imported at once: every file gets its status and a
message naming it and its problem, the good reports all arrive, duplicates are reported,
and links, pipes and loops neither hang nor crash the walk.

The committed corpus is made by ``tests/malformed/make_corpus.py``; what git cannot hold
(links, a named pipe, an unreadable file) is made here, in a copy of it.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path
from typing import Any, Callable

import pytest
from typer.testing import CliRunner

from certreport.cli import app
from certreport.pipeline import discover, import_paths, process_file
from certreport.store import Warehouse
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "malformed" / "corpus"
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

# file name -> (status, what the error message must say after "<path>: ")
EXPECTED: dict[str, tuple[str, tuple[str, ...]]] = {
    "empty.pdf": ("failed", ("empty file (0 bytes)",)),
    "empty.docx": ("failed", ("empty file (0 bytes)",)),
    "empty.md": ("failed", ("empty file (0 bytes)",)),
    "random_bytes.pdf": ("failed", ("not a PDF (no %PDF header)",)),
    "random_bytes.docx": ("failed", ("not a zip file (not a Word .docx)",)),
    "random_bytes.md": ("failed", ("binary data (NUL bytes): not a text export",)),
    "truncated.pdf": ("failed", ("damaged or truncated PDF", "cut short: no %%EOF marker")),
    "truncated.docx": ("failed", ("damaged or truncated Word file", "no central directory")),
    "truncated.md": ("partial", ("no score rows for part(s) B, C",
                                 "ends in the middle of a character: the file looks truncated")),
    "encrypted.pdf": ("failed", ("encrypted PDF (password protected)",)),
    "password_protected.docx": ("failed", ("password-protected or encrypted Word file",)),
    "zip_bomb.docx": ("failed", ("document too large", "inflates", "zip bomb")),
    "unsupported_zip_version.docx": ("failed", ("damaged or unsupported zip file",
                                                 "zip file version 19.6")),
    "not_a_report.pdf": ("failed", ("not a report: no score tables and no report fields",)),
    "not_a_report.docx": ("failed", ("not a report: no score tables and no report fields",)),
    "scan_only.pdf": ("failed", ("no readable page: pages 1 could not be read",
                                 "page 1: OCR found no text")),
    "damaged_page.pdf": ("failed", ("damaged or truncated PDF: page 2 cannot be read",)),
    "duplicate_a.md": ("ok", ()),
    "审查报告 副本 (2024).md": ("ok", ()),
    # made at test time
    "broken link.pdf": ("failed", ("broken symbolic link (its target gone.pdf does not exist)",)),
    "link loop.docx": ("failed", ("symbolic link loop",)),
    "pipe.pdf": ("failed", ("not a regular file (a named pipe)",)),
    "locked.pdf": ("failed", ("cannot read file: Permission denied",)),
}
DUPLICATE = ("duplicate_b.md", "duplicate_a.md")  # (left out, same bytes as)


def with_timeout(func: Callable[[], Any], seconds: float = 20) -> Any:
    """``func()``, failing the test instead of hanging when it does not return."""
    out: list[Any] = []
    worker = threading.Thread(target=lambda: out.append(func()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"{func} did not return within {seconds} s (hangs?)"
    return out[0]


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    """A copy of the corpus plus a dangling link, a link to itself, a named pipe, a link
    to its own folder (a loop for a walk that follows links) and, when permissions hold,
    an unreadable file."""
    folder = tmp_path / "archive"
    shutil.copytree(CORPUS, folder)
    (folder / "broken link.pdf").symlink_to("gone.pdf")
    (folder / "link loop.docx").symlink_to("link loop.docx")
    os.mkfifo(folder / "pipe.pdf")
    (folder / "sub").mkdir()
    (folder / "sub" / "loop").symlink_to("..", target_is_directory=True)
    (folder / "sub" / "self").symlink_to(".", target_is_directory=True)
    locked = folder / "locked.pdf"
    locked.write_bytes(b"%PDF-1.4\n")
    locked.chmod(0)
    if os.access(locked, os.R_OK):  # root reads it anyway: then it is not part of the test
        locked.unlink()
    return folder


def expected_in(folder: Path) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {k: v for k, v in EXPECTED.items() if (folder / k).exists() or (folder / k).is_symlink()}


def reports_by_name(out: Path) -> dict[str, dict[str, Any]]:
    rows = Warehouse(out).read("reports").to_pylist()
    by_name = {Path(r["source_path"]).name: r for r in rows}
    assert len(by_name) == len(rows), "two report rows for one file name"
    return by_name


def assert_outcomes(folder: Path, out: Path) -> None:
    """Every input has its status and a message naming the file and its problem; the
    good reports are complete; the duplicate left one row."""
    expected = expected_in(folder)
    reports = reports_by_name(out)
    assert set(reports) == set(expected)
    for name, (status, says) in expected.items():
        row = reports[name]
        assert row["status"] == status, (name, row["error"])
        if status == "ok":
            assert row["error"] is None, name
            continue
        assert row["error"].startswith(f"{folder / name}: "), row["error"]
        for words in says:
            assert words in row["error"], (name, row["error"])
        assert "internal error" not in row["error"]
    clauses = Warehouse(out).read("clauses").to_pandas()
    per_report = clauses.groupby("report_id").size().to_dict()
    for name in ("duplicate_a.md", "审查报告 副本 (2024).md"):
        assert per_report[reports[name]["report_id"]] == 94, name
    assert per_report[reports["truncated.md"]["report_id"]] == 51
    assert set(per_report) == {reports[n]["report_id"] for n in
                               ("duplicate_a.md", "审查报告 副本 (2024).md", "truncated.md")}


def test_archive_in_process(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "wh"
    summary = with_timeout(lambda: import_paths([archive], out, workers=0))
    assert_outcomes(archive, out)
    expected = expected_in(archive)
    statuses = [s for s, _ in expected.values()]
    assert dict(summary.counts) == {"ok": statuses.count("ok"), "partial": 1, "unchanged": 1,
                                    "failed": statuses.count("failed")}
    assert summary.duplicates == [(str(archive / DUPLICATE[0]), str(archive / DUPLICATE[1]))]
    assert "1 duplicate(s) of files in this batch" in summary.line(out)
    assert {Path(p).name for p, _ in summary.failed} == {
        k for k, (s, _) in expected.items() if s == "failed"}
    assert not summary.ignored  # every corpus file is of a readable type


def test_archive_through_cli_with_workers(archive: Path, tmp_path: Path) -> None:
    out = tmp_path / "wh"
    res = with_timeout(lambda: CliRunner().invoke(
        app, ["import", str(archive), "--out", str(out), "--workers", "2", "--timeout", "20"]))
    assert res.exit_code == 1, res.output  # failed files make the exit status non-zero
    assert_outcomes(archive, out)
    expected = expected_in(archive)
    failed = sum(1 for s, _ in expected.values() if s == "failed")
    assert (f"imported {len(expected)} file(s): 2 ok, 1 partial, {failed} failed; "
            "1 unchanged") in res.stderr
    assert "1 duplicate(s) of files in this batch" in res.stderr
    assert (f"  duplicate: {archive / DUPLICATE[0]} has the same bytes as "
            f"{archive / DUPLICATE[1]}") in res.stderr
    for name, (status, _) in expected.items():
        assert (f"  failed: {archive / name}: " in res.stderr) == (status == "failed"), name


def test_link_loops_do_not_trap_the_walk(archive: Path) -> None:
    found = with_timeout(lambda: list(discover([archive])), seconds=10)
    assert not [p for p in found if {"loop", "self"} & set(p.relative_to(archive).parts)]
    assert sorted(p.name for p in found) == sorted([*expected_in(archive), DUPLICATE[0]])


@pytest.mark.skipif(AS_ROOT, reason="running as root: chmod 000 does not stop root reading "
                                    "(the dangling link, link loop and pipe stand in for it)")
def test_unreadable_file_by_permission(tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(b"%PDF-1.4\n")
    locked.chmod(0)
    result = process_file(locked)
    assert result.status == "failed"
    assert result.error == f"{locked}: cannot read file: Permission denied"


# ------------------------------------------------------------ regressions, one per bug


def error_of(name: str) -> str:
    result = process_file(CORPUS / name)
    assert "internal error" not in (result.error or "")
    return result.error or ""


def test_encrypted_pdf_was_reported_as_damaged() -> None:
    """pdfplumber wraps pdfminer's PDFPasswordIncorrect in PdfminerException, which the
    reader took for damage: 'damaged or truncated PDF: PdfminerException: '."""
    error = error_of("encrypted.pdf")
    assert "encrypted PDF" in error and "damaged" not in error and "PdfminerException" not in error


def test_damaged_pdf_page_was_an_internal_error() -> None:
    """A page whose objects are broken raised PdfminerException out of the reader; now a
    page the file lost (the page tree names it) fails the file in one line."""
    error = error_of("damaged_page.pdf")
    assert "damaged or truncated PDF: page 2 cannot be read" in error
    assert "\n" not in error and len(error) < len(str(CORPUS / "damaged_page.pdf")) + 200


def test_scan_only_pdf_was_called_not_a_report() -> None:
    """Fixed in normalise (fb4e412); the corpus file holds it."""
    error = error_of("scan_only.pdf")
    assert "not a report" not in error and "no readable page: pages 1 could not be read" in error


def test_truncated_docx_was_called_not_a_zip() -> None:
    assert "not a zip" not in error_of("truncated.docx")


def test_unsupported_zip_version_was_an_internal_error() -> None:
    """zipfile raises NotImplementedError for a member needing zip version > 6.3."""
    assert "zip file version 19.6" in error_of("unsupported_zip_version.docx")


def test_truncated_utf8_text_was_refused_as_not_text() -> None:
    """A text export cut inside a multi-byte character failed UTF-8 and then GB18030:
    'neither UTF-8 nor GB18030 text'; now read up to the cut, and the cut reported."""
    result = process_file(CORPUS / "truncated.md")
    assert result.status == "partial" and len(result.rows["clauses"]) == 51
    assert "looks truncated" in (result.error or "")


def test_truncated_utf8_with_bom_keeps_its_text() -> None:
    from certreport.extract.text import decode

    assert decode("\ufeff总分".encode("utf-8") + "分".encode("utf-8")[:2]) == "总分"


def test_empty_files_were_duplicates_of_each_other(tmp_path: Path) -> None:
    """Empty files share the bytes b"": all but one were left out as duplicates, with no
    row saying they are empty."""
    for name in ("a.pdf", "b.docx", "c.md"):
        (tmp_path / "in" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "in" / name).write_bytes(b"")
    summary = import_paths([tmp_path / "in"], tmp_path / "wh")
    assert not summary.duplicates and summary.counts["failed"] == 3
    rows = Warehouse(tmp_path / "wh").read("reports").to_pylist()
    assert len({r["report_id"] for r in rows}) == 3
    assert all(r["error"].endswith("empty file (0 bytes)") for r in rows)
    again = import_paths([tmp_path / "in"], tmp_path / "wh")  # re-import: still one row each
    assert again.counts["failed"] == 3 and Warehouse(tmp_path / "wh").read("reports").num_rows == 3


def test_named_pipe_hung_the_import(tmp_path: Path) -> None:
    """Opening a FIFO waits for a writer: the import hung (or timed out in a worker)."""
    pipe = tmp_path / "report.pdf"
    os.mkfifo(pipe)
    result = with_timeout(lambda: process_file(pipe), seconds=5)
    assert result.error == f"{pipe}: not a regular file (a named pipe)"


def test_dangling_link_said_no_such_file(tmp_path: Path) -> None:
    link = tmp_path / "report.md"
    link.symlink_to(tmp_path / "moved away.md")
    assert process_file(link).error == (
        f"{link}: broken symbolic link (its target {tmp_path / 'moved away.md'} does not exist)")
