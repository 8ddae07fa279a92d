"""Report templates as data: how one certification body's Word template writes a report.

A :class:`Template` names the column order and header words of the score and team tables,
the notations of values (not-applicable word, percentages, scores, dates), the phrasings
of the total and the part headings, the check-box style and the table ruling. Every field
is plain data, so a test can vary one of them with :func:`dataclasses.replace`, e.g.
``replace(TEMPLATES["classic"], checkbox="content_control")``.

Format strings use ``str.format`` fields:

* dates: ``{y}``, ``{m}``, ``{d}`` (ints);
* audit dates: ``{start}``, ``{end}`` (already formatted dates), ``{days}`` (``1.0``);
* total: ``{total}``, ``{level}`` (``无`` when the total earns no level);
* part heading / summary: ``{num}`` (1, 2, 3), ``{cn}`` (一, 二, 三), ``{title}``, ``{max}``,
  ``{score}``; special items: ``{num}``, ``{cn}`` (the number after the last part);
* subsection heading: ``{title}``, ``{base}``, ``{ext}``;
* running header / footer: ``{cert_body}``;
* special items heading: ``{num}``, ``{cn}``; the phrasings of special items and of the
  normalised score are module data (:data:`SPECIAL_SENTENCES`, :data:`SPECIAL_NONE`,
  :data:`NORMALISED_SENTENCES`, :data:`RAW_SENTENCES`), picked per truth record.

A template may leave out the code column (``score_columns`` without ``code``), name the
schemes its body reports under (``schemes``; a template of a body that only uses GB/T
27922-2011 makes every truth rendered in it a GB/T one), and carry :class:`Damage`:
conversion/OCR-like slips applied to what is rendered (the truth keeps the true values),
deterministic from the truth's seed (see :mod:`synth.damage`).
"""
from __future__ import annotations

from dataclasses import dataclass

CTS = "CTS ISC-JSGF-06"
GBT = "GB/T 27922-2011"
SCHEME_IDS = (CTS, GBT)

# check-box styles (see docx_render for their XML):
#   unicode          ☑ / ☐ characters
#   square           ■ / □ characters
#   tick             √ before the chosen option, nothing before the others
#   wingdings_sym    w:sym w:font="Wingdings" w:char="F0FE" (checked) / "F0A8" (empty)
#   wingdings_text   a run in the Wingdings font holding U+F0FE / U+F0A8
#   content_control  a w:sdt check-box content control (w14:checkbox, w14:checked) showing ☒ / ☐
CHECKBOX_STYLES = ("unicode", "square", "tick", "wingdings_sym", "wingdings_text", "content_control")
PERCENT_STYLES = ("plain", "percent", "coefficient")  # 70 | 70% | 0.70
SCORE_STYLES = ("plain", "fixed1")                    # 0.7, 1 | 0.7, 1.0
TABLE_BORDERS = ("grid", "horizontal")               # Table Grid | horizontal rules only

SCORE_ROLES = ("number", "heading", "content", "weight", "code", "pct", "score")
OPTIONAL_SCORE_ROLES = ("code",)  # a template may have no code column at all
TEAM_ROLES = ("member_code", "name", "role", "cert_no", "specialty_code", "phone")


# look-alike characters that conversion and OCR put for one another (true -> rendered)
TEXT_LOOKALIKES = (("问", "何"), ("量", "最"), ("己", "已"), ("未", "末"), ("人", "入"), ("日", "曰"),
                   ("土", "士"), ("干", "于"), ("大", "太"), ("户", "尸"))
# digit slips in codes and clause numbers (true -> rendered)
DIGIT_LOOKALIKES = (("1", "l"), ("1", "I"), ("0", "O"))


# special items written as a sentence: (deduction, addition) pieces joined by ；. Fields:
# {n} the count, {cn} the count in Chinese numerals, {p} the points, {why} the reasons
SPECIAL_SENTENCES = (
    ("特别扣分项 {n} 项，扣 {p} 分（{why}）", "特别加分项 {n} 项，加 {p} 分（{why}）"),
    ("特别扣分项：{n}项，共扣{p}分，原因：{why}", "特别加分项：{n}项，共加{p}分，原因：{why}"),
    ("特别扣分项{cn}项，扣除{p}分（{why}）", "特别加分项{cn}项，加{p}分（{why}）"),
)
# a kind that is absent, beside one that is not
SPECIAL_NONE = (("无特别扣分项", "无特别加分项"), ("没有特别扣分项", "也没有特别加分项"))
# special items as a table under the heading: header row, then one row per kind
SPECIAL_TABLE_HEADER = ("类别", "项数", "分值", "原因说明")
# the normalised score of GB/T 27922-2011: {raw}, {applicable} as stated beside it; {f_raw},
# {f_applicable} the operands of the formula; {score} the normalised score
NORMALISED_SENTENCES = (
    "实际得分合计 {raw} 分，涉及项总分值 {applicable} 分，评分 = {f_raw} ÷ {f_applicable} × 100 = {score} 分。",
    "涉及项总分值：{applicable}分；实得分合计：{raw}分；折算评分：{f_raw}/{f_applicable}×100={score}分。",
    "各部分实际得分之和为{raw}分，涉及项满分为{applicable}分，评分为{f_raw}÷{f_applicable}×100%={score}分。",
)
# the raw sum of the parts where a plain-sum report with special items states it
RAW_SENTENCES = ("各部分实际得分合计 {raw} 分。", "实得分合计：{raw}分。")


