"""Round trip through OCR (a script run, not a test): truth -> Word -> PDF -> scan -> values.

    python benchmarks/roundtrip_scan.py --count 40                 # 150-dpi scans
    python benchmarks/roundtrip_scan.py --count 40 --nomap 10      # + PDFs without ToUnicode
    python benchmarks/roundtrip_scan.py --count 8 --dpi 200 --workers 2
    python benchmarks/roundtrip_scan.py --count 12 --nomap 4 --keep /tmp/rt   # files + OCR cache
    python benchmarks/roundtrip_scan.py --reuse /tmp/rt   # read those files again (cached OCR)

Renders ``count`` fresh truth records (cycling through the templates and check-box styles,
some with injected arithmetic errors; needs LibreOffice), prints each PDF and scans it
(:mod:`synth.scan_render`: ±0.6° skew, gray paper, noise, JPEG quality 60–75) into an
image-only PDF, and for the first ``nomap`` reports also writes the digital PDF with its
fonts' ToUnicode maps removed. Every file is imported through the pipeline (OCR for each
page) and compared with its truth. Prints per family (scan, nomap): clause values
(weight, %, stated score) exact, fields exact, team rows exact, injected errors found,
clean reports with an error finding, and seconds per page. With ``--keep DIR`` the files
and the OCR cache (``DIR/.cache/ocr``) stay in DIR; ``--reuse DIR`` reads them again
without rendering (the OCR answers come from the cache), to iterate on the checks.
"""
from __future__ import annotations

import argparse
import collections
import json
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the fixture generator (tests/synth)

from synth import generate  # noqa: E402
from synth.scan_render import ScanLook, rasterise, strip_unicode_maps  # noqa: E402

VALUE_KEYS = ("weight", "score_pct", "stated_score")
TEAM_KEYS = ("member_code", "name", "role", "cert_no", "specialty_code", "phone")


def _norm(v):  # noqa: ANN001, ANN202
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return float(v)
    return str(v)


