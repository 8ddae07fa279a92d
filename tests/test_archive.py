"""Checks across the archive on generated reports: auditors in two places at once, reused
certificate numbers, shared project numbers; organisations; recomputed on re-import and
removal; shown by ``certreport check`` with both reports."""
from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from certreport.cli import app
from certreport.normalise.archive import (check_archive, member_keys, norm_code, norm_phone,
                                          org_id_of, org_key)
from certreport.pipeline import import_paths, refresh_archive
from certreport.store import Warehouse
from synth.archive import member, render, retarget
from synth.truth import make_truth

runner = CliRunner()

M1 = member("ISC-710001", "王建国", "2020-S2SC-1710001", "13900000001")
M2 = member("ISC-710002", "李海燕", "2019-S2SC-1710002", "13900000002")
M3 = member("ISC-710003", "赵志强", "2021-S2SC-1710003", "13900000003")
# another person under M1's certificate number (a reused or mistyped number)
M4 = member("ISC-710004", "孙立新", M1["cert_no"], "13900000004")
M5 = member("ISC-710005", "周晓东", "2018-S2SC-1710005", "13900000005")

# (file stem, organisation, first day, days, project number, team)
PLAN = [
    ("overlap_a", "新疆鹏森科技股份有限公司", date(2023, 3, 1), 2, "0101-2023-SE-2023", [M1]),
    ("overlap_b", "北京恒远家具有限公司", date(2023, 3, 2), 1, "0102-2023-SE-2023", [M1]),
    ("adjacent_a", "上海华宇电子有限公司", date(2023, 4, 10), 2, "0103-2023-SE-2023", [M2]),
    ("adjacent_b", "天津金诚机械有限公司", date(2023, 4, 12), 1, "0104-2023-SE-2023", [M2]),
    # the same organisation twice (its name written with full-width brackets and a space)
    ("same_org_a", "广州博雅(集团)有限公司", date(2023, 5, 8), 2, "0105-2021-SE-2023", [M3]),
    ("same_org_b", "广州博雅（集团） 有限公司", date(2023, 5, 9), 1, "0105-2021-SE-2023", [M3]),
    ("reused_cert", "深圳新锐照明有限公司", date(2023, 9, 1), 1, "0106-2023-SE-2023", [M4]),
    ("shared_project", "杭州泰和建材有限公司", date(2023, 10, 1), 1, "0103-2023-SE-2023", [M5]),
]


BODY = "北京国标联合认证有限公司"


def _truths(plan=PLAN):
    """The plan's truths, all by one certification body (project numbers are per body)."""
    return [retarget(make_truth(900 + i, "classic"), org_name=org, start=start, days=days,
                     project_no=project, team=team, cert_body=BODY)
            for i, (_, org, start, days, project, team) in enumerate(plan)]


def _render(root: Path, plan=PLAN) -> dict[str, Path]:
    paths = render(_truths(plan), root / "in")
    named = {}
    for (stem, *_), p in zip(plan, paths):
        named[stem] = p.rename(p.with_name(f"{stem}.docx"))
        p.with_name(p.stem + ".truth.json").unlink()
    return named


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """The plan rendered and imported: (root, file stem -> path, warehouse)."""
    root = tmp_path_factory.mktemp("archive")
    files = _render(root)
    summary = import_paths([root / "in"], root / "wh")
    assert summary.counts["ok"] == len(PLAN), summary.line("wh")
    found = len(pd.read_parquet(root / "wh" / "archive_checks"))
    assert summary.archive_findings == found
    assert f"; {found} finding(s) across the archive" in summary.line("wh")
    return root, files, root / "wh"


def _found(wh: Path) -> pd.DataFrame:
    f = pd.read_parquet(wh / "archive_checks")
    r = pd.read_parquet(wh / "reports")[["report_id", "source_path"]]
    stem = r.set_index("report_id")["source_path"].map(lambda p: Path(p).stem)
    return f.assign(stem=f["report_id"].map(stem), other_stem=f["other_report_id"].map(stem))


