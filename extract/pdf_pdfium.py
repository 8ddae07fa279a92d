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


NATIVE_FUNCTIONS = (  # the PDFium functions the compiled loops call, in bind()'s order
    "FPDFText_CountChars", "FPDFText_GetText", "FPDFText_GetUnicode",
    "FPDFText_GetLooseCharBox", "FPDFText_GetCharOrigin", "FPDFText_GetMatrix",
    "FPDFText_GetFontSize", "FPDFText_GetTextObject", "FPDFText_HasUnicodeMapError",
    "FPDFTextObj_GetFont", "FPDFFont_GetBaseFontName",
    "FPDFPage_CountObjects", "FPDFPage_GetObject", "FPDFFormObj_CountObjects",
    "FPDFFormObj_GetObject", "FPDFPageObj_GetType", "FPDFPageObj_GetMatrix",
    "FPDFPath_GetDrawMode", "FPDFPath_CountSegments", "FPDFPath_GetPathSegment",
    "FPDFPathSegment_GetType", "FPDFPathSegment_GetPoint", "FPDFPathSegment_GetClose",
    "FPDFPageObj_GetStrokeWidth", "FPDFPageObj_GetFillColor", "FPDFPageObj_GetStrokeColor")


def _native_module():
    """The compiled loops (``_pdfium_page.c``) bound to the PDFium that pypdfium2 loaded,
    or None where the extension is not built (a machine without a C compiler) or is
    stale (:mod:`certreport.extract.native`): the Python loops then read the same, more
    slowly."""
    from certreport.extract.native import load

    _pdfium_page = load("_pdfium_page")
    if _pdfium_page is None:
        return None
    _pdfium_page.bind([ctypes.cast(getattr(pdfium_c, n), ctypes.c_void_p).value
                       for n in NATIVE_FUNCTIONS])
    return _pdfium_page


native = _native_module()


def _page_text(textpage: pdfium_c.FPDF_TEXTPAGE, n: int) -> str | None:
    """The text page's characters in one call (one UTF-16 unit per character), or None
    when characters outside the BMP make the units and the characters disagree."""
    buf = (ctypes.c_ushort * (n + 1))()
    got = pdfium_c.FPDFText_GetText(textpage, 0, n, buf)
    text = bytes(buf)[:2 * max(got - 1, 0)].decode("utf-16-le", "replace")
    return text if len(text) == n else None


def code_texts(codes: list[int]) -> list[str]:
    """The text of each character from PDFium's code units: a character outside the BMP
    comes as its two surrogates, one character each; it is the first's text and the
    second is dropped (a space). A lone surrogate or a code beyond Unicode, which no
    UTF-8 file can hold, is U+FFFD; code 0 stays "\x00"."""
    out = []
    pair = False
    last = len(codes) - 1
    for k, code in enumerate(codes):
        if pair:
            out.append(" ")
            pair = False
        elif 0xD800 <= code <= 0xDBFF and k < last and 0xDC00 <= codes[k + 1] <= 0xDFFF:
            out.append(chr(0x10000 + ((code - 0xD800) << 10) + codes[k + 1] - 0xDC00))
            pair = True
        elif code == 0:
            out.append("\x00")
        elif code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            out.append(UNMAPPED)
        else:
            out.append(chr(code))
    return out


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
    """Every character of the text page but PDFium's generated spaces and line breaks
    (:func:`_chars_python`), by the compiled loop where it is built."""
    if native is not None:
        return native.chars(ctypes.cast(textpage, ctypes.c_void_p).value or 0, m, height,
                            MAP_CHECKS)
    return _chars_python(textpage, m, height)


