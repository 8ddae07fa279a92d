"""How fast the workbench answers, through FastAPI's test client (no network).

    .venv/bin/python benchmarks/bench_workbench.py [--copies 20] [--runs 5]

Imports the committed PDF samples (``--copies`` byte-distinct copies of each, so the report
list has that many rows per sample) and prints the median of ``--runs`` runs for: the reports
list, one report page, a page image rendered cold (cache emptied) and served from the cache,
and the JSON of one report. The baseline measured in the same run is a plain
``Warehouse.read("reports")``, so the ratios hold from one machine to another.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from certreport.pipeline import import_paths  # noqa: E402
from certreport.store import Warehouse  # noqa: E402
from certreport.workbench.app import create_app  # noqa: E402
from certreport.workbench.pages import CACHE_DIR  # noqa: E402


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for pdf in sorted((ROOT / "data" / "samples" / "pdf").glob("*.pdf")):
            data = pdf.read_bytes()
            for i in range(args.copies):  # a trailing comment keeps the PDF, changes the id
                (src / f"{pdf.stem}_{i}.pdf").write_bytes(data + f"\n%copy {i}\n".encode())
        wh = Path(tmp) / "wh"
        t = time.perf_counter()
        import_paths([src], wh, workers=2)
        print(f"imported {len(list(src.iterdir()))} PDF reports in {time.perf_counter() - t:.1f} s")
        c = TestClient(create_app(wh))
        rows = c.get("/api/reports").json()
        rid = next(r["report_id"] for r in rows if r["open_findings"])
        f = next(f for f in c.get(f"/api/reports/{rid}").json()["findings"] if f["place"])
        page = f["place"]["page"]
        cache = wh / CACHE_DIR

        def cold() -> None:
            shutil.rmtree(cache, ignore_errors=True)
            assert c.get(f"/reports/{rid}/pages/{page}.png").status_code == 200

        base = median_ms(lambda: Warehouse(wh).read("reports"), args.runs)
        figures = {
            "baseline: read the reports table": base,
            f"GET /reports ({len(rows)} reports)": median_ms(lambda: c.get("/reports"), args.runs),
            "GET /api/reports": median_ms(lambda: c.get("/api/reports"), args.runs),
            "GET /reports/{id} (report page)": median_ms(lambda: c.get(f"/reports/{rid}"),
                                                         args.runs),
            "GET /api/reports/{id}": median_ms(lambda: c.get(f"/api/reports/{rid}"), args.runs),
            "page image, rendered (cold cache)": median_ms(cold, args.runs),
            "page image, from the cache": median_ms(
                lambda: c.get(f"/reports/{rid}/pages/{page}.png"), args.runs),
        }
        for name, ms in figures.items():
            print(f"{name:42s} {ms:8.1f} ms  ({ms / base:6.1f} x baseline)")


if __name__ == "__main__":
    main()
