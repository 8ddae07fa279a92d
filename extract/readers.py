"""The registry of format readers, chosen by what a file holds before what it is called.

Each reader is one entry of :data:`READERS`: its name, the module that reads it (imported on
first use, so a missing optional library only affects its own format), the suffixes it is
known by, what it accepts by content (:func:`sniff`: magic bytes, the parts of a zip, the
streams of an OLE2 container), whether it is available here (an outside program or optional
package) and its version. The version joins the extractor's in the skip key of an import
(:func:`skip_key`), so upgrading one reader re-reads just its files.

Choosing (:func:`choose`): the reader whose content test claims the file's first bytes
wins; a file no content test claims (text has no magic) goes by its suffix; else it is not
a report file of any kind we read. A ``.docx`` that is really a Word 97-2003 file goes to
the ``doc`` reader, a ``.pdf`` that is really a ``.docx`` to the ``docx`` reader, a file
without a suffix to whichever reader its bytes name.
"""
from __future__ import annotations

import importlib
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Callable

HEAD_BYTES = 8192  # what content tests see (an OLE container is searched further)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class UnsupportedFormat(ValueError):
    """No reader handles this kind of file."""


def _is_pdf(head: bytes, path: Path) -> bool:
    return b"%PDF" in head[:1024]


def _zip_members(path: Path) -> list[str] | None:
    try:
        with zipfile.ZipFile(path) as z:
            return z.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        return None


def _is_word_package(head: bytes, path: Path) -> bool:
    """A zip holding a Word main part; a zip without a readable end (truncated) whose first
    members are Word parts; an encrypted OOXML package (the docx reader says so)."""
    if head.startswith(b"PK\x03\x04"):
        names = _zip_members(path)
        if names is None:  # damaged: judge by the member names in the local headers
            return b"word/" in head or b"[Content_Types].xml" in head
        return "word/document.xml" in names or any(n.startswith("word/") for n in names)
    return _ole_streams(head, path) == "encrypted"


def _ole_streams(head: bytes, path: Path) -> str | None:
    """``word`` (a Word 97-2003 / WPS file), ``encrypted`` (encrypted OOXML), ``ole`` (any
    other OLE2 container) or None (not OLE2)."""
    if not head.startswith(OLE_MAGIC):
        return None
    with path.open("rb") as fh:
        data = fh.read(64 << 20)
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "encrypted"
    if "WordDocument".encode("utf-16-le") in data:
        return "word"
    return "ole"


def _is_legacy_word(head: bytes, path: Path) -> bool:
    return _ole_streams(head, path) == "word"


def _is_image(head: bytes, path: Path) -> bool:
    from certreport.extract.image import sniff

    return sniff(head)


def _ocr_engine() -> str | None:
    from certreport.extract.image import available
    from certreport.extract.ocr_engines import ENABLE_HINT

    return None if available() else f"no OCR engine: {ENABLE_HINT}"


def _never(head: bytes, path: Path) -> bool:  # formats without magic: by suffix only
    return False


def _libreoffice() -> str | None:
    if shutil.which("soffice") or shutil.which("libreoffice"):
        return None
    return "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"


def _always() -> str | None:
    return None


@dataclass(frozen=True)
class Reader:
    """One format reader: see the module docstring."""

    name: str
    module: str
    suffixes: tuple[str, ...]
    version: str
    sniff: Callable[[bytes, Path], bool] = _never
    missing: Callable[[], str | None] = _always  # why it cannot run here, None when it can

    def load(self) -> ModuleType:
        return importlib.import_module(self.module)

    def available(self) -> bool:
        return self.missing() is None

    def format_of(self, path: str | Path) -> str:
        """The ``source_format`` of a file this reader reads: its own suffix where it is one
        of the reader's (docm, wps, markdown …), else the reader's name."""
        suffix = Path(path).suffix.lower()
        if suffix in self.suffixes:
            return {".md": "markdown", ".markdown": "markdown", ".txt": "text"}.get(
                suffix, suffix.lstrip("."))
        return self.name


# content tests run in this order: the first that claims a file reads it
READERS: tuple[Reader, ...] = (
    # pdf 2: PDFium; 3 and image 2: scanned rules that step across pixel rows kept whole;
    # pdf 4: damaged dictionaries named, characters outside the BMP one character each
    Reader("pdf", "certreport.extract.pdf", (".pdf",), "4", sniff=_is_pdf),
    Reader("docx", "certreport.extract.docx", (".docx", ".docm", ".dotx", ".dotm"), "1",
           sniff=_is_word_package),
    Reader("doc", "certreport.extract.doc", (".doc", ".wps"), "1", sniff=_is_legacy_word,
           missing=_libreoffice),
    Reader("text", "certreport.extract.text", (".md", ".markdown", ".txt"), "1"),
    Reader("image", "certreport.extract.image", (".png", ".jpg", ".jpeg", ".tif", ".tiff"),
           "2", sniff=_is_image, missing=_ocr_engine),
)


def supported_suffixes() -> tuple[str, ...]:
    return tuple(sorted(s for r in READERS for s in r.suffixes))


def head_of(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(HEAD_BYTES)


def by_content(head: bytes, path: Path) -> Reader | None:
    """The reader whose content test claims ``head`` (the file's first bytes). A content
    test that cannot decide (a damaged container) claims nothing: the suffix decides and
    the reader says what is wrong."""
    for r in READERS:
        try:
            if head and r.sniff(head, path):
                return r
        except Exception:  # noqa: BLE001 - e.g. zipfile's NotImplementedError
            continue
    return None


def by_suffix(path: str | Path) -> Reader | None:
    suffix = Path(path).suffix.lower()
    return next((r for r in READERS if suffix in r.suffixes), None)


def choose(path: str | Path, head: bytes | None = None) -> Reader:
    """The reader for ``path``: by content first, suffix second (see the module docstring);
    :class:`UnsupportedFormat` when neither names one."""
    path = Path(path)
    if head is None:
        try:
            head = head_of(path)
        except OSError:
            head = b""
    reader = by_content(head, path) or by_suffix(path)
    if reader is None:
        suffix = path.suffix.lower()
        raise UnsupportedFormat(f"unsupported file type {suffix or '(no suffix)'!r}: not a "
                                f"PDF, Word, text export or scanned image by its content; readable: "
                                f"{', '.join(supported_suffixes())}")
    return reader


def skip_key(extractor_version: str, reader: Reader | None) -> str:
    """What an import stores as a report's ``extractor_version`` and compares to skip an
    unchanged file: the extractor's version, with the reader's where one was chosen."""
    return f"{extractor_version} {reader.name}/{reader.version}" if reader else extractor_version