@dataclass(frozen=True)
class Damage:
    """What a conversion or an OCR pass did to the score tables of a rendered report.

    Each rate is the share of clauses (or subsections) hit; which ones is drawn per clause
    from the truth's seed, so the same truth and template damage the same cells.
    """

    text_rate: float = 0.0            # clause texts with 1..max_text_slips slips
    max_text_slips: int = 3
    text_lookalikes: tuple[tuple[str, str], ...] = TEXT_LOOKALIKES
    # kinds of text slips drawn from: a look-alike character, a dropped punctuation mark,
    # a dropped character
    text_slips: tuple[str, ...] = ("lookalike", "punctuation", "character")
    number_missing_rate: float = 0.0  # content cells that lose their clause number
    number_slip_rate: float = 0.0     # clause numbers with a digit slip (5.l.2.3)
    subsection_missing_rate: float = 0.0  # subsections whose 序号 cell is empty
    code_slip_rate: float = 0.0       # codes with a look-alike slip (Al0, B1O, C l2)
    digit_lookalikes: tuple[tuple[str, str], ...] = DIGIT_LOOKALIKES

    def __post_init__(self) -> None:
        for name in ("text_rate", "number_missing_rate", "number_slip_rate",
                     "subsection_missing_rate", "code_slip_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"Damage.{name}={getattr(self, name)!r}: expected a share 0..1")
        unknown = set(self.text_slips) - {"lookalike", "punctuation", "character"}
        if unknown or not self.text_slips:
            raise ValueError(f"Damage.text_slips={self.text_slips!r}: expected some of "
                             "lookalike, punctuation, character")


@dataclass(frozen=True)
class Template:
    """One body's way of writing a report."""

    name: str
    # (role, header word) in column order; roles: SCORE_ROLES / TEAM_ROLES
    score_columns: tuple[tuple[str, str], ...]
    team_columns: tuple[tuple[str, str], ...]
    team_empty_rows: int = 1
    not_applicable: str = "不涉及"
    percent_style: str = "plain"
    score_style: str = "plain"
    date_format: str = "{y:04d}年{m:02d}月{d:02d}日"
    audit_dates_format: str = "{start}至{end}下午(共{days}天)"
    total_heading: str | None = "(1) 现场审查总体得分情况"
    total_format: str = "总分: {total}"
    parts_heading: str | None = "(2) 统计分析"
    part_heading_format: str = "{num}) {title}:"
    part_summary_format: str | None = "本部分满分 {max}分, 实际得分 {score} 分。各分项得分见下表:"
    special_format: str = "{num}) 特别项: 无特别扣分项, 也没有特别加分项。"
    special_heading: str = "{num}) 特别项:"  # before stated special items (sentence or table)
    subsection_title_format: str = "{title}({base}+{ext}分)"
    subsection_ext_only_format: str = "{title} +{ext}分"
    # schemes without extension points (GB/T 27922-2011) state the base alone
    subsection_base_only_format: str = "{title}({base}分)"
    checkbox: str = "unicode"
    table_borders: str = "grid"
    center_cells: bool = False
    header_format: str = "{cert_body}"
    footer_format: str = "{cert_body}"
    footer_page_number: bool = True
    # the schemes this body reports under (a truth of another scheme takes the first)
    schemes: tuple[str, ...] = SCHEME_IDS
    damage: Damage | None = None

    def __post_init__(self) -> None:
        problems = []
        roles = [r for r, _ in self.score_columns]
        required = [r for r in SCORE_ROLES if r not in OPTIONAL_SCORE_ROLES]
        if len(set(roles)) != len(roles) or not set(required) <= set(roles) <= set(SCORE_ROLES):
            problems.append(f"score_columns roles {roles} must be a permutation of {SCORE_ROLES}"
                            f" (leaving out at most {OPTIONAL_SCORE_ROLES})")
        team_roles = [r for r, _ in self.team_columns]
        if sorted(team_roles) != sorted(TEAM_ROLES):
            problems.append(f"team_columns roles {team_roles} must be a permutation of {TEAM_ROLES}")
        for fld, allowed in (("checkbox", CHECKBOX_STYLES), ("percent_style", PERCENT_STYLES),
                             ("score_style", SCORE_STYLES), ("table_borders", TABLE_BORDERS)):
            if getattr(self, fld) not in allowed:
                problems.append(f"{fld}={getattr(self, fld)!r}, expected one of {allowed}")
        unknown = [x for x in self.schemes if x not in SCHEME_IDS]
        if unknown or not self.schemes:
            problems.append(f"schemes={self.schemes!r}, expected some of {SCHEME_IDS}")
        if problems:
            raise ValueError(f"template {self.name!r}: " + "; ".join(problems))

    @property
    def has_code_column(self) -> bool:
        return any(r == "code" for r, _ in self.score_columns)

    def scheme_for(self, wanted: str) -> str:
        """The scheme a report drawn for ``wanted`` is written under in this template."""
        return wanted if wanted in self.schemes else self.schemes[0]


CLASSIC = Template(
    # like the real report of 北京国标联合认证有限公司
    name="classic",
    score_columns=(("number", "序号"), ("heading", "标题"), ("content", "检查内容"),
                   ("weight", "小类分值"), ("code", "代码(维度)"), ("pct", "分项得分%"),
                   ("score", "分项实际得分")),
    team_columns=(("member_code", "代码"), ("name", "姓名"), ("role", "组内身份"),
                  ("cert_no", "注册证书号"), ("specialty_code", "专业代码"), ("phone", "联系电话")),
    checkbox="unicode",
)

MODERN = Template(
    # another body: code column first, 不适用, 70%, dotted dates, total with the level
    name="modern",
    score_columns=(("code", "代码"), ("number", "序号"), ("heading", "标题"), ("content", "检查内容"),
                   ("weight", "分值"), ("pct", "得分率"), ("score", "得分")),
    team_columns=(("name", "姓名"), ("member_code", "人员代码"), ("role", "组内职务"),
                  ("specialty_code", "专业代码"), ("cert_no", "注册证书编号"), ("phone", "联系方式")),
    team_empty_rows=1,
    not_applicable="不适用",
    percent_style="percent",
    score_style="fixed1",
    date_format="{y:04d}.{m:02d}.{d:02d}",
    audit_dates_format="{start}至{end}（共{days}天）",
    total_heading="（一）审查得分情况",
    total_format="审查总得分为 {total} 分，评定等级：{level}",
    parts_heading="（二）各部分得分",
    part_heading_format="{cn}、{title}（满分{max}分，实得{score}分）",
    part_summary_format=None,
    special_format="{cn}、特别项：无特别扣分项，无特别加分项。",
    special_heading="{cn}、特别项：",
    subsection_title_format="{title}（{base}+{ext}分）",
    subsection_ext_only_format="{title} +{ext}分",
    subsection_base_only_format="{title}（{base}分）",
    checkbox="content_control",
    header_format="{cert_body}    服务认证审查报告",
    footer_format="{cert_body}",
)

LEDGER = Template(
    # a third body: coefficients, "/" for not applicable, ISO dates, rules only between rows
    name="ledger",
    score_columns=(("number", "条款号"), ("heading", "评价项目"), ("code", "维度代码"),
                   ("content", "评价内容"), ("weight", "标准分"), ("pct", "得分系数"),
                   ("score", "实得分")),
    team_columns=(("role", "身份"), ("name", "姓名"), ("member_code", "审查员代码"),
                  ("cert_no", "证书编号"), ("specialty_code", "专业"), ("phone", "电话")),
    team_empty_rows=0,
    not_applicable="/",
    percent_style="coefficient",
    score_style="plain",
    date_format="{y:04d}-{m:02d}-{d:02d}",
    audit_dates_format="{start}至{end}，共{days}天",
    total_heading=None,
    total_format="现场审查总得分：{total}分",
    parts_heading="各部分得分情况如下：",
    part_heading_format="（{num}）{title}",
    part_summary_format="满分{max}分，实际得分{score}分。",
    special_format="（{num}）特别项：无。",
    special_heading="（{num}）特别项：",
    subsection_title_format="{title}（{base}+{ext}分）",
    subsection_ext_only_format="{title}（+{ext}分）",
    subsection_base_only_format="{title}（{base}分）",
    checkbox="wingdings_sym",
    table_borders="horizontal",
    center_cells=True,
    header_format="{cert_body}",
    footer_format="{cert_body}  服务认证审查报告",
    footer_page_number=False,
)

NOCODE = Template(
    # a body whose tables have no code column; some content cells lost their clause
    # number and some subsections their 序号, so rows are matched by number or by text
    name="nocode",
    score_columns=(("number", "章节号"), ("heading", "项目"), ("content", "条款内容"),
                   ("weight", "分值"), ("pct", "得分%"), ("score", "实际得分")),
    team_columns=(("name", "姓名"), ("role", "角色"), ("member_code", "编号"),
                  ("cert_no", "资格证书号"), ("specialty_code", "专业代码"), ("phone", "手机")),
    team_empty_rows=2,
    not_applicable="N/A",
    percent_style="plain",
    date_format="{y:04d}年{m}月{d}日",
    audit_dates_format="{start}至{end}（共{days}天）",
    total_heading="（1）审查总体得分",
    total_format="现场审查总得分：{total}分",
    parts_heading=None,
    part_heading_format="{cn}、{title}（满分{max}分，实得{score}分）",
    part_summary_format=None,
    special_format="{cn}、特别项：无。",
    special_heading="{cn}、特别项：",
    checkbox="square",
    header_format="{cert_body}",
    footer_format="{cert_body}",
    damage=Damage(number_missing_rate=0.25, subsection_missing_rate=0.15),
)

DAMAGED = Template(
    # the classic layout after a lossy conversion / OCR pass: look-alike characters,
    # dropped punctuation and characters, clause numbers missing from 20-30% of the
    # content cells (and now and then a subsection's 序号), codes like Al0, B1O, C l2
    name="damaged",
    score_columns=CLASSIC.score_columns,
    team_columns=CLASSIC.team_columns,
    percent_style="percent",
    checkbox="tick",
    damage=Damage(text_rate=0.6, max_text_slips=3, number_missing_rate=0.25,
                  number_slip_rate=0.1, subsection_missing_rate=0.1, code_slip_rate=0.35),
)

REORDERED = Template(
    # a body that puts the code first, the content before the clause number and heading,
    # and the score before the percentage and the weight, with its own header words
    name="reordered",
    score_columns=(("code", "编码"), ("content", "审查内容"), ("number", "条款编号"),
                   ("heading", "审查项目"), ("score", "实得分"), ("pct", "得分比例"),
                   ("weight", "标准分值")),
    team_columns=(("member_code", "审核员代码"), ("role", "身份"), ("name", "姓名"),
                  ("phone", "联系电话"), ("cert_no", "证书号"), ("specialty_code", "专业")),
    team_empty_rows=0,
    not_applicable="—",
    percent_style="percent",
    score_style="fixed1",
    date_format="{y:04d}/{m:02d}/{d:02d}",
    audit_dates_format="{start}至{end}，共{days}天",
    total_heading="（一）总体得分",
    total_format="审查总得分为 {total} 分，评定等级：{level}",
    parts_heading="（二）分项得分",
    part_heading_format="{num}) {title}:",
    part_summary_format="本部分满分 {max}分, 实际得分 {score} 分。",
    special_format="{num}) 特别项: 无。",
    checkbox="wingdings_text",
    table_borders="horizontal",
    header_format="{cert_body}  服务认证审查报告",
    footer_format="{cert_body}",
)

GBT_BODY = Template(
    # a body that audits against GB/T 27922-2011 only: base points, 100 in all
    name="gbt",
    score_columns=(("number", "条款"), ("heading", "分项名称"), ("content", "要求"),
                   ("code", "维度"), ("weight", "应得分"), ("pct", "评分%"), ("score", "得分")),
    team_columns=(("role", "组内身份"), ("name", "姓名"), ("member_code", "人员代码"),
                  ("specialty_code", "专业代码"), ("cert_no", "注册证书编号"), ("phone", "电话")),
    team_empty_rows=1,
    not_applicable="删减",
    percent_style="plain",
    score_style="plain",
    date_format="{y:04d}年{m:02d}月{d:02d}日",
    audit_dates_format="{start}至{end}(共{days}天)",
    total_heading="(1) 评价得分",
    total_format="评价总得分：{total}分，评价等级：{level}",
    parts_heading=None,
    part_heading_format="{num}) {title}（满分{max}分，实得{score}分）",
    part_summary_format=None,
    special_format="{num}) 特别项: 无特别扣分项。",
    subsection_base_only_format="{title}（{base}分）",
    checkbox="content_control",
    header_format="{cert_body}",
    footer_format="{cert_body}  商品售后服务评价报告",
    schemes=(GBT,),
)

TEMPLATES: dict[str, Template] = {t.name: t for t in (CLASSIC, MODERN, LEDGER, NOCODE, DAMAGED,
                                                      REORDERED, GBT_BODY)}
