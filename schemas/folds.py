"""Comparison forms of text and the written form of numbers, shared by every stage.

One place for what readers and normalise both need: :func:`halfwidth` (NFKC: full-width
digits, letters and punctuation to ASCII), :func:`compact` (the comparison key of values:
half-width, no white space), :func:`fold` (the comparison key of labels and header words:
also units in brackets dropped, ``得分（%）`` -> ``得分%``), :func:`running_key` (a margin
line's identity across pages: digits folded), :data:`CLAUSE_NO` (a clause number at the
start of a cell, OCR/convert slips of digits allowed) and :func:`format_number` (how a
number is written back: 4, 1.5, 72.7, never 72.70000001).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CLAUSE_NO = re.compile(r"^\s*[0-9０-９IlO]{1,2}(?:\s*[.．。]\s*[0-9０-９IlO]{1,2}){2,4}(?![0-9])")

_WHITE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "％": "%", "：": ":", "【": "[", "】": "]"})


_CACHED = 200  # texts up to this long are folded once (cell values repeat: 不涉及, 2, 100%)


def halfwidth(text: str) -> str:
    """Full-width digits, letters and punctuation to their ASCII forms (NFKC)."""
    if len(text) <= _CACHED:
        return _halfwidth(text)
    return unicodedata.normalize("NFKC", text)


def compact(text: str | None) -> str:
    """Half-width, without white space."""
    if not text:
        return ""
    if len(text) <= _CACHED:
        return _compact(text)
    return _WHITE.sub("", unicodedata.normalize("NFKC", text))


@lru_cache(maxsize=16384)
def _halfwidth(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=16384)
def _compact(text: str) -> str:
    return _WHITE.sub("", _halfwidth(text))


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Header/label comparison form: no white space, half-width brackets and %, units in
    brackets as plain words (``得分（%）`` -> ``得分%``, ``分值(分)`` -> ``分值``)."""
    t = _WHITE.sub("", text).translate(_BRACKETS)
    return t.replace("(%)", "%").replace("(分)", "")


def running_key(text: str) -> str:
    """A margin line's identity across pages: white space dropped, digits (page numbers)
    folded."""
    return _DIGITS.sub("#", _WHITE.sub("", text))


def format_number(value: float | None, places: int = 6) -> str:
    """A number as people write it, at most ``places`` decimals: 4, 1.5, 72.7 (``?`` for
    None, never ``-0``)."""
    if value is None:
        return "?"
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"
