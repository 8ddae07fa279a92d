"""A PDF's pages in the shared page model (:class:`certreport.extract.pages.Page`) from
PDFium, Chrome's PDF engine, through pypdfium2's raw API (``pypdfium2.raw``).

PDFium interprets the content streams in C (about twenty times faster than pdfminer's
Python parser) and rebuilds a lost or broken cross-reference table from the objects
themselves (:attr:`PdfFile.repaired` says when it had to). What a page holds comes out
in pdfplumber's shape, measured from the page's top left (the page's rotation and media
box origin applied as pdfminer applies them, so both engines agree):

* characters from the text page: code point (``FPDFText_GetUnicode``; a glyph without a
  Unicode map, ``FPDFText_HasUnicodeMapError``, becomes U+FFFD, which
  :func:`~certreport.extract.pages.text_layer_problem` counts as unmapped), advance box
  (``FPDFText_GetLooseCharBox``: left and right), baseline (``FPDFText_GetCharOrigin``),
  size (``FPDFText_GetFontSize``) and font (``FPDFText_GetFontInfo``). The box spans
  the font size above the baseline, as pdfminer draws it for fonts whose descriptor
  states no descent; PDFium's own vertical extents depend on each font's metrics, which
  would set characters of two fonts on one baseline at different heights. The spaces
  PDFium generates between words and lines are not characters of the page;
* shapes from the page objects (paths, also inside form XObjects): each subpath
  classified as pdfminer classifies it (``m l`` a line, a closed axis-parallel
  ``m l l l h`` a rectangle, anything else a curve), with its fill and stroke (draw
  mode) and colours as RGB fractions;
* the number of image objects.
"""
from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pypdfium2.version import PDFIUM_INFO, PYPDFIUM_INFO

from certreport.extract.pages import Page

ENGINE = f"pdfium {PDFIUM_INFO.build} (pypdfium2 {PYPDFIUM_INFO.version})"
UNMAPPED = "\ufffd"

Matrix = tuple[float, float, float, float, float, float]
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

# FPDF_GetLastError codes (fpdfview.h) -> what they mean for a reader
LOAD_ERRORS = {
    pdfium_c.FPDF_ERR_UNKNOWN: "unknown error",
    pdfium_c.FPDF_ERR_FILE: "file not found or could not be opened",
    pdfium_c.FPDF_ERR_FORMAT: "not in PDF format or corrupted",
    pdfium_c.FPDF_ERR_PASSWORD: "password required or incorrect",
    pdfium_c.FPDF_ERR_SECURITY: "unsupported security scheme",
    pdfium_c.FPDF_ERR_PAGE: "page not found or content error",
}


class PdfiumOpenError(ValueError):
    """PDFium refused the file; ``code`` is its FPDF_ERR_* code (0: it opened no
    document without saying why, as for a file without any page)."""

    def __init__(self, code: int) -> None:
        super().__init__(LOAD_ERRORS.get(code, f"error {code}"))
        self.code = code


