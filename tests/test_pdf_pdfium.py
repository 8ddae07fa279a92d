"""The PDFium engine's page model on small PDFs written here: glyphs without a Unicode map,
font size set by the text matrix, shapes inside form XObjects, a rotated page, and the
path classification pdfminer used."""
from __future__ import annotations

from certreport.extract.pages import text_layer_problem
from certreport.extract.pdf_pdfium import UNMAPPED, PdfFile, classify, subpaths
from tests.malformed.make_corpus import pdf as write_pdf

HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
# a CID font without a ToUnicode map: its codes say nothing about the characters
NO_MAP = [b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H "
          b"/DescendantFonts [%d 0 R] >>",
          b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun /CIDSystemInfo "
          b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R "
          b"/DW 1000 >>",
          b"<< /Type /FontDescriptor /FontName /ABCDEF+SimSun /Flags 4 /FontBBox [0 -120 1000 880] "
          b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"]


def _page(tmp_path, content: bytes, extra: bytes = b"", resources: bytes = b"",
          more: list | None = None):
    objects: list = [b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + extra
                     + b" /Resources << /Font << /F1 5 0 R /F2 6 0 R >> " + resources
                     + b" >> /Contents 4 0 R >>",
                     (b"<< >>", content), HELVETICA,
                     NO_MAP[0] % 7, NO_MAP[1] % 8, NO_MAP[2]] + (more or [])
    path = tmp_path / "page.pdf"
    path.write_bytes(write_pdf(objects))
    with PdfFile(path) as pdf:
        return pdf.read(0)


def test_glyphs_without_a_unicode_map_are_unmapped(tmp_path):
    page = _page(tmp_path, b"BT /F2 12 Tf 72 700 Td <0E1F0A2B0C3D> Tj ET")
    assert [c["text"] for c in page.chars] == [UNMAPPED] * 3
    assert text_layer_problem(page) == "text without a Unicode map ((cid:n) glyphs)"


def test_font_size_set_by_the_text_matrix(tmp_path):
    page = _page(tmp_path, b"BT /F1 1 Tf 10.5 0 0 10.5 72 650 Tm (Hello) Tj ET "
                           b"BT /F1 12 Tf 72 600 Td (World) Tj ET")
    hello, world = page.chars[:5], page.chars[5:]
    assert "".join(c["text"] for c in page.chars) == "HelloWorld"
    assert {round(c["size"], 2) for c in hello} == {10.5}
    assert {round(c["size"], 2) for c in world} == {12.0}
    # the box spans the size above the baseline, measured from the top
    assert round(hello[0]["bottom"], 2) == 842 - 650 and round(hello[0]["top"], 2) == 842 - 660.5
    assert hello[0]["x0"] == 72 and hello[1]["x0"] > hello[0]["x0"]


def test_shapes_inside_a_form_xobject_are_placed_by_its_matrix(tmp_path):
    form = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] >>",
            b"0.5 w 0 0 8 8 re S 0 20 m 50 20 l S")
    page = _page(tmp_path, b"q 1 0 0 1 100 500 cm /Fm1 Do Q", resources=b"/XObject << /Fm1 9 0 R >>",
                 more=[form])
    (rect,), (line,) = page.rects, page.lines
    assert (rect["x0"], rect["x1"], rect["top"], rect["bottom"]) == (100, 108, 334, 342)
    assert (line["x0"], line["x1"], line["top"], line["bottom"]) == (100, 150, 322, 322)
    assert rect["stroke"] and not rect["fill"]


def test_rotated_page_is_read_as_shown(tmp_path):
    page = _page(tmp_path, b"BT /F1 12 Tf 72 700 Td (Landscape) Tj ET", extra=b"/Rotate 90")
    assert (page.width, page.height) == (842, 595)
    text = "".join(c["text"] for c in page.chars)
    assert text == "Landscape"
    # shown turned a quarter clockwise: the text runs down the page, 700 from the left
    xs = {round(c["x0"]) for c in page.chars}
    assert len(xs) <= 2 and abs(min(xs) - 700) < 20
    assert page.chars[0]["top"] < page.chars[-1]["top"]


def test_path_classification_follows_pdfminer():
    def shapes(ops):
        return [classify(shape, pts)[0] for shape, pts in subpaths(ops)]

    square = [("m", (0, 0)), ("l", (8, 0)), ("l", (8, 8)), ("l", (0, 8)), ("h", (0, 8))]
    skew = [("m", (0, 0)), ("l", (8, 1)), ("l", (8, 8)), ("l", (0, 8)), ("h", (0, 8))]
    tick = [("m", (1, 3)), ("l", (3, 0)), ("l", (7, 6))]
    line = [("m", (0, 0)), ("l", (50, 0))]
    assert shapes(square + line + tick + skew) == ["rect", "line", "curve", "curve"]
