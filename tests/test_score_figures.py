"""Reading the 特别项 part and the figures of a final score from a report's lines."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from certreport.extract.record import Table, Text, Where
from certreport.extract.score_figures import (figure_spans, read_score_figures,
                                              read_special_items)
from certreport.schemas.vocabulary import vocabulary

PHRASES = vocabulary().scoring
LEVEL_RULE = "对于评分达到 70 分以上（含 70 分），且特别扣分项低于 5 分的企业，按照以下要求进行级别划分："


@dataclass(frozen=True)
class Line:
    text: str
    where: Where = Where()


def special(*texts: str, blocks=()):
    return read_special_items([Line(t) for t in texts], PHRASES, blocks)


def triple(sp) -> tuple:
    val = lambda t: t.text if t else None  # noqa: E731
    return (val(sp.deduction_count), val(sp.deduction_points), sp.deduction_none,
            val(sp.addition_count), val(sp.addition_points), sp.addition_none,
            tuple(t.text for t in sp.reasons))


@pytest.mark.parametrize("text,expected", [
    ("4) 特别项: 特别扣分项 2 项，扣 2 分（记录不全、回访缺失）；特别加分项 1 项，加 1 分（平台领先）。",
     ("2", "2", False, "1", "1", False, ("记录不全、回访缺失", "平台领先"))),
    ("三、特别项：特别扣分项：3项，共扣3分，原因：投诉处理超时；特别加分项：1项，共加1分，原因：获奖。",
     ("3", "3", False, "1", "1", False, ("投诉处理超时", "获奖"))),
    ("（4）特别项：特别扣分项两项，扣除2分（网点信息过期）；无特别加分项。",
     ("两", "2", False, None, None, True, ("网点信息过期",))),
    ("4) 特别项: 特别扣分项 ５ 项，扣 ５ 分；也没有特别加分项。",
     ("５", "５", False, None, None, True, ())),
    ("4) 特别项: 无特别扣分项, 也没有特别加分项。", (None, None, True, None, None, True, ())),
    ("（4）特别项：无。", (None, None, True, None, None, True, ())),
    ("4) 特别项: 无特别扣分项。", (None, None, True, None, None, False, ())),
    ("特别扣分项 2 2 未按时回访", ("2", "2", False, None, None, False, ("未按时回访",))),  # a table row
])
def test_special_item_phrasings(text, expected):
    assert triple(special(LEVEL_RULE, text)) == expected


def test_the_level_rule_is_no_special_item():
    assert special(LEVEL_RULE, "总分: 142.7") is None


def test_a_table_of_special_items():
    rows = [["类别", "项数", "分值", "原因说明"], ["特别扣分项", "2", "2", "记录不全"],
            ["特别加分项", "0", "0", ""]]
    table = Table(tuple(tuple(Text(c) for c in r) for r in rows))
    assert triple(special(LEVEL_RULE, blocks=[table])) == (
        "2", "2", False, "0", "0", False, ("记录不全",))


def test_a_table_ruled_by_rows_only_puts_reasons_beside_their_header():
    # a PDF table without vertical rules: the reasons cell lands in a column of its own
    rows = [["类别", "项数", "分值", "", "原因说明"], ["特别扣分项", "1", "1", "记录不全", ""]]
    table = Table(tuple(tuple(Text(c) for c in r) for r in rows))
    assert triple(special(blocks=[table])) == ("1", "1", False, None, None, False, ("记录不全",))


@pytest.mark.parametrize("text,expected", [
    ("实际得分合计 85.5 分，涉及项总分值 95 分，评分 = 85.5 ÷ 95 × 100 = 90.0 分",
     ("85.5", "95", "90.0", "85.5", "95")),
    ("涉及项总分值：95分；实得分合计：85.5分；折算评分：85.5/95×100=90.0分。",
     ("85.5", "95", "90.0", "85.5", "95")),
    ("各部分实际得分之和为85.5分，涉及项满分为95分，评分为85.5÷95×100%=90.0分。",
     ("85.5", "95", "90.0", "85.5", "95")),
    ("标准化得分为 90.0 分", (None, None, "90.0", None, None)),
    ("评分 = ８５.５ ÷ ９５ × 100 = ９０.０ 分", (None, None, "９０.０", "８５.５", "９５")),
    (LEVEL_RULE, (None, None, None, None, None)),
])
def test_score_figure_phrasings(text, expected):
    f = read_score_figures([Line(text)], PHRASES)
    val = lambda t: t.text if t else None  # noqa: E731
    assert (val(f.raw_total), val(f.applicable_max), val(f.normalised), val(f.formula_raw),
            val(f.formula_max)) == expected


def test_figures_are_blanked_for_the_total_search():
    text = figure_spans("涉及项总分 95 分，评价总得分：89.0分", PHRASES)
    assert "95" not in text and "评价总得分：89.0分" in text
