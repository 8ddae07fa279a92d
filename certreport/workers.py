"""A small process pool for parsing files: per-task timeout, and a pool that survives
workers killed by the OS (or by the timeout), which ``concurrent.futures`` does not.

Each worker is a process with its own duplex pipe; the parent hands it one task at a
time, so a task that hangs or crashes is known exactly and can be recorded as failed
while a fresh worker takes its place.
"""
from __future__ import annotations

import importlib
import multiprocessing as mp
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass
class TaskFailure:
    """A task that did not return: it timed out or its worker died."""

    item: Any
    reason: str


def _die_with_parent(parent: int, interval: float = 0.5) -> None:
    """End this worker when the process that started it ends, even by ``kill -9``: the
    kernel's parent-death signal where there is one (Linux), and a watchdog thread that
    notices the worker was handed to another parent."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the watchdog alone
        pass
    if os.getppid() != parent:  # the parent died before the signal was set
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _worker(conn: Connection, func: Callable[[Any], Any], parent: int | None = None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    if parent is not None:
        _die_with_parent(parent)
    _serve(conn, func, lambda message: message)


def _serve(conn: Connection, func: Callable[[Any], Any],
           task_of: Callable[[Any], Any]) -> None:
    """Answer tasks until the parent hangs up (or sends None): ``("ok", result)`` or
    ``("error", why)`` for each; ``task_of`` turns a received message into the task's item
    (None to stop)."""
    while True:
        try:
            item = task_of(conn.recv())
        except (EOFError, OSError):
            return
        if item is None:
            return
        try:
            result: Any = ("ok", func(item))
        except BaseException as exc:  # noqa: BLE001 - reported back as the task's failure
            result = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(result)
        except (BrokenPipeError, OSError):
            return


@dataclass
class _Slot:
    process: mp.process.BaseProcess
    conn: Connection
    item: Any = None
    started: float = 0.0
    busy: bool = False


class Pool:
    """``imap_unordered`` over a function with a timeout per task."""

    def __init__(self, func: Callable[[Any], Any], workers: int, timeout: float | None,
                 timeout_of: Callable[[Any], float | None] | None = None) -> None:
        self.func = func
        self.workers = max(1, workers)
        self.timeout = timeout
        self.timeout_of = timeout_of  # a task's own limit (e.g. scaled by its pages)
        self._ctx = mp.get_context("fork" if hasattr(os, "fork") else "spawn")
        self._slots: list[_Slot] = []

    def _spawn(self) -> _Slot:
        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=_worker, args=(child, self.func, os.getpid()),
                                 daemon=True)
        proc.start()
        child.close()
        return _Slot(proc, parent)

    def _retire(self, slot: _Slot) -> None:
        if slot.process.is_alive():
            slot.process.kill()
        slot.process.join(timeout=5)
        slot.conn.close()

    def imap_unordered(self, items: Iterable[T]) -> Iterator[tuple[T, Any]]:
        """Yield (item, result) as tasks finish; result is the function's return value or
        a :class:`TaskFailure` (exception, timeout, or a worker killed). A worker is
        started when a task finds every started one busy, up to ``workers``: a batch of
        one file starts one."""
        it = iter(items)
        self._slots = []
        exhausted = False
        try:
            while True:
                while not exhausted:
                    idle = next((i for i, s in enumerate(self._slots) if not s.busy), None)
                    if idle is None and len(self._slots) >= self.workers:
                        break
                    try:
                        item = next(it)
                    except StopIteration:
                        exhausted = True
                        break
                    if idle is None:
                        self._slots.append(self._spawn())
                        idle = len(self._slots) - 1
                    slot = self._slots[idle]
                    try:
                        slot.conn.send(item)
                    except (BrokenPipeError, OSError):
                        self._retire(slot)
                        slot = self._slots[idle] = self._spawn()
                        slot.conn.send(item)
                    slot.item, slot.started, slot.busy = item, time.monotonic(), True
                busy = [s for s in self._slots if s.busy]
                if not busy:
                    if exhausted:
                        return
                    continue
                ready = wait([s.conn for s in busy] + [s.process.sentinel for s in busy],
                             timeout=0.2)
                now = time.monotonic()
                for i, slot in enumerate(self._slots):
                    if not slot.busy:
                        continue
                    if slot.conn in ready:
                        try:
                            status, value = slot.conn.recv()
                        except (EOFError, OSError):
                            status, value = "died", None
                        if status == "ok":
                            slot.busy = False
                            yield slot.item, value
                            continue
                        if status == "error":
                            slot.busy = False
                            yield slot.item, TaskFailure(slot.item, value)
                            continue
                    if not slot.process.is_alive():
                        code = slot.process.exitcode
                        item = slot.item
                        self._retire(slot)
                        self._slots[i] = self._spawn()
                        why = (f"killed by signal {-code}" if code is not None and code < 0
                               else f"exited with status {code}")
                        yield item, TaskFailure(item, f"parser process {why}")
                        continue
                    limit = self.timeout_of(slot.item) if self.timeout_of else self.timeout
                    if limit and now - slot.started > limit:
                        item = slot.item
                        self._retire(slot)
                        self._slots[i] = self._spawn()
                        yield item, TaskFailure(item, f"timed out after {limit:g} s")
        finally:
            self.close()

    def close(self) -> None:
        for slot in self._slots:
            try:
                if not slot.busy:
                    slot.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        deadline = time.monotonic() + 2
        for slot in self._slots:
            slot.process.join(timeout=max(0.0, deadline - time.monotonic()))
            self._retire(slot)
        self._slots = []


class Supervisor:
    """One parser process running one task at a time, each limited to a timeout, and
    replaced when it overruns or dies: what :class:`Pool` does per slot, for a caller that
    gets its tasks one by one (a Dask worker thread).

    The process is started with :mod:`subprocess`, not :mod:`multiprocessing`, so it can
    be started from a daemonic process (Dask workers are), and on Linux it dies with its
    parent. ``func_ref`` names the function as ``module:qualname``.
    """

    def __init__(self, func_ref: str, start_timeout: float = 300.0) -> None:
        self.func_ref = func_ref
        self.start_timeout = start_timeout
        self._proc: subprocess.Popen | None = None
        self._conn: Connection | None = None

    def _start(self) -> None:
        parent, child = socket.socketpair()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "certreport.workers", str(child.fileno()), self.func_ref],
            pass_fds=[child.fileno()], env=env, stdin=subprocess.DEVNULL)
        child.close()
        self._conn = Connection(parent.detach())
        if not self._conn.poll(self.start_timeout):
            self.close()
            raise RuntimeError(f"parser process did not start within {self.start_timeout:g} s")
        status, value = self._conn.recv()
        if status != "ready":
            self.close()
            raise RuntimeError(f"parser process could not start: {value}")

    def run(self, item: Any, timeout: float | None, cwd: str | None = None) -> Any:
        """``func(item)`` in the parser process (in folder ``cwd`` when it exists there),
        or a :class:`TaskFailure` when it raised, overran ``timeout`` or died."""
        if self._proc is None or self._proc.poll() is not None:
            self.close()
            self._start()
        assert self._conn is not None and self._proc is not None
        try:
            self._conn.send((cwd, item))
        except OSError:  # it died between tasks: a fresh one takes the task
            self.close()
            self._start()
            assert self._conn is not None and self._proc is not None
            self._conn.send((cwd, item))
        try:
            if self._conn.poll(timeout):
                status, value = self._conn.recv()
                return value if status == "ok" else TaskFailure(item, value)
        except (EOFError, OSError):
            pass  # the process died: its exit status says how
        else:
            self.close()
            return TaskFailure(item, f"timed out after {timeout:g} s")
        code = self._proc.wait()
        self.close()
        why = f"killed by signal {-code}" if code < 0 else f"exited with status {code}"
        return TaskFailure(item, f"parser process {why}")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait()
            self._proc = None


def _resolve(ref: str) -> Callable[[Any], Any]:
    module, _, name = ref.partition(":")
    obj: Any = importlib.import_module(module)
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def _child(fd: int, func_ref: str) -> None:
    """The parser process of a :class:`Supervisor`."""
    _die_with_parent(os.getppid())
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    conn = Connection(fd)
    try:
        func = _resolve(func_ref)
    except Exception as exc:  # noqa: BLE001 - told to the parent
        conn.send(("error", f"{func_ref}: {type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", None))

    def in_callers_folder(message: tuple[str | None, Any]) -> Any:
        cwd, item = message  # relative paths resolve where the client stands
        if cwd and cwd != os.getcwd() and os.path.isdir(cwd):
            os.chdir(cwd)
        return item

    _serve(conn, func, in_callers_folder)


if __name__ == "__main__":
    _child(int(sys.argv[1]), sys.argv[2])
