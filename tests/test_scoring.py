"""Scoring rules as scheme data: the rule registry, special items, the normalised score of
GB/T 27922-2011, the intermediate figures and the level under the deduction limit."""
from __future__ import annotations

import textwrap

import pytest

from certreport.extract.record import (FieldValue, Record, ScoreFigures, SpecialItems, Text)
from certreport.normalise.checks import ClauseValues
from certreport.normalise.parts import PartTotals
from certreport.normalise.rules import SCORE_RULES, level_for, normalised, plain_sum, score_rule
from certreport.normalise.scoring import (FinalScore, SpecialValues, check_figures, check_levels,
                                          check_rule, check_special, check_total, final_score,
                                          special_values)
from certreport.pipeline import process_file
from certreport.schemas.catalogue import SCHEMES_ENV, Scoring, load_schemes
from tests.test_third_scheme import REPORT, SCHEME

CTS, GBT = load_schemes()[:2]
assert (CTS.id, GBT.id) == ("CTS ISC-JSGF-06", "GB/T 27922-2011")


def part(section: str, stated: float | None, computed: float, maximum: float) -> PartTotals:
    return PartTotals(section, section, maximum, maximum, stated, maximum, computed, computed,
                      3, None)


def item(section: str, weight: float, computed: float, na: bool = False) -> ClauseValues:
    return ClauseValues(section, None, f"{section}?", weight, None if na else 100.0, na,
                        computed, computed)


# --- rules -------------------------------------------------------------------------------------


def test_registered_rules_cover_the_shipped_schemes():
    assert {s.scoring.rule for s in load_schemes()} <= set(SCORE_RULES)
    assert plain_sum(142.7, 145, CTS) == 142.7
    assert normalised(85.5, 95, GBT) == 90.0
    assert normalised(84.05, 100, GBT) == 84.05  # no float drift before rounding half-up
    assert normalised(85.5, 0, GBT) is None


@pytest.mark.parametrize("score,deductions,level", [
    (142.7, 0, "十星级"), (142.7, 4, "十星级"), (142.7, 5, None), (142.7, 6.5, None),
    (69.9, 0, None), (None, 0, None)])
def test_level_under_the_deduction_limit(score, deductions, level):
    assert level_for(CTS, score, deductions) == level


def test_an_unknown_rule_sums_plainly_with_a_warning():
    from dataclasses import replace
    odd = replace(CTS, scoring=Scoring(rule="golden_ratio"))
    (f,) = check_rule(odd)
    assert (f.check, f.severity, f.stated) == ("scoring_rule", "warning", "golden_ratio")
    final = final_score([part("A", 10, 10, 20)], [item("A", 20, 10)], SpecialValues(), odd, 1)
    assert final.total == 10 and final.rule == "plain_sum"


def test_a_new_rule_is_a_data_file_and_one_function(tmp_path, monkeypatch):
    """A made-up scheme whose score is the share of its maximum in percent: the catalogue
    names the rule, one registered function implements it."""
    @score_rule("percent_of_max")
    def percent_of_max(raw, applicable, scheme):
        return raw / scheme.total_max * 100

    try:
        folder = tmp_path / "schemes"
        folder.mkdir()
        scheme = SCHEME.replace("parts:\n", "scoring:\n  rule: percent_of_max\n  places: 0\n"
                                "parts:\n", 1)
        (folder / "test3.yaml").write_text(scheme, encoding="utf-8")
        report = tmp_path / "report.md"
        report.write_text(REPORT.replace("总分: 9.0", "总分: 90"), encoding="utf-8")
        monkeypatch.setenv(SCHEMES_ENV, str(folder))
        rows = process_file(report).rows
        r = rows["reports"][0]
        assert (r["spec"], r["stated_total"], r["computed_total"]) == ("TEST-3", 90.0, 90.0)
        assert [c for c in rows["checks"] if c["severity"] == "error"] == []
    finally:
        del SCORE_RULES["percent_of_max"]


# --- special items -------------------------------------------------------------------------------


def test_special_values_read_counts_points_and_none():
    sp = special_values(SpecialItems(deduction_count=Text("两"), deduction_points=Text("-2"),
                                     addition_none=True, reasons=(Text("记录不全"),)))
    assert (sp.stated, sp.deduction_count, sp.deduction_points) == (True, 2, 2.0)
    assert (sp.addition_count, sp.addition_points, sp.reasons) == (0, 0.0, ("记录不全",))
    assert special_values(None) == SpecialValues()
    assert SpecialValues().points("deduction", 1) == (0.0,)
    assert SpecialValues(True, 3, 2.0).points("deduction", 1) == (3.0, 2.0)


@pytest.mark.parametrize("special,found", [
    (SpecialValues(True, 2, 2.0, 1, 1.0), []),
    (SpecialValues(True, 2, 3.0, 0, 0.0), [("special_deduction", 3.0, 2.0)]),
    (SpecialValues(True, 0, 0.0, 2, 2.0), [("special_addition", 2, 1)]),  # at most one
    (SpecialValues(True, 0, 0.0, 1, 2.0), [("special_addition", 2.0, 1.0)]),
    (SpecialValues(True, None, 4.0, None, None), []),  # points without a count: nothing to check
])
def test_check_special(special, found):
    assert [(f.target, f.stated, f.computed) for f in check_special(special, CTS)] == found


