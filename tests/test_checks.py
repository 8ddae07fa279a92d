"""The arithmetic checks: item scores, subsection headings, parts."""
from __future__ import annotations

import pytest

from certreport.extract.record import SubsectionHeading, Text
from certreport.normalise.checks import (ClauseValues, check_items, check_parts, check_subsections,
                                         computed_item, heading_points, reconciled,
                                         report_precision)
from certreport.normalise.parts import PartTotals
from certreport.schemas.catalogue import default_scheme

SCHEME = default_scheme()


def it(target: str, weight, pct, stated, na: bool = False, sub: str | None = None) -> ClauseValues:
    return ClauseValues("A", sub, target, weight, pct, na, stated, computed_item(weight, pct, na))


@pytest.mark.parametrize("weight,pct,na,value", [
    (1.0, 70.0, False, 0.7), (1.5, 70.0, False, 1.05), (3.0, None, True, 0.0), (None, 70.0, False, None),
    (2.0, None, False, None)])
def test_computed_item(weight, pct, na, value):
    assert computed_item(weight, pct, na) == value


@pytest.mark.parametrize("text,points", [
    ("组织架构(4+8分)", (4.0, 8.0)), ("组织架构（４＋８分）", (4.0, 8.0)), ("服务系统 +10分", (0.0, 10.0)),
    ("人员配置(6分)", (None, None)), (None, (None, None))])
def test_heading_points(text, points):
    assert heading_points(text) == points


def test_check_items():
    items = [it("A1", 1.0, 70.0, 0.7), it("A2", 1.5, 70.0, 1.1),  # 1.05 written 1.1: fine
             it("A3", 1.0, 70.0, 0.8), it("B25", 1.0, None, 1.0, na=True),
             it("A4", 2.0, None, 3.0), it("A5", 2.0, None, 1.0)]
    found = [(f.check, f.severity, f.target, f.stated, f.computed) for f in check_items(items, 1)]
    assert found == [("item_score", "error", "A3", 0.8, 0.7),
                     ("item_score", "error", "B25", 1.0, 0.0),
                     ("item_score", "error", "A4", 3.0, 2.0),     # above its weight
                     ("item_value", "warning", "A5", 1.0, None)]  # no % to check against


def test_reconciled_keeps_the_report_rounding():
    assert reconciled(it("A2", 1.5, 70.0, 1.1), 1) == 1.1
    assert reconciled(it("A3", 1.0, 70.0, 0.8), 1) == 0.7


def test_check_subsections():
    items = [it("A1", 1.0, 100.0, 1.0, sub="5.1.1"), it("A2", 3.0, 100.0, 3.0, sub="5.1.1")]
    good = SubsectionHeading("售后服务体系", Text("5.1.1"), Text("组织架构(4+0分)"))
    bad = SubsectionHeading("售后服务体系", Text("5.1.1"), Text("组织架构(4+1分)"))
    lost = SubsectionHeading("售后服务体系", None, Text("组织架构(3+1分)"))  # number from the title
    assert check_subsections([good], items, SCHEME) == []
    (f,) = check_subsections([bad], items, SCHEME)
    assert (f.check, f.target, f.stated, f.computed) == ("subsection_max", "5.1.1", 5.0, 4.0)
    assert check_subsections([lost], items, SCHEME) == []


def parts_row(stated_max, stated, computed_max, computed, rounded=None) -> PartTotals:
    return PartTotals("B", "商品服务", 39, stated_max, stated, computed_max, computed,
                      rounded if rounded is not None else computed, 28, None)


def test_check_parts():
    assert check_parts([parts_row(39, 34, 39, 34)], 1) == []
    assert check_parts([parts_row(39, 34.1, 39, 34.05)], 1) == []  # at the report's precision
    assert check_parts([parts_row(39, 34.2, 39, 34.05, rounded=34.2)], 1) == []  # items as written
    assert check_parts([parts_row(None, None, 39, 34)], 1) == []
    found = [(f.check, f.stated, f.computed) for f in check_parts([parts_row(40, 35, 39, 34)], 1)]
    assert found == [("section_max", 40, 39), ("section_score", 35, 34)]


def test_part_row_is_the_sections_table_row():
    assert parts_row(39, 34, 39, 34).row() == {
        "section": "B", "title": "商品服务", "stated_max": 39, "stated_score": 34,
        "computed_max": 39, "computed_score": 34, "scheme_max": 39, "clause_count": 28,
        "page": None, "line": None,  # where the part's heading stands (none given here)
        "box_x0": None, "box_top": None, "box_x1": None, "box_bottom": None,
        "source": None}


def test_report_precision():
    assert report_precision(["72.7", "3", None, "1.05"]) == 2
    assert report_precision([None]) == 0
