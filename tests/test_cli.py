"""The CLI through typer's runner: import, show, check; bad input; idempotence."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from certreport.cli import app
from tests.conftest import REAL_REPORT, ROOT

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture()
def batch(tmp_path: Path) -> Path:
    """A folder with the real report, an empty file, a text that is not a report, a
    report without its score tables, and a file of another type."""
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(REAL_REPORT, folder / "sub" / "真实 报告.md")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "novel.txt").write_text("从前有座山，山里有座庙。\n庙里有个老和尚。\n", encoding="utf-8")
    text = REAL_REPORT.read_text(encoding="utf-8")
    (folder / "no_tables.md").write_text(
        "\n".join(ln for ln in text.splitlines() if not ln.startswith("|")), encoding="utf-8")
    (folder / "notes.json").write_text("{}", encoding="utf-8")
    return folder


def test_import_batch_with_bad_files(tmp_path, batch):
    out = tmp_path / "wh"
    res = invoke("import", batch, "--out", out)
    assert res.exit_code == 1  # failed files make the exit status non-zero
    reports = pd.read_parquet(out / "reports").set_index(
        pd.read_parquet(out / "reports")["source_path"].map(lambda p: Path(p).name))
    assert reports.loc["真实 报告.md", "status"] == "ok"
    assert reports.loc["empty.txt", "status"] == "failed"
    assert "empty.txt: empty file" in reports.loc["empty.txt", "error"]
    assert reports.loc["novel.txt", "status"] == "failed"
    assert "novel.txt: not a report" in reports.loc["novel.txt", "error"]
    assert reports.loc["no_tables.md", "status"] == "partial"
    assert "no_tables.md: no score tables found" in reports.loc["no_tables.md", "error"]
    assert "org_name" in reports.loc["no_tables.md", "error"]
    assert len(reports) == 4
    # the rest of the batch is complete
    clauses = pd.read_parquet(out / "clauses")
    assert len(clauses) == 94
    assert "notes.json" not in " ".join(reports.index)
    assert ".json: 1" in res.stderr  # files of other types are named, not silently skipped
    assert "imported 4 file(s): 1 ok, 1 partial, 2 failed" in res.stderr


def test_import_twice_leaves_one_copy(tmp_path):
    out = tmp_path / "wh"
    assert invoke("import", REAL_REPORT, "--out", out).exit_code == 0
    second = invoke("import", REAL_REPORT, "--out", out)
    assert second.exit_code == 0 and "1 unchanged" in second.stderr
    forced = invoke("import", REAL_REPORT, "--out", out, "--force")
    assert forced.exit_code == 0
    for table, n in [("reports", 1), ("clauses", 94), ("sections", 3), ("team", 1), ("checks", 0)]:
        assert len(pd.read_parquet(out / table)) == n, table


def test_changed_file_replaces_its_rows(tmp_path):
    out, f = tmp_path / "wh", tmp_path / "r.md"
    text = REAL_REPORT.read_text(encoding="utf-8")
    f.write_text(text, encoding="utf-8")
    invoke("import", f, "--out", out)
    f.write_text(text.replace("总分: 142.7", "总分: 141.7"), encoding="utf-8")
    invoke("import", f, "--out", out)
    reports = pd.read_parquet(out / "reports")
    assert len(reports) == 1 and reports.loc[0, "stated_total"] == 141.7
    assert len(pd.read_parquet(out / "clauses")) == 94
    assert list(pd.read_parquet(out / "checks")["check_name"]) == ["total"]


def test_show_human_and_json():
    res = invoke("show", REAL_REPORT)
    assert res.exit_code == 0
    for text in ("新疆鹏森科技股份有限公司", "0029-2023-SE-2024", "142.7", "十星级", "A44", "王慧霞"):
        assert text in res.stdout
    data = json.loads(invoke("show", REAL_REPORT, "--json").stdout)
    assert data["reports"][0]["stated_total"] == 142.7 and len(data["clauses"]) == 94


def test_check_exit_status(tmp_path):
    out = tmp_path / "wh"
    invoke("import", REAL_REPORT, "--out", out)
    clean = invoke("check", out)
    assert clean.exit_code == 0 and "no findings" in clean.stdout
    bad = tmp_path / "bad.md"
    bad.write_text(REAL_REPORT.read_text(encoding="utf-8").replace("总分: 142.7", "总分: 141.7"),
                   encoding="utf-8")
    invoke("import", bad, "--out", out)
    res = invoke("check", out)
    assert res.exit_code == 1
    assert re.search(r"error\s+total\s+total\s+141\.7\s+142\.7", res.stdout)
    assert invoke("check", tmp_path / "nowhere").exit_code == 2


def test_missing_path_is_a_usage_error_that_creates_nothing(tmp_path):
    res = invoke("import", tmp_path / "nope.md", REAL_REPORT, "--out", tmp_path / "wh")
    assert res.exit_code == 2
    assert res.stderr.strip().splitlines() == [f"no such file or folder: {tmp_path / 'nope.md'}"]
    assert not (tmp_path / "wh").exists()


@pytest.mark.parametrize("command", ["import", "show", "check", "remove", "export", "serve",
                                     "version"])
def test_every_command_has_help(command):
    res = invoke(command, "--help")
    assert res.exit_code == 0
    cmd = next(c for c in app.registered_commands if (c.name or c.callback.__name__) == command)
    assert cmd.callback.__doc__ and cmd.callback.__doc__.strip()


def test_readme_commands_are_the_ones_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_cmd = re.search(r"^(pip install -e '\.\[test\]' && python -m pytest.*)$", readme, re.M)
    assert test_cmd, "README names no test command"
    assert test_cmd.group(1) in ci
    run_cmd = re.search(r"^(pip install -e '\.\[ocr\]' && certreport import data/samples "
                        r"--out warehouse)$", readme, re.M)
    assert run_cmd, "README names no install-and-run command (with OCR for the scans)"
    for command in ("import", "show", "check", "remove", "export", "doctor"):
        assert f"certreport {command}" in readme
