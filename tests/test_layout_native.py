"""The page layout's C extension (``extract/_layout.c``) returns exactly what the Python
reference functions return (equal values of the same types, the same character dicts),
on every page of the committed PDFs and on generated characters (ties in x and in middles,
overlapping lines, blank and multi-character texts, sizes 0/None/missing, OCR confidences,
merged and empty cells); the Document read with the extension is the one read without
it; and where a C compiler is present the extension must be built (so that an install
cannot silently lose it)."""
from __future__ import annotations

import random
from fractions import Fraction
import shlex
import shutil
import sysconfig
from pathlib import Path

import pytest

from certreport.extract import page_blocks, page_lines
from certreport.extract.page_blocks import _CharIndex
from certreport.extract.page_lines import (LayoutSettings, Line, cluster_rows_reference,
                                           group_lines_reference)

ROOT = Path(__file__).resolve().parent.parent
PDFS = sorted((ROOT / "data" / "samples").rglob("*.pdf"))
NATIVE = page_lines._native


def _compiler() -> str | None:
    cc = sysconfig.get_config_var("CC")
    return shutil.which(shlex.split(cc)[0]) if cc else None


def test_the_extension_is_built_where_a_compiler_is():
    if NATIVE is None and _compiler() is not None:
        pytest.fail("a C compiler is installed but certreport.extract._layout is not built: "
                    "reinstall (pip install -e .) and read the build output")
    if NATIVE is None:
        pytest.skip("no C compiler: the Python path is the one in use")


needs_native = pytest.mark.skipif(NATIVE is None and _compiler() is None,
                                  reason="no C compiler, no extension")


