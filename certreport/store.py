"""The Parquet warehouse: ``DIR/<table>/part-*.parquet``, one dataset per table.

Layout. Rows are written in parts: one part is one file per table, under the same name
(``part-<id>.parquet``) in every table, and a report's rows in all tables are always in the
part of that name. So the ``reports`` table alone tells which files hold a report, and
replacing a report rewrites (or deletes) only its part's files, whatever the size of the
warehouse. A part whose reports have all been replaced is deleted without being read; a part
left with fewer than ``PART_REPORTS / 2`` reports is merged into the next batch's part, so
small files do not accumulate. No file has 0 rows. Plain Parquet, readable as one dataset
per folder by pandas, pyarrow, DuckDB and polars.

Writes go by batch. A batch's files are written under hidden temporary names without the
``.parquet`` suffix (which pandas and pyarrow skip for the dot, and a DuckDB glob
``<table>/*.parquet`` for the suffix), a journal naming them is written next, then
they are renamed into place and the journal removed. A crash leaves either temporary
files without a journal (deleted on the next open) or a journal (its renames finished on
the next open): a report's rows in all tables land together.
"""
from __future__ import annotations

import fcntl
import json
import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Sequence

from certreport import arrow_build
from certreport.lock import written_elsewhere
from certreport.schemas.tables import (ALL_TABLE_NAMES, ARCHIVE_TABLE_NAMES, REVIEW_TABLE,
                                         TABLE_NAMES)
from certreport.schemas.tables import schema as _table_schema

if TYPE_CHECKING:
    import pyarrow as pa

JOURNAL_DIR = "_journal"
# the stored reports' ids, paths, statuses and extractor versions, kept beside the tables
# with the names, sizes and times of the reports files they were read from, and the
# reports of each part: an unchanged re-run compares hashes against it without loading
# pyarrow
KNOWN_INDEX = "_known_reports.json"
PART_REPORTS = 50  # reports a part aims at; parts with fewer than half are merged
WRITER_THREADS = 4
schema = lru_cache(maxsize=None)(_table_schema)


