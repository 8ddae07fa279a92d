"""The fixture generator: truth records are consistent and deterministic, injected errors
break exactly their check, and the rendered .docx holds what the templates promise (merged
序号/标题 cells, repeated header rows, each check-box style's XML, running header/footer)."""
from __future__ import annotations

import json
import re
import zipfile
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from synth import CHECKBOX_STYLES, TEMPLATES, generate, plan
from synth.damage import Damager
from synth.docx_render import render_docx
from synth.templates import Template
from synth.truth import CHECKS, FIGURE_TARGETS, make_truth, scheme_by_id

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples"
CTS = "CTS ISC-JSGF-06"
GBT = "GB/T 27922-2011"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
HALF_UNIT = Decimal("0.05")


def D(v) -> Decimal:
    return Decimal(str(v))


# --- an independent recomputation, as the checks do it ----------------------------------------


def findings(truth: dict) -> set[tuple[str, str]]:
    """(check, target) of every stated value that differs by more than half a unit of the
    last decimal from its recomputation (item = weight × %; part = sum of weight × %, or
    of the items as written where they agree; the final score = the scheme's rule over
    the parts (GB/T 27922: parts / applicable points × 100, one decimal) − special
    deductions (count × 1) + additions), each stated intermediate figure, and level = the
    scheme's level of the stated total (none at 5+ points of deductions)."""
    scheme = scheme_by_id(truth["scheme"])
    sc = truth["scoring"]
    out = set()
    exact_total = written_total = Decimal(0)
    applicable = Decimal(0)
    for sec in truth["sections"]:
        exact = written = Decimal(0)
        for c in truth["clauses"]:
            if c["section"] != sec["section"]:
                continue
            if not c["not_applicable"]:
                applicable += D(c["weight"])
            computed = Decimal(0) if c["not_applicable"] else D(c["weight"]) * D(c["score_pct"]) / 100
            exact += computed
            if abs(D(c["stated_score"]) - computed) > HALF_UNIT:
                out.add(("item_score", c["code"] or c["clause_no"]))
                written += computed
            else:
                written += D(c["stated_score"])
        exact_total += exact
        if min(abs(D(sec["stated_score"]) - exact), abs(D(sec["stated_score"]) - written)) > HALF_UNIT:
            out.add(("section_score", sec["section"]))
            written_total += written
        else:
            written_total += D(sec["stated_score"])
    normalises = scheme.scoring.rule == "normalised"

    def rule(raw: Decimal) -> Decimal:
        return (raw * 100 / applicable).quantize(Decimal("0.1"), "ROUND_HALF_UP") if normalises else raw

    deduction, addition = D(sc["deductions"]), D(sc["additions"])
    if sc["deductions"] and D(sc["stated_deduction_points"]) != deduction:
        out.add(("special_items", "special_deduction"))
    rep = truth["report"]
    if min(abs(D(rep["stated_total"]) - (rule(r) - deduction + addition))
           for r in (exact_total, written_total)) > HALF_UNIT:
        out.add(("total", "total"))
    if sc["states_raw"] and min(abs(D(sc["stated_raw"]) - r)
                                for r in (exact_total, written_total)) > HALF_UNIT:
        out.add(("raw_total", "raw_total"))
    if sc["states_applicable"] and D(sc["stated_applicable"]) != applicable:
        out.add(("applicable_max", "applicable_max"))
    if sc["states_normalised"] and D(sc["stated_normalised"]) != (
            D(sc["raw"]) * 100 / D(sc["applicable"])).quantize(Decimal("0.1"), "ROUND_HALF_UP"):
        out.add(("normalised_score", "normalised"))
    right = None if deduction >= 5 else scheme.level_for(rep["stated_total"])
    if rep["stated_level"] != right:
        out.add(("level", "total"))
    scope_level = re.search(r"（([^（）]*级)）$", rep["scope"])
    if (scope_level.group(1) if scope_level else None) != rep["stated_level"]:
        out.add(("scope_level", "total"))
    return out


