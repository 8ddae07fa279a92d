"""Write the committed PDF sample set: synthetic reports exported to PDF, truth beside each.

    python data/make_pdf_samples.py [--out data/samples/pdf]

Needs LibreOffice (``soffice``) and fontTools (``pip install -e '.[fixtures]'``); the
stand-in Wingdings fonts are installed on first use (see certreport/synth/pdf_render.py).
The 17 reports cover every template and every check-box style (the first three templates
with three styles each), five reports under GB/T 27922-2011, special items as sentences and
as a table (6 deductions: no level) and eight with injected arithmetic errors of every kind (about 4.5 MB: each PDF embeds ~300 KB of CJK glyphs). Each ``NAME.pdf`` has ``NAME.truth.json`` beside it. The
tests read only the committed files, so CI needs no LibreOffice; re-running rewrites the
truth files identically and PDFs that differ only in their creation date and file id.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the fixture generator (tests/synth)

from synth import CTS, GBT, Plan, render_one  # noqa: E402

# (seed, template, check-box style, scheme, injected error kinds[, special items forced]).
# The seeds are chosen so
# that the set holds the page breaks that matter (see tests/test_pdf_reader.py): clause
# rows split over two pages, pages opening with a clause whose 序号/标题 cell stayed on the
# page before, a subsection cut after its first row, a part heading closing a page.
PDF_SET = (
    (101, "classic", "unicode", CTS, ()),
    (102, "classic", "wingdings_sym", CTS, ("item_score", "level")),
    (104, "classic", "square", GBT, ()),
    (105, "modern", "square", CTS, ()),
    (106, "modern", "wingdings_text", CTS, ("section_score", "total")),
    (107, "modern", "tick", CTS, ()),
    (108, "ledger", "tick", GBT, ()),
    (109, "ledger", "content_control", CTS, ()),
    (110, "ledger", "wingdings_sym", CTS, ("item_score",)),
    (112, "nocode", "wingdings_text", CTS, ()),
    (115, "damaged", "tick", CTS, ("total",)),
    (114, "reordered", "square", CTS, ()),
    (113, "reordered", "content_control", CTS, ("item_score", "section_score")),
    (116, "gbt", "content_control", GBT, ()),
    # scoring rules: 6 special deductions (no level) and an addition in a table, 删减 clauses
    # and a wrong 评分; a normalised score with a wrong 实际得分合计 and 涉及项总分值 beside
    # special deductions in a sentence; CTS special items in Chinese numerals, wrong points
    (117, "gbt", "tick", GBT, ("normalised_score",), "limit"),
    (125, "classic", "wingdings_text", GBT, ("raw_total", "applicable_max"), "deduction"),
    (121, "modern", "unicode", CTS, ("special_items",), "both"),
)


def pdf_plans() -> list[Plan]:
    return [Plan(seed, template, style, scheme, len(checks), checks or None,
                 special[0] if special else None)
            for seed, template, style, scheme, checks, *special in PDF_SET]


def main(argv: list[str] | None = None) -> int:
    from synth.pdf_render import render_pdf

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "samples" / "pdf")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    plans = pdf_plans()
    with tempfile.TemporaryDirectory(prefix="certreport-pdf-samples-") as tmp:
        docs = [render_one(p, Path(tmp)) for p in plans]
        pdfs = render_pdf(docs, args.out)
        for p, doc, pdf in zip(plans, docs, pdfs):
            shutil.copyfile(doc.with_name(f"{doc.stem}.truth.json"),
                            args.out / f"{doc.stem}.truth.json")
            note = f", injected: {', '.join(p.checks)}" if p.checks else ""
            print(f"{pdf}  ({p.template}, {p.checkbox}, {p.scheme}{note})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
