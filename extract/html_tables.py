"""HTML tables inside text/markdown exports (``<table><tr><td rowspan="11">…``), as some
PDF-to-markdown converters write them: rows -> a grid with ``rowspan``/``colspan``
resolved the way every reader does (a merged cell's text in its first grid position,
empty text in the positions it covers)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

TABLE = re.compile(r"<table\b.*?</table\s*>", re.I | re.S)


@dataclass
class _Cell:
    text: list[str] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1
    header: bool = False


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[_Cell]] = []
        self.head_rows = 0
        self._cell: _Cell | None = None
        self._in_head = False
        self._depth = 0  # nested tables are flattened into their cell

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self._depth += 1
        elif self._depth > 1:
            if tag in ("tr", "br", "p", "div") and self._cell is not None:
                self._cell.text.append("\n")
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self.rows.append([])
            if self._in_head:
                self.head_rows += 1
        elif tag in ("td", "th"):
            if not self.rows:
                self.rows.append([])
            self._cell = _Cell(rowspan=_span(a.get("rowspan")), colspan=_span(a.get("colspan")),
                               header=tag == "th")
            self.rows[-1].append(self._cell)
        elif tag in ("br", "p", "div", "li") and self._cell is not None:
            self._cell.text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._depth -= 1
        elif self._depth > 1:
            return
        elif tag == "thead":
            self._in_head = False
        elif tag in ("td", "th"):
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.text.append(data)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(str(value).strip()), 500))
    except (TypeError, ValueError):
        return 1


def _clean(parts: list[str]) -> str:
    lines = [re.sub(r"[ \t\u3000\xa0]+", " ", ln).strip() for ln in "".join(parts).split("\n")]
    return "\n".join(ln for ln in lines if ln)


def parse_html_table(source: str) -> tuple[list[list[str]], int]:
    """The grid of one HTML table (every row as wide as the widest) and how many leading
    rows are header rows (in ``<thead>``, or made of ``<th>`` cells)."""
    p = _Parser()
    p.feed(source)
    p.close()
    grid: list[list[str | None]] = []
    for r, row in enumerate(p.rows):
        while len(grid) <= r:
            grid.append([])
        c = 0
        for cell in row:
            while c < len(grid[r]) and grid[r][c] is not None:
                c += 1  # taken by a rowspan from above
            for dr in range(cell.rowspan):
                while len(grid) <= r + dr:
                    grid.append([])
                target = grid[r + dr]
                while len(target) < c + cell.colspan:
                    target.append(None)
                for dc in range(cell.colspan):
                    target[c + dc] = _clean(cell.text) if dr == 0 and dc == 0 else ""
            c += cell.colspan
    width = max((len(r) for r in grid), default=0)
    rows = [[v or "" for v in r] + [""] * (width - len(r)) for r in grid if any(v for v in r)]
    head = p.head_rows or next((i for i, row in enumerate(p.rows)
                                if not row or not all(c.header for c in row)), len(p.rows))
    return rows, head