# --- truth records ----------------------------------------------------------------------------


@pytest.mark.parametrize("scheme_id", [CTS, GBT])
def test_clean_truths_are_consistent(scheme_id):
    scheme = scheme_by_id(scheme_id)
    levels = set()
    for seed in range(40):
        t = make_truth(seed, "classic", scheme_id)
        rep = t["report"]
        assert t["injected"] == [] and findings(t) == set(), seed
        assert [c["clause_no"] for c in t["clauses"]] == [c.number for c in scheme.clauses]
        for c, cat in zip(t["clauses"], scheme.clauses):
            assert (c["code"], c["weight"], c["section"], c["subsection_no"]) == \
                (cat.code, cat.weight, cat.section, cat.subsection)
            if c["not_applicable"]:
                assert c["score_pct"] is None and c["stated_score"] == 0
            else:
                assert c["score_pct"] in (0, 50, 70, 80, 90, 100)
                assert D(c["stated_score"]) == (D(c["weight"]) * D(c["score_pct"]) / 100).quantize(
                    Decimal("0.1"), rounding="ROUND_HALF_UP")
        assert sum(c["not_applicable"] for c in t["clauses"]) <= 4
        for sec, part in zip(t["sections"], scheme.parts):
            assert (sec["section"], sec["title"], sec["stated_max"]) == (part.section, part.title, part.max)
            assert D(sec["stated_score"]) == sum(D(c["stated_score"]) for c in t["clauses"]
                                                 if c["section"] == part.section)
        raw = sum(D(s["stated_score"]) for s in t["sections"])
        sc = t["scoring"]
        if scheme_id == GBT:  # 实际得分 / 涉及项总分值 × 100, one decimal
            applicable = sum(D(c["weight"]) for c in t["clauses"] if not c["not_applicable"])
            raw = (raw * 100 / applicable).quantize(Decimal("0.1"), "ROUND_HALF_UP")
        assert D(rep["stated_total"]) == raw - sc["deductions"] + sc["additions"]
        assert rep["stated_level"] == (None if sc["deductions"] >= 5
                                       else scheme.level_for(rep["stated_total"]))
        levels.add(rep["stated_level"])
        assert rep["spec"] == scheme_id
        assert rep["audit_type"] in ("初次认证", "保持认证", "再认证")
        assert rep["audit_method"] in ("现场审核", "远程审核", "现场结合远程审核")
        assert re.fullmatch(r"\d{4}-20\d\d-SE-20\d\d", rep["project_no"])
        assert re.fullmatch(r"1\d{10}", rep["contact_phone"])
        assert re.search(r"(?:认证有限公司|认证中心)$", rep["cert_body"])
        span = (_date(rep["audit_end"]) - _date(rep["audit_start"])).days
        assert 0 <= span <= 2 and 1.0 <= rep["audit_days"] <= span + 1
        assert rep["audit_days"] * 2 == int(rep["audit_days"] * 2)
        assert rep["compiled_date"] == rep["audit_end"]
        assert 1 <= len(t["team"]) <= 3
        assert [m["role"] for m in t["team"]] == ["组长"] + ["组员"] * (len(t["team"]) - 1)
        assert rep["team_leader"] == t["team"][0]["name"]
        for m in t["team"]:
            assert re.fullmatch(r"ISC-\d{6}", m["member_code"])
            assert re.fullmatch(r"20\d\d-S2SC-1\d{6}", m["cert_no"])
            assert m["cert_no"].endswith(m["member_code"][4:])
            assert re.fullmatch(r"\d\d\.\d\d", m["specialty_code"])
            assert re.fullmatch(r"1\d{10}", m["phone"])
        if rep["stated_level"]:
            assert rep["scope"].endswith(f"（{rep['stated_level']}）")
            assert rep["conclusion"].startswith("推荐")
        else:
            assert rep["conclusion"].startswith("不推荐")
    assert len(levels) >= 3  # totals vary


