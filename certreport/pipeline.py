"""The import pipeline: file -> record -> normalised rows -> warehouse.

Library functions a notebook can call as well as the CLI: :func:`process_file` turns one
file into its table rows (never raising for bad input: a failed report row instead),
:func:`import_paths` runs a batch into a :class:`~certreport.store.Warehouse`.
"""
from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from certreport import __version__, extract
from certreport.lock import WarehouseLock
from certreport.problems import captured
from certreport.extract.readers import (HEAD_BYTES, Reader, UnsupportedFormat, by_content,
                                        by_suffix, choose, head_of, skip_key)

if TYPE_CHECKING:
    from certreport.normalise import Normalised
    from certreport.store import Warehouse

# readers, normalise, the store and the worker pool are imported where they are first
# used: an unchanged re-run pays only for hashing, the CLI's --help for nothing

BATCH_SIZE = 50
DEFAULT_TIMEOUT = 120.0
EXECUTORS = ("local", "dask")
OCR_PAGE_SECONDS = 30.0  # added to a PDF's or image's timeout per page: pages may need OCR
OCR_CACHE = Path(".cache") / "ocr"  # inside the warehouse: OCR results by page-image hash


def page_estimate(data: bytes) -> int:
    """How many pages a PDF or image file holds (0 for other files or when it cannot
    tell): what scales the file's timeout, as each page may need OCR."""
    try:
        if b"%PDF" in data[:1024]:
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(data)
            try:
                return len(pdf)
            finally:
                pdf.close()
        from certreport.extract.image import sniff

        if sniff(data[:16]):
            import io

            from PIL import Image

            with Image.open(io.BytesIO(data)) as img:
                return int(getattr(img, "n_frames", 1))
    except Exception:  # noqa: BLE001 - a damaged file: its reader says what is wrong
        return 0
    return 0


