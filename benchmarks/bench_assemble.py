"""The stages from a reader's blocks to the intermediate record, timed apart from the
page reading: text forms (``extract.text_forms.normalise_document``) and assembly
(``extract.assemble.assemble``), over Documents read once, for the committed PDF samples
(ms a page) and the Word samples (ms a file).

    python benchmarks/bench_assemble.py            # 7 runs, CPU-time medians
    python benchmarks/bench_assemble.py --stages   # and where the assembly's time goes

"warm" keeps the caches of cell and header texts between runs (a batch of reports of one
template repeats them); "cold" clears them before each run (every text seen for the first
time; the vocabulary and the catalogues stay loaded, as in any process after its first
report). Each run also re-reads the PDF blocks (``read_document`` of the reader, no assembly), so
the stages are shown as a share of the reading measured in the same run. Target (issue 14):
text forms + assembly <= 0.3 ms a page.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

from text_caches import clear_text_caches  # benchmarks/ is the script's folder

ROOT = Path(__file__).resolve().parent.parent
PDF = sorted((ROOT / "data" / "samples" / "pdf").glob("*.pdf"))
DOCX = sorted((ROOT / "data" / "samples").glob("*.docx")) + sorted(
    (ROOT / "data" / "samples" / "producers").glob("*.docx"))
STAGES = ("_classify", "complete_roles", "_lines", "find_parts", "body_rows",
          "team_from_lines", "fill_from_layout", "find_fields", "similar_fields",
          "find_checkboxes", "read_score_figures", "_stated_total", "_levels", "_criteria",
          "_cert_body", "read_special_items")


def cpu(func, *args) -> float:
    t0 = time.process_time()
    func(*args)
    return time.process_time() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--stages", action="store_true", help="also time each assembly stage")
    args = ap.parse_args(argv)
    from certreport.extract import assemble as asm
    from certreport.extract.readers import choose
    from certreport.extract.text_forms import normalise_document
    from certreport.schemas.catalogue import part_titles

    if not PDF:
        raise SystemExit("no PDF samples under data/samples/pdf (python data/make_pdf_samples.py)")
    readers = {p: choose(p).load() for p in PDF + DOCX}
    pdf_docs = [readers[p].read_document(p) for p in PDF]
    docx_docs = [readers[p].read_document(p) for p in DOCX]
    pages = sum(d.pages or 0 for d in pdf_docs)
    titles = part_titles()

    def read_blocks() -> None:
        for p in PDF:
            readers[p].read_document(p)

    def forms(docs) -> None:
        for d in docs:
            normalise_document(d)

    normalised = [normalise_document(d) for d in pdf_docs]
    normalised_docx = [normalise_document(d) for d in docx_docs]

    def assembly(docs) -> None:
        for d in docs:
            asm.assemble(d, titles)

    assembly(normalised + normalised_docx)  # warm-up: vocabulary, catalogues, caches
    times = defaultdict(list)
    for _ in range(max(args.runs, 3)):
        times["read"].append(cpu(read_blocks))
        times["forms"].append(cpu(forms, pdf_docs))
        times["assemble"].append(cpu(assembly, normalised))
        times["docx"].append(cpu(forms, docx_docs) + cpu(assembly, normalised_docx))
        clear_text_caches()
        times["assemble cold"].append(cpu(assembly, normalised))
        clear_text_caches()
        times["docx cold"].append(cpu(forms, docx_docs) + cpu(assembly, normalised_docx))
    med = {k: statistics.median(v) for k, v in times.items()}
    ours = med["forms"] + med["assemble"]
    print(f"{len(PDF)} PDF samples, {pages} pages; {len(DOCX)} Word samples; "
          f"{len(times['read'])} runs, CPU-time medians")
    print(f"  PDF blocks (reader)      {1000 * med['read'] / pages:6.3f} ms/page")
    print(f"  text forms               {1000 * med['forms'] / pages:6.3f} ms/page")
    print(f"  assembly to the record   {1000 * med['assemble'] / pages:6.3f} ms/page warm, "
          f"{1000 * med['assemble cold'] / pages:6.3f} cold")
    for label, total in (("warm", ours), ("cold", med["forms"] + med["assemble cold"])):
        print(f"  text forms + assembly    {1000 * total / pages:6.3f} ms/page {label} "
              f"({1000 * total / len(PDF):.1f} ms a report, {100 * total / med['read']:.1f}% "
              f"of the reading; target <= 0.3 ms/page: "
              f"{'met' if 1000 * total / pages <= 0.3 else 'NOT met'})")
    print(f"  Word: text forms + assembly {1000 * med['docx'] / len(DOCX):6.2f} ms/file warm, "
          f"{1000 * med['docx cold'] / len(DOCX):6.2f} cold")
    if args.stages:
        spent: dict[str, float] = defaultdict(float)
        originals = {name: getattr(asm, name) for name in STAGES}
        for name, func in originals.items():
            def timed(*a, _f=func, _n=name, **k):
                t0 = time.process_time()
                try:
                    return _f(*a, **k)
                finally:
                    spent[_n] += time.process_time() - t0
            setattr(asm, name, timed)
        try:
            runs = max(args.runs, 3)
            for _ in range(runs):
                assembly(normalised)
        finally:
            for name, func in originals.items():
                setattr(asm, name, func)
        print(f"  assembly stages (PDF samples, {runs} runs, CPU time of each stage's calls; "
              "_classify is also called by the caption split):")
        for name, s in sorted(spent.items(), key=lambda kv: -kv[1]):
            print(f"    {name:20s} {1000 * s / runs / pages:6.4f} ms/page")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "tests"))
    raise SystemExit(main())