def _date(iso: str) -> date:
    return date.fromisoformat(iso)


def test_totals_are_realistic():
    totals = [make_truth(s, "classic")["report"] for s in range(200)]
    with_level = sum(1 for r in totals if r["stated_level"])
    assert 0.75 * len(totals) <= with_level < len(totals)  # mostly a level, sometimes none
    full = [sum(1 for c in make_truth(s, "classic")["clauses"] if c["score_pct"] == 100)
            for s in range(20)]
    assert sorted(full)[10] > 60  # mostly 100 %


def test_truth_is_deterministic_from_the_seed():
    assert make_truth(7, "modern") == make_truth(7, "modern")
    assert make_truth(7, "modern", errors=2) == make_truth(7, "modern", errors=2)
    assert make_truth(7, "modern")["report"] != make_truth(8, "modern")["report"]
    # the same seed with and without errors is the same report apart from the errors
    clean, broken = make_truth(3, "classic"), make_truth(3, "classic", errors=1)
    assert clean["report"]["org_name"] == broken["report"]["org_name"]
    assert clean["team"] == broken["team"]


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("scheme_id", [CTS, GBT])
def test_each_injected_error_breaks_exactly_its_check(check, scheme_id):
    if check in ("applicable_max", "normalised_score") and scheme_id == CTS:
        with pytest.raises(ValueError, match="does not state"):
            make_truth(0, "classic", scheme_id, errors=1, checks=[check])
        return
    for seed in range(12):
        t = make_truth(seed, "classic", scheme_id, errors=1, checks=[check])
        (inj,) = t["injected"]
        assert inj["check"] == check
        assert findings(t) == {(check, inj["target"])}, (seed, t["injected"])
        assert set(inj) >= {"check", "target", "stated", "expected"}
        if check == "item_score":
            assert re.fullmatch(r"[ABC]\d+", inj["target"])
        elif check == "section_score":
            assert inj["target"] in "ABC"
        elif check in FIGURE_TARGETS:
            assert inj["target"] == FIGURE_TARGETS[check]
        else:
            assert inj["target"] == "total"


def test_random_errors_never_interact():
    for seed in range(60):
        k = 1 + seed % 4
        t = make_truth(seed, "modern", CTS if seed % 3 else GBT, errors=k)
        got = {(i["check"], i["target"]) for i in t["injected"]}
        assert len(t["injected"]) == k == len(got)
        assert findings(t) == got
        kinds = [i["check"] for i in t["injected"]]
        assert not ("total" in kinds and "level" in kinds)
        item_parts = {scheme_by_id(t["scheme"]).clause_by_code(i["target"]).section
                      for i in t["injected"] if i["check"] == "item_score"}
        assert not item_parts & {i["target"] for i in t["injected"] if i["check"] == "section_score"}
    with pytest.raises(ValueError):
        make_truth(1, "classic", errors=5)
    with pytest.raises(ValueError):
        make_truth(1, "classic", errors=2, checks=["total", "level"])


# --- rendering ----------------------------------------------------------------------------------

# each style at least once, every template at least once
STYLE_CASES = [("unicode", "classic"), ("square", "modern"), ("tick", "ledger"),
               ("wingdings_sym", "modern"), ("wingdings_text", "ledger"),
               ("content_control", "classic"), ("square", "nocode"), ("tick", "damaged"),
               ("wingdings_text", "reordered"), ("content_control", "gbt")]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """(style, template) -> (truth, path) for STYLE_CASES."""
    out = tmp_path_factory.mktemp("synth")
    cache = {}
    for i, (style, name) in enumerate(STYLE_CASES):
        truth = make_truth(11 + i, name, CTS if i != 2 else GBT)
        path = out / f"{name}_{style}.docx"
        render_docx(truth, path, replace(TEMPLATES[name], checkbox=style))
        cache[(style, name)] = (truth, path)
    return cache


def test_styles_and_templates_are_covered():
    assert {s for s, _ in STYLE_CASES} == set(CHECKBOX_STYLES)
    assert {"classic", "modern"} <= {t for _, t in STYLE_CASES} == set(TEMPLATES)