def ocr_environment(out: str | Path, workers: int) -> dict[str, str]:
    """The OCR settings an import passes to its parser processes: the cache inside the
    warehouse and the engine threads per worker (the cores shared among the workers)."""
    cores = os.cpu_count() or 1
    return {"CERTREPORT_OCR_CACHE": os.environ.get("CERTREPORT_OCR_CACHE")
            or str(Path(out) / OCR_CACHE),
            "CERTREPORT_OCR_THREADS": os.environ.get("CERTREPORT_OCR_THREADS")
            or str(max(1, cores // max(1, workers)))}


@dataclass
class FileResult:
    """One file's outcome: its table rows, and what to tell the user."""

    path: Path
    report_id: str
    status: str
    error: str | None
    rows: dict[str, list[dict[str, Any]]]
    errors: int = 0
    warnings: int = 0


@dataclass
class Summary:
    """What a batch did."""

    counts: Counter = field(default_factory=Counter)  # ok / partial / failed / unchanged
    failed: list[tuple[str, str]] = field(default_factory=list)
    # failed on an earlier run and not retried (``retry=False``): (path, reason)
    still_failed: list[tuple[str, str]] = field(default_factory=list)
    ignored: Counter = field(default_factory=Counter)  # suffix -> files of other types
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (path, same bytes as)
    error_findings: int = 0
    archive_findings: int | None = None  # over the whole warehouse; None: not recomputed

    def line(self, out: str | Path) -> str:
        c = self.counts
        done = c["ok"] + c["partial"] + c["failed"]
        text = (f"imported {done} file(s): {c['ok']} ok, {c['partial']} partial, "
                f"{c['failed']} failed; {c['unchanged']} unchanged; "
                f"{self.error_findings} error finding(s) -> {out}")
        if self.archive_findings:
            text += (f"; {self.archive_findings} finding(s) across the archive "
                     "(`certreport check` lists them)")
        if self.still_failed:
            text += (f"; {len(self.still_failed)} failed earlier and not retried "
                     "(--no-retry)")
        if self.duplicates:
            text += f"; {len(self.duplicates)} duplicate(s) of files in this batch"
        if self.ignored:
            kinds = ", ".join(f"{k or '(no suffix)'}: {n}" for k, n in sorted(self.ignored.items()))
            text += f"; not report files, left aside: {kinds}"
        return text


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during an import, raised after what was read so far was written:
    ``summary`` says what was saved."""

    def __init__(self, summary: Summary) -> None:
        super().__init__("interrupted")
        self.summary = summary


def identity(path: Path, data: bytes | None) -> str:
    """A file's report id: the hash of its bytes, or of its path when it has none to read
    (empty or unreadable files are not duplicates of each other)."""
    return report_id_of(data if data else str(path).encode())


def report_id_of(data: bytes) -> str:
    """Stable report id: the first 16 hex digits of the SHA-256 of the file's bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def discover(paths: Iterable[str | Path], ignored: Counter | None = None) -> Iterator[Path]:
    """Files to import: given files as they are, folders walked recursively (links to
    folders not followed, so a link loop cannot trap the walk). In folders, a file is taken
    when its suffix is one a reader knows or its content names a reader (a PDF without a
    suffix); the others are counted in ``ignored`` by suffix, not silently dropped."""
    suffixes = set(extract.supported_suffixes())
    seen: set[Path] = set()
    for p in map(Path, paths):
        if p.is_dir():
            for dirpath, dirnames, filenames in os.walk(p, followlinks=False):
                dirnames.sort()
                for name in sorted(filenames):
                    f = Path(dirpath) / name
                    if name.startswith("."):
                        continue
                    suffix = f.suffix.lower()
                    if suffix not in suffixes and not _claimed_by_content(f):
                        if ignored is not None:
                            ignored[suffix] += 1
                        continue
                    if f not in seen:
                        seen.add(f)
                        yield f
        elif p not in seen:
            seen.add(p)
            yield p


def _claimed_by_content(path: Path) -> bool:
    if unreadable(path) is not None:
        return False
    try:
        return by_content(head_of(path), path) is not None
    except OSError:
        return False


def reader_of(path: Path, data: bytes) -> Reader | None:
    """The reader the registry picks for these bytes (None when none would read them)."""
    try:
        return choose(path, data[:HEAD_BYTES])
    except UnsupportedFormat:
        return None


def _failed(path: Path, report_id: str, message: str, size: int | None,
            reader: Reader | None = None, problems: list[str] | None = None) -> FileResult:
    reader = reader or by_suffix(path)
    message = " ".join(message.splitlines())  # one line, whatever a library said
    row = {"report_id": report_id, "source_path": str(path),
           "source_format": reader.format_of(path) if reader else None,
           "source_size": size, "status": "failed", "error": message,
           "problems": problems or None, "error_count": 0, "warning_count": 0,
           "extractor_version": skip_key(__version__, reader)}
    rows = with_file_status({"reports": [row]})
    return FileResult(path, report_id, "failed", message, rows, errors=1)


def file_status_finding(report: dict[str, Any]) -> dict[str, Any] | None:
    """A failed file is an error finding, a partial one a warning (check ``file_status``,
    target the file, message the reason), so every list of findings shows them."""
    status = report.get("status")
    if status not in ("failed", "partial"):
        return None
    return {"report_id": report["report_id"], "check_name": "file_status",
            "severity": "error" if status == "failed" else "warning",
            "target": Path(report.get("source_path") or "").name or report["report_id"],
            "stated": status, "computed": None,
            "message": report.get("error") or status, "page": None, "line": None}


def with_file_status(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """``rows`` with the file's ``file_status`` finding added to ``checks`` (and counted in
    the report's error/warning counts)."""
    report = rows["reports"][0]
    finding = file_status_finding(report)
    if finding is None:
        return rows
    key = "error_count" if finding["severity"] == "error" else "warning_count"
    report[key] = (report.get(key) or 0) + 1
    return {**rows, "checks": [finding] + list(rows.get("checks", []))}


def rows_of(report_id: str, path: Path, size: int, record_format: str,
            n: Normalised, problems: list[str] | None = None,
            org_ids: bool = True) -> dict[str, list[dict[str, Any]]]:
    """The table rows of one normalised report (with its ``file_status`` finding when it
    is not ok); ``problems`` are what the reader and its libraries reported. Without
    ``org_ids`` the report's ``org_id`` is left None for :func:`with_org_ids` to fill."""
    from certreport.normalise.findings import box_columns, fmt

    report = {"report_id": report_id, "source_path": str(path), "source_format": record_format,
              "source_size": size, **n.report, "org_id": None, "problems": problems or None}
    tag = lambda rows: [{"report_id": report_id, **r} for r in rows]  # noqa: E731
    checks = [{"report_id": report_id, "check_name": f.check, "severity": f.severity,
               "target": f.target, "stated": fmt(f.stated), "computed": fmt(f.computed),
               "message": f.message, "page": f.where.page if f.where else None,
               "line": f.where.line if f.where else None, **box_columns(f.where)}
              for f in n.findings]
    sections = [{k: v for k, v in s.items() if not k.startswith("_")} for s in n.sections]
    rows = with_file_status({"reports": [report], "clauses": tag(n.clauses),
                             "sections": tag(sections), "team": tag(n.team), "checks": checks,
                             "locations": tag(n.locations),
                             "pages": tag(n.pages)})
    return with_org_ids(rows) if org_ids else rows


def with_org_ids(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """``rows`` with each report's ``org_id`` set from its ``org_name``
    (:func:`certreport.normalise.archive.org_ids`, one pass over all the reports; it loads
    the archive's Arrow kernels)."""
    from certreport.normalise.archive import org_ids

    reports = rows.get("reports", [])
    for report, org_id in zip(reports, org_ids([r.get("org_name") for r in reports])):
        report["org_id"] = org_id
    return rows


def unreadable(path: Path) -> str | None:
    """Why ``path`` is not a regular file that can be read (None when it is): checked
    before opening, as opening a named pipe would wait for a writer forever."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop (the link leads back to itself)"
        if path.is_symlink():
            return f"broken symbolic link (its target {os.readlink(path)} does not exist)"
        return f"cannot read file: {exc.strerror or exc}"
    if stat.S_ISDIR(mode):
        return "is a folder"
    if not stat.S_ISREG(mode):
        kind = ("named pipe" if stat.S_ISFIFO(mode) else "socket" if stat.S_ISSOCK(mode)
                else "device")
        return f"not a regular file (a {kind})"
    return None


def process_file(path: str | Path, org_ids: bool = True) -> FileResult:
    """Read, normalise and check one file; bad input gives a failed result, not an error.
    ``org_ids=False`` leaves the report's ``org_id`` to the caller (:func:`with_org_ids`)."""
    from certreport.normalise import normalise

    path = Path(path)
    why = unreadable(path)
    if why is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            why = f"cannot read file: {exc.strerror or exc}"
    if why is not None:
        return _failed(path, identity(path, None), f"{path}: {why}", None)
    if not data:
        return _failed(path, identity(path, data), f"{path}: empty file (0 bytes)", 0)
    rid = identity(path, data)
    reader: Reader | None = None
    with captured() as caught:  # library warnings go with this file, not to the terminal
        try:
            reader = choose(path, data[:HEAD_BYTES])  # UnsupportedFormat says why none fits
            record = extract.read(path, reader)
            n = normalise(record)
        except (ValueError, OSError) as exc:  # readers raise ValueError subclasses for bad input
            failure = f"{path}: {exc}"
        except Exception as exc:  # noqa: BLE001 - one bad file must not stop a batch
            failure = f"{path}: internal error {type(exc).__name__}: {exc}"
        else:
            failure = None
    if failure is not None:
        return _failed(path, rid, failure, len(data), reader, caught.messages())
    problems = list(dict.fromkeys(record.problems)) + caught.messages()
    rows = rows_of(rid, path, len(data), record.source_format, n, problems, org_ids)
    report = rows["reports"][0]
    report["extractor_version"] = skip_key(__version__, reader)
    return FileResult(path, rid, report["status"], report["error"], rows,
                      errors=report["error_count"], warnings=report["warning_count"])


def read_for_import(path: str | Path) -> FileResult:
    """:func:`process_file` as the import's parsers run it: without the org ids, which
    the import sets for each batch as it writes it (:func:`with_org_ids`), so a parser
    process never loads the archive's Arrow kernels and can start before they are."""
    return process_file(path, org_ids=False)


def import_paths(paths: Iterable[str | Path], out: str | Path, force: bool = False,
                 progress: Callable[[FileResult | None, Path, int], None] | None = None,
                 batch_size: int = BATCH_SIZE, workers: int = 0,
                 timeout: float | None = DEFAULT_TIMEOUT, retry: bool = True,
                 wait: float | None = 0.0,
                 on_wait: Callable[[str], None] | None = None, executor: str = "local",
                 scheduler: str | None = None,
                 parse: Callable[[Path], FileResult] = read_for_import) -> Summary:
    """Import files and folders into the warehouse at ``out``.

    A file already imported (same bytes, same extractor version) is left as it is unless
    ``force``; a file whose bytes changed replaces the rows of its earlier version. A file
    that failed before is read again (``retry``: failures may come from the machine, a
    timeout or a missing program, not the file); with ``retry=False`` it is left failed
    and listed in ``Summary.still_failed``. Partial files are not retried: the same bytes
    give the same result.
    The warehouse is locked for the whole import (:mod:`certreport.lock`): another
    import into it is waited for ``wait`` seconds (None: without limit), then
    :class:`~certreport.lock.WarehouseBusy` is raised. Ctrl-C raises
    :class:`Interrupted` once what was read is written.
    ``workers`` > 0 parses in that many processes, each file limited to ``timeout``
    seconds plus :data:`OCR_PAGE_SECONDS` per page of a PDF or image (a file that hangs or
    kills its parser is recorded as failed); 0 parses in this process. OCR results are
    cached in the warehouse (``.cache/ocr``) and the OCR engine's threads are shared out
    among the workers. ``executor="dask"`` parses as Dask tasks instead: on the cluster
    whose scheduler is at ``scheduler``, or on a LocalCluster of ``workers`` processes (see
    :mod:`certreport.dask_executor`). Rows are written every ``batch_size`` reports, so
    memory stays flat. ``progress(result_or_None_if_unchanged, path, index)`` is called
    after each file. ``parse`` is the per-file function (a module-level one, for Dask);
    the reports' ``org_id`` is set as each batch is written (:func:`with_org_ids`).
    """
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r} (one of {', '.join(EXECUTORS)})")
    Path(out).mkdir(parents=True, exist_ok=True)
    with WarehouseLock(out, wait=wait, on_wait=on_wait):
        return _import_locked(paths, out, force, progress, batch_size, workers, timeout, retry,
                              executor, scheduler, parse)


def _import_locked(paths: Iterable[str | Path], out: str | Path, force: bool,
                   progress: Callable[[FileResult | None, Path, int], None] | None,
                   batch_size: int, workers: int, timeout: float | None,
                   retry: bool, executor: str, scheduler: str | None,
                   parse: Callable[[Path], FileResult]) -> Summary:
    from certreport.store import Warehouse

    wh = Warehouse(out)
    known = wh.known_reports()
    by_path = {v["source_path"]: k for k, v in known.items()}
    summary = Summary()
    pending: dict[str, list[dict[str, Any]]] = {}
    replace: set[str] = set()
    batch_ids: set[str] = set()
    queued: dict[str, Path] = {}
    counter = iter(range(1, 1 << 62))

    written = False

    def flush() -> None:
        nonlocal written
        if pending or replace:
            wh.write_batch(with_org_ids(pending), replace)
            written = True
            pending.clear()
            replace.clear()
            batch_ids.clear()

    hashed: dict[Path, tuple[str, int | None]] = {}  # what todo() read: a failed task's row
    forks = executor == "local" and workers > 0
    preloaded = False  # what the write needs, imported once the first parser runs
    page_counts: dict[Path, int] = {}

    def todo() -> Iterator[Path]:
        nonlocal preloaded
        for path in discover(paths, summary.ignored):
            regular = path.is_file()
            try:
                data = path.read_bytes() if regular else b""
            except OSError:
                data, regular = b"", False
            rid = report_id_of(data) if data else None
            old = known.get(rid) if rid else None
            duplicate = rid is not None and rid in queued
            current = bool(rid and not force and old and old.get("extractor_version")
                           == skip_key(__version__, reader_of(path, data)))
            if current and retry and old.get("status") == "failed":
                current = False  # failed before: read again
            if duplicate or current:
                summary.counts["unchanged"] += 1
                if not duplicate and old.get("status") == "failed":
                    summary.still_failed.append((str(path), old.get("error") or "failed"))
                if duplicate:
                    summary.duplicates.append((str(path), str(queued[rid])))
                if progress:
                    progress(None, path, next(counter))
                continue
            if rid:
                queued[rid] = path
            hashed[path] = (rid or identity(path, data), len(data) if regular else None)
            if workers > 0 and timeout:
                page_counts[path] = page_estimate(data)
            yield path
            if forks and not preloaded:  # the first parser process is forked and at work
                preload()
                preloaded = True

    def collect(result: FileResult) -> None:
        hashed.pop(result.path, None)
        page_counts.pop(result.path, None)
        stamp = datetime.now(timezone.utc)
        for r in result.rows.get("reports", []):
            r.setdefault("extractor_version", __version__)
            r["imported_at"] = stamp
        if result.report_id in known:
            replace.add(result.report_id)
        previous = by_path.get(str(result.path))
        if previous and previous != result.report_id:
            replace.add(previous)  # the file changed: its old rows go
        for table, rows in result.rows.items():
            pending.setdefault(table, []).extend(rows)
        batch_ids.add(result.report_id)
        summary.counts[result.status] += 1
        summary.error_findings += result.errors
        if result.status == "failed":
            summary.failed.append((str(result.path), result.error or ""))
        if progress:
            progress(result, result.path, next(counter))
        if len(batch_ids) >= batch_size:
            flush()

    saved = {k: os.environ.get(k) for k in ("CERTREPORT_OCR_CACHE", "CERTREPORT_OCR_THREADS")}
    os.environ.update(ocr_environment(out, workers))
    try:
        try:
            if executor == "local" and workers <= 0:
                for path in todo():
                    collect(parse(path))
            else:
                from certreport.workers import Pool, TaskFailure

                if executor == "dask":
                    from certreport.dask_executor import DaskPool
                    pool: Any = DaskPool(parse, workers, timeout, scheduler)
                else:
                    limit = (lambda p: timeout + OCR_PAGE_SECONDS * page_counts.get(p, 0)) \
                        if timeout else None
                    pool = Pool(parse, workers, timeout, limit)
                for path, result in pool.imap_unordered(todo()):
                    if isinstance(result, TaskFailure):
                        rid, size = hashed[path]
                        result = _failed(path, rid, f"{path}: {result.reason}", size)
                    collect(result)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            flush()
            if written or archive_missing(wh):
                summary.archive_findings = refresh_archive(wh)
    except KeyboardInterrupt as exc:
        raise Interrupted(summary) from exc
    if written:
        wh.known_reports()  # refreshes the index the next run starts from
    return summary


def preload() -> None:
    """Import what the write and the archive checks need (pyarrow and the archive
    checks, not the normaliser) once the first parser process is forked, so that on two
    cores the first file is read while this process loads them."""
    import pyarrow.compute  # noqa: F401 - the archive's text kernels, also for org ids
    import pyarrow.parquet  # noqa: F401

    import certreport.normalise.archive  # noqa: F401


def archive_missing(wh: Warehouse) -> bool:
    """True when the warehouse holds reports but its archive tables were never computed
    (a warehouse written before they existed)."""
    return bool(wh.files("reports")) and not wh.files("organisations")


def refresh_archive(warehouse: str | Path | Warehouse) -> int:
    """Recompute the archive tables (``archive_checks``, ``organisations``) over the whole
    warehouse and replace them; returns the number of archive findings."""
    from certreport.normalise.archive import REPORT_COLUMNS, TEAM_COLUMNS, check_archive
    from certreport.store import Warehouse

    wh = warehouse if isinstance(warehouse, Warehouse) else Warehouse(warehouse)
    archive = check_archive(wh.read("reports", list(REPORT_COLUMNS)),
                            wh.read("team", list(TEAM_COLUMNS)))
    wh.replace_tables({"archive_checks": archive.findings,
                       "organisations": archive.organisations})
    return len(archive.findings)


def remove_reports(warehouse: str | Path | Warehouse, which: Iterable[str]) -> list[str]:
    """Remove reports, named by report id or by source path as imported, from every table
    and recompute the archive tables; returns the removed report ids. A name that matches
    no report raises ``ValueError`` naming it (nothing is removed then)."""
    from certreport.store import Warehouse

    root = warehouse.root if isinstance(warehouse, Warehouse) else Path(warehouse)
    with WarehouseLock(root):  # one writer at a time
        return _remove_locked(Warehouse(root), which)


def _remove_locked(wh: Warehouse, which: Iterable[str]) -> list[str]:
    known = wh.known_reports()
    by_path: dict[str, list[str]] = {}
    for rid, r in known.items():
        by_path.setdefault(r["source_path"], []).append(rid)
    ids: list[str] = []
    unknown = []
    for w in which:
        found = [w] if w in known else by_path.get(w) or by_path.get(str(Path(w)))
        if not found:
            unknown.append(w)
        else:
            ids += [i for i in found if i not in ids]
    if unknown:
        raise ValueError(f"not in the warehouse: {', '.join(unknown)}")
    if ids:
        wh.write_batch({}, replace=ids)
        refresh_archive(wh)
    return ids
