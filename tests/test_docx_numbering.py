"""Tests for Word automatic numbering (extract/docx_numbering.py and its hook in
extract/docx.py).

Every input is built in ``tmp_path`` with python-docx, its numbering part replaced by a
hand-written one (``w:abstractNum`` / ``w:num``), so that each case names the numbering
construct it covers. None of the numbers below is typed: they come from ``w:numPr``.
"""
from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import qn

from certreport import extract
from certreport.extract.docx import read_document
from certreport.extract.docx_numbering import FORMATS, Numbering, format_number
from certreport.extract.record import Paragraph, Table
from certreport.normalise import normalise
from certreport.schemas.catalogue import default_scheme

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W}" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"')


# ---------------------------------------------------------------- builders


def lvl(ilvl: int, text: str, fmt: str = "decimal", start: int | None = 1,
        suff: str | None = None, extra: str = "") -> str:
    """A ``w:lvl``; ``extra`` goes after numFmt (lvlRestart, pStyle, isLgl)."""
    st = f'<w:start w:val="{start}"/>' if start is not None else ""
    sf = f'<w:suff w:val="{suff}"/>' if suff else ""
    return (f'<w:lvl w:ilvl="{ilvl}">{st}<w:numFmt w:val="{fmt}"/>{extra}{sf}'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>')


def abstract(aid: int, *levels: str) -> str:
    return (f'<w:abstractNum w:abstractNumId="{aid}"><w:multiLevelType w:val="multilevel"/>'
            f'{"".join(levels)}</w:abstractNum>')


def num(nid: int, aid: int, **start_overrides: int) -> str:
    """A ``w:num``; ``l2=5`` restarts level 2 at 5."""
    over = "".join(f'<w:lvlOverride w:ilvl="{k[1:]}"><w:startOverride w:val="{v}"/>'
                   "</w:lvlOverride>" for k, v in start_overrides.items())
    return f'<w:num w:numId="{nid}"><w:abstractNumId w:val="{aid}"/>{over}</w:num>'


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def para(text: str = "", num_id: int | None = None, ilvl: int | None = None,
         style: str | None = None) -> str:
    """A paragraph, numbered when ``num_id``/``ilvl`` are given (either may be left to
    the style)."""
    numpr = ""
    if num_id is not None or ilvl is not None:
        numpr = ("<w:numPr>" + (f'<w:ilvl w:val="{ilvl}"/>' if ilvl is not None else "")
                 + (f'<w:numId w:val="{num_id}"/>' if num_id is not None else "")
                 + "</w:numPr>")
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    ppr = f"<w:pPr>{pstyle}{numpr}</w:pPr>" if pstyle or numpr else ""
    return f"<w:p>{ppr}{run(text) if text else ''}</w:p>"


def cell(*paras: str, props: str = "") -> str:
    pr = f"<w:tcPr>{props}</w:tcPr>" if props else ""
    return f"<w:tc>{pr}{''.join(paras) or '<w:p/>'}</w:tc>"


def row(*cells: str, header: bool = False) -> str:
    pr = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    return f"<w:tr>{pr}{''.join(cells)}</w:tr>"


def table(width: int, *rows: str) -> str:
    grid = "".join('<w:gridCol w:w="1500"/>' for _ in range(width))
    return f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def sdt(*inner: str) -> str:
    return f"<w:sdt><w:sdtPr/><w:sdtContent>{''.join(inner)}</w:sdtContent></w:sdt>"


def numbered_docx(path: Path, body_xml: str, numbering_xml: str, styles_xml: str = "") -> Path:
    """A .docx with ``body_xml`` as its body and ``numbering_xml`` (abstractNum and num
    elements) as the whole content of its numbering part; ``styles_xml`` adds styles."""
    d = docx.Document()
    body = d.element.body
    for el in list(body):
        if el.tag != qn("w:sectPr"):
            body.remove(el)
    for el in list(parse_xml(f"<w:body {NS}>{body_xml}</w:body>")):
        body.sectPr.addprevious(el)
    numbering = d.part.numbering_part.element
    for el in list(numbering):
        numbering.remove(el)
    for el in list(parse_xml(f"<w:numbering {NS}>{numbering_xml}</w:numbering>")):
        numbering.append(el)
    for el in list(parse_xml(f"<w:styles {NS}>{styles_xml}</w:styles>")):
        d.styles.element.append(el)
    d.save(str(path))
    return path


def paragraphs(doc) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def grid(doc) -> list[list[list[str]]]:
    return [[[c.text for c in r] for r in b.rows] for b in doc.blocks if isinstance(b, Table)]


# the 5.x.y.z outline of the score clauses: 序号 cells at level 2, content cells at level 3
OUTLINE = abstract(0,
                   lvl(0, "%1", start=5),
                   lvl(1, "%1.%2"),
                   lvl(2, "%1.%2.%3"),
                   lvl(3, "%1.%2.%3.%4"))


# ---------------------------------------------------------------- headings and tables


def test_multilevel_decimal_headings_number_5_1_1(tmp_path):
    body = "".join([
        para("售后服务体系", 1, 1),
        para("组织架构", 1, 2),
        para("服务网点", 1, 2),
        para("商品服务", 1, 1),
        para("配送", 1, 2),
        para("审查结果", 1, 0),  # level 0 counted as used at 5 by the 5.1 above
    ])
    doc = read_document(numbered_docx(tmp_path / "outline.docx", body, OUTLINE + num(1, 0)))
    assert paragraphs(doc) == ["5.1 售后服务体系", "5.1.1 组织架构", "5.1.2 服务网点",
                               "5.2 商品服务", "5.2.1 配送", "6 审查结果"]


def test_basic_information_headings_1_1_give_fields_without_their_number(tmp_path):
    numbering = abstract(0, lvl(0, "%1", suff="space"), lvl(1, "%1.%2")) + num(1, 0)
    body = "".join([
        para("基本信息", 1, 0),
        para("受审查方名称：新疆鹏森科技股份有限公司", 1, 1),
        para("项目编号：0029-2023-SE-2024", 1, 1),
    ])
    path = numbered_docx(tmp_path / "fields.docx", body, numbering)
    assert paragraphs(read_document(path)) == [
        "1 基本信息", "1.1 受审查方名称：新疆鹏森科技股份有限公司",
        "1.2 项目编号：0029-2023-SE-2024"]
    record = extract.read(path)
    assert record.field("org_name").value.text == "新疆鹏森科技股份有限公司"
    assert record.field("project_no").value.text == "0029-2023-SE-2024"


def test_score_table_clause_numbers_restart_per_subsection(tmp_path):
    merged, cont = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    body = table(
        4,
        row(cell(para("序号")), cell(para("标题")), cell(para("检查内容")), cell(para("小类分值")),
            header=True),
        row(cell(para("", 1, 2), props=merged), cell(para("组织架构(4+8分)"), props=merged),
            cell(para("建立组织架构", 1, 3)), cell(para("1"))),
        row(cell(para(""), props=cont), cell(para(""), props=cont),
            cell(para("服务网点覆盖商品销售区域", 1, 3)), cell(para("3"))),
        row(cell(para("", 1, 2)), cell(para("服务网点")),
            cell(para("服务网点标识", 1, 3)), cell(para("1"))),
        row(cell(para("")), cell(para("")), cell(para("网点设施", 1, 3)), cell(para("2"))),
    )
    doc = read_document(numbered_docx(tmp_path / "score.docx", body, OUTLINE + num(1, 0)))
    assert grid(doc) == [[
        ["序号", "标题", "检查内容", "小类分值"],
        ["5.1.1", "组织架构(4+8分)", "5.1.1.1 建立组织架构", "1"],
        ["", "", "5.1.1.2 服务网点覆盖商品销售区域", "3"],
        ["5.1.2", "服务网点", "5.1.2.1 服务网点标识", "1"],
        ["", "", "5.1.2.2 网点设施", "2"],
    ]]


def test_part_headings_numbered_1_and_chinese_counting(tmp_path):
    numbering = (abstract(0, lvl(0, "%1)")) + abstract(1, lvl(0, "%1、", "chineseCounting",
                                                              suff="nothing"))
                 + num(1, 0) + num(2, 1))
    body = "".join([
        para("售后服务体系:", 1, 0), para("本部分满分 73分, 实际得分 72.7 分"),
        para("商品服务:", 1, 0), para("本部分满分 39分, 实际得分 34 分"),
        para("售后服务体系（满分73分，实得72.7分）", 2, 0),
        para("商品服务（满分39分，实得34分）", 2, 0),
        para("顾客服务（满分38分，实得36分）", 2, 0),
    ])
    path = numbered_docx(tmp_path / "parts.docx", body, numbering)
    assert paragraphs(read_document(path)) == [
        "1) 售后服务体系:", "本部分满分 73分, 实际得分 72.7 分",
        "2) 商品服务:", "本部分满分 39分, 实际得分 34 分",
        "一、售后服务体系（满分73分，实得72.7分）", "二、商品服务（满分39分，实得34分）",
        "三、顾客服务（满分38分，实得36分）"]
    parts = extract.read(path).parts
    assert [(p.title.text, p.stated_max.text, p.stated_score.text) for p in parts] == [
        ("售后服务体系", "73", "72.7"), ("商品服务", "39", "34"),
        ("售后服务体系", "73", "72.7"), ("商品服务", "39", "34"), ("顾客服务", "38", "36")]


def test_lettered_list_inside_a_cell_and_restarted_in_the_next(tmp_path):
    numbering = (abstract(0, lvl(0, "%1)", "lowerLetter", suff="space"))
                 + num(1, 0) + num(2, 0, l0=1))
    content = cell(para("5.3.1.2 顾客投诉处理："), para("投诉渠道", 1, 0), para("处理时限", 1, 0))
    again = cell(para("5.3.1.3 回访："), para("回访记录", 2, 0), para("回访率", 2, 0))
    later = cell(para("满意度调查", 1, 0))
    doc = read_document(numbered_docx(tmp_path / "letters.docx",
                                      table(1, row(content), row(again), row(later)), numbering))
    assert grid(doc) == [[
        ["5.3.1.2 顾客投诉处理：\na) 投诉渠道\nb) 处理时限"],
        ["5.3.1.3 回访：\na) 回访记录\nb) 回访率"],
        ["c) 满意度调查"],  # numId 1 goes on from the restarted list
    ]]


def test_numbering_through_paragraph_styles(tmp_path):
    styles = (
        '<w:style w:type="paragraph" w:styleId="ClauseNo"><w:name w:val="Clause No"/>'
        '<w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:ilvl w:val="3"/><w:numId w:val="1"/>'
        "</w:numPr></w:pPr></w:style>"
        '<w:style w:type="paragraph" w:styleId="ClauseNoChild"><w:name w:val="Clause No Child"/>'
        '<w:basedOn w:val="ClauseNo"/></w:style>'
        '<w:style w:type="paragraph" w:styleId="SubNo"><w:name w:val="Sub No"/>'
        '<w:pPr><w:numPr><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        # numId only: level 0
        '<w:style w:type="paragraph" w:styleId="TopNo"><w:name w:val="Top No"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>')
    numbering = abstract(0, lvl(0, "%1", start=5), lvl(1, "%1.%2"),
                         lvl(2, "%1.%2.%3", extra='<w:pStyle w:val="SubNo"/>'),  # as Word links it
                         lvl(3, "%1.%2.%3.%4")) + num(1, 0)
    body = "".join([
        para("组织架构", style="SubNo"),
        para("建立组织架构", style="ClauseNo"),
        para("服务网点", style="ClauseNoChild"),
        para("服务网点标识", 1, 2, style="ClauseNo"),  # own numPr over the style's
        para("不编号", style="ClauseNo", num_id=0),     # numId 0 takes the number away
        para("也不编号", style="ClauseNo", ilvl=1),     # an own numPr without numId too
        para("网点设施", style="ClauseNo"),
        para("结果", style="TopNo"),
    ])
    doc = read_document(numbered_docx(tmp_path / "styles.docx", body, numbering, styles))
    assert paragraphs(doc) == ["5.1.1 组织架构", "5.1.1.1 建立组织架构", "5.1.1.2 服务网点",
                               "5.1.2 服务网点标识", "不编号", "也不编号",
                               "5.1.2.1 网点设施", "6 结果"]


def test_start_override_restarts_and_shared_abstract_continues(tmp_path):
    numbering = (abstract(0, lvl(0, "%1."), lvl(1, "%1.%2"))
                 + num(1, 0) + num(2, 0) + num(3, 0, l0=7))
    body = "".join([
        para("甲", 1, 0), para("乙", 1, 1),
        para("丙", 2, 0),   # another num of the same abstract: the same list goes on
        para("丁", 3, 0),   # startOverride: the list restarts at 7 ...
        para("戊", 3, 1),
        para("己", 1, 0),   # ... and goes on from there, whichever num numbers it
        para("庚", 3, 0),   # an override restarts once, the first time its num is used
    ])
    doc = read_document(numbered_docx(tmp_path / "override.docx", body, numbering))
    assert paragraphs(doc) == ["1. 甲", "1.1 乙", "2. 丙", "7. 丁", "7.1 戊", "8. 己", "9. 庚"]


def test_bullets_give_no_text(tmp_path):
    numbering = abstract(0, '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
                            '<w:lvlText w:val="\uf0b7"/><w:rPr><w:rFonts w:ascii="Symbol"/>'
                            "</w:rPr></w:lvl>") + num(1, 0)
    doc = read_document(numbered_docx(tmp_path / "bullets.docx",
                                      para("现场审核", 1, 0) + para("远程审核", 1, 0), numbering))
    assert paragraphs(doc) == ["现场审核", "远程审核"]
    lists = Numbering(parse_xml(f"<w:numbering {NS}>{numbering}</w:numbering>"))
    label = lists.label(parse_xml(f"<w:pPr {NS}><w:numPr><w:ilvl w:val='0'/>"
                                  "<w:numId w:val='1'/></w:numPr></w:pPr>"))
    assert label is not None and label.text == "" and label.bullet == "\uf0b7"
    assert label.prefix() == ""


def test_numbering_counts_across_body_cells_and_content_controls(tmp_path):
    numbering = abstract(0, lvl(0, "%1.", suff="space")) + num(1, 0)
    body = "".join([
        para("正文", 1, 0),
        table(2, row(cell(para("单元格", 1, 0)), cell(sdt(para("单元格内控件", 1, 0))))),
        sdt(para("控件", 1, 0)),
        para("正文", 1, 0),
    ])
    doc = read_document(numbered_docx(tmp_path / "order.docx", body, numbering))
    assert paragraphs(doc) == ["1. 正文", "4. 控件", "5. 正文"]
    assert grid(doc) == [[["2. 单元格", "3. 单元格内控件"]]]


def test_level_restart_suffixes_legal_numbering_and_empty_paragraphs(tmp_path):
    numbering = (abstract(0, lvl(0, "第%1章", "chineseCounting", suff="space"),
                          lvl(1, "%1.%2", extra='<w:isLgl/>', suff="nothing"),
                          lvl(2, "(%3)", extra='<w:lvlRestart w:val="0"/>'))
                 + num(1, 0))
    body = "".join([
        para("总则", 1, 0), para("范围", 1, 1), para("甲", 1, 2),
        para("", 1, 1),     # an empty numbered paragraph still shows its number
        para("结果", 1, 0), para("得分", 1, 1), para("乙", 1, 2),  # level 2 never restarts
    ])
    doc = read_document(numbered_docx(tmp_path / "legal.docx", body, numbering))
    assert paragraphs(doc) == ["第一章 总则", "1.1范围", "(1) 甲", "1.2",
                               "第二章 结果", "2.1得分", "(2) 乙"]


def test_single_level_lists_and_legal_numbering_keeps_decimal_zero(tmp_path):
    single = ('<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="singleLevel"/>'
              + lvl(0, "（%1）", suff="nothing") + lvl(1, "%2.") + "</w:abstractNum>")
    numbering = (abstract(0, lvl(0, "%1", "decimalZero", suff="space"),
                          lvl(1, "%1.%2", "upperLetter", extra="<w:isLgl/>", suff="space"))
                 + single + num(1, 0) + num(2, 1))
    body = para("甲", 1, 0) + para("乙", 1, 1) + para("丙", 2, 0) + para("丁", 2, 1)
    doc = read_document(numbered_docx(tmp_path / "single.docx", body, numbering))
    assert paragraphs(doc) == ["01 甲", "01.1 乙", "（1）丙", "（2）丁"]


def test_level_text_naming_a_deeper_level_is_dropped_and_unknown_format_reported(tmp_path):
    numbering = (abstract(0, lvl(0, "%2."), lvl(1, "%1.%2")) + abstract(1, lvl(0, "%1.",
                                                                                "cardinalText"))
                 + num(1, 0) + num(2, 1))
    body = para("甲", 1, 0) + para("乙", 1, 1) + para("丙", 2, 0)
    doc = read_document(numbered_docx(tmp_path / "odd.docx", body, numbering))
    assert paragraphs(doc) == ["甲", "1.1 乙", "1. 丙"]
    assert any("'cardinalText' not supported" in p for p in doc.problems)


def test_no_numbering_part_and_undefined_lists_leave_text_alone(tmp_path):
    path = numbered_docx(tmp_path / "undefined.docx", para("甲", 9, 0) + para("乙"), "")
    assert paragraphs(read_document(path)) == ["甲", "乙"]
    assert Numbering(None).label(None) is None


@pytest.mark.parametrize("fmt, value, text", [
    ("decimal", 12, "12"),
    ("decimalZero", 3, "03"),
    ("decimalZero", 12, "12"),
    ("upperRoman", 14, "XIV"),
    ("lowerRoman", 9, "ix"),
    ("upperLetter", 3, "C"),
    ("lowerLetter", 28, "bb"),
    ("chineseCounting", 1, "一"),
    ("chineseCounting", 10, "十"),
    ("chineseCounting", 11, "十一"),
    ("chineseCounting", 20, "二十"),
    ("chineseCountingThousand", 101, "一百零一"),
    ("chineseCountingThousand", 110, "一百一十"),
    ("chineseCountingThousand", 10500, "一万零五百"),
    ("chineseLegalSimplified", 12, "壹拾贰"),
    ("ideographTraditional", 2, "乙"),
    ("ideographTraditional", 11, "甲"),
    ("ideographZodiac", 1, "子"),
    ("ideographDigital", 105, "一〇五"),
    ("decimalEnclosedCircle", 1, "①"),
    ("decimalEnclosedCircle", 20, "⑳"),
    ("decimalEnclosedCircleChinese", 3, "③"),
    ("decimalEnclosedParen", 2, "⑵"),
    ("decimalEnclosedFullstop", 2, "⒉"),
    ("decimalFullWidth", 15, "１５"),
    ("ordinal", 2, "2nd"),
    ("bullet", 1, ""),
    ("none", 1, ""),
    ("cardinalText", 1, None),
])
def test_number_formats(fmt, value, text):
    assert format_number(value, fmt) == text
    assert text is None or fmt in FORMATS or fmt in ("bullet", "none")


# ---------------------------------------------------------------- end to end


def _score_table(subsections, num_id: int) -> str:
    """A score table without a code column: the 序号 cells numbered at level 2, the
    content cells at level 3, every clause scored 100%."""
    merged, cont = '<w:vMerge w:val="restart"/>', "<w:vMerge/>"
    rows = [row(*(cell(para(h)) for h in ("序号", "标题", "检查内容", "小类分值",
                                         "分项得分%", "分项实际得分")), header=True)]
    for sub in subsections:
        for k, clause in enumerate(sub.clauses):
            first = k == 0
            rows.append(row(
                cell(para("", num_id, 2) if first else para(""), props=merged if first else cont),
                cell(para(f"{sub.title}({sub.base:g}+{sub.extension:g}分)" if first else ""),
                     props=merged if first else cont),
                cell(para(clause.text, num_id, 3)),
                cell(para(f"{clause.weight:g}")),
                cell(para("100%")),
                cell(para(f"{clause.weight:g}"))))
    return table(6, *rows)


def test_report_numbered_automatically_matches_clauses_by_number(tmp_path):
    scheme = default_scheme()
    part_a, part_b = scheme.parts[0], scheme.parts[1]
    subs_a, subs_b = part_a.subsections[:2], part_b.subsections[:1]
    score_a = sum(c.weight for s in subs_a for c in s.clauses)
    score_b = sum(c.weight for s in subs_b for c in s.clauses)
    outline_b = abstract(3, lvl(0, "%1", start=5), lvl(1, "%1.%2", start=2),
                         lvl(2, "%1.%2.%3"), lvl(3, "%1.%2.%3.%4"))
    numbering = (OUTLINE + abstract(1, lvl(0, "%1)"))
                 + abstract(2, lvl(0, "%1", suff="space"), lvl(1, "%1.%2")) + outline_b
                 + num(1, 0)           # part A: 5.1.x.y
                 + num(2, 3)           # part B: 5.2.x.y, a list of its own
                 + num(3, 1) + num(4, 2))
    body = "".join([
        para("服务认证审查报告"),
        para("依据 商品售后服务成熟度（CTS ISC-JSGF-06《商品售后服务成熟度认证技术规范》）"),
        para("基本信息", 4, 0),
        para("受审查方名称：新疆鹏森科技股份有限公司", 4, 1),
        para("项目编号：0029-2023-SE-2024", 4, 1),
        para("结果", 4, 0),
        para(f"{part_a.title}:", 3, 0),
        para(f"本部分满分 {part_a.max:g}分, 实际得分 {score_a:g} 分"),
        _score_table(subs_a, 1),
        para(f"{part_b.title}:", 3, 0),
        para(f"本部分满分 {part_b.max:g}分, 实际得分 {score_b:g} 分"),
        _score_table(subs_b, 2),
    ])
    path = numbered_docx(tmp_path / "auto_numbered_report.docx", body, numbering)

    record = extract.read(path)
    assert [p.title.text for p in record.parts] == [part_a.title, part_b.title]
    assert [h.number.text for h in record.subsections] == [s.number for s in (*subs_a, *subs_b)]
    result = normalise(record)
    expected = [c.number for s in (*subs_a, *subs_b) for c in s.clauses]
    assert [c["clause_no"] for c in result.clauses] == expected
    assert {c["match_method"] for c in result.clauses} == {"number"}
    assert [c["code"] for c in result.clauses] == [
        scheme.clause_by_number(n).code for n in expected]
    assert [c["section"] for c in result.clauses] == (
        ["A"] * sum(len(s.clauses) for s in subs_a) + ["B"] * len(subs_b[0].clauses))
    assert result.report["org_name"] == "新疆鹏森科技股份有限公司"
    assert not [f for f in result.findings if f.check == "clause_match"]


def test_custom_zero_padded_format_from_alternate_content():
    level = ('<w:lvl w:ilvl="0"><w:start w:val="1"/><mc:AlternateContent>'
             '<mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="001, 002, 003, ..."/>'
             '</mc:Choice><mc:Fallback><w:numFmt w:val="decimal"/></mc:Fallback>'
             '</mc:AlternateContent><w:lvlText w:val="%1"/></w:lvl>')
    lists = Numbering(parse_xml(f"<w:numbering {NS}>{abstract(0, level)}{num(1, 0)}</w:numbering>"))
    ppr = parse_xml(f"<w:pPr {NS}><w:numPr><w:ilvl w:val='0'/><w:numId w:val='1'/>"
                    "</w:numPr></w:pPr>")
    assert [lists.label(ppr).text for _ in range(2)] == ["001", "002"]