def _one(task: tuple[str, str, str]) -> dict:
    family, path, truth_path = task
    from certreport.pipeline import process_file

    t0 = time.perf_counter()
    result = process_file(path)
    dt = time.perf_counter() - t0
    truth = json.loads(Path(truth_path).read_text(encoding="utf-8"))
    rows = result.rows
    report = (rows.get("reports") or [{}])[0]
    got = {c["clause_no"]: c for c in rows.get("clauses", []) if c.get("clause_no")}
    values = wrong_values = 0
    misses = []
    for wc in truth["clauses"]:
        gc = got.get(wc["clause_no"], {})
        for k in VALUE_KEYS:
            if k in wc:
                values += 1
                if _norm(gc.get(k)) != _norm(wc[k]):
                    wrong_values += 1
                    misses.append(f"{wc['clause_no']} {k}: got {gc.get(k)!r}, want {wc[k]!r}")
    fields = wrong_fields = 0
    for key, want in truth["report"].items():
        fields += 1
        if _norm(report.get(key)) != _norm(want):
            wrong_fields += 1
            misses.append(f"field {key}: got {report.get(key)!r}, want {want!r}")
    team = [{k: t.get(k) for k in TEAM_KEYS} for t in rows.get("team", [])]
    want_team = [{k: t.get(k) for k in TEAM_KEYS} for t in truth["team"]]
    team_ok = sum(1 for i, w in enumerate(want_team) if i < len(team) and team[i] == w)
    if team_ok < len(want_team):
        misses.append(f"team: got {team}, want {want_team}")
    errors = {(c["check_name"], c["target"]) for c in rows.get("checks", [])
              if c["severity"] == "error"}
    injected = {(i["check"], i["target"]) for i in truth.get("injected", [])}
    # what each unexpected error rests on: the clause as read vs its truth
    want_by = {w.get("code") or w["clause_no"]: w for w in truth["clauses"]}
    by_target = {c.get("code") or c.get("clause_no"): c for c in rows.get("clauses", [])}
    for check, target in sorted(errors - injected):
        msg = next((c["message"] for c in rows.get("checks", []) if c["severity"] == "error"
                    and (c["check_name"], c["target"]) == (check, target)), "")
        misses.append(f"ERROR {check} {target}: {msg}")
    for target, gc in by_target.items():
        wc = want_by.get(target)
        if wc and any(k in wc and _norm(gc.get(k)) != _norm(wc[k]) for k in VALUE_KEYS):
            misses.append(f"  {target} p{gc.get('page')} read "
                          f"{[gc.get(k) for k in VALUE_KEYS]} truth "
                          f"{[wc.get(k) for k in VALUE_KEYS]} conf {gc.get('ocr_confidence')}")
    pages = report.get("pages") or 0
    return {"family": family, "name": Path(path).name, "status": report.get("status"),
            "error": report.get("error"), "values": values, "wrong_values": wrong_values,
            "fields": fields, "wrong_fields": wrong_fields, "team": len(want_team),
            "team_ok": team_ok, "injected": len(injected), "found": len(injected & errors),
            "clean": not injected, "false_error": bool(errors - injected) if not injected else False,
            "extra_errors": sorted(errors - injected), "seconds": dt, "pages": pages,
            "misses": misses}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--nomap", type=int, default=0,
                    help="also read this many digital PDFs stripped of ToUnicode maps")
    ap.add_argument("--seed", type=int, default=5000)
    ap.add_argument("--dpi", type=int, default=150)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--error-rate", type=float, default=0.3)
    ap.add_argument("--show", type=int, default=12, help="mismatches to print")
    ap.add_argument("--keep", type=Path, default=None,
                    help="write the files (and the OCR cache) here")
    ap.add_argument("--reuse", type=Path, default=None,
                    help="read the files an earlier --keep run wrote there, without rendering")
    ap.add_argument("--summary", type=Path, default=None,
                    help="only print the summary of an earlier run's results.jsonl")
    args = ap.parse_args()
    if args.summary:
        lines = args.summary.read_text(encoding="utf-8").splitlines()
        summarise([json.loads(x) for x in lines if x.strip()], args.show)
        return 0

    out = args.reuse or args.keep or Path(tempfile.mkdtemp(prefix="roundtrip-scan-"))
    out.mkdir(parents=True, exist_ok=True)
    if args.keep or args.reuse:
        os.environ.setdefault("CERTREPORT_OCR_CACHE", str(out / ".cache" / "ocr"))
    t0 = time.perf_counter()
    tasks = []
    if args.reuse:
        pdfs = sorted(p for p in out.glob("*.pdf") if p.suffixes[-2:-1] not in ([".scan"], [".nomap"]))
        for pdf in pdfs:
            truth = out / f"{pdf.stem}.truth.json"
            for family in ("scan", "nomap"):
                f = out / f"{pdf.stem}.{family}.pdf"
                if f.is_file():
                    tasks.append((family, str(f), str(truth)))
    else:
        pdfs = generate(out, args.count, seed=args.seed, error_rate=args.error_rate,
                        formats=("pdf",))
    rng = random.Random(args.seed)
    for i, pdf in enumerate(pdfs if not args.reuse else ()):
        truth = out / f"{pdf.stem}.truth.json"
        look = ScanLook.random(rng, dpi=args.dpi)
        scan = rasterise(pdf, out / f"{pdf.stem}.scan.pdf", look, seed=i)
        tasks.append(("scan", str(scan), str(truth)))
        if i < args.nomap:
            tasks.append(("nomap", str(strip_unicode_maps(pdf, out / f"{pdf.stem}.nomap.pdf")),
                          str(truth)))
    t1 = time.perf_counter()
    cores = os.cpu_count() or 1
    os.environ["CERTREPORT_OCR_THREADS"] = str(max(1, cores // max(1, args.workers)))
    results = []
    with mp.get_context("fork").Pool(args.workers) as pool, \
            (out / "results.jsonl").open("w", encoding="utf-8") as log:
        for r in pool.imap_unordered(_one, tasks, chunksize=1):
            results.append(r)
            log.write(json.dumps(r, ensure_ascii=False) + "\n")
            log.flush()
    t2 = time.perf_counter()

    made = f"read again from {out}" if args.reuse else f"seed {args.seed}"
    print(f"{len(pdfs)} reports ({made}, {args.dpi} dpi scans, skew ±0.6°, noise, "
          f"JPEG 60–75); rendered in {t1 - t0:.0f} s, read in {t2 - t1:.0f} s with "
          f"{args.workers} worker(s) × {os.environ['CERTREPORT_OCR_THREADS']} thread(s); "
          f"results in {out / 'results.jsonl'}")
    summarise(results, args.show, t2 - t1)
    return 0


def summarise(results: list[dict], show: int, wall: float | None = None) -> None:
    """Per family: the accuracy figures and seconds per page (see the module docstring)."""
    shown = 0
    for family in ("scan", "nomap"):
        rs = [r for r in results if r["family"] == family]
        if not rs:
            continue
        s = collections.Counter()
        for r in rs:
            for k in ("values", "wrong_values", "fields", "wrong_fields", "team", "team_ok",
                      "injected", "found", "pages"):
                s[k] += r[k]
            s["clean"] += r["clean"]
            s["false_error"] += r["false_error"]
            s["ok"] += r["status"] == "ok"
            s["seconds"] += r["seconds"]
        pct = lambda a, b: 100.0 * a / b if b else 100.0  # noqa: E731
        print(f"\n[{family}] {len(rs)} files, {s['ok']} status ok")
        print(f"  clause values exact: {s['values'] - s['wrong_values']}/{s['values']} "
              f"({pct(s['values'] - s['wrong_values'], s['values']):.2f}%)")
        print(f"  fields exact:        {s['fields'] - s['wrong_fields']}/{s['fields']} "
              f"({pct(s['fields'] - s['wrong_fields'], s['fields']):.2f}%)")
        print(f"  team rows exact:     {s['team_ok']}/{s['team']} ({pct(s['team_ok'], s['team']):.2f}%)")
        print(f"  injected errors found: {s['found']}/{s['injected']}")
        print(f"  clean reports with an error finding: {s['false_error']}/{s['clean']}")
        print(f"  {s['pages']} pages, {s['seconds'] / max(s['pages'], 1):.2f} s a page per worker"
              + (f" (wall {wall / max(sum(r['pages'] for r in results), 1):.2f} s a page "
                 "overall)" if wall else ""))
        for r in rs:
            if (r["misses"] or r["extra_errors"] or r["status"] != "ok") and shown < show:
                shown += 1
                print(f"    {r['name']}: {r['status']} {r['error'] or ''} "
                      f"{'; '.join(r['misses'][:5])} {r['extra_errors'] or ''}")


if __name__ == "__main__":
    sys.exit(main())