def _mul(m: Matrix, n: Matrix) -> Matrix:
    """The matrix applying ``m`` first, then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


def page_frame(page: pdfium_c.FPDF_PAGE) -> tuple[Matrix, float, float]:
    """User space -> the page as shown (bottom-up), as pdfminer sets its start CTM (the
    media box moved to the origin, the page's /Rotate applied), and the page's width and
    height as shown."""
    box = [ctypes.c_float() for _ in range(4)]
    if not pdfium_c.FPDFPage_GetMediaBox(page, *box):
        return _IDENTITY, pdfium_c.FPDF_GetPageWidthF(page), pdfium_c.FPDF_GetPageHeightF(page)
    x0, y0, x1, y1 = (v.value for v in box)
    w, h = abs(x1 - x0), abs(y1 - y0)
    rotate = pdfium_c.FPDFPage_GetRotation(page)  # 0-3: quarter turns clockwise
    if rotate == 1:
        return (0.0, -1.0, 1.0, 0.0, -y0, x1), h, w
    if rotate == 2:
        return (-1.0, 0.0, 0.0, -1.0, x1, y1), w, h
    if rotate == 3:
        return (0.0, 1.0, -1.0, 0.0, y1, -x0), h, w
    return (1.0, 0.0, 0.0, 1.0, -x0, -y0), w, h


# ------------------------------------------------------------------ characters


def _fast(func, restype, *argtypes):
    """The same PDFium function taking plain addresses and ints: pypdfium2's bindings
    check every pointer's type, which costs more than the call itself in a loop over
    each character of a page."""
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(func, ctypes.c_void_p).value)


_vp, _int, _dbl = ctypes.c_void_p, ctypes.c_int, ctypes.c_double
_loose_box = _fast(pdfium_c.FPDFText_GetLooseCharBox, _int, _vp, _int, _vp)
_origin = _fast(pdfium_c.FPDFText_GetCharOrigin, _int, _vp, _int, _vp, _vp)
_char_matrix = _fast(pdfium_c.FPDFText_GetMatrix, _int, _vp, _int, _vp)
_font_size = _fast(pdfium_c.FPDFText_GetFontSize, _dbl, _vp, _int)
_text_object = _fast(pdfium_c.FPDFText_GetTextObject, _vp, _vp, _int)
_map_error = _fast(pdfium_c.FPDFText_HasUnicodeMapError, _int, _vp, _int)
_unicode = _fast(pdfium_c.FPDFText_GetUnicode, ctypes.c_uint, _vp, _int)
_obj_font = _fast(pdfium_c.FPDFTextObj_GetFont, _vp, _vp)
_font_name = _fast(pdfium_c.FPDFFont_GetBaseFontName, ctypes.c_size_t, _vp, _vp, ctypes.c_size_t)

MAP_CHECKS = 32  # a font's glyphs checked for a Unicode map error until this many passed


def _page_text(textpage: pdfium_c.FPDF_TEXTPAGE, n: int) -> str | None:
    """The text page's characters in one call (one UTF-16 unit per character), or None
    when characters outside the BMP make the units and the characters disagree."""
    buf = (ctypes.c_ushort * (n + 1))()
    got = pdfium_c.FPDFText_GetText(textpage, 0, n, buf)
    text = bytes(buf)[:2 * max(got - 1, 0)].decode("utf-16-le", "replace")
    return text if len(text) == n else None


class _Fonts:
    """Font names by PDFium font handle, and how many of a font's glyphs proved mapped."""

    def __init__(self) -> None:
        self.names: dict[int, str] = {}
        self.clean: dict[str, int] = {}
        self._buf = ctypes.create_string_buffer(256)

    def name(self, font: int | None) -> str:
        if not font:
            return "unknown"
        name = self.names.get(font)
        if name is None:
            n = _font_name(font, ctypes.addressof(self._buf), 256)
            raw = self._buf.raw[:n - 1] if 0 < n <= 256 else b""
            name = self.names[font] = raw.decode("utf-8", "replace") or "unknown"
        return name


def _chars(textpage: pdfium_c.FPDF_TEXTPAGE, m: Matrix, height: float) -> list[dict]:
    """Every character of the text page but PDFium's generated spaces and line breaks.

    What a text object's characters share (font, size, baseline: one ``Tj``/``TJ`` run)
    is asked once, at its first character; each character costs two calls (its text
    object and its box), the text comes in one call for the page."""
    n = pdfium_c.FPDFText_CountChars(textpage)
    if n <= 0:
        return []
    tp = ctypes.cast(textpage, ctypes.c_void_p).value
    text_all = _page_text(textpage, n)
    rect = pdfium_c.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    mat = pdfium_c.FS_MATRIX()
    rect_a, ox_a, oy_a, mat_a = (ctypes.addressof(v) for v in (rect, ox, oy, mat))
    fonts = _Fonts()
    clean = fonts.clean
    # text object -> (size, font name, baseline and top from the page's top, the first
    # character's left edge)
    objects: dict[int | None, tuple[float, str, float, float, float]] = {}
    objects_get, clean_get = objects.get, clean.get
    a, b, c, d, e, f = m
    upright = b == 0.0 and c == 0.0 and a == 1.0 and d == 1.0
    out = []
    append = out.append
    for i in range(n):
        if text_all is not None:
            text = text_all[i]
            if text <= " " or text.isspace():
                if text != "\x00":
                    continue
                text = UNMAPPED  # code 0: a glyph with nothing to say what it is
        else:
            code = _unicode(tp, i)
            text = chr(code) if code else UNMAPPED
            if 0 < code <= 0x20 or text.isspace():
                continue
        obj = _text_object(tp, i)
        _loose_box(tp, i, rect_a)
        left = rect.left
        got = objects_get(obj)
        if got is None:
            size = _font_size(tp, i)
            if _char_matrix(tp, i, mat_a):  # the font size is before the text matrix
                size *= (mat.c * mat.c + mat.d * mat.d) ** 0.5
            _origin(tp, i, ox_a, oy_a)
            base = height - (oy.value + f)
            got = objects[obj] = (size, fonts.name(_obj_font(obj) if obj else None), base,
                                  left, base - size)
            along = True
        else:  # a later character of a run advances along the line (else: vertical writing)
            along = left != got[3]
        size, name, base, _, top = got
        checked = clean_get(name, 0)
        if checked < MAP_CHECKS:
            if text == UNMAPPED or _map_error(tp, i) == 1:
                text = UNMAPPED
                clean[name] = -(1 << 30)  # this font lacks a map: check all its glyphs
            else:
                clean[name] = checked + 1
        if upright and along:
            # horizontal text: advance width left to right, font size above the baseline
            append({"text": text, "x0": left + e, "x1": rect.right + e, "top": top,
                    "bottom": base, "size": size, "fontname": name})
            continue
        # vertical writing, a rotated page: PDFium's box, transformed
        xs, ys = [], []
        for px, py in ((rect.left, rect.bottom), (rect.right, rect.top),
                       (rect.left, rect.top), (rect.right, rect.bottom)):
            xs.append(a * px + c * py + e)
            ys.append(b * px + d * py + f)
        append({"text": text, "x0": min(xs), "x1": max(xs), "top": height - max(ys),
                "bottom": height - min(ys), "size": size, "fontname": name})
    return out


# ------------------------------------------------------------------ shapes

_LINE, _BEZIER, _MOVE = (pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_BEZIERTO,
                         pdfium_c.FPDF_SEGMENT_MOVETO)


def _obj_matrix(obj: pdfium_c.FPDF_PAGEOBJECT) -> Matrix:
    mat = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, mat):
        return _IDENTITY
    return (mat.a, mat.b, mat.c, mat.d, mat.e, mat.f)


