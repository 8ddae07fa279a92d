"""The compiled PDFium loops (``extract/_pdfium_page.c``) against their Python references
in ``pdf_pdfium``: the same characters (every field, every float to the bit, the same
order) on every page of every committed PDF and on small pages written here for the
cases the samples lack (rotated pages, text turned upright, glyphs without a Unicode map,
characters outside the BMP, zero-width and space glyphs, fonts without names); and the
same Document from the whole reader either way."""
from __future__ import annotations

import ctypes
import shutil
import sysconfig
from pathlib import Path

import pypdfium2.raw as pdfium_c
import pytest

from certreport import extract
from certreport.extract import pdf_pdfium
from certreport.extract.pdf_pdfium import MAP_CHECKS, UNMAPPED, PdfFile, page_frame
from tests.malformed.make_corpus import pdf as write_pdf

ROOT = Path(__file__).resolve().parent.parent
COMMITTED = sorted((ROOT / "data" / "samples").rglob("*.pdf")) + sorted(
    (ROOT / "tests").rglob("*.pdf"))
native = pdf_pdfium.native


def test_the_compiled_loop_is_built_where_a_compiler_is():
    cc = (sysconfig.get_config_var("CC") or "").split()
    if not cc or shutil.which(cc[0]) is None:
        pytest.skip("no C compiler here: the Python loop serves")
    assert native is not None, ("extract/_pdfium_page.c is not built: re-run "
                                "`pip install -e .` and read the compiler's error")


def _both(data: bytes) -> list[tuple[list[dict], list[dict]]]:
    """Each page's characters from the Python loop and from the compiled one."""
    return [(python[0], compiled[0]) for python, compiled in _pages(data)]


def _both_shapes(data: bytes) -> list[tuple[tuple, tuple]]:
    """Each page's (image count, paths) from the Python walk and from the compiled one."""
    return [(python[1], compiled[1]) for python, compiled in _pages(data)]


def _pages(data: bytes) -> list[tuple[tuple, tuple]]:
    out = []
    with PdfFile(data) as pdf:
        for index in range(pdf.page_count()):
            raw = pdfium_c.FPDF_LoadPage(pdf.doc.raw, index)
            if not raw:
                continue
            try:
                m, _, height = page_frame(raw)
                page = ctypes.cast(raw, ctypes.c_void_p).value
                python_shapes = pdf_pdfium.shapes_python(page, m)
                compiled_shapes = native.shapes(page, m)
                textpage = pdfium_c.FPDFText_LoadPage(raw)
                try:
                    address = ctypes.cast(textpage, ctypes.c_void_p).value
                    out.append(((pdf_pdfium._chars_python(textpage, m, height), python_shapes),
                                (native.chars(address, m, height, MAP_CHECKS),
                                 compiled_shapes)))
                finally:
                    pdfium_c.FPDFText_ClosePage(textpage)
            finally:
                pdfium_c.FPDF_ClosePage(raw)
    return out


def _same_shapes(python: tuple, compiled: tuple) -> None:
    assert compiled == python
    assert repr(compiled) == repr(python)  # the types too: bools, floats, tuples, lists


def _same(python: list[dict], compiled: list[dict]) -> None:
    assert len(compiled) == len(python)
    for p, c in zip(python, compiled):
        assert list(c.items()) == list(p.items())  # values, and the order of the keys
        assert [type(v) for v in c.values()] == [type(v) for v in p.values()]


def _readable(path: Path) -> bool:
    try:
        PdfFile(path.read_bytes()).close()
    except ValueError:
        return False
    return True


needs_native = pytest.mark.skipif(native is None, reason="the compiled loop is not built")


