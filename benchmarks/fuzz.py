"""Seeded fuzzing of the readers over the committed samples (a script; a test runs a few).

    python benchmarks/fuzz.py --count 300 --seed 1
    python benchmarks/fuzz.py --count 40 --keep /tmp/fuzz   # keep the damaged files

Makes ``count`` damaged copies of the samples in ``data/samples`` (byte flips,
truncations, zeroed ranges; for Word files also a zip part removed and XML damaged), imports
each in a worker process with a timeout, and compares it with its undamaged original.
Prints, per kind of damage and in all: files, crashes (an internal error or a dead parser),
hangs (timeouts), statuses, and **silent** rows: damaged files imported ``ok`` whose values
differ from the original's while no new finding and no recorded problem says so. The last
must be 0: damage is repaired, flagged, or the file fails.
"""
from __future__ import annotations

import argparse
import io
import random
import re
import sys
import tempfile
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from certreport.pipeline import FileResult, process_file  # noqa: E402
from certreport.workers import Pool, TaskFailure  # noqa: E402

SAMPLES = ROOT / "data" / "samples"
# report columns that say where the file came from or how it was read, not what it holds
_META = {"report_id", "source_path", "source_size", "status", "error", "problems",
         "error_count", "warning_count", "extractor_version", "imported_at"}

Mutation = Callable[[bytes, random.Random], bytes]


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 24)):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[:int(len(data) * rng.uniform(0.2, 0.995))]


