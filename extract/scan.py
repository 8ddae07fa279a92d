"""The OCR page stage: page images (rendered PDF pages whose text layer is unreadable, or
image files) into the shared page model (:class:`~certreport.extract.pages.Page`, source
``ocr``), so tables, check boxes and running headers are laid out by
:mod:`certreport.extract.page_blocks` exactly as for a text layer.

Per page: the image turned upright (:func:`~certreport.extract.scan_image.deskew`), read
by the OCR engine (:mod:`certreport.extract.ocr_engines`: one text piece per recognised
word with its confidence), table rules measured from the image
(:func:`~certreport.extract.scan_image.ruling_lines`) and check boxes told by their ink
(:func:`~certreport.extract.scan_image.square_boxes`: ☑ ticked or filled, ☐ empty, ⍰ when
the ink does not tell, which the check-box reader reports instead of guessing). A page
OCR cannot read (blank, a photograph, too coarse, an engine crash) is returned as
unreadable with the reason, never losing the other pages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from certreport.extract.ocr_engines import OcrUnavailable, Word, read_cell, read_words
from certreport.extract.pages import OCR, Page, PageInfo
from certreport.extract.record import CHECKED, UNCHECKED, UNSURE
from certreport.extract.scan_image import deskew, ruling_lines, square_boxes
from certreport.extract.scan_settings import ScanSettings
from certreport.schemas.vocabulary import vocabulary

OCR_FONT = "ocr"


@dataclass(frozen=True)
class ScanResult:
    """One page image read: the page (None when unreadable), what the pages table
    records about it, and why it could not be read."""

    page: Page | None
    info: PageInfo
    problem: str | None = None


def _options() -> tuple[str, ...]:
    return tuple(sorted({o for opts in vocabulary().checkbox_groups.values() for o in opts},
                        key=len, reverse=True))


def _beside_option(box: tuple[float, float, float, float], words: list[Word],
                   options: tuple[str, ...]) -> bool:
    """Whether an option label starts just right of the box or ends just left of it (on
    the box's line): a square elsewhere is a character such as 口, not a check box."""
    x0, top, x1, bottom = box
    side = x1 - x0
    row = sorted((w for w in words if min(w.bottom, bottom) - max(w.top, top) > 0.3 * side
                  and not (w.x1 > x0 and w.x0 < x1)), key=lambda w: w.x0)
    after = [w for w in row if x1 - side * 0.3 <= w.x0]
    before = [w for w in row if w.x1 <= x0 + side * 0.3]
    right = "".join(w.text for w in after)
    left = "".join(w.text for w in before)
    ok_r = bool(after) and after[0].x0 - x1 <= side * 1.5
    ok_l = bool(before) and x0 - before[-1].x1 <= side * 1.5
    # an option label may wrap at the line's end (or start after a wrap)
    return (ok_r and any(right.startswith(o) or (len(right) >= 4 and o.startswith(right))
                         for o in options)) or (
        ok_l and any(left.endswith(o) or (len(left) >= 4 and o.endswith(left))
                     for o in options))


_BOX_LIKE = set("口□☐■☑☒▢◻√×")


def _read_as_character(box: tuple[float, float, float, float], words: list[Word]) -> bool:
    """Whether the engine confidently read the square as a character (格, 回 …): such a
    square is text, not a check box."""
    x0, top, x1, bottom = box
    for w in words:
        cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
        if x0 <= cx <= x1 and top <= cy <= bottom and len(w.text) == 1 and \
                w.text not in _BOX_LIKE and w.conf >= 0.8 and "\u3400" <= w.text <= "\u9fff":
            return True
    return False


def _marks(gray: np.ndarray, dpi: float, words: list[Word],
           settings: ScanSettings) -> tuple[list[Word], list[Word]]:
    """Check boxes beside option labels as mark words, and the words that remain (the
    engine's reading of a box, 口 □ ☑ …, replaced by the mark)."""
    options = _options()
    marks: list[Word] = []
    covered: set[int] = set()
    for b in square_boxes(gray, dpi, settings.image):
        bbox = (float(b.x0), float(b.top), float(b.x1), float(b.bottom))
        if _read_as_character(bbox, words) or not _beside_option(bbox, words, options):
            continue
        state = b.state(settings.image)
        text = UNSURE if state is None else CHECKED if state else UNCHECKED
        marks.append(Word(text, *bbox, 1.0 if state is not None else 0.0))
        pad = (b.x1 - b.x0) * 0.25
        for i, w in enumerate(words):
            cx, cy = (w.x0 + w.x1) / 2, (w.top + w.bottom) / 2
            if b.x0 - pad <= cx <= b.x1 + pad and b.top - pad <= cy <= b.bottom + pad:
                covered.add(i)
    return marks, [w for i, w in enumerate(words) if i not in covered]


_FULL_PUNCT = re.compile(r"[\u3000-\u303f\uff00-\uffef()]")
_CJK = r"[\u3400-\u9fff]"
_OPEN = re.compile(r"\((?=" + _CJK + ")")
_CLOSE = re.compile(r"(?<=" + _CJK + r")\)")


def ocr_text(text: str) -> str:
    """Brackets beside CJK characters as the full-width ones Chinese text sets there
    (the engine cannot see a bracket's width: ``(十星级)`` -> ``（十星级）``)."""
    return _CLOSE.sub("）", _OPEN.sub("（", text))


def _pieces(words: list[Word], walls: list[tuple[float, float, float]],
            size_ratio: float) -> list[list[Word]]:
    """Words in runs the engine wrote without a space between them, on one line, not
    across a vertical table rule (``walls``: x, top, bottom in pixels): each run becomes
    one text piece, so inner gaps (full-width punctuation, tight CJK) never turn into
    spaces and table cells still get only their own words."""
    by_line: dict[int, list[Word]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    out: list[list[Word]] = []
    for line in by_line.values():
        line.sort(key=lambda w: w.x0)
        run: list[Word] = []
        for w in line:
            if run:
                prev = run[-1]
                mid = (w.top + w.bottom) / 2
                wall = any(prev.x1 - 2 <= x <= w.x0 + 2 and top <= mid <= bottom
                           for x, top, bottom in walls)
                em = (w.bottom - w.top) / size_ratio
                wide = _FULL_PUNCT.search(prev.text[-1:] + w.text[:1]) is not None
                if w.space or wall or w.x0 - prev.x1 > (2.0 if wide else 1.1) * em:
                    out.append(run)
                    run = []
            run.append(w)
        if run:
            out.append(run)
    return out


def read_page_image(gray: np.ndarray, number: int, dpi: float,
                    settings: ScanSettings = ScanSettings()) -> ScanResult:
    """OCR one page image (2-D uint8 gray) into a Page in points (see the module
    docstring). :class:`OcrUnavailable` propagates: without an engine no page is read."""
    if dpi < settings.min_dpi:
        return _unreadable(number, f"resolution {dpi:.0f} dpi is too low to read "
                                   f"(at least {settings.min_dpi:.0f})")
    gray, angle = deskew(gray, settings.image)
    try:
        words, engine = read_words(gray, settings.ocr)
    except OcrUnavailable:
        raise
    except Exception as exc:  # noqa: BLE001 - an engine crash loses this page only
        return _unreadable(number, f"OCR failed: {type(exc).__name__}: {exc}"[:160])
    text_words = [w for w in words if w.text.strip()]
    conf = round(float(np.mean([w.conf for w in text_words])), 3) if text_words else None
    if len(text_words) < settings.min_words:
        return _unreadable(number, "OCR found no text (blank page or not a document)", engine)
    if conf is not None and conf < settings.min_confidence:
        return _unreadable(number, f"OCR confidence {conf:.2f} too low: not a readable text "
                                   "page", engine, conf)
    marks, text_words = _marks(gray, dpi, text_words, settings)
    scale = 72.0 / dpi
    height, width = gray.shape[0] * scale, gray.shape[1] * scale
    page = Page(number, width, height, source=OCR, engine=engine, confidence=conf)
    page.lines = ruling_lines(gray, dpi, settings.image)
    walls = [(ln["x0"] / scale, ln["top"] / scale, ln["bottom"] / scale)
             for ln in page.lines if ln["top"] != ln["bottom"]]
    for piece in _pieces(text_words, walls, settings.size_ratio) + [[m] for m in marks]:
        x0, top = min(w.x0 for w in piece), min(w.top for w in piece)
        x1, bottom = max(w.x1 for w in piece), max(w.bottom for w in piece)
        h = (bottom - top) * scale
        page.chars.append({"text": ocr_text("".join(w.text for w in piece)), "x0": x0 * scale,
                           "x1": x1 * scale, "top": top * scale, "bottom": bottom * scale,
                           "size": h if piece[0] in marks else h / settings.size_ratio,
                           "fontname": OCR_FONT, "conf": min(w.conf for w in piece)})
    page.chars += _empty_cells(gray, dpi, page, settings)
    quality = f"ocr, deskewed {angle:+.2f}°" if angle else "ocr"
    return ScanResult(page, PageInfo(number, OCR, quality, conf, engine))


def _empty_cells(gray: np.ndarray, dpi: float, page: Page, settings: ScanSettings) -> list[dict]:
    """Table cells the page pass left empty but that hold ink, recognised one by one: the
    detector misses a lone narrow character (a ``1`` in a weight column) far more often
    than the recogniser misreads it."""
    from certreport.extract.page_blocks import PageSettings, grid_tables

    scale = 72.0 / dpi
    inset = max(3, int(round(settings.cell_inset * dpi)))
    mids = [((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in page.chars]
    out = []
    for _, rows in grid_tables(page, PageSettings().table):
        for cell in (c for row in rows for c in row if c is not None):
            x0, top, x1, bottom = cell
            if any(x0 <= x <= x1 and top <= y <= bottom for x, y in mids):
                continue
            a, b = int(top / scale) + inset, int(bottom / scale) - inset
            c, d = int(x0 / scale) + inset, int(x1 / scale) - inset
            if b - a < 4 or d - c < 4:
                continue
            mask = gray[a:b, c:d] < settings.image.ink
            if mask.sum() < settings.cell_min_ink:
                continue
            ys, xs = np.nonzero(mask)
            m = inset
            crop = gray[max(0, a + ys.min() - m):a + ys.max() + m + 1,
                        max(0, c + xs.min() - m):c + xs.max() + m + 1]
            got = read_cell(np.ascontiguousarray(crop), settings.ocr)
            if got is None or got[1] < settings.ocr.text_score:
                continue
            text, conf = got
            h = (ys.max() - ys.min() + 1) * scale
            out.append({"text": ocr_text(text), "x0": (c + xs.min()) * scale,
                        "x1": (c + xs.max() + 1) * scale, "top": (a + ys.min()) * scale,
                        "bottom": (a + ys.max() + 1) * scale, "size": max(h, 6.0),
                        "fontname": OCR_FONT, "conf": conf})
    return out


def _unreadable(number: int, why: str, engine: str | None = None,
                conf: float | None = None) -> ScanResult:
    return ScanResult(None, PageInfo(number, OCR, why, conf, engine), f"page {number}: {why}")


def to_gray(img: "object") -> np.ndarray:
    """A PIL image as a 2-D uint8 gray array (transparency on white)."""
    from PIL import Image

    assert isinstance(img, Image.Image)
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        white = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, img)
    return np.asarray(img.convert("L"))


def render_pdf_pages(path: str | Path, numbers: Iterable[int],
                     dpi: float) -> Iterator[tuple[int, np.ndarray | None, str | None]]:
    """PDF pages (1-based numbers) rendered by PDFium to gray arrays at ``dpi``; a page
    PDFium cannot render comes back as (number, None, why)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        for number in numbers:
            try:
                page = pdf[number - 1]
                bitmap = page.render(scale=dpi / 72.0, grayscale=True)
                arr = np.array(bitmap.to_numpy())
                if arr.ndim == 3:
                    arr = arr[:, :, 0]
                yield number, arr.astype(np.uint8), None
            except Exception as exc:  # noqa: BLE001 - one page lost, not the file
                yield number, None, f"cannot render page {number}: {type(exc).__name__}: {exc}"
    finally:
        pdf.close()


def ocr_pdf_pages(path: str | Path, numbers: list[int], why: dict[int, str],
                  settings: ScanSettings = ScanSettings()) -> list[ScanResult]:
    """OCR the given pages of a PDF (their text layer judged unreadable: ``why``)."""
    out = []
    dpi = settings.ocr.dpi
    for number, gray, problem in render_pdf_pages(path, numbers, dpi):
        if gray is None:
            out.append(_unreadable(number, problem or "cannot render"))
            continue
        result = read_page_image(gray, number, dpi, settings)
        if result.page is not None and why.get(number):
            result = ScanResult(result.page, PageInfo(
                number, OCR, f"{why[number]}; {result.info.quality}", result.info.confidence,
                result.info.engine))
        out.append(result)
    return out


def add_ocr_pages(path: str | Path, pages: list[Page], unreadable: dict[int, str],
                  problems: list[str], settings: ScanSettings = ScanSettings()
                  ) -> tuple[list[Page], list[int], list[PageInfo]]:
    """A PDF's readable text-layer ``pages`` plus its ``unreadable`` pages (number ->
    why the text layer failed) read by OCR: all pages in order, the numbers still
    unreadable, and every page's :class:`PageInfo`. Reasons go to ``problems``; without
    an OCR engine the pages stay unreadable with a message saying how to enable OCR."""
    infos = [PageInfo.of(p) for p in pages]
    if not unreadable:
        return pages, [], infos
    numbers = sorted(unreadable)
    try:
        results = ocr_pdf_pages(path, numbers, unreadable, settings)
    except OcrUnavailable as exc:
        from certreport.normalise.status import page_ranges

        problems.append(f"pages {page_ranges(tuple(numbers))} need OCR "
                        f"({unreadable[numbers[0]]}), but OCR is not available: {exc}")
        infos += [PageInfo(n, OCR, f"{unreadable[n]}; OCR not available") for n in numbers]
        return pages, numbers, infos
    still = []
    for r in results:
        infos.append(r.info)
        if r.page is None:
            still.append(r.info.page)
            problems.append(f"{r.problem} ({unreadable.get(r.info.page, 'no text layer')})")
        else:
            pages.append(r.page)
    pages.sort(key=lambda p: p.number)
    return pages, still, infos