def _pairs(found: pd.DataFrame, check: str) -> set[tuple[str, str]]:
    got = found[found["check_name"] == check]
    return set(zip(got["stem"], got["other_stem"]))


def test_overlapping_dates_give_auditor_overlap_on_both_reports(archive):
    _, files, wh = archive
    found = _found(wh)
    assert _pairs(found, "auditor_overlap") == {("overlap_a", "overlap_b"),
                                                ("overlap_b", "overlap_a")}
    a = found[(found["check_name"] == "auditor_overlap") & (found["stem"] == "overlap_a")].iloc[0]
    assert a["severity"] == "error"
    assert a["target"] == "王建国 (ISC-710001)"
    assert (a["value"], a["other_value"]) == ("2023-03-01/2023-03-02", "2023-03-02")
    assert a["other_source_path"] == str(files["overlap_b"])
    assert "北京恒远家具有限公司" in a["message"] and str(files["overlap_b"]) in a["message"]


def test_adjacent_dates_and_the_same_organisation_give_none(archive):
    found = _found(archive[2])
    stems = set(found["stem"][found["check_name"] == "auditor_overlap"])
    assert not stems & {"adjacent_a", "adjacent_b", "same_org_a", "same_org_b"}


def test_reused_certificate_number(archive):
    found = _found(archive[2])
    got = found[found["check_name"] == "cert_no_conflict"]
    assert _pairs(found, "cert_no_conflict") == {
        ("reused_cert", "overlap_a"), ("overlap_a", "reused_cert"), ("overlap_b", "reused_cert")}
    assert set(got["severity"]) == {"warning"}
    mine = got[got["stem"] == "reused_cert"].iloc[0]
    assert (mine["target"], mine["value"], mine["other_value"]) == (
        "2020-S2SC-1710001", "孙立新", "王建国")


def test_shared_project_number(archive):
    found = _found(archive[2])
    assert _pairs(found, "project_no_conflict") == {("shared_project", "adjacent_a"),
                                                    ("adjacent_a", "shared_project")}
    row = found[(found["check_name"] == "project_no_conflict")
                & (found["stem"] == "adjacent_a")].iloc[0]
    assert (row["target"], row["value"], row["other_value"]) == (
        "0103-2023-SE-2023", "上海华宇电子有限公司", "杭州泰和建材有限公司")
    assert BODY in row["message"]


def test_project_numbers_are_per_certification_body():
    """The same project number at two bodies is two projects; written with a full-width
    dash or without the dash it is the same number at one body."""
    truths = _truths([PLAN[2], PLAN[7]])
    assert len(check_archive(*_rows(truths)).findings) == 2
    other_body = [truths[0], retarget(truths[1], cert_body="华信联合认证有限公司")]
    assert not check_archive(*_rows(other_body)).findings
    written = [truths[0], retarget(truths[1], project_no="0103－2023－SE－2023")]
    assert len(check_archive(*_rows(written)).findings) == 2


def test_organisations_table_and_org_ids(archive):
    wh = archive[2]
    orgs = pd.read_parquet(wh / "organisations")
    reports = pd.read_parquet(wh / "reports")
    assert len(orgs) == 7  # the two spellings of 广州博雅 are one organisation
    same = orgs[orgs["name"] == "广州博雅(集团)有限公司"].iloc[0]
    assert same["reports"] == 2
    assert same["names_seen"] == "广州博雅(集团)有限公司 | 广州博雅（集团） 有限公司"
    assert (same["first_audit"], same["last_audit"]) == (date(2023, 5, 8), date(2023, 5, 9))
    assert same["project_nos"] == "0105-2021-SE-2023"
    assert set(reports["org_id"]) == set(orgs["org_id"])
    assert reports["org_id"].map(reports.groupby("org_id").size()).max() == 2


