"""The PDF reader: round trip over the committed PDF samples (data/samples/pdf, made by
data/make_pdf_samples.py), the page breaks that matter found in them wherever they fall,
check boxes and bad input in small PDFs written here byte by byte, and the pure layout
stages on hand-made characters. CI-safe: no LibreOffice needed."""
from __future__ import annotations

import dataclasses
import json
import re
import time
import tracemalloc
from pathlib import Path

import pytest

from certreport.pipeline import process_file
from synth.roundtrip import compare
from synth.templates import CHECKBOX_STYLES, TEMPLATES
from certreport.extract import read
from certreport.extract.assemble import assemble
from certreport.extract.pdf import PdfError, read_document
from certreport.extract.page_lines import cell_text, group_lines, join_wrapped
from certreport.extract.page_ruled import ruled_tables
from certreport.extract.record import CHECKED, UNCHECKED, Document, Paragraph, Table
from certreport.extract.tables import CLAUSE_NO, VALUE_ROLES, body_rows, classify_header
from certreport.normalise import normalise
from certreport.schemas.vocabulary import vocabulary
from tests.conftest import ROOT
from tests.malformed.make_corpus import pdf as write_pdf

PDF_SAMPLES = ROOT / "data" / "samples" / "pdf"
PDFS = sorted(PDF_SAMPLES.glob("*.pdf"))
CORPUS = ROOT / "tests" / "malformed" / "corpus"