def _colour(getter, obj: pdfium_c.FPDF_PAGEOBJECT) -> tuple[float, float, float] | None:
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    if not getter(obj, r, g, b, a):
        return None
    return (r.value / 255, g.value / 255, b.value / 255)


def subpaths(ops: list[tuple[str, tuple[float, float]]]) -> Iterator[tuple[str, list]]:
    """A path's operators (``m``, ``l``, ``c``, ``h`` with the point each ends at) cut at
    each ``m``: (shape, points), the points of ``h`` being its subpath's start."""
    start = 0
    for k in range(1, len(ops) + 1):
        if k == len(ops) or ops[k][0] == "m":
            piece = ops[start:k]
            if piece and piece[0][0] == "m":
                first = piece[0][1]
                yield ("".join(op for op, _ in piece),
                       [first if op == "h" else pt for op, pt in piece])
            start = k


def classify(shape: str, pts: list[tuple[float, float]]) -> tuple[str, list] | None:
    """pdfminer's reading of one subpath: ``line`` (``ml``, ``mlh``), ``rect`` (a closed
    loop of four axis-parallel sides), else ``curve``; with the points kept."""
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts = pts[:-1]
    if shape in ("mlh", "ml"):
        return "line", pts[:2]
    if shape in ("mlllh", "mllll"):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        closed = pts[0] == pts[4]
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
            y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if closed and square:
            return "rect", pts
    if len(shape) < 2:
        return None  # a lone move paints nothing
    return "curve", pts


def _shape(kind: str, pts: list, height: float, fill: bool, stroke: bool, width: float,
           fill_colour, stroke_colour) -> dict:
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    d = {"object_type": kind, "x0": x0, "x1": x1, "y0": y0, "y1": y1,
         "top": height - y1, "bottom": height - y0, "doctop": height - y1,
         "width": x1 - x0, "height": y1 - y0, "fill": fill, "stroke": stroke,
         "linewidth": width, "non_stroking_color": fill_colour,
         "stroking_color": stroke_colour}
    if kind != "rect":
        d["pts"] = [(x, height - y) for x, y in pts]
    return d


