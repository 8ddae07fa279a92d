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
from certreport.findings_report import FIELDS, findings, render, sort_key, summary, to_html
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


def _assert_page_shows(page: str, truth: set, expected: list[dict]) -> None:
    p = parse(page)
    assert {(_stem(r["file"]), r["check"], r["target"]) for r in p.rows} == truth
    assert len(p.rows) == len(expected)
    for row, f in zip(p.rows, expected):  # in the order of findings(): errors first
        assert row["severity"] == f["severity"] == row["severity_class"]
        assert (row["org"], row["body"], row["stated"], row["computed"], row["message"]) == (
            f["org_name"], f["cert_body"], f["stated"], f["computed"], f["message"])
        assert row["data-check"] == row["check"] and row["data-target"] == row["target"]
        assert row["page"] == ("" if f["page"] is None else str(f["page"]))
    s = summary(expected)
    assert p.counts == {"severity": s["by_severity"], "check": s["by_check"]}
    assert f"{len(expected)} finding(s) in {s['reports']} report(s)" in p.headline
    assert "10 report(s) checked" in p.headline


def test_html_lists_exactly_the_injected_errors(injected, tmp_path):
    root, truth = injected
    out = tmp_path / "findings.html"
    res = _check(root, "--format", "html", "--output", out)
    assert res.exit_code == 1
    page = out.read_text(encoding="utf-8")
    _assert_page_shows(page, truth, findings(root / "wh"))


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
    f.update(severity="error", page=None, line=None)
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
    assert res.exit_code == 0 and "No findings" in res.stdout and parse(res.stdout).rows == []
    assert "1 report(s) checked" in res.stdout


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
    _assert_page_shows(dom, truth, findings(root / "wh"))