def _truth(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def imported() -> dict[str, tuple[dict, dict]]:
    """file name -> (truth, rows recovered by process_file)."""
    return {p.name: (_truth(p), process_file(p).rows) for p in PDFS}


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    return {p.name: read_document(p) for p in PDFS}


# ----------------------------------------------------------------- the committed samples


def test_sample_set_covers_templates_styles_rulings_and_errors():
    truths = [_truth(p) for p in PDFS]
    assert 10 <= len(PDFS) <= 30
    assert sum(p.stat().st_size for p in PDF_SAMPLES.iterdir()) < 6 * 2 ** 20
    assert {t["checkbox"] for t in truths} == set(CHECKBOX_STYLES)
    templates = {t["template"] for t in truths}
    assert {"classic", "modern", "ledger"} <= templates
    assert {TEMPLATES[t].table_borders for t in templates if t in TEMPLATES} == {"grid", "horizontal"}
    assert sum(bool(t["injected"]) for t in truths) >= 3
    assert {i["check"] for t in truths for i in t["injected"]} == {
        "item_score", "section_score", "total", "level", "special_items", "raw_total",
        "applicable_max", "normalised_score"}
    scoring = [t["scoring"] for t in truths]
    assert {s["form"] for s in scoring if s["deductions"] or s["additions"]} == {"sentence", "table"}
    assert any(s["deductions"] >= 5 for s in scoring)  # no level
    assert any(s["states_normalised"] for s in scoring)
    assert {t["scheme"] for t in truths} == {"CTS ISC-JSGF-06", "GB/T 27922-2011"}


@pytest.mark.parametrize("name", [p.name for p in PDFS])
def test_pdf_round_trip(imported, name):
    """Every field, team row, part total and clause value comes back exactly, and the
    error findings are exactly the injected errors (none on clean reports)."""
    truth, rows = imported[name]
    result = compare(truth, rows)
    assert result.ok, "\n".join(result.lines()[:20])
    errors = {(c["check_name"], c["target"]) for c in rows["checks"] if c["severity"] == "error"}
    assert errors == {(i["check"], i["target"]) for i in truth["injected"]}


# ----------------------------------------------------------------- page breaks in the samples


def _score_pieces(doc: Document) -> list[tuple[Table, dict[str, str], list[dict]]]:
    """Every score-table piece (one per page) with its body rows (role -> Text)."""
    voc = vocabulary()
    out = []
    for block in doc.blocks:
        if not isinstance(block, Table) or not block.rows:
            continue
        cmap = classify_header(block, voc.score_columns, voc.team_columns, voc.score_required,
                               voc.score_one_of, voc.team_required)
        if cmap is not None and cmap.kind == "score":
            out.append((block, dict(cmap.roles), body_rows(block, cmap, True)))
    return out


def _clause_of(rows: dict, clause_no: str) -> dict:
    return next(c for c in rows["clauses"] if c["clause_no"] == clause_no)


def _truth_clause(truth: dict, clause_no: str) -> dict:
    return next(c for c in truth["clauses"] if c["clause_no"] == clause_no)


def _assert_values(truth: dict, clause: dict) -> None:
    want = _truth_clause(truth, clause["clause_no"])
    for key in ("section", "subsection_no", "code", "weight", "stated_score", "not_applicable"):
        assert clause[key] == want[key], (clause["clause_no"], key, clause[key], want[key])


def test_clause_row_split_across_two_pages(imported, documents):
    """A page that opens with the rest of the previous page's last clause (content only,
    no clause number, no values): one logical row, begun on the earlier page, with the
    truth's values."""
    cases = set()
    for name, doc in documents.items():
        truth, rows = imported[name]
        for table, _roles, body in _score_pieces(doc):
            if not body or not body[0].get("content"):
                continue
            first = body[0]
            rest = _squash(first["content"].text)
            if CLAUSE_NO.match(first["content"].text) or any(r in first for r in VALUE_ROLES) \
                    or "number" in first or "heading" in first:
                continue
            page = table.where.page
            owners = [c for c in rows["clauses"] if _squash(c["text"]).endswith(rest)
                      and c["page"] < page]
            assert owners, (name, page, rest[:40])
            assert not any(_squash(c["text"]).startswith(rest) for c in rows["clauses"]), (
                f"{name}: the continuation on page {page} became a row of its own")
            for c in owners:
                _assert_values(truth, c)
            cases.add((truth["template"], page))
    assert len(cases) >= 5
    assert {t for t, _ in cases} >= {"classic", "ledger", "reordered"}


def test_piece_without_repeated_header_continues_the_table(documents):
    """The same pieces with their repeated header rows taken away (as in files whose
    tables do not repeat them): the same logical rows."""
    stripped_pieces = 0
    for name, doc in documents.items():
        pieces = {id(t): roles for t, roles, _ in _score_pieces(doc)}
        blocks, last_page = [], None
        for block in doc.blocks:
            if isinstance(block, Table) and id(block) in pieces:
                if last_page is not None and block.where.page != last_page:
                    block = dataclasses.replace(block, rows=block.rows[1:])
                    stripped_pieces += 1
                last_page = block.where.page
            elif isinstance(block, Paragraph) and any(
                    t in block.text for t in ("售后服务体系", "商品服务", "顾客服务")):
                last_page = None  # a new part's table starts with its own header
            blocks.append(block)
        want = assemble(doc).rows
        got = assemble(dataclasses.replace(doc, blocks=tuple(blocks))).rows
        key = lambda r: (r.part, r.subsection and r.subsection.text, _squash(r.content.text),  # noqa: E731
                         *(getattr(r, k).text if getattr(r, k) else None for k in VALUE_ROLES))
        assert [key(r) for r in got] == [key(r) for r in want], name
    assert stripped_pieces >= 20


def test_merged_subsection_cell_shows_only_on_its_first_page(imported, documents):
    """A page that opens with new clauses of a subsection whose 序号/标题 cell stayed on
    the page before: those clauses keep that subsection."""
    cases = 0
    for name, doc in documents.items():
        truth, rows = imported[name]
        for table, _roles, body in _score_pieces(doc):
            for cells in body:
                if "number" in cells or "heading" in cells:
                    break
                content = cells.get("content")
                if content is None or not any(r in cells for r in VALUE_ROLES):
                    continue
                start = _squash(content.text)
                mine = [c for c in rows["clauses"] if c["page"] == table.where.page
                        and _squash(c["text"]).startswith(start)]
                assert len(mine) == 1, (name, table.where.page, start[:30])
                _assert_values(truth, mine[0])
                cases += 1
    assert cases >= 10


def test_page_break_right_after_a_subsection_or_part_heading(imported, documents):
    """A subsection whose merged cell sits on the last row of a page (its other clauses on
    the next page), and a part heading that closes a page (its table on the next): the
    clauses keep their subsection and part, the part its stated figures."""
    after_subsection = after_part = 0
    for name, doc in documents.items():
        truth, rows = imported[name]
        clauses = rows["clauses"]
        by_sub: dict[tuple, list[dict]] = {}
        for c in clauses:
            by_sub.setdefault((c["section"], c["subsection_no"]), []).append(c)
        for subs in by_sub.values():
            if len(subs) > 1 and subs[0]["page"] < subs[1]["page"]:
                after_subsection += 1
                for c in subs:
                    _assert_values(truth, c)
        record = assemble(doc)
        sections = {s["title"]: s for s in truth["sections"]}
        got_sections = {s["section"]: s for s in rows["sections"]}
        for part in record.parts:
            want = sections.get(part.title.text)
            if want is None:
                continue
            first = next(c for c in clauses if c["section"] == want["section"])
            if first["page"] > part.title.where.page:
                after_part += 1
                got = got_sections[want["section"]]
                assert (got["stated_max"], got["stated_score"]) == (want["stated_max"],
                                                                   want["stated_score"])
                for c in clauses:
                    if c["section"] == want["section"]:
                        _assert_values(truth, c)
    assert after_subsection >= 5
    assert after_part >= 1


def test_running_headers_and_footers_stay_out_of_rows(imported, documents):
    for name, doc in documents.items():
        truth, rows = imported[name]
        assert doc.running_texts, name
        body = truth["report"]["cert_body"]
        assert rows["reports"][0]["cert_body"] == body
        for c in rows["clauses"]:
            assert body not in c["text"] and not re.search(r"第\s*\d+\s*页", c["text"]), name


def test_codes_and_numbers_stay_whole(imported):
    """No space inside Chinese text, codes and numbers intact (also where a line wraps)."""
    for name, (truth, rows) in imported.items():
        report = rows["reports"][0]
        assert report["project_no"] == truth["report"]["project_no"]
        assert " " not in report["org_name"] and " " not in report["scope"]
        for member, want in zip(rows["team"], truth["team"]):
            assert (member["cert_no"], member["specialty_code"]) == (want["cert_no"],
                                                                    want["specialty_code"])


# ----------------------------------------------------------------- small PDFs written here


def _ucs2(text: str) -> bytes:
    return b"<" + text.encode("utf-16-be").hex().upper().encode() + b">"


CJK, WD, WD_BARE, HELV = b"F1", b"F2", b"F3", b"F4"
SIZE = 10.5
TO_UNICODE = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
              b"/CMapName /WingdingsPUA def /CMapType 2 def\n"
              b"1 begincodespacerange <00> <FF> endcodespacerange\n"
              b"3 beginbfchar <FE> <F0FE> <A8> <F0A8> <41> <F041> endbfchar\n"
              b"endcmap CMapName currentdict /CMap defineresource pop end end")


