"""Check-box glyphs: one table (``schemas/vocabulary.yaml``) for every style.

Readers call :func:`symbol_mark` for a character drawn in a symbol font (Word ``w:sym``,
a run in Wingdings, a PDF glyph in a symbol font) and :func:`canonical_marks` on text that
may hold private-use glyphs whose font is not known. Both map to ``☑``/``☐``; a glyph the
table does not know is kept and reported, never dropped.
"""
from __future__ import annotations

from certreport.extract.record import CHECKED, UNCHECKED
from certreport.schemas.vocabulary import vocabulary

PUA_START, PUA_END = 0xF000, 0xF0FF


def _font_table(font: str | None) -> dict[int, bool] | None:
    fonts = vocabulary().symbol_fonts
    if font is None:
        return dict(fonts[vocabulary().default_symbol_font])
    name = font.split("+")[-1].replace("-", " ").strip()  # PDF subset prefix ABCDEF+Wingdings-Regular
    for known in sorted(fonts, key=len, reverse=True):
        if name.lower().startswith(known.lower()) or name.replace(" ", "").lower().startswith(
                known.replace(" ", "").lower()):
            return dict(fonts[known])
    return None


def is_symbol_font(font: str | None) -> bool:
    """True for fonts whose glyphs are not text (Wingdings, Symbol …)."""
    return font is not None and _font_table(font) is not None


def symbol_mark(char: str, font: str | None) -> str | None:
    """The canonical mark for ``char`` drawn in ``font``; None when the table lacks it.

    ``char`` may be the private-use code point (U+F0FE) or the bare byte (þ, U+00FE).
    A private-use glyph of a font the table does not list (OpenSymbol, a PDF's renamed
    subset) reads as in the default symbol font, so U+F0FE is a ticked box in any font.
    """
    if not char:
        return None
    code = ord(char[0])
    table = _font_table(font)
    if table is None and PUA_START <= code <= PUA_END:
        table = _font_table(None)
    if table is None:
        return None
    if code < 0x100:
        code += PUA_START
    state = table.get(code)
    if state is None:
        return None
    return CHECKED if state else UNCHECKED


def canonical_marks(text: str, font: str | None = None) -> tuple[str, list[str]]:
    """Replace private-use symbol glyphs in ``text`` with ☑/☐.

    Returns the new text and the list of glyphs it could not map (as ``U+F0xx``), which
    stay in the text so that nothing is silently dropped.
    """
    if not any(PUA_START <= ord(c) <= PUA_END for c in text):
        return text, []
    out, unknown = [], []
    for c in text:
        if PUA_START <= ord(c) <= PUA_END:
            mark = symbol_mark(c, font)
            if mark is None:
                unknown.append(f"U+{ord(c):04X}")
                out.append(c)
            else:
                out.append(mark)
        else:
            out.append(c)
    return "".join(out), unknown
