"""The 特别项 part and the figures of a final score, read from a report's lines.

Format-agnostic like :mod:`certreport.extract.assemble` (whose lines it reads: paragraphs
and the rows of tables that are neither score nor team tables, a row's cells joined by
spaces); every phrasing is data in ``schemas/vocabulary.yaml`` (``special_items``,
``score_figures``). Values stay raw text with their provenance; normalise parses them.
"""
from __future__ import annotations

import re
from typing import Protocol, Sequence

from certreport.extract.patterns import prefilter
from certreport.extract.record import Block, ScoreFigures, SpecialItems, Table, Text, Where
from certreport.extract.tables import fold
from certreport.schemas.vocabulary import ScoringPhrases


class _Line(Protocol):
    text: str
    where: Where


def _group(m: re.Match[str], name: str, where: Where) -> Text | None:
    value = m.groupdict().get(name)
    return Text(value.strip(), where) if value and value.strip() else None


def read_special_table(blocks: Sequence[Block], phrases: ScoringPhrases
                       ) -> dict[str, tuple[Text | None, Text | None, Text | None]]:
    """kind -> (count, points, reasons) from the first table whose header names a count
    and a points column and whose rows open with a deduction / addition label."""
    cols = {role: {fold(w) for w in words} for role, words in phrases.table_columns.items()}
    labels = {kind: tuple(fold(w) for w in words) for kind, words in phrases.table_rows.items()}
    for block in blocks:
        if not isinstance(block, Table) or len(block.rows) < 2:
            continue
        roles: dict[str, int] = {}
        for c, cell in enumerate(block.rows[0]):
            role = next((r for r, words in cols.items() if fold(cell.text) in words), None)
            if role and role not in roles:
                roles[role] = c
        if "count" not in roles or "points" not in roles:
            continue
        found: dict[str, tuple[Text | None, Text | None, Text | None]] = {}
        for row in block.rows[1:]:
            label = fold(row[roles.get("kind", 0)].text) if row else ""
            kind = next((k for k, ws in labels.items() if any(label.startswith(w) for w in ws)),
                        None)
            if kind is None or kind in found:
                continue

            def cell(role: str) -> Text | None:
                c = roles.get(role)
                return row[c] if c is not None and c < len(row) and row[c].text.strip() else None
            found[kind] = (cell("count"), cell("points"), cell("reasons") or _rest(row, roles))
        if found:
            return found
    return {}


def _rest(row: Sequence[Text], roles: dict[str, int]) -> Text | None:
    """The reasons where their column is empty: the text of the cells no other column
    claims (a table ruled by rows only may put a cell's text beside its header)."""
    taken = {c for r, c in roles.items() if r != "reasons"}
    rest = [t for c, t in enumerate(row) if c not in taken and t.text.strip()]
    if not rest:
        return None
    return Text(" ".join(t.text.strip() for t in rest), rest[0].where)


def read_special_items(lines: Sequence[_Line], phrases: ScoringPhrases,
                       blocks: Sequence[Block] = ()) -> SpecialItems | None:
    """Counts, points and reasons of the special deductions and additions: from a table of
    special items (:func:`read_special_table`), else the first line stating each kind
    (sentence, or a table row read as a line), or that a kind is absent
    (``无特别扣分项``); None when the report says nothing of special items."""
    found = read_special_table(blocks, phrases)
    none = {"deduction": False, "addition": False}
    where = next((t.where for kind in found.values() for t in kind if t is not None), None)
    quick = prefilter(phrases.deduction + phrases.addition + phrases.none_deduction
                      + phrases.none_addition + phrases.none_both)
    for line in lines:
        if quick is not None and quick.search(line.text) is None:
            continue  # no phrasing of special items on the line
        for kind, patterns in (("deduction", phrases.deduction), ("addition", phrases.addition)):
            if kind in found:
                continue
            for rx in patterns:
                m = rx.search(line.text)
                if m:
                    found[kind] = (_group(m, "n", line.where), _group(m, "v", line.where),
                                   _group(m, "why", line.where))
                    where = where or line.where
                    break
        for kind, patterns in (("deduction", phrases.none_deduction),
                               ("addition", phrases.none_addition)):
            if not none[kind] and any(rx.search(line.text) for rx in patterns):
                none[kind] = True
                where = where or line.where
        if any(rx.search(line.text) for rx in phrases.none_both):
            none = {"deduction": True, "addition": True}
            where = where or line.where
    if not found and not any(none.values()):
        return None
    ded = found.get("deduction", (None, None, None))
    add = found.get("addition", (None, None, None))
    reasons = tuple(t for t in (ded[2], add[2]) if t is not None)
    return SpecialItems(deduction_count=ded[0], deduction_points=ded[1],
                        deduction_none=none["deduction"] and "deduction" not in found,
                        addition_count=add[0], addition_points=add[1],
                        addition_none=none["addition"] and "addition" not in found,
                        reasons=reasons, where=where or Where())


def read_score_figures(lines: Sequence[_Line], phrases: ScoringPhrases) -> ScoreFigures:
    """The raw sum of the parts, the applicable points and the normalised score (with the
    operands of its formula) where the report states them: the first of each."""
    raw = applicable = normalised = f_raw = f_max = None
    quick = prefilter(phrases.raw_total + phrases.applicable_max + phrases.normalised)
    for line in lines:
        if quick is not None and quick.search(line.text) is None:
            continue
        if raw is None:
            raw = _first(line, phrases.raw_total)
        if applicable is None:
            applicable = _first(line, phrases.applicable_max)
        if normalised is None:
            for rx in phrases.normalised:
                m = rx.search(line.text)
                if m:
                    normalised = _group(m, "v", line.where)
                    f_raw, f_max = _group(m, "raw", line.where), _group(m, "max", line.where)
                    break
    return ScoreFigures(raw, applicable, normalised, f_raw, f_max)


def _first(line: _Line, patterns: Sequence[re.Pattern[str]]) -> Text | None:
    for rx in patterns:
        m = rx.search(line.text)
        if m:
            return _group(m, "v", line.where)
    return None


def figure_spans(text: str, phrases: ScoringPhrases) -> str:
    """``text`` with the score figures blanked out, so that a total pattern does not take
    ``涉及项总分 95`` or a formula's operand for the stated total."""
    quick = prefilter(phrases.raw_total + phrases.applicable_max + phrases.normalised)
    if quick is not None and quick.search(text) is None:
        return text  # nothing to blank (a blanked figure cannot make another)
    for rx in phrases.raw_total + phrases.applicable_max + phrases.normalised:
        text = rx.sub(lambda m: " " * len(m.group(0)), text)
    return text
