"""Format readers. Each ``extract/<format>.py`` exposes ``read_document(path) -> Document``
(and ``available()`` where it needs an outside program); :func:`read` picks the reader by
file type and assembles the one intermediate :class:`~certreport.extract.record.Record`."""
from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from certreport.extract.assemble import assemble
from certreport.extract.record import Document, Record

# file suffix -> reader module (imported on first use so a missing optional library only
# affects its own format)
READERS: dict[str, str] = {
    ".md": "certreport.extract.text",
    ".markdown": "certreport.extract.text",
    ".txt": "certreport.extract.text",
    ".docx": "certreport.extract.docx",
    ".docm": "certreport.extract.docx",
    ".doc": "certreport.extract.doc",
    ".wps": "certreport.extract.doc",
    ".pdf": "certreport.extract.pdf",
}


class UnsupportedFormat(ValueError):
    """No reader handles this kind of file."""


def supported_suffixes() -> tuple[str, ...]:
    return tuple(sorted(READERS))


def reader_for(path: str | Path) -> ModuleType:
    suffix = Path(path).suffix.lower()
    if suffix not in READERS:
        raise UnsupportedFormat(f"unsupported file type {suffix or '(none)'!r}; "
                                f"readable: {', '.join(supported_suffixes())}")
    return importlib.import_module(READERS[suffix])


def read_document(path: str | Path) -> Document:
    """The blocks of a file, by its format's reader."""
    return reader_for(path).read_document(path)


def read(path: str | Path) -> Record:
    """Read a report file of any supported format into the intermediate record."""
    return assemble(read_document(path))
