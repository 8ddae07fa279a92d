"""The warehouse layout: a report's rows sit in the part of one name in every table, so a
batch that replaces reports touches only their parts; small parts merge; no 0-row files;
pandas, pyarrow, DuckDB and polars read the tables as plain Parquet."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import certreport.store as store
from certreport.schemas.tables import TABLE_NAMES
from certreport.store import Warehouse


def rows_of(ids: list[str], team: bool = True) -> dict[str, list[dict]]:
    return {"reports": [{"report_id": i, "source_path": f"{i}.md", "status": "ok"} for i in ids],
            "clauses": [{"report_id": i, "row_no": n} for i in ids for n in (1, 2)],
            "sections": [{"report_id": i, "section": "A"} for i in ids],
            "team": [{"report_id": i, "name": "x"} for i in ids] if team else []}


def names(root: Path) -> dict[str, set[str]]:
    return {t: {f.name for f in Warehouse(root).files(t)} for t in TABLE_NAMES}


def ids_in(root: Path, table: str) -> list[str]:
    return sorted(Warehouse(root).read(table).column("report_id").to_pylist())


def test_a_replace_touches_only_the_parts_holding_the_reports(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "PART_REPORTS", 4)
    wh = Warehouse(tmp_path)
    for b in range(5):
        wh.write_batch(rows_of([f"r{b}{i}" for i in range(4)]))
    before = names(tmp_path)
    assert len(before["reports"]) == 5 and before["reports"] == before["clauses"]
    read = []
    real = store._read_part
    monkeypatch.setattr(store, "_read_part",
                        lambda p, *a: read.append(f"{p.parent.name}/{p.name}") or real(p, *a))
    wh = Warehouse(tmp_path)
    wh.known_reports()  # as an import does: reads the reports table, and so the parts
    assert len(read) == 5 and all(r.startswith("reports/") for r in read)
    read.clear()

    wh.write_batch(rows_of(["n1"]), replace={"r10", "r30"})
    after = names(tmp_path)
    # the parts of r1* and r3* rewritten under new names, the other three left as they were
    assert len(before["reports"] & after["reports"]) == 3
    touched = {r.split("/")[1] for r in read}
    assert len(read) == 2 * 4 and len(touched) == 2  # two parts, in the four tables
    assert not touched & after["reports"]
    assert ids_in(tmp_path, "clauses") == sorted(2 * (
        [f"r{b}{i}" for b in range(5) for i in range(4) if f"r{b}{i}" not in ("r10", "r30")]
        + ["n1"]))

    # a part whose reports all go is deleted unread (n1's part, small, merges into n2's)
    read.clear()
    r4 = next(name for name, ids in wh.parts().items() if "r40" in ids)
    wh.write_batch(rows_of(["n2"]), replace={f"r4{i}" for i in range(4)})
    assert read and not any(r.endswith(r4) for r in read)
    assert not any(r.startswith("r4") for r in ids_in(tmp_path, "reports"))
    assert r4 not in names(tmp_path)["reports"]


def test_small_parts_merge_and_no_file_is_empty(tmp_path):
    wh = Warehouse(tmp_path)
    for b in range(10):
        wh.write_batch(rows_of([f"r{b}{i}" for i in range(3)], team=b % 2 == 0))
    got = names(tmp_path)
    # each batch takes the small part before it in, until the part holds half a part's
    # worth (PART_REPORTS = 50): 27 reports, then the last batch's 3
    assert sorted(map(len, wh.parts().values())) == [3, 27]
    assert got["reports"] == got["clauses"] == got["sections"]
    assert len(got["team"]) == 1 and got["team"] < got["reports"]  # the last batch has none
    assert got["checks"] == set()  # nothing to write: no file
    assert len(ids_in(tmp_path, "reports")) == 30 and len(ids_in(tmp_path, "team")) == 15
    for t in TABLE_NAMES:
        assert all(pq.read_metadata(f).num_rows for f in Warehouse(tmp_path).files(t))
    # a replace that leaves a part empty in one table drops that table's file
    wh.write_batch(rows_of(["n"], team=False), replace=set(ids_in(tmp_path, "reports")))
    assert names(tmp_path)["team"] == set() and ids_in(tmp_path, "clauses") == ["n", "n"]


def test_parts_survive_reopening(tmp_path, monkeypatch):
    monkeypatch.setattr(store, "PART_REPORTS", 2)
    Warehouse(tmp_path).write_batch(rows_of(["a", "b"]))
    Warehouse(tmp_path).write_batch(rows_of(["c", "d"]))
    wh = Warehouse(tmp_path)
    assert sorted(map(sorted, wh.parts().values())) == [["a", "b"], ["c", "d"]]
    wh.write_batch(rows_of(["e"]), replace={"a"})
    assert sorted(map(sorted, Warehouse(tmp_path).parts().values())) == [["b"], ["c", "d"], ["e"]]
    assert sorted(map(sorted, wh.parts().values())) == [["b"], ["c", "d"], ["e"]]


def test_every_reader_reads_the_tables(tmp_path):
    wh = Warehouse(tmp_path)
    for b in range(3):
        wh.write_batch(rows_of([f"r{b}{i}" for i in range(30)]))
    wh.write_batch(rows_of(["x"]), replace={"r00", "r15"})
    n = len(ids_in(tmp_path, "clauses"))
    assert n == 2 * 89
    assert len(pd.read_parquet(tmp_path / "clauses")) == n
    duckdb = pytest.importorskip("duckdb")
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path}/clauses/*.parquet'").fetchall() == [(n,)]
    pl = pytest.importorskip("polars")
    assert pl.read_parquet(f"{tmp_path}/clauses/*.parquet").height == n
    assert pl.scan_parquet(tmp_path / "reports").select(pl.len()).collect().item() == 89


def test_parts_written_by_another_writer_are_seen(tmp_path):
    """Two Warehouse objects on one folder (two imports, one after the other under a
    lock): each sees the other's parts before it replaces anything."""
    a, b = Warehouse(tmp_path), Warehouse(tmp_path)
    a.known_reports(), b.known_reports()
    a.write_batch(rows_of(["x"]))
    b.write_batch(rows_of(["x2"]), replace={"x"})
    assert ids_in(tmp_path, "reports") == ["x2"] and ids_in(tmp_path, "clauses") == ["x2"] * 2
