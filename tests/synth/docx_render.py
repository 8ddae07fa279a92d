"""Render a truth record (:mod:`synth.truth`) as a Word report with python-docx.

The document follows the real reports: a cover (body, title, 依据, 组织名称, 项目编号, 审查类型
check boxes), section 1 (basic information, 1.1–1.17, with the team table), section 2 (the
total, then each part's heading and score table, the special items, the level thresholds),
sections 3–5 (narrative), 6 评价结论 (check boxes), the recommended scope with its level,
报告编制人 and 编制日期. Running header and footer carry the body's name.

Everything the template varies comes from :class:`~synth.templates.Template`.
Score tables merge the 序号/标题 cells of each subsection vertically (``w:vMerge``) and mark
their header row to repeat on every page (``w:tblHeader``). Check boxes are written in the
template's style:

=================  ==============================================================
unicode            ``☑`` / ``☐`` characters in the run text
square             ``■`` / ``□``
tick               ``√`` before the chosen option, nothing before the others
wingdings_sym      ``<w:sym w:font="Wingdings" w:char="F0FE"/>`` (checked), ``F0A8`` (empty)
wingdings_text     a run whose ``w:rFonts`` are all Wingdings holding U+F0FE / U+F0A8
content_control    ``<w:sdt>`` with ``w14:checkbox/w14:checked w14:val="1"|"0"`` showing
                   ``☒`` / ``☐`` (font MS Gothic, as Word writes them)
=================  ==============================================================

Rendering is deterministic: core properties take their dates from the truth record and the
zip entries a fixed timestamp, so the same truth and template give the same bytes.
"""
from __future__ import annotations

import io
import random
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from synth.damage import Damager
from synth.templates import (NORMALISED_SENTENCES, RAW_SENTENCES, SPECIAL_NONE, SPECIAL_SENTENCES,
                             SPECIAL_TABLE_HEADER, Template)
from synth.truth import AUDIT_METHODS, AUDIT_TYPES, CONCLUSION, scheme_by_id
from certreport.schemas.catalogue import Scheme

LATIN_FONT = "Times New Roman"
CJK_FONT = "SimSun"
SYMBOL_FONT = "Wingdings"
CONTROL_FONT = "MS Gothic"
TABLE_PT = 9
CN_NUMERALS = "一二三四五六七八九十"

GLYPHS = {  # style -> (checked, unchecked); None: no glyph
    "unicode": ("☑", "☐"),
    "square": ("■", "□"),
    "tick": ("√", None),
}
SYM_CHARS = ("F0FE", "F0A8")  # Wingdings ticked box / empty box

SCORE_WIDTHS_MM = {"number": 15, "heading": 21, "content": 70, "weight": 13, "code": 15,
                   "pct": 15, "score": 16}
TEAM_WIDTHS_MM = {"member_code": 26, "name": 20, "role": 18, "cert_no": 38, "specialty_code": 20,
                  "phone": 28}

PURPOSE = {"初次认证": "初次认证注册", "保持认证": "保持认证注册", "再认证": "再认证注册"}
RECOMMEND = ("推荐认证注册资格", "推荐再认证注册资格", "推荐保持认证注册资格", "推荐恢复认证注册资格",
             "推荐变更认证范围")
NOT_RECOMMEND = tuple("不" + o for o in RECOMMEND)


# --- value notation -------------------------------------------------------------------------


def plain_number(value: float) -> str:
    """72.7 -> '72.7', 73.0 -> '73', 0.0 -> '0'."""
    d = Decimal(str(value)).normalize()
    text = format(d, "f")
    return "0" if text in ("-0", "") else text


def score_text(value: float, template: Template) -> str:
    """A stated score in the template's notation."""
    return f"{value:.1f}" if template.score_style == "fixed1" else plain_number(value)


def pct_text(pct: float | None, template: Template) -> str:
    """A score percentage (None: not applicable) in the template's notation."""
    if pct is None:
        return template.not_applicable
    if template.percent_style == "percent":
        return f"{plain_number(pct)}%"
    if template.percent_style == "coefficient":
        return f"{pct / 100:.2f}"
    return plain_number(pct)


