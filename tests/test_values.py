"""Value parsing: numbers, percentages, not-applicable words, dates."""
from __future__ import annotations

from datetime import date

import pytest

from certreport.normalise.values import (is_coefficient_column, is_not_applicable, parse_date,
                              parse_date_range, parse_number, parse_percent, same_at_precision)


@pytest.mark.parametrize("text,value", [("72.7", 72.7), ("７２．７", 72.7), ("72.7分", 72.7),
                                        (" 3 ", 3.0), ("1.5", 1.5), ("1O", 10.0), ("", None),
                                        (None, None), ("不涉及", None)])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("word", ["不涉及", "不适用", "N/A", "n/a", "NA", "/", "—", "－", "无", " 不 涉 及 "])
def test_not_applicable_words(word):
    p = parse_percent(word)
    assert p.not_applicable and p.value is None and is_not_applicable(word)


@pytest.mark.parametrize("text,header,coef,value", [
    ("70", "分项得分%", False, 70.0), ("70%", "得分率", False, 70.0), ("７０％", "", False, 70.0),
    ("0.7", "得分系数", None, 70.0), ("0.7", "得分", True, 70.0), ("1", "得分系数", None, 100.0),
    ("70", "得分系数", False, 70.0),  # the caller found the column is no coefficient column
    ("0", "分项得分%", False, 0.0)])
def test_parse_percent(text, header, coef, value):
    assert parse_percent(text, header, coef).value == pytest.approx(value)


def test_coefficient_column_detection():
    assert is_coefficient_column(["1", "0.7", "1", "不涉及"])
    assert not is_coefficient_column(["100", "70", "100"])
    assert is_coefficient_column(["1", "0", "1"]) is None  # no fraction: cannot tell
    assert is_coefficient_column(["0", "0"]) is False  # 0 is 0 either way
    assert not is_coefficient_column(["0.5%", "1"])
    assert is_coefficient_column(["1", "1"], header="得分系数")
    assert not is_coefficient_column(["100", "70"], header="得分系数")  # the numbers say %


def test_coefficient_column_decided_by_the_stated_scores():
    # a column of 1s (every clause at full marks) is 100% when weight x 1 is the score
    assert is_coefficient_column(["1", "1", "不涉及"], "得分率", [(3, 3), (1, 1), (2, 0)])
    assert not is_coefficient_column(["1", "1"], "得分率", [(3, 0.03), (1, 0.01)])
    # the numbers outweigh a header that says %
    assert is_coefficient_column(["1", "0.7"], "分项得分%", [(1, 1), (1, 0.7)])
    assert not is_coefficient_column(["1", "0.7"], "分项得分%")
    assert not is_coefficient_column(["100", "70"], "", [(1, 1), (1, 0.7)])


@pytest.mark.parametrize("text", ["2024年01月17日", "2024.01.17", "2024-01-17", "2024 年01 月17日",
                                  "2024/1/17", "２０２４年１月１７日"])
def test_parse_date_styles(text):
    assert parse_date(text) == date(2024, 1, 17)


@pytest.mark.parametrize("text,start,end,days", [
    ("2024年01月17日-18日(共1.5天)", (2024, 1, 17), (2024, 1, 18), 1.5),
    ("2024年1月31日至2月1日", (2024, 1, 31), (2024, 2, 1), None),
    ("2024.01.17～18（共2天）", (2024, 1, 17), (2024, 1, 18), 2.0),
    ("2024.01.17～2024.01.18", (2024, 1, 17), (2024, 1, 18), None),
    ("2024年01月17日 1天", (2024, 1, 17), (2024, 1, 17), 1.0),
    ("2024年01月17日-1.5个工作日", (2024, 1, 17), (2024, 1, 17), 1.5),
    ("2024年01月17日至18", (2024, 1, 17), (2024, 1, 18), None),
    ("2024年01月17日，共2人日", (2024, 1, 17), (2024, 1, 17), None),  # person-days: no day count
])
def test_parse_date_range_end_without_year(text, start, end, days):
    r = parse_date_range(text)
    assert (r.start, r.end, r.days) == (date(*start), date(*end), days)


def test_parse_date_range_with_days():
    r = parse_date_range("2024年01月17日至2024年01月18日下午(共1.5天)")
    assert (r.start, r.end, r.days) == (date(2024, 1, 17), date(2024, 1, 18), 1.5)
    r = parse_date_range("2024.01.17－2024.01.17（共１．０天）")
    assert (r.start, r.end, r.days) == (date(2024, 1, 17), date(2024, 1, 17), 1.0)
    assert parse_date_range("2024年13月40日").start is None


def test_precision():
    assert same_at_precision(0.7, 0.7, 1)
    assert same_at_precision(1.1, 1.05, 1) and same_at_precision(1.0, 1.05, 1)
    assert not same_at_precision(0.8, 0.7, 1)
    assert not same_at_precision(72.8, 72.7, 1)
    assert same_at_precision(73, 72.7, 0)
