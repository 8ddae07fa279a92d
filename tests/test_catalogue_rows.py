"""The catalogue-guided layout reader (extract/catalogue_rows.py) and the table-path
repairs for other producers (rows repeated or cut at page breaks, offset header columns)."""
from __future__ import annotations

from certreport.extract.assemble import assemble
from certreport.extract.catalogue_rows import LAYOUT, assign_values, catalogue, value_cells, Unit
from certreport.extract.page_ruled import merge_offset_columns
from certreport.extract.record import Document, Paragraph, Table, Text, Where
from certreport.extract.tables import ScoreRowBuilder
from certreport.normalise import normalise
from certreport.schemas.catalogue import load_schemes

CTS = next(s for s in load_schemes() if s.id.startswith("CTS"))
PART_A = CTS.parts[0]


def _cells(*texts: str, page: int | None = None) -> tuple[Text, ...]:
    return tuple(Text(t, Where(page=page)) for t in texts)


def _pct(i: int) -> float:
    return (100, 70, 50, 80)[i % 4]


def _row_values(clause, i: int) -> tuple[str, str, str]:
    pct = _pct(i)
    score = round(clause.weight * pct / 100 + 1e-9, 1)
    return f"{clause.weight:g}", f"{pct:g}", f"{score:g}"


def _unknown_header_doc(order=("score", "pct", "weight")) -> Document:
    """Part A as a table whose header words the vocabulary does not know, the values in
    an unusual column order."""
    names = {"weight": "Pts", "pct": "Rate", "score": "Got"}
    header = _cells("No.", "Requirement", *(names[r] for r in order))
    rows = [header]
    for i, c in enumerate(PART_A.clauses):
        w, p, s = _row_values(c, i)
        vals = {"weight": w, "pct": p, "score": s}
        rows.append(_cells(c.code or "", f"{c.number} {c.text}", *(vals[r] for r in order)))
    return Document("x.md", "md", (Paragraph(f"1) {PART_A.title}:"), Table(tuple(rows))))


def test_unknown_header_table_is_read_by_the_catalogue_not_left_unread():
    record = assemble(_unknown_header_doc())
    assert len(record.rows) == len(PART_A.clauses)
    assert {r.read_by for r in record.rows} == {LAYOUT}
    assert record.layout_added[:2] == ("5.1.1.1", "5.1.1.2")
    for i, (row, clause) in enumerate(zip(record.rows, PART_A.clauses)):
        assert (row.weight.text, row.pct.text, row.score.text) == _row_values(clause, i)
    out = normalise(record)
    assert {c["match_method"] for c in out.clauses} <= {"layout:code", "layout:number"}
    assert [c["weight"] for c in out.clauses] == [c.weight for c in PART_A.clauses]
    warnings = [f for f in out.findings if f.check == "layout_rows"]
    assert len(warnings) == 1 and warnings[0].severity == "warning"
    assert not [f for f in out.findings if f.check == "item_score"]
    assert out.report["status"] == "partial"  # parts B and C are missing


def test_columns_known_by_what_their_numbers_do():
    clause = catalogue()["5.1.1.2"]  # weight 3
    unit = Unit(_cells("5.1.1.2 根据需要…", "2.1", "70", "3"), 0)
    got = assign_values(value_cells(unit, 0), clause, None)
    assert {k: v.text for k, v in got.items()} == {"score": "2.1", "pct": "70", "weight": "3"}
    # a wrong stated score: the learnt column order decides, the weight still the catalogue's
    unit = Unit(_cells("5.1.1.2 根据需要…", "3", "70", "2.5"), 0)
    got = assign_values(value_cells(unit, 0), clause, ("weight", "pct", "score"))
    assert {k: v.text for k, v in got.items()} == {"weight": "3", "pct": "70", "score": "2.5"}


def test_table_and_layout_disagreeing_is_an_error_finding():
    head = _cells("序号", "检查内容", "小类分值", "分项得分%", "分项实际得分")
    c = PART_A.clauses[0]
    table = Table((head, _cells("", f"{c.number} {c.text}", "1", "100", "1")))
    loose = Table((_cells(f"{c.number} {c.text}", "1", "50", "0.5"),))
    record = assemble(Document("x.md", "md", (Paragraph(f"1) {PART_A.title}:"), table, loose)))
    assert len(record.rows) == 1 and record.rows[0].read_by == "table"
    assert record.layout_disagreements and "A1" in record.layout_disagreements[0]
    errors = [f for f in normalise(record).findings if f.check == "layout_rows"]
    assert errors and errors[0].severity == "error" and errors[0].target == "A1"


