"""Per-file work as Dask tasks (``dask.distributed``): the same ``imap_unordered`` as
:class:`certreport.workers.Pool`, on a cluster.

Each file is one task. On the worker, the task hands the file to a parser process of its
own (:class:`certreport.workers.Supervisor`, one per worker thread, kept between tasks),
so a file that overruns the timeout is killed there and recorded as failed while the
worker goes on; a worker that dies (killed, out of memory) is Dask's to handle: the
scheduler runs its task again elsewhere, at most ``distributed.scheduler.allowed-failures``
more times, then the file is recorded as failed. Files are passed by path: every worker
must see them at the same path (shared storage). Results come back to the client, which
alone writes the warehouse.
"""
from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, TypeVar

from certreport.workers import Supervisor, TaskFailure

T = TypeVar("T")
ALLOWED_FAILURES = 2  # worker deaths a file may cause on a cluster we start (3 attempts)

_supervisors: dict[tuple[int, str], Supervisor] = {}


class DaskUnavailable(RuntimeError):
    """dask.distributed is not installed, or the scheduler cannot be reached."""


def run_on_worker(func_ref: str, item: Any, timeout: float | None, cwd: str) -> Any:
    """The task: ``func(item)`` in this worker thread's parser process."""
    key = (threading.get_ident(), func_ref)
    sup = _supervisors.get(key)
    if sup is None:
        sup = _supervisors[key] = Supervisor(func_ref)
    return sup.run(item, timeout, cwd)


def func_ref(func: Callable[[Any], Any]) -> str:
    """``module:qualname`` of a module-level function (what the parser process imports)."""
    if func.__module__ == "__main__" or "<locals>" in func.__qualname__:
        raise ValueError(f"{func.__qualname__}: the Dask executor needs a module-level "
                         f"function of an importable module")
    return f"{func.__module__}:{func.__qualname__}"


class DaskPool:
    """``imap_unordered`` over a function as Dask tasks, each limited to ``timeout``.

    ``scheduler``: the address of a running scheduler (``tcp://host:8786``); None starts a
    LocalCluster of ``workers`` processes (one thread each) for the duration of the run.
    """

    def __init__(self, func: Callable[[Any], Any], workers: int, timeout: float | None,
                 scheduler: str | None = None) -> None:
        self.func_ref = func_ref(func)
        self.workers = max(1, workers)
        self.timeout = timeout
        self.scheduler = scheduler

    @contextmanager
    def client(self) -> Iterator[Any]:
        try:
            import dask
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise DaskUnavailable("the Dask executor needs dask.distributed: "
                                  "pip install 'certreport[dask]'") from exc
        if self.scheduler:
            try:
                client = Client(self.scheduler)
            except (OSError, TimeoutError) as exc:
                raise DaskUnavailable(f"cannot reach the Dask scheduler at {self.scheduler}: "
                                      f"{exc}") from exc
            with client:
                yield client
            return
        # the workers' statistical profiler feeds the dashboard only: off, it costs CPU
        with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES,
                              "distributed.worker.profile.enabled": False}):
            with LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                              dashboard_address=":0", silence_logs=logging.ERROR) as cluster, \
                    Client(cluster) as client:
                yield client

    def imap_unordered(self, items: Iterable[T]) -> Iterator[tuple[T, Any]]:
        """Yield (item, result) as tasks finish; result is the function's return value or
        a :class:`TaskFailure` (timeout, exception, or a worker that died too often)."""
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        cwd = os.getcwd()
        it = iter(items)
        try:
            first = next(it)
        except StopIteration:  # nothing to parse (all unchanged): no cluster to start
            return
        it = itertools.chain([first], it)
        with self.client() as client:
            done = as_completed()
            pending: dict[str, T] = {}
            exhausted = False

            threads = {"n": 1, "asked": -1.0}

            def fill() -> None:
                nonlocal exhausted
                # a few more tasks than threads: workers never wait, and the client holds
                # the rest (the cluster's size asked at most once a second)
                if time.monotonic() - threads["asked"] > 1:
                    threads["n"] = max(1, sum(client.nthreads().values()))
                    threads["asked"] = time.monotonic()
                limit = 2 * threads["n"]
                while not exhausted and len(pending) < limit:
                    try:
                        item = next(it)
                    except StopIteration:
                        exhausted = True
                        return
                    fut = client.submit(run_on_worker, self.func_ref, item, self.timeout,
                                        cwd, pure=False)
                    pending[fut.key] = item
                    done.add(fut)

            fill()
            while pending:
                fut = next(done)
                item = pending.pop(fut.key)
                try:
                    result = fut.result()
                except KilledWorker:
                    result = TaskFailure(item, "the Dask worker running it died, on every "
                                               "attempt the scheduler allows")
                except Exception as exc:  # noqa: BLE001 - one file, not the batch
                    result = TaskFailure(item, f"Dask task failed: {type(exc).__name__}: {exc}")
                fut.release()
                yield item, result
                fill()