def same(a, b) -> bool:
    """Equal, of the same types all the way down; character dicts the same objects."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a is b
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def _fonts_and_pua(chars: list[dict], lo: int, hi: int) -> tuple[set, bool]:
    return ({c.get("fontname") for c in chars},
            any(lo <= ord(ch) <= hi for c in chars for ch in c["text"]))


def _band_chars(ys: list[float], chars: list[dict]) -> list[list[dict]]:
    """page_ruled.band_chars's reference, on the rules' heights."""
    from certreport.extract.page_ruled import Level, band_chars

    switch = page_lines._native
    page_lines._native = None
    try:
        return band_chars([Level(y, ()) for y in ys], chars)
    finally:
        page_lines._native = switch


def _table_texts(row_chars, settings: LayoutSettings) -> list:
    """What ``table_texts`` gives, from the reference functions."""
    def value(got):
        if got is None:
            return None
        if not got:
            return ""
        lines = group_lines_reference(got, settings)
        texts = [line.text for line in lines if line.text]
        return lines if len(texts) >= 2 else (texts[0] if texts else "")

    return [[value(got) for got in row] for row in row_chars]


class _CheckedIndex:
    """The native index and the reference side by side: every result compared."""

    def __init__(self, native, chars: list[dict]) -> None:
        self.native, self.reference = native, _CharIndex(chars)

    def take_rows(self, rows, slack):
        got = self.native.take_rows(rows, slack)
        want = self.reference.take_rows(rows, slack)
        assert got is not NotImplemented
        assert same(got, want)
        assert self.native.taken() == self.reference.taken
        return got

    def free(self):
        got = self.native.free()
        assert same(got, self.reference.free())
        return got

    def taken(self):
        return self.native.taken()

    def set_taken(self, taken):
        self.native.set_taken(taken)
        self.reference.taken = set(taken)


class CheckedNative:
    """Stands in for the extension in ``page_lines._native``: calls it and the Python
    reference on every input the pipeline hands it, and asserts the same results."""

    def __init__(self, native) -> None:
        self.native = native
        self.calls: dict[str, int] = {}

    def _count(self, name: str) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1

    def group_lines(self, chars, tolerance, ratio):
        got = self.native.group_lines(chars, tolerance, ratio)
        assert got is not NotImplemented
        want = group_lines_reference(chars, LayoutSettings(line_tolerance=tolerance,
                                                           space_ratio=ratio))
        assert same(got, want), (got, want)
        self._count("group_lines")
        return got

    def cluster_rows(self, chars, tolerance):
        got = self.native.cluster_rows(chars, tolerance)
        assert got is not NotImplemented
        assert same(got, cluster_rows_reference(chars, tolerance))
        self._count("cluster_rows")
        return got

    def inked(self, chars, lo, hi):
        got = self.native.inked(chars, lo, hi)
        assert got is not NotImplemented
        assert same(got[0], [c for c in chars if c["text"].strip()])
        assert got[1:] == _fonts_and_pua(got[0], lo, hi)
        self._count("inked")
        return got

    def band_chars(self, ys, chars):
        got = self.native.band_chars(ys, chars)
        assert got is not NotImplemented
        assert same(got, _band_chars(ys, chars))
        self._count("band_chars")
        return got

    def table_texts(self, row_chars, tolerance, ratio):
        got = self.native.table_texts(row_chars, tolerance, ratio)
        assert got is not NotImplemented
        assert same(got, _table_texts(row_chars, LayoutSettings(line_tolerance=tolerance,
                                                                 space_ratio=ratio)))
        self._count("table_texts")
        return got

    def char_index(self, chars):
        got = self.native.char_index(chars)
        assert got is not None
        self._count("char_index")
        return _CheckedIndex(got, chars)


@pytest.fixture(scope="module")
def native():
    if NATIVE is None:
        pytest.fail("certreport.extract._layout is not built")
    return NATIVE


def test_every_committed_pdf_page_lays_out_alike(native, monkeypatch):
    from certreport.extract.pages import text_layer_problem
    from certreport.extract.pdf import PdfSettings
    from certreport.extract.pdf_pdfium import PdfFile

    checked = CheckedNative(native)
    monkeypatch.setattr(page_lines, "_native", checked)
    settings = PdfSettings()
    pages = 0
    for path in PDFS:
        state: dict = {}
        with PdfFile(path.read_bytes()) as pdf:
            for i in range(pdf.page_count()):
                page = pdf.read(i)
                if text_layer_problem(page, settings.quality) is not None:
                    continue
                page_blocks.page_content(page, settings.pages, [], state)
                pages += 1
    assert pages >= 100
    assert min(checked.calls.get(k, 0) for k in ("group_lines", "cluster_rows", "inked",
                                                  "char_index", "table_texts",
                                                  "band_chars")) > 0


@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_the_document_is_the_same_without_the_extension(native, path, monkeypatch):
    from certreport.extract.pdf import read_document

    with_c = read_document(path)
    monkeypatch.setattr(page_lines, "_native", None)
    assert read_document(path) == with_c


# ---------------------------------------------------------------- generated characters

_TEXTS = ["字", "审", "查", "a", "b", "Z", "1", "-", "/", "—", "（", "）", "，", "。", ":", "%",
          "“", "”", "ab", "12.5", "受审查", " ", "x ", " y", "\u3000", "ｱ", "😀", "é", "·"]


def _char(rng: random.Random, x: float, y: float) -> dict:
    w = rng.choice([0.0, 3.0, 5.5, 10.0, rng.uniform(0.1, 12)])
    h = rng.choice([0.0, 4.0, 10.0, rng.uniform(1, 14)])
    c = {"text": rng.choice(_TEXTS), "x0": x, "x1": x + w, "top": y, "bottom": y + h}
    size = rng.choice(["missing", None, 0.0, -0.0, 0, 10.0, 10.5, 0.5, 1.0, -3.0,
                       rng.uniform(0, 20)])
    if size != "missing":
        c["size"] = size
    c["fontname"] = rng.choice(["SimSun", "Arial", None])
    if rng.random() < 0.3:
        c["conf"] = rng.choice([None, rng.random()])
    return c


def gen_chars(rng: random.Random, n: int) -> list[dict]:
    """Characters on a few lines with ties in x and in middles, overlapping lines."""
    lines = [rng.choice([float(rng.randint(0, 30) * 10), rng.uniform(0, 300)])
             for _ in range(rng.randint(1, 6))]
    out = []
    x = 0.0
    for _ in range(n):
        y = rng.choice(lines) + rng.choice([0.0, 0.0, 0.5, -1.5, 2.9, 3.0, rng.uniform(-4, 4)])
        x = rng.choice([x, x + rng.uniform(0, 8), float(rng.randint(0, 40) * 10),
                        rng.uniform(0, 400)])
        out.append(_char(rng, x, y))
    return out


SETTINGS = [LayoutSettings(), LayoutSettings(line_tolerance=0.0, space_ratio=0.0),
            LayoutSettings(line_tolerance=-1.0, space_ratio=2.0),
            LayoutSettings(line_tolerance=8.0, space_ratio=0.1)]


@pytest.mark.parametrize("seed", range(300))
def test_generated_lines_and_rows(native, seed: int):
    rng = random.Random(seed)
    chars = gen_chars(rng, rng.choice([0, 1, 2, 3, rng.randint(4, 40), rng.randint(40, 200)]))
    inked = [c for c in chars if c["text"].strip()]
    got = native.inked(chars, 0xF000, 0xF0FF)
    assert same(got[0], inked) and got[1:] == _fonts_and_pua(inked, 0xF000, 0xF0FF)
    if seed % 7 == 0:  # a private-use glyph among them
        chars.append({**(chars[0] if chars else _char(rng, 1.0, 2.0)), "text": " \uf0fe"})
        inked = [c for c in chars if c["text"].strip()]
        got = native.inked(chars, 0xF000, 0xF0FF)
        assert got[0] == inked and got[1:] == _fonts_and_pua(inked, 0xF000, 0xF0FF)
        assert got[2]
    for s in SETTINGS:
        for some in (chars, inked):
            got = native.group_lines(some, s.line_tolerance, s.space_ratio)
            assert got is not NotImplemented
            assert same(got, group_lines_reference(some, s))
            assert all(type(line) is Line for line in got)
            rows = native.cluster_rows(some, s.line_tolerance)
            assert same(rows, cluster_rows_reference(some, s.line_tolerance))
        ys = sorted({c["top"] for c in chars[:8]}) if seed % 3 else [c["top"] for c in chars[:6]]
        assert same(native.band_chars(ys, some), _band_chars(ys, some))
        cells = [[None, [], inked[:1]], [inked, inked[1:3], inked[::2]]]
        got = native.table_texts(cells, s.line_tolerance, s.space_ratio)
        assert same(got, _table_texts(cells, s))


def _grid(rng: random.Random) -> list[list[tuple | None]]:
    xs = sorted({rng.choice([float(rng.randint(0, 40) * 10), rng.uniform(0, 400)])
                 for _ in range(rng.randint(2, 6))})
    ys = sorted({rng.choice([float(rng.randint(0, 30) * 10), rng.uniform(0, 300)])
                 for _ in range(rng.randint(2, 8))})
    rows: list[list[tuple | None]] = [[(a, t, b, u) for a, b in zip(xs, xs[1:])]
                                      for t, u in zip(ys, ys[1:])]
    for r in range(len(rows)):
        for c in range(len(rows[r])):
            if rows[r][c] is not None and rng.random() < 0.15:
                if r + 1 < len(rows) and rows[r + 1][c] is not None:  # merged down
                    a, t, b, _ = rows[r][c]
                    rows[r][c] = (a, t, b, rows[r + 1][c][3])
                    rows[r + 1][c] = None
                elif rng.random() < 0.5:
                    rows[r][c] = None
    if rng.random() < 0.2:
        rows.append([None] * len(xs))  # a row of nothing but merged positions
    return rows


@pytest.mark.parametrize("seed", range(200))
def test_generated_tables_take_alike(native, seed: int):
    rng = random.Random(seed)
    chars = [c for c in gen_chars(rng, rng.randint(0, 300))]
    index = page_blocks._NativeCharIndex(native.char_index(chars), chars)
    reference = _CharIndex(chars)
    for _ in range(rng.randint(1, 3)):
        grid = _grid(rng)
        slack = rng.choice([0.5, 0.5, 0.0, 2.0])
        got = index._native.take_rows(grid, slack)
        assert got is not NotImplemented
        assert same(got, reference.take_rows(grid, slack))
        assert index.taken == reference.taken
    assert same(index.free(), reference.free())


@pytest.mark.parametrize("seed", range(40))
def test_inputs_the_extension_does_not_take_fall_back_to_the_reference(native, seed: int,
                                                                       monkeypatch):
    """Ints among the boxes, non-zero int sizes, empty texts, dict subclasses: the
    extension declines them before changing anything and the reference answers."""
    rng = random.Random(seed)
    chars = gen_chars(rng, rng.randint(1, 60))
    odd = dict(chars[0])
    kind = seed % 5
    if kind == 0:
        odd["size"] = 12
    elif kind == 1:
        odd["top"] = int(odd["top"])
    elif kind == 2:
        odd["text"] = ""
    elif kind == 3:
        odd["x0"] = float("nan")
    chars[0] = odd if kind != 4 else type("D", (dict,), {})(odd)
    s = LayoutSettings()
    if kind in (0, 2):  # only the lines need sizes and texts
        assert native.group_lines(chars, s.line_tolerance, s.space_ratio) is NotImplemented
        assert same(page_lines.group_lines(chars, s), group_lines_reference(chars, s))
    else:
        assert native.char_index(chars) is None
        assert native.cluster_rows(chars, s.line_tolerance) is NotImplemented
        assert type(page_blocks.char_index(chars)) is _CharIndex
        if kind != 3:  # (a NaN is unequal to itself: nothing to compare)
            assert same(page_lines.group_lines(chars, s), group_lines_reference(chars, s))


def test_cells_of_ints_fall_back_with_the_same_taken_characters(native):
    rng = random.Random(5)
    chars = gen_chars(rng, 200)
    index = page_blocks._NativeCharIndex(native.char_index(chars), chars)
    reference = _CharIndex(chars)
    floats = [[(0.0, 0.0, 200.0, 100.0), (200.0, 0.0, 400.0, 100.0)]]
    ints = [[(0, 100, 200, 300), None, (200, 100, 400, 300)]]
    fractions = [[(Fraction(0), Fraction(300), Fraction(801, 4), 400.0), None]]
    assert same(index.take_rows(floats), reference.take_rows(floats))
    got = index._native.take_rows(ints, 0.5)  # ints a double holds exactly: taken in C
    assert got is not NotImplemented and same(got, reference.take_rows(ints, 0.5))
    assert index.taken == reference.taken
    assert index._native.take_rows(fractions, 0.5) is NotImplemented
    assert same(index.take_rows(fractions), reference.take_rows(fractions))
    assert index.taken == reference.taken
    assert same(index.free(), reference.free())


@pytest.mark.parametrize("seed", range(300))
def test_unions_of_the_other_bands_are_those_of_all_their_spans(seed: int):
    """page_ruled's shortcut (the union of the bands before and of those after a band)
    gives the union of every other band's spans, on spans with ties, touching ends, zero
    widths and gaps of 0."""
    from certreport.extract.page_ruled import _union, _unions_but_one

    rng = random.Random(seed)
    grid = rng.choice([1.0, 0.5, 4.0])
    def value() -> float:
        return rng.choice([float(rng.randint(0, 60)) * grid, rng.uniform(0, 60)])
    spans = []
    for _ in range(rng.randint(0, 12)):
        band = []
        for _ in range(rng.randint(0, 5)):
            a = value()
            band.append((a, a + rng.choice([0.0, grid, 2 * grid, rng.uniform(0, 9)])))
        spans.append(band)
    ok = [rng.random() < 0.8 for _ in spans]
    gap = rng.choice([4.0, 0.0, 1.0, grid, 0.5])
    got = _unions_but_one(spans, ok, gap)
    if gap == 0.0 and any(a == b for sp in spans for a, b in sp):
        assert got is None  # an empty widened span: not taken
        return
    assert got is not None
    for i in range(len(spans)):
        if ok[i]:
            want = _union((s for j, sp in enumerate(spans) if j != i and ok[j] for s in sp),
                          gap)
            assert got[i] == want


@pytest.mark.parametrize("use_native", [True, False])
def test_table_cell_boxes_are_rounded_as_each_value_is(use_native: bool, monkeypatch):
    """A table's cell boxes rounded to 0.1 value by value, whatever the values: shared
    edges, 0.0 and -0.0, ints, NaN (the shortcut keeps each one's own rounding)."""
    if not use_native:
        monkeypatch.setattr(page_lines, "_native", None)
    nan = float("nan")
    rows = [[(-0.0, 0.0, 10.04, 20.05), (10.04, 0.0, 30.15, 20.05), None],
            [(0, 20.05, 10, 40), (10.04, 20.05, 30.15, 40.25), (30.15, -0.04, nan, 40.25)]]
    chars = [{"text": "字", "x0": x, "x1": x + 4.0, "top": y, "bottom": y + 6.0, "size": 6.0}
             for x in (2.0, 12.0, 32.0) for y in (5.0, 25.0)]
    table = page_blocks._table(rows, (0.0, 0.0, 40.0, 40.0), page_blocks.char_index(chars), 1,
                               LayoutSettings())
    for row, got in zip(rows, table.rows):
        for cell, text in zip(row, got):
            if cell is None:
                assert text.where.bbox is None
                continue
            want = tuple(round(v, 1) for v in cell)
            assert repr(text.where.bbox) == repr(want)
            assert [type(v) for v in text.where.bbox] == [type(v) for v in want]
    assert [[t.text for t in r] for r in table.rows] == [["字", "字", ""], ["字", "字", "字\n字"]]
