"""Write the committed samples of other producers: synthetic reports printed by headless
Chromium and wkhtmltopdf, converted to .docx by pandoc, and Word files whose tables sit in
layout tables or text boxes, each with its truth beside it.

    python data/make_producer_samples.py [--out data/samples/producers] [--producers chromium,…]

Needs chromium, wkhtmltopdf, pandoc and LibreOffice (Debian packages; see .ci/run) for
their samples;
a producer that is missing is skipped with a message and its committed samples are kept.
Two reports per producer (one of LibreOffice's HTML export printed by Chromium), across templates, check-box styles (Chromium draws Word's
content-control boxes as vector check boxes, wkhtmltopdf embeds the symbol font without
its name), layouts (flow / web label | value tables) and injected errors. The tests read
only the committed files, so CI needs none of the producers.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the fixture generator (tests/synth)

from synth import CTS, GBT, Plan  # noqa: E402
from synth.producers import available, render  # noqa: E402

# producer -> (seed, template, check-box style, scheme, injected error kinds)
SAMPLES = {
    "chromium": ((601, "modern", "content_control", CTS, ("item_score",)),
                 (602, "ledger", "wingdings_text", GBT, ())),
    "wkhtmltopdf": ((611, "classic", "wingdings_sym", CTS, ()),
                    (612, "reordered", "square", CTS, ("section_score", "level"))),
    "pandoc": ((621, "classic", "unicode", CTS, ("total",)),
               (622, "nocode", "tick", CTS, ())),
    "nested": ((631, "classic", "content_control", CTS, ()),
               (632, "gbt", "wingdings_sym", GBT, ("item_score",))),
    "textbox": ((641, "modern", "unicode", CTS, ()),
                (642, "ledger", "square", CTS, ("total",))),
    "lohtml": ((653, "classic", "tick", CTS, ()),),
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "samples" / "producers")
    ap.add_argument("--producers", default=",".join(SAMPLES),
                    help="comma-separated producers to (re)write (default all)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    wanted = [p.strip() for p in args.producers.split(",") if p.strip()]
    unknown = [p for p in wanted if p not in SAMPLES]
    if unknown:
        ap.error(f"unknown producer(s) {unknown}; known: {', '.join(SAMPLES)}")
    for producer, plans in SAMPLES.items():
        if producer not in wanted:
            continue
        if not available(producer):
            print(f"{producer}: not installed, its samples are left as they are")
            continue
        for seed, template, style, scheme, checks in plans:
            p = Plan(seed, template, style, scheme, len(checks), checks or None)
            path = render(p, args.out, producer)
            print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
