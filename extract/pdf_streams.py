"""Damaged streams and objects of a PDF, found from its bytes.

PDFium inflates a Flate stream as far as it can and says nothing when the rest is lost or
garbled, so a page whose content stream was damaged reads as a page with less (or wrong)
text. :func:`damaged_streams` inflates every Flate stream of the file with zlib, which
checks the data to its end (the Adler-32 checksum), and names those that fail. It also
names the objects whose dictionary was damaged, which PDFium reads past without a word
(a font's Unicode map lost that way gives wrong characters): a run of zero bytes inside
an object's dictionary (no producer writes one; overwritten disk blocks do), or a stream
filter PDF does not have (a name with a flipped byte). Each one is a problem of the file,
so the report is ``partial`` rather than silently short or wrong. Encrypted files are
skipped (their streams are ciphertext until decrypted).
"""
from __future__ import annotations

import re
import zlib

_STREAM_KEYWORD = re.compile(rb">>\s*stream\r?\n")
_OBJ_HEAD = re.compile(rb"(\d+)\s+(\d+)\s+obj\b")
_LENGTH = re.compile(rb"/Length\s+(\d+)(?:\s+(\d+)\s+R)?")
_INDIRECT_LENGTH = re.compile(rb"/Length\s+\d+\s+\d+\s+R")
MAX_LISTED = 5
# a run this long of zero bytes outside stream data (PDF allows a zero as white space,
# but no producer writes a run of them)
_ZEROS = re.compile(rb"\x00{16,}")
_ENDOBJ = b"endobj"
# the standard filters and their abbreviations (ISO 32000-1, 7.4.1 and 8.9.7)
FILTERS = frozenset({
    b"ASCIIHexDecode", b"ASCII85Decode", b"LZWDecode", b"FlateDecode", b"RunLengthDecode",
    b"CCITTFaxDecode", b"JBIG2Decode", b"DCTDecode", b"JPXDecode", b"Crypt",
    b"AHx", b"A85", b"LZW", b"Fl", b"RL", b"CCF", b"DCT"})
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/<>\[\]()%]*)")
_NAME = re.compile(rb"/([^\s/<>\[\]()%]*)")


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


def _data_end(pdf: bytes, start: int, head: bytes,
              numbers: dict[tuple[bytes, bytes], int]) -> int:
    """Where a stream's bytes end: after ``/Length`` of them when that ends at
    ``endstream``, else before ``endstream`` and the line break ahead of it (found without
    copying the data, which for images and fonts is most of the file)."""
    length = _length(head, numbers)
    if length is not None:
        end = start + length
        if pdf[end:end + 12].lstrip(b"\r\n ").startswith(b"endstream"):
            return end
    end = pdf.find(b"endstream", start)
    end = end if end >= 0 else len(pdf)
    while end > start and pdf[end - 1] in b"\r\n":
        end -= 1
    return end


def _inflates(data: bytes) -> str | None:
    """None when ``data`` is a whole zlib stream, else what is wrong with it."""
    d = zlib.decompressobj()
    try:
        d.decompress(data)
        d.flush()
    except zlib.error as exc:
        return str(exc).replace("Error -3 while decompressing data: ", "")
    return None if d.eof else "the stream ends early"


def _object_name(pdf: bytes, at: int) -> str:
    """How a problem names the object whose ``obj`` keyword is at ``at``."""
    number = _OBJ_HEAD.search(pdf, max(0, at - 24), at + 3)
    return f"object {int(number.group(1))}" if number else f"an object at byte {at}"


def _filters(head: bytes) -> list[bytes]:
    """A stream dictionary's filter names in the order they decode (none given directly:
    an empty list)."""
    m = _FILTER.search(head) if b"/Filter" in head else None
    return _NAME.findall(m.group(1)) if m else []


def _zeroed_dictionaries(pdf: bytes, data_spans: list[tuple[int, int]]) -> list[str]:
    """A problem for each object whose dictionary holds a run of zero bytes, looked for
    outside the stream data (``data_spans``: where each stream's bytes start and end)."""
    bad: dict[int, str] = {}
    start = 0
    for span_start, span_end in data_spans + [(len(pdf), len(pdf))]:
        for m in _ZEROS.finditer(pdf, start, span_start):
            at = pdf.rfind(b"obj", max(0, m.start() - 65536), m.start())
            if at < 0 or pdf.startswith(_ENDOBJ, at - 3) or _ENDOBJ in pdf[at:m.start()]:
                continue  # not inside an object (trailing padding, between objects)
            bad.setdefault(at, f"{_object_name(pdf, at)}: damaged (a run of zero bytes in "
                               "its dictionary): its content may be lost or garbled")
        start = max(start, span_end)
    return list(bad.values())


def damaged_streams(pdf: bytes) -> list[str]:
    """A problem for each Flate stream of ``pdf`` that does not inflate whole, each stream
    with a filter PDF does not have and each object whose dictionary holds a run of zero
    bytes (at most :data:`MAX_LISTED`, then a count)."""
    if b"/Encrypt" in pdf:
        return []
    bad = []
    spans: list[tuple[int, int]] = []
    numbers = _number_objects(pdf) if _INDIRECT_LENGTH.search(pdf) else {}
    for m in _STREAM_KEYWORD.finditer(pdf):
        at = pdf.rfind(b"obj", max(0, m.start() - 8192), m.start())  # the object's header
        if at < 0:
            continue
        head = pdf[at:m.start()]
        end = _data_end(pdf, m.end(), head, numbers)
        spans.append((m.end(), end))
        filters = _filters(head)
        unknown = [n.decode("latin-1") for n in filters if n not in FILTERS]
        if unknown:
            bad.append(f"{_object_name(pdf, at)}: stream filter "
                       f"{', '.join('/' + n for n in unknown)} is no PDF filter (its dictionary "
                       "is damaged): its content cannot be decoded")
            continue
        if not filters or filters[0] not in (b"FlateDecode", b"Fl"):
            continue  # not compressed with Flate, or Flate after another filter
        why = _inflates(pdf[m.end():end])
        if why:
            bad.append(f"{_object_name(pdf, at)}: compressed stream damaged ({why}): "
                       "its content may be lost or garbled")
    bad += _zeroed_dictionaries(pdf, spans)
    if len(bad) > MAX_LISTED:
        bad = bad[:MAX_LISTED] + [f"and {len(bad) - MAX_LISTED} more damaged stream(s)"]
    return bad
