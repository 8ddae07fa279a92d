"""Stand-in symbol fonts for rendering fixtures to PDF.

Word's check boxes often live in Wingdings (U+F0FE ticked box, U+F0A8 empty box) or
Wingdings 2 (U+F052 ☑, U+F0A3 □). Those fonts are not free, and without them LibreOffice
draws every such glyph with one fallback glyph, so a PDF export loses which box was
ticked, unlike a real Word export, which embeds the font. This module builds small
TrueType fonts under those family names with box glyphs at the symbol code points, so
that the fixture PDFs carry the same private-use characters in a font of the same name
as real exports do. Needs fontTools (a fixture-building dependency only).
"""
from __future__ import annotations

from pathlib import Path

# code point -> ticked?   (the glyphs the fixtures use, and their neighbours)
GLYPHS = {
    "Wingdings": {0xF0FE: True, 0xF0FD: True, 0xF0FB: True, 0xF0A8: False, 0xF06F: False},
    "Wingdings 2": {0xF052: True, 0xF053: True, 0xF054: True, 0xF0A3: False, 0xF02A: False},
}
UPM = 1000


def _box(pen: object, ticked: bool) -> None:
    # outer square, inner square cut out (so the box is an outline), optional tick
    def poly(points: list[tuple[int, int]]) -> None:
        pen.moveTo(points[0])
        for p in points[1:]:
            pen.lineTo(p)
        pen.closePath()

    poly([(100, 0), (100, 800), (900, 800), (900, 0)])
    poly([(160, 60), (840, 60), (840, 740), (160, 740)])
    if ticked:
        poly([(250, 420), (330, 480), (450, 300), (740, 650), (800, 590), (450, 170)])


def build_font(family: str, path: Path) -> Path:
    """Write a TrueType font named ``family`` with box glyphs at its symbol code points."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    glyphs = GLYPHS[family]
    order = [".notdef", "space"] + [f"uni{cp:04X}" for cp in glyphs]
    fb = FontBuilder(UPM, isTTF=True)
    fb.setupGlyphOrder(order)
    cmap = {0x20: "space"}
    cmap.update({cp: f"uni{cp:04X}" for cp in glyphs})
    # a symbol font answers for the bare bytes too (Word writes F0xx or xx)
    cmap.update({cp - 0xF000: f"uni{cp:04X}" for cp in glyphs if cp - 0xF000 > 0x20})
    fb.setupCharacterMap(cmap)
    drawn = {}
    for name in order:
        pen = TTGlyphPen(None)
        if name.startswith("uni"):
            _box(pen, glyphs[int(name[3:], 16)])
        elif name == ".notdef":
            _box(pen, False)
        drawn[name] = pen.glyph()
    fb.setupGlyf(drawn)
    fb.setupHorizontalMetrics({n: (UPM, 0) for n in order})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": family, "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    fb.save(str(path))
    return path


def install_fonts(directory: Path) -> list[Path]:
    """Build every stand-in font into ``directory`` (e.g. ~/.fonts, then ``fc-cache``)."""
    return [build_font(family, directory / f"{family.replace(' ', '')}-standin.ttf")
            for family in GLYPHS]
