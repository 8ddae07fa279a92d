"""Pages (the shared page model, :mod:`certreport.extract.pages`) into the blocks of a
:class:`~certreport.extract.record.Document`, whatever made the pages.

Per page: symbol-font check boxes mapped to ☑/☐ and vector check boxes added as marks,
tables found from ruling lines (a full grid: :mod:`certreport.extract.page_grid` on the
page's shapes; rules between rows only: :mod:`certreport.extract.page_ruled`) with each cell's
text rebuilt from the text pieces inside it, the remaining pieces grouped into lines
(:mod:`certreport.extract.page_lines`). Across pages: running headers and footers (lines
repeated in the page margins) set aside as ``running_texts``, wrapped lines joined into
paragraphs. Rows are joined across pages later, by the format-agnostic assembly.
"""
from __future__ import annotations

import bisect
import re
from itertools import repeat
from operator import itemgetter
from dataclasses import dataclass, field
from typing import Any

from certreport.extract.glyphs import PUA_END, PUA_START, is_symbol_font, symbol_mark
from certreport.extract import page_lines
from certreport.extract.page_grid import GridSettings
from certreport.extract.page_grid import grid_tables as find_grid_tables
from certreport.extract.page_lines import (LayoutSettings, Line, cell_text, group_lines, inside,
                                           running_lines, wraps)
from certreport.extract.page_ruled import RuledSettings, ruled_tables
from certreport.extract.pages import OCR, Page, PageInfo
from certreport.schemas.folds import running_key
from certreport.extract.record import (CHECKED, UNCHECKED, Block, Document, Paragraph, Table,
                                       Text, Where)

BBox = tuple[float, float, float, float]
_TEXT = itemgetter("text")


@dataclass(frozen=True)
class PageSettings:
    layout: LayoutSettings = field(default_factory=LayoutSettings)
    # tables ruled with horizontal lines only: the fallback stage (page_ruled)
    ruled: RuledSettings = field(default_factory=RuledSettings)
    # tables drawn with a full grid of lines (page_grid)
    table: GridSettings = field(default_factory=GridSettings)
    # a drawn square of this size (points) is a check-box candidate
    box_min: float = 5.0
    box_max: float = 16.0
    # a page with less text than this share of both its neighbours (each with at least
    # thin_neighbour pieces) has lost part of it (a content stream that no longer decodes)
    thin_ratio: float = 0.02
    thin_neighbour: int = 200


def document_from_pages(source_path: str, source_format: str, pages: list[Page],
                        page_count: int, problems: list[str], unreadable: list[int],
                        settings: PageSettings = PageSettings(),
                        page_info: tuple[PageInfo, ...] = ()) -> Document:
    """The Document of a paged file: ``pages`` are its readable pages in order,
    ``unreadable`` the numbers of the pages nothing could read, ``page_info`` what each
    page's text came from (text layer or OCR)."""
    state: dict = {}
    inked = [_inked(p.chars) for p in pages]  # each page's characters that are not blank
    problems = list(problems) + thin_pages(pages, [len(chars) for chars, _ in inked], settings)
    contents = [page_content(p, settings, problems, state, ink) for p, ink in zip(pages, inked)]
    running = running_lines([(c.height, c.lines) for c in contents], settings.layout)
    blocks, running_texts = page_blocks(contents, running, settings.layout)
    return Document(source_path, source_format, tuple(blocks), pages=page_count,
                    problems=tuple(dict.fromkeys(problems)),
                    image_only_pages=tuple(unreadable),
                    running_texts=tuple(dict.fromkeys(running_texts)),
                    page_info=tuple(sorted(page_info, key=lambda p: p.page)))


def thin_pages(pages: list[Page], amounts: list[int],
               settings: PageSettings = PageSettings()) -> list[str]:
    """A problem for each page that yields far less text than the pages on both sides of
    it, or nothing at all (no text, no image) beside a full page (see
    :class:`PageSettings`): the sign of a page whose content was lost. ``amounts``: each
    page's count of characters that are not blank (:func:`_inked`)."""
    amount = {p.number: n for p, n in zip(pages, amounts)}
    blank = {p.number for p in pages if not amount[p.number] and not p.images}
    out = []
    for number, n in amount.items():
        before, after = amount.get(number - 1), amount.get(number + 1)
        sides = [v for v in (before, after) if v is not None]
        if not sides:
            continue
        least = min(sides)
        thin = len(sides) == 2 and least >= settings.thin_neighbour and \
            n < settings.thin_ratio * least
        empty = number in blank and max(sides) >= settings.thin_neighbour
        if thin or empty:
            around = " and ".join(str(v) for v in sides)
            out.append(f"page {number}: {n} text piece(s) against {around} on the page(s) "
                       "around it: its content may be lost")
    return out


