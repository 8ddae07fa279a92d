"""Write the committed synthetic sample set: Word reports with their truth records.

    python data/make_samples.py [--out data/samples] [--count N] [--seed S]

With the default count of 6 the set covers the three templates (classic, modern, ledger)
and all six check-box styles, one report under GB/T 27922-2011 and two with injected
arithmetic errors (item_score + level, section_score + total). Larger counts cycle through
templates and styles like :func:`synth.generate`. Each ``NAME.docx`` has
``NAME.truth.json`` beside it; rendering is deterministic, so re-running rewrites identical files.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the fixture generator (tests/synth)

from synth import CTS, GBT, Plan, plan, render_one  # noqa: E402

# the default set: (template, check-box style, scheme, injected error kinds), seeds from --seed on
DEFAULT_SET = (
    ("classic", "unicode", CTS, ()),
    ("modern", "square", CTS, ()),
    ("ledger", "tick", GBT, ()),
    ("classic", "wingdings_sym", CTS, ("item_score", "level")),
    ("modern", "wingdings_text", CTS, ("section_score", "total")),
    ("ledger", "content_control", CTS, ()),
)


def sample_plans(count: int, seed: int) -> list[Plan]:
    if count == len(DEFAULT_SET):
        return [Plan(seed + i, template, style, scheme, len(checks), checks or None)
                for i, (template, style, scheme, checks) in enumerate(DEFAULT_SET)]
    return plan(count, seed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "samples")
    ap.add_argument("--count", type=int, default=len(DEFAULT_SET))
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    for p in sample_plans(args.count, args.seed):
        path = render_one(p, args.out)
        note = f", {p.errors} injected error(s)" if p.errors else ""
        print(f"{path}  ({p.template}, {p.checkbox}, {p.scheme}{note})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
