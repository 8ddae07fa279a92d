"""The archive checks read Arrow tables, data frames and column lists alike: the same
findings and organisations from each, over random small archives with missing values,
near-duplicate spellings and repeated report ids; and no pandas import on the Arrow path."""
from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd
import pyarrow as pa
import pytest

from certreport.normalise.archive import REPORT_COLUMNS, TEAM_COLUMNS, check_archive
from fresh_process import imports_pandas

DAY = date(2023, 1, 1)
ORGS = ["甲公司", "甲公司。", "乙 公司", "乙公司", "丙（集团）", "丙(集团)", "丁", ""]
CODES = ["ISC-1", "isc 1", "ISC-2", "ISC-3", "Ｉ-4"]
CERTS = ["C1", "C-1", "C2", "C3"]
NAMES = ["王", "李", "王 ", "赵", "孙|1"]
PHONES = ["13900000001", "86 13900000001", "139-0000-0002", "x", "2"]


def _maybe(rng: random.Random, values: list, missing: float = 0.15):
    return None if rng.random() < missing else rng.choice(values)


def _archive(seed: int) -> tuple[list[dict], list[dict]]:
    rng = random.Random(seed)
    ids = [f"r{i:03d}" for i in range(rng.randrange(1, 25))]
    if seed % 3 == 0:  # some report ids on several rows
        ids = [rng.choice(ids[: max(1, len(ids) // 2)]) for _ in ids]
    reports = []
    for rid in ids:
        start = None if rng.random() < 0.1 else DAY + timedelta(days=rng.randrange(30))
        end = None if rng.random() < 0.3 else DAY + timedelta(days=rng.randrange(32))
        reports.append({"report_id": rid, "source_path": _maybe(rng, [f"{rid}.pdf", "x.pdf"]),
                        "org_name": _maybe(rng, ORGS),
                        "cert_body": _maybe(rng, ["华信", "华 信"]),
                        "project_no": _maybe(rng, ["0101-2023", "0101－2023", "0102", "p|1"]),
                        "audit_start": start, "audit_end": end,
                        "registered_address": _maybe(rng, ["a", "b"]),
                        "audit_address": _maybe(rng, ["a", "d"])})
    team = [{"report_id": rng.choice(ids + ["elsewhere"]),
             "member_code": _maybe(rng, CODES, .35),
             "name": _maybe(rng, NAMES, .1), "cert_no": _maybe(rng, CERTS, .3),
             "phone": _maybe(rng, PHONES, .3)} for _ in range(rng.randrange(0, 40))]
    return reports, team


def _arrow(rows: list[dict], columns: tuple[str, ...]) -> pa.Table:
    return pa.table({c: pa.array([r[c] for r in rows],
                                 pa.date32() if c in ("audit_start", "audit_end") else pa.string())
                     for c in columns})


def _lists(rows: list[dict], columns: tuple[str, ...]) -> dict[str, list]:
    return {c: [r[c] for r in rows] for c in columns}


@pytest.mark.parametrize("seed", range(40))
def test_arrow_frames_and_lists_give_the_same_archive(seed):
    reports, team = _archive(seed)
    want = check_archive(_arrow(reports, REPORT_COLUMNS), _arrow(team, TEAM_COLUMNS))
    text_days = _lists(reports, REPORT_COLUMNS)
    text_days["audit_start"] = [None if d is None else d.isoformat()
                                for d in text_days["audit_start"]]
    for r, t in ((_lists(reports, REPORT_COLUMNS), _lists(team, TEAM_COLUMNS)),
                 (pd.DataFrame(reports), pd.DataFrame(team, columns=list(TEAM_COLUMNS))),
                 (text_days, _lists(team, TEAM_COLUMNS))):
        got = check_archive(r, t)
        assert got.findings == want.findings
        assert got.organisations == want.organisations


def test_the_random_archives_hold_every_kind_of_finding():
    kinds = set()
    for seed in range(40):
        reports, team = _archive(seed)
        found = check_archive(_lists(reports, REPORT_COLUMNS), _lists(team, TEAM_COLUMNS))
        kinds |= {f["check_name"] for f in found.findings}
    assert kinds == {"auditor_overlap", "cert_no_conflict", "project_no_conflict"}


def test_checking_arrow_tables_does_not_import_pandas():
    code = ("import pyarrow as pa; from datetime import date; "
            "from certreport.arrow_build import array; "  # pa.array would import pandas
            "from certreport.normalise.archive import check_archive; "
            "s = lambda *v: array(list(v), pa.string()); "
            "r = pa.table({'report_id': s('a', 'b'), 'org_name': s('甲', '乙'), "
            "'audit_start': array([date(2023, 1, 1), None], pa.date32())}); "
            "t = pa.table({'report_id': s('a', 'b'), 'member_code': s('ISC-1', None)}); "
            "a = check_archive(r, t); assert len(a.organisations) == 2")
    assert not imports_pandas(code)
