"""Score rows read by the catalogue rather than by the table's shape.

The table path (:mod:`certreport.extract.tables`) reads score tables it recognises by
their header words. Layouts it cannot follow — a page piece whose grid came out with an
extra column, a table run into the paragraph after it, a score table without a header
the vocabulary knows, rows set as lines of text — still show each clause as a row: a
cell (or the start of a line) holding a clause number of the catalogue, and beside it
the clause's weight, % and score. This module finds such rows in the blocks the table
path did not read, whatever their structure, in named stages:

``row_units`` (table rows and lines of text not read as score rows, each as its cells in
reading order — a line cut at white space — with their block index)
-> ``clause_cell`` (the cell that opens with a clause number the catalogue knows, or a
code beside text that fits the code's clause by similarity)
-> ``value_cells`` (the numbers and not-applicable words of the row, in reading order,
left of codes and subsection cells)
-> ``assign_values`` (which number is the weight, the %, the score: by what the numbers
do — the weight is the catalogue's weight of the clause, weight × % / 100 (or × a
coefficient) is the score — and, when that cannot decide, by the column order of the
document's recognised score tables)
-> ``merge_rows`` (the table path's rows first; a clause it missed is added where the
catalogue order puts it; a clause both read must agree, else a disagreement is noted).

Nothing here knows the format: it works on blocks (cells with their provenance), so
paged, Word, text and OCR'd sources are read alike.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Sequence

from rapidfuzz import fuzz

from certreport.extract.record import Block, Paragraph, ScoreRow, Table, Text
from certreport.schemas.folds import CLAUSE_NO, fold
from certreport.schemas.catalogue import load_schemes
from certreport.schemas.vocabulary import vocabulary

LAYOUT = "layout"  # ScoreRow.read_by of rows this module read

_NUMBER = re.compile(r"^\s*([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*(%|％|分)?\s*$")
_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")
_WHITE = re.compile(r"\s")
_CELLS = 16384  # distinct cell texts whose readings (number, code, clause) are kept


@dataclass(frozen=True)
class LayoutSettings:
    """Tuning of the catalogue-guided reader."""

    text_similarity: float = 80.0  # a code's row must carry text this similar to its clause
    tolerance: float = 0.051       # weight × % vs the stated score (one decimal, rounded)


@dataclass(frozen=True)
class CatalogueClause:
    number: str
    code: str | None
    weights: tuple[float, ...]  # the clause's weight in each scheme that has it
    text: str
    order: tuple[int, ...]


@dataclass(frozen=True)
class Unit:
    """A row of cells (a table row, or a line of text cut at wide gaps) in reading order."""

    cells: tuple[Text, ...]
    block: int


@dataclass(frozen=True)
class Reading:
    """What the layout path read, and what it noticed."""

    rows: tuple[ScoreRow, ...]
    added: tuple[str, ...]          # clause numbers added to the table path's rows
    disagreements: tuple[str, ...]  # clause: what the table path and the layout path read


@lru_cache(maxsize=1)
def catalogue() -> dict[str, CatalogueClause]:
    """Clause number -> the clause, over every scheme."""
    out: dict[str, CatalogueClause] = {}
    for scheme in load_schemes():
        for c in scheme.clauses:
            prev = out.get(c.number)
            weights = tuple(dict.fromkeys((prev.weights if prev else ()) + (c.weight,)))
            out[c.number] = CatalogueClause(c.number, c.code or (prev.code if prev else None),
                                            weights, c.text, _order(c.number))
    return out


@lru_cache(maxsize=1)
def _by_code() -> dict[str, CatalogueClause]:
    return {c.code: c for c in catalogue().values() if c.code}


def _order(number: str) -> tuple[int, ...]:
    return tuple(int(x) for x in number.split("."))


@lru_cache(maxsize=_CELLS)
def clause_number(text: str) -> str | None:
    """The clause number that opens ``text`` (``5.l.2.3`` read as 5.1.2.3), or None."""
    m = CLAUSE_NO.match(text)
    if not m:
        return None
    raw = _WHITE.sub("", m.group(0)).translate(_DIGITS).replace("。", ".")
    raw = raw.replace("I", "1").replace("l", "1").replace("O", "0")
    return raw


@lru_cache(maxsize=_CELLS)
def number_value(text: str) -> float | None:
    """A cell that is one number (``70``, ``70%``, ``1.5分``, full-width digits), or None."""
    m = _NUMBER.match(text.translate(_DIGITS))
    return float(m.group(1)) if m else None


@lru_cache(maxsize=_CELLS)
def code_value(text: str) -> str | None:
    """A cell that is one catalogue-style code (``A10``, ``Al0``, ``B-03``) as ``A10``."""
    m = _code_pattern().match(text.replace("l", "1").replace("O", "0"))
    return f"{m.group(1)}{int(m.group(2))}" if m else None


@lru_cache(maxsize=1)
def _code_pattern() -> re.Pattern[str]:
    """A code of the catalogues: one of their code letters, then a number."""
    letters = sorted({c.code[0] for c in catalogue().values() if c.code})
    return re.compile(r"^\s*([" + "".join(map(re.escape, letters)) + r"])\s*[-－]?\s*0?([0-9]{1,3})\s*$")


@lru_cache(maxsize=_CELLS)
def not_applicable(text: str) -> bool:
    """A not-applicable word of the vocabulary (不涉及, N/A, / …)."""
    return _WHITE.sub("", text) in vocabulary().not_applicable


# ---------------------------------------------------------------- stages


def row_units(blocks: Sequence[Block], skip: Iterable[int]) -> list[Unit]:
    """The rows of the tables not in ``skip`` (the table path's) and the lines of the
    paragraphs, each cut into cells (a line at white space)."""
    skip = set(skip)
    units: list[Unit] = []
    for i, block in enumerate(blocks):
        if i in skip:
            continue
        if isinstance(block, Table):
            for row in block.rows:
                cells = []
                for cell in row:
                    if cell.text.strip() and (not cells or cells[-1].text != cell.text):
                        cells.append(cell)
                if cells:
                    units.append(Unit(tuple(cells), i))
        elif isinstance(block, Paragraph):
            for line in block.text.split("\n"):
                parts = [q for p in line.split() for q in _split_glued(p)]
                if parts:
                    units.append(Unit(tuple(Text(p, block.where) for p in parts), i))
    return units


_GLUED = re.compile(r"^([0-9]+(?:\.[0-9]+)?%?)([\u4e00-\u9fff（(].*)$")


def _split_glued(token: str) -> list[str]:
    """A value run into the text after it on a line (``1源，包括…``: a score cell and the
    next line of the clause text laid out as one line) as the value and the text."""
    m = _GLUED.match(token)
    return [m.group(1), m.group(2)] if m else [token]


def clause_cell(unit: Unit, settings: LayoutSettings = LayoutSettings()
                ) -> tuple[int, CatalogueClause] | None:
    """The index of the cell that holds the clause (its number opens the cell; or a code
    cell whose row holds text that fits the code's clause) and the clause."""
    cat = catalogue()
    for k, cell in enumerate(unit.cells):
        number = clause_number(cell.text)
        if number and number in cat and len(cell.text.strip()) > len(number) + 1:
            return k, cat[number]
    for cell in unit.cells:
        code = code_value(cell.text)
        clause = _by_code().get(code) if code else None
        if clause is None:
            continue
        for k, other in enumerate(unit.cells):
            if other is not cell and len(other.text) >= 6 and fuzz.partial_ratio(
                    fold(other.text), fold(clause.text)) >= settings.text_similarity:
                return k, clause
    return None


def value_cells(unit: Unit, content: int) -> list[tuple[int, Text, float | None]]:
    """The row's numbers and not-applicable words other than the content cell, in reading
    order: (cell index, cell, number or None for not applicable)."""
    out = []
    for k, cell in enumerate(unit.cells):
        if k == content:
            continue
        t = cell.text.strip()
        value = number_value(t)
        if value is not None:
            out.append((k, cell, value))
        elif not_applicable(t):
            out.append((k, cell, None))
    return out


def _fits(weight: float, pct: float | None, score: float | None, tol: float) -> bool:
    if score is None:
        return False
    if pct is None:  # not applicable
        return abs(score) < tol
    return any(abs(weight * pct * f - score) <= tol for f in (0.01, 1.0))


def assign_values(values: Sequence[tuple[int, Text, float | None]], clause: CatalogueClause,
                  order: Sequence[str] | None,
                  settings: LayoutSettings = LayoutSettings()) -> dict[str, Text] | None:
    """Which values are weight, % and score. Every assignment of the row's values to the
    roles is scored: +2 the weight is the catalogue's, +2 weight × % gives the score, +1
    the roles stand in the order of the document's score tables; the best wins (None when
    no assignment puts the catalogue's weight anywhere)."""
    roles = ("weight", "pct", "score")
    best: tuple[int, dict[str, Text]] | None = None
    n = min(len(values), 3)
    for picked in itertools.permutations(range(len(values)), n):
        for names in itertools.permutations(roles, n):
            got = {name: values[i] for name, i in zip(names, picked)}
            if "weight" not in got or got["weight"][2] is None:
                continue
            w = got["weight"][2]
            if not any(abs(w - cw) < 1e-6 for cw in clause.weights):
                continue
            p = got.get("pct", (None, None, None))[2] if "pct" in got else None
            s = got.get("score", (None, None, None))[2] if "score" in got else None
            if "pct" in got and got["pct"][2] is None and "score" in got and s is None:
                continue
            points = 2
            if "pct" in got and "score" in got and _fits(w, p, s, settings.tolerance):
                points += 2
            if order:
                seq = [name for name in sorted(got, key=lambda r: got[r][0])]
                if seq == [r for r in order if r in got]:
                    points += 1
            points += len(got)  # read as much of the row as fits
            if best is None or points > best[0]:
                best = (points, {name: cell for name, (_, cell, _) in got.items()})
    return best[1] if best else None


def read_units(units: Sequence[Unit], order: Sequence[str] | None, part_of: dict[int, str | None],
               pct_header: str = "", settings: LayoutSettings = LayoutSettings()
               ) -> list[tuple[CatalogueClause, ScoreRow]]:
    """Score rows from the units: a row per clause found with its values; a unit after it
    holding text only continues its content."""
    out: list[tuple[CatalogueClause, ScoreRow]] = []
    last_block = None
    for n, unit in enumerate(units):
        found = clause_cell(unit, settings)
        if found is not None and not value_cells(unit, found[0]) and n + 1 < len(units) \
                and _only_values(units[n + 1]):
            # the clause's values laid out as the next line (the text wrapped round them)
            unit = Unit(unit.cells + units[n + 1].cells, unit.block)
        if found is None and _only_values(unit):
            found = _coded_values(units, n)
            if found is not None:  # a line of a code and values, the text round it
                unit = Unit((found[1],) + unit.cells, unit.block)
                found = (0, found[0])
        if found is None:
            if out and last_block == unit.block and not value_cells(unit, -1) and len(unit.cells) == 1:
                clause, row = out[-1]
                content = Text(row.content.text + "\n" + unit.cells[0].text, row.content.where)
                out[-1] = (clause, replace(row, content=content))
            else:
                last_block = None
            continue
        k, clause = found
        assigned = assign_values(value_cells(unit, k), clause, order, settings)
        if assigned is None:
            last_block = None
            continue
        code_cell = next((c for c in unit.cells if code_value(c.text)), None)
        content = unit.cells[k]
        out.append((clause, ScoreRow(
            part=part_of.get(unit.block), subsection=None, heading=None, content=content,
            weight=assigned.get("weight"), code=code_cell, pct=assigned.get("pct"),
            score=assigned.get("score"), pct_header=pct_header, where=content.where,
            read_by=LAYOUT)))
        last_block = unit.block
    return out


def _coded_values(units: Sequence[Unit], n: int, look_back: int = 16
                  ) -> tuple[CatalogueClause, Text] | None:
    """For a line of values with a code (``C2 3 0.70 2.1``, centred beside a clause text of
    many lines): the code's clause and its text from the line above that opens with the
    clause's number (else the bare number)."""
    code = next((code_value(c.text) for c in units[n].cells if code_value(c.text)), None)
    clause = _by_code().get(code) if code else None
    if clause is None:
        return None
    for unit in reversed(units[max(0, n - look_back):n]):
        first = unit.cells[0]
        if clause_number(first.text) == clause.number:
            return clause, Text(" ".join(c.text for c in unit.cells), first.where)
    return clause, Text(clause.number, units[n].cells[0].where)


def _only_values(unit: Unit) -> bool:
    """A line of values and a code only (``B23 1 1.00 1``)."""
    return len(unit.cells) >= 2 and all(
        number_value(c.text.strip()) is not None or not_applicable(c.text.strip()) or code_value(c.text)
        for c in unit.cells)


def _key(row: ScoreRow) -> str | None:
    return clause_number(row.content.text)


def _values(row: ScoreRow) -> tuple:
    def v(t: Text | None) -> float | str | None:
        if t is None:
            return None
        n = number_value(t.text.strip())
        return n if n is not None else ("NA" if not_applicable(t.text.strip()) else t.text.strip())
    return v(row.weight), v(row.pct), v(row.score)


def merge_rows(table_rows: Sequence[ScoreRow], layout: Sequence[tuple[CatalogueClause, ScoreRow]]
               ) -> Reading:
    """The table path's rows with the clauses only the layout path read put in catalogue
    order among them; a clause both read with other values is a disagreement."""
    have: dict[str, ScoreRow] = {}
    for r in table_rows:
        k = _key(r)
        if k:
            have.setdefault(k, r)
    added: list[tuple[CatalogueClause, ScoreRow]] = []
    disagreements = []
    seen: set[str] = set()
    for clause, row in layout:
        if clause.number in seen:
            continue
        seen.add(clause.number)
        mine = have.get(clause.number)
        if mine is None:
            added.append((clause, row))
        elif _values(mine) != _values(row) and all(x is not None for x in _values(row)):
            disagreements.append(
                f"{clause.code or clause.number}: the table gives weight/%/score "
                f"{'/'.join(str(x) for x in _values(mine))}, the page layout "
                f"{'/'.join(str(x) for x in _values(row))}")
    if not added:
        return Reading(tuple(table_rows), (), tuple(disagreements))
    rows: list[ScoreRow] = []
    pending = sorted(added, key=lambda cr: cr[0].order)
    for r in table_rows:
        k = _key(r)
        order = _order(k) if k else None
        while pending and order is not None and pending[0][0].order < order:
            rows.append(pending.pop(0)[1])
        rows.append(r)
    rows.extend(row for _, row in pending)
    return Reading(tuple(rows), tuple(c.number for c, _ in added), tuple(disagreements))


def fill_from_layout(blocks: Sequence[Block], read_blocks: Iterable[int],
                     table_rows: Sequence[ScoreRow], order: Sequence[str] | None,
                     part_of: dict[int, str | None], pct_header: str = "",
                     settings: LayoutSettings = LayoutSettings()) -> Reading:
    """The layout path over the blocks the table path did not read (``read_blocks``),
    merged with the table path's rows (see the module docstring)."""
    units = row_units(blocks, read_blocks)
    return merge_rows(table_rows, read_units(units, order, part_of, pct_header, settings))
