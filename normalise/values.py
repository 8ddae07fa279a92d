"""Parse the values of a report: numbers, percentages, not-applicable words, dates."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from certreport.schemas.folds import compact, halfwidth
from certreport.schemas.vocabulary import vocabulary

_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def is_not_applicable(text: str | None) -> bool:
    """True for 不涉及 / 不适用 / N/A / — / / … (the vocabulary's list)."""
    t = compact(text)
    if not t:
        return False
    words, upper = _not_applicable(vocabulary().not_applicable)
    return t in words or t.upper() in upper


@lru_cache(maxsize=8)
def _not_applicable(words: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The not-applicable words as compared: compacted, and those in upper case (once per
    vocabulary, not per cell)."""
    folded = frozenset(compact(w) for w in words)
    return folded, frozenset(w.upper() for w in folded)


@lru_cache(maxsize=16384)
def parse_number(text: str | None) -> float | None:
    """The number in a cell (``72.7``, ``７２．７``, ``72.7分``, ``1O`` read as 10), or None."""
    t = compact(text)
    if not t:
        return None
    t = t.replace("。", ".").rstrip("分")
    m = _NUMBER.fullmatch(t.rstrip("%")) or _NUMBER.fullmatch(t.translate(_OCR_DIGITS).rstrip("%"))
    if m is None:
        m = _NUMBER.search(t)
        if m is None:
            return None
    return float(m.group(0))


def decimals(text: str | None) -> int:
    """How many decimals a number is written with (``72.7`` -> 1, ``3`` -> 0)."""
    t = compact(text)
    m = _NUMBER.search(t)
    if not m or "." not in m.group(0):
        return 0
    return len(m.group(0).split(".")[1])


@dataclass(frozen=True)
class Percent:
    """A score percentage (0-100) or not-applicable; ``raw`` is the cell text."""

    value: float | None
    not_applicable: bool
    raw: str
    as_coefficient: bool = False


def parse_percent(text: str | None, header: str = "",
                  coefficient_column: bool | None = None) -> Percent:
    """``70``, ``70%``, ``0.7`` (a coefficient column: as the caller decided it, see
    :func:`is_coefficient_column`, else when the header says 系数) -> 70.0; 不涉及 and its
    synonyms -> not applicable."""
    raw = text or ""
    if is_not_applicable(raw):
        return Percent(None, True, raw)
    value = parse_number(raw)
    if value is None:
        return Percent(None, False, raw)
    if "%" in compact(raw):
        return Percent(value, False, raw)
    if coefficient_column or (coefficient_column is None and "系数" in header):
        return Percent(round(value * 100, 6), False, raw, True)
    return Percent(value, False, raw)


def is_coefficient_column(cells: list[str | None], header: str = "",
                          evidence: list[tuple[float | None, float | None]] | None = None,
                          fit: float = 0.051) -> bool | None:
    """A % column written as coefficients (0.7 for 70%): no cell has a % and every number
    is at most 1, and the header says 系数, or the rows' (weight, stated score) pairs in
    ``evidence`` fit weight × coefficient better than weight × % (which decides a column of
    1s), or, without such evidence and no % in the header, some number lies strictly
    between 0 and 1. None when nothing tells: only 0s and 1s, no evidence, no header word
    (read as percentages, but the caller should say it could not tell)."""
    nums: list[float | None] = []
    for c in cells:
        if c is not None and "%" in compact(c):
            return False
        nums.append(None if c is None or is_not_applicable(c) else parse_number(c))
    values = [v for v in nums if v is not None]
    if any(v > 1 for v in values):  # 100 or 70 is no coefficient, whatever the header says
        return False
    if "系数" in header:
        return True
    if not values:
        return False
    votes = 0
    for v, (weight, stated) in zip(nums, evidence or ()):
        if v is None or weight is None or stated is None:
            continue
        as_coef, as_pct = abs(weight * v - stated) < fit, abs(weight * v / 100 - stated) < fit
        votes += int(as_coef) - int(as_pct)
    if votes:
        return votes > 0
    if "%" in header or "％" in header:
        return False
    if any(0 < v < 1 for v in values):
        return True
    return None if any(v == 1 for v in values) else False


_CN_DIGITS = "零一二三四五六七八九十"


def canonical_level(text: str | None) -> str | None:
    """A stated level in the catalogue's words: ``10星级`` / ``10 星级`` / ``十星`` -> ``十星级``."""
    t = compact(text)
    if not t:
        return None
    t = re.sub(r"星$", "星级", t)
    return re.sub(r"(?<!\d)(10|[1-9])(?=星级)", lambda m: _CN_DIGITS[int(m.group(1))], t)


_DATE = re.compile(r"(\d{4})\s*(?:年|[.\-/])\s*(\d{1,2})\s*(?:月|[.\-/])\s*(\d{1,2})\s*日?")
# a day count: 共1.0天, 1天, 1.5个工作日; person-days (1.5人日) are not a day count (a
# team of two spends 2 人日 in one day), so they are left unread
_DAYS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:天|个?工作日)")
# the end of a range written without its year (and month): 17日至18日, 31日-2月1日, 01.17～18
_RANGE_END = re.compile(r"\s*(?:至|到|[-－—–~～〜])\s*(?:(?P<m>\d{1,2})\s*(?:月|[.\-/])\s*)?"
                        r"(?P<d>\d{1,2})\s*(?:日|(?![\d.]|\s*(?:天|个|人|工作)))")


def parse_date(text: str | None) -> date | None:
    """``2024年01月17日``, ``2024.01.17``, ``2024-1-17``, ``2024 年01 月17日`` -> date."""
    m = _DATE.search(halfwidth(text or ""))
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


@dataclass(frozen=True)
class DateRange:
    start: date | None
    end: date | None
    days: float | None


def parse_date_range(text: str | None) -> DateRange:
    """``2024年01月17日至2024年01月17日下午(共1.0天)`` -> start, end, days; the end may
    leave out the year and month (``2024年01月17日-18日``, ``2024年1月31日至2月1日``)."""
    t = halfwidth(text or "")
    dates = []
    for m in _DATE.finditer(t):
        try:
            dates.append(date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
        except ValueError:
            continue
        if len(dates) == 1:
            end = _RANGE_END.match(t, m.end())
            if end and not _DATE.match(t, end.start("m") if end.group("m") else end.start("d")):
                try:
                    dates.append(dates[0].replace(month=int(end.group("m") or dates[0].month),
                                                  day=int(end.group("d"))))
                except ValueError:
                    pass
    days = None
    dm = _DAYS.search(t)
    if dm:
        days = float(dm.group(1))
    start = dates[0] if dates else None
    end = dates[1] if len(dates) > 1 else start
    return DateRange(start, end, days)


def round_half_up(value: float | None, places: int) -> float | None:
    """``value`` written with ``places`` decimals the way reports do (1.05 -> 1.1)."""
    if value is None:
        return None
    q = Decimal(1).scaleb(-places)
    return float(Decimal(repr(value)).quantize(q, rounding=ROUND_HALF_UP))


def same_at_precision(stated: float, computed: float, places: int) -> bool:
    """Whether ``stated`` is ``computed`` written with ``places`` decimals (rounded either
    way: 1.05 may be written 1.0 or 1.1 at one decimal)."""
    return abs(stated - computed) <= 0.5 * 10 ** (-places) + 1e-9


_CN_COUNT = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
             "九": 9, "十": 10}


def parse_count(text: str | None) -> int | None:
    """A count of items: ``2``, ``２``, ``两`` / ``三`` (up to 十) -> int; None otherwise."""
    t = compact(text)
    if not t:
        return None
    if t in _CN_COUNT:
        return _CN_COUNT[t]
    return int(t) if t.isdigit() else None
