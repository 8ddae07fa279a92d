"""``certreport check --format table|csv|json|html``: over reports with known injected errors
every format lists exactly those errors; the HTML page is self-contained, escapes what it
shows, and renders in a real headless browser (Debian's chromium) with one row per finding."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from certreport.cli import app
from certreport.findings_report import (FIELDS, findings, headline, render, sort_key, summary,
                                       to_html)
from certreport.labels import Labels
from synth import generate

runner = CliRunner()
FILE_RE = re.compile(r"gen/(\S+)\.docx")


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    """A warehouse of 10 generated reports, every one with injected errors, imported by a
    relative path (short file names in the text table); with the truth: the set of
    (report file stem, check, target) of every injected error."""
    root = tmp_path_factory.mktemp("injected")
    generate(root / "gen", 10, seed=500, error_rate=1.0)
    truth = set()
    for t in sorted((root / "gen").glob("*.truth.json")):
        stem = t.name[: -len(".truth.json")]
        injected = json.loads(t.read_text(encoding="utf-8"))["injected"]
        assert injected, f"{t.name}: error_rate=1.0 injects at least one error"
        truth |= {(stem, i["check"], i["target"]) for i in injected}
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        res = invoke("import", "gen", "--out", "wh")
    assert res.exit_code == 0, res.output
    return root, truth


def _check(root: Path, *args: str):
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        return invoke("check", "wh", *args)


def _stem(path: str) -> str:
    return FILE_RE.search(path).group(1)


def test_table_lists_exactly_the_injected_errors(injected):
    root, truth = injected
    res = _check(root)
    assert res.exit_code == 1
    got = set()
    for line in res.stdout.splitlines()[2:]:
        m = re.match(r"^(\w+)\s+(\w+)\s+(\S+)\s.*?" + FILE_RE.pattern, line)
        assert m, line
        assert m.group(1) == "error"
        got.add((m.group(4), m.group(2), m.group(3)))
    assert got == truth
    assert res.stdout.splitlines()[0].split()[:3] == ["severity", "check", "target"]


def test_json_lists_exactly_the_injected_errors(injected):
    root, truth = injected
    res = _check(root, "--format", "json")
    assert res.exit_code == 1
    rows = json.loads(res.stdout)
    assert {(_stem(r["source_path"]), r["check_name"], r["target"]) for r in rows} == truth
    assert {r["severity"] for r in rows} == {"error"}
    assert all(set(r) == set(FIELDS) for r in rows)
    assert all(r["org_name"] and r["cert_body"] and r["stated"] and r["computed"] for r in rows)
    assert rows == sorted(rows, key=sort_key)


def test_csv_lists_exactly_the_injected_errors(injected, tmp_path):
    root, truth = injected
    res = _check(root, "-f", "csv")
    assert res.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert {(_stem(r["source_path"]), r["check_name"], r["target"]) for r in rows} == truth
    assert list(rows[0]) == list(FIELDS)
    # to a file: with a byte-order mark for Excel, the same rows
    out = tmp_path / "findings.csv"
    res = _check(root, "-f", "csv", "--output", out)
    assert res.exit_code == 1 and res.stdout == ""
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))) == rows
    assert f"wrote {len(rows)} finding(s) as csv" in res.stderr


class FindingRows(HTMLParser):
    """The cells (by class) of each ``tr.finding`` and the headline of a findings page."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self.counts: dict[str, dict[str, int]] = {}
        self._cell: str | None = None
        self._table: str | None = None
        self._count_row: list[str] = []
        self.headline = ""
        self._in_headline = False
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        cls = (a.get("class") or "").split()
        if tag == "table":
            self._table = a.get("id")
        elif tag == "tr" and "finding" in cls:
            self.rows.append({"severity_class": cls[1], "data-check": a["data-check"],
                              "data-target": a["data-target"]})
        elif tag == "tr" and self._table and self._table.startswith("by-"):
            self._count_row = []
        elif tag == "td":
            self._cell = cls[0] if cls else ""
            if self._table == "findings":
                self.rows[-1][self._cell] = ""
        elif tag == "p" and a.get("id") == "headline":
            self._in_headline = True

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None
        elif tag == "p":
            self._in_headline = False
        elif tag == "tr" and self._table and self._table.startswith("by-") and self._count_row:
            key, n = self._count_row
            self.counts.setdefault(self._table[3:], {})[key] = int(n)
            self._count_row = []
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._in_headline:
            self.headline += data
        if self._cell is None:
            return
        if self._table == "findings":
            self.rows[-1][self._cell] += data
        elif self._table and self._table.startswith("by-"):
            self._count_row.append(data.strip())


def parse(page: str) -> FindingRows:
    p = FindingRows()
    p.feed(page)
    return p


