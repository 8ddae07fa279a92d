"""Clause matching: code, then clause number, then text; slips and misfits."""
from __future__ import annotations

import pytest

from certreport.extract.record import ScoreRow, Text
from certreport.normalise.match import ClauseMatcher, read_code, read_number
from certreport.schemas.catalogue import default_scheme

SCHEME = default_scheme()


def row(content: str, code: str | None = None, part: str | None = None) -> ScoreRow:
    return ScoreRow(part=part, subsection=None, heading=None, content=Text(content),
                    code=Text(code) if code else None)


def clause(code: str):
    return SCHEME.clause_by_code(code)


@pytest.mark.parametrize("raw,code", [("A12", "A12"), ("Al0", "A10"), ("B1O", "B10"),
                                      ("c 7", "C7"), ("Ａ４４", "A44"), ("代码", None), ("", None)])
def test_read_code_mends_look_alikes(raw, code):
    assert read_code(raw) == code


def test_read_number_mends_look_alikes():
    assert read_number("5.l.2.3 评估潜在")[0] == "5.1.2.3"
    assert read_number("5．1．1．10 建立")[0] == "5.1.1.10"
    assert read_number("5.3.1.2 顾客和市场的了解\n5.3.1.2.1 根据")[0] == "5.3.1.2"
    assert read_number("进行测评。")[0] is None


def test_code_wins_and_text_scores():
    c = clause("A13")
    m = ClauseMatcher(SCHEME).match(row(f"{c.number} {c.text}", "A13"), "A", None)
    assert (m.clause.code, m.method, m.score, m.findings) == ("A13", "code", 100.0, ())


def test_number_without_code():
    c = clause("B7")
    m = ClauseMatcher(SCHEME).match(row(f"{c.number} {c.text}"), None, None)
    assert (m.clause.code, m.method) == ("B7", "number")


def test_code_and_number_disagree_is_a_finding():
    c = clause("A13")  # 5.1.2.3
    m = ClauseMatcher(SCHEME).match(row(f"{c.number} {c.text}", "A12"), "A", None)
    assert m.clause.code == "A13"  # the text decides between the two
    (f,) = m.findings
    assert (f.check, f.severity) == ("clause_match", "error")
    assert "A12" in f.message and "5.1.2.3" in f.message


def _slipped(text: str) -> str:
    # typical conversion slips: punctuation dropped, look-alike characters
    text = (text.replace("，", "").replace("、", "").replace("。", "").replace("问卷", "何卷")
            .replace("投诉量", "投诉最").replace("顾客", "顾各", 1))
    return text[:4] + ("未" if text[4] != "未" else "末") + text[5:]


@pytest.mark.parametrize("code", ["A1", "A14", "A23", "B2", "B18", "C2", "C9", "C13"])
def test_text_with_slips_and_no_number_still_matches(code):
    c = clause(code)
    exact = ClauseMatcher(SCHEME).match(row(c.text), c.section, None)
    slipped = ClauseMatcher(SCHEME).match(row(_slipped(c.text)), c.section, None)
    assert exact.clause.code == code and exact.method == "text" and exact.score == 100
    assert slipped.clause.code == code and slipped.method == "text"
    assert slipped.score < exact.score
    assert slipped.findings == ()


def test_identical_texts_resolve_by_position():
    c5, c11 = clause("C5"), clause("C11")
    assert c5.text == c11.text
    m = ClauseMatcher(SCHEME)
    order = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8", "C9", "C10", "C11"]
    got = [m.match(row(clause(c).text), "C", None).clause.code for c in order]
    assert got == order


def test_identical_texts_resolve_by_subsection():
    c11 = clause("C11")
    m = ClauseMatcher(SCHEME).match(row(c11.text), "C", "5.3.2")
    assert m.clause.code == "C11"


def test_row_fitting_nothing_is_a_finding():
    m = ClauseMatcher(SCHEME).match(row("本公司食堂菜单每周更新一次，午餐供应时间为十一点半"), "A", None)
    assert m.clause is None and m.method is None
    (f,) = m.findings
    assert (f.check, f.severity) == ("clause_match", "error")


def test_unknown_code_is_a_finding_and_number_decides():
    c = clause("A3")
    m = ClauseMatcher(SCHEME).match(row(f"{c.number} {c.text}", "A99"), "A", None)
    assert m.clause.code == "A3" and m.method == "number"
    assert [f.check for f in m.findings] == ["clause_match"]


def test_duplicate_clause_is_a_finding():
    c = clause("A3")
    m = ClauseMatcher(SCHEME)
    m.match(row(c.text, "A3"), "A", None)
    second = m.match(row(c.text, "A3"), "A", None)
    assert [f.check for f in second.findings] == ["duplicate_clause"]
