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
* running header / footer: ``{cert_body}``.
"""
from __future__ import annotations

from dataclasses import dataclass

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
TEAM_ROLES = ("member_code", "name", "role", "cert_no", "specialty_code", "phone")


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

    def __post_init__(self) -> None:
        problems = []
        roles = [r for r, _ in self.score_columns]
        if sorted(roles) != sorted(SCORE_ROLES):
            problems.append(f"score_columns roles {roles} must be a permutation of {SCORE_ROLES}")
        team_roles = [r for r, _ in self.team_columns]
        if sorted(team_roles) != sorted(TEAM_ROLES):
            problems.append(f"team_columns roles {team_roles} must be a permutation of {TEAM_ROLES}")
        for fld, allowed in (("checkbox", CHECKBOX_STYLES), ("percent_style", PERCENT_STYLES),
                             ("score_style", SCORE_STYLES), ("table_borders", TABLE_BORDERS)):
            if getattr(self, fld) not in allowed:
                problems.append(f"{fld}={getattr(self, fld)!r}, expected one of {allowed}")
        if problems:
            raise ValueError(f"template {self.name!r}: " + "; ".join(problems))

    def header_of(self, role: str) -> str:
        """The header word of a score-table role."""
        return dict(self.score_columns)[role]


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

TEMPLATES: dict[str, Template] = {t.name: t for t in (CLASSIC, MODERN, LEDGER)}
