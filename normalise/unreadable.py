"""Unreadable text never becomes a value.

A glyph without a Unicode map (``(cid:15)``), a replacement character (U+FFFD) or a
private-use character left over after the readers mapped every known check-box glyph is
noise: a cell or field holding any is unreadable. Such a value is dropped (null) with a
``unreadable_text`` warning naming where it stood, so ``(cid:15)(cid:10)%`` is never read
as 15%. This runs on the intermediate record, so it holds for every reader; pages that
are unreadable as a whole are the readers' concern (OCR or ``image_only_pages``).
"""
from __future__ import annotations

import re
from dataclasses import replace

from certreport.extract.record import (PartHeading, Record, ScoreRow, SubsectionHeading,
                                       TeamRow, Text)
from certreport.normalise.findings import WARNING, Finding

NOISE = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff]")
# score-row cells that hold values (the clause text is kept, its noise cut out)
VALUE_CELLS = {"weight": "weight (小类分值)", "pct": "score % (分项得分%)",
               "score": "stated score (分项实际得分)", "code": "code (代码)",
               "subsection": "序号", "heading": "标题"}


def is_unreadable(text: str | None) -> bool:
    """True when ``text`` holds unmapped glyphs, U+FFFD or private-use characters."""
    return bool(text) and NOISE.search(text) is not None


def _shown(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _finding(target: str, what: str, text: Text) -> Finding:
    return Finding("unreadable_text", WARNING, target, _shown(text.text), None,
                   f"{what} is unreadable ({_shown(text.text)}) at {text.where.describe()}: "
                   "left empty", text.where)


def readable_row(row: ScoreRow) -> tuple[ScoreRow, list[tuple[str, Text]]]:
    """The row with unreadable value cells set to None and noise cut from its clause
    text, and the (cell description, original cell) pairs that were unreadable."""
    lost: list[tuple[str, Text]] = []
    changes: dict[str, object] = {}
    for name, what in VALUE_CELLS.items():
        cell = getattr(row, name)
        if cell is not None and is_unreadable(cell.text):
            lost.append((what, cell))
            changes[name] = None
    if is_unreadable(row.content.text):
        lost.append(("clause text (检查内容)", row.content))
        changes["content"] = Text(NOISE.sub("", row.content.text), row.content.where)
    return (replace(row, **changes) if changes else row), lost  # type: ignore[arg-type]


def readable_rows(record: Record) -> tuple[Record, tuple[list[tuple[str, Text]], ...]]:
    """The record with every score row made readable (:func:`readable_row`), and each
    row's unreadable cells, in row order (findings follow once rows have their clause)."""
    pairs = [readable_row(r) for r in record.rows]
    if not any(lost for _, lost in pairs):
        return record, tuple([] for _ in pairs)
    return replace(record, rows=tuple(r for r, _ in pairs)), tuple(lost for _, lost in pairs)


def unread_cells(lost: list[tuple[str, Text]]) -> frozenset[str]:
    """The value cells (``weight`` / ``pct`` / ``score``, as :class:`ScoreRow` names them)
    among a row's unreadable cells (:func:`readable_row`)."""
    lost_what = {what for what, _ in lost}
    return frozenset(name for name in ("weight", "pct", "score")
                     if VALUE_CELLS[name] in lost_what)


def row_findings(target: str, lost: list[tuple[str, Text]]) -> list[Finding]:
    """Findings for a score row's unreadable cells, named by the row's clause."""
    return [_finding(target, f"{target}: the {what} cell", cell) for what, cell in lost]


def readable_record(record: Record) -> tuple[Record, list[Finding]]:
    """The record without unreadable values (fields, part figures, the stated total,
    levels, team cells, subsection headings, the body name), and a finding for each
    dropped. Score rows are left to :func:`readable_row`, which knows their clause."""
    found: list[Finding] = []

    fields = []
    for f in record.fields:
        if is_unreadable(f.value.text):
            found.append(_finding(f.name, f"{f.name} ({f.label})", f.value))
        else:
            fields.append(f)
    levels = []
    for lv in record.levels:
        if is_unreadable(lv.value.text):
            found.append(_finding("level", f"the level stated in {lv.name}", lv.value))
        else:
            levels.append(lv)

    def figure(text: Text | None, target: str, what: str) -> Text | None:
        if text is not None and is_unreadable(text.text):
            found.append(_finding(target, what, text))
            return None
        return text

    parts = tuple(PartHeading(p.title,
                              figure(p.stated_max, _shown(p.title.text, 20),
                                     f"the maximum of part {_shown(p.title.text, 20)}"),
                              figure(p.stated_score, _shown(p.title.text, 20),
                                     f"the score of part {_shown(p.title.text, 20)}"))
                  for p in record.parts)
    total = figure(record.stated_total, "total", "the stated total")
    figures = replace(record.figures, **{
        name: figure(getattr(record.figures, name), "total", f"the stated {label}")
        for name, label in (("raw_total", "raw total (实际得分合计)"),
                            ("applicable_max", "applicable points (涉及项总分值)"),
                            ("normalised", "normalised score (评分)"),
                            ("formula_raw", "raw total of the 评分 formula"),
                            ("formula_max", "applicable points of the 评分 formula"))})
    special = record.special
    if special is not None:
        special = replace(special, **{
            name: figure(getattr(special, name), "special", f"the special items' {label}")
            for name, label in (("deduction_count", "deduction count"),
                                ("deduction_points", "deduction points"),
                                ("addition_count", "addition count"),
                                ("addition_points", "addition points"))})
    body = figure(record.cert_body, "cert_body", "the certification body")
    subsections = tuple(SubsectionHeading(h.part, figure(h.number, "subsection", "a 序号 cell"),
                                          figure(h.heading, "subsection", "a 标题 cell"))
                        for h in record.subsections)
    team = []
    for i, t in enumerate(record.team, start=1):
        cells = []
        for key, cell in t.cells:
            if is_unreadable(cell.text):
                found.append(_finding("team", f"team member {i}: {key}", cell))
            else:
                cells.append((key, cell))
        team.append(TeamRow(tuple(cells)))
    if not found:
        return record, []
    return replace(record, fields=tuple(fields), levels=tuple(levels), parts=parts,
                   stated_total=total, cert_body=body, subsections=subsections,
                   team=tuple(team), figures=figures, special=special), found

