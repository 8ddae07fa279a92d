"""Image files (scans saved as .png, .jpg, .tif; a multi-page TIFF is a multi-page
report): every frame read by the OCR page stage (:mod:`certreport.extract.scan`) and laid
out like any other pages (:mod:`certreport.extract.page_blocks`). The resolution comes
from the file (its dpi) or, where it states none, from the page's width taken as A4.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from certreport.extract.ocr_engines import OcrUnavailable, engines_found
from certreport.extract.page_blocks import PageSettings, document_from_pages
from certreport.extract.pages import Page, PageInfo
from certreport.extract.record import Document
from certreport.extract.scan import read_page_image, to_gray
from certreport.extract.scan_settings import ScanSettings

SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
VERSION = "2"
MAX_PAGES = 150
A4_WIDTH_IN = 8.27
MAX_PIXELS = 120_000_000  # a 600-dpi A3 page is 35 Mpx; more is not a scanned report

_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


class ImageError(ValueError):
    """An image file that cannot be read: the message says why."""


@dataclass(frozen=True)
class ImageSettings:
    pages: PageSettings = field(default_factory=PageSettings)
    scan: ScanSettings = field(default_factory=ScanSettings)


def sniff(head: bytes) -> bool:
    """PNG, JPEG or TIFF by their magic bytes."""
    return head.startswith(_MAGIC)


def available() -> bool:
    """Whether an OCR engine is installed (images have no text without one)."""
    return any(engines_found().values())


def _dpi(img: "object", width_px: int) -> float:
    dpi = getattr(img, "info", {}).get("dpi")
    try:
        value = float(dpi[0]) if dpi else 0.0
    except (TypeError, ValueError, IndexError):
        value = 0.0
    if value < 50 or value > 1200:  # none stated (or 72 by a tool's default): assume A4
        guess = width_px / A4_WIDTH_IN
        value = guess if value < 50 or abs(value - 72) < 1 else value
    return value


def read_document(path: str | Path, settings: ImageSettings = ImageSettings()) -> Document:
    """OCR every frame of an image file into a Document (see the module docstring)."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    path = Path(path)
    try:
        img = Image.open(path)
    except (UnidentifiedImageError, Image.DecompressionBombError) as exc:
        raise ImageError(f"not a readable image: {exc}") from exc
    pages: list[Page] = []
    infos: list[PageInfo] = []
    problems: list[str] = []
    unreadable: list[int] = []
    n = 0
    with img:
        try:
            for n, frame in enumerate(ImageSequence.Iterator(img), start=1):
                if n > MAX_PAGES:
                    raise ImageError(f"more than {MAX_PAGES} frames: not a report")
                gray = to_gray(frame)
                try:
                    result = read_page_image(gray, n, _dpi(frame, gray.shape[1]), settings.scan)
                except OcrUnavailable as exc:
                    raise ImageError(f"an image needs OCR, which is not available: {exc}") from exc
                infos.append(result.info)
                if result.page is None:
                    unreadable.append(n)
                    problems.append(result.problem or f"page {n}: unreadable")
                else:
                    pages.append(result.page)
        except (OSError, SyntaxError) as exc:  # a truncated or damaged frame
            if n <= 1:
                raise ImageError(f"damaged or truncated image: {exc}") from exc
            problems.append(f"frames after {n - 1} cannot be read: {exc}")
    return document_from_pages(str(path), "image", pages, n, problems, unreadable,
                               settings.pages, tuple(infos))
