"""PDF backend: pdfminer for the page content (extract/pdf_parse.py), pdfplumber's table
stages for grid tables, our own stages for the rest.

Per page: characters (symbol-font check boxes mapped to ☑/☐, vector check boxes added as
marks), tables found from ruling lines (a full grid: pdfplumber's line strategy; rules
between rows only: extract/pdf_ruled.py) with each cell's text rebuilt from the characters
inside it, the remaining characters grouped into lines and wrapped lines into paragraphs. Running headers and footers (lines
repeated in the page margins) are set aside as ``running_texts``. Rows are joined across
pages later, by the format-agnostic assembly. Pages without a text layer are reported.
"""
from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extract.glyphs import PUA_END, PUA_START, is_symbol_font, symbol_mark
from extract.pdf_layout import (LayoutSettings, Line, cell_text, group_lines, inside,
                                running_key, running_lines, wraps)
from extract.pdf_parse import PageObjects, PdfFile, grid_tables
from extract.pdf_ruled import RuledSettings, ruled_tables
from extract.record import CHECKED, UNCHECKED, Block, Document, Paragraph, Table, Text, Where

SUFFIXES = (".pdf",)
MAX_PAGES = 150       # far beyond any review report; longer files are not reports
MAX_BYTES = 200 * 2 ** 20


class PdfError(ValueError):
    """A PDF that cannot be read: the message says why."""


@dataclass(frozen=True)
class PdfSettings:
    layout: LayoutSettings = field(default_factory=LayoutSettings)
    # tables ruled with horizontal lines only: the fallback stage (extract.pdf_ruled)
    ruled: RuledSettings = field(default_factory=RuledSettings)
    table: dict = field(default_factory=lambda: {
        "vertical_strategy": "lines", "horizontal_strategy": "lines",
        "snap_tolerance": 3, "join_tolerance": 3, "intersection_tolerance": 3})
    # a drawn square of this size (points) is a check-box candidate
    box_min: float = 5.0
    box_max: float = 16.0
    cid_ratio: float = 0.3  # share of (cid:n) glyphs above which a page is unreadable


def _cause(exc: BaseException) -> BaseException:
    """The pdfminer exception inside a wrapping one (pdfplumber wraps them)."""
    inner = exc.args[0] if exc.args else None
    return inner if isinstance(inner, BaseException) else exc


def _describe(exc: BaseException, limit: int = 120) -> str:
    """``Type: message``, the message cut to ``limit`` characters (pdfminer quotes whole
    dictionaries)."""
    text = str(exc).strip()
    text = text if len(text) <= limit else text[:limit - 1] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _check_file(path: Path) -> None:
    with open(path, "rb") as fh:
        head = fh.read(1024)
    if b"%PDF" not in head:
        raise PdfError("not a PDF (no %PDF header)")
    if path.stat().st_size > MAX_BYTES:
        raise PdfError(f"{path.stat().st_size / 2 ** 20:.0f} MB: larger than any review report")


