"""One writer per warehouse: an advisory lock on ``<warehouse>/.lock``.

An import holds it from before it reads what the warehouse holds until its last batch is
written, so two imports into one warehouse never interleave their batches: the second
waits for the first (``wait`` seconds, ``None`` for as long as it takes) or refuses with
:class:`WarehouseBusy`. The lock is the operating system's (``flock``): it goes with the
process, so a crashed or killed import leaves no stale lock behind. Readers do not take
it; they only skip crash recovery (deleting a batch's temporary files) while a writer
holds it, as those files may be the writer's batch in progress.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no advisory locks, one writer assumed
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".lock"
_held: dict[Path, int] = {}  # lock files this process holds -> their descriptors


class WarehouseBusy(RuntimeError):
    """Another process is writing to the warehouse."""


def _key(root: str | Path) -> Path:
    return (Path(root) / LOCK_NAME).resolve()


def _holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii").strip()
    except OSError:
        pid = ""
    return f"process {pid}" if pid.isdigit() else "another process"


class WarehouseLock:
    """``with WarehouseLock(root, wait=30):`` holds the warehouse's writer lock (the
    folder must exist). ``on_wait(message)`` is called once if it has to wait."""

    def __init__(self, root: str | Path, wait: float | None = 0.0,
                 on_wait: Callable[[str], None] | None = None) -> None:
        self.root = Path(root)
        self.wait = wait
        self.on_wait = on_wait
        self._fd: int | None = None

    def __enter__(self) -> "WarehouseLock":
        path = _key(self.root)
        if fcntl is None or path in _held:
            return self
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = None if self.wait is None else time.monotonic() + self.wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if deadline is not None and time.monotonic() >= deadline:
                    os.close(fd)
                    raise WarehouseBusy(
                        f"{self.root}: another import ({_holder(path)}) is writing to this "
                        "warehouse; wait for it to finish (or use --wait)") from None
                if not told and self.on_wait:
                    self.on_wait(f"{self.root}: waiting for another import "
                                 f"({_holder(path)}) to finish …")
                    told = True
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode("ascii"))
        self._fd = fd
        _held[path] = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is None:
            return
        _held.pop(_key(self.root), None)
        try:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            os.close(self._fd)
            self._fd = None


def written_elsewhere(root: str | Path) -> bool:
    """True when another process holds the writer lock of the warehouse at ``root``."""
    path = _key(root)
    if fcntl is None or path in _held or not path.exists():
        return False
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)
