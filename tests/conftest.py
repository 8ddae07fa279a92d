"""Shared fixtures: the committed samples (tests never read outside the project)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SAMPLES = ROOT / "data" / "samples"
REAL_REPORT = SAMPLES / "real_report_0029-2023-SE-2024.md"


@pytest.fixture(scope="session")
def real_text() -> str:
    return REAL_REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def real_rows():
    """The table rows of the real report, imported once per session."""
    from certreport.pipeline import process_file
    return process_file(REAL_REPORT).rows
