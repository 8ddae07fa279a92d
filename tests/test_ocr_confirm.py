"""OCR'd score rows: a value nothing confirms is a warning and feeds no error check; a
real arithmetic error of the report read by OCR is still an error.

The real report's record is made "OCR'd" (every page from OCR, every value read with
high confidence) and then one cell changed as an engine slips, or as a person errs.
"""
from __future__ import annotations

from dataclasses import replace

import pytest

from certreport import extract
from certreport.extract.pages import OCR, PageInfo
from certreport.extract.record import Record, Text
from certreport.normalise import normalise
from certreport.normalise.ocr import ocr_slip, plausible_pct, stacked
from conftest import REAL_REPORT

HIGH, LOW = 0.99, 0.6


@pytest.fixture(scope="module")
def text_record() -> Record:
    return extract.read(REAL_REPORT)


def _ocr(record: Record, conf: float = HIGH) -> Record:
    """The record as if every page were OCR'd, each value cell read with ``conf``."""
    def cell(t: Text | None) -> Text | None:
        return None if t is None else Text(t.text, replace(t.where, page=t.where.page or 1,
                                                           conf=conf))
    rows = tuple(replace(r, where=replace(r.where, page=r.where.page or 1),
                         **{k: cell(getattr(r, k)) for k in ("code", "weight", "pct", "score")})
                 for r in record.rows)
    pages = max([r.where.page for r in rows] + [record.pages or 1])
    return replace(record, rows=rows,
                   page_info=tuple(PageInfo(p, OCR, "ok", conf, "test") for p in
                                   range(1, pages + 1)))


def _set(record: Record, code: str, conf: float = HIGH, **cells: str) -> Record:
    """``record`` with the named cells of clause ``code``'s row read as given."""
    rows = []
    for r in record.rows:
        if r.code is not None and r.code.text.strip() == code:
            r = replace(r, **{k: Text(v, replace(getattr(r, k).where, conf=conf))
                              for k, v in cells.items()})
        rows.append(r)
    assert rows != list(record.rows), code
    return replace(record, rows=tuple(rows))


def _errors(result) -> list[tuple[str, str]]:
    return sorted((f.check, f.target) for f in result.findings if f.severity == "error")


def _warned(result, check: str = "ocr_value") -> list[str]:
    return [f.target for f in result.findings if f.check == check and f.severity == "warning"]


def _clause(result, code: str) -> dict:
    return next(c for c in result.clauses if c["code"] == code)


@pytest.fixture(scope="module")
def ocr_record(text_record) -> Record:
    return _ocr(text_record)


def test_an_ocrd_clean_report_has_no_error_and_no_ocr_warning(ocr_record):
    result = normalise(ocr_record)
    assert _errors(result) == [] and _warned(result) == []
    assert all(c["source"] == OCR for c in result.clauses)


# ------------------------------------------------------------------ OCR slips: warnings

SLIPS = {  # A4: weight 1, 100 %, score 1 ; A44: weight 1, 70 %, score 0.7 -> values taken
    "two rows in one band": ("A44", HIGH, {"weight": "1\n1", "pct": "70\n0", "score": "0.7\n0"},
                             (None, None, None)),
    "% over 100": ("A44", HIGH, {"pct": "700"}, (1, None, 0.7)),
    "weight off the catalogue, its row confirms the catalogue's": (
        "A44", HIGH, {"weight": "11"}, (1, 70, 0.7)),
    "weight and % off": ("A44", HIGH, {"weight": "11", "pct": "700"}, (None, None, 0.7)),
    "% a word, score a number, low confidence": ("A4", LOW, {"pct": "不涉及"}, (1, None, None)),
    "score a word, % a number, low confidence": ("A4", LOW, {"score": "不涉及"}, (1, None, None)),
    "score with a doubled digit, low confidence": ("A4", LOW, {"score": "11"}, (1, 100, None)),
    "score with a lost digit, low confidence": ("A44", LOW, {"score": "07"}, (1, 70, None)),
    "% with a look-alike digit, low confidence": ("A44", LOW, {"pct": "10"}, (1, None, 0.7)),
    "not-applicable mark read as 1, low confidence": ("B25", LOW, {"pct": "1"}, (1, None, 0)),
}