def test_check_command_shows_both_reports(archive):
    _, files, wh = archive
    res = runner.invoke(app, ["check", str(wh)])
    assert res.exit_code == 1  # auditor_overlap is an error
    lines = [ln for ln in res.stdout.splitlines() if "auditor_overlap" in ln]
    assert len(lines) == 2
    assert all(str(files["overlap_a"]) in ln and str(files["overlap_b"]) in ln for ln in lines)
    rows = json.loads(runner.invoke(app, ["check", str(wh), "-f", "json"]).stdout)
    overlap = [r for r in rows if r["check_name"] == "auditor_overlap"]
    assert {(Path(r["source_path"]).stem, Path(r["other_source_path"]).stem) for r in overlap} == {
        ("overlap_a", "overlap_b"), ("overlap_b", "overlap_a")}
    assert {r["other_org_name"] for r in overlap} == {"新疆鹏森科技股份有限公司", "北京恒远家具有限公司"}
    page = runner.invoke(app, ["check", str(wh), "-f", "html"]).stdout
    assert page.count('data-check="auditor_overlap"') == 2
    assert page.count("data-other-report-id=") == len(pd.read_parquet(wh / "archive_checks"))
    assert f'<td class="other">新疆鹏森科技股份有限公司 — {files["overlap_a"]}</td>' in page


def test_reimport_and_removal_recompute(tmp_path):
    """A changed file (its project number no longer shared) and a removed report (one of
    an overlapping pair) take their archive findings with them."""
    plan = [PLAN[0], PLAN[1], PLAN[2], PLAN[7]]
    files = _render(tmp_path, plan)
    wh = tmp_path / "wh"
    import_paths([tmp_path / "in"], wh)
    assert set(_found(wh)["check_name"]) == {"auditor_overlap", "project_no_conflict"}
    stem, org, start, days, _, team = PLAN[7]
    changed = retarget(make_truth(903, "classic"), org_name=org, start=start, days=days,
                       project_no="0199-2023-SE-2023", team=team, cert_body=BODY)
    render([changed], tmp_path / "re")
    shutil.move(tmp_path / "re" / "archive_000.docx", files["shared_project"])
    import_paths([files["shared_project"]], wh)
    assert set(_found(wh)["check_name"]) == {"auditor_overlap"}
    res = runner.invoke(app, ["remove", str(wh), str(files["overlap_b"])])
    assert res.exit_code == 0 and "removed 1 report(s)" in res.stderr
    assert _found(wh).empty
    assert len(pd.read_parquet(wh / "reports")) == 3
    assert len(pd.read_parquet(wh / "organisations")) == 3
    res = runner.invoke(app, ["remove", str(wh), "no/such/file.docx"])
    assert res.exit_code == 1 and "not in the warehouse: no/such/file.docx" in res.stderr


# -- the same checks over table rows of generated truths (no rendering) -----------------------

def _rows(truths) -> tuple[pd.DataFrame, pd.DataFrame]:
    reports, team = [], []
    for i, t in enumerate(truths):
        rid = f"r{i:04d}"
        rep = t["report"]
        reports.append({"report_id": rid, "source_path": f"gen/{rid}.docx", **rep,
                        "audit_start": date.fromisoformat(rep["audit_start"]),
                        "audit_end": date.fromisoformat(rep["audit_end"]),
                        "compiled_date": date.fromisoformat(rep["compiled_date"])})
        team += [{"report_id": rid, **m} for m in t["team"]]
    return pd.DataFrame(reports), pd.DataFrame(team)


def test_one_auditor_on_fifty_sequential_audits_gives_none(tmp_path):
    """Back to back, 1- and 2-day audits of 50 organisations, the next starting the day
    after the last ended: no overlap. Moving one audit a day earlier gives exactly one."""
    truths, day = [], date(2022, 1, 3)
    for i in range(50):
        days = 1 + i % 2
        truths.append(retarget(make_truth(2000 + i, "classic"), org_name=f"第{i}号服务有限公司",
                               start=day, days=days, project_no=f"{i:04d}-2022-SE-2022",
                               team=[M1]))
        day += timedelta(days=days)
    reports, team = _rows(truths)
    assert not check_archive(reports, team).findings
    # written to a warehouse and checked there too
    wh = Warehouse(tmp_path / "wh")
    wh.write_batch({name: frame.astype(object).where(frame.notna(), None).to_dict("records")
                    for name, frame in (("reports", reports), ("team", team))})
    assert refresh_archive(wh) == 0
    assert wh.read("organisations").num_rows == 50
    moved = reports.copy()
    moved.loc[10, "audit_start"] -= timedelta(days=1)
    found = check_archive(moved, team).findings
    assert {(f["report_id"], f["other_report_id"]) for f in found} == {("r0009", "r0010"),
                                                                        ("r0010", "r0009")}


