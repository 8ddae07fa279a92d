"""Archive-check benchmark: the checks across the archive over a generated warehouse of
100,000 reports, with known overlaps, reused certificate numbers and shared project numbers
planted in it.

    python benchmarks/bench_archive.py                      # 100,000 reports, 3 runs
    python benchmarks/bench_archive.py --n 20000 --runs 5

The warehouse holds ``reports`` and ``team`` rows as an import writes them (batches of
``--batch-size`` reports; no score rows, which the archive checks do not read): about
N / 3 organisations audited once a year, ``N / 60`` auditors scheduled so that nobody is on
two audits at once, and 1–3 members a team, one in ten rows without its member code. Then
``--plant`` overlaps (an auditor put on a second, simultaneous audit), as many certificate
numbers reused under another name and as many project numbers given to a second
organisation.

It prints, as medians over the runs: the seconds to read the two tables, to compute the
checks (certreport.normalise.archive.check_archive) and to write the archive tables, and
the whole refresh (certreport.pipeline.refresh_archive, what every import runs); the
findings found against those planted (every planted one must be found, and nothing else);
and, when DuckDB is installed (the test extra), the same overlap check as one SQL range
join over the same tables as the baseline measured in the same run.
"""
from __future__ import annotations

import argparse
from collections import Counter
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from certreport.normalise.archive import (REPORT_COLUMNS, TEAM_COLUMNS,  # noqa: E402
                                          check_archive)
from certreport.pipeline import refresh_archive  # noqa: E402
from certreport.store import Warehouse  # noqa: E402
from synth.truth import GIVEN, ORG_CORES, ORG_SUFFIXES, ORG_TRADES, REGIONS, SURNAMES  # noqa: E402

FIRST_DAY = date(2018, 1, 1)
YEARS = 7


def _org_names(rng: random.Random, n: int) -> list[str]:
    names: set[str] = set()
    while len(names) < n:
        names.add(f"{rng.choice(REGIONS)[0]}{rng.choice(ORG_CORES)}{rng.choice(ORG_TRADES)}"
                  f"{rng.randrange(1, 10 ** 6)}{rng.choice(ORG_SUFFIXES)}")
    return sorted(names)