def date_text(iso: str, template: Template) -> str:
    d = date.fromisoformat(iso)
    return template.date_format.format(y=d.year, m=d.month, d=d.day)


def spec_text(scheme: Scheme) -> str:
    """How reports name the scheme: 商品售后服务成熟度（CTS ISC-JSGF-06《…》）."""
    short = "商品售后服务成熟度" if "成熟度" in scheme.name else scheme.name
    return f"{short}（{scheme.id}《{scheme.name}》）"


# --- low-level XML helpers ------------------------------------------------------------------


def _set_fonts(rpr: Any, latin: str, east: str, cs: str | None = None) -> None:
    """Explicit fonts on an rPr (theme fonts removed so the CJK font applies)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if rfonts.get(qn(attr)) is not None:
            del rfonts.attrib[qn(attr)]
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east)
    rfonts.set(qn("w:cs"), cs or latin)


def _setup_styles(doc: Any) -> None:
    styles = doc.styles
    defaults = styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_fonts(rpr, LATIN_FONT, CJK_FONT)
    for name, size in (("Normal", 10.5), ("Title", 22), ("Heading 1", 14), ("Heading 2", 12),
                       ("Heading 3", 11)):
        style = styles[name]
        _set_fonts(style.element.get_or_add_rPr(), LATIN_FONT, CJK_FONT)
        style.font.size = Pt(size)
        if name != "Normal":
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.font.bold = True


def _page_setup(doc: Any) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(25), Mm(20)
    section.header_distance = section.footer_distance = Mm(10)


def _mark_header_row(row: Any) -> None:
    """Repeat the row at the top of each page (``w:tblHeader``)."""
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:tblHeader"))


def _horizontal_borders(table: Any) -> None:
    """Rules above, below and between rows only (no vertical lines)."""
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        if edge in ("left", "right", "insideV"):
            el.set(qn("w:val"), "nil")
        else:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), "8" if edge in ("top", "bottom") else "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    tblpr.append(borders)


# --- the writer -----------------------------------------------------------------------------


class _Writer:
    def __init__(self, truth: dict[str, Any], template: Template) -> None:
        self.truth = truth
        self.t = template
        self.rep = truth["report"]
        self.scheme = scheme_by_id(truth["scheme"])
        self.doc = docx.Document()
        self.rng = random.Random(f"{truth['seed']}/text")
        self._sdt_id = 0x1000 + (truth["seed"] % 0x1000) * 16
        _setup_styles(self.doc)
        _page_setup(self.doc)

    # paragraphs ------------------------------------------------------------------------

    def para(self, text: str = "", *, bold: bool = False, size: float | None = None,
             center: bool = False, style: str | None = None, container: Any = None) -> Any:
        target = container if container is not None else self.doc
        p = target.add_paragraph(style=style)
        if text:
            run = p.add_run(text)
            run.bold = bold or None
            if size:
                run.font.size = Pt(size)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    def heading(self, text: str, level: int = 1) -> Any:
        return self.para(text, style=f"Heading {level}")

    def field(self, label: str, value: str, container: Any = None) -> Any:
        """``label：value`` in one paragraph."""
        return self.para(f"{label}：{value}", container=container)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # check boxes -----------------------------------------------------------------------

    def box(self, p: Any, checked: bool) -> None:
        style = self.t.checkbox
        if style in GLYPHS:
            glyph = GLYPHS[style][0 if checked else 1]
            if glyph:
                p.add_run(glyph)
        elif style == "wingdings_sym":
            run = p.add_run()
            sym = OxmlElement("w:sym")
            sym.set(qn("w:font"), SYMBOL_FONT)
            sym.set(qn("w:char"), SYM_CHARS[0 if checked else 1])
            run._r.append(sym)
        elif style == "wingdings_text":
            run = p.add_run(chr(int(SYM_CHARS[0 if checked else 1], 16)))
            _set_fonts(run._r.get_or_add_rPr(), SYMBOL_FONT, SYMBOL_FONT, SYMBOL_FONT)
        elif style == "content_control":
            self._sdt_id += 1
            fonts = (f'<w:rFonts w:ascii="{CONTROL_FONT}" w:eastAsia="{CONTROL_FONT}" '
                     f'w:hAnsi="{CONTROL_FONT}" w:hint="eastAsia"/>')
            sdt = parse_xml(
                f'<w:sdt {nsdecls("w", "w14")}><w:sdtPr><w:rPr>{fonts}</w:rPr>'
                f'<w:id w:val="{self._sdt_id}"/><w14:checkbox>'
                f'<w14:checked w14:val="{1 if checked else 0}"/>'
                f'<w14:checkedState w14:val="2612" w14:font="{CONTROL_FONT}"/>'
                f'<w14:uncheckedState w14:val="2610" w14:font="{CONTROL_FONT}"/>'
                f'</w14:checkbox></w:sdtPr><w:sdtContent><w:r><w:rPr>{fonts}</w:rPr>'
                f'<w:t>{"☒" if checked else "☐"}</w:t></w:r></w:sdtContent></w:sdt>')
            p._p.append(sdt)
        else:  # pragma: no cover - Template validates the style
            raise ValueError(f"unknown check-box style {style!r}")

    def choices(self, options: Iterable[str], checked: Iterable[str], prefix: str = "",
                sep: str = "\u3000\u3000") -> Any:
        """One paragraph of check boxes: ``prefix ☑a  ☐b  ☐c``."""
        chosen = set(checked)
        p = self.doc.add_paragraph()
        if prefix:
            p.add_run(prefix)
        for i, option in enumerate(options):
            if i:
                p.add_run(sep)
            self.box(p, option in chosen)
            p.add_run(option)
        return p

    # tables ----------------------------------------------------------------------------

    def table(self, headers: list[str], widths_mm: list[float]) -> Any:
        table = self.doc.add_table(rows=1, cols=len(headers))
        if self.t.table_borders == "grid":
            table.style = self.doc.styles["Table Grid"]
        else:
            _horizontal_borders(table)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for col, w in zip(table.columns, widths_mm):
            col.width = Mm(w)
        row = table.rows[0]
        for cell, text, w in zip(row.cells, headers, widths_mm):
            self.cell(cell, text, w, bold=True, center=True)
        _mark_header_row(row)
        return table

    def cell(self, cell: Any, text: str, width_mm: float | None = None, *, bold: bool = False,
             center: bool = False) -> None:
        if width_mm is not None:
            cell.width = Mm(width_mm)
        lines = text.split("\n") if text else [""]
        first = cell.paragraphs[0]
        for i, line in enumerate(lines):
            p = first if i == 0 else cell.add_paragraph()
            if line:
                run = p.add_run(line)
                run.font.size = Pt(TABLE_PT)
                run.bold = bold or None
            if center:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if self.t.center_cells or bold:
            cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER

    # the report ------------------------------------------------------------------------

    def render(self) -> Any:
        self.running_texts()
        self.cover()
        self.basic_info()
        self.results()
        self.narrative()
        self.conclusion()
        self.properties()
        return self.doc

    def running_texts(self) -> None:
        section = self.doc.sections[0]
        body = self.rep["cert_body"]
        hp = section.header.paragraphs[0]
        hp.text = self.t.header_format.format(cert_body=body)
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fp = section.footer.paragraphs[0]
        fp.text = self.t.footer_format.format(cert_body=body)
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if self.t.footer_page_number:
            fp.add_run("\u3000\u3000第 ")
            fld = OxmlElement("w:fldSimple")
            fld.set(qn("w:instr"), " PAGE ")
            run = OxmlElement("w:r")
            text = OxmlElement("w:t")
            text.text = "1"
            run.append(text)
            fld.append(run)
            fp._p.append(fld)
            fp.add_run(" 页")

    def cover(self) -> None:
        rep = self.rep
        for _ in range(3):
            self.para()
        self.para(rep["cert_body"], bold=True, size=16, center=True)
        self.para()
        self.para("服务认证审查报告", style="Title", center=True)
        self.para()
        self.field("依据", spec_text(self.scheme))
        self.field("组织名称", rep["org_name"])
        self.field("项目编号", rep["project_no"])
        self.choices(AUDIT_TYPES, [rep["audit_type"]], prefix="审查类型：")
        for _ in range(4):
            self.para()
        address, phone, postcode = _body_contact(rep["cert_body"])
        self.field("地址", address)
        self.field("联系", phone)
        self.field("邮编", postcode)
        self.page_break()

    def basic_info(self) -> None:
        rep, t = self.rep, self.t
        self.heading("1. 基本信息")
        self.field("1.1 受审查方名称", rep["org_name"])
        self.field("1.2 项目编号", rep["project_no"])
        self.para("1.3 工商注册地址：")
        self.para(rep["registered_address"])
        self.para("1.4 审查地址：")
        self.para(rep["audit_address"])
        self.para("1.5 场所说明：")
        self.choices(["上述地址为单一场所组织"], ["上述地址为单一场所组织"])
        self.choices(["多场所组织，包括上述地址的总部，以及下列固定分场所（包括名称与地址）："], [])
        self.para("无")
        self.para("1.6 受审查组织联系方式")
        self.para(f"联系人：{rep['contact_name']}\u3000\u3000职务：\u3000\u3000\u3000\u3000"
                  f"电话：{rep['contact_phone']}\u3000\u3000邮箱：")
        self.para("1.7 审查目的：")
        self.choices(PURPOSE.values(), [PURPOSE[rep["audit_type"]]],
                     prefix="通过对受审查方涉及认证范围内的服务及管理现状，对照认证标准进行量化评价和判定，"
                            "从而决定：能否推荐 ")
        self.para("1.8 审查准则：")
        self.para(f"1) {spec_text(self.scheme)}")
        self.para("2) 受审查方管理体系文件")
        self.para("3) 适用的国家、行业及地方有关的法律法规及标准")
        self.para("1.9 审查范围：")
        self.para(rep["scope"])
        self.para("1.10 审查方式：")
        self.choices(AUDIT_METHODS, [rep["audit_method"]])
        self.para("1.11 暗访评价方式（必要时）")
        self.para("现场：\u3000\u3000年\u3000\u3000月\u3000\u3000日至\u3000\u3000年\u3000\u3000月\u3000\u3000日")
        self.choices(["不需要"], ["不需要"])
        start, end = date_text(rep["audit_start"], t), date_text(rep["audit_end"], t)
        self.heading("1.12 审查覆盖的时期和本次审查时间：", 2)
        self.field("本次审查时间", t.audit_dates_format.format(start=start, end=end,
                                                           days=f"{rep['audit_days']:.1f}"))
        if rep["audit_type"] == "初次认证":
            self.field("审查覆盖的时期", f"{start}至{end}")
        else:
            self.field("审查覆盖的时期", f"上次审查结束日至{end}(审查结束日)止")
        self.heading("1.13 审查组成员：", 2)
        self.team_table()
        self.heading("1.14 组织变更信息说明（监督评价和再认证评价适用）", 2)
        for what in ("组织名称或地址变更", "组织机构变更", "管理层变更", "其它变更"):
            self.field(what, "无")
        self.heading("1.15 质量事故、投诉与监督检查", 2)
        for what in ("现场评价前一年内发生的重大服务质量事故", "现场评价前一年内发生的相关方投诉",
                     "现场评价前一年内的服务质量政府监督检查中存在的问题",
                     "现场评价前一年内的服务质量政府执法检查中存在的问题"):
            self.para(what)
            self.choices(["无", "有，说明："], ["无"])
        self.para("1.16 审查风险及审查中遇到的可能影响审查结论的不确定因素和（或）障碍（适用时，如断电、火灾、洪灾…）")
        self.choices(["无", "有，说明："], ["无"])
        self.heading("1.17 远程审核时适用：", 2)
        remote = rep["audit_method"] != "现场审核"
        self.para("1) 实施远程审核概况")
        for q in ("与审核方达成了信息安全协议；", "远程审核使用 ICT 有效，达到了审核目的；"):
            p = self.choices(["是", "否"], ["是"] if remote else ["否"], sep="\u3000")
            p.add_run(" " + q)
        level = rep["stated_level"]
        self.para("评价抽样方法说明【包括：（1）抽样及样本信息说明。（2）对服务体系有关的过程信息和数据进行复核确认情况。"
                  "（3）面谈与观察等评价方法使用情况。（4）未按计划实施评价的说明及风险。】", bold=True)
        verdict = (f"从相关数据得出结论符合{level}售后服务评价准则。" if level
                   else "从相关数据得出结论尚未达到售后服务评价准则的级别要求。")
        self.para("对企业服务评价体系所涉及的相关的员工、顾客、相关方进行分类，从不同类型中抽取一定的样本客户，"
                  "对合同建立、生产、安装、售后的资料及相关记录进行复核确认。" + verdict)
        self.page_break()

    def team_table(self) -> None:
        cols = self.t.team_columns
        widths = [TEAM_WIDTHS_MM[r] for r, _ in cols]
        table = self.table([h for _, h in cols], widths)
        for member in self.truth["team"]:
            cells = table.add_row().cells
            for cell, (role, _), w in zip(cells, cols, widths):
                self.cell(cell, member[role], w, center=True)
        for _ in range(self.t.team_empty_rows):
            cells = table.add_row().cells
            for cell, w in zip(cells, widths):
                self.cell(cell, "", w)

    def results(self) -> None:
        t, rep = self.t, self.rep
        self.heading("2. 服务认证审查结果：")
        if t.total_heading:
            self.heading(t.total_heading, 3)
        self.para(t.total_format.format(total=score_text(rep["stated_total"], t),
                                        level=rep["stated_level"] or "无"))
        if t.parts_heading:
            self.para(t.parts_heading)
        sections = {s["section"]: s for s in self.truth["sections"]}
        for num, part in enumerate(self.scheme.parts, 1):
            sec = sections[part.section]
            values = dict(num=num, cn=CN_NUMERALS[num - 1], title=part.title,
                          max=plain_number(sec["stated_max"]),
                          score=score_text(sec["stated_score"], t))
            self.heading(t.part_heading_format.format(**values), 3)
            if t.part_summary_format:
                self.para(t.part_summary_format.format(**values))
            self.score_table(part.section)
        n = len(self.scheme.parts) + 1
        self.special_items(n)
        self.score_figures()
        self.levels_list()

    def special_items(self, n: int) -> None:
        """The 特别项 part: the template's sentence when there are none, else a sentence
        in one of the phrasings or a small table, as the truth's scoring says."""
        t, sc = self.t, self.truth.get("scoring")
        values = dict(num=n, cn=CN_NUMERALS[n - 1])
        if not sc or not (sc["deductions"] or sc["additions"]):
            self.para(t.special_format.format(**values))
            return
        heading = t.special_heading.format(**values)
        kinds = (("特别扣分项", sc["deductions"], sc["stated_deduction_points"],
                  sc["deduction_reasons"]),
                 ("特别加分项", sc["additions"], sc["addition_points"], sc["addition_reasons"]))
        if sc["form"] == "table":
            self.para(heading)
            widths = [30, 18, 18, 90]
            table = self.table(list(SPECIAL_TABLE_HEADER), widths)
            for word, count, points, why in kinds:
                cells = table.add_row().cells
                for cell, text, w in zip(cells, (word, str(count), plain_number(points),
                                                 "、".join(why)), widths):
                    self.cell(cell, text, w, center=text != "、".join(why))
            return
        pieces = SPECIAL_SENTENCES[sc["phrasing"] % len(SPECIAL_SENTENCES)]
        none = SPECIAL_NONE[sc["phrasing"] % len(SPECIAL_NONE)]
        out = []
        for (word, count, points, why), fmt, absent in zip(kinds, pieces, none):
            out.append(fmt.format(n=count, cn=CN_NUMERALS[count - 1] if count else "零",
                                  p=plain_number(points), why="、".join(why))
                       if count else absent)
        self.para(f"{heading}{'；'.join(out)}。")

    def score_figures(self) -> None:
        """The raw sum, applicable points and normalised score where the truth states them."""
        sc = self.truth.get("scoring")
        if not sc or not sc["states_raw"]:
            return
        if sc["states_normalised"]:
            fmt = NORMALISED_SENTENCES[sc["phrasing"] % len(NORMALISED_SENTENCES)]
            self.para(fmt.format(raw=plain_number(sc["stated_raw"]),
                                 applicable=plain_number(sc["stated_applicable"]),
                                 f_raw=plain_number(sc["raw"]),
                                 f_applicable=plain_number(sc["applicable"]),
                                 score=f"{sc['stated_normalised']:.1f}"))
        else:
            fmt = RAW_SENTENCES[sc["phrasing"] % len(RAW_SENTENCES)]
            self.para(fmt.format(raw=score_text(sc["stated_raw"], self.t)))

    def score_table(self, section: str) -> None:
        t = self.t
        cols = t.score_columns
        roles = [r for r, _ in cols]
        widths = [SCORE_WIDTHS_MM[r] for r in roles]
        table = self.table([h for _, h in cols], widths)
        rows = {r["clause_no"]: r for r in self.truth["clauses"] if r["section"] == section}
        part = self.scheme.part(section)
        assert part is not None
        has_extension = any(s.extension for p in self.scheme.parts for s in p.subsections)
        damager = Damager(t.damage, self.truth["seed"]) if t.damage else None
        for sub in part.subsections:
            first = len(table.rows)
            for clause in sub.clauses:
                row = rows[clause.number]
                values = {
                    "number": "", "heading": "",
                    "content": (damager.content(clause.number, clause.text) if damager
                                else f"{clause.number} {clause.text}"),
                    "weight": plain_number(row["weight"]),
                    "code": damager.code(row["code"]) if damager else (row["code"] or ""),
                    "pct": pct_text(None if row["not_applicable"] else row["score_pct"], t),
                    "score": score_text(row["stated_score"], t),
                }
                cells = table.add_row().cells
                for cell, role, w in zip(cells, roles, widths):
                    self.cell(cell, values[role], w, center=role not in ("content",))
            last = len(table.rows) - 1
            if not has_extension:
                title = t.subsection_base_only_format.format(title=sub.title,
                                                             base=plain_number(sub.base))
            elif sub.base:
                title = t.subsection_title_format.format(title=sub.title,
                                                         base=plain_number(sub.base),
                                                         ext=plain_number(sub.extension))
            else:
                title = t.subsection_ext_only_format.format(title=sub.title,
                                                            ext=plain_number(sub.extension))
            number = damager.subsection_number(sub.number) if damager else sub.number
            for role, text in (("number", number), ("heading", title)):
                ci = roles.index(role)
                top = table.cell(first, ci)
                merged = top.merge(table.cell(last, ci)) if last > first else top
                self.cell(merged, text, center=True)
                merged.vertical_alignment = WD_ALIGN_VERTICAL.CENTER if t.center_cells else None

    def levels_list(self) -> None:
        levels = self.scheme.levels
        first = plain_number(levels[0].min)
        suffix = "商品售后服务成熟度" if "成熟度" in self.scheme.name else "商品售后服务"
        self.para(f"对于评分达到 {first} 分以上（含 {first} 分），且特别扣分项低于 5 分的企业，"
                  f"按照以下要求进行级别划分：")
        letters = "abcdefghijklmnop"
        for i, lv in enumerate(levels):
            m = plain_number(lv.min)
            end = "。" if i == len(levels) - 1 else "；"
            self.para(f"{letters[i]}) 达到 {m} 分以上（含 {m} 分），{lv.level}{suffix}{end}")

    def narrative(self) -> None:
        rep, rng = self.rep, self.rng
        year = int(rep["audit_start"][:4]) - self.rng.randrange(3, 25)
        staff = rng.randrange(12, 400)
        self.heading("3. 受评价方服务体系概述及本次评价概述【适用时，应对多场所（多名称）组织的管理模式进行说明】")
        self.para(f"{rep['org_name']}成立于 {year} 年，企业在商品售后服务方面积累了丰富的经验，通过售后服务手册"
                  f"规定管理要求和标准要求。企业涉及售后服务的员工共计 {staff} 人，设置了管理层、销售部、"
                  "质检部、生产技术部、综合部；销售部负责售后服务，其余部门为售后服务支持部门。组织架构是适宜的、符合的。")
        motto = rng.choice(("服务第一、用户至上", "客户满意是我们的追求", "诚信服务、快速响应", "以客户为中心"))
        self.para(f"企业的售后服务理念：“{motto}”。在商品销售和售后服务过程中提供了有力的技术支持，"
                  "对配送、维修环节进行了有效的把控。")
        self.heading("4. 改进建议")
        self.para(rng.choice((
            "希望企业积极参与相关标准研究，进一步完善与服务相关的记录文件资料，提高服务水平。",
            "建议企业加强服务文化测评，定期评价顾客满意测量方法的有效性，持续改进。",
            "建议企业完善服务网点管理和投诉信息分析，将分析结果用于服务过程改进。")))
        self.heading("5. 证书及标志使用【适用于监督、再认证评价】")
        self.para("企业营业执照、认证范围均未发生变更；经现场抽查、询问未发现转让、出售、借用、冒用证书的情况，"
                  "证书、标志使用情况良好。")

    def conclusion(self) -> None:
        rep, t = self.rep, self.t
        self.heading("6. 评价结论：")
        self.para("根据评价情况，评价组得出评价结论如下：")
        self.para("通过审查评价，评价组确定受评价方的服务体系符合相关标准的要求，具备实现预期结果的能力，"
                  "服务体系运行正常有效，本次评价达到预期评价目的，认证范围适宜，本次现场评价结论为：")
        chosen = rep["conclusion"] or CONCLUSION[rep["audit_type"]][0 if rep["stated_level"] else 1]
        self.choices(RECOMMEND, [chosen])
        self.para("通过审查评价，评价组确定受评价方的服务体系不满足标准的要求：")
        self.choices(NOT_RECOMMEND, [chosen])
        self.para("评价组推荐的认证范围和星级【适用于初次审核、再认证评价、监督变更范围评价】", bold=True)
        self.para(rep["scope"])
        self.para()
        self.field("报告编制人", rep["author"])
        self.field("编制日期", date_text(rep["compiled_date"], t))

    def properties(self) -> None:
        rep = self.rep
        stamp = datetime.combine(date.fromisoformat(rep["compiled_date"]), datetime.min.time())
        stamp = stamp.replace(hour=17)
        cp = self.doc.core_properties
        cp.author = rep["author"]
        cp.last_modified_by = rep["author"]
        cp.title = "服务认证审查报告"
        cp.subject = rep["org_name"]
        cp.comments = ""
        cp.keywords = rep["project_no"]
        cp.category = ""
        cp.revision = 1
        cp.created = stamp
        cp.modified = stamp
        cp.last_printed = stamp


