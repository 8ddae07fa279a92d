"""Library warnings caught per file, so they are stored with the report and never printed
bare (without a file name) on the terminal.

Python :mod:`warnings` (except those about code rather than the file:
:data:`NOT_ABOUT_THE_FILE`) and log records of level WARNING and above (pdfminer, python-docx,
openpyxl … log through :mod:`logging`) raised while one file is read are collected, the
same message once with a count::

    with captured() as problems:
        record = extract.read(path)
    problems.messages()  # ['pdfminer.pdfpage: Data-loss while decompressing … (×3)']
"""
from __future__ import annotations

import logging
import warnings
from collections import Counter
from contextlib import contextmanager
from typing import Iterator

# warnings about code, not about the file being read (a ResourceWarning comes from the
# garbage collector finalising whatever object, a deprecation from how a library is called)
NOT_ABOUT_THE_FILE = (ResourceWarning, DeprecationWarning, PendingDeprecationWarning,
                      ImportWarning)
MAX_MESSAGES = 20
MAX_LENGTH = 200
_active: list["Problems"] = []  # nested captures: the innermost one takes the records


class Problems(logging.Handler):
    """Collects messages (a logging handler, and the sink of caught warnings)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.counts: Counter[str] = Counter()

    def add(self, message: str) -> None:
        text = " ".join(message.split())
        if len(text) > MAX_LENGTH:
            text = text[:MAX_LENGTH - 1] + "…"
        self.counts[text] += 1

    def emit(self, record: logging.LogRecord) -> None:
        if not _active or _active[-1] is not self:
            return
        try:
            self.add(f"{record.name}: {record.getMessage()}")
        except Exception:  # noqa: BLE001 - a broken log call must not break the import
            self.add(f"{record.name}: {record.msg!r}")

    def messages(self) -> list[str]:
        """Distinct messages in first-seen order, ``(×n)`` when repeated, at most
        :data:`MAX_MESSAGES` (then one line saying how many more)."""
        out = [m if n == 1 else f"{m} (×{n})" for m, n in self.counts.items()]
        if len(out) > MAX_MESSAGES:
            more = len(out) - MAX_MESSAGES + 1
            out = out[:MAX_MESSAGES - 1] + [f"… and {more} other warning(s)"]
        return out


@contextmanager
def captured() -> Iterator[Problems]:
    """Catch warnings and WARNING+ log records for the ``with`` block (see the module doc).
    Nothing reaches the terminal through logging's last-resort handler. Captures nest
    (a reader may capture per page inside the per-file capture): the innermost takes what
    is raised in it."""
    sink = Problems()
    _active.append(sink)
    root = logging.getLogger()
    # loggers that do not propagate to the root (rare) are left to their own handlers
    saved_last_resort = logging.lastResort
    root.addHandler(sink)
    logging.lastResort = None  # type: ignore[assignment]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            for category in NOT_ABOUT_THE_FILE:
                warnings.simplefilter("ignore", category)
            try:
                yield sink
            finally:
                for w in caught:
                    sink.add(f"{w.category.__name__}: {w.message}")
    finally:
        root.removeHandler(sink)
        logging.lastResort = saved_last_resort
        _active.remove(sink)
