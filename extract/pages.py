"""The page model every paged source shares: a PDF's text layer, an OCR'd scan, an image.

A :class:`Page` is what one page shows, in points from its top left corner: positioned
text pieces (``chars``: a glyph of a text layer or a word of OCR, each a small dict in
pdfplumber's shape ``text, x0, x1, top, bottom, size, fontname``, plus ``conf`` 0–1 where
OCR read it), the rules and rectangles drawn on it (``lines``, ``rects``, ``curves``: the
shapes tables and vector check boxes are made of) and how many images it paints.

Engines fill pages (:mod:`certreport.extract.pdf_pdfium` from a text layer; OCR from a
rendered image); :mod:`certreport.extract.page_blocks` turns pages into the blocks of a
:class:`~certreport.extract.record.Document` (tables, check boxes, running headers) and
knows nothing of where a page came from. :func:`text_layer_problem` measures whether a
page's text layer can be trusted at all, so a caller can send it to OCR instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import itemgetter

_TEXT = itemgetter("text")

TEXT_LAYER = "text"
OCR = "ocr"


@dataclass
class Page:
    """One page's positioned text and drawn shapes (see the module docstring)."""

    number: int
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    rects: list[dict] = field(default_factory=list)
    curves: list[dict] = field(default_factory=list)
    images: int = 0
    source: str = TEXT_LAYER       # text | ocr: where ``chars`` came from
    engine: str | None = None      # e.g. "pdfminer 20250506", "rapidocr 3.4"
    confidence: float | None = None  # mean OCR confidence of the page's text (0–1)


@dataclass(frozen=True)
class PageInfo:
    """What the ``pages`` table records of one page: where its text came from (``text``
    layer or ``ocr``), its quality (``ok``, or why the text layer was not used / why OCR
    could not read it), the mean OCR confidence and the engine with its version."""

    page: int
    source: str
    quality: str
    confidence: float | None = None
    engine: str | None = None

    @classmethod
    def of(cls, page: "Page") -> "PageInfo":
        """A page read as it is (its text layer, or OCR already done): quality ok."""
        return cls(page.number, page.source, "ok", page.confidence, page.engine)


@dataclass(frozen=True)
class QualitySettings:
    """Thresholds of :func:`text_layer_problem`."""

    unmapped_ratio: float = 0.3  # share of (cid:n) / U+FFFD glyphs that makes a layer unreadable
    noise_ratio: float = 0.5     # share of control and private-use characters (not check boxes)


def _unmapped(text: str) -> bool:
    return text.startswith("(cid:") or "\ufffd" in text


# control characters and private-use code points, but the symbol-font block U+F000–U+F0FF
_NOISE = re.compile("[\x00-\x1f\ue000-\uefff\uf100-\uf8ff]")


def text_layer_problem(page: Page, settings: QualitySettings = QualitySettings()) -> str | None:
    """Why the page's text layer cannot be read (None when it can): no text over painted
    images (a scan), glyphs without a Unicode map, or control/private-use noise. Symbol-font
    check boxes (U+F000–U+F0FF) are not noise."""
    joined = "".join(map(_TEXT, page.chars))
    if not joined.strip():
        return "no text layer (image-only page)" if page.images else None
    unmapped = "\ufffd" in joined or "(cid:" in joined
    search = _NOISE.search
    if not unmapped and not search(joined):
        return None  # the usual page: nothing to count
    texts = [t for t in map(_TEXT, page.chars) if t.strip()]
    if unmapped and sum(1 for t in texts if _unmapped(t)) / len(texts) > settings.unmapped_ratio:
        return "text without a Unicode map ((cid:n) glyphs)"
    if sum(1 for t in texts if search(t)) / len(texts) > settings.noise_ratio:
        return "text layer of control or private-use characters"
    return None
