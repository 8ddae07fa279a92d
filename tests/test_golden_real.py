"""Golden test: the one real report, end to end, against the values printed in it."""
from __future__ import annotations

from datetime import date

import pytest


def test_report_fields(real_rows):
    r = real_rows["reports"][0]
    assert r["status"] == "ok" and r["error"] is None
    assert r["spec"] == "CTS ISC-JSGF-06"
    assert r["cert_body"] == "北京国标联合认证有限公司"
    assert r["org_name"] == "新疆鹏森科技股份有限公司"
    assert r["project_no"] == "0029-2023-SE-2024"
    assert r["registered_address"] == "新疆乌鲁木齐市米东区康庄西路 1275 号"
    assert r["audit_address"] == "新疆乌鲁木齐市米东区康庄西路 1275 号"
    assert r["contact_name"] == "惠淑萍"
    assert r["contact_phone"] == "18167825599"
    assert r["audit_start"] == date(2024, 1, 17) and r["audit_end"] == date(2024, 1, 17)
    assert r["audit_days"] == 1.0
    assert r["author"] == "王慧霞"
    assert r["compiled_date"] == date(2024, 1, 17)
    assert r["team_leader"] == "王慧霞"
    assert r["scope"].startswith("木制家具、金属家具") and r["scope"].endswith("（十星级）")


def test_unmarked_check_boxes_are_unknown(real_rows):
    # the export lost the check boxes: 审查类型 and 审查方式 show all options unmarked
    r = real_rows["reports"][0]
    assert r["audit_type"] is None
    assert r["audit_method"] is None


def test_totals_and_levels(real_rows):
    r = real_rows["reports"][0]
    assert r["stated_total"] == 142.7
    assert r["computed_total"] == pytest.approx(142.7)
    assert r["stated_level"] == "十星级" and r["computed_level"] == "十星级"
    parts = {s["section"]: s for s in real_rows["sections"]}
    assert [(parts[s]["stated_max"], parts[s]["stated_score"]) for s in "ABC"] == [
        (73, 72.7), (39, 34), (38, 36)]
    assert [parts[s]["computed_max"] for s in "ABC"] == [73, 39, 38]
    assert [parts[s]["computed_score"] for s in "ABC"] == pytest.approx([72.7, 34, 36])


def test_clause_rows(real_rows):
    clauses = real_rows["clauses"]
    coded = [c for c in clauses if c["code"]]
    assert len(clauses) == 94 and len(coded) == 93
    codes = [c["code"] for c in coded]
    assert codes == [f"A{i}" for i in range(1, 51)] + [f"B{i}" for i in range(1, 29)] + [
        f"C{i}" for i in range(1, 16)]
    uncoded = [c for c in clauses if not c["code"]]
    assert [(c["clause_no"], c["weight"], c["match_method"]) for c in uncoded] == [
        ("5.1.1.3", 0.0, "number")]
    by = {c["code"]: c for c in coded}
    a44 = by["A44"]
    assert (a44["weight"], a44["score_pct"], a44["stated_score"], a44["computed_score"]) == (
        1.0, 70.0, 0.7, 0.7)
    c7 = by["C7"]
    assert (c7["weight"], c7["score_pct"], c7["stated_score"]) == (2.0, 0.0, 0.0)
    for code in ("B25", "B26", "B27", "B28"):
        assert by[code]["not_applicable"] and by[code]["score_pct"] is None
        assert by[code]["stated_score"] == 0 and by[code]["computed_score"] == 0
    assert sum(by[c]["weight"] for c in ("B25", "B26", "B27", "B28")) == 5
    assert by["B6"]["weight"] == 1.5 and by["C2"]["weight"] == 3 and by["A12"]["weight"] == 5
    # the 5.2.3 heading row sits beside B11's continuation: B11 keeps its text, B12 is 5.2.2.7
    assert by["B11"]["text"].endswith("提高组织的技术改进和创新的能力。")
    assert (by["B12"]["clause_no"], by["B12"]["subsection_no"]) == ("5.2.2.7", "5.2.2")
    assert by["B14"]["subsection_no"] == "5.2.3"
    # nested clauses stay in C2; identical texts keep their own codes
    assert "5.3.1.2.3" in by["C2"]["text"]
    assert (by["C5"]["clause_no"], by["C11"]["clause_no"]) == ("5.3.1.5", "5.3.2.6")
    # every clause row's weight equals the catalogue's, and all matched well
    assert all(c["weight"] == c["catalogue_weight"] for c in clauses)
    assert min(c["match_score"] for c in clauses) >= 95
    assert all(c["page"] is not None for c in clauses)


def test_page_split_rows_are_joined(real_rows):
    by = {c["code"]: c for c in real_rows["clauses"] if c["code"]}
    assert "规定,并体现以客户为中心的思想" in by["A7"]["text"]  # 5.1.1.8 continues on the next page
    assert by["A50"]["text"].rstrip().endswith("进行测评。")  # continued after the part's last page
    assert by["A7"]["page"] < by["A8"]["page"]


def test_team(real_rows):
    assert real_rows["team"] == [{
        "report_id": real_rows["reports"][0]["report_id"], "member_code": "ISC-247788",
        "name": "王慧霞", "role": "组长", "cert_no": "2021-S2SC-1247788",
        "specialty_code": "02.01", "phone": "18133826030",
        "source": "text"}]  # the empty team row is dropped


def test_no_findings(real_rows):
    assert real_rows["checks"] == []