def grid_tables(page: Page, settings: GridSettings = GridSettings()
                ) -> list[tuple[BBox, list[list[BBox | None]]]]:
    """Tables drawn with a full grid of lines on the page (:mod:`certreport.extract.page_grid`):
    each table's box and its rows of cell boxes (None where a merged cell covers the
    position)."""
    return find_grid_tables(page.rects + page.curves + page.lines, settings)


_PUA = re.compile(f"[{chr(PUA_START)}-{chr(PUA_END)}]")
_NAMELESS = ("", "unknown")  # a subset prefix alone (QECAAA+), or the engine's placeholder


def _nameless_symbol_fonts(chars: list[dict], fonts: set) -> set[str]:
    """Subset fonts that lost their name (``QECAAA+``: wkhtmltopdf's embedded Wingdings;
    PDFium calls it ``unknown``) and draw nothing but bytes the default symbol font table
    knows as check boxes (þ, ¨): read as that symbol font. ``fonts``: the characters'
    font names."""
    nameless = {f for f in {f or "" for f in fonts}
                if f.split("+")[-1].strip().lower() in _NAMELESS}
    if not nameless:
        return set()
    texts: dict[str, set[str]] = {f: set() for f in nameless}
    for c in chars:
        font = c.get("fontname") or ""
        if font in texts:
            texts[font].add(c["text"])
    return {font for font, seen in texts.items()
            if seen and all(len(t) == 1 and 0xA0 < ord(t) < 0x100 and symbol_mark(t, None)
                            for t in seen)}


def _marks_from_chars(chars: list[dict], problems: list[str],
                      seen: tuple[set, bool] | None = None) -> list[dict]:
    """Map symbol-font glyphs to ☑/☐; keep and report glyphs the table does not know.
    ``seen``: the characters' font names and whether a text holds a private-use glyph,
    when the caller has them (:func:`_inked`)."""
    fonts = seen[0] if seen is not None else set(map(dict.get, chars, repeat("fontname")))
    nameless = _nameless_symbol_fonts(chars, fonts)
    symbol: dict[str | None, bool] = {f: True for f in nameless}  # font -> symbol font?
    if not nameless and not any(is_symbol_font(f) for f in fonts) \
            and not (seen[1] if seen is not None else _PUA.search("".join(map(_TEXT, chars)))):
        return chars  # no symbol font, no private-use glyph: nothing to map
    out = []
    for c in chars:
        text = c["text"]
        font = c.get("fontname")
        sym = symbol.get(font)
        if sym is None:
            sym = symbol[font] = is_symbol_font(font)
        if text and (sym or PUA_START <= ord(text[0]) <= PUA_END):
            mark = symbol_mark(text, font if sym and is_symbol_font(font) else None)
            if mark is not None:
                c = {**c, "text": mark}
            else:
                problems.append(f"unknown check-box glyph U+{ord(text[0]):04X} in font {font}")
        out.append(c)
    return out


_WHITE = (None, (1,), [1], (1, 1, 1), [1, 1, 1], 1, (0, 0, 0, 0), [0, 0, 0, 0])


def _box_shapes(page: Page, settings: PageSettings) -> list[list[dict]]:
    """Small squares drawn on the page (a rectangle, or a closed curve such as a browser's
    rounded box), those drawn over one another (a fill and its outline) as one group."""
    groups: list[list[dict]] = []
    for o in page.rects + [c for c in page.curves if len(c.get("pts") or ()) >= 8]:
        w, h = o["x1"] - o["x0"], o["bottom"] - o["top"]
        if not (settings.box_min <= w <= settings.box_max and abs(w - h) <= 1.5):
            continue
        cx, cy = (o["x0"] + o["x1"]) / 2, (o["top"] + o["bottom"]) / 2
        for g in groups:
            f = g[0]
            if (abs((f["x0"] + f["x1"]) / 2 - cx) <= 1.5 and abs((f["top"] + f["bottom"]) / 2 - cy)
                    <= 1.5 and abs((f["x1"] - f["x0"]) - w) <= 2):
                g.append(o)
                break
        else:
            groups.append([o])
    return groups