def _marked(p) -> str:
    """The paragraph's text with every check-box style as ☑/☐ (for this test only)."""
    out = []

    def run(r):
        rfonts = r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        symbol = rfonts is not None and rfonts.get(qn("w:ascii")) == "Wingdings"
        for el in r:
            if el.tag == qn("w:sym"):
                assert el.get(qn("w:font")) == "Wingdings"
                out.append({"F0FE": "☑", "F0A8": "☐"}[el.get(qn("w:char"))])
            elif el.tag == qn("w:t"):
                for ch in el.text or "":
                    if symbol:
                        out.append({"\uf0fe": "☑", "\uf0a8": "☐"}[ch])
                    else:
                        out.append({"■": "☑", "□": "☐", "√": "☑"}.get(ch, ch))

    for child in p:
        if child.tag == qn("w:r"):
            run(child)
        elif child.tag == qn("w:sdt"):
            box = child.find(f"{qn('w:sdtPr')}/{{{W14}}}checkbox")
            assert box is not None
            state = box.find(f"{{{W14}}}checked").get(f"{{{W14}}}val")
            shown = "".join(t.text for t in child.iter(qn("w:t")))
            assert shown == ("☒" if state == "1" else "☐")
            out.append("☑" if state == "1" else "☐")
    return "".join(out)


def _paragraph(doc, start: str):
    return next(p for p in doc.paragraphs if p.text.startswith(start) or
                _marked(p._p).startswith(start))


@pytest.mark.parametrize("style,name", STYLE_CASES)
def test_checkbox_styles(rendered, style, name):
    truth, path = rendered[(style, name)]
    doc = docx.Document(str(path))
    rep = truth["report"]
    p = _paragraph(doc, "审查类型")
    text = _marked(p._p)
    for option in ("初次认证", "保持认证", "再认证"):
        before = text[text.index(option) - 1]
        if option == rep["audit_type"]:
            assert before == "☑", (style, text)
        elif style == "tick":
            assert before not in "☑☐", text  # nothing before the others
        else:
            assert before == "☐", (style, text)
    xml = p._p.xml
    if style == "unicode":
        assert "☑" + rep["audit_type"] in p.text and p.text.count("☐") == 2
    elif style == "square":
        assert "■" + rep["audit_type"] in p.text and p.text.count("□") == 2
    elif style == "tick":
        assert "√" + rep["audit_type"] in p.text and p.text.count("√") == 1
        assert not set("☐□☑■") & set(p.text)
    elif style == "wingdings_sym":
        assert xml.count('w:sym w:font="Wingdings" w:char="F0FE"') == 1
        assert xml.count('w:char="F0A8"') == 2
    elif style == "wingdings_text":
        runs = [r for r in p.runs if r._r.rPr is not None and r._r.rPr.rFonts is not None
                and r._r.rPr.rFonts.get(qn("w:ascii")) == "Wingdings"]
        assert sorted(r.text for r in runs) == ["\uf0a8", "\uf0a8", "\uf0fe"]
    elif style == "content_control":
        assert len(re.findall(r"<w:sdt[ >]", xml)) == 3 and xml.count("<w14:checkbox") == 3
        assert xml.count('w14:checked w14:val="1"') == 1
        assert xml.count('w14:checked w14:val="0"') == 2
    # the audit method and the conclusion are marked the same way
    method = _marked(_paragraph_with(doc, "现场结合远程审核")._p)
    assert "☑" + rep["audit_method"] in method and method.count("☑") == 1
    line = "推荐保持认证注册资格" if rep["stated_level"] else "不推荐保持认证注册资格"
    conclusion = _marked(_paragraph_with(doc, line)._p)
    assert "☑" + rep["conclusion"] in conclusion and conclusion.count("☑") == 1


