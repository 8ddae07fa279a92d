"""Catalogue-guided confirmation of score rows read by OCR (pure).

OCR slips in codes and numbers (``Al0`` → A10, ``I`` → 1, ``O`` → 0) are already folded
where codes and numbers are parsed (:func:`~certreport.normalise.match.read_code`,
:func:`~certreport.normalise.values.parse_number`). Here each value of a row from an OCR'd
page is confirmed by the scheme's catalogue or by the row's own arithmetic (weight × % =
stated score at the report's precision), and a value that neither confirms is *not
taken*: it becomes null with an ``ocr_value`` warning naming the clause and page, and it
feeds no error check (the item's score is not checked; a part, subsection or total over it
is checked only as far as the unread value cannot explain a difference, see
:mod:`certreport.normalise.unread_sums`). Never a silent guess, never a false error.

The rules, in order:

* a value cell holding numbers on several lines (``1`` over ``1``: two rows read as one
  band) gives no value: the row's weight, % and score are all unread;
* a % cell read as a not-applicable word (不涉及 / 不适用 / —) while the score cell holds a
  number other than 0, or the other way round, with either read with low confidence: the
  % and score are unread (a word read as digits or digits as a word; read confidently it
  is what the report states — a 不涉及 clause scored — and the ``item_score`` error stands);
* a % cell of one mark read as a digit beside a stated score of 0, with low confidence or
  in a column written with decimals (``1.00``, ``0.90``), is unread (a not-applicable mark,
  / or —, read as ``1``);
* the weight: the catalogue's when the read one matches it; the catalogue's in place of a
  lost or misread one when the row's % and stated score confirm it (said in a warning);
  the read one when the row's own arithmetic confirms it (the report's weight differs from
  the catalogue: a ``catalogue_weight`` warning follows); else unread;
* the %: kept when plausible (0–100 in steps of :attr:`Settings.pct_step`) or confirmed by
  weight × % = score; else unread;
* the stated score, when weight and % are confirmed and weight × % differs from it: **this
  is a real error of the report** (an ``item_score`` error follows) unless the difference
  is an OCR-typical slip — the stated score (or the %) is the value that would agree with
  one digit or the decimal point lost, added or doubled, or one digit swapped for a
  look-alike (3/8, 1/7, 0/8 …) — *and* that cell was read with low confidence (below
  :attr:`Settings.ocr_confidence_min`); only then is the slipped cell unread. Both
  conditions are needed: an arithmetic error in the report is printed ink, which OCR reads
  with high confidence whatever its digits, while a slip that leaves the engine confident
  is not told from an error and stays one;
* a row no catalogue clause confirms keeps only the values read with high confidence;
* a row that fits no clause (a clause text's continuation line taken for a row by a stray
  mark, a clause text lost) is a warning, not a ``clause_match`` error
  (:func:`ocr_match_findings`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from certreport.extract.record import ScoreRow, Text
from certreport.normalise.checks import computed_item
from certreport.normalise.findings import ERROR, WARNING, Finding
from certreport.normalise.settings import SETTINGS, Settings
from certreport.normalise.values import compact, is_not_applicable, parse_number, round_half_up
from certreport.schemas.catalogue import Clause
from certreport.schemas.folds import format_number

CHECK = "ocr_value"
WEIGHT, PCT, SCORE = "weight", "pct", "score"  # the value cells of a score row
CELL_NAMES = {WEIGHT: "weight", PCT: "%", SCORE: "stated score"}
# digits an engine takes for one another
LOOK_ALIKE = {frozenset(p) for p in ("38", "17", "08", "56", "68", "06", "09", "35")}
_NUMBER_CHARS = re.compile(r"[^0-9.]")


def row_confidence(row: ScoreRow) -> float | None:
    """The lowest OCR confidence of the row's value cells (None when not OCR'd)."""
    confs = [c.where.conf for c in (row.code, row.weight, row.pct, row.score)
             if c is not None and c.where.conf is not None]
    return min(confs) if confs else None


@dataclass(frozen=True)
class Confirmed:
    """The values to use for an OCR'd row, the cells not taken (:data:`WEIGHT`,
    :data:`PCT`, :data:`SCORE`) and the warnings."""

    weight: float | None
    pct: float | None
    stated: float | None
    not_applicable: bool
    unread: frozenset[str] = frozenset()
    findings: tuple[Finding, ...] = ()


def _agrees(weight: float | None, pct: float | None, stated: float | None, na: bool,
            places: int) -> bool:
    if weight is None:
        return False
    computed = computed_item(weight, pct, na)
    return computed is not None and stated is not None and \
        round_half_up(computed, places) == round_half_up(stated, places)


def stacked(cell: Text | None) -> bool:
    """True when a cell holds numbers on two or more lines (two rows read as one band)."""
    if cell is None:
        return False
    return sum(parse_number(line) is not None for line in cell.text.splitlines()) > 1


def plausible_pct(pct: float, settings: Settings = SETTINGS) -> bool:
    """A score % a report writes: 0 to 100 in steps of ``settings.pct_step``."""
    step = settings.pct_step
    return -1e-9 <= pct <= 100 + 1e-9 and abs(pct / step - round(pct / step)) < 1e-6


def _digits(text: str) -> str:
    t = _NUMBER_CHARS.sub("", text)
    return t.rstrip("0").rstrip(".") if "." in t else t


def ocr_slip(read: str, expected: float, places: int) -> bool:
    """True when ``read`` is ``expected`` (written at ``places`` decimals or fewer) with one
    character lost, added or doubled, or one digit swapped for a look-alike: the slips of
    an OCR engine, not of a person adding up."""
    a = _digits(read)
    for p in range(places, -1, -1):
        b = _digits(f"{round_half_up(expected, p):.{p}f}")
        if a == b:
            return False
        if _one_apart(a, b):
            return True
    return False


def _one_apart(a: str, b: str) -> bool:
    if len(a) == len(b):
        diff = [(x, y) for x, y in zip(a, b) if x != y]
        return len(diff) == 1 and frozenset(diff[0]) in LOOK_ALIKE
    if abs(len(a) - len(b)) != 1:
        return False
    long, short = (a, b) if len(a) > len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _low(cell: Text | None, settings: Settings) -> bool:
    conf = cell.where.conf if cell is not None else None
    return conf is not None and conf < settings.ocr_confidence_min


def confirm_row(target: str, row: ScoreRow, clause: Clause | None, weight: float | None,
                pct: float | None, stated: float | None, not_applicable: bool,
                places: int, settings: Settings = SETTINGS, pct_decimals: int = 0) -> Confirmed:
    """The values to use for an OCR'd row and the warnings it raises (the rules of the
    module docstring). ``weight``, ``pct`` and ``stated`` are the parsed cells;
    ``pct_decimals`` the decimals most cells of the % column are written with."""
    where = row.where
    page = f" (page {where.page})" if where.page is not None else ""
    found: list[Finding] = []

    def warn(msg: str, stated_v: object = None, computed_v: object = None) -> None:
        found.append(Finding(CHECK, WARNING, target, stated_v, computed_v,
                             f"{target}{page}: {msg}", where))

    def shown(cell: Text | None) -> str:
        return " / ".join(cell.text.split()) if cell is not None else ""

    cells = {WEIGHT: row.weight, PCT: row.pct, SCORE: row.score}
    many = [name for name, cell in cells.items() if stacked(cell)]
    if many:
        what = "; ".join(f"{CELL_NAMES[n]} {shown(cells[n])}" for n in many)
        warn(f"OCR read several lines in one cell ({what}): two rows read as one, "
             "the row's values not taken")
        return Confirmed(None, None, None, False, frozenset((WEIGHT, PCT, SCORE)),
                         tuple(found))

    if clause is None and weight is None and pct is None and stated is None and \
            not not_applicable:  # no clause, no value: not a score row (ocr_match_findings)
        return Confirmed(None, None, None, False)

    unread: set[str] = set()
    # a not-applicable word on one side and a number on the other: one of them is misread
    pct_word = row.pct is not None and is_not_applicable(row.pct.text)
    score_word = row.score is not None and is_not_applicable(row.score.text)
    if (pct_word and stated is not None and abs(stated) > 1e-9
            and (_low(row.pct, settings) or _low(row.score, settings))) or \
            (score_word and pct is not None and abs(pct) > 1e-9
             and (_low(row.pct, settings) or _low(row.score, settings))):
        warn(f"OCR read a not-applicable word beside a number (% {shown(row.pct)!r}, "
             f"score {shown(row.score)!r}): the % and score not taken")
        keep = clause is not None and weight is not None and abs(weight - clause.weight) <= 1e-6
        return Confirmed(weight if keep else None, None, None, False,
                         frozenset({PCT, SCORE} | (set() if keep else {WEIGHT})), tuple(found))

    # a not-applicable mark (/ or —) read as a lone digit beside a 0, with low confidence
    # or in a column that writes its values with decimals (1.00, 0.90)
    if not not_applicable and pct is not None and row.pct is not None and \
            len(compact(row.pct.text)) == 1 and \
            (_low(row.pct, settings) or pct_decimals > 0) and \
            stated is not None and abs(stated) < 1e-9 and abs(pct) > 1e-9:
        warn(f"OCR % {shown(row.pct)!r} (confidence {row.pct.where.conf:.2f}) is one mark "
             "beside a score of 0, as a not-applicable mark (/ or —) is misread: not taken",
             pct, None)
        pct, unread = None, unread | {PCT}

    cat = clause.weight if clause is not None else None
    pct_ok = not_applicable or (pct is not None and plausible_pct(pct, settings))
    # the weight
    if cat is not None and (weight is None or abs(weight - cat) > 1e-6) and \
            _agrees(cat, pct, stated, not_applicable, places):
        read = "not read" if weight is None else f"read as {format_number(weight)}"
        warn(f"OCR weight {read}; the catalogue's {format_number(cat)} taken, confirmed by "
             "its % and stated score", weight, cat)
        weight = cat
    elif weight is not None and (cat is None or abs(weight - cat) > 1e-6) and \
            not (pct_ok and _agrees(weight, pct, stated, not_applicable, places)):
        if cat is not None or _low(row.weight, settings):
            why = (f"is not the catalogue's {format_number(cat)}" if cat is not None
                   else "has no catalogue clause to confirm it and was read with low confidence")
            warn(f"OCR weight {format_number(weight)} {why}, and its % and score do not "
                 "confirm it: not taken", weight, cat)
            weight, unread = None, unread | {WEIGHT}
    weight_ok = weight is not None and (
        (cat is not None and abs(weight - cat) <= 1e-6)
        or _agrees(weight, pct, stated, not_applicable, places))
    # the %
    if not not_applicable and pct is not None and not plausible_pct(pct, settings) and \
            not _agrees(weight, pct, stated, not_applicable, places):
        warn(f"OCR % {shown(row.pct)!r} is not a plausible score % (0–100 in steps of "
             f"{format_number(settings.pct_step)}) and the row's score does not confirm it: "
             "not taken", pct, None)
        pct, unread = None, unread | {PCT}
    # the stated score against weight × %
    if weight_ok and stated is not None and not _agrees(weight, pct, stated, not_applicable,
                                                        places):
        computed = computed_item(weight, pct, not_applicable)
        if computed is not None and row.score is not None and \
                _low(row.score, settings) and ocr_slip(row.score.text, computed, places):
            warn(f"OCR stated score {shown(row.score)!r} (confidence "
                 f"{row.score.where.conf:.2f}) is weight × % = {format_number(computed)} "
                 "with a digit slipped: not taken", stated, computed)
            stated, unread = None, unread | {SCORE}
        elif not not_applicable and pct is not None and row.pct is not None and weight and \
                _low(row.pct, settings):
            fits = round(stated * 100.0 / weight, 6)
            if plausible_pct(fits, settings) and ocr_slip(row.pct.text, fits, 0):
                warn(f"OCR % {shown(row.pct)!r} (confidence {row.pct.where.conf:.2f}) is "
                     f"the stated score's {format_number(fits)}% with a digit slipped: "
                     "not taken", pct, fits)
                pct, unread = None, unread | {PCT}
    # no catalogue clause and no arithmetic: only what the engine read confidently
    if cat is None and not _agrees(weight, pct, stated, not_applicable, places):
        for name, value in ((PCT, pct), (SCORE, stated)):
            if value is not None and _low(cells[name], settings):
                warn(f"OCR {CELL_NAMES[name]} {shown(cells[name])!r} read with low "
                     "confidence and confirmed by nothing: not taken")
                unread.add(name)
        pct = None if PCT in unread else pct
        stated = None if SCORE in unread else stated
    missing = [n for n, v in ((WEIGHT, weight), (PCT, pct), (SCORE, stated))
               if v is None and n not in unread and not (not_applicable and n != WEIGHT)]
    if missing:  # lost by the engine: unread like the rest (the sums over it say so)
        warn(f"OCR could not read the {', '.join(CELL_NAMES[n] for n in missing)}: the row's "
             "values are not confirmed")
        unread.update(missing)
    elif cat is None and not unread:
        warn("no catalogue clause to confirm the OCR values by")
    return Confirmed(weight, pct, stated, not_applicable, frozenset(unread), tuple(found))


def ocr_match_findings(row: ScoreRow, findings: tuple[Finding, ...]) -> tuple[Finding, ...]:
    """The matching findings of an OCR'd row: a row that fits no clause, or whose code and
    number disagree, is a warning, not a ``clause_match`` error — on a scan the clause
    text, number and code are what the engine read (a continuation line taken for a row,
    a clause text lost); the clause counts as not read, and the report's coverage says so."""
    empty = not any(c is not None and c.text.strip() for c in (row.weight, row.pct, row.score))
    what = "an OCR'd row without values" if empty else "an OCR'd row"
    return tuple(Finding(CHECK, WARNING, f.target, f.stated, f.computed,
                         f"{what}: {f.message}", f.where)
                 if f.check == "clause_match" and f.severity == ERROR else f
                 for f in findings)