def test_row_repeated_over_a_page_break_is_read_once_cut_values_joined():
    b = ScoreRowBuilder()
    cut = {"content": Text("5.2.2.3 在商品有效期内", Where(page=4)),
           "weight": Text("1.5", Where(page=4)), "pct": Text("不适", Where(page=4)),
           "score": Text("0", Where(page=4))}
    b.add(cut, "B", "")
    b.add({"content": Text("提供相应的服务。", Where(page=5)), "pct": Text("用", Where(page=5))},
          "B", "")
    again = {k: Text(v.text, Where(page=6)) for k, v in {
        "content": Text("5.2.2.4 相关服务活动涉及收费的"), "weight": Text("1.5"),
        "pct": Text("100"), "score": Text("1.5")}.items()}
    b.add({k: Text(v.text, Where(page=5)) for k, v in again.items()}, "B", "")
    b.add(again, "B", "")
    rows, _ = b.finish()
    assert [(r.content.text, r.pct.text) for r in rows] == [
        ("5.2.2.3 在商品有效期内\n提供相应的服务。", "不适用"), ("5.2.2.4 相关服务活动涉及收费的", "100")]


def test_centred_header_over_left_aligned_values_is_one_column():
    bounds = (0.0, 50.0, 100.0, 130.0, 200.0)
    bands = [[(10, 40), (110, 125), (150, 190)],   # header: 姓名 | 证书编号 (centred) | 电话
             [(10, 30), (55, 98), (140, 160)],     # 吕云 | 2022-S2SC-… | 150…
             [(10, 30), (55, 98), (140, 160)]]
    assert merge_offset_columns(bounds, bands) == (0.0, 50.0, 130.0, 200.0)
    # a column empty in the body but headed stays
    assert merge_offset_columns((0.0, 50.0, 100.0), [[(10, 40), (60, 90)], [(10, 40)]]) == (
        0.0, 50.0, 100.0)


def test_team_rows_from_header_words_without_a_table():
    lines = ("1.13 审查组成员：\n姓名    组内身份    注册证书号    联系电话\n"
             "王伟    组长    2019-S2SC-1951777    13001743529\n"
             "段芳    组员    2021-S2SC-1725026    13252610746\n1.14 组织变更信息说明")
    record = assemble(Document("x.md", "md", tuple(Paragraph(t) for t in lines.split("\n"))))
    assert [(t.get("name"), t.get("role"), t.get("cert_no")) for t in record.team] == [
        ("王伟", "组长", "2019-S2SC-1951777"), ("段芳", "组员", "2021-S2SC-1725026")]


def _table_with_headers(headers: tuple[str, ...], roles: tuple[str, ...], extra=None) -> Document:
    rows = [_cells(*headers)]
    for i, c in enumerate(PART_A.clauses):
        w, p, s = _row_values(c, i)
        vals = {"content": f"{c.number} {c.text}", "weight": w, "pct": p, "score": s,
                "code": c.code or "", "extra": extra(i) if extra else ""}
        rows.append(_cells(*(vals[r] for r in roles)))
    return Document("x.md", "md", (Paragraph(f"1) {PART_A.title}:"), Table(tuple(rows))))


def test_unknown_pct_header_column_known_by_its_numbers():
    doc = _table_with_headers(("检查内容", "小类分值", "达成度", "分项实际得分"),
                              ("content", "weight", "pct", "score"))
    record = assemble(doc)
    assert [r.pct.text for r in record.rows] == [_row_values(c, i)[1]
                                                 for i, c in enumerate(PART_A.clauses)]
    assert not record.problems


def test_value_column_no_role_explains_makes_the_report_partial():
    doc = _table_with_headers(("检查内容", "小类分值", "分项得分%", "分项实际得分", "抽样数"),
                              ("content", "weight", "pct", "score", "extra"),
                              extra=lambda i: str(3 + i % 5))
    record = assemble(doc)
    assert any("'抽样数'" in p for p in record.problems)
    assert normalise(record).report["status"] == "partial"
