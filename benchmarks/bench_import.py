"""Bulk-import benchmark: throughput with 1 and 2 workers, the unchanged second run, and
peak memory per worker at two corpus sizes.

    python benchmarks/bench_import.py                # N = 200, 3 runs each
    python benchmarks/bench_import.py --n 200 --runs 5 --memory-n 100,400
    python benchmarks/bench_import.py --executor dask  # Dask (1 and 2 workers) beside the pool

The corpus is made from the committed samples (data/samples: .docx, and .pdf under
data/samples/pdf when present), each copy made byte-distinct (a PDF comment or a zip
comment appended) so that every file is a new report to the importer. Each import runs in
a fresh process; figures are medians over the runs. Targets (issue "Bulk import"):
second run >= 20x faster than the first; 2 workers >= 1.7x one worker; peak memory the
same at both corpus sizes.

With ``--executor dask`` it times instead the local pool and a Dask LocalCluster with 1
and 2 workers, runs interleaved: files/s over the whole import, and per file once the
first result is in (the steady state, without starting the cluster and its parser
processes). Target (issue "Beyond one machine"): Dask's time per file at most 10% over the
local pool's at 2 workers.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_corpus(folder: Path, n: int) -> list[Path]:
    """``n`` byte-distinct report files cycling through the committed samples."""
    samples = sorted((ROOT / "data" / "samples").glob("*.docx")) + sorted(
        (ROOT / "data" / "samples").glob("pdf/*.pdf"))
    if not samples:
        raise SystemExit("no samples under data/samples")
    # alternate formats so any prefix of the corpus is mixed
    docx = [s for s in samples if s.suffix == ".docx"]
    pdf = [s for s in samples if s.suffix == ".pdf"]
    order = [x for pair in zip(docx * (1 + len(pdf) // max(len(docx), 1)), pdf) for x in pair] \
        if pdf else docx
    order = order or samples
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = order[i % len(order)]
        dst = folder / f"r{i:05d}{src.suffix}"
        if src.suffix == ".pdf":
            dst.write_bytes(src.read_bytes() + f"\n% copy {i}\n".encode())
        else:
            shutil.copy(src, dst)
            with zipfile.ZipFile(dst, "a") as z:
                z.comment = f"copy {i}".encode()
        out.append(dst)
    return out


CHILD = r"""
import json, resource, sys, time
from certreport.pipeline import import_paths
done = []
t = time.perf_counter()
s = import_paths([{corpus!r}], {out!r}, workers={workers}, batch_size=50,
                 executor={executor!r}, progress=lambda *a: done.append(time.perf_counter()))