def _paragraph_with(doc, needle: str):
    """The first paragraph holding ``needle`` as a whole check-box option."""
    return next(p for p in doc.paragraphs
                if re.search(r"(?:^|[☑☐\s\u3000])" + needle, _marked(p._p)))


@pytest.mark.parametrize("style,name", STYLE_CASES)
def test_document_structure(rendered, style, name):
    truth, path = rendered[(style, name)]
    template = TEMPLATES[name]
    scheme = scheme_by_id(truth["scheme"])
    rep = truth["report"]
    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    # labelled values, one paragraph each
    for line in (f"组织名称：{rep['org_name']}", f"1.1 受审查方名称：{rep['org_name']}",
                 f"1.2 项目编号：{rep['project_no']}", f"报告编制人：{rep['author']}"):
        assert line in texts
    assert texts[texts.index("1.3 工商注册地址：") + 1] == rep["registered_address"]
    assert texts[texts.index("1.4 审查地址：") + 1] == rep["audit_address"]
    assert texts[texts.index("1.9 审查范围：") + 1] == rep["scope"]
    assert any(t.startswith("评价组推荐的认证范围和星级") for t in texts)
    assert rep["scope"] in texts[texts.index(next(t for t in texts
                                                   if t.startswith("评价组推荐的认证范围和星级"))) + 1]
    contact = next(t for t in texts if t.startswith("联系人："))
    assert rep["contact_name"] in contact and f"电话：{rep['contact_phone']}" in contact
    assert any(scheme.id in t for t in texts if t.startswith(("依据", "1) ")))
    d = _date(rep["audit_start"])
    start = template.date_format.format(y=d.year, m=d.month, d=d.day)
    dates = next(t for t in texts if t.startswith("本次审查时间："))
    assert start in dates and f"{rep['audit_days']:.1f}" in dates
    e = _date(rep["compiled_date"])
    assert f"编制日期：{template.date_format.format(y=e.year, m=e.month, d=e.day)}" in texts
    assert sum(1 for t in texts if t.startswith(template.total_format.split("{")[0])) == 1

    # running header and footer name the body
    section = doc.sections[0]
    assert rep["cert_body"] in section.header.paragraphs[0].text
    assert rep["cert_body"] in section.footer.paragraphs[0].text

    # CJK font for later PDF rendering
    normal = doc.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "SimSun"

    # tables: the team table and one score table per part (and a table of the special items
    # where the truth writes them so), each with a repeating header row
    tables = doc.tables
    sc = truth["scoring"]
    special_table = sc["form"] == "table" and bool(sc["deductions"] or sc["additions"])
    assert len(tables) == 1 + len(scheme.parts) + special_table
    if special_table:
        assert [c.text for c in tables[-1].rows[0].cells] == ["类别", "项数", "分值", "原因说明"]
        tables = tables[:-1]
    for table in tables:
        trpr = table.rows[0]._tr.trPr
        assert trpr is not None and trpr.find(qn("w:tblHeader")) is not None
        if template.table_borders == "grid":
            assert table.style.name == "Table Grid"
        else:
            borders = table._tbl.tblPr.find(qn("w:tblBorders"))
            assert borders.find(qn("w:insideV")).get(qn("w:val")) == "nil"
            assert borders.find(qn("w:insideH")).get(qn("w:val")) == "single"
    team = tables[0]
    assert [c.text for c in team.rows[0].cells] == [h for _, h in template.team_columns]
    assert len(team.rows) == 1 + len(truth["team"]) + template.team_empty_rows
    roles = [r for r, _ in template.team_columns]
    for row, member in zip(team.rows[1:], truth["team"]):
        assert [c.text for c in row.cells] == [member[r] for r in roles]
    for row in team.rows[1 + len(truth["team"]):]:
        assert all(c.text == "" for c in row.cells)

    _check_score_tables(tables[1:], truth, template, scheme)