def _assert_page_shows(page: str, truth: set, expected: list[dict], lang: str) -> None:
    L = Labels(lang)
    p = parse(page)
    assert {(_stem(r["file"]), r["data-check"], r["target"]) for r in p.rows} == truth
    assert len(p.rows) == len(expected)
    for row, f in zip(p.rows, expected):  # in the order of findings(): errors first
        assert row["severity"] == L.severity(f["severity"])
        assert row["severity_class"] == f["severity"]
        assert (row["org"], row["body"], row["stated"], row["computed"], row["message"]) == (
            f["org_name"], f["cert_body"], f["stated"], f["computed"], L.message(f))
        assert row["check"] == L.check(row["data-check"]) and row["data-target"] == row["target"]
        assert row["page"] == ("" if f["page"] is None else str(f["page"]))
    s = summary(expected)
    assert p.counts == {"severity": {L.severity(k): n for k, n in s["by_severity"].items()},
                        "check": {L.check(k): n for k, n in s["by_check"].items()}}
    assert headline(expected, L, 10) in p.headline


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_html_lists_exactly_the_injected_errors(injected, tmp_path, lang):
    root, truth = injected
    out = tmp_path / "findings.html"
    res = _check(root, "--format", "html", "--output", out, "--lang", lang)
    assert res.exit_code == 1
    page = out.read_text(encoding="utf-8")
    _assert_page_shows(page, truth, findings(root / "wh"), lang)
    if lang == "zh":  # Chinese check names and messages, identifiers kept in data-check
        assert "分项得分" in page and "所写得分" in page and 'data-check="item_score"' in page
        assert "已检查 10 份报告" in page
    else:
        assert "10 report(s) checked" in page and "item score" in page


def test_html_is_self_contained():
    page = to_html([{"report_id": "r1", "source_path": "a.docx", "org_name": "甲公司",
                     "cert_body": "乙", "project_no": "1", "spec": "s", "severity": "error",
                     "check_name": "total", "target": "total", "stated": "1", "computed": "2",
                     "page": 3, "line": 4, "message": "m"}])
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "<style>" in page and "default-src 'none'" in page
    for external in ("<link", "<script", "<img", "src=", "url(", "@import", "http://",
                     "https://"):
        assert external not in page.lower(), external


def test_html_escapes_every_value():
    evil = '<script>alert("x")</script> & \'quoted\''
    f = {k: evil for k in FIELDS}
    f.update(severity="error", page=None, line=None, review=None)
    page = render([f], "html", title=evil)
    assert "<script>" not in page and "alert(&quot;x&quot;)" in page
    p = parse(page)
    (row,) = p.rows
    for cls in ("org", "body", "check", "target", "stated", "computed", "file", "message"):
        assert row[cls] == evil, cls  # shown as text, exactly
    assert row["data-check"] == evil and row["data-target"] == evil


def test_no_findings_everywhere(tmp_path):
    from tests.conftest import REAL_REPORT

    invoke("import", REAL_REPORT, "--out", tmp_path / "wh")
    for fmt, expect in (("table", "no findings\n"), ("json", "[]\n")):
        res = invoke("check", tmp_path / "wh", "-f", fmt)
        assert res.exit_code == 0 and res.stdout == expect
    res = invoke("check", tmp_path / "wh", "-f", "csv")
    assert res.exit_code == 0 and res.stdout == ",".join(FIELDS) + "\n"
    res = invoke("check", tmp_path / "wh", "-f", "html")
    assert res.exit_code == 0 and "没有问题" in res.stdout and parse(res.stdout).rows == []
    assert "已检查 1 份报告" in res.stdout
    res = invoke("check", tmp_path / "wh", "-f", "html", "--lang", "en")
    assert "No findings" in res.stdout and "1 report(s) checked" in res.stdout


def test_unknown_format_is_refused(tmp_path):
    res = invoke("check", tmp_path, "--format", "pdf")
    assert res.exit_code == 2
    with pytest.raises(ValueError, match="expected one of table, csv, json, html"):
        render([], "pdf")


# -- in a real browser

CHROMIUM = next(filter(None, map(shutil.which, ("chromium", "chromium-browser",
                                                "google-chrome"))), None)


def dump_dom(page: Path, profile: Path) -> str:
    """The DOM of a local page after headless chromium rendered it."""
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--no-first-run", f"--user-data-dir={profile}", "--dump-dom", page.as_uri()]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=90)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                             "(apt-get install -y chromium)")
def test_html_opens_in_headless_chromium(injected, tmp_path):
    root, truth = injected
    out = tmp_path / "页 findings.html"  # a file name that needs quoting in the URL
    assert _check(root, "-f", "html", "-o", out).exit_code == 1
    dom = dump_dom(out, tmp_path / "profile")
    assert "<table" in dom and 'id="findings"' in dom
    _assert_page_shows(dom, truth, findings(root / "wh"), "zh")