def _chars_python(textpage: pdfium_c.FPDF_TEXTPAGE, m: Matrix, height: float) -> list[dict]:
    """Every character of the text page but PDFium's generated spaces and line breaks:
    the reference of the compiled loop (``_pdfium_page.c``) and the fallback where it is
    not built.

    What a text object's characters share (font, size, baseline: one ``Tj``/``TJ`` run)
    is asked once, at its first character; each character costs two calls (its text
    object and its box, written into one array for the page), the text comes in one call
    for the page."""
    n = pdfium_c.FPDFText_CountChars(textpage)
    if n <= 0:
        return []
    tp = ctypes.cast(textpage, ctypes.c_void_p).value
    texts = _page_text(textpage, n)
    if texts is None:  # characters outside the BMP: one code point per character
        texts = code_texts([_unicode(tp, i) for i in range(n)])
    # PDFium's generated spaces and line breaks are not characters of the page; code 0 is
    # a glyph with nothing to say what it is
    keep = [i for i, t in enumerate(texts) if (t > " " and not t.isspace()) or t == "\x00"]
    if not keep:
        return []
    boxes = (ctypes.c_float * (4 * len(keep)))()  # FS_RECTF: left, top, right, bottom
    at = ctypes.addressof(boxes)
    loose_box, text_object = _loose_box, _text_object
    for k, i in enumerate(keep):
        loose_box(tp, i, at + 16 * k)
    flat = boxes[:]
    lefts, rights = flat[0::4], flat[2::4]
    objs = [text_object(tp, i) for i in keep]
    ox, oy = ctypes.c_double(), ctypes.c_double()
    mat = pdfium_c.FS_MATRIX()
    ox_a, oy_a, mat_a = (ctypes.addressof(v) for v in (ox, oy, mat))
    fonts = _Fonts()
    clean = fonts.clean
    a, b, c, d, e, f = m
    upright = b == 0.0 and c == 0.0 and a == 1.0 and d == 1.0
    out = []
    append = out.append
    # text object -> (size, font name, baseline and top from the page's top, the first
    # character's left edge)
    runs: dict[int | None, tuple[float, str, float, float, float]] = {}
    last_obj: object = -1
    size = base = top = first_left = 0.0
    name = ""
    for k, i in enumerate(keep):
        text = texts[i]
        obj, left = objs[k], lefts[k]
        if obj == last_obj:  # a later character of a run advances along the line (else:
            along = left != first_left  # vertical writing)
        else:
            got = runs.get(obj)
            if got is None:  # a text object's first character: its run's size, font, baseline
                size = _font_size(tp, i)
                if _char_matrix(tp, i, mat_a):  # the font size is before the text matrix
                    size *= (mat.c * mat.c + mat.d * mat.d) ** 0.5
                _origin(tp, i, ox_a, oy_a)
                base = height - (oy.value + f)
                top = base - size
                name = fonts.name(_obj_font(obj) if obj else None)
                first_left = left
                runs[obj] = (size, name, base, top, left)
                along = True
            else:
                size, name, base, top, first_left = got
                along = left != first_left
            last_obj = obj
        if text == "\x00":
            text = UNMAPPED
        checked = clean.get(name, 0)
        if checked < MAP_CHECKS:
            if text == UNMAPPED or _map_error(tp, i) == 1:
                text = UNMAPPED
                clean[name] = -(1 << 30)  # this font lacks a map: check all its glyphs
            else:
                clean[name] = checked + 1
        if upright and along:
            # horizontal text: advance width left to right, font size above the baseline
            append({"text": text, "x0": left + e, "x1": rights[k] + e, "top": top,
                    "bottom": base, "size": size, "fontname": name})
            continue
        # vertical writing, a rotated page: PDFium's box, transformed
        right, btm, tp_ = rights[k], flat[4 * k + 3], flat[4 * k + 1]
        xs, ys = [], []
        for px, py in ((left, btm), (right, tp_), (left, tp_), (right, btm)):
            xs.append(a * px + c * py + e)
            ys.append(b * px + d * py + f)
        append({"text": text, "x0": min(xs), "x1": max(xs), "top": height - max(ys),
                "bottom": height - min(ys), "size": size, "fontname": name})
    return out


# ------------------------------------------------------------------ shapes

_LINE, _BEZIER, _MOVE = (pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_BEZIERTO,
                         pdfium_c.FPDF_SEGMENT_MOVETO)


_uint, _flt = ctypes.c_uint, ctypes.c_float
_get_matrix = _fast(pdfium_c.FPDFPageObj_GetMatrix, _int, _vp, _vp)
_draw_mode = _fast(pdfium_c.FPDFPath_GetDrawMode, _int, _vp, _vp, _vp)
_count_segments = _fast(pdfium_c.FPDFPath_CountSegments, _int, _vp)
_segment = _fast(pdfium_c.FPDFPath_GetPathSegment, _vp, _vp, _int)
_segment_type = _fast(pdfium_c.FPDFPathSegment_GetType, _int, _vp)
_segment_point = _fast(pdfium_c.FPDFPathSegment_GetPoint, _int, _vp, _vp, _vp)
_segment_close = _fast(pdfium_c.FPDFPathSegment_GetClose, _int, _vp)
_stroke_width = _fast(pdfium_c.FPDFPageObj_GetStrokeWidth, _int, _vp, _vp)
_fill_colour = _fast(pdfium_c.FPDFPageObj_GetFillColor, _int, _vp, _vp, _vp, _vp, _vp)
_stroke_colour = _fast(pdfium_c.FPDFPageObj_GetStrokeColor, _int, _vp, _vp, _vp, _vp, _vp)


