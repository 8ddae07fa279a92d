"""Team rows from the known column words where no team table was recognised.

A converter or a web page may set the audit team as lines of text: a line of header words
(姓名  组内身份  注册证书号 …, cut at gaps of two or more spaces or tabs) and under it one
line per member with as many pieces. :func:`team_from_lines` finds such a header with the
vocabulary's team column words (:func:`certreport.extract.tables.assign_roles`) and reads
the lines below it until one that does not have the header's number of pieces.
"""
from __future__ import annotations

import re
from typing import Sequence

from certreport.extract.record import Block, Paragraph, TeamRow, Text
from certreport.extract.tables import assign_roles, fold
from certreport.schemas.vocabulary import vocabulary

_GAP = re.compile(r"\s{2,}|\t|\u3000+")


def _pieces(line: str) -> list[str]:
    return [p for p in _GAP.split(line.strip()) if p]


def team_from_lines(blocks: Sequence[Block], min_roles: int = 3) -> list[TeamRow]:
    """The team rows of the first header line of team words in the paragraphs."""
    voc = vocabulary()
    lines: list[tuple[str, Paragraph]] = [(ln, b) for b in blocks if isinstance(b, Paragraph)
                                          for ln in b.text.split("\n") if ln.strip()]
    for i, (line, _) in enumerate(lines):
        heads = _pieces(line)
        if len(heads) < min_roles:
            continue
        roles = assign_roles(heads, voc.team_columns)
        if len(roles) < min_roles or len(roles) * 2 <= len(heads) or not all(
                r in roles for r in voc.team_required):
            continue
        if not all(any(fold(w) in fold(h) for ws in voc.team_columns.values() for w in ws)
                   for h in heads):
            continue
        out = []
        for row_line, block in lines[i + 1:]:
            cells = _pieces(row_line)
            if len(cells) != len(heads):
                break
            out.append(TeamRow(tuple(sorted((role, Text(cells[col], block.where))
                                            for role, col in roles.items()))))
        if out:
            return out
    return []
