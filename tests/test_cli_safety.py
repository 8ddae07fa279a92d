"""CLI conventions and safety (issue 15): usage errors in one line with exit status 2 and
nothing created, no traceback for operating-system errors, --version/-h, Ctrl-C, one
writer per warehouse, workers that end with the main process."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from certreport import __version__, findings_report, pipeline
from certreport import export as exporting
from certreport.cli import app
from certreport.lock import WarehouseBusy, WarehouseLock
from certreport.pipeline import Interrupted, Summary, import_paths
from certreport.store import Warehouse
from tests.conftest import REAL_REPORT, ROOT

runner = CliRunner()


def invoke(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def _one_line(res) -> str:
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert "Traceback" not in res.output
    return lines[0]


def test_version_and_short_help():
    res = invoke("--version")
    assert res.exit_code == 0 and res.stdout.strip() == __version__
    assert invoke("-h").exit_code == 0 and "import" in invoke("-h").stdout
    for command in ("import", "show", "check", "export"):
        assert invoke(command, "-h").exit_code == 0, command


def test_every_command_names_its_output_option_out():
    for command in ("import", "check", "export"):
        text = invoke(command, "--help").stdout
        assert "--out" in text and "-o" in text, command
        assert "--output" not in text, command  # the old spelling works, hidden


def test_import_out_is_a_file(tmp_path):
    target = tmp_path / "taken"
    target.write_text("keep me", encoding="utf-8")
    res = invoke("import", REAL_REPORT, "--out", target)
    assert res.exit_code == 2 and "not a folder" in _one_line(res)
    assert target.read_text(encoding="utf-8") == "keep me"


def test_import_out_under_a_file_creates_nothing(tmp_path):
    (tmp_path / "f").write_text("", encoding="utf-8")
    res = invoke("import", REAL_REPORT, "--out", tmp_path / "f" / "wh")
    assert res.exit_code == 2 and "is a file" in _one_line(res)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_import_out_without_permission(tmp_path):
    locked = tmp_path / "ro"
    locked.mkdir(mode=0o500)
    res = invoke("import", REAL_REPORT, "--out", locked / "wh")
    assert res.exit_code == 2 and "no permission" in _one_line(res)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("safety") / "wh"
    import_paths([REAL_REPORT], out)
    return out


def test_check_out_into_bad_places(warehouse, tmp_path):
    res = invoke("check", warehouse, "--out", tmp_path)
    assert res.exit_code == 2 and "is a folder" in _one_line(res)
    (tmp_path / "f").write_text("", encoding="utf-8")
    res = invoke("check", warehouse, "-o", tmp_path / "f" / "x.csv", "-f", "csv")
    assert res.exit_code == 2 and "is a file" in _one_line(res)
    ok = invoke("check", warehouse, "-o", tmp_path / "new" / "x.csv", "-f", "csv")
    assert ok.exit_code == 0 and (tmp_path / "new" / "x.csv").is_file()


def test_export_into_bad_places(warehouse, tmp_path):
    (tmp_path / "f").write_text("", encoding="utf-8")
    res = invoke("export", warehouse, "--to", "csv", "--out", tmp_path / "f")
    assert res.exit_code == 2 and "not a folder" in _one_line(res)
    res = invoke("export", warehouse, "--to", "xlsx", "-o", tmp_path)
    assert res.exit_code == 2 and "is a folder" in _one_line(res)
    res = invoke("export", warehouse, "--to", "xlsx", "-o", tmp_path / "f" / "w.xlsx")
    assert res.exit_code == 2 and "is a file" in _one_line(res)


def test_an_os_error_anywhere_is_one_line(monkeypatch, warehouse, tmp_path):
    def full(*a, **k):
        raise OSError(28, "No space left on device", str(tmp_path / "wh" / "x.parquet"))

    monkeypatch.setattr(pipeline, "import_paths", full)
    res = invoke("import", REAL_REPORT, "--out", tmp_path / "wh")
    assert res.exit_code == 1
    assert _one_line(res) == f"{tmp_path / 'wh' / 'x.parquet'}: No space left on device"
    monkeypatch.setattr(findings_report, "findings", full)
    res = invoke("check", warehouse)
    assert res.exit_code == 1 and "No space left" in _one_line(res)
    monkeypatch.setattr(exporting, "export", full)
    res = invoke("export", warehouse, "--to", "csv", "-o", tmp_path / "csv")
    assert res.exit_code == 1 and "No space left" in _one_line(res)


# ---------------------------------------------------------------- Ctrl-C


def test_ctrl_c_keeps_what_was_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"r{i}.md").write_text(REAL_REPORT.read_text(encoding="utf-8")
                                         + f"\n<!-- copy {i} -->\n", encoding="utf-8")

    def stop_after_first(result, path, index):
        if index == 1:
            raise KeyboardInterrupt

    with pytest.raises(Interrupted) as stop:
        import_paths([folder], tmp_path / "wh", progress=stop_after_first)
    assert stop.value.summary.counts["ok"] == 1
    assert len(pd.read_parquet(tmp_path / "wh" / "reports")) == 1  # saved, not lost
    import_paths([folder], tmp_path / "wh")  # the same command goes on
    assert len(pd.read_parquet(tmp_path / "wh" / "reports")) == 3


def test_ctrl_c_says_what_was_saved_and_how_to_resume(monkeypatch, tmp_path):
    summary = Summary()
    summary.counts.update(ok=4, failed=1, unchanged=2)

    def interrupted(*a, **k):
        raise Interrupted(summary)

    monkeypatch.setattr(pipeline, "import_paths", interrupted)
    res = invoke("import", REAL_REPORT, "--out", tmp_path / "wh")
    assert res.exit_code == 130
    line = _one_line(res)
    assert "5 file(s) read and saved" in line and "Run the same command again" in line


# ---------------------------------------------------------------- one writer per warehouse


def _holder(root: Path, seconds: float) -> subprocess.Popen:
    """Another process holding the warehouse's lock for ``seconds``."""
    code = textwrap.dedent(f"""
        import sys, time
        from certreport.lock import WarehouseLock
        with WarehouseLock({str(root)!r}):
            print("held", flush=True)
            time.sleep({seconds})
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_import_refuses_clearly(tmp_path):
    out = tmp_path / "wh"
    out.mkdir()
    proc = _holder(out, 30)
    try:
        res = invoke("import", REAL_REPORT, "--out", out, "-j", "0")
        assert res.exit_code == 1
        assert f"another import (process {proc.pid})" in _one_line(res)
        assert not (out / "reports").exists()  # nothing was written
        with pytest.raises(WarehouseBusy):
            import_paths([REAL_REPORT], out)
    finally:
        proc.kill()
        proc.wait()


def test_second_import_waits_with_wait(tmp_path):
    out = tmp_path / "wh"
    out.mkdir()
    proc = _holder(out, 1.0)
    try:
        res = invoke("import", REAL_REPORT, "--out", out, "-j", "0", "--wait")
        assert res.exit_code == 0, res.stderr
        assert "waiting for another import" in res.stderr
        assert proc.poll() is not None  # it went on only after the other ended
    finally:
        proc.kill()
        proc.wait()
    assert len(pd.read_parquet(out / "reports")) == 1


def test_reader_leaves_a_writers_batch_alone(tmp_path):
    out = tmp_path / "wh"
    Warehouse(out)
    pending = out / "reports" / ".tmp-batchinprogress"
    pending.write_bytes(b"half a batch")
    proc = _holder(out, 30)
    try:
        Warehouse(out)  # a reader (check, export) opening it meanwhile
        assert pending.exists()
    finally:
        proc.kill()
        proc.wait()
    Warehouse(out)  # no writer: a leftover is cleaned up
    assert not pending.exists()


def test_lock_is_reentrant_in_one_process(tmp_path):
    with WarehouseLock(tmp_path):
        with WarehouseLock(tmp_path):
            pass


# ---------------------------------------------------------------- workers


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in state  # a zombie has ended


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc")
def test_workers_end_when_the_main_process_is_killed(tmp_path):
    code = textwrap.dedent("""
        import os, sys, time
        from certreport.workers import Pool

        def task(i):
            os.write(1, b"%d\\n" % os.getpid())  # one write: two workers never interleave
            time.sleep(120)

        for _ in Pool(task, 2, timeout=None).imap_unordered(range(2)):
            pass
    """)
    main = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    workers = [int(main.stdout.readline()) for _ in range(2)]
    assert all(_alive(w) for w in workers)
    os.kill(main.pid, signal.SIGKILL)
    main.wait()
    deadline = time.monotonic() + 15
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)
