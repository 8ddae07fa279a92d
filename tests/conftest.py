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


@pytest.fixture(scope="session", autouse=True)
def ocr_cache(tmp_path_factory):
    """One OCR cache for the session: a page image the tests read twice (a sample in the
    golden import and in a test) is recognised once. Never the user's cache."""
    import os

    old = os.environ.get("CERTREPORT_OCR_CACHE")
    os.environ["CERTREPORT_OCR_CACHE"] = str(tmp_path_factory.mktemp("ocr-cache"))
    yield
    if old is None:
        os.environ.pop("CERTREPORT_OCR_CACHE", None)
    else:
        os.environ["CERTREPORT_OCR_CACHE"] = old


def warehouse_tables(out: Path):
    """Every table of a warehouse as a sorted DataFrame without the import time: what two
    imports of the same files must agree on."""
    from certreport.schemas.tables import TABLE_NAMES
    from certreport.store import Warehouse

    frames = {}
    for name in TABLE_NAMES:
        df = Warehouse(out).read(name).to_pandas().drop(columns=["imported_at"], errors="ignore")
        frames[name] = df.sort_values(list(df.columns)).reset_index(drop=True)
    return frames