@needs_native
@pytest.mark.parametrize("path", [p for p in COMMITTED if _readable(p)],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_committed_pdfs_give_the_same_characters_and_shapes(path):
    pages = _pages(path.read_bytes())
    assert pages
    for python, compiled in pages:
        _same(python[0], compiled[0])
        _same_shapes(python[1], compiled[1])


HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
NAMELESS = b"<< /Type /Font /Subtype /Type1 /Encoding /WinAnsiEncoding >>"


def _cid_font(first: int, tounicode: bool) -> list:
    """A Type0 font (objects ``first``...), with or without a ToUnicode
    map that sends <0001> outside the BMP (U+20000), <0002> to 中, <0003> to a space."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CIDSystemInfo "
            b"<< /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName "
            b"/Adobe-Identity-UCS def /CMapType 2 def 1 begincodespacerange <0000> <FFFF> "
            b"endcodespacerange 3 beginbfchar <0001> <D840DC00> <0002> <4E2D> <0003> <0020> "
            b"endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
    head = (b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H"
            b" /DescendantFonts [%d 0 R]" % (first + 1)
            + (b" /ToUnicode %d 0 R" % (first + 3) if tounicode else b"") + b" >>")
    objects = [head,
               b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun "
               b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
               b"/FontDescriptor %d 0 R /DW 1000 >>" % (first + 2),
               b"<< /Type /FontDescriptor /FontName /ABCDEF+SimSun /Flags 4 /FontBBox "
               b"[0 -120 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 "
               b"/StemV 80 >>"]
    return objects + ([(b"<< >>", cmap)] if tounicode else [])


def _written(content: bytes, extra: bytes = b"") -> bytes:
    """One page with Helvetica (F1), a font without a name (F2), a CID font with a
    ToUnicode map (F3, objects 7-10) and one without (F4, 11-13); two form XObjects,
    the first drawing the second (Fm1 and Fm2, 14-15)."""
    objects: list = [b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                     b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + extra
                     + b" /Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 7 0 R /F4 11 0 R >> "
                       b"/XObject << /Fm1 14 0 R /Fm2 15 0 R >> >> /Contents 4 0 R >>",
                     (b"<< >>", content), HELVETICA, NAMELESS]
    objects += _cid_font(7, True) + _cid_font(11, False) + FORMS
    return write_pdf(objects)


PAGES = {
    "latin runs": b"BT /F1 12 Tf 72 700 Td (Hello, world) Tj 0 -14 Td (again  here) Tj ET",
    "text matrix size": b"BT /F1 1 Tf 10.5 0 0 10.5 72 650 Tm (Sized) Tj ET",
    "skewed matrix": b"BT /F1 1 Tf 9 2 -2 9 72 650 Tm (Skew) Tj ET",
    "interleaved objects": b"BT /F1 10 Tf 72 700 Td (AB) Tj ET BT /F2 10 Tf 90 700 Td (CD) Tj ET "
                           b"BT /F1 10 Tf 110 700 Td (EF) Tj ET",
    "nameless font": b"BT /F2 12 Tf 72 700 Td (no name) Tj ET",
    "outside the BMP": b"BT /F3 12 Tf 72 700 Td <000100020003000200010002> Tj ET "
                       b"BT /F1 12 Tf 72 680 Td (tail) Tj ET",
    "in the BMP": b"BT /F3 12 Tf 72 700 Td <000200030002> Tj ET",
    "without a unicode map": b"BT /F4 12 Tf 72 700 Td <0E1F0A2B0C3D> Tj ET "
                             b"BT /F1 12 Tf 72 680 Td (mapped) Tj ET",
    "text turned upright": b"BT /F1 12 Tf 0 1 -1 0 300 500 Tm (Up the page) Tj ET "
                           b"BT /F3 12 Tf 0 -1 1 0 200 700 Tm <000200020002> Tj ET",
    "zero and spaces": b"BT /F1 12 Tf 72 700 Td (a \\000 b\\011c) Tj ET",
    "empty": b"",
    "shapes": b"0.5 w 0 0 8 8 re S 0 20 m 50 20 l S 1 0 0 rg 0 0 1 RG 10 10 m 20 10 l 20 20 l h "
              b"B 10 10 m 15 20 25 30 40 10 c 50 5 l S 0 0 100 100 re W n 30 30 m 40 40 l n "
              b"q 2 0 0 2 100 500 cm /Fm1 Do Q q 0.5 0 0 0.5 0 0 cm /Fm2 Do Q "
              b"BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI BT /F1 9 Tf 5 5 Td (x) Tj ET",
}
FORMS = [(b"<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] >>",
          b"1 0 0 1 5 5 cm 0 0 8 8 re f 0 20 m 50 20 l 50 40 l S /Fm2 Do"),
         (b"<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << >> >>",
          b"0.3 0.6 0.9 rg 1 1 6 6 re f")]


@needs_native
@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize("extra", [b"", b"/Rotate 90", b"/Rotate 180", b"/Rotate 270",
                                   b"/CropBox [10 20 500 800]"])
def test_written_pages_give_the_same_characters_and_shapes(name, extra):
    ((python, compiled),) = _pages(_written(PAGES[name], extra))
    _same(python[0], compiled[0])
    _same_shapes(python[1], compiled[1])
    if name != "empty":
        assert python[0]


@needs_native
def test_what_the_written_pages_hold():
    """The written pages reach the paths they are for (else the comparison above proves
    less than it says)."""
    def texts(name, extra=b""):
        ((_, compiled),) = _both(_written(PAGES[name], extra))
        return "".join(c["text"] for c in compiled), compiled

    wide, _ = texts("outside the BMP")
    assert wide == "\U00020000中中\U00020000中tail"  # the per-character path, pairs joined
    assert texts("without a unicode map")[0].startswith(UNMAPPED * 3)
    assert {c["fontname"] for c in texts("nameless font")[1]} == {"unknown"}
    _, rotated = texts("latin runs", b"/Rotate 90")
    assert rotated[0]["top"] < rotated[1]["top"]  # the transformed box: down the page
    ((_, (images, paths)),) = _both_shapes(_written(PAGES["shapes"]))
    assert images == 1
    # the page's five painted paths (not the clip nor the "n" path), the first form's
    # two, and the second form twice: inside the first and drawn by the page
    assert ["".join(op for op, _ in ops) for *_, ops in paths] == [
        "mllllh", "ml", "mlllh", "mcl", "mllllh", "mll", "mllllh", "mllllh"]
    assert [p[:2] for p in paths] == [(False, True)] * 2 + [(True, True), (False, True),
                                                            (True, False), (False, True)] \
        + [(True, False)] * 2
    assert paths[2][3:5] == ((1.0, 0.0, 0.0), (0.0, 0.0, 1.0))
    _, upright = texts("text turned upright")
    assert len({round(c["x0"]) for c in upright[:11]}) == 1  # one column, advancing up
    assert len({c["top"] for c in upright}) == len(upright)


@needs_native
def test_the_reader_gives_the_same_document_either_way(monkeypatch):
    paths = [p for p in sorted((ROOT / "data" / "samples" / "pdf").glob("*.pdf"))][:6]
    compiled = [extract.read_document(p) for p in paths]
    monkeypatch.setattr(pdf_pdfium, "native", None)
    python = [extract.read_document(p) for p in paths]
    assert compiled == python


def test_code_units_to_texts():
    """A surrogate pair is one character (the second unit dropped as a space); what no
    UTF-8 file can hold is U+FFFD; code 0 is kept for the caller to judge."""
    assert pdf_pdfium.code_texts([0xD840, 0xDC00, 0x4E2D, 0, 0xDC00, 0xD840, 0x41,
                                  0x110000, 0xD83D]) == [
        "\U00020000", " ", "中", "\x00", UNMAPPED, UNMAPPED, "A", UNMAPPED, UNMAPPED]
    assert pdf_pdfium.code_texts([]) == []


def test_the_doctor_says_whether_the_compiled_loops_serve(monkeypatch):
    from certreport import doctor
    from certreport.extract import page_lines

    monkeypatch.setattr(pdf_pdfium, "native", object())
    monkeypatch.setattr(page_lines, "_native", None)
    head, pdf_line, layout_line = doctor.compiled_lines()
    assert pdf_line.split()[-2:] == ["in", "use"]
    assert "not built: the Python loops serve" in layout_line
    assert "\n".join(doctor.compiled_lines()) in doctor.report()[0]


def test_a_build_older_than_its_source_is_not_used(tmp_path, monkeypatch, capsys):
    """A checkout whose .c changed after the build (pip install -e . not run again) reads
    with the Python loops and says so, rather than calling functions that may no longer
    fit; an installed package (no .c beside the module) uses its build."""
    import os
    import types

    from certreport.extract import native as loader

    built = tmp_path / "_demo.cpython-311-x86_64-linux-gnu.so"
    built.write_bytes(b"")
    module = types.ModuleType("certreport.extract._demo")
    module.__file__ = str(built)
    monkeypatch.setitem(__import__("sys").modules, "certreport.extract._demo", module)
    assert loader.load("_demo") is module  # no source beside it: an installed package
    source = tmp_path / "_demo.c"
    source.write_text("/* */")
    os.utime(built, (1_000_000, 1_000_000))
    os.utime(source, (2_000_000, 2_000_000))
    assert loader.stale(module, "_demo")
    assert loader.load("_demo") is None
    assert "extract/_demo.c changed after it was built" in capsys.readouterr().err
    os.utime(built, (3_000_000, 3_000_000))
    assert loader.load("_demo") is module
