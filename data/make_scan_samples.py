"""Write the committed scanned samples: synthetic reports printed and scanned, truth beside.

    python data/make_scan_samples.py

Reads the committed digital PDFs of ``data/samples/pdf`` (made by ``make_pdf_samples.py``),
so it needs no LibreOffice; needs pikepdf (``pip install -e '.[fixtures]'``). Writes

* ``data/samples/scan/NAME.scan.pdf`` — a whole report scanned at 150 dpi (turned 0.4°,
  gray paper, noise, JPEG), so the README's import shows a scan;
* ``tests/scans/`` — small files for the tests (a handful of pages, OCR is slow):
  ``page2_150.png`` and ``page2_200_skew.jpg`` (the basic-information page as image
  files), ``pages_2_5.tif`` (a two-page TIFF), ``mixed_p3.pdf`` (pages 2–3 of a digital
  PDF, page 3 scanned), ``nomap_p2_5.pdf`` (pages 2 and 5 with their fonts' ToUnicode
  maps removed), ``blank.png`` (a page with nothing on it), each report's truth beside it
  as ``NAME.truth.json``.

Re-running rewrites the same files (fixed seeds; PDFs differ only in their ids).
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the fixture generator (tests/synth)

from synth.scan_render import ScanLook, mixed, rasterise, scanned_pages, strip_unicode_maps  # noqa: E402

PDFS = ROOT / "data" / "samples" / "pdf"
SAMPLE = "synth_modern_square_s105"      # the whole scanned report in data/samples/scan
SMALL = "synth_classic_unicode_s101"     # the source of the test files
WHOLE_LOOK = ScanLook(dpi=150, skew=0.4, noise=2.0, jpeg=60, gray_paper=240)


def _pages(src: Path, keep: list[int], out: Path) -> Path:
    """A copy of ``src`` with only the pages ``keep`` (1-based)."""
    import pikepdf

    with pikepdf.open(str(src)) as pdf:
        for i in reversed(range(len(pdf.pages))):
            if i + 1 not in keep:
                del pdf.pages[i]
        pdf.save(str(out))
    return out


def main() -> int:
    scan_dir = ROOT / "data" / "samples" / "scan"
    tests_dir = ROOT / "tests" / "scans"
    for d in (scan_dir, tests_dir):
        d.mkdir(parents=True, exist_ok=True)
    rasterise(PDFS / f"{SAMPLE}.pdf", scan_dir / f"{SAMPLE}.scan.pdf", WHOLE_LOOK, seed=1)
    shutil.copyfile(PDFS / f"{SAMPLE}.truth.json", scan_dir / f"{SAMPLE}.scan.truth.json")

    src = PDFS / f"{SMALL}.pdf"
    shutil.copyfile(PDFS / f"{SMALL}.truth.json", tests_dir / f"{SMALL}.truth.json")
    with tempfile.TemporaryDirectory() as tmp:
        p2 = _pages(src, [2], Path(tmp) / "p2.pdf")
        rasterise(p2, tests_dir / "page2_150.png", ScanLook(150, 0.5, 5.0, 70), seed=2)
        rasterise(p2, tests_dir / "page2_200_skew.jpg", ScanLook(200, -0.6, 6.0, 65), seed=3)
        p25 = _pages(src, [2, 5], Path(tmp) / "p25.pdf")
        rasterise(p25, tests_dir / "pages_2_5.tif", ScanLook(150, 0.3, 4.0, 75), seed=4)
        strip_unicode_maps(p25, tests_dir / "nomap_p2_5.pdf")
        p23 = _pages(src, [2, 3], Path(tmp) / "p23.pdf")
        mixed(p23, tests_dir / "mixed_p3.pdf", [2], ScanLook(150, -0.4, 5.0, 70), seed=5)
        blank = scanned_pages(p2, ScanLook(150, 0.0, 4.0, 70), seed=6)[0]
        blank.paste(int(WHOLE_LOOK.gray_paper), (0, 0, blank.width, blank.height))
        blank.save(tests_dir / "blank.png", dpi=(150, 150))
    for f in sorted(list(scan_dir.iterdir()) + list(tests_dir.iterdir())):
        print(f"{f.relative_to(ROOT)}  {f.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
