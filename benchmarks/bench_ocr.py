"""OCR speed (a script run, not a test): seconds per scanned page with 1 and 2 workers, and
what the text-layer quality check costs digital PDFs.

    python benchmarks/bench_ocr.py [--runs 3] [--copies 4]

Scanned pages: ``copies`` byte-distinct copies of the committed scanned sample
(``data/samples/scan``, 10 pages at 150 dpi) imported into a fresh warehouse with the OCR
cache off, with 1 worker (the engine on all cores) and with 2 workers (the cores shared
out: one engine thread each); median seconds per page over ``runs``, wall clock and CPU
(the CPU figure does not depend on what else the machine runs; halved, it is the wall time
on two idle cores). Target: at most 2.0 s a page on 2 cores.

Digital PDFs: the committed PDF samples (``data/samples/pdf``) imported in this process
with the quality check as shipped and with it replaced by one that passes every page;
median of ``runs`` × 2 and their ratio (target: at most 1.05).
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCAN = ROOT / "data" / "samples" / "scan"
PDFS = ROOT / "data" / "samples" / "pdf"


def _copies(n: int, into: Path) -> tuple[list[Path], int]:
    import pypdfium2 as pdfium

    src = sorted(SCAN.glob("*.pdf"))[0]
    pages = len(pdfium.PdfDocument(str(src)))
    out = []
    for i in range(n):
        p = into / f"scan_{i}.pdf"
        p.write_bytes(src.read_bytes() + f"\n% copy {i}\n".encode())
        out.append(p)
    return out, pages * n


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _import(files: list[Path], workers: int) -> tuple[float, float]:
    """Wall and CPU seconds (this process and its finished workers) of one import."""
    from certreport.pipeline import import_paths

    with tempfile.TemporaryDirectory() as out:
        c0, t0 = _cpu(), time.perf_counter()
        s = import_paths(files, out, workers=workers, timeout=3600)
        dt, dc = time.perf_counter() - t0, _cpu() - c0
    assert s.counts["failed"] == 0, s.failed
    return dt, dc


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--copies", type=int, default=4)
    ap.add_argument("--skip-scan", action="store_true")
    args = ap.parse_args()
    os.environ["CERTREPORT_OCR_CACHE"] = "off"
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f} at start "
          "(a loaded machine makes these figures noisy)")
    if not args.skip_scan:
        with tempfile.TemporaryDirectory() as tmp:
            files, pages = _copies(args.copies, Path(tmp))
            for workers in (1, 2):
                os.environ.pop("CERTREPORT_OCR_THREADS", None)
                runs = [_import(files, workers) for _ in range(args.runs)]
                wall = statistics.median(r[0] for r in runs)
                cpu = statistics.median(r[1] for r in runs)
                print(f"scans: {workers} worker(s): {pages} pages in {wall:.1f} s wall, "
                      f"{cpu:.1f} s CPU (median of {args.runs}): {wall / pages:.2f} s a page "
                      f"wall, {cpu / pages:.2f} CPU-s a page (on 2 idle cores about "
                      f"{cpu / pages / 2:.2f} s a page)")

    # the check alone, against the parse it follows (both CPU time, so load matters less)
    from certreport.extract.pages import text_layer_problem
    from certreport.extract.pdf_pdfium import PdfFile

    parse = check = 0.0
    n_pages = 0
    for f in sorted(PDFS.glob("*.pdf")):
        with PdfFile(f) as pdf:
            for index in range(pdf.page_count()):
                c0 = time.process_time()
                objects = pdf.read(index)
                c1 = time.process_time()
                for _ in range(10):
                    text_layer_problem(objects)
                check += (time.process_time() - c1) / 10
                parse += c1 - c0
                n_pages += 1
    print(f"quality check: {1000 * check / n_pages:.2f} ms a page against {1000 * parse / n_pages:.1f} "
          f"ms parsing it ({100 * check / parse:.2f}% of the page's read, CPU time, {n_pages} pages)")

    import certreport.extract.pdf as pdf_reader

    files = sorted(PDFS.glob("*.pdf"))
    shipped = pdf_reader.text_layer_problem

    def timed() -> float:
        with tempfile.TemporaryDirectory() as out:
            from certreport.pipeline import import_paths

            t0 = time.perf_counter()
            import_paths(files, out, workers=0)
            return time.perf_counter() - t0

    timed()  # warm up: imports, catalogues
    with_check, without = [], []
    for _ in range(args.runs * 2):
        pdf_reader.text_layer_problem = shipped
        with_check.append(timed())
        pdf_reader.text_layer_problem = lambda page, settings=None: None
        without.append(timed())
    pdf_reader.text_layer_problem = shipped
    a, b = statistics.median(with_check), statistics.median(without)
    print(f"digital PDFs ({len(files)} files): {a:.2f} s with the quality check, {b:.2f} s "
          f"without: {a / b:.3f}×")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