def _vector_boxes(page: Page, chars: list[dict], settings: PageSettings) -> list[dict]:
    """Small drawn squares (check boxes drawn as vectors) as ☑/☐ pseudo-characters: ticked
    when a smaller curve or line is drawn inside (a tick, a cross), or a shape of the box is
    filled with a colour (not white)."""
    boxes = []
    for group in _box_shapes(page, settings):
        bbox = (min(o["x0"] for o in group), min(o["top"] for o in group),
                max(o["x1"] for o in group), max(o["bottom"] for o in group))
        if any(inside(c, bbox, 0) for c in chars):
            continue  # a glyph sits there already
        size = bbox[2] - bbox[0]
        members = {id(o) for o in group}
        inner = [o for o in page.curves + page.lines
                 if id(o) not in members and o["x1"] - o["x0"] < 0.9 * size
                 and bbox[0] - 1 <= o["x0"] and o["x1"] <= bbox[2] + 1
                 and bbox[1] - 1 <= o["top"] and o["bottom"] <= bbox[3] + 1]
        dark = any(o.get("fill") and o.get("non_stroking_color") not in _WHITE for o in group)
        boxes.append({"text": CHECKED if inner or dark else UNCHECKED, "x0": bbox[0],
                      "x1": bbox[2], "top": bbox[1], "bottom": bbox[3], "size": bbox[3] - bbox[1],
                      "fontname": "vector"})
    return boxes


@dataclass
class _PageContent:
    number: int
    height: float
    items: list[tuple[float, Any]]  # (top, Line | Table)
    lines: list[Line]



class _CharIndex:
    """The page's characters sorted by vertical middle, for cell look-ups by band."""

    def __init__(self, chars: list[dict]) -> None:
        mids = [(c["top"] + c["bottom"]) / 2 for c in chars]
        order = sorted(range(len(chars)), key=mids.__getitem__)
        self.chars = chars
        self.order = order
        self.mids = [mids[i] for i in order]
        self.xs = [(c["x0"] + c["x1"]) / 2 for c in chars]
        self.taken: set[int] = set()

    def take_rows(self, rows: list[list[BBox | None]], slack: float = 0.5
                  ) -> list[list[list[dict] | None]]:
        """Each cell's characters not yet taken whose centre lies in its box (``slack``
        around it), marked taken: cells row by row and left to right, so a character on a
        shared border goes to the first; each row's characters sorted by x once and each
        cell's found by bisection, every cell's list in the order of middles."""
        mids, order, xs, taken, chars = self.mids, self.order, self.xs, self.taken, self.chars
        out: list[list[list[dict] | None]] = []
        for row in rows:
            boxes = [c for c in row if c is not None]
            if not boxes:
                out.append([None] * len(row))
                continue
            lo = bisect.bisect_left(mids, min(b[1] for b in boxes) - slack)
            hi = bisect.bisect_right(mids, max(b[3] for b in boxes) + slack)
            band = sorted((xs[order[k]], k) for k in range(lo, hi) if order[k] not in taken)
            band_xs = [x for x, _ in band]
            got_row: list[list[dict] | None] = []
            for cell in row:
                if cell is None:
                    got_row.append(None)
                    continue
                top, bottom = cell[1] - slack, cell[3] + slack
                a = bisect.bisect_left(band_xs, cell[0] - slack)
                b = bisect.bisect_right(band_xs, cell[2] + slack)
                ks = sorted(k for _, k in band[a:b]
                            if top <= mids[k] <= bottom and order[k] not in taken)
                for k in ks:
                    taken.add(order[k])
                got_row.append([chars[order[k]] for k in ks])
            out.append(got_row)
        return out

    def free(self) -> list[dict]:
        return [c for i, c in enumerate(self.chars) if i not in self.taken]


class _NativeCharIndex:
    """:class:`_CharIndex` in C (``extract/_layout.c``), with the reference taking the
    rows the extension does not take (cell boxes of other number types)."""

    def __init__(self, native: Any, chars: list[dict]) -> None:
        self._native = native
        self.chars = chars

    @property
    def taken(self) -> set[int]:
        return self._native.taken()

    def take_rows(self, rows: list[list[BBox | None]], slack: float = 0.5
                  ) -> list[list[list[dict] | None]]:
        got = self._native.take_rows(rows, slack)
        if got is NotImplemented:
            reference = _CharIndex(self.chars)
            reference.taken = self._native.taken()
            got = reference.take_rows(rows, slack)
            self._native.set_taken(reference.taken)
        return got

    def free(self) -> list[dict]:
        return self._native.free()


def char_index(chars: list[dict]) -> _CharIndex | _NativeCharIndex:
    """The index of a page's characters: in C where the extension is built and takes
    them, else :class:`_CharIndex`."""
    native = page_lines._native
    if native is not None:
        got = native.char_index(chars)
        if got is not None:
            return _NativeCharIndex(got, chars)
    return _CharIndex(chars)


def _cell_texts(row_chars: list[list[list[dict] | None]], layout: LayoutSettings) -> list:
    """For each cell's characters (None: a merged position) what the extension makes of
    them (see ``table_texts`` in ``extract/_layout.c``): None, the text, the lines for
    :func:`cell_text`, or NotImplemented where the caller reads the cell itself."""
    native = page_lines._native
    if native is not None:
        got = native.table_texts(row_chars, layout.line_tolerance, layout.space_ratio)
        if got is not NotImplemented:
            return got
    return [[NotImplemented] * len(row) for row in row_chars]


