"""PDF import benchmark: the whole import of the committed PDF samples against a plain
pdfplumber pass over the same files, measured in the same run.

    python benchmarks/bench_pdf.py              # 5 runs, then one profiled import
    python benchmarks/bench_pdf.py --runs 7 --top 20

* ours: ``import_paths(files, warehouse, workers=0)`` into a fresh temporary warehouse:
  read every PDF, normalise, check and write the Parquet tables;
* baseline: ``pdfplumber.open`` and, on every page, ``extract_text()`` and
  ``extract_tables()`` (the least any pdfplumber-based reader does).

The two alternate within each run. Printed: per-report and per-page medians over the runs,
the ratio ours / baseline (target <= 1.0x), then a cProfile of one more import: its top
functions by cumulative time and the time grouped by where it is spent (pdfminer's
parsing, pdfplumber, our reader, normalise, the Parquet store).
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SAMPLES = ROOT / "data" / "samples" / "pdf"


def baseline(files: list[Path]) -> int:
    """A plain pdfplumber pass; returns the number of pages."""
    import pdfplumber

    pages = 0
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                pages += 1
    return pages


def ours(files: list[Path]) -> None:
    """The whole import into a fresh warehouse, in this process."""
    from certreport.pipeline import import_paths

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        summary = import_paths(files, Path(tmp) / "warehouse", workers=0)
        if summary.counts["ok"] != len(files):
            raise SystemExit(f"import did not succeed for every file: {dict(summary.counts)} "
                             f"{summary.failed[:3]}")


def timed(func, *args) -> float:
    t0 = time.perf_counter()
    func(*args)
    return time.perf_counter() - t0


# where the time goes: (label, path fragment) checked in order against each function's file
AREAS = (
    ("pdfminer: PDF parsing", "/pdfminer/"),
    ("pdfplumber: objects, tables", "/pdfplumber/"),
    ("extract/pdf*: our PDF reader", "/extract/pdf"),
    ("extract/: assembly, tables", "/extract/"),
    ("normalise/: match, values, checks", "/normalise/"),
    ("schemas/", "/schemas/"),
    ("certreport/: pipeline, store", "/certreport/"),
    ("pyarrow / Parquet", "pyarrow"),
    ("rapidfuzz", "rapidfuzz"),
)


def profile(files: list[Path], top: int) -> str:
    prof = cProfile.Profile()
    prof.enable()
    ours(files)
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    by_area: dict[str, float] = defaultdict(float)
    total = 0.0
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        total += tottime
        area = next((label for label, frag in AREAS if frag in filename.replace("\\", "/")),
                    "other (stdlib, builtins)")
        by_area[area] += tottime
    lines = [f"\nwhere the time goes (own time per area, profiled import: {total:.2f} s):"]
    for area, t in sorted(by_area.items(), key=lambda kv: -kv[1]):
        lines.append(f"  {area:38s} {t:7.2f} s  {100 * t / total:5.1f}%")
    text = out.getvalue()
    body = text[text.find("   ncalls"):] if "   ncalls" in text else text
    return f"cProfile, top {top} by cumulative time:\n{body.rstrip()}\n" + "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="timed runs (at least 5)")
    ap.add_argument("--top", type=int, default=15, help="profile entries to print")
    ap.add_argument("--no-profile", action="store_true")
    args = ap.parse_args(argv)
    runs = max(args.runs, 5)
    files = sorted(SAMPLES.glob("*.pdf"))
    if not files:
        raise SystemExit(f"no PDF samples under {SAMPLES} (python data/make_pdf_samples.py)")

    pages = baseline(files[:1]) and baseline(files)  # warm-up: imports, caches, fonts
    ours(files[:2])
    base_t, ours_t = [], []
    for i in range(runs):
        if i % 2:
            ours_t.append(timed(ours, files))
            base_t.append(timed(baseline, files))
        else:
            base_t.append(timed(baseline, files))
            ours_t.append(timed(ours, files))
    n = len(files)
    b, o = statistics.median(base_t), statistics.median(ours_t)
    print(f"{n} PDF reports, {pages} pages; {runs} runs, medians "
          f"(min-max of the runs in brackets)")
    for label, ts, med in (("baseline: pdfplumber text + tables", base_t, b),
                           ("ours: whole import to Parquet", ours_t, o)):
        print(f"  {label:36s} {1000 * med / n:7.1f} ms/report  {1000 * med / pages:6.1f} ms/page"
              f"  [{min(ts):.2f}-{max(ts):.2f} s per run]")
    print(f"  ratio ours / baseline: {o / b:.2f}x  (target <= 1.0x)")
    if not args.no_profile:
        print()
        print(profile(files, args.top))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