def _refusal(exc: BaseException) -> PdfError:
    """A clear message for what pdfminer raised on opening the file."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    cause = _cause(exc)
    name = type(cause).__name__
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or (
            "Password" in name or "Encrypt" in name):
        return PdfError("encrypted PDF (password protected): it cannot be read without "
                        f"its password ({name})")
    return PdfError(f"damaged or truncated PDF: {_describe(cause)}")


def _marks_from_chars(chars: list[dict], problems: list[str]) -> list[dict]:
    """Map symbol-font glyphs to ☑/☐; keep and report glyphs the table does not know."""
    symbol: dict[str | None, bool] = {}  # font name -> is a symbol font (asked once)
    out = []
    for c in chars:
        text = c["text"]
        font = c.get("fontname")
        sym = symbol.get(font)
        if sym is None:
            sym = symbol[font] = is_symbol_font(font)
        if text and (sym or PUA_START <= ord(text[0]) <= PUA_END):
            mark = symbol_mark(text, font if sym else None)
            if mark is not None:
                c = {**c, "text": mark}
            else:
                problems.append(f"unknown check-box glyph U+{ord(text[0]):04X} in font {font}")
        out.append(c)
    return out


def _vector_boxes(page: PageObjects, chars: list[dict], settings: PdfSettings) -> list[dict]:
    """Small drawn squares (check boxes drawn as vectors) as ☑/☐ pseudo-characters: ticked
    when a curve or line is drawn inside, or the square is filled dark."""
    boxes = []
    for r in page.rects:
        w, h = r["x1"] - r["x0"], r["bottom"] - r["top"]
        if not (settings.box_min <= w <= settings.box_max and abs(w - h) <= 1.5):
            continue
        bbox = (r["x0"], r["top"], r["x1"], r["bottom"])
        if any(inside(c, bbox, 0) for c in chars):
            continue  # a glyph sits there already
        inner = [o for o in page.curves + page.lines
                 if bbox[0] - 1 <= o["x0"] and o["x1"] <= bbox[2] + 1
                 and bbox[1] - 1 <= o["top"] and o["bottom"] <= bbox[3] + 1]
        fill = r.get("non_stroking_color")
        dark = bool(r.get("fill")) and fill not in (None, (1,), [1], (1, 1, 1), [1, 1, 1], 1)
        boxes.append({"text": CHECKED if inner or dark else UNCHECKED, "x0": r["x0"],
                      "x1": r["x1"], "top": r["top"], "bottom": r["bottom"], "size": h,
                      "fontname": "vector"})
    return boxes


@dataclass
class _PageContent:
    number: int
    height: float
    items: list[tuple[float, Any]]  # (top, Line | Table)
    lines: list[Line]


BBox = tuple[float, float, float, float]


class _CharIndex:
    """The page's characters sorted by vertical middle, for cell look-ups by band."""

    def __init__(self, chars: list[dict]) -> None:
        order = sorted(range(len(chars)), key=lambda i: (chars[i]["top"] + chars[i]["bottom"]) / 2)
        self.chars = chars
        self.order = order
        self.mids = [(chars[i]["top"] + chars[i]["bottom"]) / 2 for i in order]
        self.taken: set[int] = set()

    def take(self, bbox: BBox, slack: float = 0.5) -> list[dict]:
        """The characters not yet taken whose centre lies in ``bbox``; marks them taken."""
        lo = bisect.bisect_left(self.mids, bbox[1] - slack)
        hi = bisect.bisect_right(self.mids, bbox[3] + slack)
        got = []
        for k in range(lo, hi):
            i = self.order[k]
            if i in self.taken:
                continue
            c = self.chars[i]
            x = (c["x0"] + c["x1"]) / 2
            if bbox[0] - slack <= x <= bbox[2] + slack:
                got.append(c)
                self.taken.add(i)
        return got

    def free(self) -> list[dict]:
        return [c for i, c in enumerate(self.chars) if i not in self.taken]


def _table(rows: list[list[BBox | None]], bbox: BBox, index: _CharIndex, number: int,
           layout: LayoutSettings) -> Table:
    out = []
    for row in rows:
        cells = []
        for cell in row:
            if cell is None:
                cells.append(Text("", Where(page=number)))
                continue
            text = cell_text(group_lines(index.take(cell), layout), cell, layout)
            cells.append(Text(text, Where(page=number, bbox=tuple(round(v, 1) for v in cell))))
        out.append(tuple(cells))
    x0, top, x1, bottom = bbox
    return Table(tuple(out), Where(page=number, bbox=(x0, top, x1, bottom)))


def _read_page(page: PageObjects, settings: PdfSettings, problems: list[str],
               state: dict) -> _PageContent | None:
    """One page's tables and lines; None when it has no usable text layer (a scan, or
    glyphs without a Unicode map); a blank page gives empty content. ``state`` carries
    the column edges of the last horizontally ruled table to the next page."""
    number = page.number
    raw = page.chars
    if not raw:
        return None if page.images else _PageContent(number, page.height, [], [])
    cid = sum(1 for c in raw if c["text"].startswith("(cid:"))
    if cid / len(raw) > settings.cid_ratio:
        problems.append(f"page {number}: text without a Unicode map ((cid:n) glyphs)")
        return None
    chars = _marks_from_chars([c for c in raw if c["text"].strip()], problems)
    chars += _vector_boxes(page, chars, settings)
    found = grid_tables(page, settings.table)
    ruled = ruled_tables(page.lines + page.rects, chars, page.width, page.height,
                         [b for b, _ in found], state.get("columns"), settings.ruled)
    if ruled:
        state["columns"] = ruled[-1].columns
    found += [(t.bbox, [list(r) for r in t.rows]) for t in ruled]
    index = _CharIndex(chars)
    items: list[tuple[float, Any]] = []
    for bbox, rows in found:
        items.append((bbox[1], _table(rows, bbox, index, number, settings.layout)))
    lines = group_lines(index.free(), settings.layout)
    items.extend((line.top, line) for line in lines)
    items.sort(key=lambda it: it[0])
    return _PageContent(number, page.height, items, lines)


