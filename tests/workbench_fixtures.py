"""A small warehouse for the workbench tests: two PDF reports with findings (boxes on their
pages), a Word report, the real report's text export and a file that fails."""
from __future__ import annotations

import shutil
from pathlib import Path

from certreport.pipeline import import_paths
from tests.conftest import REAL_REPORT, SAMPLES

PDF_WITH_FINDING = "synth_ledger_wingdings_sym_s110.pdf"  # item_score C11 on a page
PDF_OTHER = "synth_classic_wingdings_sym_s102.pdf"
DOCX = "synth_classic_unicode_s1.docx"


def make_sources(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in (PDF_WITH_FINDING, PDF_OTHER):
        shutil.copy(SAMPLES / "pdf" / name, folder / name)
    shutil.copy(SAMPLES / DOCX, folder / DOCX)
    shutil.copy(REAL_REPORT, folder / REAL_REPORT.name)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n%truncated")
    return folder


def make_warehouse(root: Path) -> tuple[Path, Path]:
    """(sources folder, warehouse) under ``root``."""
    src = make_sources(root / "in")
    wh = root / "wh"
    import_paths([src], wh, workers=0)
    return src, wh