@pytest.mark.parametrize("name", sorted(SLIPS))
def test_an_ocr_slip_is_a_warning_not_an_error(ocr_record, name):
    code, conf, cells, values = SLIPS[name]
    result = normalise(_set(ocr_record, code, conf, **cells))
    assert _errors(result) == [], name
    assert code in _warned(result), name
    row = _clause(result, code)
    assert (row["weight"], row["score_pct"], row["stated_score"]) == values, name
    warning = next(f for f in result.findings if f.check == "ocr_value" and f.target == code)
    assert "page" in warning.message


def test_a_part_over_an_unread_row_cannot_be_checked(ocr_record):
    """Two rows read as one band: A44's values unread, part A and the total not errors but
    warnings saying why."""
    result = normalise(_set(ocr_record, "A44", HIGH, weight="1\n1", pct="70\n0",
                            score="0.7\n0"))
    unchecked = {(f.check, f.target) for f in result.findings
                 if f.severity == "warning" and "cannot be checked: clause A44" in f.message}
    assert ("section_score", "A") in unchecked and ("total", "total") in unchecked


def test_a_lost_weight_confirmed_by_its_row_is_the_catalogues(ocr_record):
    result = normalise(_set(ocr_record, "A44", HIGH, weight=""))
    assert _errors(result) == [] and _clause(result, "A44")["weight"] == 1
    assert any("catalogue's 1 taken" in f.message for f in result.findings)


def test_a_lost_weight_and_score_leave_the_sums_unchecked(ocr_record):
    """A lone ``1`` lost with its row's score: no error over the hole, warnings saying so."""
    result = normalise(_set(ocr_record, "A44", HIGH, weight="", score=""))
    assert _errors(result) == [] and "A44" in _warned(result)
    assert not [f for f in result.findings if f.check == "missing_value" and f.target == "A44"]
    assert any(f.check == "section_score" and "cannot be checked: clause A44" in f.message
               for f in result.findings)


def test_a_lost_clause_of_an_ocrd_report_leaves_its_sums_unchecked(ocr_record):
    rows = tuple(r for r in ocr_record.rows if not (r.code and r.code.text.strip() == "A44"))
    result = normalise(replace(ocr_record, rows=rows))
    assert _errors(result) == []
    assert any(f.check == "section_score" and "cannot be checked: clause A44" in f.message
               for f in result.findings)


# ------------------------------------------------------------------ real errors: still errors

ERRORS = {  # what a person gets wrong, printed and read confidently
    "A44 score 0.7 -> 0.8": ("A44", HIGH, {"score": "0.8"}, [("item_score", "A44")]),
    "A4 score 1 -> 11 read confidently": ("A4", HIGH, {"score": "11"}, [("item_score", "A4")]),
    "A44 score 0.7 -> 0.5, low confidence but no slip": ("A44", LOW, {"score": "0.5"},
                                                         [("item_score", "A44")]),
    "B25 not applicable scored 1": ("B25", HIGH, {"score": "1"}, [("item_score", "B25")]),
}


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_a_real_error_on_an_ocrd_report_is_still_an_error(ocr_record, name):
    code, conf, cells, expected = ERRORS[name]
    assert _errors(normalise(_set(ocr_record, code, conf, **cells))) == expected


def test_a_part_error_beyond_an_unread_clause_is_still_an_error(ocr_record):
    """Part A's stated score off by 10 cannot be explained by A44 (weight 1) being unread."""
    rec = _set(ocr_record, "A44", HIGH, pct="700")
    part = next(p for p in rec.parts if p.stated_score is not None and "售后" in p.title.text)
    stated = float(part.stated_score.text)
    bumped = replace(part, stated_score=Text(f"{stated - 10:g}", part.stated_score.where))
    rec = replace(rec, parts=tuple(bumped if p is part else p for p in rec.parts))
    result = normalise(rec)
    assert ("section_score", "A") in _errors(result)
    assert "A44" in _warned(result)


def test_a_part_error_is_found_though_its_percentages_were_lost(ocr_record):
    """Every % of part A lost (a column the engine merged into the codes): the stated item
    scores still add up, so an error in the part's stated score is still an error."""
    rows = tuple(replace(r, pct=None) if r.code and r.code.text.strip().startswith("A") else r
                 for r in ocr_record.rows)
    rec = replace(ocr_record, rows=rows)
    assert _errors(normalise(rec)) == []
    part = next(p for p in rec.parts if p.stated_score is not None and "售后" in p.title.text)
    bumped = replace(part, stated_score=Text(f"{float(part.stated_score.text) + 1:g}",
                                             part.stated_score.where))
    rec = replace(rec, parts=tuple(bumped if p is part else p for p in rec.parts))
    assert ("section_score", "A") in _errors(normalise(rec))


