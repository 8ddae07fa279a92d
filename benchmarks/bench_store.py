"""Store benchmark: the warehouse's cost against its size.

    python benchmarks/bench_store.py                 # 100,000 reports, batches of 50
    python benchmarks/bench_store.py --n 10000 --runs 7

Builds a warehouse of N reports by the store alone (``Warehouse.write_batch`` in batches
of 50, as an import writes them; each report's rows are those of a committed sample under a
fresh report id, so the tables hold real-sized rows: about 94 clauses a report), then times:

- the first write of all N (the baseline);
- opening the warehouse and reading what it holds (``known_reports``, once per import);
- a batch that replaces 50 reports drawn at random from the whole archive (changed files;
  median of ``--runs``; target <= 1 s), beside the same batch on a warehouse of
  ``--small`` reports, the runs on the two interleaved so that the machine's load falls on
  both alike: the cost does not grow with the archive when the two are about equal;
- a full forced re-import's store work: all N again, in import order but with neighbours
  swapped at random (``--reorder``, as results arrive from several workers; a swap across
  a batch boundary leaves parts to rewrite), each batch replacing its reports (target:
  <= 2x the first write, i.e. linear in the archive).

It then checks the layout: files per table, reports per part, no 0-row file, and that
pandas and DuckDB read the same rows.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import pyarrow.parquet as pq  # noqa: E402

from certreport.pipeline import process_file  # noqa: E402
from certreport.schemas.tables import TABLE_NAMES  # noqa: E402
from certreport.store import Warehouse  # noqa: E402

BATCH = 50


def templates() -> list[dict[str, list[dict]]]:
    """The rows of every committed text and Word sample (PDFs would only repeat them)."""
    samples = sorted((ROOT / "data" / "samples").glob("*.docx")) + sorted(
        (ROOT / "data" / "samples").glob("*.md"))
    out = [process_file(s).rows for s in samples]
    return [r for r in out if r["reports"][0]["status"] != "failed"]


def rows_for(ids: list[str], tpl: list[dict[str, list[dict]]], seed: int) -> dict[str, list[dict]]:
    """One batch's rows: report ``i`` gets template ``i`` (``seed`` varies a value, as a
    re-import after a reader upgrade would)."""
    rows: dict[str, list[dict]] = {t: [] for t in TABLE_NAMES}
    for rid in ids:
        t = tpl[int(rid[-6:], 16) % len(tpl)]
        for table in TABLE_NAMES:
            rows[table].extend({**r, "report_id": rid} for r in t.get(table, ()))
        rows["reports"][-1]["error"] = f"run {seed}" if seed else None
    return rows


def synced() -> float:
    """Seconds to flush what the OS has not yet written to disk."""
    t = time.perf_counter()
    os.sync()
    return time.perf_counter() - t


def rid(i: int) -> str:
    return f"{i * 2654435761 % (1 << 64):016x}"[:10] + f"{i:06x}"


def batches(ids: list[str], size: int = BATCH) -> list[list[str]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def layout(root: Path) -> str:
    wh = Warehouse(root)
    parts = wh.parts()
    sizes = sorted(len(v) for v in parts.values())
    files = {t: len(wh.files(t)) for t in TABLE_NAMES}
    empty = sum(pq.read_metadata(f).num_rows == 0 for t in TABLE_NAMES for f in wh.files(t))
    return (f"files per table {files}; reports per part: min {sizes[0]}, median "
            f"{sizes[len(sizes) // 2]}, max {sizes[-1]}; 0-row files: {empty}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--small", type=int, default=10_000)
    ap.add_argument("--reorder", type=float, default=0.1,
                    help="chance that two neighbouring results of the re-import swap places")
    args = ap.parse_args()
    tpl = templates()
    tmp = Path(tempfile.mkdtemp(prefix="bench-store-"))
    root = tmp / "wh"
    ids = [rid(i) for i in range(args.n)]
    clause_rows = sum(len(tpl[int(i[-6:], 16) % len(tpl)]["clauses"]) for i in ids)
    print(f"warehouse of {args.n} reports ({clause_rows} clause rows) from {len(tpl)} "
          f"sample templates in {root}")

    wh = Warehouse(root)
    store = 0.0
    for b in batches(ids):
        rows = rows_for(b, tpl, 0)
        t = time.perf_counter()
        wh.write_batch(rows)
        store += time.perf_counter() - t
    store += synced()  # the writes the OS had deferred count too
    first = store
    print(f"first write: {first:.1f} s ({first / len(batches(ids)) * 1000:.0f} ms a batch of "
          f"{BATCH})")
    print(f"  {layout(root)}")

    t = time.perf_counter()
    wh = Warehouse(root)
    known = wh.known_reports()
    opened = time.perf_counter() - t
    assert len(known) == args.n
    print(f"open + known_reports (once per import): {opened:.2f} s")

    small_root = tmp / "small"
    small_ids = ids[:args.small]
    small = Warehouse(small_root)
    for b in batches(small_ids):
        small.write_batch(rows_for(b, tpl, 0))
    small = Warehouse(small_root)
    small.known_reports()
    synced()  # both warehouses at rest on disk

    rng = random.Random(18)
    times: dict[str, list[float]] = {"big": [], "small": []}
    for run in range(args.runs):
        for key, w, pool in (("small", small, small_ids), ("big", wh, ids)):
            chosen = rng.sample(pool, BATCH)
            rows = rows_for(chosen, tpl, 100 + run)
            t = time.perf_counter()
            w.write_batch(rows, replace=chosen)
            times[key].append(time.perf_counter() - t)
    big, ref = statistics.median(times["big"]), statistics.median(times["small"])
    print(f"batch replacing {BATCH} random reports, median of {args.runs}: {big:.2f} s at "
          f"{args.n} reports (min {min(times['big']):.2f}, max {max(times['big']):.2f}; "
          f"target <= 1 s), {ref:.2f} s at {args.small}: {big / ref:.2f}x")
    shutil.rmtree(small_root)

    order = list(ids)  # import order; results from several workers arrive a little out of it
    for i in range(len(order) - 1):
        if rng.random() < args.reorder:
            order[i], order[i + 1] = order[i + 1], order[i]
    wh = Warehouse(root)
    wh.known_reports()
    store = 0.0
    for b in batches(order):
        rows = rows_for(b, tpl, 1)
        t = time.perf_counter()
        wh.write_batch(rows, replace=b)
        store += time.perf_counter() - t
    store += synced()
    print(f"forced re-import (neighbours swapped with chance {args.reorder:g}), store work: "
          f"{store:.1f} s = {store / first:.2f}x the first write (target <= 2x)")
    print(f"  {layout(root)}")

    import pandas as pd
    n = len(pd.read_parquet(root / "reports", columns=["report_id"]))
    assert n == args.n, n
    try:
        import duckdb
        m = duckdb.sql(f"SELECT count(*) FROM '{root}/clauses/*.parquet'").fetchall()[0][0]
        assert m == clause_rows, (m, clause_rows)
        print(f"pandas reads {n} reports, DuckDB {m} clause rows: as written")
    except ImportError:
        print(f"pandas reads {n} reports")
    shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
