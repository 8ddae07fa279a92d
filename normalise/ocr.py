"""Catalogue-guided confirmation of score rows read by OCR (pure).

OCR slips in codes and numbers (``Al0`` → A10, ``I`` → 1, ``O`` → 0) are already folded
where codes and numbers are parsed (:func:`~certreport.normalise.match.read_code`,
:func:`~certreport.normalise.values.parse_number`). Here a row from an OCR'd page is
confirmed: its weight by the scheme's catalogue, and weight × % = stated score at the
report's precision. A weight the engine lost or misread is replaced by the catalogue's
only where the row's own % and stated score confirm it, and then said in a warning; a
row that cannot be confirmed gets a warning naming the clause and page. Never a silent
guess.
"""
from __future__ import annotations

from dataclasses import dataclass

from certreport.extract.record import ScoreRow
from certreport.normalise.checks import computed_item
from certreport.normalise.findings import WARNING, Finding
from certreport.normalise.values import round_half_up
from certreport.schemas.catalogue import Clause
from certreport.schemas.folds import format_number

CHECK = "ocr_value"


def row_confidence(row: ScoreRow) -> float | None:
    """The lowest OCR confidence of the row's value cells (None when not OCR'd)."""
    confs = [c.where.conf for c in (row.code, row.weight, row.pct, row.score)
             if c is not None and c.where.conf is not None]
    return min(confs) if confs else None


@dataclass(frozen=True)
class Confirmed:
    weight: float | None
    findings: tuple[Finding, ...] = ()


def _agrees(weight: float, pct: float | None, stated: float | None, na: bool,
            places: int) -> bool:
    computed = computed_item(weight, pct, na)
    return computed is not None and stated is not None and \
        round_half_up(computed, places) == round_half_up(stated, places)


def confirm_row(target: str, row: ScoreRow, clause: Clause | None, weight: float | None,
                pct: float | None, stated: float | None, not_applicable: bool,
                places: int) -> Confirmed:
    """The weight to use for an OCR'd row and the warnings it raises (see the module
    docstring). ``weight``, ``pct`` and ``stated`` are the parsed cells."""
    where = row.where
    page = f" (page {where.page})" if where.page is not None else ""
    f = lambda msg, stated_v=None, computed_v=None: Finding(  # noqa: E731
        CHECK, WARNING, target, stated_v, computed_v, f"{target}{page}: {msg}", where)
    cat = clause.weight if clause is not None else None
    if cat is not None and (weight is None or abs(weight - cat) > 1e-6) and \
            _agrees(cat, pct, stated, not_applicable, places):
        read = "not read" if weight is None else f"read as {format_number(weight)}"
        return Confirmed(cat, (f(f"OCR weight {read}; the catalogue's {format_number(cat)} "
                                 f"taken, confirmed by its % and stated score", weight, cat),))
    missing = [name for name, v in (("weight", weight), ("%", pct), ("score", stated))
               if v is None and not (not_applicable and name == "%")]
    if missing:
        return Confirmed(weight, (f(f"OCR could not read the {', '.join(missing)}: the row's "
                                    "values are not confirmed"),))
    if cat is None:
        return Confirmed(weight, (f("no catalogue clause to confirm the OCR values by"),))
    if abs(weight - cat) > 1e-6:  # type: ignore[operator]
        return Confirmed(weight, (f(f"OCR weight {format_number(weight)} is not the "
                                    f"catalogue's {format_number(cat)} and its % and score do "
                                    "not confirm either", weight, cat),))
    if not _agrees(weight, pct, stated, not_applicable, places):  # type: ignore[arg-type]
        return Confirmed(weight, (f("weight × % differs from the stated score: the OCR "
                                    "values are not confirmed (see the item_score finding)",
                                    stated, computed_item(weight, pct, not_applicable)),))
    return Confirmed(weight)
