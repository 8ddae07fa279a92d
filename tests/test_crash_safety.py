"""Crash safety of the warehouse: an import killed midway leaves tables every reader can
read with no report half-present, and the next run ends where an uninterrupted one does;
``Warehouse.recover()`` finishes journalled batches and drops unjournalled ones."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

import certreport.store as store
from certreport.pipeline import import_paths
from certreport.store import JOURNAL_DIR, Warehouse
from certreport.schemas.tables import TABLE_NAMES, schema
from tests.conftest import REAL_REPORT, ROOT
from tests.conftest import warehouse_tables as tables

N_REPORTS = 30
BATCH = 3


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30 copies of the real report, each with its own stated total (so its own bytes)."""
    out = tmp_path_factory.mktemp("reports")
    text = REAL_REPORT.read_text(encoding="utf-8")
    assert text.count("总分: 142.7") == 1
    for i in range(N_REPORTS):
        (out / f"report_{i:02d}.md").write_text(text.replace("总分: 142.7", f"总分: {110 + i}.5"),
                                                encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def reference(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse of an uninterrupted run."""
    out = tmp_path_factory.mktemp("reference") / "wh"
    import_paths([folder], out, batch_size=BATCH)
    return out


def import_cmd(folder: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "certreport", "import", str(folder), "--out", str(out),
            "--workers", "1", "--batch-size", str(BATCH)]


def assert_readable_and_whole(out: Path) -> None:
    """pandas, pyarrow and DuckDB read every table; every report is there in all tables
    or in none."""
    assert_readable(out)
    reports = pd.read_parquet(out / "reports")
    assert reports["report_id"].is_unique
    ids = set(reports["report_id"])
    for name in ("clauses", "sections", "team", "checks"):
        assert set(pd.read_parquet(out / name)["report_id"]) <= ids, name
    ok = set(reports.loc[reports["status"] == "ok", "report_id"])
    for name, per_report in (("clauses", 94), ("sections", 3), ("team", 1)):
        counts = pd.read_parquet(out / name).groupby("report_id").size()
        assert set(counts.index) == ok and set(counts) == {per_report}, name


def test_killed_import_recovers_to_the_uninterrupted_result(folder: Path, reference: Path,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "wh"
    proc = subprocess.Popen(import_cmd(folder, out), cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while not list((out / "reports").glob("part-*.parquet")):
            assert proc.poll() is None, "the import ended before it could be killed"
            assert time.monotonic() < deadline, "no batch written within 20 s"
            time.sleep(0.002)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the import and its parser process
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    before = assert_readable(out)["reports"]  # readable before any recovery
    assert 0 < before < N_REPORTS, "killed too late to test anything"

    Warehouse(out)  # opening recovers
    assert not list(out.glob("*/.tmp-*")) and not list((out / JOURNAL_DIR).glob("*.json"))
    assert_readable_and_whole(out)
    recovered = len(pd.read_parquet(out / "reports"))

    again = subprocess.run(import_cmd(folder, out), cwd=ROOT, capture_output=True, text=True,
                           timeout=60)
    assert again.returncode == 0, again.stderr
    assert f"; {recovered} unchanged;" in again.stderr  # the reports already in are not redone
    got, want = tables(out), tables(reference)
    assert list(got["reports"]["report_id"]) == list(want["reports"]["report_id"])
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)
    assert_readable_and_whole(out)


def test_reimporting_a_folder_keeps_one_copy_of_each_report(folder: Path, reference: Path,
                                                            tmp_path: Path) -> None:
    out = tmp_path / "wh"
    first = import_paths([folder], out)
    second = import_paths([folder], out)
    forced = import_paths([folder], out, force=True)
    assert first.counts["ok"] == second.counts["unchanged"] == forced.counts["ok"] == N_REPORTS
    got, want = tables(out), tables(reference)
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)


# ------------------------------------------------------------ Warehouse.recover()


def rows_of(report_id: str) -> dict[str, list[dict]]:
    return {"reports": [{"report_id": report_id, "source_path": f"{report_id}.md",
                         "status": "ok"}],
            "clauses": [{"report_id": report_id, "row_no": i} for i in range(1, 4)],
            "sections": [{"report_id": report_id, "section": "A"}]}


def write_tmp(out: Path, table: str, name: str, rows: list[dict]) -> None:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema(table)), out / table / name)


def test_recover_rolls_a_journal_forward(tmp_path: Path) -> None:
    """A batch journalled but only partly renamed (the crash came between renames) is
    finished on the next open, deletes included."""
    wh = Warehouse(tmp_path)
    wh.write_batch(rows_of("old"))
    old_part = wh.files("reports")[0]
    renames = []
    for table in TABLE_NAMES:
        write_tmp(tmp_path, table, ".tmp-b1", rows_of("new").get(table, []))
        renames.append((f"{table}/.tmp-b1", f"{table}/part-b1.parquet"))
    os.replace(tmp_path / "reports" / ".tmp-b1", tmp_path / "reports" / "part-b1.parquet")
    (tmp_path / JOURNAL_DIR / "b1.json").write_text(json.dumps(
        {"renames": renames, "deletes": [f"reports/{old_part.name}"]}), encoding="utf-8")

    wh = Warehouse(tmp_path)
    assert wh.read("reports").column("report_id").to_pylist() == ["new"]
    assert sorted(wh.read("clauses").column("report_id").to_pylist()) == ["new"] * 3 + ["old"] * 3
    assert not list(tmp_path.glob("*/.tmp-*")) and not list((tmp_path / JOURNAL_DIR).iterdir())


def test_recover_deletes_temporary_files_without_a_journal(tmp_path: Path) -> None:
    wh = Warehouse(tmp_path)
    wh.write_batch(rows_of("kept"))
    for table in TABLE_NAMES:
        write_tmp(tmp_path, table, ".tmp-lost", rows_of("lost").get(table, []))
    (tmp_path / "clauses" / ".tmp-half").write_bytes(b"PAR1\x00")  # a write cut short

    wh = Warehouse(tmp_path)
    assert not list(tmp_path.glob("*/.tmp-*"))
    for table in ("reports", "clauses", "sections"):
        assert set(wh.read(table).column("report_id").to_pylist()) == {"kept"}


def assert_readable(out: Path) -> dict[str, int]:
    """Rows per table as pandas, pyarrow, DuckDB and polars (if installed) count them: the
    same."""
    counts = {}
    for name in TABLE_NAMES:
        n = counts[name] = len(pd.read_parquet(out / name))
        assert ds.dataset(out / name, format="parquet").count_rows() == n, name
        if not list((out / name).glob("*.parquet")):
            continue
        try:
            import duckdb
            query = f"SELECT count(*) FROM '{out / name}/*.parquet'"
            assert duckdb.sql(query).fetchall()[0][0] == n, name
        except ImportError:  # pragma: no cover - DuckDB is optional
            pass
        try:
            import polars
            assert polars.read_parquet(f"{out / name}/*.parquet").height == n, name
        except ImportError:  # pragma: no cover - polars is optional
            pass
    return counts


def crash_on_replace(monkeypatch: pytest.MonkeyPatch, at: int) -> list[int]:
    """Make the store's ``at``-th ``os.replace`` (0-based) die like a killed process;
    the list returned holds the number of calls made."""
    made = [0]
    real = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        made[0] += 1
        if made[0] - 1 == at:
            raise KeyboardInterrupt("killed")
        real(src, dst)

    monkeypatch.setattr(store.os, "replace", replace)
    return made


def test_duckdb_glob_read_temporary_files_of_an_unfinished_batch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Temporary files were named ``.tmp-*.parquet``: DuckDB's ``<table>/*.parquet`` (the
    README's query) matched them, so it failed on a half-written one or read a batch twice."""
    Warehouse(tmp_path).write_batch(rows_of("r0"))
    crash_on_replace(monkeypatch, 0)  # killed before the journal is in place
    with pytest.raises(KeyboardInterrupt):
        Warehouse(tmp_path).write_batch(rows_of("r1"))
    assert list((tmp_path / "reports").glob(".tmp-*"))
    assert assert_readable(tmp_path)["reports"] == 1


def replace_batch(root: Path, monkeypatch: pytest.MonkeyPatch, crash_at: int,
                  part_reports: int) -> tuple[bool, int]:
    """Write r0 and r1, then a batch replacing r1 by r2, cut at its ``crash_at``-th
    ``os.replace``: (whether it was cut, the calls it made)."""
    monkeypatch.setattr(store, "PART_REPORTS", part_reports)
    first = {t: rows_of("r0").get(t, []) + rows_of("r1").get(t, []) for t in TABLE_NAMES}
    first["team"] = [{"report_id": "r1"}]
    Warehouse(root).write_batch(first)
    made = crash_on_replace(monkeypatch, crash_at)
    new = rows_of("r2")
    new["reports"][0]["source_path"] = "r1.md"
    try:
        Warehouse(root).write_batch(new, replace={"r1"})
        killed = False
    except KeyboardInterrupt:
        killed = True
    monkeypatch.undo()
    return killed, made[0]


@pytest.mark.parametrize("part_reports", [50, 2], ids=["merged", "rewritten"])
@pytest.mark.parametrize("crash_at", range(8))
def test_write_batch_killed_at_any_rename_is_all_or_nothing(
        tmp_path: Path, crash_at: int, part_reports: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch that replaces a report is cut at each ``os.replace`` in turn (the journal,
    the new part's files, then r0's part rewritten without r1, or r0 merged into the new
    part as its own is left small; the last values are no crash): readers read the tables
    meanwhile, and after the next open the old rows or the new ones are there, never both
    or a mix."""
    _, calls = replace_batch(tmp_path / "dry", monkeypatch, -1, part_reports)
    assert calls == (4 if part_reports == 50 else 7)  # journal, 3 new files (+ 3 rewritten)
    killed, _ = replace_batch(tmp_path / "wh", monkeypatch, crash_at, part_reports)
    tmp_path = tmp_path / "wh"
    assert killed == (crash_at < calls)
    assert_readable(tmp_path)  # before recovery too
    wh = Warehouse(tmp_path)
    assert_readable(tmp_path)
    ids = {t: set(wh.read(t).column("report_id").to_pylist()) for t in TABLE_NAMES}
    assert ids["reports"] in ({"r0", "r1"}, {"r0", "r2"}), ids
    assert ids["clauses"] == ids["sections"] == ids["reports"], ids
    assert ids["team"] == ({"r1"} if "r1" in ids["reports"] else set()), ids
    assert ids["reports"] == {"r0", "r2"} or crash_at == 0  # journalled batches roll forward
    assert wh.read("clauses").num_rows == 6
