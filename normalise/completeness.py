"""Values a report should state and does not: a clause's weight, % or stated score, and
the closing lines that show the file reached its end."""
from __future__ import annotations

from typing import Any, Sequence

from certreport.extract.record import ScoreRow, Text
from certreport.normalise.checks import ClauseValues
from certreport.normalise.findings import WARNING, Finding
from certreport.normalise.unreadable import row_findings

# fields of a report's last lines: when none is found, the file may have been cut short
END_FIELDS = {"author": "报告编制人", "compiled_date": "编制日期"}
# a report with at least this many score rows is a whole one (every scheme has more
# clauses); a shorter excerpt need not end with its closing lines
WHOLE_REPORT_ROWS = 20


def missing_values(target: str, row: ScoreRow, weight: float | None, pct: float | None,
                   stated: float | None, not_applicable: bool, pct_column: bool,
                   unread: frozenset[str] = frozenset()) -> list[Finding]:
    """A ``missing_value`` warning when a row's weight, score % or stated score is empty or
    not a number (a 不涉及 row needs only its weight; ``unread`` cells, already reported
    as unreadable or as an OCR value not taken, are not reported again)."""
    missing = []
    if weight is None and "weight" not in unread:
        missing.append(("小类分值", row.weight))
    if not not_applicable:
        if pct_column and pct is None and stated is None and "pct" not in unread:
            missing.append(("分项得分%", row.pct))
        if stated is None and "score" not in unread:
            missing.append(("分项实际得分", row.score))
    if not missing:
        return []
    what = " and ".join(name for name, _ in missing)
    shown = "; ".join(f"{name} {cell.text.strip()!r}" for name, cell in missing
                      if cell is not None and cell.text.strip())
    return [Finding("missing_value", WARNING, target, shown or None, None,
                    f"{target}: no {what} read at {row.where.describe()}"
                    + (f" ({shown}: not a number)" if shown else ""), row.where)]


def value_findings(rows: Sequence[ScoreRow], items: Sequence[ClauseValues],
                   lost: Sequence[list[tuple[str, Text]]]) -> list[Finding]:
    """Per score row (in order, with the clause it was given): its unreadable cells
    (``unreadable_text``), then its empty or non-numeric values (``missing_value``)."""
    pct_column = any(r.pct is not None for r in rows)
    out: list[Finding] = []
    for row, it, cells in zip(rows, items, lost):
        out.extend(row_findings(it.target, cells))
        out.extend(missing_values(it.target, row, it.weight, it.pct, it.stated,
                                  it.not_applicable, pct_column, it.unread))
    return out


def check_report_end(fields: dict[str, Any], clauses: list[dict[str, Any]]) -> list[Finding]:
    """A ``missing_value`` warning when a whole report (:data:`WHOLE_REPORT_ROWS` score rows
    or more) states none of its closing fields (:data:`END_FIELDS`): the end of the file
    may be lost (a truncated download)."""
    if len(clauses) < WHOLE_REPORT_ROWS or any(fields.get(k) for k in END_FIELDS):
        return []
    names = " / ".join(END_FIELDS.values())
    return [Finding("missing_value", WARNING, "report_end", None, None,
                    f"no {names} found: the end of the report may be missing "
                    "(a file cut short?)", None)]