def _body_contact(body: str) -> tuple[str, str, str]:
    """A fixed, plausible address, phone and postcode for a certification body."""
    rng = random.Random(f"body/{body}")
    address = f"北京市朝阳区北苑路 {rng.randrange(10, 300)} 号 {rng.randrange(1, 9)} 号楼 {rng.randrange(2, 20)} 层"
    phone = f"010-{rng.randrange(5000, 8999)} {rng.randrange(1000, 9999)}"
    return address, phone, f"1000{rng.randrange(10, 99)}"


def build_document(truth: dict[str, Any], template: Template) -> Any:
    """The python-docx Document of a truth record in a template."""
    return _Writer(truth, template).render()


def render_docx(truth: dict[str, Any], path: Path, template: Template) -> None:
    """Write ``truth`` as a .docx report in ``template`` to ``path`` (deterministic bytes)."""
    save_docx(build_document(truth, template), truth, path)


def save_docx(doc: Any, truth: dict[str, Any], path: Path) -> None:
    """Save a python-docx document with fixed zip timestamps from the truth's date."""
    buffer = io.BytesIO()
    doc.save(buffer)
    d = date.fromisoformat(truth["report"]["compiled_date"])
    stamp = (max(d.year, 1980), d.month, d.day, 17, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(out.getvalue())