class _Scratch:
    """Out-parameters for the page-object calls, allocated once per page."""

    def __init__(self) -> None:
        self.matrix = pdfium_c.FS_MATRIX()
        self.ints = (_int * 2)()
        self.floats = (_flt * 3)()
        self.rgba = (_uint * 4)()
        self.at_matrix = ctypes.addressof(self.matrix)
        self.at_ints = ctypes.addressof(self.ints)
        self.at_floats = ctypes.addressof(self.floats)
        self.at_rgba = ctypes.addressof(self.rgba)

    def obj_matrix(self, obj: int) -> Matrix:
        if not _get_matrix(obj, self.at_matrix):
            return _IDENTITY
        mat = self.matrix
        return (mat.a, mat.b, mat.c, mat.d, mat.e, mat.f)

    def colour(self, getter, obj: int) -> tuple[float, float, float] | None:
        at = self.at_rgba
        if not getter(obj, at, at + 4, at + 8, at + 12):
            return None
        r, g, b, _ = self.rgba
        return (r / 255, g / 255, b / 255)


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


def _path(obj: int, m: Matrix, scratch: _Scratch) -> tuple | None:
    """One drawn path object: (fill, stroke, line width, fill colour, stroke colour, its
    operators with the points in page space); None for a clipping path or an empty one."""
    at_ints, at_floats = scratch.at_ints, scratch.at_floats
    if not _draw_mode(obj, at_ints, at_ints + 4):
        return None
    fillmode, stroke = scratch.ints
    fill, stroke = fillmode != 0, bool(stroke)
    if not fill and not stroke:
        return None  # a clipping path: nothing drawn (pdfminer skips ``n``)
    a, b, c, d, e, f = _mul(scratch.obj_matrix(obj), m)
    floats = scratch.floats
    ops: list[tuple[str, tuple[float, float]]] = []
    bezier = 0
    for k in range(_count_segments(obj)):
        seg = _segment(obj, k)
        kind = _segment_type(seg)
        _segment_point(seg, at_floats, at_floats + 4)
        x, y = floats[0], floats[1]
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
        if _segment_close(seg):
            ops.append(("h", pt))
    if not ops:
        return None
    _stroke_width(obj, at_floats + 8)
    return (fill, stroke, floats[2], scratch.colour(_fill_colour, obj),
            scratch.colour(_stroke_colour, obj), ops)


def _add_path(page: Page, path: tuple) -> None:
    """A path's subpaths onto the page as pdfminer's lines, rectangles and curves."""
    fill, stroke, width, fill_colour, stroke_colour, ops = path
    for shape, pts in subpaths(ops):
        got = classify(shape, pts)
        if got is None:
            continue
        kind, pts = got
        target = page.rects if kind == "rect" else page.lines if kind == "line" else page.curves
        target.append(_shape(kind, pts, page.height, fill, stroke, width, fill_colour,
                             stroke_colour))


_page_object = _fast(pdfium_c.FPDFPage_GetObject, _vp, _vp, _int)
_form_object = _fast(pdfium_c.FPDFFormObj_GetObject, _vp, _vp, ctypes.c_ulong)
_object_type = _fast(pdfium_c.FPDFPageObj_GetType, _int, _vp)
_PATH, _IMAGE, _FORM = (pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_IMAGE,
                        pdfium_c.FPDF_PAGEOBJ_FORM)


_form_count = _fast(pdfium_c.FPDFFormObj_CountObjects, _int, _vp)
_page_count = _fast(pdfium_c.FPDFPage_CountObjects, _int, _vp)


def _objects_python(owner: int, count: int, get, m: Matrix, scratch: _Scratch,
                    paths: list[tuple]) -> int:
    """Paths and images of a page or form XObject (forms walked with their matrix);
    ``get(owner, k)`` is its ``k``-th object's handle; each path read (:func:`_path`)
    goes to ``paths``; returns the number of images."""
    object_type = _object_type
    images = 0
    for k in range(count):
        handle = get(owner, k)
        if not handle:
            continue
        kind = object_type(handle)
        if kind == _PATH:
            path = _path(handle, m, scratch)
            if path is not None:
                paths.append(path)
        elif kind == _IMAGE:
            images += 1
        elif kind == _FORM:
            images += _objects_python(handle, _form_count(handle), _form_object,
                                      _mul(scratch.obj_matrix(handle), m), scratch, paths)
    return images


def shapes_python(raw: int, m: Matrix) -> tuple[int, list[tuple]]:
    """A loaded page's image count and drawn paths (:func:`_path`'s tuples): the
    reference of the compiled walk (``_pdfium_page.c``) and the fallback where it is not
    built."""
    paths: list[tuple] = []
    return _objects_python(raw, _page_count(raw), _page_object, m, _Scratch(), paths), paths


def page_shapes(raw: int, m: Matrix) -> tuple[int, list[tuple]]:
    """A loaded page's image count and drawn paths (:func:`shapes_python`), by the
    compiled walk where it is built."""
    if native is not None:
        return native.shapes(raw, m)
    return shapes_python(raw, m)


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
            images, paths = page_shapes(ctypes.cast(raw, ctypes.c_void_p).value, m)
            page.images += images
            for path in paths:
                _add_path(page, path)
            return page
        finally:
            pdfium_c.FPDF_ClosePage(raw)

    def close(self) -> None:
        self.doc.close()

    def __enter__(self) -> "PdfFile":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