def _fonts() -> list[bytes | tuple[bytes, bytes]]:
    """Objects 3-11: a standard CJK font (STSong-Light, UCS-2 codes), Wingdings with a
    ToUnicode map to its private-use code points, a subset Wingdings without one (its
    bytes come out as þ / ¨), Helvetica."""
    widths = b"[" + b" ".join([b"1000"] * 224) + b"]"
    return [
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
        b"/DescendantFonts [4 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 5 0 R "
        b"/DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -120 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>",
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Wingdings /FirstChar 32 /LastChar 255 "
        b"/Widths " + widths + b" /ToUnicode 7 0 R /FontDescriptor 11 0 R >>",
        (b"<< >>", TO_UNICODE),
        b"<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Wingdings-Regular /FirstChar 32 "
        b"/LastChar 255 /Widths " + widths + b" /FontDescriptor 10 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /FontDescriptor /FontName /ABCDEF+Wingdings-Regular /Flags 4 "
        b"/FontBBox [0 -200 1000 800] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 800 "
        b"/StemV 80 >>",
        b"<< /Type /FontDescriptor /FontName /Wingdings /Flags 4 /FontBBox [0 -200 1000 800] "
        b"/ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 800 /StemV 80 >>",
    ]


RESOURCES = b"<< /Font << /F1 3 0 R /F2 6 0 R /F3 8 0 R /F4 9 0 R >> >>"


def make_pdf(pages: list[bytes]) -> bytes:
    """A PDF of content streams (one per page), with the fonts above."""
    first = 12
    kids = b" ".join(b"%d 0 R" % (first + 2 * i) for i in range(len(pages)))
    objects: list = [b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % len(pages)]
    objects += _fonts()
    for i, content in enumerate(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                       + RESOURCES + b" /Contents %d 0 R >>" % (first + 2 * i + 1))
        objects.append((b"<< >>", content))
    return write_pdf(objects)


