"""The Parquet warehouse: ``DIR/<table>/part-*.parquet``, one dataset per table.

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
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Mapping, Sequence

from certreport.lock import written_elsewhere
from certreport.schemas.tables import (ALL_TABLE_NAMES, ARCHIVE_TABLE_NAMES, REVIEW_TABLE,
                                         TABLE_NAMES, schema)

if TYPE_CHECKING:
    import pyarrow as pa

JOURNAL_DIR = "_journal"
# the stored reports' ids, paths, statuses and extractor versions, kept beside the tables
# with the names, sizes and times of the reports files they were read from: an unchanged
# re-run compares hashes against it without loading pyarrow
KNOWN_INDEX = "_known_reports.json"


class Warehouse:
    """A folder of Parquet datasets, one per output table."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        for name in ALL_TABLE_NAMES:
            (self.root / name).mkdir(exist_ok=True)
        if not written_elsewhere(self.root):  # a writer's temporary files are its own
            self.recover()

    # -- crash recovery
    def recover(self) -> None:
        """Finish journalled batches; delete temporary files of unjournalled ones."""
        jdir = self.root / JOURNAL_DIR
        if jdir.is_dir():
            for journal in sorted(jdir.glob("*.json")):
                try:
                    moves = json.loads(journal.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    journal.unlink(missing_ok=True)
                    continue
                for src, dst in moves.get("renames", []):
                    s, d = self.root / src, self.root / dst
                    if s.exists():
                        os.replace(s, d)
                for gone in moves.get("deletes", []):
                    (self.root / gone).unlink(missing_ok=True)
                journal.unlink()
        for name in ALL_TABLE_NAMES:
            for tmp in (self.root / name).glob(".tmp-*"):
                tmp.unlink()

    # -- reading
    def files(self, table: str) -> list[Path]:
        return sorted((self.root / table).glob("part-*.parquet"))

    def read(self, table: str, columns: Sequence[str] | None = None) -> pa.Table:
        """One table as Arrow (empty with its schema when nothing is written yet)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        files = self.files(table)
        if not files:
            sch = schema(table)
            return sch.empty_table() if columns is None else pa.schema(
                [sch.field(c) for c in columns]).empty_table()
        return pa.concat_tables(
            [pq.read_table(f, columns=list(columns) if columns else None, schema=schema(table))
             for f in files])

    def known_reports(self) -> dict[str, dict[str, Any]]:
        """report_id -> {source_path, status, error, extractor_version} of every stored report
        (from the index beside the tables while the reports files it was read from are
        unchanged, else from the reports table, the index then rewritten)."""
        stamp = []
        for f in self.files("reports"):
            st = f.stat()
            stamp.append([f.name, st.st_size, st.st_mtime_ns])
        index = self.root / KNOWN_INDEX
        try:
            cached = json.loads(index.read_text(encoding="utf-8"))
            if cached.get("files") == stamp:
                return cached["reports"]
        except (OSError, ValueError, AttributeError):
            pass
        t = self.read("reports", ["report_id", "source_path", "status", "error",
                                  "extractor_version"])
        reports = {r["report_id"]: r for r in t.to_pylist()}
        tmp = index.with_name(f".{index.name}.{uuid.uuid4().hex[:8]}")
        try:
            tmp.write_text(json.dumps({"files": stamp, "reports": reports}, ensure_ascii=False),
                           encoding="utf-8")
            os.replace(tmp, index)
        except OSError:  # a read-only warehouse: the index is only a shortcut
            tmp.unlink(missing_ok=True)
        return reports

    # -- writing
    def write_batch(self, rows: Mapping[str, Sequence[Mapping[str, Any]]],
                    replace: Iterable[str] = ()) -> None:
        """Write one batch of rows (table -> list of row dicts) atomically, first removing
        the reports whose ids are in ``replace`` from every table."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        replace = set(replace)
        batch = uuid.uuid4().hex[:12]
        renames: list[tuple[str, str]] = []
        deletes: list[str] = []
        for name in TABLE_NAMES:
            tdir = self.root / name
            table = _to_arrow(name, rows.get(name, ()))
            tmp = tdir / f".tmp-{batch}"
            pq.write_table(table, tmp)
            renames.append((f"{name}/{tmp.name}", f"{name}/part-{batch}.parquet"))
            if replace:
                for f in self.files(name):
                    old = pq.read_table(f, schema=schema(name))
                    ids = old.column("report_id").to_pylist()
                    if not replace.intersection(ids):
                        continue
                    keep = old.filter(pa.array([i not in replace for i in ids]))
                    if keep.num_rows:
                        rtmp = tdir / f".tmp-{batch}-{f.stem}"
                        pq.write_table(keep, rtmp)
                        renames.append((f"{name}/{rtmp.name}", f"{name}/{f.name}"))
                    else:
                        deletes.append(f"{name}/{f.name}")
        self._commit(batch, renames, deletes)

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
        self.recover()


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


def _to_arrow(name: str, rows: Sequence[Mapping[str, Any]]) -> pa.Table:
    import pyarrow as pa

    sch = schema(name)
    cols = {f.name: [r.get(f.name) for r in rows] for f in sch}
    return pa.Table.from_pydict(cols, schema=sch)
