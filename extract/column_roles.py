"""Score-table columns known by what their numbers do, not only by their header words.

Other bodies use other words for every header. When a score table is recognised but a
column of numbers got no role from its header (``达成度`` for the %, say),
:func:`complete_roles` gives it the role its values play: the % when weight × value / 100
(or × value, a coefficient) is the row's score, the score when weight × % / 100 is the
value, the weight when the values are the catalogue's weights of the rows' clauses, the
code when the cells read as codes. A column of values that still plays no role is named
in the result, so the report can be ``partial`` rather than ``ok`` with a column unread.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from certreport.extract.catalogue_rows import (catalogue, clause_number, code_value,
                                               not_applicable, number_value)
from certreport.extract.record import Table, Text
from certreport.extract.tables import ColumnMap

MIN_FILLED = 0.6  # share of body rows a column of values fills
MIN_FITS = 0.8    # share of the rows with the figures needed where the role's rule holds
TOL = 0.051


def _values(rows: Sequence[Sequence[Text]], col: int) -> list[float | None | str]:
    out: list[float | None | str] = []
    for row in rows:
        t = row[col].text.strip() if col < len(row) else ""
        n = number_value(t)
        out.append(n if n is not None else (None if not_applicable(t) else t))
    return out


def _fits(pairs: list[bool]) -> bool:
    return bool(pairs) and sum(pairs) / len(pairs) >= MIN_FITS


def complete_roles(table: Table, cmap: ColumnMap) -> tuple[ColumnMap, list[str]]:
    """The column map with roles for unlabelled columns of values, and the headers of
    value columns still unread."""
    if cmap.kind != "score":
        return cmap, []
    body = [r for r in table.rows[cmap.header_rows:] if any(c.text.strip() for c in r)]
    if not body:
        return cmap, []
    roles = dict(cmap.roles)
    headers = dict(cmap.headers)
    width = max(len(r) for r in table.rows)
    taken = set(roles.values())
    unread: list[str] = []
    cols = {role: _values(body, c) for role, c in roles.items() if role in ("weight", "pct", "score")}
    for col in range(width):
        if col in taken:
            continue
        vals = _values(body, col)
        texts = [row[col].text.strip() if col < len(row) else "" for row in body]
        filled = [v for v, t in zip(vals, texts) if t]
        if not filled or len(filled) / len(body) < MIN_FILLED:
            continue
        head = "".join(r[col].text for r in table.rows[:cmap.header_rows]).strip()
        if "code" not in roles and sum(bool(code_value(t)) for t in texts if t) / len(filled) >= MIN_FITS:
            roles["code"], headers["code"] = col, head
            continue
        numeric = [v for v in filled if not isinstance(v, str)]
        if len(numeric) / len(filled) < MIN_FITS:
            continue  # a text column: content, remarks
        role = _role_by_values(vals, cols, body, roles)
        if role is None:
            unread.append(head or f"column {col + 1}")
            continue
        roles[role], headers[role] = col, head
        cols[role] = vals
    if roles == dict(cmap.roles):
        return cmap, unread
    return replace(cmap, roles=roles, headers=headers), unread


def _role_by_values(vals: list, cols: dict[str, list], body: Sequence[Sequence[Text]],
                    roles: dict[str, int]) -> str | None:
    w, p, s = cols.get("weight"), cols.get("pct"), cols.get("score")

    def num(x: object) -> bool:
        return isinstance(x, float)

    if "pct" not in roles and w and s:
        checks = [any(abs(a * v * f - b) <= TOL for f in (0.01, 1.0)) if num(v) else
                  (v is None and num(b) and abs(b) <= TOL)
                  for a, v, b in zip(w, vals, s) if num(a) and num(b)]
        if _fits(checks):
            return "pct"
    if "score" not in roles and w and p:
        checks = [any(abs(a * q * f - v) <= TOL for f in (0.01, 1.0)) if num(q) else abs(v) <= TOL
                  for a, q, v in zip(w, p, vals) if num(a) and num(v) and (num(q) or q is None)]
        if _fits(checks):
            return "score"
    if "weight" not in roles and "content" in roles:
        cat = catalogue()
        checks = []
        for row, v in zip(body, vals):
            content = row[roles["content"]].text if roles["content"] < len(row) else ""
            number = clause_number(content)
            if number in cat and num(v):
                checks.append(any(abs(v - cw) < 1e-6 for cw in cat[number].weights))
        if _fits(checks):
            return "weight"
    return None
