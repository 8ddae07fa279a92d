"""The Dask executor: the same import on a LocalCluster of 2 workers gives the warehouse
the local executor gives, row for row; a file that hangs and one whose worker is killed
mid-task each give a failed row, and the batch completes."""
from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from certreport.cli import app
from certreport.pipeline import import_paths, process_file
from certreport.schemas.tables import TABLE_NAMES
from certreport.store import Warehouse
from tests.conftest import REAL_REPORT, SAMPLES
from tests.conftest import warehouse_tables as tables

distributed = pytest.importorskip("distributed")
import dask  # noqa: E402


def misbehave(path: Path):
    """``process_file``, except that ``hang*`` files never finish and ``kill-worker*``
    files kill the Dask worker running them (the parser process's parent)."""
    name = Path(path).name
    if name.startswith("hang"):
        time.sleep(600)
    if name.startswith("kill-worker"):
        os.kill(os.getppid(), signal.SIGKILL)
        time.sleep(600)
    return process_file(path)


@pytest.fixture(scope="module")
def cluster():
    """2 worker processes, one thread each; a file may kill its worker twice."""
    settings = {"distributed.scheduler.allowed-failures": 1,
                "distributed.scheduler.worker-saturation": 1.0}
    with dask.config.set(settings):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=":0") as c:
            yield c


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Copies of the real report (each with its own total), two Word samples, a cut
    Word file and a file that is no PDF."""
    out = tmp_path_factory.mktemp("archive")
    text = REAL_REPORT.read_text(encoding="utf-8")
    for i in range(4):
        (out / f"report_{i}.md").write_text(text.replace("总分: 142.7", f"总分: {120 + i}.5"),
                                            encoding="utf-8")
    for docx in sorted(SAMPLES.glob("*.docx"))[:2]:
        shutil.copy(docx, out / docx.name)
    (out / "truncated.docx").write_bytes(b"PK\x03\x04 cut short")
    (out / "garbage.pdf").write_bytes(b"%PDF-1.4 not really")
    return out


def test_dask_import_equals_the_local_one_row_for_row(cluster, folder: Path,
                                                      tmp_path: Path) -> None:
    local = import_paths([folder], tmp_path / "local", workers=0)
    seen = []
    dasked = import_paths([folder], tmp_path / "dask", executor="dask",
                          scheduler=cluster.scheduler_address, batch_size=3,
                          progress=lambda result, path, i: seen.append((path.name, i)))
    assert local.counts == dasked.counts and local.counts["ok"] == 6
    assert sorted(local.failed) == sorted(dasked.failed) and len(local.failed) == 2
    assert sorted(i for _, i in seen) == list(range(1, 9))  # progress once per file
    got, want = tables(tmp_path / "dask"), tables(tmp_path / "local")
    assert len(want["clauses"]) > 500
    for name in TABLE_NAMES:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)
    again = import_paths([folder], tmp_path / "dask", executor="dask", retry=False,
                         scheduler="tcp://nowhere:1")
    assert not (again.counts["ok"] or again.counts["partial"] or again.counts["failed"])
    assert again.counts["unchanged"] == 8  # nothing to parse: no cluster contacted


def test_a_hanging_file_and_a_killed_worker_fail_only_their_file(cluster, folder: Path,
                                                                 tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    shutil.copytree(folder, archive)
    text = REAL_REPORT.read_text(encoding="utf-8")
    (archive / "hang.md").write_text(text.replace("总分: 142.7", "总分: 99.5"), encoding="utf-8")
    (archive / "kill-worker.md").write_text(text.replace("总分: 142.7", "总分: 98.5"),
                                            encoding="utf-8")
    start = time.monotonic()
    summary = import_paths([archive], tmp_path / "wh", executor="dask", timeout=5,
                           scheduler=cluster.scheduler_address, parse=misbehave)
    assert time.monotonic() - start < 120
    assert summary.counts["ok"] == 6 and summary.counts["failed"] == 4
    reports = Warehouse(tmp_path / "wh").read("reports").to_pandas().set_index("source_path")
    assert len(reports) == 10
    hang = reports.loc[str(archive / "hang.md")]
    killed = reports.loc[str(archive / "kill-worker.md")]
    assert hang["status"] == killed["status"] == "failed"
    assert hang["error"] == f"{archive / 'hang.md'}: timed out after 5 s"
    assert "Dask worker running it died" in killed["error"]
    assert hang["source_size"] > 0 and hang["report_id"]  # the row from what the client read
    assert (reports.drop(index=[str(archive / "hang.md"), str(archive / "kill-worker.md")])
            ["status"] != "failed").sum() == 6


def test_cli_starts_a_local_cluster(folder: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["import", str(folder), "--out", str(tmp_path / "wh"),
                                   "--executor", "dask", "--workers", "2"])
    assert res.exit_code == 1, res.output  # the two bad files
    assert "imported 8 file(s): 6 ok, 0 partial, 2 failed" in res.stderr
    assert len(Warehouse(tmp_path / "wh").read("reports")) == 8


def test_cli_unreachable_scheduler(folder: Path, tmp_path: Path) -> None:
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        res = CliRunner().invoke(app, ["import", str(folder), "--out", str(tmp_path / "wh"),
                                       "--executor", "dask", "--scheduler", "tcp://127.0.0.1:1"])
    assert res.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in res.stderr