def _check_score_tables(tables, truth, template: Template, scheme) -> None:
    roles = [r for r, _ in template.score_columns]
    col = {r: i for i, r in enumerate(roles)}
    by_no = {c["clause_no"]: c for c in truth["clauses"]}
    for table, part in zip(tables, scheme.parts):
        assert [c.text for c in table.rows[0].cells] == [h for _, h in template.score_columns]
        rows = table.rows[1:]
        assert len(rows) == len(part.clauses)
        i = 0
        for sub in part.subsections:
            n = len(sub.clauses)
            damager = Damager(template.damage, truth["seed"]) if template.damage else None
            for role in ("number", "heading"):
                tcs = [r._tr.tc_lst[col[role]] for r in rows[i:i + n]]
                vm = [tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None for tc in tcs]
                if n > 1:
                    assert vm[0] is not None and vm[0].get(qn("w:val")) == "restart"
                    assert all(v is not None and v.get(qn("w:val")) in (None, "continue")
                               for v in vm[1:])
                else:
                    assert vm[0] is None
            assert table.cell(i + 1, col["number"]).text == (
                damager.subsection_number(sub.number) if damager else sub.number)
            heading = table.cell(i + 1, col["heading"]).text
            assert heading.startswith(sub.title)
            if any(s.extension for p in scheme.parts for s in p.subsections):
                assert re.search(r"(?:\d+\+\d+|\+\d+)分", heading)
                if sub.base:
                    assert f"{sub.base:g}+{sub.extension:g}分" in heading
                else:
                    assert f"+{sub.extension:g}分" in heading
            else:  # GB/T 27922-2011: base points only
                assert heading.endswith(f"{sub.base:g}分)") or heading.endswith(f"{sub.base:g}分）")
            for clause, row in zip(sub.clauses, rows[i:i + n]):
                cells = row.cells
                content = cells[col["content"]]
                if damager:
                    assert content.text == damager.content(clause.number, clause.text)
                else:
                    assert content.text.startswith(f"{clause.number} ")
                assert len(content.paragraphs) == clause.text.count("\n") + 1
                truth_row = by_no[clause.number]
                pct = cells[col["pct"]].text
                if truth_row["not_applicable"]:
                    assert pct == template.not_applicable
                elif template.percent_style == "percent":
                    assert pct == f"{truth_row['score_pct']:g}%"
                elif template.percent_style == "coefficient":
                    assert pct == f"{truth_row['score_pct'] / 100:.2f}"
                else:
                    assert pct == f"{truth_row['score_pct']:g}"
                score = cells[col["score"]].text
                assert float(score) == truth_row["stated_score"]
                if template.score_style == "fixed1":
                    assert re.fullmatch(r"\d+\.\d", score)
                if "code" in col:
                    assert cells[col["code"]].text == (
                        damager.code(clause.code) if damager else (clause.code or ""))
                assert float(cells[col["weight"]].text) == clause.weight
            i += n


def test_template_notations():
    classic, modern = TEMPLATES["classic"], TEMPLATES["modern"]
    assert [h for _, h in classic.score_columns] == ["序号", "标题", "检查内容", "小类分值", "代码(维度)",
                                                     "分项得分%", "分项实际得分"]
    assert [h for _, h in modern.score_columns] == ["代码", "序号", "标题", "检查内容", "分值", "得分率",
                                                    "得分"]
    assert (classic.not_applicable, modern.not_applicable) == ("不涉及", "不适用")
    assert classic.date_format.format(y=2024, m=1, d=17) == "2024年01月17日"
    assert modern.date_format.format(y=2024, m=1, d=17) == "2024.01.17"
    assert modern.total_format.format(total="142.7", level="十星级") == "审查总得分为 142.7 分，评定等级：十星级"
    assert classic.part_heading_format.format(num=1, title="售后服务体系") == "1) 售后服务体系:"
    assert classic.part_summary_format.format(max="73", score="72.7").startswith("本部分满分 73分, 实际得分 72.7 分。")
    assert modern.part_heading_format.format(cn="一", title="售后服务体系", max="73", score="72.7") == \
        "一、售后服务体系（满分73分，实得72.7分）"
    assert dict(modern.team_columns)["member_code"] == "人员代码"
    with pytest.raises(ValueError):
        replace(classic, checkbox="smiley")
    with pytest.raises(ValueError):
        replace(classic, score_columns=classic.score_columns[:-1])