def _inked(chars: list[dict]) -> tuple[list[dict], tuple[set, bool] | None]:
    """The characters whose text is not blank; from the extension also their font names
    and whether a text holds a private-use glyph (for :func:`_marks_from_chars`; None
    where the extension is not built or does not take the characters)."""
    native = page_lines._native
    if native is not None:
        got = native.inked(chars, PUA_START, PUA_END)
        if got is not NotImplemented:
            return got[0], got[1:]
    return [c for c in chars if c["text"].strip()], None


def _table(rows: list[list[BBox | None]], bbox: BBox, index: _CharIndex | _NativeCharIndex,
           number: int,
           layout: LayoutSettings, scored: bool = False) -> Table:
    """A table of cell texts from the characters inside each cell box (taken from
    ``index`` so no character lands in two cells); ``scored``: the characters carry an
    OCR confidence (``conf``), the cell keeps the lowest."""
    out = []
    empty = Text("", Where(page=number))
    taken = index.take_rows(rows)
    texts = _cell_texts(taken, layout)
    # each edge rounded once (the cells of a table share their edges); not 0.0, which is
    # one key with -0.0 but rounds apart from it
    rounded = dict.fromkeys(v for row in rows for cell in row if cell is not None
                            for v in cell if type(v) is float and v)
    for v in rounded:
        rounded[v] = round(v, 1)
    for row, row_chars, row_texts in zip(rows, taken, texts):
        cells = []
        for cell, got, text in zip(row, row_chars, row_texts):
            if cell is None or got is None:
                cells.append(empty)
                continue
            if text is NotImplemented:
                text = cell_text(group_lines(got, layout), cell, layout) if got else ""
            elif type(text) is list:  # lines of two texts or more: join wrapped lines
                text = cell_text(text, cell, layout)
            conf = None
            if scored:
                confs = [c["conf"] for c in got if c.get("conf") is not None]
                conf = min(confs) if confs else None
            x0, top, x1, bottom = cell
            if type(x0) is type(top) is type(x1) is type(bottom) is float \
                    and x0 and top and x1 and bottom:
                box = (rounded[x0], rounded[top], rounded[x1], rounded[bottom])
            else:
                box = (round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1))
            cells.append(Text(text, Where(page=number, bbox=box, conf=conf)))
        out.append(tuple(cells))
    x0, top, x1, bottom = bbox
    return Table(tuple(out), Where(page=number, bbox=(x0, top, x1, bottom)))


def page_content(page: Page, settings: PageSettings, problems: list[str],
                 state: dict, inked: tuple | None = None) -> _PageContent:
    """One page's tables and lines (the caller has judged its text readable: see
    :func:`certreport.extract.pages.text_layer_problem`); a blank page gives empty
    content. ``state`` carries the column edges of the last horizontally ruled table to
    the next page; ``inked``: what :func:`_inked` gives for the page, when the caller has
    it."""
    number = page.number
    raw = page.chars
    if not raw:
        return _PageContent(number, page.height, [], [])
    chars, seen = inked if inked is not None else _inked(raw)
    chars = _marks_from_chars(chars, problems, seen)
    chars += _vector_boxes(page, chars, settings)
    found = grid_tables(page, settings.table)
    ruled = ruled_tables(page.lines + page.rects, chars, page.width, page.height,
                         [b for b, _ in found], state.get("columns"), settings.ruled)
    if ruled:
        state["columns"] = ruled[-1].columns
    found += [(t.bbox, [list(r) for r in t.rows]) for t in ruled]
    index = char_index(chars)
    items: list[tuple[float, Any]] = []
    scored = page.source == OCR  # OCR'd words carry their confidence
    for bbox, rows in found:
        items.append((bbox[1], _table(rows, bbox, index, number, settings.layout, scored)))
    lines = group_lines(index.free(), settings.layout)
    items.extend((line.top, line) for line in lines)
    items.sort(key=lambda it: it[0])
    return _PageContent(number, page.height, items, lines)


def page_blocks(pages: list[_PageContent], running: set[str],
                layout: LayoutSettings) -> tuple[list[Block], list[str]]:
    """Tables and paragraphs in reading order: running lines set aside, wrapped lines
    joined into paragraphs (also across a page break), against the right edge of the
    widest body line."""
    is_running: dict[str, bool] = {}  # line text -> a running line's (each text folded once)

    def runs(text: str) -> bool:
        got = is_running.get(text)
        if got is None:
            got = is_running[text] = running_key(text) in running
        return got

    body = [line for p in pages for line in p.lines if not runs(line.text)]
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
            elif runs(item.text):
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