def _path(obj: pdfium_c.FPDF_PAGEOBJECT, m: Matrix, page: Page) -> None:
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(obj, fillmode, stroke):
        return
    fill, stroke = fillmode.value != 0, bool(stroke.value)
    if not fill and not stroke:
        return  # a clipping path: nothing drawn (pdfminer skips ``n``)
    a, b, c, d, e, f = _mul(_obj_matrix(obj), m)
    px, py = ctypes.c_float(), ctypes.c_float()
    ops: list[tuple[str, tuple[float, float]]] = []
    bezier = 0
    for k in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        pdfium_c.FPDFPathSegment_GetPoint(seg, px, py)
        x, y = px.value, py.value
        pt = (a * x + c * y + e, b * x + d * y + f)
        if kind == _MOVE:
            ops.append(("m", pt))
            bezier = 0
        elif kind == _BEZIER:  # control, control, end: one ``c``
            bezier += 1
            if bezier == 3:
                ops.append(("c", pt))
                bezier = 0
        else:
            ops.append(("l", pt))
            bezier = 0
        if pdfium_c.FPDFPathSegment_GetClose(seg):
            ops.append(("h", pt))
    if not ops:
        return
    width = ctypes.c_float()
    pdfium_c.FPDFPageObj_GetStrokeWidth(obj, width)
    fill_colour = _colour(pdfium_c.FPDFPageObj_GetFillColor, obj)
    stroke_colour = _colour(pdfium_c.FPDFPageObj_GetStrokeColor, obj)
    for shape, pts in subpaths(ops):
        got = classify(shape, pts)
        if got is None:
            continue
        kind, pts = got
        target = page.rects if kind == "rect" else page.lines if kind == "line" else page.curves
        target.append(_shape(kind, pts, page.height, fill, stroke, width.value, fill_colour,
                             stroke_colour))


_page_object = _fast(pdfium_c.FPDFPage_GetObject, _vp, _vp, _int)
_form_object = _fast(pdfium_c.FPDFFormObj_GetObject, _vp, _vp, ctypes.c_ulong)
_object_type = _fast(pdfium_c.FPDFPageObj_GetType, _int, _vp)
_PATH, _IMAGE, _FORM = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE,
                        pdfium_c.FPDF_PAGEOBJ_FORM)


def _objects(owner: int, count: int, get, m: Matrix, page: Page) -> None:
    """Paths and images of a page or form XObject (forms walked with their matrix);
    ``get(owner, k)`` is its ``k``-th object's handle."""
    for k in range(count):
        handle = get(owner, k)
        if not handle:
            continue
        kind = _object_type(handle)
        if kind == _PATH:
            _path(ctypes.cast(handle, pdfium_c.FPDF_PAGEOBJECT), m, page)
        elif kind == _IMAGE:
            page.images += 1
        elif kind == _FORM:
            form = ctypes.cast(handle, pdfium_c.FPDF_PAGEOBJECT)
            _objects(handle, pdfium_c.FPDFFormObj_CountObjects(form), _form_object,
                     _mul(_obj_matrix(form), m), page)


# ------------------------------------------------------------------ the file

class PdfFile:
    """An open PDF (a path or its bytes): its page count and its pages one by one
    (each page's PDFium objects closed before the next)."""

    def __init__(self, source: str | Path | bytes, password: str | None = None) -> None:
        try:
            self.doc = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source),
                                          password=password)
        except pdfium.PdfiumError as exc:
            raise PdfiumOpenError(getattr(exc, "err_code", None) or 0) from exc

    @property
    def repaired(self) -> bool:
        """Whether PDFium had to rebuild the cross-reference table (lost, truncated or
        pointing at the wrong offsets) to open the file."""
        return not pdfium_c.FPDF_DocumentHasValidCrossReferenceTable(self.doc.raw)

    def page_count(self) -> int:
        return len(self.doc)

    def read(self, index: int) -> Page:
        """Page ``index`` (0-based) in the page model, numbered from 1. Raises
        :class:`PdfiumOpenError` when PDFium cannot load the page."""
        raw = pdfium_c.FPDF_LoadPage(self.doc.raw, index)
        if not raw:
            raise PdfiumOpenError(pdfium_c.FPDF_GetLastError() or pdfium_c.FPDF_ERR_PAGE)
        try:
            m, width, height = page_frame(raw)
            page = Page(index + 1, width, height, engine=ENGINE)
            textpage = pdfium_c.FPDFText_LoadPage(raw)
            if textpage:
                try:
                    page.chars = _chars(textpage, m, height)
                finally:
                    pdfium_c.FPDFText_ClosePage(textpage)
            _objects(ctypes.cast(raw, ctypes.c_void_p).value, pdfium_c.FPDFPage_CountObjects(raw),
                     _page_object, m, page)
            return page
        finally:
            pdfium_c.FPDF_ClosePage(raw)

    def close(self) -> None:
        self.doc.close()

    def __enter__(self) -> "PdfFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