def zero_range(data: bytes, rng: random.Random) -> bytes:
    n = rng.randint(16, min(4096, max(16, len(data) // 8)))
    start = rng.randrange(max(1, len(data) - n))
    return data[:start] + bytes(min(n, len(data) - start)) + data[start + n:]


def _rezip(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = change(info.filename, src.read(info))
            if body is not None:
                dst.writestr(info.filename, body)
    return buf.getvalue()


def remove_part(data: bytes, rng: random.Random) -> bytes:
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    gone = rng.choice(names)
    return _rezip(data, lambda name, body: None if name == gone else body)


def damage_xml(data: bytes, rng: random.Random) -> bytes:
    names = [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
             if n.endswith((".xml", ".rels"))]
    target = rng.choice(names)

    def change(name: str, body: bytes) -> bytes:
        if name != target or not body:
            return body
        kind = rng.randrange(3)
        i = rng.randrange(len(body))
        if kind == 0:  # a slice cut out
            return body[:i] + body[i + rng.randint(1, 200):]
        if kind == 1:  # a stray character
            return body[:i] + rng.choice([b"<", b"&", b">", b'"', b"\x00"]) + body[i:]
        tags = [m.start() for m in re.finditer(rb"</", body)]  # a closing tag lost
        if not tags:
            return body[:i]
        at = rng.choice(tags)
        end = body.find(b">", at)
        return body[:at] + body[end + 1:]
    return _rezip(data, change)


COMMON: dict[str, Mutation] = {"flip": flip_bytes, "truncate": truncate, "zero": zero_range}
ZIP_ONLY: dict[str, Mutation] = {"part_removed": remove_part, "xml_damage": damage_xml}


def samples() -> list[Path]:
    """The committed sample reports, every format."""
    return sorted(p for p in SAMPLES.rglob("*")
                  if p.suffix.lower() in (".docx", ".pdf", ".md", ".txt"))


def values(result: FileResult) -> dict[str, Any]:
    """What a report holds, without where it came from: comparable across copies."""
    rows = result.rows
    report = {k: v for k, v in rows["reports"][0].items() if k not in _META}
    strip = lambda table: [tuple(sorted((k, v) for k, v in r.items() if k != "report_id"))  # noqa: E731
                           for r in rows.get(table, [])]
    return {"report": report, "clauses": strip("clauses"), "sections": strip("sections"),
            "team": strip("team")}


def findings_of(result: FileResult) -> set[tuple]:
    return {(c["check_name"], c["target"], c["message"]) for c in result.rows.get("checks", [])}


def problems_of(result: FileResult) -> list[str]:
    return list(result.rows["reports"][0].get("problems") or [])


@dataclass
class Tally:
    files: int = 0
    crashes: int = 0
    hangs: int = 0
    status: Counter = field(default_factory=Counter)
    silent: int = 0
    flagged_changes: int = 0  # ok rows that changed and say so


def differences(base: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Names of what differs between two :func:`values`."""
    out = [f"report.{k}" for k in base["report"] if base["report"][k] != got["report"].get(k)]
    out += [t for t in ("clauses", "sections", "team") if base[t] != got[t]]
    return out


def run(count: int, seed: int, workers: int = 1, timeout: float = 60.0,
        keep: Path | None = None, verbose: bool = False,
        only: list[Path] | None = None) -> dict[str, Tally]:
    """Damage ``count`` copies of the samples (or of ``only``) and tally what came of
    them, per kind of damage (``"all"`` holds the totals)."""
    rng = random.Random(seed)
    originals = sorted(only) if only else samples()
    base = {p: process_file(p) for p in originals}
    tallies: dict[str, Tally] = defaultdict(Tally)
    with tempfile.TemporaryDirectory(prefix="certreport-fuzz-") as tmp:
        folder = keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        jobs: dict[Path, tuple[Path, str]] = {}
        for i in range(count):
            src = originals[i % len(originals)]
            data = src.read_bytes()
            kinds = dict(COMMON)
            if src.suffix == ".docx":
                kinds.update(ZIP_ONLY)
            kind = rng.choice(sorted(kinds))
            damaged = kinds[kind](data, rng)
            dst = folder / f"{i:04d}_{kind}_{src.name}"
            dst.write_bytes(damaged)
            jobs[dst] = (src, kind)
        pool = Pool(process_file, workers, timeout)
        for path, result in pool.imap_unordered(sorted(jobs)):
            src, kind = jobs[path]
            for t in (tallies[kind], tallies["all"]):
                t.files += 1
            if isinstance(result, TaskFailure):
                hang = "timed out" in result.reason
                for t in (tallies[kind], tallies["all"]):
                    t.hangs += hang
                    t.crashes += not hang
                print(f"{'HANG' if hang else 'CRASH'} {path.name}: {result.reason}")
                continue
            crash = "internal error" in (result.error or "")
            for t in (tallies[kind], tallies["all"]):
                t.status[result.status] += 1
                t.crashes += crash
            if crash:
                print(f"CRASH {path.name}: {result.error}")
            if result.status != "ok":
                continue
            diff = differences(values(base[src]), values(result))
            if not diff:
                continue
            said = (findings_of(result) - findings_of(base[src])) or problems_of(result)
            for t in (tallies[kind], tallies["all"]):
                if said:
                    t.flagged_changes += 1
                else:
                    t.silent += 1
            if not said or verbose:
                print(f"{'SILENT' if not said else 'flagged'} {path.name}: {', '.join(diff)}")
    return dict(tallies)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--keep", type=Path, help="write the damaged files here and keep them")
    ap.add_argument("--verbose", action="store_true", help="also list flagged changes")
    args = ap.parse_args()
    tallies = run(args.count, args.seed, args.workers, args.timeout, args.keep, args.verbose)
    print(f"\n{'damage':<14}{'files':>6}{'crash':>7}{'hang':>6}{'ok':>6}{'partial':>9}"
          f"{'failed':>8}{'flagged':>9}{'silent':>8}")
    for kind in sorted(k for k in tallies if k != "all") + ["all"]:
        t = tallies[kind]
        print(f"{kind:<14}{t.files:>6}{t.crashes:>7}{t.hangs:>6}{t.status['ok']:>6}"
              f"{t.status['partial']:>9}{t.status['failed']:>8}{t.flagged_changes:>9}"
              f"{t.silent:>8}")
    t = tallies.get("all", Tally())
    print(f"\nfiles {t.files}, crashes {t.crashes}, hangs {t.hangs}, "
          f"silent ok rows {t.silent} (ok rows whose values differ from the undamaged "
          f"file's without a finding or a recorded problem)")
    return 1 if t.crashes or t.hangs or t.silent else 0


if __name__ == "__main__":
    sys.exit(main())
