"""The thresholds of the normalise stages, in one settings object (as pdfplumber's
``TableSettings``): a caller that needs other values passes ``replace(SETTINGS, …)``."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """Every tunable number of matching, parsing and checking."""

    # clause matching (rapidfuzz ratios, 0-100)
    text_match_min: float = 70.0    # below this a text-only match is not trusted
    text_agree_min: float = 45.0    # a code/number match whose text is this far off is reported
    title_match_min: float = 80.0   # a 标题 cell names a subsection when its title fits this well
    # how far a weight or a sum of weights may be from the catalogue's and still be equal
    points_tolerance: float = 1e-6
    # a % column read as coefficients: weight × value within this of the stated score
    coefficient_fit: float = 0.051
    # catalogue clauses missing from a report: one finding each up to this many, else one
    missing_clauses_listed: int = 12
    # values read by OCR (see certreport.normalise.ocr): a cell read with less confidence
    # than this is "low confidence"; a score % is plausible from 0 to 100 in these steps
    ocr_confidence_min: float = 0.9
    pct_step: float = 5.0
    # sums over clauses that could not be read are tried with each plausible value of
    # them (certreport.normalise.unread_sums); beyond this many combinations they are not
    # checked at all
    unread_fills_max: int = 500


SETTINGS = Settings()