def test_every_message_reads_in_chinese(injected):
    """Each finding of the injected corpus has a Chinese message (a pattern in
    schemas/labels.yaml matched it) and a Chinese check name; English is unchanged."""
    zh, en = Labels("zh"), Labels("en")
    found = findings(injected[0] / "wh")
    assert found
    for f in found:
        text = zh.message(f)
        assert text != f["message"] and re.search(r"[\u4e00-\u9fff]", text), f["message"]
        assert not re.search(r"\b(stated|add up|but|states)\b", text), text
        assert re.search(r"[\u4e00-\u9fff]", zh.check(f["check_name"])), f["check_name"]
        assert en.message(f) == f["message"]


def test_check_xlsx_is_one_findings_workbook(injected, tmp_path):
    import openpyxl
    out = tmp_path / "findings.xlsx"
    res = _check(injected[0], "--format", "xlsx", "--output", out)
    assert res.exit_code == 1 and out.is_file()
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["问题清单"]
    ws = wb["问题清单"]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0][:8]) == ["受审查方", "认证机构", "项目编号", "文件", "页", "所写值",
                                 "复核值", "说明"]
    found = findings(injected[0] / "wh")
    assert len(rows) - 1 == len(found)
    L = Labels("zh")
    for row, f in zip(rows[1:], found):
        assert row[:8] == (f["org_name"], f["cert_body"], f["project_no"], f["source_path"],
                           f["page"], f["stated"], f["computed"], L.message(f))
    link = ws.cell(row=2, column=4).hyperlink
    assert link is not None and link.target.startswith("file://") \
        and link.target.endswith(".docx")
    assert _check(injected[0], "--format", "xlsx").exit_code == 2  # needs --output
    en = tmp_path / "en.xlsx"
    _check(injected[0], "--format", "xlsx", "--output", en, "--lang", "en")
    assert openpyxl.load_workbook(en).sheetnames == ["findings"]


def test_reviewed_findings_are_listed_apart(injected, tmp_path):
    import shutil
    from certreport import reviews as rv
    from certreport.store import Warehouse
    wh = tmp_path / "wh"
    shutil.copytree(injected[0] / "wh", wh)
    errors = [f for f in findings(wh) if f["severity"] == "error"]
    first = errors[0]
    rv.add_review(Warehouse(wh), {"report_id": first["report_id"], "action": "dismiss",
                                  "check_name": first["check_name"], "target": first["target"],
                                  "reason": "paper copy agrees", "reviewer": "qa"})
    res = invoke("check", wh)
    assert res.exit_code == 1 and "reviewed findings (1):" in res.stdout
    assert "paper copy agrees" in res.stdout.split("reviewed findings (1):")[1]
    assert "1 reviewed finding(s) listed apart" in res.stderr
    rows = json.loads(invoke("check", wh, "-f", "json").stdout)
    assert sum(r["review"] == "dismiss" for r in rows) == 1
    page = invoke("check", wh, "-f", "html").stdout
    assert 'id="reviewed"' in page and "已驳回" in page
    for f in errors[1:]:
        rv.add_review(Warehouse(wh), {"report_id": f["report_id"], "action": "dismiss",
                                      "check_name": f["check_name"], "target": f["target"],
                                      "reason": "checked"})
    assert invoke("check", wh).exit_code == 0  # no error stands


def test_reviews_move_between_warehouses(injected, tmp_path):
    import shutil
    from certreport import reviews as rv
    from certreport.store import Warehouse
    a, b = tmp_path / "a", tmp_path / "b"
    shutil.copytree(injected[0] / "wh", a)
    shutil.copytree(injected[0] / "wh", b)
    f = findings(a)[0]
    rv.add_review(Warehouse(a), {"report_id": f["report_id"], "action": "confirm",
                                 "check_name": f["check_name"], "target": f["target"],
                                 "reviewer": "张三"})
    rv.add_review(Warehouse(a), {"report_id": f["report_id"], "action": "correct",
                                 "target": "report", "column": "org_name", "value": "甲,乙\n公司",
                                 "reason": "全称"})
    want = rv.reviews(Warehouse(a))
    for suffix in (".yaml", ".csv"):
        out = tmp_path / f"reviews{suffix}"
        res = invoke("reviews", "export", a, "--output", out)
        assert res.exit_code == 0, res.output
        target = tmp_path / f"b{suffix}"
        shutil.copytree(b, target)
        res = invoke("reviews", "import", target, out)
        assert res.exit_code == 0 and "2 review(s) added" in res.stderr
        assert rv.reviews(Warehouse(target)) == want
        res = invoke("reviews", "import", target, out)  # again: nothing new
        assert "0 review(s) added, 2 already there" in res.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {report_id: x, target: A1, action: confirm, check_name: total}\n"
                   "- {report_id: x, target: A1, action: explode}\n", encoding="utf-8")
    res = invoke("reviews", "import", b, bad)
    assert res.exit_code == 1 and "review 2" in res.stderr and "explode" in res.stderr
    assert rv.reviews(Warehouse(b)) == []  # all or nothing
    assert invoke("reviews", "export", b).stdout == "[]\n"
