"""The settings of the OCR stages, apart from the stages (which load numpy and the OCR
engine): a reader that only may need OCR holds its settings without loading either.
:class:`OcrSettings` for the engine (:mod:`certreport.extract.ocr_engines`),
:class:`ImageSettings` for the image measurements (:mod:`certreport.extract.scan_image`),
:class:`ScanSettings` for the page stage (:mod:`certreport.extract.scan`)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field

DEFAULT_ENGINE = "rapidocr"


@dataclass(frozen=True)
class OcrSettings:
    """How pages are read by OCR (the measured defaults: :mod:`certreport.extract.ocr_engines`)."""

    engine: str = ""        # "" -> CERTREPORT_OCR_ENGINE or rapidocr
    dpi: int = 150          # rendering resolution of PDF pages sent to OCR
    det_side: int = 960     # RapidOCR: longer side of the detection image (px)
    box_thresh: float = 0.3  # RapidOCR: detection box score (0.5 by default loses lone 1s)
    text_score: float = 0.5  # RapidOCR: recognised text below this confidence is dropped
    threads: int = 0        # engine threads per process; 0 -> CERTREPORT_OCR_THREADS or all

    def engine_name(self) -> str:
        return self.engine or os.environ.get("CERTREPORT_OCR_ENGINE", "") or DEFAULT_ENGINE

    def thread_count(self) -> int:
        if self.threads > 0:
            return self.threads
        try:
            given = int(os.environ.get("CERTREPORT_OCR_THREADS", "0"))
        except ValueError:
            given = 0
        return given if given > 0 else (os.cpu_count() or 1)


@dataclass(frozen=True)
class ImageSettings:
    """Tuning of the image stages (lengths in inches so they hold at any dpi)."""

    ink: int = 160                 # a pixel darker than this is ink
    max_skew: float = 1.5          # degrees searched either way
    skew_step: float = 0.05        # degrees
    min_rule_h: float = 0.4        # a horizontal rule is at least this long (in): 3 CJK
    min_rule_v: float = 0.12       # a vertical rule (in), which must also end on rules
    min_lone_rule_v: float = 0.25  # ... and cross one, or be this long (a character's
                                   # strokes fill a tight one-line row)
    rule_gap: int = 1              # gaps (px) this short inside a rule are bridged
    rule_join: float = 0.1         # runs on neighbouring pixel rows overlapping this long
                                   # (in) are one rule (a rule drifting across rows)
    rule_touch: float = 0.035      # a vertical rule ends this close to a horizontal (in)
    rule_company: float = 0.35     # a rule has ink just above or below on at most this share
    max_rule_thickness: float = 0.04  # thicker dark bands are not rules (in)
    box_min: float = 0.06          # a check box's side (in): about 4–12 pt
    box_max: float = 0.17
    box_square: float = 0.2        # |w - h| / side at most
    box_outline: float = 0.8       # share of the square's border that is ink
    box_empty: float = 0.03        # ink share inside at most this: empty
    box_checked: float = 0.09      # at least this: ticked or filled; between: unsure


@dataclass(frozen=True)
class ScanSettings:
    ocr: OcrSettings = field(default_factory=OcrSettings)
    image: ImageSettings = field(default_factory=ImageSettings)
    min_dpi: float = 90.0        # coarser images are not read (CJK strokes merge)
    min_words: int = 3           # fewer recognised words: nothing readable on the page
    min_confidence: float = 0.6  # a lower mean confidence: not text (a photograph …)
    size_ratio: float = 1.35     # OCR line box height / font size
    cell_inset: float = 0.02     # empty-cell re-read: margin kept clear of the rules (in)
    cell_min_ink: int = 12       # ... and the ink pixels that make a cell worth reading