def read_document(path: str | Path, settings: PdfSettings = PdfSettings()) -> Document:
    """Read a PDF report into blocks (see the module docstring)."""
    path = Path(path)
    _check_file(path)
    problems: list[str] = []
    image_only: list[int] = []
    pages: list[_PageContent] = []
    state: dict = {}
    with open(path, "rb") as fh:
        try:
            pdf = PdfFile(fh)
            declared = pdf.declared_pages()
            tree = pdf.pages()
        except Exception as exc:  # pdfminer raises many kinds for broken files
            raise _refusal(exc) from exc
        if declared is not None and declared > MAX_PAGES:
            raise PdfError(f"{declared} pages: longer than any review report "
                           f"(limit {MAX_PAGES}); not read")
        try:  # walk the page tree before parsing any page: a long file is refused at once
            found = list(itertools.islice(tree, MAX_PAGES + 1))
        except Exception as exc:  # a broken page tree
            raise _refusal(exc) from exc
        if len(found) > MAX_PAGES:
            raise PdfError(f"more than {MAX_PAGES} pages: longer than any review report; "
                           "not read")
        n = len(found)
        for number, page in enumerate(found, start=1):
            try:
                content = _read_page(pdf.read(page, number), settings, problems, state)
            except PdfError:
                raise
            except Exception as exc:  # a broken page: pdfminer raises many kinds
                raise PdfError(f"damaged or truncated PDF: page {number} cannot be read: "
                               f"{_describe(_cause(exc))}") from exc
            if content is None:
                image_only.append(number)
            else:
                pages.append(content)
    if n == 0:
        raise PdfError("the PDF has no pages")
    running = running_lines([(p.height, p.lines) for p in pages], settings.layout)
    blocks, running_texts = _blocks(pages, running, settings.layout)
    return Document(str(path), "pdf", tuple(blocks), pages=n,
                    problems=tuple(dict.fromkeys(problems)), image_only_pages=tuple(image_only),
                    running_texts=tuple(dict.fromkeys(running_texts)))


def _blocks(pages: list[_PageContent], running: set[str],
            layout: LayoutSettings) -> tuple[list[Block], list[str]]:
    """Tables and paragraphs in reading order: running lines set aside, wrapped lines
    joined into paragraphs (also across a page break), against the right edge of the
    widest body line."""
    body = [line for p in pages for line in p.lines if running_key(line.text) not in running]
    right = max((line.x1 for line in body), default=0.0)
    blocks: list[Block] = []
    running_texts: list[str] = []
    open_: tuple[Line, Line, int] | None = None  # (paragraph so far, its last line, page)

    def flush() -> None:
        nonlocal open_
        if open_ is not None:
            para, _, page_no = open_
            blocks.append(Paragraph(para.text, Where(page=page_no, bbox=(
                para.x0, para.top, para.x1, para.bottom))))
            open_ = None

    for p in pages:
        for _, item in p.items:
            if isinstance(item, Table):
                flush()
                blocks.append(item)
            elif running_key(item.text) in running:
                running_texts.append(item.text)
            elif item.text:
                glue = None
                if open_ is not None:
                    glue = wraps(open_[1], item, right, layout, same_page=open_[2] == p.number)
                if glue is None:
                    flush()
                    open_ = (item, item, p.number)
                else:
                    para = open_[0]
                    open_ = (Line(para.text + glue + item.text, para.x0, para.top,
                                  max(para.x1, item.x1), item.bottom if open_[2] == p.number
                                  else para.bottom, para.size, para.lead), item, open_[2])
    flush()
    return blocks, running_texts
