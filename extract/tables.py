"""Score and team tables, in named stages, whatever the format:

``split_caption_rows`` (a merged caption row above the header, a part heading say)
-> ``classify_header`` (header words -> column roles, via the vocabulary's synonyms)
-> ``body_rows`` (drop header rows, also where they repeat, keep cells by role)
-> ``logical_rows`` (join continuation rows across rows and page pieces, carry the
merged 序号/标题 forward).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Iterable, Mapping, Sequence

from certreport.schemas.memo import per_object
from certreport.extract.record import ScoreRow, SubsectionHeading, Table, TeamRow, Text, Where
from certreport.schemas.folds import CLAUSE_NO, fold

VALUE_ROLES = ("weight", "code", "pct", "score")

@dataclass(frozen=True)
class TableSettings:
    """Tuning of table reconstruction."""

    max_header_rows: int = 2  # header words may be split over this many rows
    min_roles: int = 2        # a header must name at least this many roles
    # ... and more than this share of its filled cells: a label | value row (联系人姓名 |
    # 惠淑萍 | 联系电话 | 181…) names two team roles but is no team table's header
    min_role_share: float = 0.5


@dataclass(frozen=True)
class ColumnMap:
    """Which grid column holds which role, and the header words seen."""

    kind: str  # "score" | "team"
    roles: Mapping[str, int]
    headers: Mapping[str, str] = field(default_factory=dict)
    header_rows: int = 1


def assign_roles(headers: Sequence[str], synonyms: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Give each role the column whose header fits it best (exact > longest contained)."""
    return dict(_role_matcher(synonyms)(tuple(fold(h) for h in headers)))


