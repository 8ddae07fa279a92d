"""The reference engine of tests/test_pdf_engines.py: a PDF's pages in the shared page
model (:class:`certreport.extract.pages.Page`) straight from pdfminer, as the reader
made them before PDFium replaced it: characters, lines, rectangles, curves (dicts in
pdfplumber's shape: ``x0, x1, top, bottom`` measured from the page's top left) and the
number of images.

Why not ``pdfplumber.Page``: it copies every attribute of every layout object into a dict
(colours, marked-content ids, matrices …), about a third of the time of reading a page;
this reader needs six keys per character. The page content is still interpreted by
pdfminer, so the characters are the ones pdfplumber gives (same text, same boxes).
"""
from __future__ import annotations

from typing import Any, BinaryIO, Iterator

from pdfminer.converter import PDFLayoutAnalyzer
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTImage, LTLine, LTRect
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdffont import PDFUnicodeNotDefined
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.utils import apply_matrix_rect

from certreport.extract.pages import Page

try:
    from pdfminer import __version__ as _PDFMINER_VERSION
except ImportError:  # pragma: no cover - very old pdfminer.six
    _PDFMINER_VERSION = "?"
ENGINE = f"pdfminer {_PDFMINER_VERSION}"

def _font_name(font: Any) -> str:
    name = getattr(font, "fontname", None)
    if not isinstance(name, str) or name == "unknown":
        base = getattr(font, "basefont", None)  # a font without a descriptor
        name = base if isinstance(base, str) else "unknown"
    return name


class _Collector(PDFLayoutAnalyzer):
    """Keeps characters as small dicts (no LTChar objects) and the page's shapes."""

    def __init__(self, rsrcmgr: PDFResourceManager) -> None:
        super().__init__(rsrcmgr, pageno=1, laparams=None)
        self.chars: list[tuple] = []
        self.layout: Any = None
        self._names: dict[int, str] = {}

    def render_char(self, matrix: Any, font: Any, fontsize: float, scaling: float,
                    rise: float, cid: int, ncs: Any, graphicstate: Any) -> float:
        try:
            text = font.to_unichr(cid)
        except PDFUnicodeNotDefined:
            text = f"(cid:{cid})"
        name = self._names.get(id(font))
        if name is None:
            name = self._names[id(font)] = _font_name(font)
        if font.is_vertical():  # rare: let pdfminer work out the box
            item = LTChar(matrix, font, fontsize, scaling, rise, text, font.char_width(cid),
                          font.char_disp(cid), ncs, graphicstate)
            self.chars.append((text, item.x0, item.y0, item.x1, item.y1, item.size, name))
            return item.adv
        adv = font.char_width(cid) * fontsize * scaling
        descent = font.get_descent() * fontsize
        x0, y0, x1, y1 = apply_matrix_rect(matrix, (0, descent + rise, adv,
                                                    descent + rise + fontsize))
        if x1 < x0:
            x0, x1 = x1, x0
        if y1 < y0:
            y0, y1 = y1, y0
        self.chars.append((text, x0, y0, x1, y1, y1 - y0, name))
        return adv

    def receive_layout(self, ltpage: Any) -> None:
        self.layout = ltpage


def _shape(obj: Any, kind: str, height: float) -> dict:
    d = {"object_type": kind, "x0": obj.x0, "x1": obj.x1, "y0": obj.y0, "y1": obj.y1,
         "top": height - obj.y1, "bottom": height - obj.y0, "doctop": height - obj.y1,
         "width": obj.x1 - obj.x0, "height": obj.y1 - obj.y0,
         "fill": obj.fill, "stroke": obj.stroke, "linewidth": obj.linewidth,
         "non_stroking_color": obj.non_stroking_color,
         "stroking_color": obj.stroking_color}
    if kind != "rect":
        d["pts"] = [(x, height - y) for x, y in obj.pts]
    return d


def _walk(container: Any, page: Page) -> None:
    for obj in container:
        if isinstance(obj, LTRect):
            page.rects.append(_shape(obj, "rect", page.height))
        elif isinstance(obj, LTLine):
            page.lines.append(_shape(obj, "line", page.height))
        elif isinstance(obj, LTCurve):
            page.curves.append(_shape(obj, "curve", page.height))
        elif isinstance(obj, LTImage):
            page.images += 1
        elif isinstance(obj, LTContainer):  # figures (form XObjects)
            _walk(obj, page)


class PdfFile:
    """An open PDF: its page count (from the page tree, without parsing any page) and
    its pages one by one (nothing kept between pages)."""

    def __init__(self, fh: BinaryIO, password: str = "") -> None:
        self.doc = PDFDocument(PDFParser(fh), password=password)
        self._rsrc = PDFResourceManager(caching=True)
        self._device = _Collector(self._rsrc)
        self._interp = PDFPageInterpreter(self._rsrc, self._device)

    def declared_pages(self) -> int | None:
        """The page count the page tree's root states (None when it states none)."""
        try:
            pages = resolve1(self.doc.catalog.get("Pages"))
            count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
        except Exception:  # noqa: BLE001 - a broken tree: counted by walking it
            return None
        return count if isinstance(count, int) else None

    def pages(self) -> Iterator[PDFPage]:
        return PDFPage.create_pages(self.doc)

    def read(self, page: PDFPage, number: int) -> Page:
        """Interpret one page's content into its objects."""
        dev = self._device
        dev.chars = []
        self._interp.process_page(page)
        layout, dev.layout = dev.layout, None
        width, height = float(layout.width), float(layout.height)
        out = Page(number, width, height, engine=ENGINE)
        out.chars = [{"text": t, "x0": x0, "x1": x1, "top": height - y1, "bottom": height - y0,
                      "size": size, "fontname": name}
                     for t, x0, y0, x1, y1, size, name in dev.chars]
        dev.chars = []
        _walk(layout, out)
        return out