def text_at(x: float, y: float, text: str, font: bytes = CJK, size: float = SIZE) -> bytes:
    code = _ucs2(text) if font == CJK else b"(" + text.encode("latin-1") + b")"
    return b"BT /%s %.1f Tf 1 0 0 1 %.1f %.1f Tm %s Tj ET\n" % (font, size, x, y, code)


OPTIONS = ("初次认证", "保持认证", "再认证")


def audit_type_line(y: float, marks: list[bytes | None]) -> bytes:
    """审查类型： then each option preceded by its mark (content bytes drawing it at x, y),
    or by nothing."""
    out = text_at(72, y, "审查类型：")
    x = 72 + 5 * SIZE + 4
    for option, mark in zip(OPTIONS, marks):
        if mark is not None:
            out += mark.replace(b"@X", b"%.1f" % x).replace(b"@Y", b"%.1f" % y)
            x += SIZE + 1
        out += text_at(x, y, option)
        x += len(option) * SIZE + 12
    return out


def _sym(byte: int, font: bytes = WD) -> bytes:
    return b"BT /%s %.1f Tf 1 0 0 1 @X @Y Tm <%02X> Tj ET\n" % (font, SIZE, byte)


def _vec(ticked: bool) -> bytes:
    """An 8-point square drawn with ``re``, with a tick path inside when ticked."""
    tick = b"q 1 0 0 1 @X @Y cm 1.5 3 m 3.5 0.5 l 7 6 l S Q\n" if ticked else b""
    return b"0.6 w @X @Y 8 8 re S\n" + tick


def _audit_type(path: Path) -> tuple:
    record = read(path)
    group = next(g for g in record.checkboxes if g.name == "audit_type")
    return group, normalise(record).report["audit_type"], record


@pytest.mark.parametrize("font", [WD, WD_BARE], ids=["pua-to-unicode", "bare-byte-subset-font"])
def test_symbol_font_checkboxes(tmp_path, font):
    """U+F0FE / U+F0A8 (or the bare bytes þ / ¨) in a font named Wingdings -> ☑ / ☐."""
    path = tmp_path / "symbol.pdf"
    path.write_bytes(make_pdf([audit_type_line(700, [_sym(0xA8, font), _sym(0xFE, font),
                                                     _sym(0xA8, font)])]))
    doc = read_document(path)
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert any(f"{UNCHECKED}初次认证" in t and f"{CHECKED}保持认证" in t and f"{UNCHECKED}再认证" in t
               for t in texts), texts
    group, audit_type, _ = _audit_type(path)
    assert group.marked and group.checked == ("保持认证",)
    assert audit_type == "保持认证"
    assert not doc.problems


def test_unknown_symbol_glyph_is_kept_and_reported(tmp_path):
    path = tmp_path / "unknown.pdf"
    path.write_bytes(make_pdf([audit_type_line(700, [_sym(0x41), _sym(0xFE), _sym(0xA8)])]))
    doc = read_document(path)
    assert any("U+F041" in p and "Wingdings" in p for p in doc.problems), doc.problems
    assert any("\uf041初次认证" in b.text for b in doc.blocks if isinstance(b, Paragraph))


def test_vector_drawn_checkboxes(tmp_path):
    """Check boxes drawn as squares, ticked by a path inside: ☐ ☐ ☑."""
    path = tmp_path / "vector.pdf"
    path.write_bytes(make_pdf([audit_type_line(700, [_vec(False), _vec(False), _vec(True)])]))
    group, audit_type, _ = _audit_type(path)
    assert group.marked and group.checked == ("再认证",)
    assert audit_type == "再认证"


def test_checkbox_group_without_marks_is_unknown(tmp_path):
    """The options written with no box at all (an export that lost them): no guess."""
    path = tmp_path / "unmarked.pdf"
    path.write_bytes(make_pdf([audit_type_line(700, [None, None, None])]))
    group, audit_type, _ = _audit_type(path)
    assert not group.marked and group.checked == ()
    assert audit_type is None


# ----------------------------------------------------------------- bad input


def test_encrypted_pdf_refused_with_a_clear_message():
    with pytest.raises(PdfError, match=r"^encrypted PDF \(password protected\)"):
        read_document(CORPUS / "encrypted.pdf")