def generate(n: int, seed: int = 0, plant: int = 50) -> tuple[list[dict], list[dict], dict]:
    """``n`` report rows and their team rows, with ``plant`` findings of each kind planted;
    returns (reports, team, planted counts of findings by check)."""
    rng = random.Random(seed)
    orgs = _org_names(rng, max(n // 3, 1))
    auditors = []
    for i in range(max(n // 60, 20)):
        auditors.append({"member_code": f"ISC-{100000 + i}",
                         "name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                         "cert_no": f"20{rng.randrange(10, 24)}-S2SC-1{100000 + i}",
                         "phone": f"13{rng.randrange(10 ** 8, 10 ** 9)}"})
    # each organisation audited once a year from a random first year, as long as n lasts
    audits = []
    org_years = {o: rng.randrange(YEARS) for o in orgs}
    for o, first in org_years.items():
        for year in range(first, YEARS):
            audits.append((o, FIRST_DAY + timedelta(days=365 * year + rng.randrange(360))))
    rng.shuffle(audits)
    audits = sorted(audits[:n], key=lambda a: a[1])
    number = {o: i for i, o in enumerate(orgs)}
    busy = [FIRST_DAY - timedelta(days=1)] * len(auditors)  # last busy day of each auditor
    reports, team = [], []
    first_member: dict[str, int] = {}  # report -> auditor of its first team row with a code
    for i, (org, start) in enumerate(audits):
        rid = f"r{i:06d}"
        end = start + timedelta(days=rng.choices((0, 1, 2), weights=(6, 3, 1))[0])
        reports.append({"report_id": rid, "source_path": f"archive/{start.year}/{rid}.pdf",
                        "status": "ok", "org_name": org,
                        "project_no": f"{number[org]:06d}-{FIRST_DAY.year + org_years[org]}"
                                      f"-SE-{start.year}",
                        "registered_address": f"{org}地址", "audit_address": f"{org}地址",
                        "audit_start": start, "audit_end": end})
        free = [a for a in rng.sample(range(len(auditors)), 12) if busy[a] < start]
        for j, a in enumerate(free[:rng.choices((1, 2, 3), weights=(5, 3, 2))[0]]):
            busy[a] = end
            m = dict(auditors[a])
            if j and rng.random() < 0.1:
                m["member_code"] = None  # known by the certificate number beside the code
            first_member.setdefault(rid, a)
            team.append({"report_id": rid, "role": "组长" if j == 0 else "组员", **m})
    # plant findings, each on reports (and auditors) of its own
    reports_of: dict[int, set[str]] = {}
    for t in team:
        reports_of.setdefault(int(t["cert_no"][-6:]) - 100000, set()).add(t["report_id"])
    planted = {"auditor_overlap": 0, "cert_no_conflict": 0, "project_no_conflict": 0}
    candidates = [i for i, r in enumerate(reports) if r["report_id"] in first_member]
    used_auditors: set[int] = set()
    picks = [i for i in rng.sample(candidates, min(len(candidates), 6 * plant))
             if not (first_member[reports[i]["report_id"]] in used_auditors
                     or used_auditors.add(first_member[reports[i]["report_id"]]))]
    later = timedelta(days=365 * (YEARS + 1))  # after every generated audit
    for k, i in enumerate(picks[:3 * plant]):
        r = reports[i]
        a = first_member[r["report_id"]]
        if k < plant:  # the auditor also on an audit of another organisation on those days
            rid = f"p{k:06d}"
            reports.append({**r, "report_id": rid, "source_path": f"planted/{rid}.pdf",
                            "org_name": f"新设{k}服务有限公司", "project_no": f"P{k}"})
            team.append({"report_id": rid, "role": "组长", **auditors[a]})
            planted["auditor_overlap"] += 2
        elif k < 2 * plant:  # the auditor's certificate number under another name
            rid = f"c{k:06d}"
            day = r["audit_start"] + later
            reports.append({**r, "report_id": rid, "source_path": f"planted/{rid}.pdf",
                            "org_name": f"另{k}服务有限公司", "project_no": f"C{k}",
                            "audit_start": day, "audit_end": day})
            team.append({"report_id": rid, "member_code": f"ISC-9{k:05d}", "name": f"冒{k}",
                         "cert_no": auditors[a]["cert_no"], "phone": "13000000000",
                         "role": "组长"})
            planted["cert_no_conflict"] += len(reports_of[a]) + 1
        else:  # the report's project number on a report of another organisation
            rid = f"j{k:06d}"
            day = r["audit_start"] + later
            reports.append({**r, "report_id": rid, "source_path": f"planted/{rid}.pdf",
                            "org_name": f"别{k}服务有限公司", "audit_start": day, "audit_end": day})
            planted["project_no_conflict"] += 2
    return reports, team, planted


def write(root: Path, reports: list[dict], team: list[dict], batch_size: int) -> Warehouse:
    wh = Warehouse(root)
    members: dict[str, list[dict]] = {}
    for t in team:
        members.setdefault(t["report_id"], []).append(t)
    for i in range(0, len(reports), batch_size):
        batch = reports[i:i + batch_size]
        wh.write_batch({"reports": batch,
                        "team": [t for r in batch for t in members.get(r["report_id"], [])]})
    return wh


def duckdb_overlaps(root: Path) -> tuple[float, int] | None:
    """The overlap check as one DuckDB range join (member code, else certificate number):
    (seconds, finding rows), or None without DuckDB."""
    try:
        import duckdb
    except ImportError:
        return None
    t = time.perf_counter()
    n = duckdb.sql(f"""
        WITH m AS (
          SELECT DISTINCT t.report_id, coalesce(t.member_code, t.cert_no) AS k,
                 r.org_name, r.audit_start AS s, coalesce(r.audit_end, r.audit_start) AS e
          FROM '{root}/team/*.parquet' t JOIN '{root}/reports/*.parquet' r USING (report_id)
          WHERE r.org_name IS NOT NULL AND r.audit_start IS NOT NULL)
        SELECT count(*) FROM m a JOIN m b
          ON a.k = b.k AND a.report_id <> b.report_id AND a.org_name <> b.org_name
         AND a.s <= b.e AND b.s <= a.e
    """).fetchall()[0][0]
    return time.perf_counter() - t, n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="reports in the warehouse")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--plant", type=int, default=50, help="findings planted of each kind")
    ap.add_argument("--batch-size", type=int, default=1000,
                    help="reports per written batch (the import writes 50)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    t = time.perf_counter()
    reports, team, planted = generate(args.n, args.seed, args.plant)
    gen = time.perf_counter() - t
    with tempfile.TemporaryDirectory(prefix="certreport-archive-") as tmp:
        root = Path(tmp) / "wh"
        t = time.perf_counter()
        wh = write(root, reports, team, args.batch_size)
        print(f"warehouse: {len(reports)} reports, {len(team)} team rows "
              f"(generated in {gen:.1f} s, written in {time.perf_counter() - t:.1f} s, "
              f"{len(wh.files('reports'))} files a table)")
        read_s, compute_s, refresh_s = [], [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            r = wh.read("reports", list(REPORT_COLUMNS))
            tm = wh.read("team", list(TEAM_COLUMNS))
            t1 = time.perf_counter()
            archive = check_archive(r, tm)
            t2 = time.perf_counter()
            read_s.append(t1 - t0)
            compute_s.append(t2 - t1)
            t3 = time.perf_counter()
            refresh_archive(wh)
            refresh_s.append(time.perf_counter() - t3)
        med = statistics.median
        print(f"read reports + team:   {med(read_s):6.2f} s")
        print(f"archive checks:        {med(compute_s):6.2f} s  "
              f"(check_archive over {len(reports)} reports; runs: "
              + ", ".join(f"{x:.2f}" for x in compute_s) + ")")
        print(f"whole refresh:         {med(refresh_s):6.2f} s  "
              "(read, check, write archive_checks + organisations)")
        found = Counter(f["check_name"] for f in archive.findings)
        for check, want in planted.items():
            got = found.get(check, 0)
            print(f"  {check:20s} {got:6d} finding rows, planted {want:6d}"
                  + ("" if got == want else "  MISMATCH"))
        print(f"  organisations        {len(archive.organisations):6d}")
        base = duckdb_overlaps(root)
        if base is not None:
            secs, n = base
            print(f"baseline: DuckDB range join for the overlaps alone {secs:.2f} s "
                  f"({n} rows); check_archive (all three checks + organisations) "
                  f"{med(compute_s) / secs:.2f}x that")
        if any(found.get(c, 0) != w for c, w in planted.items()):
            raise SystemExit(1)


if __name__ == "__main__":
    main()
