"""No silent behaviour change: a fresh import of the samples equals the committed rows."""
from __future__ import annotations

import json

import pytest

from golden.make_records import GOLDEN, warehouse_rows

REMAKE = "python tests/golden/make_records.py"


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict]]:
    return warehouse_rows()


@pytest.mark.parametrize("table", ["reports", "clauses", "sections", "team", "checks", "pages"])
def test_warehouse_equals_the_golden_rows(rows, table):
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    want, got = golden.get(table, []), rows.get(table, [])
    key = lambda r: (r.get("source_path") or "", r.get("report_id") or "")  # noqa: E731
    by_report_want: dict = {}
    for r in want:
        by_report_want.setdefault(r["report_id"], []).append(r)
    by_report_got: dict = {}
    for r in got:
        by_report_got.setdefault(r["report_id"], []).append(r)
    assert sorted(by_report_got) == sorted(by_report_want), \
        f"{table}: other reports than the golden rows; if the change is meant, run {REMAKE}"
    for rid in sorted(by_report_want, key=lambda i: key(by_report_want[i][0])):
        w, g = by_report_want[rid], by_report_got[rid]
        assert len(g) == len(w), f"{table} of {key(w[0])}: {len(g)} rows, golden {len(w)}"
        for a, b in zip(w, g):
            diff = {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if a.get(k) != b.get(k)}
            assert not diff, (f"{table} of {key(w[0])} differs from the golden rows "
                              f"(golden, now): {diff}; if the change is meant, run {REMAKE}")
