"""Page images of a warehouse's reports, rendered with PDFium (pypdfium2, installed with
pdfplumber) and cached under ``WAREHOUSE/_cache/pages/<report_id>/``.

Only the files the warehouse's own ``reports`` table names are ever opened: callers pass a
report id, never a path. A Word report is shown through the PDF LibreOffice makes of it
(cached beside its pages) when ``soffice`` is installed; else :func:`context` gives the
table or paragraph of the source that holds the value, for showing in place of a page.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from certreport.store import Warehouse

CACHE_DIR = "_cache"
SCALE = 1.5  # pixels per PDF point: 108 dpi
REPORT_ID = re.compile(r"[0-9a-f]{16}")
WORD_FORMATS = ("docx", "doc")
_lock = threading.Lock()


class NotServed(LookupError):
    """No such report or page in this warehouse (the web app answers 404)."""


@dataclass(frozen=True)
class PageImage:
    path: Path
    width_pt: float
    height_pt: float


def soffice() -> str | None:
    """The LibreOffice executable, when installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


class PageSource:
    """The renderable PDF of each report of one warehouse, and its cached page images."""

    def __init__(self, wh: Warehouse) -> None:
        self.wh = wh
        self.cache = wh.root / CACHE_DIR / "pages"

    def report(self, report_id: str) -> dict[str, Any]:
        """The report's row, or :class:`NotServed` (unknown or malformed id)."""
        if not REPORT_ID.fullmatch(report_id or ""):
            raise NotServed(report_id)
        t = self.wh.read("reports", ["report_id", "source_path", "source_format", "pages"])
        for r in t.to_pylist():
            if r["report_id"] == report_id:
                return r
        raise NotServed(report_id)

    def pdf(self, report_id: str) -> Path | None:
        """The PDF to render for a report: the source itself, LibreOffice's conversion of a
        Word report (when installed), or None."""
        r = self.report(report_id)
        src = Path(r["source_path"] or "")
        if r["source_format"] == "pdf" and src.is_file():
            return src
        if r["source_format"] in WORD_FORMATS and src.is_file() and soffice():
            return self._converted(report_id, src)
        return None

    def _converted(self, report_id: str, src: Path) -> Path | None:
        out = self.cache / report_id / "source.pdf"
        if out.exists():
            return out
        out.parent.mkdir(parents=True, exist_ok=True)
        with _lock, tempfile.TemporaryDirectory() as tmp:
            if out.exists():
                return out
            link = Path(tmp) / f"in{src.suffix.lower()}"
            shutil.copyfile(src, link)
            try:
                subprocess.run([soffice(), "--headless", f"-env:UserInstallation=file://{tmp}/u",
                                "--convert-to", "pdf", "--outdir", tmp, str(link)],
                               capture_output=True, timeout=120, check=False)
            except (OSError, subprocess.TimeoutExpired):
                return None
            made = Path(tmp) / "in.pdf"
            if not made.exists():
                return None
            shutil.move(str(made), out)
        return out

    def page(self, report_id: str, number: int) -> PageImage:
        """Page ``number`` (1-based) of a report as a cached PNG, or :class:`NotServed`."""
        pdf = self.pdf(report_id)
        if pdf is None or number < 1:
            raise NotServed(f"{report_id}/{number}")
        folder = self.cache / report_id
        png, meta = folder / f"{number}.png", folder / f"{number}.json"
        if png.exists() and meta.exists():
            size = json.loads(meta.read_text())
            return PageImage(png, size["width"], size["height"])
        import pypdfium2 as pdfium
        folder.mkdir(parents=True, exist_ok=True)
        with _lock:
            doc = pdfium.PdfDocument(str(pdf))
            try:
                if number > len(doc):
                    raise NotServed(f"{report_id}/{number}")
                page = doc[number - 1]
                width, height = page.get_size()
                image = page.render(scale=SCALE).to_pil()
                tmp = folder / f".tmp-{uuid.uuid4().hex[:8]}.png"
                image.save(tmp, format="PNG")  # optimize=True costs 5x the time for 2% less
                os.replace(tmp, png)
                meta.write_text(json.dumps({"width": width, "height": height}))
            finally:
                doc.close()
        return PageImage(png, width, height)

    def find(self, report_id: str, text: str | None, near: str | None = None
             ) -> tuple[int, tuple[float, float, float, float]] | None:
        """Page and box (x0, top, x1, bottom in points) of ``text`` in the report's PDF (for a
        Word report's conversion, which has no positions in the warehouse); ``near``, when
        given, is found first and ``text`` searched from its page on."""
        pdf = self.pdf(report_id)
        text = (text or "").strip()
        if pdf is None or not text:
            return None
        import pypdfium2 as pdfium
        with _lock:
            doc = pdfium.PdfDocument(str(pdf))
            try:
                start = 0
                if near:
                    hit = _search(doc, near.strip()[:30], 0)
                    start = hit[0] - 1 if hit else 0
                return _search(doc, text[:60], start)
            finally:
                doc.close()


def _search(doc: Any, text: str, start: int) -> tuple[int, tuple[float, float, float, float]] | None:
    for i in range(start, len(doc)):
        page = doc[i]
        tp = page.get_textpage()
        searcher = tp.search(text)
        hit = searcher.get_next()
        if hit:
            first, count = hit
            boxes = [tp.get_charbox(k) for k in range(first, first + count)]
            height = page.get_size()[1]
            left, bottom, right, top = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                                        max(b[2] for b in boxes), max(b[3] for b in boxes))
            return i + 1, (left, height - top, right, height - bottom)
    return None


def context(wh: Warehouse, report: dict[str, Any], line: int | None) -> dict[str, Any] | None:
    """The block (table rows or paragraph) at ``line`` of a report's source, re-read with the
    reader the import used: what a Word report shows instead of a page image."""
    from certreport import extract
    from certreport.extract.record import Table
    if line is None:
        return None
    src = Path(report["source_path"] or "")
    if not src.is_file():
        return None
    try:
        doc = extract.read_document(src)
    except Exception:  # noqa: BLE001 - a file that no longer reads shows no context
        return None
    found = None  # the last block starting at or before the line
    for block in doc.blocks:
        if block.where.line is not None and block.where.line <= line:
            found = block
    if found is None:
        return None
    if isinstance(found, Table):
        return {"kind": "table", "rows": [[c.text for c in row] for row in found.rows]}
    return {"kind": "paragraph", "text": found.text}
