"""Format readers. Each ``extract/<format>.py`` exposes ``read_document(path) -> Document``;
:mod:`certreport.extract.readers` is their registry (chosen by content, then suffix), and
:func:`read` assembles the one intermediate :class:`~certreport.extract.record.Record`."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from certreport.extract.readers import (READERS, Reader, UnsupportedFormat, choose,
                                        supported_suffixes)

if TYPE_CHECKING:  # assembly and the catalogue load on the first read
    from certreport.extract.record import Document, Record

__all__ = ["READERS", "Reader", "UnsupportedFormat", "choose", "read", "read_document",
           "reader_for", "supported_suffixes"]


def reader_for(path: str | Path) -> ModuleType:
    """The module that reads ``path`` (by content, then suffix)."""
    return choose(path).load()


def read_document(path: str | Path, reader: Reader | None = None) -> Document:
    """The blocks of a file, by the reader its content (else its suffix) names, in the one
    text form (:mod:`certreport.extract.text_forms`); the registry alone sets
    ``source_format``."""
    from certreport.extract.text_forms import normalise_document

    reader = reader or choose(path)
    doc = normalise_document(reader.load().read_document(path))
    return replace(doc, source_format=reader.format_of(path))


def read(path: str | Path, reader: Reader | None = None) -> Record:
    """Read a report file of any supported format into the intermediate record (part
    headings looked for under every installed scheme's titles)."""
    from certreport.extract.assemble import assemble
    from certreport.schemas.catalogue import part_titles

    return assemble(read_document(path, reader), part_titles())
