"""The real report re-written as other bodies' templates and other converters would write
it: each variant is made from the markdown export by text rewriting (as in
test_mutations.py) and must import to the same values as the golden test, or to the
variant's own values where it changes them (a box now ticked, a second audit day)."""
from __future__ import annotations

import re
from datetime import date
from typing import Callable

import pytest

from certreport.pipeline import process_file
from tests.markdown_tables import map_pipe_tables

# ---------------------------------------------------------------- rewriting helpers

NUMBER, HEADING, CONTENT, WEIGHT, CODE, PCT, SCORE = range(7)
_SEP = re.compile(r"^\|?\s*:?-{2,}")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def _line(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def rewrite_tables(text: str, fn: Callable[[list[list[str]]], list[list[str]]],
                   kind: str = "score") -> str:
    """Apply ``fn`` to the rows (header first) of every pipe table of ``kind`` (score: its
    header names 检查内容; team: 姓名) and write the rows back as a pipe table."""
    mark = {"score": "检查内容", "team": "姓名"}[kind]

    def render(block: list[str]) -> list[str]:
        if mark not in re.sub(r"<[^>]+>|\s", "", block[0]):
            return block
        new = fn([_cells(ln) for ln in block if not _SEP.match(ln.strip())])
        if not new:
            return []
        return [_line(new[0]), _line(["---"] * len(new[0]))] + [_line(r) for r in new[1:]]

    return map_pipe_tables(text, render)


def cells(fn: Callable[[int, str], str]) -> Callable[[list[list[str]]], list[list[str]]]:
    """A table rewrite that maps every body cell ``fn(column, text)``; headers kept."""
    return lambda rows: [rows[0]] + [[fn(c, t) for c, t in enumerate(r)] for r in rows[1:]]


def columns(order: list[int | str], headers: dict[int, str] | None = None):
    """A table rewrite that keeps the columns in ``order`` (indexes into the real layout;
    a string adds an empty column with that header) and renames headers."""
    headers = headers or {}

    def fn(rows: list[list[str]]) -> list[list[str]]:
        head = [o if isinstance(o, str) else headers.get(o, rows[0][o]) for o in order]
        return [head] + [["" if isinstance(o, str) else r[o] for o in order] for r in rows[1:]]
    return fn


def sub(pattern: str, repl: str, text: str, count: int = 1) -> str:
    new, n = re.subn(pattern, repl, text, count=count)
    assert n == count if count else n > 0, pattern
    return new


def run(tmp_path, text: str, name: str = "variant.md") -> dict:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return process_file(path).rows


# ---------------------------------------------------------------- expected values

REPORT = {
    "status": "ok", "spec": "CTS ISC-JSGF-06", "cert_body": "北京国标联合认证有限公司",
    "org_name": "新疆鹏森科技股份有限公司", "project_no": "0029-2023-SE-2024",
    "registered_address": "新疆乌鲁木齐市米东区康庄西路 1275 号",
    "audit_address": "新疆乌鲁木齐市米东区康庄西路 1275 号",
    "contact_name": "惠淑萍", "contact_phone": "18167825599",
    "audit_start": date(2024, 1, 17), "audit_end": date(2024, 1, 17), "audit_days": 1.0,
    "author": "王慧霞", "compiled_date": date(2024, 1, 17), "team_leader": "王慧霞",
    "audit_type": None, "audit_method": None,
    "stated_total": 142.7, "stated_level": "十星级", "computed_level": "十星级",
}
TEAM = [{"member_code": "ISC-247788", "name": "王慧霞", "role": "组长",
         "cert_no": "2021-S2SC-1247788", "specialty_code": "02.01", "phone": "18133826030"}]
CLAUSE_KEYS = ("code", "clause_no", "subsection_no", "section", "weight", "score_pct",
               "not_applicable", "stated_score", "computed_score")


def golden_clauses(real_rows) -> list[dict]:
    return [{k: c[k] for k in CLAUSE_KEYS} for c in real_rows["clauses"]]


def assert_golden(rows: dict, real_rows, report: dict | None = None, team: list | None = None,
                  clauses: list | None = None, allow: tuple[str, ...] = ()) -> None:
    """The variant reads as the real report does (``report``/``team``/``clauses`` give
    the variant's own values where it changes them); no findings but the ``allow``ed
    warning checks."""
    expected = {**REPORT, **(report or {})}
    r = rows["reports"][0]
    assert {k: r[k] for k in expected} == expected
    assert r["computed_total"] == pytest.approx(142.7)
    assert r["scope"].startswith("木制家具、金属家具")
    parts = {s["section"]: s for s in rows["sections"]}
    assert [(parts[s]["stated_max"], parts[s]["stated_score"]) for s in "ABC"] == [
        (73, 72.7), (39, 34), (38, 36)]
    assert [parts[s]["computed_max"] for s in "ABC"] == [73, 39, 38]
    assert [parts[s]["computed_score"] for s in "ABC"] == pytest.approx([72.7, 34, 36])
    got = [{k: c[k] for k in CLAUSE_KEYS} for c in rows["clauses"]]
    assert got == (clauses if clauses is not None else golden_clauses(real_rows))
    assert [{k: v for k, v in t.items() if k not in ("report_id", "source")} for t in rows["team"]] == (
        team if team is not None else TEAM)
    findings = [(c["severity"], c["check_name"], c["target"], c["message"]) for c in rows["checks"]]
    assert [f for f in findings if f[0] == "error" or f[1] not in allow] == []


# ---------------------------------------------------------------- 1. score tables

# the real layout: 序号 标题 检查内容 小类分值 代码(维度) 分项得分% 分项实际得分
SCORE_LAYOUTS = {
    "code column first": columns([CODE, NUMBER, HEADING, CONTENT, WEIGHT, PCT, SCORE],
                                 {CODE: "代码"}),
    "分值 / 得分率 / 得分": columns([NUMBER, HEADING, CONTENT, WEIGHT, CODE, PCT, SCORE],
                              {WEIGHT: "分值", CODE: "代码", PCT: "得分率", SCORE: "得分"}),
    "标准分 / 得分% / 实得分, score before %": columns(
        [NUMBER, HEADING, CODE, CONTENT, WEIGHT, SCORE, PCT],
        {NUMBER: "条款号", HEADING: "评价项目", CODE: "维度代码", CONTENT: "评价内容",
         WEIGHT: "标准分", SCORE: "实得分", PCT: "得分%"}),
    "content first, weight last": columns([CONTENT, NUMBER, HEADING, CODE, SCORE, PCT, WEIGHT],
                                          {CONTENT: "审查内容", NUMBER: "条款编号",
                                           HEADING: "审查项目", CODE: "编码", SCORE: "实际得分",
                                           PCT: "得分比例", WEIGHT: "标准分值"}),
    "an extra remarks column": columns([NUMBER, HEADING, CONTENT, WEIGHT, CODE, PCT, SCORE,
                                        "评价记录"]),
    "three extra columns": columns(["审核证据", NUMBER, HEADING, CONTENT, WEIGHT, CODE, PCT, SCORE,
                                    "扣分原因", "备注"]),
    "no code column": columns([NUMBER, HEADING, CONTENT, WEIGHT, PCT, SCORE]),
    "no 序号/标题 columns": columns([CONTENT, WEIGHT, CODE, PCT, SCORE]),
    "no 序号/标题 and no code columns": columns([CONTENT, WEIGHT, PCT, SCORE]),
}


@pytest.mark.parametrize("name", sorted(SCORE_LAYOUTS))
def test_score_table_layouts(tmp_path, real_text, real_rows, name):
    rows = run(tmp_path, rewrite_tables(real_text, SCORE_LAYOUTS[name]))
    assert_golden(rows, real_rows)


def _pct(fn: Callable[[str], str]) -> Callable[[int, str], str]:
    return lambda c, t: fn(t) if c == PCT and t else t


def _coefficient(t: str, places: int = 2) -> str:
    return t if not t.replace(".", "").isdigit() else f"{float(t) / 100:.{places}f}"


PERCENT_STYLES = {
    "70%": _pct(lambda t: t + "%" if t.isdigit() else t),
    "70.0%": _pct(lambda t: f"{float(t):.1f}%" if t.isdigit() else t),
    "coefficient 0.70 / 1.00": _pct(_coefficient),
    "coefficient 0.7 / 1": _pct(lambda t: f"{float(t) / 100:g}" if t.isdigit() else t),
}


@pytest.mark.parametrize("name", sorted(PERCENT_STYLES))
def test_percent_notations(tmp_path, real_text, real_rows, name):
    text = rewrite_tables(real_text, cells(PERCENT_STYLES[name]))
    assert_golden(run(tmp_path, text), real_rows)


def test_coefficient_column_named_as_such(tmp_path, real_text, real_rows):
    text = rewrite_tables(real_text, columns([NUMBER, HEADING, CONTENT, WEIGHT, CODE, PCT, SCORE],
                                             {PCT: "得分系数"}))
    text = rewrite_tables(text, cells(_pct(_coefficient)))
    assert_golden(run(tmp_path, text), real_rows)


@pytest.mark.parametrize("word", ["不适用", "N/A", "—", "/", "n/a", "－"])
def test_not_applicable_words(tmp_path, real_text, real_rows, word):
    text = rewrite_tables(real_text, cells(_pct(lambda t: word if t == "不涉及" else t)))
    assert_golden(run(tmp_path, text), real_rows)


def test_not_applicable_in_both_value_cells(tmp_path, real_text, real_rows):
    # the score cell of a not-applicable clause says so too: no stated score, scored 0
    text = sub(r"\|\s*不涉及\s*\|\s*0\s*\|", "| / | / |", real_text, count=4)
    clauses = golden_clauses(real_rows)
    for c in clauses:
        if c["code"] in ("B25", "B26", "B27", "B28"):
            c["stated_score"] = None
    assert_golden(run(tmp_path, text), real_rows, clauses=clauses)


def _drop_numbers(every: int) -> Callable[[int, str], str]:
    """Remove the clause number from every ``every``-th content cell that has one."""
    seen = [0]

    def fn(c: int, t: str) -> str:
        if c != CONTENT or not re.match(r"5\.\d\.\d\.\d", t):
            return t
        seen[0] += 1
        return re.sub(r"^5(\.\d+){3}\s*", "", t) if seen[0] % every == 0 else t
    return fn


@pytest.mark.parametrize("every", [3, 1])
def test_clause_numbers_missing_from_content_cells(tmp_path, real_text, real_rows, every):
    text = rewrite_tables(real_text, cells(_drop_numbers(every)))
    assert_golden(run(tmp_path, text), real_rows)


def test_clause_numbers_missing_and_no_code_column(tmp_path, real_text, real_rows):
    text = rewrite_tables(real_text, cells(_drop_numbers(3)))
    text = rewrite_tables(text, columns([NUMBER, HEADING, CONTENT, WEIGHT, PCT, SCORE]))
    assert_golden(run(tmp_path, text), real_rows)


# ---------------------------------------------------------------- 2. team tables

# the real layout: 代码 姓名 组内身份 注册证书号 专业代码 联系电话
MEMBER = ["ISC-123456", "李明", "组员", "2020-S2SC-1123456", "02.02", "13900001111"]
TEAM_LAYOUTS = {
    "人员代码 … 手机, name first": ([1, 0, 2, 3, 4, 5], ["姓名", "人员代码", "组内职务", "资格证书号",
                                                     "专业", "手机"]),
    "审核员代码, role first": ([2, 1, 0, 5, 3, 4], ["身份", "姓名", "审核员代码", "联系电话",
                                                 "证书号", "专业"]),
    "编号 / 角色 / 注册证书编号 / 联系方式": ([0, 1, 2, 4, 3, 5], ["编号", "姓名", "角色", "专业代码",
                                                        "注册证书编号", "联系方式"]),
}


@pytest.mark.parametrize("name", sorted(TEAM_LAYOUTS))
@pytest.mark.parametrize("members", [1, 2])
def test_team_table_layouts(tmp_path, real_text, real_rows, name, members):
    order, headers = TEAM_LAYOUTS[name]

    def fn(rows: list[list[str]]) -> list[list[str]]:
        body = rows[1:2] + ([MEMBER] if members == 2 else []) + [[""] * 6, [""] * 6]
        return [headers] + [[r[i] for i in order] for r in body]
    team = TEAM + ([dict(zip(("member_code", "name", "role", "cert_no", "specialty_code",
                               "phone"), MEMBER))] if members == 2 else [])
    rows = run(tmp_path, rewrite_tables(real_text, fn, kind="team"))
    assert_golden(rows, real_rows, team=team)


def test_team_empty_row_between_members(tmp_path, real_text, real_rows):
    def fn(rows: list[list[str]]) -> list[list[str]]:
        return [rows[0], rows[1], [""] * 6, MEMBER]
    rows = run(tmp_path, rewrite_tables(real_text, fn, kind="team"))
    assert [t["name"] for t in rows["team"]] == ["王慧霞", "李明"]
    assert rows["reports"][0]["team_leader"] == "王慧霞"


# ---------------------------------------------------------------- 3. labelled fields

def _labels(text: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        text = sub(old, new, text, count=0)
    return text


OTHER_LABELS = [
    ("组织名称：", "受审核方：") , ("受审查方名称：", "受审核方名称："),
    ("工商注册地址：", "注册地址："), ("审查地址：", "审核地址："),
    ("电话：", "联系电话："), ("本次审查时间:", "现场审核时间:"), ("审查范围：", "评价范围："),
    ("报告编制人:", "报告编写人:"), ("编制日期:", "报告日期:"),
]


def test_other_templates_labels(tmp_path, real_text, real_rows):
    text = _labels(real_text, OTHER_LABELS)
    assert_golden(run(tmp_path, text), real_rows)


def test_受评价方名称_and_审核日期(tmp_path, real_text, real_rows):
    text = _labels(real_text, [("组织名称：", "委托方："), ("受审查方名称：", "受评价方名称："),
                               ("本次审查时间:", "审核日期:")])
    assert_golden(run(tmp_path, text), real_rows)


def test_values_on_the_next_line(tmp_path, real_text, real_rows):
    # every label alone on its line, its value in the next paragraph
    text = real_text
    for label in ("组织名称：", "项目编号：", "受审查方名称：", "本次审查时间:", "报告编制人:",
                  "编制日期:"):
        text = sub(re.escape(label) + r"\s*", label + "\n\n", text, count=0)
    assert_golden(run(tmp_path, text), real_rows)


def test_values_on_the_same_line(tmp_path, real_text, real_rows):
    text = sub(r"(工商注册地址|审查地址|审查范围)：\n\n", r"\1：", real_text, count=3)
    assert_golden(run(tmp_path, text), real_rows)


DATE_STYLES = {
    "２０２４年１月１７日": "２０２４年１月１７日",
    "2024.01.17": "2024.01.17", "2024-01-17": "2024-01-17", "2024/1/17": "2024/1/17",
    "2024年1月17日": "2024年1月17日", "2024 年 1 月 17 日": "2024 年 1 月 17 日",
}


@pytest.mark.parametrize("style", sorted(DATE_STYLES))
def test_date_styles(tmp_path, real_text, real_rows, style):
    text = sub(r"2024 ?年01 ?月17日", DATE_STYLES[style], real_text, count=0)
    assert_golden(run(tmp_path, text), real_rows)


DATE_RANGES = {
    # the audit dates as written -> start, end, days
    "2024年01月17日-18日(共1.5天)": (date(2024, 1, 17), date(2024, 1, 18), 1.5),
    "2024年01月17日至18日，共2天": (date(2024, 1, 17), date(2024, 1, 18), 2.0),
    "2024年1月31日至2月1日（共2天）": (date(2024, 1, 31), date(2024, 2, 1), 2.0),
    "2024.01.17～2024.01.18（共1.5天）": (date(2024, 1, 17), date(2024, 1, 18), 1.5),
    "2024-01-17至2024-01-18 共2天": (date(2024, 1, 17), date(2024, 1, 18), 2.0),
    "2024年01月17日（1天）": (date(2024, 1, 17), date(2024, 1, 17), 1.0),
    "2024年01月17日 共1天": (date(2024, 1, 17), date(2024, 1, 17), 1.0),
    "2024年01月17日，审核时间1.5个工作日": (date(2024, 1, 17), date(2024, 1, 17), 1.5),
}


@pytest.mark.parametrize("written", sorted(DATE_RANGES))
def test_audit_date_ranges(tmp_path, real_text, real_rows, written):
    start, end, days = DATE_RANGES[written]
    text = sub(r"本次审查时间: .*", "本次审查时间: " + written, real_text)
    text = sub(r"编制日期: .*", f"编制日期: {end.year}年{end.month}月{end.day}日", text)
    rows = run(tmp_path, text)
    if days > (end - start).days + 1:  # 1.5 days on one date: a finding, not a silent pass
        assert [c["check_name"] for c in rows["checks"]] == ["dates"]
        return
    assert_golden(rows, real_rows, report={"audit_start": start, "audit_end": end,
                                           "audit_days": days, "compiled_date": end})


# ---------------------------------------------------------------- 4. basic info as a table

BASIC = [
    ("1.1 受审查方名称", "新疆鹏森科技股份有限公司"), ("1.2 项目编号", "0029-2023-SE-2024"),
    ("1.3 工商注册地址", "新疆乌鲁木齐市米东区康庄西路 1275 号"),
    ("1.4 审查地址", "新疆乌鲁木齐市米东区康庄西路 1275 号"),
    ("联系人", "惠淑萍"), ("电话", "18167825599"),
    ("审查类型", "初次认证 保持认证 再认证"), ("审查方式", "现场审核 远程审核 现场结合远程审核"),
    ("1.9 审查范围", None), ("1.12 审查时间", "2024年01月17日至2024年01月17日下午(共1.0天)"),
]


def _basic_info_table(real_text: str, width: int, colon: bool = False) -> str:
    """The cover fields and section 1.1-1.12 as a label | value pipe table (``width`` 2 or
    4 columns), in place of their paragraphs."""
    scope = re.search(r"1\.9 审查范围：\n\n(.*)\n", real_text).group(1)
    pairs = [(k + ("：" if colon else ""), v if v is not None else scope) for k, v in BASIC]
    per_row = width // 2
    rows = [sum(pairs[i:i + per_row], ()) for i in range(0, len(pairs), per_row)]
    rows = [list(r) + [""] * (width - len(r)) for r in rows]
    table = [_line(rows[0]), _line(["---"] * width)] + [_line(r) for r in rows[1:]]
    start, end = real_text.index("组织名称："), real_text.index("### 1.13")
    return real_text[:start] + "\n".join(table) + "\n\n" + real_text[end:]


@pytest.mark.parametrize("width,colon", [(2, False), (4, False), (2, True), (4, True)])
def test_basic_info_as_a_label_value_table(tmp_path, real_text, real_rows, width, colon):
    rows = run(tmp_path, _basic_info_table(real_text, width, colon))
    assert_golden(rows, real_rows)


def test_basic_info_table_naming_a_contact_person(tmp_path, real_text, real_rows):
    # 联系人姓名 | 联系电话 in the first row must not pass for a team table's header
    text = _basic_info_table(real_text, 4)
    text = sub(r"\| 1\.1 受审查方名称 \| 新疆鹏森科技股份有限公司 \| 1\.2 项目编号 \| 0029-2023-SE-2024 \|",
               "| 联系人姓名 | 惠淑萍 | 联系电话 | 18167825599 |\n| --- | --- | --- | --- |\n"
               "| 受审查方名称 | 新疆鹏森科技股份有限公司 | 项目编号 | 0029-2023-SE-2024 |", text)
    text = sub(r"\n\| --- \| --- \| --- \| --- \|\n\| 1\.3", "\n| 1.3", text)
    assert_golden(run(tmp_path, text), real_rows)


# ---------------------------------------------------------------- 5. totals and levels

TOTALS = ["总分：142.7", "现场审查总得分：142.7分", "审查总得分为 142.7 分，评定等级：十星级",
          "综合得分142.7分", "总得分 142.7 分", "评价总得分：142.7分，评价等级：十星级",
          "现场审查总得分为142.7分", "总分（满分150分）：142.7", "总分：142.7分（十星级）"]


@pytest.mark.parametrize("written", TOTALS)
def test_total_phrasings(tmp_path, real_text, real_rows, written):
    text = sub(r"总分: 142\.7", written, real_text)
    assert_golden(run(tmp_path, text), real_rows)


def _level_only_in_conclusion(text: str, conclusion: str) -> str:
    text = sub(r"（十星级）", "", text, count=3)
    return sub(r"(报告编制人: )", conclusion + r"\n\n\1", text)


@pytest.mark.parametrize("conclusion", ["评定等级：十星级", "星级：十星级", "推荐星级：十星级",
                                        "评定星级为十星级", "等级评定：10星级", "星级：10 星级",
                                        "推荐星级：十星"])
def test_level_stated_only_in_the_conclusion(tmp_path, real_text, real_rows, conclusion):
    rows = run(tmp_path, _level_only_in_conclusion(real_text, conclusion))
    assert_golden(rows, real_rows)
    assert not rows["reports"][0]["scope"].endswith("星级）")


def test_level_in_digits_in_the_scope(tmp_path, real_text, real_rows):
    text = sub(r"（十星级）", "（10星级）", real_text, count=3)
    assert_golden(run(tmp_path, text), real_rows)


def test_wrong_level_in_digits_is_found(tmp_path, real_text):
    text = _level_only_in_conclusion(real_text, "评定等级：9星级")
    rows = run(tmp_path, text)
    (f,) = [c for c in rows["checks"] if c["severity"] == "error"]
    assert (f["check_name"], f["stated"], f["computed"]) == ("level", "九星级", "十星级")


def test_no_level_stated_anywhere(tmp_path, real_text, real_rows):
    rows = run(tmp_path, sub(r"（十星级）", "", real_text, count=3))
    assert_golden(rows, real_rows, report={"stated_level": None})


# ---------------------------------------------------------------- 6. part headings

PART_A = "#### 1) 售后服务体系:\n\n本部分满分 73分, 实际得分 72.7 分。各分项得分见下表:"
PART_B = "## 2) 商品服务:\n\n本部分满分 39 分, 实际得分 34 分, 各分项得分如下:"
PART_C = "## 3) 顾客服务:\n\n本部分满分38分, 实际得分 36分, 各分项得分如下:"
PART_FIGURES = (("售后服务体系", "一", 1, 73, 72.7), ("商品服务", "二", 2, 39, 34),
                ("顾客服务", "三", 3, 38, 36))


def _headings(text: str, fmt: str) -> str:
    for old, (title, cn, num, mx, sc) in zip((PART_A, PART_B, PART_C), PART_FIGURES):
        text = sub(re.escape(old), fmt.format(title=title, cn=cn, num=num, max=mx, score=sc), text)
    return text


PART_HEADINGS = {
    "一、…（满分73分，实得72.7分）": "{cn}、{title}（满分{max}分，实得{score}分）",
    "（一）… 满分：73分 实际得分：72.7分": "（{cn}）{title} 满分：{max}分 实际得分：{score}分",
    "第一部分 … + 满分/得分 line": "第{cn}部分 {title}\n\n满分{max}分，得分{score}分。",
    "1. …：满分为 / 实得分为": "{num}. {title}：本部分满分为{max}分，实得分为{score}分",
    "(1) … two lines": "({num}) {title}\n\n该部分满分 {max} 分\n\n实际得分 {score} 分",
    "heading and figures in a one-row table": ("{cn}、{title}\n\n| 满分 | {max}分 | 实际得分 | "
                                               "{score}分 |\n|---|---|---|---|"),
    "heading row of its own table": "| {cn}、{title} | 满分：{max}分 | 实际得分：{score}分 |\n|---|---|---|",
}


@pytest.mark.parametrize("name", sorted(PART_HEADINGS))
def test_part_headings(tmp_path, real_text, real_rows, name):
    rows = run(tmp_path, _headings(real_text, PART_HEADINGS[name]))
    assert_golden(rows, real_rows)


def test_part_heading_as_a_caption_row_of_the_score_table(tmp_path, real_text, real_rows):
    # a merged caption row above the header row: the converter takes it for the header
    text = _headings(real_text, "\n<<{cn}、{title}（满分{max}分，实得{score}分）>>")
    caption = re.compile(r"\n<<(.*?)>>\n\n(\| 序号[^\n]*)\n\|[-| ]+\|\n")
    text, n = caption.subn(lambda m: "\n" + _line([m.group(1)] + [""] * 6) + "\n"
                           + _line(["---"] * 7) + "\n" + m.group(2) + "\n", text)
    assert n == 3
    assert_golden(run(tmp_path, text), real_rows)


def test_part_heading_in_a_caption_row_without_codes(tmp_path, real_text, real_rows):
    # with neither a code column nor a paragraph heading, only the caption names the part
    text = _headings(real_text, "\n<<{cn}、{title}（满分{max}分，实得{score}分）>>")
    text = rewrite_tables(text, columns([NUMBER, HEADING, CONTENT, WEIGHT, PCT, SCORE]))
    caption = re.compile(r"\n<<(.*?)>>\n\n(\| 序号[^\n]*)\n\|[-| ]+\|\n")
    text, n = caption.subn(lambda m: "\n" + _line([m.group(1)] * 6) + "\n"
                           + _line(["---"] * 6) + "\n" + m.group(2) + "\n", text)
    assert n == 3
    assert_golden(run(tmp_path, text), real_rows)


SUMMARY = ("| 部分 | 满分 | 实际得分 |\n|---|---|---|\n"
           + "".join(f"| {t} | {m} | {s} |\n" for t, _, _, m, s in PART_FIGURES)
           + "| 合计 | 150 | 142.7 |\n")


@pytest.mark.parametrize("where", ["before the parts", "after the parts"])
def test_part_summary_table(tmp_path, real_text, real_rows, where):
    # the figures in a summary table (各部分得分情况), the part headings bare
    if where == "before the parts":
        text = sub(r"各部分得分情况\n", "各部分得分情况\n\n" + SUMMARY, real_text)
    else:
        text = sub(r"4\) 特别项", "各部分得分汇总：\n\n" + SUMMARY + "\n4) 特别项", real_text)
    text = _headings(text, "{num}) {title}:")
    assert_golden(run(tmp_path, text), real_rows)


# ---------------------------------------------------------------- 7. check boxes

TYPE_LINE = "审查类型：初次认证 保持认证 再认证"
METHOD_LINE = "现场审核  远程审核  现场结合远程审核"
BOX_STYLES = {
    # style: (audit type line, audit method line), 保持认证 and 现场审核 chosen
    "☑ / ☐": ("☐初次认证 ☑保持认证 ☐再认证", "☑现场审核  ☐远程审核  ☐现场结合远程审核"),
    "☑ / □": ("□初次认证 ☑保持认证 □再认证", "☑现场审核  □远程审核  □现场结合远程审核"),
    "■ / □": ("□初次认证 ■保持认证 □再认证", "■现场审核  □远程审核  □现场结合远程审核"),
    "☒ / ☐ spaced": ("☐ 初次认证  ☒ 保持认证  ☐ 再认证", "☒ 现场审核  ☐ 远程审核  ☐ 现场结合远程审核"),
    "√ before the chosen only": ("初次认证 √保持认证 再认证", "√现场审核  远程审核  现场结合远程审核"),
    "× as the mark": ("□初次认证 ×保持认证 □再认证", "×现场审核  □远程审核  □现场结合远程审核"),
    "[√] / [ ]": ("[ ]初次认证 [√]保持认证 [ ]再认证", "[√]现场审核  [ ]远程审核  [ ]现场结合远程审核"),
    "（√） / （ ）": ("（ ）初次认证 （√）保持认证 （ ）再认证",
                    "（√）现场审核 （ ）远程审核 （ ）现场结合远程审核"),
    "(✓) / ( )": ("( ) 初次认证 (✓) 保持认证 ( ) 再认证", "(✓) 现场审核 ( ) 远程审核 ( ) 现场结合远程审核"),
    "marks after the options": ("初次认证☐ 保持认证☑ 再认证☐", "现场审核☑  远程审核☐  现场结合远程审核☐"),
    "marks after, spaced": ("初次认证 □ 保持认证 ■ 再认证 □", "现场审核 ■ 远程审核 □ 现场结合远程审核 □"),
    "bracketed marks after": ("初次认证（ ） 保持认证（√） 再认证（ ）",
                             "现场审核（√） 远程审核（ ） 现场结合远程审核（ ）"),
}


def _boxes(text: str, type_line: str, method_line: str) -> str:
    text = sub(re.escape(TYPE_LINE), "审查类型：" + type_line, text)
    return sub(re.escape(METHOD_LINE), method_line, text)


@pytest.mark.parametrize("style", sorted(BOX_STYLES))
def test_check_box_styles(tmp_path, real_text, real_rows, style):
    rows = run(tmp_path, _boxes(real_text, *BOX_STYLES[style]))
    assert_golden(rows, real_rows, report={"audit_type": "保持认证", "audit_method": "现场审核"})


@pytest.mark.parametrize("chosen", ["初次认证", "再认证"])
def test_check_box_first_and_last_option(tmp_path, real_text, real_rows, chosen):
    line = " ".join(("☑" if o == chosen else "☐") + o for o in ("初次认证", "保持认证", "再认证"))
    after = " ".join(o + ("☑" if o == chosen else "☐") for o in ("初次认证", "保持认证", "再认证"))
    for written in (line, after):
        rows = run(tmp_path, sub(re.escape(TYPE_LINE), "审查类型：" + written, real_text))
        assert rows["reports"][0]["audit_type"] == chosen


def test_unmarked_line_stays_unknown(tmp_path, real_text, real_rows):
    rows = run(tmp_path, sub(re.escape(TYPE_LINE), "审查类型： 初次认证  保持认证  再认证", real_text))
    assert_golden(rows, real_rows)


def test_a_mark_between_two_options_is_not_guessed(tmp_path, real_text, real_rows):
    # a lone tick with a space on either side: before 保持认证 or after 初次认证?
    rows = run(tmp_path, sub(re.escape(TYPE_LINE), "审查类型：初次认证 √ 保持认证 再认证", real_text))
    assert rows["reports"][0]["audit_type"] is None
    (f,) = rows["checks"]
    assert (f["check_name"], f["severity"], f["target"]) == ("checkbox", "warning", "audit_type")


def test_two_options_ticked_is_a_finding(tmp_path, real_text):
    rows = run(tmp_path, sub(re.escape(TYPE_LINE), "审查类型：☑初次认证 ☑保持认证 ☐再认证", real_text))
    assert rows["reports"][0]["audit_type"] is None
    assert [(c["check_name"], c["severity"]) for c in rows["checks"]] == [("checkbox", "warning")]


def test_plain_value_instead_of_boxes(tmp_path, real_text, real_rows):
    rows = run(tmp_path, sub(re.escape(TYPE_LINE), "审查类型：保持认证", real_text))
    assert_golden(rows, real_rows, report={"audit_type": "保持认证"})


# ---------------------------------------------------------------- 8. converter noise

def _page_gaps(text: str, fill: Callable[[int], str]) -> str:
    """Put ``fill(page)`` into every page gap (three or more blank lines) of the export."""
    page = [0]

    def repl(m: re.Match) -> str:
        page[0] += 1
        return "\n\n" + fill(page[0] + 1) + "\n\n\n\n"
    return re.sub(r"\n{4,}", repl, text.strip("\n"))


RUNNING = {
    "footer with page x of y": lambda p: f"北京国标联合认证有限公司    第 {p} 页 共 16 页",
    "footer and header": lambda p: f"第{p}页/共16页\n\n\n\n北京国标联合认证有限公司  服务认证审查报告",
    "bare page number": lambda p: f"- {p} -",
    "page number alone": lambda p: f"{p}",
    "Page x of y": lambda p: f"Page {p} of 16",
}


@pytest.mark.parametrize("name", sorted(RUNNING))
def test_running_headers_and_footers(tmp_path, real_text, real_rows, name):
    rows = run(tmp_path, _page_gaps(real_text, RUNNING[name]))
    assert_golden(rows, real_rows)
    # page numbers are not lost: the clauses sit on the pages they sat on
    assert [c["page"] for c in rows["clauses"]] == [c["page"] for c in real_rows["clauses"]]


def test_page_break_between_a_label_and_its_value(tmp_path, real_text, real_rows):
    # the running footer and header fall between 1.9 审查范围： and the scope
    text = sub(r"1\.9 审查范围：\n\n", "1.9 审查范围：\n\n北京国标联合认证有限公司  第 2 页 共 16 页\n\n\n\n"
               "北京国标联合认证有限公司  服务认证审查报告\n\n", real_text)
    text = _page_gaps(text, lambda p: f"北京国标联合认证有限公司  第 {p} 页 共 16 页\n\n\n\n"
                                      "北京国标联合认证有限公司  服务认证审查报告")
    rows = run(tmp_path, text)
    assert_golden(rows, real_rows)
    assert rows["reports"][0]["scope"].endswith("（十星级）")


BREAKS = {"<br/>": "<br/>", "<br />": "<br />", "<BR>": "<BR>", "<p>…</p>": "</p><p>"}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_line_break_markup_in_cells(tmp_path, real_text, real_rows, name):
    text = sub(r"<br>", BREAKS[name], real_text, count=0)
    assert_golden(run(tmp_path, text), real_rows)


def test_bold_and_html_emphasis_in_cells(tmp_path, real_text, real_rows):
    def fn(c: int, t: str) -> str:
        if not t:
            return t
        return f"**{t}**" if c in (CODE, SCORE, NUMBER) else f"<b>{t}</b>" if c == WEIGHT else t
    text = rewrite_tables(real_text, cells(fn))
    text = rewrite_tables(text, lambda rows: [[f"**{h}**" for h in rows[0]]] + rows[1:])
    assert_golden(run(tmp_path, text), real_rows)


def test_full_width_digits_and_points_in_cells(tmp_path, real_text, real_rows):
    fw = str.maketrans("0123456789.", "０１２３４５６７８９．")

    def fn(c: int, t: str) -> str:
        if c == WEIGHT and t:
            return t + "分"
        return t.translate(fw) if c in (PCT, SCORE) else t
    text = rewrite_tables(real_text, cells(fn))
    assert_golden(run(tmp_path, text), real_rows)


def _join_pieces(text: str) -> str:
    """Table pieces of one page run together: the blank lines between them removed, so the
    header row repeats in the middle of one pipe table."""
    return re.sub(r"(\|[^\n]*\|)\n{2,}(?=\| 序号)", r"\1\n", text)


def test_header_repeated_inside_a_table(tmp_path, real_text, real_rows):
    text = _join_pieces(real_text)
    assert text.count("| 序号") == real_text.count("| 序号")
    assert_golden(run(tmp_path, text), real_rows)


def test_header_repeated_inside_a_table_without_its_rule(tmp_path, real_text, real_rows):
    text = _join_pieces(real_text)
    text = re.sub(r"(\n\|[^\n]*\|\n\| 序号[^\n]*\n)\|[-| ]+\|\n", r"\1", text)
    assert_golden(run(tmp_path, text), real_rows)


def test_header_only_on_each_parts_first_piece(tmp_path, real_text, real_rows):
    # a converter that writes the header once: later page pieces start with body rows
    parts = re.split(r"(\n## [23]\) )", real_text)
    out = []
    for chunk in parts:
        first = [True]

        def drop(m: re.Match) -> str:
            if first[0]:
                first[0] = False
                return m.group(0)
            return ""
        out.append(re.sub(r"\| 序号[^\n]*\n\|[-| ]+\|\n", drop, chunk))
    text = "".join(out)
    assert text.count("| 序号") == 3
    assert_golden(run(tmp_path, text), real_rows)


# ---------------------------------------------------------------- more layouts

def test_序号_and_标题_in_one_column(tmp_path, real_text, real_rows):
    def fn(rows: list[list[str]]) -> list[list[str]]:
        head = ["条款及项目", "检查内容", "分值", "代码", "得分率", "得分"]
        body = [[" ".join(x for x in (r[NUMBER], r[HEADING]) if x), r[CONTENT], r[WEIGHT],
                 r[CODE], r[PCT], r[SCORE]] for r in rows[1:]]
        return [head] + body
    assert_golden(run(tmp_path, rewrite_tables(real_text, fn)), real_rows)


def test_header_words_split_over_two_rows(tmp_path, real_text, real_rows):
    def fn(rows: list[list[str]]) -> list[list[str]]:
        return [["序号", "标题", "检查内容", "小类", "代码", "分项", "分项实际"],
                ["", "", "", "分值", "(维度)", "得分%", "得分"]] + rows[1:]
    assert_golden(run(tmp_path, rewrite_tables(real_text, fn)), real_rows)


@pytest.mark.parametrize("style", ["A-1", "A01", "a1", "A 1"])
def test_code_notations(tmp_path, real_text, real_rows, style):
    def code(t: str) -> str:
        m = re.fullmatch(r"([ABC])(\d+)", t)
        if not m:
            return t
        letter, n = m.group(1), int(m.group(2))
        return {"A-1": f"{letter}-{n}", "A01": f"{letter}{n:02d}", "a1": f"{letter.lower()}{n}",
                "A 1": f"{letter} {n}"}[style]
    text = rewrite_tables(real_text, cells(lambda c, t: code(t) if c == CODE else t))
    assert_golden(run(tmp_path, text), real_rows)


def test_parts_lettered_like_their_codes(tmp_path, real_text, real_rows):
    text = real_text
    for old, (title, _, _, mx, sc), letter in zip((PART_A, PART_B, PART_C), PART_FIGURES, "ABC"):
        text = sub(re.escape(old), f"{letter}. {title}（满分{mx}分，实得{sc}分）", text)
    assert_golden(run(tmp_path, text), real_rows)


def test_no_team_table_but_a_team_leader_field(tmp_path, real_text, real_rows):
    text = sub(r"\| 代码 [^\n]*\n(\|[^\n]*\n){3}", "审查组长：王慧霞\n", real_text)
    assert_golden(run(tmp_path, text), real_rows, team=[])


def test_no_percent_column(tmp_path, real_text, real_rows):
    # 标准分 | 得分 only: the item scores are the data; parts, total and level still checked
    text = rewrite_tables(real_text, columns([NUMBER, HEADING, CONTENT, WEIGHT, CODE, SCORE],
                                             {WEIGHT: "标准分", SCORE: "得分"}))
    clauses = golden_clauses(real_rows)
    for c in clauses:
        c.update(score_pct=None, not_applicable=False, computed_score=c["stated_score"])
    rows = run(tmp_path, text)
    assert_golden(rows, real_rows, clauses=clauses, allow=("item_value",))
    assert [c["target"] for c in rows["checks"]] == ["clauses"]  # said once, not per clause


def test_no_percent_column_still_finds_wrong_sums(tmp_path, real_text):
    text = rewrite_tables(real_text, columns([NUMBER, HEADING, CONTENT, WEIGHT, CODE, SCORE]))
    text = sub(r"(\|\s*A44\s*\|\s*)0\.7", r"\g<1>0.8", text)
    text = sub(r"(\|\s*A12\s*\|\s*)5", r"\g<1>6", text)
    errors = sorted((c["check_name"], c["target"]) for c in run(tmp_path, text)["checks"]
                    if c["severity"] == "error")
    assert errors == [("item_score", "A12"), ("section_score", "A"), ("total", "total")]


def test_coefficients_told_by_the_scores_or_said_to_be_unknown(tmp_path, real_text, real_rows):
    # every clause at full marks but A44 / C7, written 1 and 0 under 得分率: the scores
    # tell 1 = 100%; without a score column nothing tells, and the report says so
    text = rewrite_tables(real_text, columns([NUMBER, HEADING, CONTENT, WEIGHT, CODE, PCT, SCORE],
                                             {PCT: "得分率"}))
    text = sub(r"(\|\s*A44\s*\|\s*)70(\s*\|\s*)0\.7", r"\g<1>100\g<2>1", text)
    coef = rewrite_tables(text, cells(_pct(lambda t: "1" if t == "100" else t)))
    rows = run(tmp_path, sub(r"实际得分 72\.7", "实际得分 73", sub(r"总分: 142\.7", "总分: 143", coef)))
    assert rows["reports"][0]["computed_total"] == pytest.approx(143)
    assert rows["checks"] == []
    no_scores = rewrite_tables(coef, columns([NUMBER, HEADING, CONTENT, WEIGHT, CODE, PCT]))
    rows = run(tmp_path, no_scores, "no_scores.md")
    assert [(c["check_name"], c["severity"]) for c in rows["checks"] if c["target"] == "clauses"] == [
        ("item_value", "warning")]


@pytest.mark.parametrize("headers", [
    {PCT: "得分(%)", SCORE: "实际得分(分)", WEIGHT: "分值(分)"},
    {PCT: "得分（%）", SCORE: "得分（分）", WEIGHT: "满分"},
    {PCT: "评分(%)", SCORE: "实得分", WEIGHT: "配分"},
])
def test_header_words_with_units(tmp_path, real_text, real_rows, headers):
    text = rewrite_tables(real_text, columns([NUMBER, HEADING, CONTENT, WEIGHT, CODE, PCT, SCORE],
                                             headers))
    assert_golden(run(tmp_path, text), real_rows)


def test_empty_header_row_above_the_real_one(tmp_path, real_text, real_rows):
    # a converter that took an empty first row for the header
    text = rewrite_tables(real_text, lambda rows: [[""] * 7] + rows)
    assert_golden(run(tmp_path, text), real_rows)


def test_labels_with_a_bracketed_aside_or_spaced_out(tmp_path, real_text, real_rows):
    text = _labels(real_text, [("组织名称：", "受 审 核 方 名 称（全称）："),
                               ("受审查方名称：", "受审查方名称（盖章）："),
                               ("联系人：", "联 系 人：")])
    assert_golden(run(tmp_path, text), real_rows)


def test_person_days_are_not_a_day_count(tmp_path, real_text, real_rows):
    # 审核人日 counts auditor-days (two auditors on one day: 2 人日): not the audit's length
    text = sub(r"本次审查时间: .*", "本次审查时间: 2024年01月17日（审核人日：1.5人日）", real_text)
    assert_golden(run(tmp_path, text), real_rows, report={"audit_days": None})


def test_total_and_level_in_a_table(tmp_path, real_text, real_rows):
    text = sub(r"总分: 142\.7", "| 总得分 | 142.7分 | 评定等级 | 十星级 |\n|---|---|---|---|", real_text)
    assert_golden(run(tmp_path, text), real_rows)


@pytest.mark.parametrize("style", ["☑ before", "■ after", "（√） before"])
def test_conclusion_marked_over_two_lines(tmp_path, real_text, real_rows, style):
    on, off, after = {"☑ before": ("☑", "☐", False), "■ after": ("■", "□", True),
                      "（√） before": ("（√）", "（ ）", False)}[style]

    def mark(m: re.Match) -> str:
        opt = m.group(0)
        box = on if opt == "推荐保持认证注册资格" else off
        return opt + box if after else box + opt
    text = re.sub(r"不?推荐(?:再|保持|恢复)?(?:认证注册资格|变更认证范围)", mark, real_text)
    rows = run(tmp_path, text)
    assert_golden(rows, real_rows)
    assert rows["reports"][0]["conclusion"] == "推荐保持认证注册资格"


def test_pipe_tables_without_outer_pipes(tmp_path, real_text, real_rows):
    text = re.sub(r"(?m)^\|\s?(.*?)\s?\|\s*$", r"\1", real_text)
    assert "\n序号" in text and "\n| 序号" not in text
    assert_golden(run(tmp_path, text), real_rows)



# ---------------------------------------------------------------- whole templates

def test_another_body_template(tmp_path, real_text, real_rows):
    """Many changes at once, as one other body's template and converter would make them."""
    text = rewrite_tables(real_text, columns([CODE, NUMBER, HEADING, CONTENT, WEIGHT, PCT, SCORE],
                                             {CODE: "代码", NUMBER: "条款", HEADING: "项目",
                                              WEIGHT: "分值", PCT: "得分率", SCORE: "得分"}))
    text = rewrite_tables(text, cells(lambda c, t: "不适用" if t == "不涉及" else
                                      t + "%" if c == 5 and t.isdigit() else t))
    order, headers = TEAM_LAYOUTS["人员代码 … 手机, name first"]
    text = rewrite_tables(text, lambda rows: [headers] + [[r[i] for i in order] for r in rows[1:]],
                          kind="team")
    text = _labels(text, OTHER_LABELS)
    text = sub(r"2024 ?年01 ?月17日", "2024.01.17", text, count=0)
    text = sub(r"总分: 142\.7", "审查总得分为 142.7 分，评定等级：十星级", text)
    text = _headings(text, "{cn}、{title}（满分{max}分，实得{score}分）")
    text = _boxes(text, *BOX_STYLES["■ / □"])
    text = _page_gaps(text, RUNNING["footer with page x of y"])
    rows = run(tmp_path, text)
    assert_golden(rows, real_rows, report={"audit_type": "保持认证", "audit_method": "现场审核"})


def test_a_third_body_template(tmp_path, real_text, real_rows):
    text = _basic_info_table(real_text, 4, colon=True)
    text = rewrite_tables(text, cells(lambda c, t: "/" if t == "不涉及" else
                                      _coefficient(t) if c == PCT else t))
    text = rewrite_tables(text, cells(_drop_numbers(4)))
    text = rewrite_tables(text, columns([NUMBER, HEADING, CODE, CONTENT, WEIGHT, PCT, SCORE],
                                        {NUMBER: "条款号", HEADING: "评价项目", CODE: "维度代码",
                                         CONTENT: "评价内容", WEIGHT: "标准分", PCT: "得分系数",
                                         SCORE: "实得分"}))
    text = sub(r"总分: 142\.7", "现场审查总得分：142.7分", text)
    text = _headings(text, "（{cn}）{title} 满分：{max}分 实际得分：{score}分")
    text = re.sub(r"(\|[^\n]*\|)\n{2,}(?=\| 条款号)", r"\1\n", text)  # pieces run together
    text = sub("初次认证 保持认证 再认证 \\|", "[ ]初次认证 [√]保持认证 [ ]再认证 |", text)
    rows = run(tmp_path, text)
    assert_golden(rows, real_rows, report={"audit_type": "保持认证"})


def test_coefficient_header_over_percent_numbers(tmp_path, real_text, real_rows):
    # a header that says 系数 over numbers that can only be percentages (100, 70)
    text = rewrite_tables(real_text, columns([NUMBER, HEADING, CONTENT, WEIGHT, CODE, PCT, SCORE],
                                             {PCT: "得分系数"}))
    assert_golden(run(tmp_path, text), real_rows)


def test_level_beside_the_total_is_checked(tmp_path, real_text):
    rows = run(tmp_path, sub(r"总分: 142\.7", "总分：142.7分（九星级）", real_text))
    assert [(c["check_name"], c["stated"]) for c in rows["checks"]] == [("level", "九星级")]
