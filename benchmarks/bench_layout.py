"""Layout benchmark: the pages of the committed PDF samples into blocks (``page_content``
for every page, ``running_lines``, ``page_blocks``), with the C extension of the
per-character loops (``extract/_layout.c``) and with the Python reference path, in one
process, interleaved, CPU ms a page (medians).

    python benchmarks/bench_layout.py              # 5 runs of each
    python benchmarks/bench_layout.py --runs 9 --profile 25

The pages are read once (PDFium, as ``extract.read`` reads them) and laid out again in
every run; the caches of texts the stages have seen are emptied before every run
(``text_caches.py``). Target (issue 14): the layout <= 1.0 ms a page with the extension.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import time
from pathlib import Path

from text_caches import clear_text_caches  # benchmarks/ is the script's folder

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "data" / "samples" / "pdf"


def pages_of(files: list[Path]) -> list[tuple[list, object]]:
    """Each file's text-layer pages (those the reader lays out) and the page settings."""
    from certreport.extract.pages import text_layer_problem
    from certreport.extract.pdf import PdfSettings
    from certreport.extract.pdf_pdfium import PdfFile

    settings = PdfSettings()
    out = []
    for path in files:
        with PdfFile(path.read_bytes()) as pdf:
            pages = [pdf.read(i) for i in range(pdf.page_count())]
        out.append(([p for p in pages if text_layer_problem(p, settings.quality) is None],
                    settings.pages))
    return out


def layout(docs: list[tuple[list, object]]) -> None:
    from certreport.extract.page_blocks import page_blocks, page_content
    from certreport.extract.page_lines import running_lines

    for pages, settings in docs:
        state: dict = {}
        problems: list[str] = []
        contents = [page_content(p, settings, problems, state) for p in pages]
        running = running_lines([(c.height, c.lines) for c in contents], settings.layout)
        page_blocks(contents, running, settings.layout)


def cpu(func, *args) -> float:
    clear_text_caches()
    t0 = time.process_time()
    func(*args)
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    from certreport.extract import page_lines

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="timed runs of each (at least 5)")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="also print the top N functions of one profiled run (extension on)")
    args = ap.parse_args(argv)
    runs = max(args.runs, 5)
    files = sorted(SAMPLES.glob("*.pdf"))
    if not files:
        raise SystemExit(f"no PDF samples under {SAMPLES} (python data/make_pdf_samples.py)")
    docs = pages_of(files)
    n_pages = sum(len(p) for p, _ in docs)
    native = page_lines._native
    paths = {"with the C extension": native, "Python reference": None}
    if native is None:
        print("the C extension (certreport.extract._layout) is not built: Python only")
        del paths["with the C extension"]
    for module in paths.values():  # warm-up
        page_lines._native = module
        layout(docs[:2])
    times: dict[str, list[float]] = {k: [] for k in paths}
    try:
        for i in range(runs):
            order = list(paths.items())
            for label, module in (order if i % 2 == 0 else order[::-1]):
                page_lines._native = module
                times[label].append(cpu(layout, docs))
    finally:
        page_lines._native = native
    print(f"layout of {len(files)} PDF reports, {n_pages} text-layer pages; {runs} interleaved "
          "runs, CPU medians (min-max)")
    med = {k: 1000 * statistics.median(v) / n_pages for k, v in times.items()}
    for label, ts in times.items():
        print(f"  {label:22s} {med[label]:6.3f} ms/page  "
              f"[{1000 * min(ts) / n_pages:.3f}-{1000 * max(ts) / n_pages:.3f}]")
    if native is not None:
        ours = med["with the C extension"]
        print(f"  the extension: {med['Python reference'] / ours:.2f}x the Python path; "
              f"target <= 1.0 ms/page: {'met' if ours <= 1.0 else 'NOT met'}")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        layout(docs)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(args.profile)
        text = out.getvalue()
        print(text[text.find("   ncalls"):].rstrip())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
