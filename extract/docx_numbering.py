"""Word automatic numbering (``w:numPr``) rendered as the label Word shows.

python-docx gives a numbered paragraph's text without its number; templates often number
headings (``5.1.1``), score-table cells (``5.1.1.1``), part headings (``1)``, ``一、``) this
way. :class:`Numbering` is built once per document from ``word/numbering.xml`` and the
styles part, then asked for every paragraph in reading order (:meth:`Numbering.label`).

Rules followed (ECMA-376 §17.9, as Word applies them):

* A paragraph's ``w:numId``/``w:ilvl`` come from its own ``w:pPr/w:numPr``, else from its
  paragraph style (``w:basedOn`` chain, the default paragraph style when it names none);
  ``numId`` 0, or an own ``w:numPr`` without ``w:numId``, means "not numbered". With no
  ``w:ilvl`` anywhere the level is 0; a ``singleLevel`` list always uses level 0.
* ``w:num`` -> ``w:abstractNumId`` (``w:numStyleLink`` followed to the list style's
  definition) -> ``w:abstractNum/w:lvl``; ``w:lvlOverride`` replaces a whole level
  (``w:lvl``) and/or its start (``w:startOverride``).
* Counters belong to the abstract definition: every ``w:num`` using it continues the
  same sequence ([MS-DOC] 2.4.6.4: numbers run per list, ``lsid``). A level's counter
  starts at ``w:start`` (0 when absent) and goes up by one for each paragraph at that
  level; a paragraph resets the deeper levels, except those whose ``w:lvlRestart`` names
  a shallower level only (0: never restart). A ``w:startOverride`` restarts the shared
  counter at its value the first time its ``w:num`` numbers a paragraph at that level
  (later paragraphs of any ``w:num`` go on from there), and is that ``w:num``'s start
  when the level restarts. (LibreOffice and OpenXML PowerTools count the same way.)
* The label is ``w:lvlText`` with each ``%n`` replaced by level n's counter in level n's
  ``w:numFmt`` (decimal under ``w:isLgl``, which keeps decimalZero), then ``w:suff`` (tab
  by default, space, nothing). A ``%n`` deeper than the paragraph's level makes Word drop
  the label; so does this. A shallower level not used yet counts as used at its start
  (``5.1.1.1`` with no ``5.1.1`` before it; the next paragraph at that shallower level
  then shows start + 1, as in Word and LibreOffice).
* Bullets (``numFmt`` bullet) and ``none`` levels give no label text; the bullet glyph is
  kept on :attr:`Label.bullet`, out of the text.

Formats: see :data:`FORMATS`; ``custom`` (Word 2010 ``w:format="001, 002, ..."``) as
zero-padded decimal; any other format is shown as decimal and reported in
:attr:`Numbering.problems`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from docx.oxml.ns import qn

Element = Any  # an lxml element
LEVELS = 9  # w:ilvl 0..8

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_VAL = qn("w:val")
_PLACEHOLDER = re.compile(r"%([1-9])")


# ---------------------------------------------------------------- number formats


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, numeral in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                           (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def _letter(n: int) -> str:
    """1 -> A, 26 -> Z, 27 -> AA, 28 -> BB (Word repeats the letter)."""
    if n < 1:
        return str(n)
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _cjk(n: int, digits: str, units: str, short_ten: bool) -> str:
    """A number in Chinese counting words: 一, 十, 十一, 二十, 一百零一, 一万零五百 …
    (``digits`` zero to nine, ``units`` ten/hundred/thousand; ``short_ten``: 十一, not
    一十一)."""
    if n < 0 or n >= 10 ** 12:
        return str(n)
    if n == 0:
        return digits[0]
    out: list[str] = []
    pending_zero = False
    for group_no, big in ((2, "亿"), (1, "万"), (0, "")):
        group = n // 10 ** (4 * group_no) % 10 ** 4
        if group == 0:
            pending_zero = pending_zero or bool(out)
            continue
        if out and group < 1000:
            pending_zero = True
        for power in (3, 2, 1, 0):
            d = group // 10 ** power % 10
            if d == 0:
                pending_zero = pending_zero or bool(out)
                continue
            if pending_zero and out:
                out.append(digits[0])
            pending_zero = False
            out.append(digits[d] + (units[power - 1] if power else ""))
        out.append(big)
    text = "".join(out)
    if short_ten and 10 <= n < 20:
        text = text[1:]
    return text


def _table(chars: str, offset: int = 1) -> Callable[[int], str]:
    """Characters by value (``chars[0]`` for ``offset``), decimal outside the table."""
    return lambda n: chars[n - offset] if 0 <= n - offset < len(chars) else str(n)


def _cycle(chars: str) -> Callable[[int], str]:
    return lambda n: chars[(n - 1) % len(chars)] if n > 0 else str(n)


def _circled(n: int) -> str:
    if n == 0:
        return "\u24ea"
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return str(n)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_CN = "零一二三四五六七八九"
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_IDEOGRAPH_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")

FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalZero": lambda n: f"{n:02d}" if 0 <= n < 10 else str(n),
    "decimalFullWidth": lambda n: str(n).translate(_FULLWIDTH),
    "decimalFullWidth2": lambda n: str(n).translate(_FULLWIDTH),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": _letter,
    "lowerLetter": lambda n: _letter(n).lower(),
    "ordinal": _ordinal,
    "numberInDash": lambda n: f"- {n} -",
    "decimalEnclosedCircle": _circled,
    "decimalEnclosedCircleChinese": _circled,
    "decimalEnclosedFullstop": _table("".join(chr(c) for c in range(0x2488, 0x249C))),
    "decimalEnclosedParen": _table("".join(chr(c) for c in range(0x2474, 0x2488))),
    "ideographEnclosedCircle": _table("".join(chr(c) for c in range(0x3220, 0x322A))),
    "chineseCounting": lambda n: _cjk(n, _CN, "十百千", True),
    "chineseCountingThousand": lambda n: _cjk(n, _CN, "十百千", True),
    "taiwaneseCounting": lambda n: _cjk(n, _CN, "十百千", True),
    "taiwaneseCountingThousand": lambda n: _cjk(n, _CN, "十百千", True),
    "japaneseCounting": lambda n: _cjk(n, _CN, "十百千", True),
    "chineseLegalSimplified": lambda n: _cjk(n, "零壹贰叁肆伍陆柒捌玖", "拾佰仟", False),
    "ideographLegalTraditional": lambda n: _cjk(n, "零壹貳參肆伍陸柒捌玖", "拾佰仟", False),
    "ideographDigital": lambda n: str(n).translate(_IDEOGRAPH_DIGITS),
    "taiwaneseDigital": lambda n: str(n).translate(_IDEOGRAPH_DIGITS),
    "ideographTraditional": _cycle("甲乙丙丁戊己庚辛壬癸"),
    "ideographZodiac": _cycle("子丑寅卯辰巳午未申酉戌亥"),
}
NO_NUMBER = ("none", "bullet")


def format_number(value: int, fmt: str) -> str | None:
    """``value`` in the number format ``fmt``; None when the format is unknown."""
    if fmt in NO_NUMBER:
        return ""
    render = FORMATS.get(fmt)
    return render(value) if render is not None else None


# ---------------------------------------------------------------- the model


@dataclass(frozen=True)
class Label:
    """What Word shows before a numbered paragraph's text: ``text`` (empty for bullets
    and ``none`` levels), ``suffix`` (``tab``, ``space`` or ``nothing``) and, for a
    bullet, its glyph (not part of the text)."""

    text: str
    suffix: str = "tab"
    bullet: str | None = None

    def prefix(self, tab: str = " ") -> str:
        """The label and its separator as they go before the text (a tab as ``tab``)."""
        if not self.text:
            return ""
        return self.text + {"tab": tab, "space": " "}.get(self.suffix, "")


@dataclass(frozen=True)
class Level:
    """One ``w:lvl``."""

    start: int = 0
    fmt: str = "decimal"
    text: str = ""
    suffix: str = "tab"
    restart: int | None = None  # w:lvlRestart (1-based level; 0 never); None: default
    legal: bool = False
    width: int = 0  # zero padding of a custom "001, 002, ..." format


@dataclass(frozen=True)
class _Instance:
    """A resolved ``w:num``: its levels, its start overrides by level and the abstract
    definition whose counters it uses."""

    levels: dict[int, Level]
    overrides: dict[int, int]
    abstract_id: str
    single_level: bool = False


def _val(el: Element | None) -> str | None:
    return el.get(_VAL) if el is not None else None


def _int_val(el: Element | None) -> int | None:
    try:
        return int(_val(el) or "")
    except ValueError:
        return None


def _on(el: Element | None) -> bool:
    return el is not None and (_val(el) or "true").strip().lower() in ("1", "true", "on")


def _num_fmt(lvl: Element) -> tuple[str, int]:
    """The level's format (``decimal`` when absent) and zero padding for ``custom``; a
    format inside ``mc:AlternateContent`` is read from its Choice when it is a zero-padded
    custom one, else from its Fallback."""
    el = lvl.find(qn("w:numFmt"))
    if el is None:
        alt = lvl.find(f"{{{_MC}}}AlternateContent")
        if alt is not None:
            choice = alt.find(f"{{{_MC}}}Choice/{qn('w:numFmt')}")
            fallback = alt.find(f"{{{_MC}}}Fallback/{qn('w:numFmt')}")
            el = choice if choice is not None and _val(choice) == "custom" else fallback
    fmt = _val(el) or "decimal"
    if fmt == "custom":
        first = ((el.get(qn("w:format")) or "").split(",")[0]).strip()
        if first.isdigit():
            return "decimal", len(first)
        return "decimal", 0
    return fmt, 0


def _level(lvl: Element) -> Level:
    fmt, width = _num_fmt(lvl)
    text_el = lvl.find(qn("w:lvlText"))
    text = "" if text_el is None or _on_attr(text_el, "null") else (_val(text_el) or "")
    return Level(
        start=_int_val(lvl.find(qn("w:start"))) or 0,
        fmt=fmt,
        text=text,
        suffix=_val(lvl.find(qn("w:suff"))) or "tab",
        restart=_int_val(lvl.find(qn("w:lvlRestart"))),
        legal=_on(lvl.find(qn("w:isLgl"))),
        width=width,
    )


def _on_attr(el: Element, name: str) -> bool:
    val = el.get(qn(f"w:{name}"))
    return val is not None and val.strip().lower() in ("1", "true", "on")


class Numbering:
    """The numbering definitions of one document and the counters of its lists.

    Build it once per document and call :meth:`label` for every paragraph in reading
    order: each call for a numbered paragraph advances the counters.
    """

    def __init__(self, numbering: Element | None, styles: Element | None = None) -> None:
        self.problems: list[str] = []
        self._abstract: dict[str, Element] = {}
        self._nums: dict[str, Element] = {}
        self._instances: dict[str, _Instance | None] = {}
        self._counters: dict[str, list[int | None]] = {}  # by abstractNumId
        self._overridden: set[tuple[str, int]] = set()  # (numId, ilvl) restarts done
        # paragraph style id -> (numId, ilvl, basedOn); numbering style id -> numId
        self._pstyles: dict[str, tuple[str | None, int | None, str | None]] = {}
        self._numstyles: dict[str, str | None] = {}
        self._default_pstyle: str | None = None
        if numbering is not None:
            for el in numbering.iterfind(qn("w:abstractNum")):
                self._abstract.setdefault(el.get(qn("w:abstractNumId")) or "", el)
            for el in numbering.iterfind(qn("w:num")):
                self._nums.setdefault(el.get(qn("w:numId")) or "", el)
        if styles is not None:
            self._read_styles(styles)

    def _read_styles(self, styles: Element) -> None:
        for style in styles.iterfind(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            if sid is None:
                continue
            numpr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            num_id = _val(numpr.find(qn("w:numId"))) if numpr is not None else None
            kind = style.get(qn("w:type")) or "paragraph"
            if kind == "numbering":
                self._numstyles[sid] = num_id
            elif kind == "paragraph":
                ilvl = _int_val(numpr.find(qn("w:ilvl"))) if numpr is not None else None
                self._pstyles[sid] = (num_id, ilvl, _val(style.find(qn("w:basedOn"))))
                if _on_attr(style, "default") and self._default_pstyle is None:
                    self._default_pstyle = sid

    @property
    def empty(self) -> bool:
        """True when the document defines no lists (nothing to number)."""
        return not self._nums

    # ------------------------------------------------------------ resolution

    def _style_numpr(self, style_id: str | None) -> tuple[str | None, int | None]:
        """numId and ilvl a paragraph style gives, each from the nearest style in its
        ``w:basedOn`` chain that sets it."""
        num_id: str | None = None
        ilvl: int | None = None
        seen: set[str] = set()
        while style_id and style_id in self._pstyles and style_id not in seen:
            seen.add(style_id)
            s_num, s_lvl, style_id = self._pstyles[style_id]
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_lvl
        return num_id, ilvl

    def _abstract_of(self, num: Element) -> tuple[str, Element] | None:
        """The abstract definition a ``w:num`` uses, through list-style links."""
        abs_id = _val(num.find(qn("w:abstractNumId")))
        seen: set[str] = set()
        while abs_id is not None and abs_id in self._abstract and abs_id not in seen:
            seen.add(abs_id)
            abstract = self._abstract[abs_id]
            link = _val(abstract.find(qn("w:numStyleLink")))
            target_num = self._nums.get(self._numstyles.get(link) or "") if link else None
            if target_num is None:
                return abs_id, abstract
            abs_id = _val(target_num.find(qn("w:abstractNumId")))
        return None

    def _instance(self, num_id: str) -> _Instance | None:
        if num_id in self._instances:
            return self._instances[num_id]
        inst = None
        num = self._nums.get(num_id)
        found = self._abstract_of(num) if num is not None else None
        if num is not None and found is not None:
            abs_id, abstract = found
            levels: dict[int, Level] = {}
            for lvl in abstract.iterfind(qn("w:lvl")):
                ilvl = _int_attr(lvl, "ilvl")
                if ilvl is not None and 0 <= ilvl < LEVELS:
                    levels.setdefault(ilvl, _level(lvl))
            overrides: dict[int, int] = {}
            for override in num.iterfind(qn("w:lvlOverride")):
                ilvl = _int_attr(override, "ilvl")
                if ilvl is None or not 0 <= ilvl < LEVELS:
                    continue
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                start = _int_val(override.find(qn("w:startOverride")))
                if start is not None:
                    overrides[ilvl] = start
            single = _val(abstract.find(qn("w:multiLevelType"))) == "singleLevel"
            inst = _Instance(levels, overrides, abs_id, single)
        self._instances[num_id] = inst
        return inst

    def reference(self, ppr: Element | None) -> tuple[str, int] | None:
        """The (numId, ilvl) a paragraph is numbered with, or None."""
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        own_num = _val(numpr.find(qn("w:numId"))) if numpr is not None else None
        own_lvl = _int_val(numpr.find(qn("w:ilvl"))) if numpr is not None else None
        if numpr is not None and own_num is None:
            return None  # Word: an own numPr without numId takes the paragraph out
        pstyle = _val(ppr.find(qn("w:pStyle"))) if ppr is not None else None
        style_num, style_lvl = self._style_numpr(pstyle or self._default_pstyle)
        num_id = own_num if own_num is not None else style_num
        if num_id is None or num_id.strip() in ("", "0"):
            return None
        ilvl = own_lvl if own_lvl is not None else style_lvl
        inst = self._instance(num_id)
        if ilvl is None or (inst is not None and inst.single_level):
            ilvl = 0
        return num_id, ilvl

    # ------------------------------------------------------------ counting

    def label(self, ppr: Element | None) -> Label | None:
        """The label of the paragraph with properties ``ppr`` (None: not numbered),
        advancing the counters of its list."""
        if self.empty:
            return None
        ref = self.reference(ppr)
        if ref is None:
            return None
        num_id, ilvl = ref
        inst = self._instance(num_id)
        if inst is None or ilvl not in inst.levels:
            return None
        counters = self._counters.setdefault(inst.abstract_id, [None] * LEVELS)
        for shallower in range(ilvl):  # skipped levels count as used at their start
            if counters[shallower] is None and shallower in inst.levels:
                self._first_override(num_id, inst, shallower)
                counters[shallower] = self._start(inst, shallower)
        restart = self._first_override(num_id, inst, ilvl)
        current = counters[ilvl]
        if restart is not None:
            counters[ilvl] = restart
        else:
            counters[ilvl] = self._start(inst, ilvl) if current is None else current + 1
        for deeper in range(ilvl + 1, LEVELS):
            after = inst.levels[deeper].restart if deeper in inst.levels else None
            limit = deeper if after is None or after > deeper else after
            if ilvl < limit:
                counters[deeper] = None
        return self._render(inst, ilvl, counters)

    def _first_override(self, num_id: str, inst: _Instance, ilvl: int) -> int | None:
        """The start override of level ``ilvl`` the first time ``num_id`` numbers that
        level (remembered as done), else None."""
        override = inst.overrides.get(ilvl)
        if override is None or (num_id, ilvl) in self._overridden:
            return None
        self._overridden.add((num_id, ilvl))
        return override

    @staticmethod
    def _start(inst: _Instance, ilvl: int) -> int:
        """Where level ``ilvl`` (re)starts for this ``w:num``."""
        if ilvl in inst.overrides:
            return inst.overrides[ilvl]
        return inst.levels[ilvl].start if ilvl in inst.levels else 0

    def _render(self, inst: _Instance, ilvl: int, counters: list[int | None]) -> Label:
        level = inst.levels[ilvl]
        if level.fmt == "bullet":
            return Label("", level.suffix, bullet=level.text)
        pieces: list[str] = []
        pos = 0
        for m in _PLACEHOLDER.finditer(level.text):
            ref = int(m.group(1)) - 1
            if ref > ilvl:
                return Label("", level.suffix)  # Word drops such a level text
            pieces.append(level.text[pos:m.start()])
            pieces.append(self._number(inst, ref, counters[ref], level.legal))
            pos = m.end()
        pieces.append(level.text[pos:])
        return Label("".join(pieces).strip(), level.suffix)

    def _number(self, inst: _Instance, ref: int, value: int | None, legal: bool) -> str:
        level = inst.levels.get(ref, Level())
        if value is None:
            value = self._start(inst, ref)
        fmt = ("decimal" if legal and level.fmt not in (*NO_NUMBER, "decimalZero")
               else level.fmt)
        text = format_number(value, fmt)
        if text is None:
            problem = (f"automatic numbering format {fmt!r} not supported: "
                       "its numbers are shown as decimal")
            if problem not in self.problems:
                self.problems.append(problem)
            text = str(value)
        if level.width and fmt == "decimal" and value >= 0:
            text = text.zfill(level.width)
        return text


def _int_attr(el: Element, name: str) -> int | None:
    try:
        return int(el.get(qn(f"w:{name}")) or "")
    except ValueError:
        return None
