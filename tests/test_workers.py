"""The parser pool: timeouts, killed workers and exceptions become task failures and
the pool goes on."""
from __future__ import annotations

import os
import signal
import time

from certreport.workers import Pool, TaskFailure


def task(item):
    if item == "hang":
        time.sleep(60)
    if item == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    if item == "exit":
        os._exit(3)
    if item == "raise":
        raise ValueError("bad input")
    return item.upper()


def test_pool_survives_hangs_kills_and_exceptions():
    items = ["a", "hang", "b", "kill", "c", "raise", "exit", "d"]
    start = time.monotonic()
    results = dict(Pool(task, workers=2, timeout=1.5).imap_unordered(items))
    assert time.monotonic() - start < 30
    assert {k: v for k, v in results.items() if not isinstance(v, TaskFailure)} == {
        "a": "A", "b": "B", "c": "C", "d": "D"}
    assert "timed out after 1.5 s" in results["hang"].reason
    assert "killed by signal 9" in results["kill"].reason
    assert "exited with status 3" in results["exit"].reason
    assert results["raise"].reason == "ValueError: bad input"


def test_pool_single_worker_keeps_order_of_all_items():
    got = [r for _, r in Pool(task, workers=1, timeout=None).imap_unordered(list("xyz"))]
    assert got == ["X", "Y", "Z"]


def test_supervisor_runs_tasks_one_by_one_and_replaces_its_process():
    """What a Dask worker thread uses: one parser process, killed on a timeout and
    started again after a death."""
    from certreport.workers import Supervisor

    sup = Supervisor(f"{task.__module__}:task")
    try:
        got = {item: sup.run(item, 1.5) for item in ["a", "hang", "b", "kill", "raise", "exit", "c"]}
    finally:
        sup.close()
    assert (got["a"], got["b"], got["c"]) == ("A", "B", "C")
    assert got["hang"].reason == "timed out after 1.5 s"
    assert got["kill"].reason == "parser process killed by signal 9"
    assert got["exit"].reason == "parser process exited with status 3"
    assert got["raise"].reason == "ValueError: bad input"


def test_supervisor_names_a_function_it_cannot_import():
    import pytest

    from certreport.workers import Supervisor

    with pytest.raises(RuntimeError, match="no_such_module"):
        Supervisor("no_such_module:f").run("x", 5)
