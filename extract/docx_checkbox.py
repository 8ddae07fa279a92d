"""Word check-box styles, each mapped to the canonical marks ☑/☐ at the place it stands.

The styles (see ``shared/domain.md``): a ``w:sym`` symbol character; ordinary run text in
a symbol font (the private-use code point U+F0FE or the bare byte þ/¨), the font coming
from the run's ``w:rFonts``, its character style, its paragraph style or the document
defaults; a check-box content control (``w14:checkbox``: its *state* counts, the glyph it
shows does not); a legacy form field (``w:ffData/w:checkBox``). Glyphs go through the one
table in ``schemas/vocabulary.yaml`` (:func:`certreport.extract.glyphs.symbol_mark`); an unknown glyph
is kept (as its U+F0xx code point) and reported, never dropped.
"""
from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn

from certreport.extract.glyphs import PUA_END, PUA_START, is_symbol_font, symbol_mark
from certreport.extract.record import CHECKED, UNCHECKED

W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
# which w:rFonts slots may draw a character, by range (ASCII / Latin-1 bytes / private use)
_SLOTS_ASCII = ("ascii", "hAnsi")
_SLOTS_OTHER = ("hAnsi", "ascii", "eastAsia", "cs")

Element = Any  # an lxml element (python-docx's oxml classes)


def mark(checked: bool) -> str:
    return CHECKED if checked else UNCHECKED


def on_off(el: Element | None, *attrs: str) -> bool:
    """An OOXML on/off property: present with no value, or 1/true/on, means on."""
    if el is None:
        return False
    for attr in attrs:
        val = el.get(attr)
        if val is not None:
            return val.strip().lower() in ("1", "true", "on")
    return True


def sdt_checkbox_state(sdt: Element) -> bool | None:
    """The state of a check-box content control; None when ``sdt`` is no check box."""
    pr = sdt.find(qn("w:sdtPr"))
    box = pr.find(f"{{{W14}}}checkbox") if pr is not None else None
    if box is None:
        return None
    checked = box.find(f"{{{W14}}}checked")
    return on_off(checked, f"{{{W14}}}val", qn("w:val"))


def form_checkbox_state(fld_char: Element) -> bool | None:
    """The state of a legacy form-field check box at its ``w:fldChar`` begin; None
    when the field is no check box."""
    box = fld_char.find(f"{qn('w:ffData')}/{qn('w:checkBox')}")
    if box is None:
        return None
    state = box.find(qn("w:checked"))
    if state is None:
        state = box.find(qn("w:default"))
    return on_off(state, qn("w:val"))


def _unknown(code: int, font: str | None) -> str:
    return f"unknown check-box glyph U+{code:04X} in font {font or 'unspecified'}"


def symbol_char(code: int, font: str | None) -> tuple[str, str | None]:
    """A symbol-font character (``w:sym``, or run text in a symbol font) as a mark, or
    kept as its private-use code point with a problem message when the table lacks it."""
    if code < 0x100:
        code += PUA_START
    found = symbol_mark(chr(code), font)
    if found is not None:
        return found, None
    return chr(code), _unknown(code, font)


def sym_element(sym: Element) -> tuple[str, str | None]:
    """``<w:sym w:font="Wingdings" w:char="F0FE"/>`` as a mark (or kept glyph, problem)."""
    font = sym.get(qn("w:font"))
    try:
        code = int(sym.get(qn("w:char")) or "", 16)
    except ValueError:
        return "", f"w:sym without a readable w:char in font {font or 'unknown'}"
    return symbol_char(code, font)


class FontResolver:
    """The fonts a run is drawn in: its own ``w:rFonts`` slot by slot, then its character
    style chain, its paragraph style chain, then the document defaults (theme fonts are
    ignored: symbol fonts are never theme fonts)."""

    def __init__(self, styles: Element | None) -> None:
        self._styles: dict[str, tuple[dict[str, str], str | None]] = {}
        self._defaults: dict[str, str] = {}
        self._cache: dict[tuple, dict[str, str]] = {}
        if styles is None:
            return
        default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
        self._defaults = _fonts_of(default)
        for style in styles.iterfind(qn("w:style")):
            sid = style.get(qn("w:styleId"))
            if sid is None:
                continue
            based = style.find(qn("w:basedOn"))
            self._styles[sid] = (_fonts_of(style.find(qn("w:rPr"))),
                                 based.get(qn("w:val")) if based is not None else None)

    def _chain(self, style_id: str | None) -> list[dict[str, str]]:
        out, seen = [], set()
        while style_id and style_id in self._styles and style_id not in seen:
            seen.add(style_id)
            fonts, style_id = self._styles[style_id]
            out.append(fonts)
        return out

    def fonts(self, rpr: Element | None, pstyle: str | None) -> dict[str, str]:
        """The resolved font name per slot (ascii, hAnsi, eastAsia, cs)."""
        own = _fonts_of(rpr)
        rstyle_el = rpr.find(qn("w:rStyle")) if rpr is not None else None
        rstyle = rstyle_el.get(qn("w:val")) if rstyle_el is not None else None
        key = (tuple(sorted(own.items())), rstyle, pstyle)
        if key not in self._cache:
            layers = [own, *self._chain(rstyle), *self._chain(pstyle), self._defaults]
            resolved: dict[str, str] = {}
            for slot in SLOTS:
                for layer in layers:
                    if slot in layer:
                        resolved[slot] = layer[slot]
                        break
            self._cache[key] = resolved
        return self._cache[key]


def _fonts_of(rpr: Element | None) -> dict[str, str]:
    if rpr is None:
        return {}
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        return {}
    return {slot: rfonts.get(qn(f"w:{slot}")) for slot in SLOTS if rfonts.get(qn(f"w:{slot}"))}


def _symbol_font(fonts: dict[str, str], slots: tuple[str, ...]) -> str | None:
    for slot in slots:
        name = fonts.get(slot)
        if name and is_symbol_font(name):
            return name
    return None


def symbol_run_text(text: str, fonts: dict[str, str]) -> tuple[str, list[str]]:
    """Run text with its symbol-font glyphs mapped to marks.

    Private-use glyphs (U+F000–U+F0FF) are mapped in the run's symbol font, else in the
    default symbol font; bare bytes (þ, ¨, ASCII letters) only when a symbol font draws
    them. Unknown glyphs stay as written and come back as problem messages.
    """
    symbolic = any(PUA_START <= ord(c) <= PUA_END for c in text) or (
        _symbol_font(fonts, _SLOTS_OTHER) is not None)
    if not symbolic:
        return text, []
    out: list[str] = []
    problems: list[str] = []
    for c in text:
        code = ord(c)
        if PUA_START <= code <= PUA_END:
            font = _symbol_font(fonts, _SLOTS_OTHER)
        elif 0x20 < code < 0x80 and not c.isspace():
            font = _symbol_font(fonts, _SLOTS_ASCII)
            if font is None:
                out.append(c)
                continue
        elif 0xA0 < code < 0x100:
            font = _symbol_font(fonts, _SLOTS_OTHER)
            if font is None:
                out.append(c)
                continue
        else:
            out.append(c)
            continue
        glyph, problem = symbol_char(code, font)
        out.append(c if problem else glyph)  # an unknown glyph stays as it was written
        if problem:
            problems.append(problem)
    return "".join(out), problems