def test_member_identity_links_rows_without_a_code():
    """A row without a member code is the member whose certificate number (or name + phone)
    stands beside exactly one code; codes compare after full-width folding."""
    reports, _ = _rows(_truths(PLAN[:2]))
    first = dict(M1, member_code="ＩＳＣ－７１０００１")
    for second in (dict(M1, member_code=None), dict(M1, member_code=None, cert_no=None),
                   dict(M1, member_code="isc 710001", cert_no=None, phone=None)):
        team = pd.DataFrame([{"report_id": "r0000", **first}, {"report_id": "r0001", **second}])
        keys = member_keys(team)["key"]
        assert keys[0] == keys[1] == "code:ISC710001", second
        assert len(check_archive(reports, team).findings) == 2
    # a name alone says too little: no identity, no finding
    team = pd.DataFrame([{"report_id": "r0000", **dict(M1, member_code=None, cert_no=None, phone=None)},
                         {"report_id": "r0001", **dict(M1, member_code=None, cert_no=None, phone=None)}])
    assert all(k is None for k in member_keys(team)["key"])
    assert not check_archive(reports, team).findings


def test_member_code_with_two_certificate_numbers():
    truths = _truths([PLAN[0], PLAN[6]])
    truths[1] = retarget(truths[1], team=[dict(M1, cert_no="2023-S2SC-1799999")])
    found = check_archive(*_rows(truths)).findings
    assert {(f["check_name"], f["report_id"], f["value"], f["other_value"]) for f in found} == {
        ("cert_no_conflict", "r0000", "2020-S2SC-1710001", "2023-S2SC-1799999"),
        ("cert_no_conflict", "r0001", "2023-S2SC-1799999", "2020-S2SC-1710001")}
    assert {f["target"] for f in found} == {"ISC-710001"}


def test_reports_without_organisation_or_dates_are_not_compared():
    reports, team = _rows(_truths(PLAN[:2]))
    for change in ({"org_name": None}, {"audit_start": None, "audit_end": None}):
        gone = reports.copy()
        for k, v in change.items():
            gone[k] = gone[k].astype(object)
            gone.loc[1, k] = v
        assert not check_archive(gone, team).findings, change


def test_normalisation():
    assert norm_code(" ＩＳＣ－７１０００１ ") == norm_code("isc—710001") == "ISC710001"
    assert norm_code("ISC 710001") == norm_code("isc_710001") == "ISC710001"
    assert norm_phone("+86 139-0000-0001") == norm_phone("13900000001") == "13900000001"
    assert org_key("广州博雅（集团） 有限公司。") == "广州博雅(集团)有限公司"
    assert org_id_of("广州博雅（集团）有限公司") == org_id_of("广州博雅(集团)有限公司")
    assert org_id_of(None) is None and org_id_of("  ") is None


# -- an organisation's history ------------------------------------------------------------------