# --- the final score ---------------------------------------------------------------------------


def gbt_case(special: SpecialValues = SpecialValues()) -> FinalScore:
    # 95 applicable points of 100 (5 deleted), 85.5 scored: 85.5 / 95 × 100 = 90.0
    parts = [part("A", 35.5, 35.5, 40), part("B", 30, 30, 35), part("C", 20, 20, 25)]
    items = [item("A", 40, 35.5), item("B", 30, 30), item("B", 5, 0, na=True), item("C", 25, 20)]
    return final_score(parts, items, special, GBT, 1)


def test_gbt_final_score_is_normalised_then_special_items():
    final = gbt_case()
    assert (final.raw, final.applicable, final.before_special, final.total) == (85.5, 95, 90.0, 90.0)
    final = gbt_case(SpecialValues(True, 2, 2.0, 1, 1.0))
    assert (final.deduction, final.addition, final.total) == (2.0, 1.0, 89.0)


def test_cts_final_score_is_a_plain_sum():
    parts = [part("A", 72.7, 72.7, 73), part("B", 34, 34, 39), part("C", 36, 36, 38)]
    items = [item("A", 73, 72.7), item("B", 34, 34), item("B", 5, 0, na=True), item("C", 38, 36)]
    final = final_score(parts, items, SpecialValues(True, 2, 2.0, 1, 1.0), CTS, 1)
    assert (final.raw, final.before_special, final.total) == (142.7, 142.7, 141.7)
    assert check_total(141.7, final, 1, None) == []
    (f,) = check_total(142.7, final, 1, None)
    assert (f.check, f.stated, f.computed) == ("total", 142.7, 141.7)
    assert "− 2 + 1 special" in f.message


def test_total_agrees_with_the_points_as_stated():
    # 2 items (2 points by the rule) but 3 stated: the total may follow either
    final = gbt_case(SpecialValues(True, 2, 3.0, 0, 0.0))
    assert final.total == 88.0 and 87.0 in final.total_ways
    assert check_total(87.0, final, 1, None) == [] and check_total(88.0, final, 1, None) == []


def figures(raw="85.5", applicable="95", normalised_="90.0", f_raw=None, f_max=None):
    t = lambda v: Text(v) if v is not None else None  # noqa: E731
    return ScoreFigures(t(raw), t(applicable), t(normalised_), t(f_raw), t(f_max))


@pytest.mark.parametrize("figs,found", [
    (figures(), []),
    (figures(raw="86.5"), [("raw_total", 86.5, 85.5), ("normalised", 90.0, 91.1)]),
    (figures(raw="86.5", f_raw="85.5", f_max="95"), [("raw_total", 86.5, 85.5)]),
    (figures(applicable="100", f_raw="85.5", f_max="95"), [("applicable_max", 100.0, 95.0)]),
    (figures(normalised_="91.0", f_raw="85.5", f_max="95"), [("normalised", 91.0, 90.0)]),
    (figures(raw=None, applicable=None, normalised_="91.0"), [("normalised", 91.0, 90.0)]),
    (ScoreFigures(), []),
])
def test_check_figures(figs, found):
    got = check_figures(figs, gbt_case(), 1, total_is_normalised=False)
    assert [(f.target, f.stated, f.computed) for f in got] == found


def test_normalised_score_as_the_total_is_checked_once():
    figs = figures(raw=None, applicable=None, normalised_="91.0")
    assert check_figures(figs, gbt_case(), 1, total_is_normalised=True) == []


def test_levels_under_the_deduction_rule():
    scope = FieldValue("scope", "审查范围", Text("四星级"))
    record = Record("r.md", "markdown", levels=(scope,))
    assert check_levels(record, GBT, 90.0, gbt_case()) == []
    five = gbt_case(SpecialValues(True, 5, 5.0, 0, 0.0))
    (f,) = check_levels(record, GBT, 85.0, five)
    assert (f.check, f.stated, f.computed) == ("level", "四星级", None)
    assert "grant no level" in f.message
    assert check_levels(Record("r.md", "markdown"), GBT, 85.0, five) == []


def test_report_columns_of_the_issue_example(tmp_path):
    """The GB/T phrasing of the issue: stated total, raw total and applicable points."""
    text = textwrap.dedent("""\
        依据 GB/T 27922-2011《商品售后服务评价体系》

        实际得分合计 85.5 分，涉及项总分值 95 分，评分 = 85.5 ÷ 95 × 100 = 90.0 分

        4) 特别项: 特别扣分项 2 项，扣 2 分（未按时回访）；特别加分项 1 项，加 1 分（服务平台领先）。
        """)
    path = tmp_path / "gbt.md"
    path.write_text(text, encoding="utf-8")
    r = process_file(path).rows["reports"][0]
    assert (r["stated_total"], r["raw_total"], r["applicable_max"]) == (90.0, 85.5, 95.0)
    assert (r["special_deduction"], r["special_addition"]) == (2.0, 1.0)
    assert r["special_reasons"] == "未按时回访；服务平台领先"