class Warehouse:
    """A folder of Parquet datasets, one per output table."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        for name in ALL_TABLE_NAMES:
            (self.root / name).mkdir(exist_ok=True)
        self._parts: dict[str, set[str]] | None = None  # part file name -> its report ids
        if not written_elsewhere(self.root):  # a writer's temporary files are its own
            self.recover()

    # -- crash recovery
    def recover(self) -> None:
        """Finish journalled batches; delete temporary files of unjournalled ones."""
        jdir = self.root / JOURNAL_DIR
        if jdir.is_dir():
            for journal in sorted(jdir.glob("*.json")):
                self._apply(journal)
        for name in ALL_TABLE_NAMES:
            for tmp in (self.root / name).glob(".tmp-*"):
                tmp.unlink()

    def _apply(self, journal: Path) -> None:
        """Carry out one journal's renames and deletes, then remove it."""
        try:
            moves = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            journal.unlink(missing_ok=True)
            return
        for src, dst in moves.get("renames", []):
            s, d = self.root / src, self.root / dst
            if s.exists():
                os.replace(s, d)
        gone = [self.root / g for g in moves.get("deletes", [])]
        # unlinking a file at rest waits on the file system's journal (about 2 ms each
        # on ext4): in threads, the waits overlap
        with ThreadPoolExecutor(max_workers=WRITER_THREADS * 2) as pool:
            list(pool.map(lambda f: f.unlink(missing_ok=True), gone))
        journal.unlink()

    # -- reading
    def files(self, table: str) -> list[Path]:
        """The table's Parquet files, by name."""
        folder = self.root / table
        try:
            names = [e.name for e in os.scandir(folder)
                     if e.name.startswith("part-") and e.name.endswith(".parquet")]
        except FileNotFoundError:
            return []
        return [folder / n for n in sorted(names)]

    def read(self, table: str, columns: Sequence[str] | None = None) -> pa.Table:
        """One table as Arrow (empty with its schema when nothing is written yet)."""
        import pyarrow as pa

        files = self.files(table)
        if not files:
            sch = schema(table)
            return sch.empty_table() if columns is None else pa.schema(
                [sch.field(c) for c in columns]).empty_table()
        return pa.concat_tables([_read_part(f, table, columns) for f in files])

    def known_reports(self) -> dict[str, dict[str, Any]]:
        """report_id -> {source_path, status, error, extractor_version} of every stored report
        (from the index beside the tables while the reports files it was read from are
        unchanged, else from the reports table, the index then rewritten). The parts'
        reports come with it (:meth:`parts`)."""
        stamp = []
        for f in self.files("reports"):
            st = f.stat()
            stamp.append([f.name, st.st_size, st.st_mtime_ns])
        index = self.root / KNOWN_INDEX
        try:
            cached = json.loads(index.read_text(encoding="utf-8"))
            if cached.get("files") == stamp and isinstance(cached.get("parts"), dict):
                self._parts = {name: set(ids) for name, ids in cached["parts"].items()}
                return cached["reports"]
        except (OSError, ValueError, AttributeError):
            pass
        columns = ["report_id", "source_path", "status", "error", "extractor_version"]
        reports: dict[str, dict[str, Any]] = {}
        parts: dict[str, set[str]] = {}
        for f in self.files("reports"):
            rows = _read_part(f, "reports", columns).to_pylist()
            parts[f.name] = {r["report_id"] for r in rows}
            reports.update((r["report_id"], r) for r in rows)
        self._parts = parts
        tmp = index.with_name(f".{index.name}.{uuid.uuid4().hex[:8]}")
        try:
            tmp.write_text(json.dumps({"files": stamp, "reports": reports,
                                       "parts": {k: sorted(v) for k, v in parts.items()}},
                                      ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, index)
        except OSError:  # a read-only warehouse: the index is only a shortcut
            tmp.unlink(missing_ok=True)
        return reports

    def parts(self) -> dict[str, set[str]]:
        """Part file name -> the ids of the reports it holds. Read from the ``reports``
        table once, then kept up to date: by :meth:`write_batch`, and for files another
        writer added or removed meanwhile, by a look at the folder (part names are never
        reused, so a file seen once need not be read again)."""
        cached = self._parts if self._parts is not None else {}
        on_disk = {f.name: f for f in self.files("reports")}
        fresh = {name: cached[name] if name in cached else
                 set(_read_part(f, "reports", ["report_id"]).column(0).to_pylist())
                 for name, f in on_disk.items()}
        self._parts = fresh
        return fresh

    # -- writing
    def write_batch(self, rows: Mapping[str, Sequence[Mapping[str, Any]]],
                    replace: Iterable[str] = ()) -> None:
        """Write one batch of rows (table -> list of row dicts) atomically, first removing
        the reports whose ids are in ``replace`` from every table.

        Only the parts holding a replaced report are touched: deleted when all their
        reports go, else rewritten without them, or merged into this batch's part when
        that leaves them small (as are other small parts, up to ``PART_REPORTS``)."""
        import pyarrow as pa

        replace = set(replace)
        parts = self.parts()
        batch = uuid.uuid4().hex[:12]
        new_name = f"part-{batch}.parquet"
        new_ids = {r["report_id"] for r in rows.get("reports", ())}

        deletes: list[str] = []   # part names whose files all go
        rewrites: dict[str, str] = {}  # part name -> new name of its rewrite without them
        merged: list[str] = []    # part names whose remaining rows join this batch's part
        size = len(new_ids)
        for name, ids in parts.items():
            left = len(ids - replace) if not ids.isdisjoint(replace) else len(ids)
            if left == 0:
                deletes.append(name)
            elif new_ids and left < PART_REPORTS // 2 and size + left <= PART_REPORTS:
                merged.append(name)
                size += left
            elif left < len(ids):  # a new name: renaming over a file is slow on some disks
                rewrites[name] = f"part-{batch}-{len(rewrites)}.parquet"

        def new_part(table: str) -> list[tuple[str, str]]:
            tdir = self.root / table
            pieces = [_to_arrow(table, rows.get(table, ()))]
            pieces += [_without(tdir / name, table, replace) for name in merged
                       if (tdir / name).exists()]
            return _write(pa.concat_tables(pieces), tdir, f".tmp-{batch}", new_name)

        def rewrite(table: str, name: str) -> list[tuple[str, str]]:
            tdir = self.root / table
            if not (tdir / name).exists():
                return []
            renamed = rewrites[name]
            return _write(_without(tdir / name, table, replace), tdir,
                          f".tmp-{Path(renamed).stem}", renamed)

        # parts are small files: their reads and writes overlap in threads (pyarrow
        # releases the GIL), which halves a batch that touches many of them
        with ThreadPoolExecutor(max_workers=WRITER_THREADS) as pool:
            jobs = [pool.submit(new_part, t) for t in TABLE_NAMES]
            jobs += [pool.submit(rewrite, t, name) for t in TABLE_NAMES for name in rewrites]
            renames = [move for job in jobs for move in job.result()]
        gone = [f"{table}/{name}" for table in TABLE_NAMES
                for name in [*deletes, *merged, *rewrites] if (self.root / table / name).exists()]

        self._commit(batch, renames, gone)

        after = {rewrites.get(name, name): ids - replace for name, ids in parts.items()
                 if name not in deletes and name not in merged}
        held = set(new_ids)
        for name in merged:
            held |= parts[name] - replace
        if held:
            after[new_name] = held
        self._parts = after

    def replace_tables(self, tables: Mapping[str, pa.Table | Sequence[Mapping[str, Any]]]) -> None:
        """Replace whole archive tables (``ARCHIVE_TABLE_NAMES``: recomputed over the
        warehouse, not per report) atomically, all of them together: an Arrow table or a
        list of row dicts per table name."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        unknown = set(tables) - set(ARCHIVE_TABLE_NAMES)
        if unknown:
            raise ValueError(f"not archive tables: {', '.join(sorted(unknown))}")
        batch = uuid.uuid4().hex[:12]
        renames: list[tuple[str, str]] = []
        deletes: list[str] = []
        for name, rows in tables.items():
            table = (rows.select(schema(name).names).cast(schema(name))
                     if isinstance(rows, pa.Table) else _to_arrow(name, rows))
            tmp = self.root / name / f".tmp-{batch}"
            pq.write_table(table, tmp)
            deletes += [f"{name}/{f.name}" for f in self.files(name)]
            renames.append((f"{name}/{tmp.name}", f"{name}/part-{batch}.parquet"))
        self._commit(batch, renames, deletes)

    def _commit(self, batch: str, renames: list[tuple[str, str]], deletes: list[str]) -> None:
        """Journal a batch's renames and deletes, then carry them out."""
        jdir = self.root / JOURNAL_DIR
        jdir.mkdir(exist_ok=True)
        journal = jdir / f"{batch}.json"
        jtmp = jdir / f".{batch}.tmp"
        jtmp.write_text(json.dumps({"renames": renames, "deletes": deletes}), encoding="utf-8")
        with open(jtmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(jtmp, journal)
        self._apply(journal)  # this batch's own files only: no need to list the folders


    # -- reviews: reviewers' decisions, one file that no import touches
    def _reviews_file(self) -> Path:
        return self.root / REVIEW_TABLE / "reviews.parquet"

    def read_reviews(self) -> pa.Table:
        """Every stored review (empty with its schema when there is none)."""
        import pyarrow.parquet as pq

        path = self._reviews_file()
        if not path.exists():
            return schema(REVIEW_TABLE).empty_table()
        return pq.read_table(path, schema=schema(REVIEW_TABLE))

    @contextmanager
    def _reviews_lock(self) -> Iterator[None]:
        folder = self.root / REVIEW_TABLE
        folder.mkdir(exist_ok=True)
        with open(folder / ".lock", "w") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def add_reviews(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Append reviews: the whole file is rewritten under a temporary name, synced and
        renamed into place under a lock, so readers see all of it before or after."""
        import pyarrow as pa

        with self._reviews_lock():
            table = pa.concat_tables([self.read_reviews(), _to_arrow(REVIEW_TABLE, rows)])
            self._write_reviews(table)

    def replace_reviews(self, table: pa.Table) -> None:
        """Write ``table`` as the whole reviews table (atomically, as :meth:`add_reviews`)."""
        with self._reviews_lock():
            self._write_reviews(table.cast(schema(REVIEW_TABLE)))

    def _write_reviews(self, table: pa.Table) -> None:
        import pyarrow.parquet as pq

        path = self._reviews_file()
        tmp = path.with_name(f".tmp-{uuid.uuid4().hex[:12]}")
        pq.write_table(table, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)


def _write(table: pa.Table, tdir: Path, tmp: str, final: str) -> list[tuple[str, str]]:
    """Write ``table`` to ``tdir/tmp`` unless it is empty: the rename to do, if any."""
    import pyarrow.parquet as pq

    if not table.num_rows:
        return []
    pq.write_table(table, tdir / tmp)
    return [(f"{tdir.name}/{tmp}", f"{tdir.name}/{final}")]


def _read_part(path: Path, table: str, columns: Sequence[str] | None = None) -> pa.Table:
    """One part file in the table's current schema, or those of its ``columns`` (columns
    added since it was written read as null). Read through an open file: much faster than
    by path for small files."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sch = schema(table)
    if columns is not None:
        sch = pa.schema([sch.field(c) for c in columns])
    with open(path, "rb") as fh:
        pf = pq.ParquetFile(fh)
        present = set(pf.schema_arrow.names)
        t = pf.read(columns=[f.name for f in sch if f.name in present])
    if t.schema.equals(sch):
        return t
    cols = [t.column(f.name).cast(f.type) if f.name in t.column_names
            else pa.nulls(t.num_rows, f.type) for f in sch]
    return pa.Table.from_arrays(cols, schema=sch)


def _without(path: Path, table: str, replace: set[str]) -> pa.Table:
    """One part file of ``table`` without the rows of the reports in ``replace``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    old = _read_part(path, table)
    if not replace:
        return old
    ids = arrow_build.array(sorted(replace), pa.string())
    return old.filter(pc.invert(pc.is_in(old.column("report_id"), value_set=ids)))


def _to_arrow(name: str, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    """Rows (dicts) as a table of ``name``'s schema, without importing pandas
    (:mod:`certreport.arrow_build`)."""
    return arrow_build.table(rows, schema(name))
