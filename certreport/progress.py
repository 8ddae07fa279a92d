"""Import progress on stderr: a bar with files/s and ETA on a terminal, plain lines
otherwise (logs, CI, pipes)."""
from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from certreport.pipeline import FileResult


class Progress:
    """Callback for :func:`certreport.pipeline.import_paths`."""

    def __init__(self, stream: TextIO, total: int | None = None) -> None:
        self.stream = stream
        self.total = total
        self.tty = total is not None
        self.start = time.monotonic()
        self.done = 0

    def describe(self, result: "FileResult | None", path: Path) -> str:
        if result is None:
            return f"{path}: unchanged"
        if result.status == "failed":
            return f"{path}: FAILED: {result.error}"
        clauses = len(result.rows.get("clauses", []))
        note = f" ({result.error})" if result.error else ""
        return (f"{path}: {result.status}, {clauses} clauses, {result.errors} error / "
                f"{result.warnings} warning findings{note}")

    def update(self, result: "FileResult | None", path: Path, index: int) -> None:
        self.done = index
        if not self.tty:
            self.stream.write(f"[{index}] {self.describe(result, path)}\n")
            self.stream.flush()
            return
        if result is not None and result.status == "failed":
            self.stream.write(f"\r\033[K{self.describe(result, path)}\n")
        elapsed = max(time.monotonic() - self.start, 1e-6)
        rate = index / elapsed
        total = max(self.total or index, index)
        eta = (total - index) / rate if rate > 0 else 0
        width = 30
        filled = int(width * index / total) if total else width
        self.stream.write(f"\r\033[K[{'#' * filled}{'.' * (width - filled)}] {index}/{total} "
                          f"{rate:.1f} files/s ETA {eta:.0f}s")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