def test_a_continuation_line_read_as_a_row_is_a_warning(ocr_record):
    first = ocr_record.rows[5]
    stray = replace(first, content=Text("应组织的战略规划与发展方向。", first.content.where),
                    code=Text("I", replace(first.where, conf=LOW)), weight=None, pct=None,
                    score=None)
    rows = ocr_record.rows[:6] + (stray,) + ocr_record.rows[6:]
    result = normalise(replace(ocr_record, rows=rows))
    assert _errors(result) == []
    assert any("OCR'd row without values" in f.message for f in result.findings)


def test_text_layer_rows_are_not_confirmed_by_ocr_rules(text_record):
    """The same slips in a text-layer report are what the report states: errors."""
    rec = _set(text_record, "A44", HIGH, pct="700")
    result = normalise(replace(rec, page_info=()))
    assert ("item_score", "A44") in _errors(result) and _warned(result) == []


# ------------------------------------------------------------------ the pieces


def test_slips_and_plausible_percentages():
    assert ocr_slip("11", 1.0, 1) and ocr_slip("07", 0.7, 1) and ocr_slip("0.77", 0.7, 2)
    assert ocr_slip("3", 8.0, 0) and not ocr_slip("0.8", 0.7, 1) and not ocr_slip("2", 1.0, 1)
    assert not ocr_slip("0.7", 0.7, 1) and not ocr_slip("11", 10.0, 0)
    assert plausible_pct(70) and plausible_pct(0) and plausible_pct(85)
    assert not plausible_pct(700) and not plausible_pct(7) and not plausible_pct(-5)
    assert stacked(Text("1\n1")) and not stacked(Text("1")) and not stacked(Text("不涉及\n0"))


def test_a_level_error_is_found_however_many_values_were_lost(ocr_record):
    """Too many unread values to try every reading: the level, checked against the stated
    total, does not depend on them and stays an error; the total becomes a warning."""
    lost = {"A1", "A2", "A3", "A4", "A5", "A6"}
    rows = tuple(replace(r, pct=None, score=None) if r.code and r.code.text.strip() in lost
                 else r for r in ocr_record.rows)
    level = ocr_record.levels[0]
    wrong = replace(level, value=Text(level.value.text.replace("十星级", "九星级"),
                                      level.value.where))
    assert wrong != level
    rec = replace(ocr_record, rows=rows, levels=(wrong,) + ocr_record.levels[1:])
    result = normalise(rec)
    assert ("level", "total") in _errors(result)
    assert ("total", "total") not in _errors(result)


def test_a_lone_mark_in_a_column_written_with_decimals_is_no_percentage():
    """``1`` read confidently beside a 0 where the column writes ``1.00``: a 不涉及 mark."""
    from certreport.extract.record import ScoreRow, Where
    from certreport.normalise.ocr import confirm_row
    from certreport.schemas.catalogue import load_schemes

    clause = next(c for c in load_schemes()[0].clauses if c.code == "A16")
    cell = lambda t: Text(t, Where(page=5, conf=HIGH))  # noqa: E731
    row = ScoreRow("售后服务体系", None, None, Text("x"), cell(f"{clause.weight:g}"),
                   cell("A16"), cell("1"), cell("0"), where=Where(page=5))
    got = confirm_row("A16", row, clause, clause.weight, 100.0, 0.0, False, 1, pct_decimals=2)
    assert got.pct is None and "pct" in got.unread and got.findings[0].check == "ocr_value"
    kept = confirm_row("A16", row, clause, clause.weight, 100.0, 0.0, False, 1)
    assert kept.pct == 100.0  # a % column of whole numbers: an error of the report


def test_an_ocrd_row_whose_text_was_lost_is_a_warning(ocr_record):
    rows = tuple(replace(r, content=Text("", r.content.where), code=None)
                 if r.code and r.code.text.strip() == "B22" else r for r in ocr_record.rows)
    result = normalise(replace(ocr_record, rows=rows))
    assert not [f for f in result.findings if f.check == "clause_match" and f.severity == "error"]
    assert any(f.message.startswith("an OCR'd row") for f in result.findings)
