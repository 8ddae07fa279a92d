"""Import progress: a bar with files/s and ETA on a terminal, plain lines otherwise."""
from __future__ import annotations

import io
from pathlib import Path

from certreport.pipeline import FileResult
from certreport.progress import Progress


def _result(status: str, error: str | None = None) -> FileResult:
    return FileResult(Path("r.pdf"), "id", status, error,
                      {"clauses": [{}] * 94} if status != "failed" else {}, errors=1)


def test_terminal_bar_shows_rate_and_eta_and_keeps_failures():
    out = io.StringIO()
    bar = Progress(out, total=4)
    bar.update(_result("ok"), Path("a.pdf"), 1)
    bar.update(_result("failed", "b.pdf: not a PDF (no %PDF header)"), Path("b.pdf"), 2)
    bar.update(None, Path("c.pdf"), 3)
    bar.finish()
    text = out.getvalue()
    assert "3/4" in text and "files/s" in text and "ETA" in text and "\r" in text
    assert "b.pdf: FAILED: b.pdf: not a PDF (no %PDF header)\n" in text  # kept on its own line


def test_plain_lines_when_not_a_terminal():
    out = io.StringIO()
    bar = Progress(out, total=None)
    bar.update(_result("ok"), Path("a.pdf"), 1)
    bar.update(None, Path("c.pdf"), 2)
    bar.finish()
    assert out.getvalue().splitlines() == [
        "[1] a.pdf: ok, 94 clauses, 1 error / 0 warning findings", "[2] c.pdf: unchanged"]
