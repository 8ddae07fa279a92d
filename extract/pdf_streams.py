"""Damaged compressed streams of a PDF, found from its bytes.

PDFium inflates a Flate stream as far as it can and says nothing when the rest is lost or
garbled, so a page whose content stream was damaged reads as a page with less (or wrong)
text. :func:`damaged_streams` inflates every Flate stream of the file with zlib, which
checks the data to its end (the Adler-32 checksum), and names those that fail: each one
is a problem of the file, so the report is ``partial`` rather than silently short.
Encrypted files are skipped (their streams are ciphertext until decrypted).
"""
from __future__ import annotations

import re
import zlib

_STREAM_KEYWORD = re.compile(rb">>\s*stream\r?\n")
_OBJ_HEAD = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?")
_INDIRECT_LENGTH = re.compile(rb"/Length\s+\d+\s+\d+\s+R")
MAX_LISTED = 5


# a number object (``5 0 obj 1234 endobj``), found from its ``obj`` keyword (a literal the
# regex engine scans for quickly) and its header read back from there
_NUMBER_BODY = re.compile(rb"obj\s*(\d+)\s*endobj")
_HEAD_BEFORE = re.compile(rb"(\d+)\s+(\d+)\s+$")


def _number_objects(pdf: bytes) -> dict[tuple[bytes, bytes], int]:
    """Objects holding a bare number (indirect ``/Length`` values): (number, generation)
    -> value."""
    out = {}
    for m in _NUMBER_BODY.finditer(pdf):
        head = _HEAD_BEFORE.search(pdf, max(0, m.start() - 40), m.start())
        if head is None or pdf[head.start() - 1:head.start()].isdigit():
            continue  # no header, or one cut out of a longer number
        out[(head.group(1), head.group(2))] = int(m.group(1))  # the last definition stands
    return out


def _length(head: bytes, numbers: dict[tuple[bytes, bytes], int]) -> int | None:
    """The stream's ``/Length``, direct or from the number object it refers to."""
    m = _LENGTH.search(head)
    if m is None:
        return None
    if m.group(2) is None:
        return int(m.group(1))
    return numbers.get((m.group(1), m.group(2)))


def _data(pdf: bytes, start: int, head: bytes, numbers: dict[tuple[bytes, bytes], int]) -> bytes:
    """A stream's bytes: ``/Length`` of them when that ends at ``endstream``, else up to
    ``endstream``."""
    length = _length(head, numbers)
    if length is not None:
        end = start + length
        if pdf[end:end + 12].lstrip(b"\r\n ").startswith(b"endstream"):
            return pdf[start:end]
    end = pdf.find(b"endstream", start)
    return pdf[start:end if end >= 0 else len(pdf)].rstrip(b"\r\n")


def _inflates(data: bytes) -> str | None:
    """None when ``data`` is a whole zlib stream, else what is wrong with it."""
    d = zlib.decompressobj()
    try:
        d.decompress(data)
        d.flush()
    except zlib.error as exc:
        return str(exc).replace("Error -3 while decompressing data: ", "")
    return None if d.eof else "the stream ends early"


def damaged_streams(pdf: bytes) -> list[str]:
    """A problem for each Flate stream of ``pdf`` that does not inflate whole (at most
    :data:`MAX_LISTED`, then a count)."""
    if b"/Encrypt" in pdf:
        return []
    bad = []
    numbers = _number_objects(pdf) if _INDIRECT_LENGTH.search(pdf) else {}
    for m in _STREAM_KEYWORD.finditer(pdf):
        at = pdf.rfind(b"obj", max(0, m.start() - 8192), m.start())  # the object's header
        if at < 0:
            continue
        head = pdf[at:m.start()]
        if b"/FlateDecode" not in head and not re.search(rb"/Fl\b", head):
            continue
        number = _OBJ_HEAD.search(pdf, max(0, at - 24), at + 3)
        why = _inflates(_data(pdf, m.end(), head, numbers))
        if why:
            name = f"object {int(number.group(1))}" if number else f"a stream at byte {at}"
            bad.append(f"{name}: compressed stream damaged ({why}): "
                       "its content may be lost or garbled")
    if len(bad) > MAX_LISTED:
        bad = bad[:MAX_LISTED] + [f"and {len(bad) - MAX_LISTED} more damaged stream(s)"]
    return bad
