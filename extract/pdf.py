"""PDF backend: the text layer's pages (pdfminer, :mod:`certreport.extract.pdf_parse`) into
the shared page model, each page's text layer judged readable or not
(:func:`~certreport.extract.pages.text_layer_problem`), the readable pages laid out into
blocks by :mod:`certreport.extract.page_blocks`. Pages without a usable text layer
(scans, glyphs without a Unicode map) are reported.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from certreport.extract.page_blocks import PageSettings, document_from_pages
from certreport.extract.pages import Page, QualitySettings, text_layer_problem
from certreport.extract.pdf_parse import PdfFile
from certreport.extract.record import Document

SUFFIXES = (".pdf",)
MAX_PAGES = 150       # far beyond any review report; longer files are not reports
MAX_BYTES = 200 * 2 ** 20


class PdfError(ValueError):
    """A PDF that cannot be read: the message says why."""


@dataclass(frozen=True)
class PdfSettings:
    pages: PageSettings = field(default_factory=PageSettings)
    quality: QualitySettings = field(default_factory=QualitySettings)


def _cause(exc: BaseException) -> BaseException:
    """The pdfminer exception inside a wrapping one (pdfplumber wraps them)."""
    inner = exc.args[0] if exc.args else None
    return inner if isinstance(inner, BaseException) else exc


def _describe(exc: BaseException, limit: int = 120) -> str:
    """``Type: message``, the message cut to ``limit`` characters (pdfminer quotes whole
    dictionaries)."""
    text = str(exc).strip()
    text = text if len(text) <= limit else text[:limit - 1] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _check_file(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise PdfError("not a PDF (no %PDF header)")
    if path.stat().st_size > MAX_BYTES:
        raise PdfError(f"{path.stat().st_size / 2 ** 20:.0f} MB: larger than any review report")


def _refusal(exc: BaseException) -> PdfError:
    """A clear message for what pdfminer raised on opening the file."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = _cause(exc)
    name = type(cause).__name__
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or (
            "Password" in name or "Encrypt" in name):
        return PdfError("encrypted PDF (password protected): it cannot be read without "
                        f"its password ({name})")
    return PdfError(f"damaged or truncated PDF: {_describe(cause)}")


def read_document(path: str | Path, settings: PdfSettings = PdfSettings()) -> Document:
    """Read a PDF report into blocks (see the module docstring)."""
    path = Path(path)
    _check_file(path)
    problems: list[str] = []
    unreadable: list[int] = []
    pages: list[Page] = []
    with open(path, "rb") as fh:
        try:
            pdf = PdfFile(fh)
            declared = pdf.declared_pages()
            tree = pdf.pages()
        except Exception as exc:  # pdfminer raises many kinds for broken files
            raise _refusal(exc) from exc
        if declared is not None and declared > MAX_PAGES:
            raise PdfError(f"{declared} pages: longer than any review report "
                           f"(limit {MAX_PAGES}); not read")
        try:  # walk the page tree before parsing any page: a long file is refused at once
            found = list(itertools.islice(tree, MAX_PAGES + 1))
        except Exception as exc:  # a broken page tree
            raise _refusal(exc) from exc
        if len(found) > MAX_PAGES:
            raise PdfError(f"more than {MAX_PAGES} pages: longer than any review report; "
                           "not read")
        n = len(found)
        for number, page in enumerate(found, start=1):
            try:
                objects = pdf.read(page, number)
            except Exception as exc:  # a broken page: pdfminer raises many kinds
                raise PdfError(f"damaged or truncated PDF: page {number} cannot be read: "
                               f"{_describe(_cause(exc))}") from exc
            why = text_layer_problem(objects, settings.quality)
            if why is None:
                pages.append(objects)
                continue
            unreadable.append(number)
            if objects.chars:  # a text layer that says nothing: name it
                problems.append(f"page {number}: {why}")
    if n == 0:
        raise PdfError("the PDF has no pages")
    return document_from_pages(str(path), "pdf", pages, n, problems, unreadable, settings.pages)
