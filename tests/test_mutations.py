"""Copies of the real report with one number changed each produce exactly the matching
error finding, and nothing else."""
from __future__ import annotations

import re

import pytest

from certreport.pipeline import process_file


def _errors(tmp_path, text: str) -> list[tuple[str, str]]:
    path = tmp_path / "mutant.md"
    path.write_text(text, encoding="utf-8")
    rows = process_file(path).rows
    assert rows["reports"][0]["status"] == "ok"
    return sorted((c["check_name"], c["target"]) for c in rows["checks"] if c["severity"] == "error")


def _sub(pattern: str, repl: str, text: str) -> str:
    new, n = re.subn(pattern, repl, text, count=1)
    assert n == 1, pattern
    return new


MUTATIONS = {
    "item score A44 0.7 -> 0.8": (r"(\|\s*A44\s*\|\s*70\s*\|\s*)0\.7", r"\g<1>0.8",
                                  [("item_score", "A44")]),
    "not-applicable B25 scored 1": (r"(\|\s*B25\s*\|\s*不涉及\s*\|\s*)0", r"\g<1>1",
                                    [("item_score", "B25")]),
    "part A score 72.7 -> 73.7": (r"实际得分 72\.7 分", "实际得分 73.7 分", [("section_score", "A")]),
    "part B maximum 39 -> 40": (r"本部分满分 39 分", "本部分满分 40 分", [("section_max", "B")]),
    "total 142.7 -> 141.7": (r"总分: 142\.7", "总分: 141.7", [("total", "total")]),
    "level in the scope line": (r"投诉处理）。（十星级）", "投诉处理）。（九星级）", [("level", "total")]),
    "subsection heading 4+8 -> 4+9": (r"\(4\+8分\)", "(4+9分)", [("subsection_max", "5.1.1")]),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_one_changed_number_one_finding(tmp_path, real_text, name):
    pattern, repl, expected = MUTATIONS[name]
    assert _errors(tmp_path, _sub(pattern, repl, real_text)) == expected


def test_finding_carries_stated_and_computed(tmp_path, real_text):
    text = _sub(r"(\|\s*A44\s*\|\s*70\s*\|\s*)0\.7", r"\g<1>0.8", real_text)
    path = tmp_path / "m.md"
    path.write_text(text, encoding="utf-8")
    (finding,) = [c for c in process_file(path).rows["checks"] if c["severity"] == "error"]
    assert (finding["stated"], finding["computed"]) == ("0.8", "0.7")
    assert finding["page"] is not None and "A44" in finding["message"]


def test_changed_percent_shows_wherever_its_recomputation_reaches(tmp_path, real_text):
    text = _sub(r"(\|\s*A44\s*\|\s*)70", r"\g<1>80", real_text)
    assert _errors(tmp_path, text) == [("item_score", "A44"), ("section_score", "A"),
                                       ("total", "total")]


def test_total_below_stated_level_gives_total_and_level(tmp_path, real_text):
    text = _sub(r"总分: 142\.7", "总分: 139.7", real_text)
    assert _errors(tmp_path, text) == [("level", "total"), ("level", "total"), ("total", "total")]


# --- special items (特别项) on the real report: the sentence, with totals as stated ---

NONE_LINE = r"4\) 特别项: 无特别扣分项, 也没有特别加分项。"
SPECIAL = ("4) 特别项: 特别扣分项 {n} 项，扣 {p} 分（售后服务记录不完整、投诉处理超时）；"
           "特别加分项 1 项，加 1 分（服务信息平台行业领先）。")


def _special(text: str, n: int, points: int, total: str) -> str:
    text = _sub(NONE_LINE, SPECIAL.format(n=n, p=points), text)
    return _sub(r"总分: 142\.7", f"总分: {total}", text)


def test_special_items_change_the_total(tmp_path, real_text):
    # 142.7 - 2 + 1 = 141.7: no finding (before, a false total error)
    path = tmp_path / "special.md"
    path.write_text(_special(real_text, 2, 2, "141.7"), encoding="utf-8")
    rows = process_file(path).rows
    r = rows["reports"][0]
    assert [c for c in rows["checks"] if c["severity"] == "error"] == []
    assert (r["stated_total"], r["computed_total"]) == (141.7, 141.7)
    assert (r["special_deduction"], r["special_addition"]) == (2.0, 1.0)
    assert r["special_reasons"] == "售后服务记录不完整、投诉处理超时；服务信息平台行业领先"
    assert r["computed_level"] == "十星级"


def test_total_ignoring_special_items_is_flagged(tmp_path, real_text):
    assert _errors(tmp_path, _special(real_text, 2, 2, "142.7")) == [("total", "total")]


def test_special_points_against_their_count(tmp_path, real_text):
    # 2 items at 1 point each, 3 points stated: the count decides the total
    assert _errors(tmp_path, _special(real_text, 2, 3, "141.7")) == [
        ("special_items", "special_deduction")]


def test_five_points_of_deductions_grant_no_level(tmp_path, real_text):
    # 142.7 - 5 + 1 = 138.7 and the report still states 十星级 in its scope lines
    errors = _errors(tmp_path, _special(real_text, 5, 5, "138.7"))
    assert set(errors) == {("level", "total")} and len(errors) >= 2
    path = tmp_path / "m.md"
    path.write_text(_special(real_text, 5, 5, "138.7"), encoding="utf-8")
    r = process_file(path).rows["reports"][0]
    assert r["computed_level"] is None and r["computed_total"] == 138.7