def test_organisation_history_in_date_order_with_clauses_lost_again(tmp_path):
    """Four yearly audits of one organisation (written in shuffled order) come back in date
    order with their totals and levels; the clauses lost more than once are those whose
    score is below 100% in two audits or more."""
    from certreport.history import organisation_history
    from synth.archive import history

    truths = history(40, "河北恒远电子有限公司", range(2019, 2023))
    order = [2, 0, 3, 1]
    reports, team = _rows([truths[i] for i in order])
    clauses = [{"report_id": f"r{k:04d}", **c,
                "computed_score": 0.0 if c["score_pct"] is None else c["weight"] * c["score_pct"] / 100}
               for k, i in enumerate(order) for c in truths[i]["clauses"]]
    wh = Warehouse(tmp_path / "wh")
    reports["org_id"] = reports["org_name"].map(org_id_of)
    wh.write_batch({"reports": reports.astype(object).where(reports.notna(), None).to_dict("records"),
                    "clauses": clauses})
    refresh_archive(wh)
    org_id = org_id_of("河北恒远电子有限公司")
    h = organisation_history(wh, org_id)
    assert h.organisation["reports"] == 4 and h.organisation["name"] == "河北恒远电子有限公司"
    assert list(h.audits["audit_start"].astype(str)) == [t["report"]["audit_start"] for t in truths]
    assert list(h.audits["audit_type"]) == ["初次认证", "保持认证", "保持认证", "再认证"]
    assert list(h.audits["total"]) == [t["report"]["stated_total"] for t in truths]
    assert [None if pd.isna(v) else v for v in h.audits["level"]] == [
        t["report"]["stated_level"] for t in truths]
    lost = {}
    for t in truths:
        for c in t["clauses"]:
            if c["code"] and c["score_pct"] is not None and c["score_pct"] < 100:
                lost.setdefault(c["code"], []).append(t["report"]["audit_start"])
    again = {code: days for code, days in lost.items() if len(days) > 1}
    assert again and set(h.repeated["clause"]) == set(again)
    for row in h.repeated.itertuples():
        assert row.times == len(again[row.clause]) and row.audits == ", ".join(again[row.clause])
    first = truths[0]["report"]["audit_start"]
    assert set(h.audits["lost_again"][0].split(", ")) == {c for c, d in again.items() if first in d}
    assert list(h.repeated["times"]) == sorted(h.repeated["times"], reverse=True)
    empty = organisation_history(wh, "0" * 16)
    assert empty.organisation is None and empty.audits.empty and empty.repeated.empty


def test_archive_tables_are_replaced_whole(tmp_path):
    """Each refresh leaves one file per archive table; report tables cannot be replaced so."""
    reports, team = _rows(_truths(PLAN[:2]))
    wh = Warehouse(tmp_path / "wh")
    wh.write_batch({name: frame.astype(object).where(frame.notna(), None).to_dict("records")
                    for name, frame in (("reports", reports), ("team", team))})
    assert refresh_archive(wh) == 2 and refresh_archive(wh) == 2
    assert len(wh.files("archive_checks")) == len(wh.files("organisations")) == 1
    assert wh.read("organisations").num_rows == 2
    with pytest.raises(ValueError, match="not archive tables: reports"):
        wh.replace_tables({"reports": []})


def test_archive_messages_read_in_chinese(archive):
    """The checks across the archive have Chinese names and messages (schemas/labels.yaml)."""
    import re
    from certreport.findings_report import findings
    from certreport.labels import Labels
    zh = Labels("zh")
    found = [f for f in findings(archive[2]) if f.get("other_report_id")]
    assert {f["check_name"] for f in found} == {"auditor_overlap", "cert_no_conflict",
                                                "project_no_conflict"}
    for f in found:
        text = zh.message(f)
        assert text != f["message"] and re.search(r"[\u4e00-\u9fff]{2}", text), f["message"]
        assert re.search(r"[\u4e00-\u9fff]", zh.check(f["check_name"]))


def test_workbench_report_page_shows_the_organisations_audits(archive):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient
    from certreport.workbench.app import create_app
    wh = archive[2]
    reports = pd.read_parquet(wh / "reports")
    org = reports.groupby("org_id")["report_id"].apply(list)
    ids = next(v for v in org if len(v) > 1)
    page = TestClient(create_app(wh)).get(f"/reports/{ids[0]}").text
    assert 'id="history"' in page and "该组织的历次审查" in page
    for rid in ids:
        assert f'href="/reports/{rid}"' in page
