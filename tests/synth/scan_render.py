"""Scanned copies of rendered reports, as a copier or scanner makes them.

* :func:`rasterise` — a PDF's pages printed and scanned: rendered at a resolution (150 or
  200 dpi), turned by a small angle (±0.6°), gray, with sensor noise and JPEG compression
  (quality 60–75), packed as an image-only PDF (or one image file per page, or a
  multi-page TIFF);
* :func:`strip_unicode_maps` — the same PDF with its fonts' ToUnicode maps removed (its
  text layer then reads as ``(cid:n)`` codes, as some producers write it);
* :func:`mixed` — a digital PDF with some pages replaced by scanned ones.

Only fixture building needs this module (pypdfium2, Pillow, pikepdf).
"""
from __future__ import annotations

import io
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np


@dataclass(frozen=True)
class ScanLook:
    """How a scan looks: resolution, turn, noise, JPEG quality."""

    dpi: int = 150
    skew: float = 0.4       # degrees, counter-clockwise positive
    noise: float = 6.0      # standard deviation of the gray noise (0–255)
    jpeg: int = 70          # JPEG quality
    gray_paper: int = 238   # paper tone: scans are never white

    @staticmethod
    def random(rng: random.Random, dpi: int | None = None) -> "ScanLook":
        return ScanLook(dpi or rng.choice((150, 200)), round(rng.uniform(-0.6, 0.6), 2),
                        round(rng.uniform(3.0, 9.0), 1), rng.randint(60, 75),
                        rng.randint(225, 245))


def scan_image(page_gray: np.ndarray, look: ScanLook, seed: int):
    """One rendered page (uint8 gray, white paper) as a scanned image (PIL, mode L)."""
    from PIL import Image

    rng = np.random.default_rng(seed)
    tone = look.gray_paper / 255.0
    arr = page_gray.astype(np.float32) * tone
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    img = img.rotate(look.skew, resample=Image.BICUBIC, fillcolor=int(look.gray_paper))
    arr = np.asarray(img).astype(np.float32)
    arr += rng.normal(0.0, look.noise, arr.shape)
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=look.jpeg)
    buf.seek(0)
    return Image.open(buf).convert("L")


def _render(pdf_path: Path, dpi: int) -> list[np.ndarray]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        out = []
        for page in pdf:
            arr = np.array(page.render(scale=dpi / 72.0, grayscale=True).to_numpy())
            out.append(arr[:, :, 0] if arr.ndim == 3 else arr)
        return out
    finally:
        pdf.close()


def scanned_pages(pdf_path: str | Path, look: ScanLook, seed: int = 0) -> list:
    """The PDF's pages as scanned images (PIL)."""
    return [scan_image(g, look, seed * 1000 + i) for i, g in enumerate(_render(Path(pdf_path), look.dpi))]


def rasterise(pdf_path: str | Path, out_path: str | Path, look: ScanLook, seed: int = 0) -> Path:
    """An image-only copy of ``pdf_path``: ``.pdf`` (JPEG pages), ``.tif`` (multi-page)
    or ``.png`` / ``.jpg`` (the first page only)."""
    out_path = Path(out_path)
    images = scanned_pages(pdf_path, look, seed)
    suffix = out_path.suffix.lower()
    if suffix == ".pdf":
        images[0].save(out_path, format="PDF", save_all=True, append_images=images[1:],
                       resolution=float(look.dpi), quality=look.jpeg)
    elif suffix in (".tif", ".tiff"):
        images[0].save(out_path, format="TIFF", save_all=True, append_images=images[1:],
                       dpi=(look.dpi, look.dpi), compression="jpeg", quality=look.jpeg)
    elif suffix in (".jpg", ".jpeg"):
        images[0].save(out_path, format="JPEG", quality=look.jpeg, dpi=(look.dpi, look.dpi))
    else:  # 16 gray levels, as scanners save small PNGs
        from PIL import ImageOps

        ImageOps.posterize(images[0], 4).save(out_path, format="PNG", dpi=(look.dpi, look.dpi),
                                              optimize=True)
    return out_path


def strip_unicode_maps(pdf_path: str | Path, out_path: str | Path) -> Path:
    """A copy of the PDF whose fonts lost their ToUnicode maps (text reads as (cid:n))."""
    import pikepdf

    with pikepdf.open(str(pdf_path)) as pdf:
        for page in pdf.pages:
            fonts = page.obj.get("/Resources", {}).get("/Font", {})
            for _, font in fonts.items():
                if "/ToUnicode" in font:
                    del font["/ToUnicode"]
                for desc in font.get("/DescendantFonts", []):
                    if "/ToUnicode" in desc:
                        del desc["/ToUnicode"]
        pdf.save(str(out_path))
    return Path(out_path)


def mixed(pdf_path: str | Path, out_path: str | Path, scanned: Sequence[int], look: ScanLook,
          seed: int = 0) -> Path:
    """A copy of the PDF whose pages ``scanned`` (1-based) are replaced by scanned images."""
    import pikepdf

    images = scanned_pages(pdf_path, look, seed)
    with pikepdf.open(str(pdf_path)) as pdf:
        for number in scanned:
            buf = io.BytesIO()
            images[number - 1].save(buf, format="PDF", resolution=float(look.dpi),
                                    quality=look.jpeg)
            with pikepdf.open(io.BytesIO(buf.getvalue())) as one:
                pdf.pages[number - 1] = one.pages[0]
        pdf.save(str(out_path))
    return Path(out_path)