wall = time.perf_counter() - t
print(json.dumps({{"wall": wall, "counts": dict(s.counts), "first": done[0] - t,
    "steady": (done[-1] - done[0]) / max(len(done) - 1, 1),
    "main_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "worker_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""


def one_import(corpus: Path, out: Path, workers: int, executor: str = "local") -> dict:
    code = CHILD.format(corpus=str(corpus), out=str(out), workers=workers, executor=executor)
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def compare_executors(corpus: Path, files: list[Path], tmp: Path, runs: int) -> None:
    """Local pool against Dask, 1 and 2 workers each, runs interleaved."""
    configs = [(e, w) for w in (1, 2) for e in ("local", "dask")]
    got: dict[tuple[str, int], list[dict]] = {c: [] for c in configs}
    for run in range(runs):
        for executor, workers in configs:
            out = tmp / f"wh-{executor}-{workers}-{run}"
            r = one_import(corpus, out, workers, executor)
            assert r["counts"].get("failed", 0) == 0, r
            got[executor, workers].append(r)
            shutil.rmtree(out)
    n = len(files)
    print(f"\nfiles/s, median of {runs} (whole import | per file once the first result is in):")
    steady = {}
    for executor, workers in configs:
        wall = statistics.median(r["wall"] for r in got[executor, workers])
        steady[executor, workers] = statistics.median(r["steady"] for r in got[executor, workers])
        first = statistics.median(r["first"] for r in got[executor, workers])
        print(f"  {executor:5s} {workers} worker(s): {n / wall:5.1f} files/s | "
              f"{1 / steady[executor, workers]:5.1f} files/s; first result after {first:.1f} s")
    for workers in (1, 2):
        over = steady["dask", workers] / steady["local", workers] - 1
        print(f"Dask overhead per file at {workers} worker(s): {over * 100:+.0f}%"
              + (" (target <= 10%)" if workers == 2 else ""))
    wall, cpu = dask_cost_per_task()
    print(f"Dask's own cost per task (trivial tasks, 2 workers): {cpu * 1000:.1f} ms of CPU "
          f"over all processes, {wall * 1000:.1f} ms wall; "
          f"{cpu / steady['local', 1] * 100:.1f}% of a file's time in the local pool")


def dask_cost_per_task(n: int = 500) -> tuple[float, float]:
    """Wall and CPU seconds (client, scheduler, workers and their parser processes) per
    task of a function that does nothing: what Dask and the supervision add to each file."""
    import posixpath

    import psutil

    from certreport.dask_executor import DaskPool

    me = psutil.Process()

    def cpu() -> float:
        total = 0.0
        for p in [me] + me.children(recursive=True):
            try:
                total += sum(p.cpu_times()[:2])
            except psutil.Error:
                pass
        return total

    marks = []
    for i, _ in enumerate(DaskPool(posixpath.basename, 2, 60).imap_unordered(
            [f"f{i}" for i in range(n)])):
        if i in (n // 5, n - 1):
            marks.append((time.perf_counter(), cpu()))
    (t0, c0), (t1, c1) = marks
    count = n - 1 - n // 5
    return (t1 - t0) / count, (c1 - c0) / count


def pages_in(out: Path) -> int:
    import pandas as pd
    return int(pd.read_parquet(out / "reports", columns=["pages"])["pages"].fillna(0).sum())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--memory-n", default="100,400")
    ap.add_argument("--executor", choices=["local", "dask"], default="local",
                    help="dask: compare the Dask executor with the local pool")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-import-"))
    corpus = tmp / "corpus"
    files = build_corpus(corpus, args.n)
    kinds = {s: sum(1 for f in files if f.suffix == s) for s in {f.suffix for f in files}}
    print(f"corpus: {len(files)} files {kinds} in {corpus}")
    if args.executor == "dask":
        compare_executors(corpus, files, tmp, args.runs)
        shutil.rmtree(tmp)
        return 0

    first: dict[int, list[float]] = {1: [], 2: []}
    second: list[float] = []
    rss: dict[int, list[float]] = {1: [], 2: []}
    pages = 0
    for run in range(args.runs):
        for workers in (1, 2):
            out = tmp / f"wh-{workers}-{run}"
            r = one_import(corpus, out, workers)
            first[workers].append(r["wall"])
            rss[workers].append(r["worker_rss_mb"])
            pages = pages_in(out)
            if workers == 1:
                second.append(one_import(corpus, out, 1)["wall"])
            shutil.rmtree(out)
    med = {w: statistics.median(v) for w, v in first.items()}
    sec = statistics.median(second)
    print(f"\nfirst import, median of {args.runs} (wall s): 1 worker {med[1]:.2f}, 2 workers {med[2]:.2f}")
    for w in (1, 2):
        print(f"  {w} worker(s): {len(files) / med[w]:.1f} files/s, {pages / med[w]:.1f} pages/s, "
              f"peak worker RSS {statistics.median(rss[w]):.0f} MB")
    print(f"speed-up 2 workers vs 1: {med[1] / med[2]:.2f}x (target >= 1.7x)")
    print(f"second (unchanged) run: {sec:.2f} s, {med[1] / sec:.1f}x faster than the first "
          f"(target >= 20x)")

    print("\npeak memory against corpus size (2 workers):")
    for n in (int(x) for x in args.memory_n.split(",")):
        c = tmp / f"corpus-{n}"
        build_corpus(c, n)
        r = one_import(c, tmp / f"wh-mem-{n}", 2)
        print(f"  N = {n:4d}: main process {r['main_rss_mb']:.0f} MB, largest worker "
              f"{r['worker_rss_mb']:.0f} MB, {n / r['wall']:.1f} files/s")
        shutil.rmtree(c)
        shutil.rmtree(tmp / f"wh-mem-{n}")
    shutil.rmtree(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