def test_truncated_pdf_refused_with_a_clear_message():
    with pytest.raises(PdfError, match=r"^damaged or truncated PDF"):
        read_document(CORPUS / "truncated.pdf")


def test_pdf_that_is_not_a_report_fails_in_the_pipeline():
    result = process_file(CORPUS / "not_a_report.pdf")
    assert result.status == "failed" and "not a report" in result.error


def test_pdf_without_pages(tmp_path):
    path = tmp_path / "zero.pdf"
    path.write_bytes(write_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                                b"<< /Type /Pages /Kids [] /Count 0 >>"]))
    with pytest.raises(PdfError, match="no pages"):
        read_document(path)
    result = process_file(path)
    assert result.status == "failed" and "no pages" in result.error


@pytest.mark.parametrize("declared", [300, 3], ids=["count-300", "count-lies"])
def test_300_page_unrelated_pdf_fails_fast_in_bounded_memory(tmp_path, declared):
    """A long document that is no report is refused from its page tree, before any page
    is parsed (also when the tree's /Count understates it): quickly and without holding
    its pages in memory."""
    n = 300
    kids = b" ".join(b"%d 0 R" % (4 + i) for i in range(n))
    objects: list = [b"<< /Type /Catalog /Pages 2 0 R >>",
                     b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % declared,
                     (b"<< >>", b"".join(text_at(72, 780 - 14 * k, f"Chapter text line {k}", HELV)
                                         for k in range(50)))]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                b"<< /Font << /F4 %d 0 R >> >> /Contents 3 0 R >>" % (4 + n) for _ in range(n)]
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    path = tmp_path / "long.pdf"
    path.write_bytes(write_pdf(objects))
    tracemalloc.start()
    t0 = time.perf_counter()
    result = process_file(path)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.status == "failed" and "longer than any review report" in result.error
    assert ("300 pages" if declared == n else "more than 150 pages") in result.error, result.error
    assert elapsed < 5.0
    assert peak < 40 * 2 ** 20


# ----------------------------------------------------------------- pure layout stages


def _chars(text: str, x: float, top: float, size: float = 10.0, width: float | None = None) -> list[dict]:
    out = []
    for ch in text:
        w = width if width is not None else (size if ord(ch) > 0x2E80 else size * 0.5)
        if ch != " ":
            out.append({"text": ch, "x0": x, "x1": x + w, "top": top, "bottom": top + size,
                        "size": size, "fontname": "X"})
        x += w
    return out


def test_wrapped_lines_join_without_spaces_in_cjk_and_keep_codes_whole():
    # a CJK paragraph wrapped at the right edge (100), a code wrapped after a hyphen,
    # two Latin words wrapped at a space, then a short line and a new paragraph
    lines = group_lines(_chars("受审查方名称河北汇通电", 0, 0)
                        + _chars("子有限公司", 0, 13)
                        + _chars("项目编号：0029-2023-SE-", 0, 40)
                        + _chars("2024", 0, 53)
                        + _chars("ISC-JSGF-06 Technical", 0, 80)
                        + _chars("Specification", 0, 93)
                        + _chars("短行", 0, 120)
                        + _chars("新段落", 0, 133))
    right = max(line.x1 for line in lines)
    texts = [line.text for line in join_wrapped(lines, right)]
    assert texts == ["受审查方名称河北汇通电子有限公司", "项目编号：0029-2023-SE-2024",
                     "ISC-JSGF-06 Technical Specification", "短行", "新段落"]


def test_closing_punctuation_travels_with_the_character_before_it():
    """A line ending one character short of the edge because 、 may not open a line."""
    lines = group_lines(_chars("维修服", 0, 0) + _chars("务、退换货", 0, 13))
    assert [line.text for line in join_wrapped(lines, 40.0)] == ["维修服务、退换货"]


def test_cell_text_keeps_paragraphs_and_joins_wraps():
    lines = group_lines(_chars("5.1.1.1 建立组织", 5, 0) + _chars("架构。", 5, 13)
                        + _chars("5.1.1.2 其他", 5, 40))
    assert cell_text(lines, (0, 0, 97, 60)) == "5.1.1.1 建立组织架构。\n5.1.1.2 其他"