@per_object
def _role_matcher(synonyms: Mapping[str, Sequence[str]]
                  ) -> Callable[[tuple[str, ...]], tuple[tuple[str, int], ...]]:
    """:func:`assign_roles` for one synonyms table: its words folded once, and the roles
    of each distinct row of folded headers kept (page pieces repeat their headers)."""
    words = tuple((role, fold(w)) for role, ws in synonyms.items() for w in ws)

    @lru_cache(maxsize=4096)
    def match(folded: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
        candidates = []
        for col, h in enumerate(folded):
            if not h:
                continue
            for role, fw in words:
                if h == fw:
                    candidates.append((100 + len(fw), col, role))
                elif fw in h:
                    candidates.append((len(fw), col, role))
        roles: dict[str, int] = {}
        taken: set[int] = set()
        for _, col, role in sorted(candidates, key=lambda c: (-c[0], c[1])):
            if role in roles or col in taken:
                continue
            roles[role] = col
            taken.add(col)
        return tuple(roles.items())

    return match


def classify_header(table: Table, score_syn: Mapping[str, Sequence[str]],
                    team_syn: Mapping[str, Sequence[str]], score_required: Iterable[str],
                    score_one_of: Iterable[str], team_required: Iterable[str],
                    settings: TableSettings = TableSettings()) -> ColumnMap | None:
    """Recognise a score or team table from its leading rows; None if neither."""
    score_required, score_one_of, team_required = (tuple(score_required), tuple(score_one_of),
                                                   tuple(team_required))
    for n in range(1, min(settings.max_header_rows, len(table.rows)) + 1):
        width = len(table.rows[0])
        headers = []
        for col in range(width):
            parts = []
            for r in table.rows[:n]:
                t = r[col].text if col < len(r) else ""
                if t and (not parts or parts[-1] != t):
                    parts.append(t)
            headers.append("".join(parts))
        filled = sum(1 for h in headers if fold(h))

        def enough(roles: Mapping[str, int]) -> bool:
            return (len(roles) >= settings.min_roles
                    and len(roles) > settings.min_role_share * filled)

        score = assign_roles(headers, score_syn)
        if (enough(score) and all(r in score for r in score_required)
                and any(r in score for r in score_one_of)):
            return ColumnMap("score", score, {r: headers[c] for r, c in score.items()}, n)
        team = assign_roles(headers, team_syn)
        if enough(team) and all(r in team for r in team_required):
            return ColumnMap("team", team, {r: headers[c] for r, c in team.items()}, n)
    return None


def split_caption_rows(table: Table, is_table: Callable[[Table], bool],
                       settings: TableSettings = TableSettings()) -> tuple[list[Text], Table]:
    """Leading caption rows (one merged cell across the table: every filled cell holds the
    same text) and the table below them, when that table is one ``is_table`` recognises;
    else no captions and the table unchanged."""
    captions: list[Text] = []
    for n in range(1, settings.max_header_rows + 1):
        if n >= len(table.rows):
            break
        row = table.rows[n - 1]
        texts = {c.text.strip() for c in row if c.text.strip()}
        if len(texts) != 1 or len(row) < 2:
            break
        captions.append(next(c for c in row if c.text.strip()))
        rest = replace(table, rows=table.rows[n:], header_rows=max(0, table.header_rows - n))
        if is_table(rest):
            return captions, rest
    return [], table


def split_at_header(table: Table, is_table: Callable[[Table], bool],
                    settings: TableSettings = TableSettings()) -> list[Table]:
    """A table that is no score or team table from its top but has such a header row
    further down (a label | value table and a team table drawn touching, read as one
    grid) as the rows above that header and the table from it; else the table alone."""
    if len(table.rows) < 3 or is_table(table):
        return [table]
    for r in range(1, len(table.rows) - 1):
        rest = replace(table, rows=table.rows[r:], header_rows=0)
        if any(c.text.strip() for c in table.rows[r]) and is_table(rest):
            return [replace(table, rows=table.rows[:r]), rest]
    return [table]


def body_rows(table: Table, cmap: ColumnMap, has_header: bool) -> list[dict[str, Text]]:
    """The table's rows below its header, as role -> cell (empty cells left out)."""
    rows = table.rows[cmap.header_rows:] if has_header else table.rows
    roles = tuple(cmap.roles.items())
    heads = _folded_headers(cmap)
    out = []
    for row in rows:
        cells = {role: row[col] for role, col in roles
                 if col < len(row) and row[col].text.strip()}
        if len(cells) >= 2 and all(fold(t.text) in heads[role] for role, t in cells.items()):
            continue  # the header again (see repeats_header)
        out.append(cells)
    return out


def _folded_headers(cmap: ColumnMap) -> dict[str, str]:
    return {role: fold(cmap.headers.get(role, "")) for role in cmap.roles}


def repeats_header(row: Sequence[Text], cmap: ColumnMap) -> bool:
    """A header row again (a converter that ran page pieces together): at least two of its
    role cells filled, each with (part of) its column's header words."""
    heads = _folded_headers(cmap)
    filled = [(role, fold(row[col].text)) for role, col in cmap.roles.items()
              if col < len(row) and row[col].text.strip()]
    return len(filled) >= 2 and all(t in heads[role] for role, t in filled)


def team_rows(rows: Iterable[Mapping[str, Text]]) -> list[TeamRow]:
    """Team members; empty rows dropped."""
    return [TeamRow(tuple(sorted(r.items()))) for r in rows if any(t.text.strip() for t in r.values())]


def _join(a: Text | None, b: Text) -> Text:
    if a is None or not a.text:
        return b
    return Text(a.text + "\n" + b.text, a.where)


@dataclass
class _Open:
    part: str | None
    subsection: Text | None
    heading: Text | None
    cells: dict[str, Text]
    where: Where
    pct_header: str


class ScoreRowBuilder:
    """Join physical score-table rows (from any number of page pieces) into logical rows.

    A row starts a new clause when its content begins with a clause number, or when one
    of its value cells (weight, code, %, score) is already filled on the open row;
    otherwise it continues the open row (text appended, empty value cells filled).
    序号/标题 cells set the subsection in force for the rows that follow them and are
    kept as :class:`SubsectionHeading` so that their stated points can be checked.
    """

    def __init__(self) -> None:
        self.rows: list[ScoreRow] = []
        self.headings: list[SubsectionHeading] = []
        self._open: _Open | None = None
        self._subsection: Text | None = None
        self._heading: Text | None = None

    def new_part(self) -> None:
        """A part heading was passed: nothing continues across it."""
        self._close()
        self._subsection = self._heading = None

    def add(self, cells: Mapping[str, Text], part: str | None, pct_header: str) -> None:
        number, heading = cells.get("number"), cells.get("heading")
        content = cells.get("content")
        if number or heading:
            # a merged cell repeated by the reader on every row is the same heading
            same = (self._subsection and number and number.text == self._subsection.text
                    and (not heading or (self._heading and heading.text == self._heading.text)))
            if not same:
                self.headings.append(SubsectionHeading(part, number, heading))
            self._subsection, self._heading = number or None, heading or None
        values = {r: cells[r] for r in VALUE_ROLES if r in cells}
        if content is None and not values:
            return
        starts = bool(content and CLAUSE_NO.match(content.text))
        op = self._open
        continues = (op is not None and op.part == part and not starts
                     and not any(r in op.cells for r in values))
        if (op is not None and op.part == part and not starts and values and not continues
                and _cut_values(op.cells, values)):
            for r, cell in values.items():  # 不适 | 用: a value the page edge cut in two
                op.cells[r] = _join(op.cells.get(r), cell) if r not in op.cells else Text(
                    op.cells[r].text + cell.text, op.cells[r].where)
            if content is not None:
                op.cells["content"] = _join(op.cells.get("content"), content)
            return
        if continues:
            assert op is not None
            if content is not None:
                op.cells["content"] = _join(op.cells.get("content"), content)
            op.cells.update(values)
            return
        self._close()
        first = content or next(iter(values.values()))
        self._open = _Open(part, self._subsection, self._heading, dict(values), first.where,
                           pct_header)
        if content is not None:
            self._open.cells["content"] = content

    def _close(self) -> None:
        op = self._open
        if op is None:
            return
        c = op.cells
        row = ScoreRow(
            part=op.part, subsection=op.subsection, heading=op.heading,
            content=c.get("content", Text("", op.where)), weight=c.get("weight"),
            code=c.get("code"), pct=c.get("pct"), score=c.get("score"),
            pct_header=op.pct_header, where=op.where)
        self._open = None
        if self.rows and _repeated_over_page_break(self.rows[-1], row):
            if len(row.content.text) > len(self.rows[-1].content.text):
                self.rows[-1] = row  # the first copy was cut by the page edge
            return
        self.rows.append(row)

    def finish(self) -> tuple[list[ScoreRow], list[SubsectionHeading]]:
        self._close()
        return self.rows, self.headings


def _repeated_over_page_break(prev: ScoreRow, row: ScoreRow) -> bool:
    """The same row again at the top of the next page (wkhtmltopdf prints a row that the
    page edge cuts on both pages, the second copy with all its text or only the lines
    below the edge): the same values, the text of one found in the other, another page."""
    def values(r: ScoreRow) -> tuple:
        return tuple(t.text.strip() if t is not None else None
                     for t in (r.weight, r.code, r.pct, r.score))

    if (prev.where.page is None or row.where.page is None or prev.where.page == row.where.page
            or values(prev) != values(row) or all(v is None for v in values(row))):
        return False
    a, b = (_WHITE.sub("", r.content.text) for r in (prev, row))
    number = CLAUSE_NO.match(b)
    return ((number is not None or min(len(a), len(b)) >= 8)
            and (a.startswith(b) or b.startswith(a) or (len(b) >= 8 and b in a)))


_WHITE = re.compile(r"\s+")
_VALUE = re.compile(r"^\s*[0-9０-９]+(?:[.．][0-9０-９]+)?\s*[%％分]?\s*$")
_CODE_VALUE = re.compile(r"^[A-Za-z][-－]?[0-9lIO]{1,3}$")


def _cut_values(open_cells: Mapping[str, Text], values: Mapping[str, Text]) -> bool:
    """The open row's value cells that this row fills again hold no complete value (a
    number, a not-applicable word) and do once this row's text is added: the row is the
    rest of a row the page edge cut."""
    from certreport.schemas.vocabulary import vocabulary

    na = vocabulary().not_applicable

    def complete(role: str, t: str) -> bool:
        t = _WHITE.sub("", t)
        if role == "code":
            return bool(_CODE_VALUE.match(t))
        return bool(_VALUE.match(t)) or t in na

    shared = [r for r in values if r in open_cells]
    return bool(shared) and all(
        not complete(r, open_cells[r].text) and complete(r, open_cells[r].text + values[r].text)
        for r in shared)
