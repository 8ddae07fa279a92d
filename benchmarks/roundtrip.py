"""Round-trip accuracy on generated reports (a script run, not a test).

    python benchmarks/roundtrip.py --count 200 --format docx
    python benchmarks/roundtrip.py --count 100 --format pdf     # needs LibreOffice
    python benchmarks/roundtrip.py --count 50 --templates nocode,damaged
    python benchmarks/roundtrip.py --count 28 --producer chromium  # or wkhtmltopdf, pandoc,
                                                                   # nested, textbox, all

Renders ``count`` truth records (cycling through the templates asked for, default all, and
the check-box styles, some with injected arithmetic errors), imports each, and prints the
share of values recovered exactly (and per scoring family: scheme × special items as none,
a sentence, a table or 5+ deductions; normalised score, raw total or total only stated),
the injected errors found, false error findings on clean reports, and per template the clause-to-code accuracy: the share of truth clauses
whose recovered code (and number) is the truth's, and how many of the others a finding
flags (a row left unmatched, or a clause_match / duplicate_clause finding on it).
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the fixture generator (tests/synth)

from certreport.pipeline import process_file  # noqa: E402
from synth import generate  # noqa: E402
from synth.roundtrip import ClauseAccuracy, clause_accuracy, compare  # noqa: E402
from synth.producers import PRODUCERS  # noqa: E402
from synth.producers import available as producer_available  # noqa: E402
from synth.producers import generate as generate_by  # noqa: E402
from synth.templates import TEMPLATES  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--format", choices=("docx", "pdf"), default="docx")
    ap.add_argument("--producer", choices=(*PRODUCERS, "all"), default=None,
                    help="render with another producer (synth.producers) instead of "
                         "python-docx/LibreOffice; 'all' runs each in turn")
    ap.add_argument("--error-rate", type=float, default=0.3)
    ap.add_argument("--show", type=int, default=10, help="mismatches to print")
    ap.add_argument("--templates", default=",".join(TEMPLATES),
                    help=f"comma-separated template names (default all: {','.join(TEMPLATES)})")
    args = ap.parse_args()
    templates = [t.strip() for t in args.templates.split(",") if t.strip()]
    unknown = [t for t in templates if t not in TEMPLATES]
    if unknown or not templates:
        ap.error(f"unknown template(s) {unknown}; known: {', '.join(TEMPLATES)}")

    if args.producer:
        producers = PRODUCERS if args.producer == "all" else (args.producer,)
        missing = [p for p in producers if not producer_available(p)]
        if missing:
            ap.error(f"producer(s) not installed here: {', '.join(missing)}")
        results = [run(args, templates, p) for p in producers]
        return 0 if all(results) else 1
    return 0 if run(args, templates, None) else 1


def run(args: argparse.Namespace, templates: list[str], producer: str | None) -> bool:
    """Render, import and compare one batch; print its figures; True when all exact."""
    out = Path(tempfile.mkdtemp(prefix="roundtrip-"))
    t0 = time.perf_counter()
    if producer:
        paths = generate_by(out, args.count, producer, seed=args.seed, templates=templates,
                            error_rate=args.error_rate)
    else:
        kwargs = {"formats": (args.format,)} if args.format != "docx" else {}
        paths = generate(out, args.count, seed=args.seed, templates=templates,
                         error_rate=args.error_rate, **kwargs)
    t1 = time.perf_counter()
    compared: collections.Counter = collections.Counter()
    wrong: collections.Counter = collections.Counter()
    exact = injected = found = false_errors = clean = 0
    shown = 0
    by_combo: collections.Counter = collections.Counter()
    # scoring families: scheme x special items (none / sentence / table / 5+ deductions)
    family_total: collections.Counter = collections.Counter()
    by_kind: collections.Counter = collections.Counter()  # injected errors per check
    found_kind: collections.Counter = collections.Counter()
    family_exact: collections.Counter = collections.Counter()
    accuracy: dict[str, ClauseAccuracy] = {t: ClauseAccuracy() for t in templates}
    for path in paths:
        truth = json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))
        rows = process_file(path).rows
        result = compare(truth, rows)
        accuracy[truth["template"]] += clause_accuracy(truth, rows)
        compared.update(result.compared)
        for kind, ms in result.mismatches.items():
            wrong[kind] += len(ms)
        exact += result.ok
        sc = truth["scoring"]
        kind = ("none" if not (sc["deductions"] or sc["additions"]) else
                "5+ deductions" if sc["deductions"] >= 5 else sc["form"])
        for family in ((truth["scheme"], f"special {kind}"),
                       (truth["scheme"], "normalised score stated" if sc["states_normalised"]
                        else "raw total stated" if sc["states_raw"] else "total only")):
            family_total[family] += 1
            family_exact[family] += result.ok
        errors = {(c["check_name"], c["target"]) for c in rows.get("checks", []) if c["severity"] == "error"}
        want = {(i["check"], i["target"]) for i in truth["injected"]}
        injected += len(want)
        found += len(want & errors)
        for check, target in want:
            by_kind[check] += 1
            found_kind[check] += (check, target) in errors
        if not want:
            clean += 1
            false_errors += bool(errors)
        if not result.ok:
            by_combo[(truth["template"], truth.get("checkbox"))] += 1
            if shown < args.show:
                shown += 1
                print(f"{path.name}: " + " | ".join(result.lines()[:4]))
    t2 = time.perf_counter()
    kind = f"{producer} ({paths[0].suffix.lstrip('.')})" if producer and paths else args.format
    print(f"\n{len(paths)} {kind} reports (seed {args.seed}); rendered in {t1 - t0:.1f} s, "
          f"imported in {t2 - t1:.1f} s")
    print(f"reports recovered exactly: {exact}/{len(paths)} ({100 * exact / max(len(paths), 1):.1f}%)")
    for kind in sorted(compared):
        ok = compared[kind] - wrong[kind]
        print(f"  {kind:9s} {ok}/{compared[kind]} values exact ({100 * ok / compared[kind]:.2f}%)")
    for family in sorted(family_total):
        n = family_total[family]
        print(f"  [{family[0]}, {family[1]}] {family_exact[family]}/{n} reports exact")
    print(f"injected errors found: {found}/{injected} ("
          + ", ".join(f"{k} {found_kind[k]}/{by_kind[k]}" for k in sorted(by_kind)) + ")")
    print(f"clean reports with a false error finding: {false_errors}/{clean}")
    for name, acc in accuracy.items():
        if acc.clauses:
            print(f"clause-to-code accuracy [{name}]: {acc.right}/{acc.clauses} "
                  f"({100 * acc.right / acc.clauses:.2f}%); wrong {acc.wrong}, flagged by a "
                  f"finding {acc.flagged}, unflagged {acc.unflagged}")
            for line in acc.wrong_rows[:args.show]:
                print(f"    {line}")
    if by_combo:
        print("failures by template/check-box style:", dict(by_combo))
    return exact == len(paths)


if __name__ == "__main__":
    sys.exit(main())