def test_modern_text(rendered):
    truth, path = rendered[("square", "modern")]
    rep = truth["report"]
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert f"审查总得分为 {rep['stated_total']:.1f} 分，评定等级：{rep['stated_level'] or '无'}" in texts
    a = truth["sections"][0]
    assert f"一、售后服务体系（满分{a['stated_max']:g}分，实得{a['stated_score']:.1f}分）" in texts


def test_classic_text(rendered):
    truth, path = rendered[("unicode", "classic")]
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    total = truth["report"]["stated_total"]
    assert f"总分: {total:g}" in texts
    a = truth["sections"][0]
    i = texts.index("1) 售后服务体系:")
    assert texts[i + 1].startswith(f"本部分满分 {a['stated_max']:g}分, 实际得分 {a['stated_score']:g} 分。")


def test_rendering_is_deterministic(tmp_path):
    truth = make_truth(5, "classic", errors=1)
    a, b = tmp_path / "a.docx", tmp_path / "b.docx"
    tpl = replace(TEMPLATES["classic"], checkbox="content_control")
    render_docx(truth, a, tpl)
    render_docx(truth, b, tpl)
    assert a.read_bytes() == b.read_bytes()
    props = docx.Document(str(a)).core_properties
    assert props.created.date().isoformat() == truth["report"]["compiled_date"]
    with zipfile.ZipFile(a) as z:
        stamps = {i.date_time[:3] for i in z.infolist()}
    assert stamps == {_date(truth["report"]["compiled_date"]).timetuple()[:3]}


def test_generate_cycles_templates_and_styles(tmp_path):
    # the first len(templates) * len(styles) plans hold every combination
    three = ["classic", "modern", "ledger"]
    plans = plan(18, seed=3, templates=three)
    assert {(p.template, p.checkbox) for p in plans} == {(t, s) for t in three for s in CHECKBOX_STYLES}
    every = plan(len(TEMPLATES) * len(CHECKBOX_STYLES), seed=3)
    assert {(p.template, p.checkbox) for p in every} == {
        (t, s) for t in TEMPLATES for s in CHECKBOX_STYLES}
    assert all(p.scheme == "GB/T 27922-2011" for p in every if p.template == "gbt")
    first = plan(max(len(TEMPLATES), len(CHECKBOX_STYLES)), seed=3)
    assert {p.checkbox for p in first} == set(CHECKBOX_STYLES)
    assert {p.template for p in first} == set(TEMPLATES)
    paths = generate(tmp_path, 3, seed=40, templates=["modern"], styles=["tick", "wingdings_sym"],
                     error_rate=1.0)
    assert len(paths) == 3 and all(p.suffix == ".docx" and p.exists() for p in paths)
    for p in paths:
        assert p.name.isascii() and p.name.startswith("synth_modern_")
        truth = json.loads(p.with_suffix(".truth.json").read_text(encoding="utf-8"))
        assert truth["template"] == "modern" and truth["injected"]
        assert findings(truth) == {(i["check"], i["target"]) for i in truth["injected"]}
        docx.Document(str(p))


def test_committed_samples():
    docs = sorted(SAMPLES.glob("synth_*.docx"))
    assert len(docs) >= 6
    styles, templates, broken = set(), set(), 0
    for path in docs:
        truth = json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))
        styles.add(truth["checkbox"])
        templates.add(truth["template"])
        broken += bool(truth["injected"])
        assert findings(truth) == {(i["check"], i["target"]) for i in truth["injected"]}
        doc = docx.Document(str(path))
        assert f"组织名称：{truth['report']['org_name']}" in [p.text for p in doc.paragraphs]
    assert styles == set(CHECKBOX_STYLES) and {"classic", "modern"} <= templates
    assert broken >= 2
