"""PDF backend: the text layer's pages (PDFium, :mod:`certreport.extract.pdf_pdfium`) into
the shared page model, each page's text layer judged readable or not
(:func:`~certreport.extract.pages.text_layer_problem`), the readable pages laid out into
blocks by :mod:`certreport.extract.page_blocks`. Pages without a usable text layer
(scans, glyphs without a Unicode map) are read by OCR (:mod:`certreport.extract.scan`),
page by page, so a mixed file keeps its text layer where it has a good one. A file PDFium opens only by
rebuilding its cross-reference table is read and recorded as repaired; one it cannot
open fails with the reason.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from certreport.extract.page_blocks import PageSettings, document_from_pages
from certreport.extract.pages import Page, PageInfo, QualitySettings, text_layer_problem
from certreport.extract.pdf_streams import damaged_streams
from certreport.extract.record import Document
from certreport.problems import captured
from certreport.extract.scan_settings import ScanSettings

SUFFIXES = (".pdf",)
MAX_PAGES = 150       # far beyond any review report; longer files are not reports
MAX_BYTES = 200 * 2 ** 20
REPAIRED = ("repaired: the PDF's cross-reference table or trailer is missing or broken; "
            "rebuilt from the file's objects")


class PdfError(ValueError):
    """A PDF that cannot be read: the message says why."""


@dataclass(frozen=True)
class PdfSettings:
    pages: PageSettings = field(default_factory=PageSettings)
    quality: QualitySettings = field(default_factory=QualitySettings)
    scan: ScanSettings = field(default_factory=ScanSettings)


def _read_file(path: Path) -> bytes:
    if path.stat().st_size > MAX_BYTES:
        raise PdfError(f"{path.stat().st_size / 2 ** 20:.0f} MB: larger than any review report")
    data = path.read_bytes()
    if b"%PDF" not in data[:1024]:
        raise PdfError("not a PDF (no %PDF header)")
    return data


def _damage(data: bytes) -> str:
    """What the end of a file PDFium refused shows of its damage."""
    tail = data[-2048:]
    if b"%%EOF" not in tail:
        return "the file is cut short: no %%EOF marker at its end"
    if b"startxref" not in tail:
        return "no cross-reference table or trailer"
    return "not in PDF format or corrupted"


_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_OBJ = re.compile(rb"\s*(\d+)\s+\d+\s+obj\b")
_SUBSECTION = re.compile(rb"xref\s+(\d+)\s+(\d+)\s+")


def xref_broken(data: bytes, probes: int = 4) -> bool:
    """Whether the last cross-reference section is missing or wrong: no ``startxref``,
    an offset that lands on neither a table nor an xref stream, or table entries that
    point at no object (a few probed). PDFium rebuilds such tables without always
    saying so."""
    found = list(_STARTXREF.finditer(data, max(0, len(data) - 4096)))
    if not found:
        return True
    at = int(found[-1].group(1))
    head = data[at:at + 64]
    if _OBJ.match(head):
        return False  # an xref stream: PDFium's own check stands
    sub = _SUBSECTION.match(data, at)
    if sub is None:
        return True
    first, count = int(sub.group(1)), int(sub.group(2))
    entries = sub.end()
    for k in range(min(count, 64)):
        entry = data[entries + 20 * k:entries + 20 * k + 20]
        if len(entry) < 18:
            return True
        if entry[17:18] != b"n":
            continue
        obj = _OBJ.match(data, int(entry[:10]))
        if obj is None or int(obj.group(1)) != first + k:
            return True
        probes -= 1
        if probes == 0:
            break
    return False


_CATALOG = re.compile(rb"/Type\s*/Catalog\b")
_OBJ_HEAD = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")


def with_trailer(data: bytes) -> bytes | None:
    """The file with a trailer naming its catalog appended, for a file that lost its
    cross-reference table and trailer (cut off after its last object): PDFium rebuilds
    the table from the objects but needs the trailer to find the catalog. None when the
    file still has a trailer or no catalog is left."""
    if b"trailer" in data[-4096:] or b"/XRef" in data[-4096:]:
        return None
    found = list(_CATALOG.finditer(data))
    if not found:
        return None
    at = found[-1].start()
    heads = list(_OBJ_HEAD.finditer(data, max(0, at - 4096), at))
    if not heads:
        return None
    num, gen = heads[-1].group(1), heads[-1].group(2)
    return data + b"\ntrailer\n<< /Root %s %s R >>\n%%%%EOF\n" % (num, gen)


def _refusal(exc: Exception, data: bytes) -> PdfError:
    """A clear message for a file PDFium would not open. PDFium's error code is a
    process-wide "last error" that some failures leave as it was, so the file's bytes
    confirm what the code says."""
    from certreport.extract.pdf_pdfium import pdfium_c

    code = getattr(exc, "code", None)
    if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY) and b"/Encrypt" in data:
        if code == pdfium_c.FPDF_ERR_SECURITY:
            return PdfError("encrypted PDF (unsupported security handler): it cannot be read")
        return PdfError("encrypted PDF (password protected): it cannot be read without "
                        "its password")
    if not _PAGE_OBJECT.search(data) and b"/ObjStm" not in data and b"%%EOF" in data[-2048:]:
        return PdfError("the PDF has no pages")
    return PdfError(f"damaged or truncated PDF: PDFium cannot open it ({_damage(data)})")


# a page object's dictionary, counted when the page tree's /Count is smaller than the
# pages the file holds (a lying count must not let a long file through)
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def read_document(path: str | Path, settings: PdfSettings = PdfSettings()) -> Document:
    """Read a PDF report into blocks (see the module docstring)."""
    from certreport.extract.pdf_pdfium import PdfFile, PdfiumOpenError

    path = Path(path)
    data = _read_file(path)
    problems: list[str] = []
    unreadable: dict[int, str] = {}  # page -> why its text layer cannot be used
    pages: list[Page] = []
    repaired = False
    try:
        pdf = PdfFile(data)
    except PdfiumOpenError as exc:
        patched = with_trailer(data)
        if patched is None:
            raise _refusal(exc, data) from exc
        try:
            pdf = PdfFile(patched)
        except PdfiumOpenError:
            raise _refusal(exc, data) from exc
        repaired = True
    with pdf:
        n = pdf.page_count()
        if n > MAX_PAGES:
            raise PdfError(f"{n} pages: longer than any review report "
                           f"(limit {MAX_PAGES}); not read")
        if len(_PAGE_OBJECT.findall(data)) > MAX_PAGES:
            raise PdfError(f"more than {MAX_PAGES} pages: longer than any review report; "
                           "not read")
        if n == 0:
            raise PdfError("the PDF has no pages")
        if repaired or pdf.repaired or xref_broken(data):
            problems.append(REPAIRED)
        problems.extend(damaged_streams(data))  # PDFium reads past them without a word
        for number in range(1, n + 1):
            with captured() as caught:  # warnings while reading a page are named by it
                try:
                    objects = pdf.read(number - 1)
                except PdfiumOpenError as exc:  # one broken page: the rest is read
                    objects = None
                    problems.append(f"damaged or truncated PDF: page {number} cannot be "
                                    f"read (PDFium: {exc})")
            problems.extend(f"page {number}: {m}" for m in caught.messages())
            if objects is None:
                continue
            why = text_layer_problem(objects, settings.quality)
            if why is None:
                pages.append(objects)
                continue
            unreadable[number] = why
    if not pages and not unreadable:
        raise PdfError(next(p for p in problems if "cannot be read" in p))
    # pages whose text layer cannot be used are read by OCR (scans, glyphs without maps);
    # numpy and the OCR engine load only for a file that has such pages
    if unreadable:
        from certreport.extract.scan import add_ocr_pages

        pages, still, infos = add_ocr_pages(path, pages, unreadable, problems, settings.scan)
    else:
        still, infos = [], [PageInfo.of(p) for p in pages]
    return document_from_pages(str(path), "pdf", pages, n, problems, still, settings.pages,
                               tuple(infos))