def test_ruled_table_columns_rows_and_merged_cells():
    """Three rules over the whole width and one under the right columns only: the first
    column's cell spans both rows; a paragraph between two tables splits them."""
    def rule(x0, x1, y):
        return {"x0": x0, "x1": x1, "top": y, "bottom": y}

    rules = [rule(50, 450, 100), rule(50, 450, 120), rule(150, 450, 160), rule(50, 450, 200),
             rule(50, 450, 240), rule(50, 450, 260), rule(50, 450, 290)]
    chars = (_chars("序号", 60, 105) + _chars("内容", 160, 105) + _chars("分值", 360, 105)
             + _chars("5.1.1", 60, 155) + _chars("甲条款", 160, 135) + _chars("1", 370, 135)
             + _chars("乙条款", 160, 175) + _chars("2", 370, 175)
             + _chars("各部分得分情况如下：满分73分，实际得分69.2分", 50, 215)  # a paragraph
             + _chars("序号", 60, 245) + _chars("内容", 160, 245) + _chars("分值", 360, 245)
             + _chars("5.2.1", 60, 270) + _chars("丙条款", 160, 270) + _chars("3", 370, 270))
    tables = ruled_tables(rules, chars, 595, 842)
    assert [t.bbox[1::2] for t in tables] == [(100, 200), (240, 290)]
    first = tables[0]
    assert len(first.columns) == 4  # three columns
    (hdr, row1, row2) = first.rows
    assert row1[0] == (50, 120, first.columns[1], 200)  # merged down over the short rule
    assert row2[0] is None and row2[1] is not None
    assert ruled_tables(rules[:2], chars, 595, 842) == []  # two rules are not a table


def test_ruled_tables_split_at_a_heading_over_a_table_of_other_columns():
    """Rules at one width run on from a score table through a heading ("4)特别项:") into a
    table of other columns whose text fills the score table's column gaps: the heading
    crosses the columns the rows above it show, so it ends the first table."""
    rules = [{"x0": 50, "x1": 450, "top": y, "bottom": y}
             for y in (100, 120, 140, 160, 180, 200, 220, 240)]
    chars = (_chars("编码", 55, 105) + _chars("审查内容", 100, 105) + _chars("分值", 400, 105)
             + _chars("C1", 55, 125) + _chars("甲条款", 100, 125) + _chars("1", 400, 125)
             + _chars("C2", 55, 145) + _chars("乙条款", 100, 145) + _chars("2", 400, 145)
             + _chars("4)特别项说明:", 50, 165)  # a heading between the two tables
             + _chars("类别", 60, 185) + _chars("项数", 180, 185) + _chars("原因说明", 300, 185)
             + _chars("特别扣分项", 55, 205) + _chars("0", 180, 205)
             + _chars("特别加分项", 55, 225) + _chars("1", 180, 225)
             + _chars("服务承诺高于法律法规", 230, 225))
    tables = ruled_tables(rules, chars, 595, 842)
    assert [t.bbox[1::2] for t in tables] == [(100, 160), (180, 240)]
    assert len(tables[0].columns) == 4 and len(tables[1].rows) == 3


def test_ruled_tables_ignore_rules_inside_grid_tables():
    rules = [{"x0": 50, "x1": 450, "top": y, "bottom": y} for y in (100, 120, 140)]
    chars = _chars("甲", 60, 105) + _chars("乙", 200, 105) + _chars("丙", 60, 125) + _chars("丁", 200, 125)
    assert len(ruled_tables(rules, chars, 595, 842)) == 1
    assert ruled_tables(rules, chars, 595, 842, taken=[(50, 100, 450, 140)]) == []


# ----------------------------------------------------------------- rendering (LibreOffice)


def test_generate_pdf_keeps_truth_and_drops_docx(tmp_path):
    from synth import generate
    from synth.pdf_render import available

    if not available():
        pytest.skip("LibreOffice is not installed (rendering fixtures only)")
    paths = generate(tmp_path, 1, seed=5, templates=["ledger"], styles=["wingdings_sym"],
                     formats=("pdf",))
    assert [p.suffix for p in paths] == [".pdf"]
    assert (tmp_path / f"{paths[0].stem}.truth.json").is_file()
    assert not list(tmp_path.glob("*.docx"))
    truth = _truth(paths[0])
    result = compare(truth, process_file(paths[0]).rows)
    assert result.ok, result.lines()[:10]
