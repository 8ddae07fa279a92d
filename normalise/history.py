"""One organisation's audits over time: a pure function over its reports and clauses.

:func:`audit_history` orders an organisation's reports by audit date (initial audit,
surveillance, re-certification …) with the total and level of each, and finds the clauses
that lost points in more than one audit. A clause loses points when it is applicable and
its computed score is below its weight (a clause without a code is known by its number).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

AUDIT_COLUMNS = ("report_id", "source_path", "audit_start", "audit_end", "audit_type",
                 "project_no", "cert_body", "org_name", "stated_total", "computed_total",
                 "stated_level", "computed_level")
CLAUSE_COLUMNS = ("report_id", "section", "clause_no", "code", "weight", "computed_score",
                  "not_applicable")
EPSILON = 1e-6


@dataclass(frozen=True)
class History:
    """An organisation's audits in date order and the clauses it lost points on again.

    ``audits``: one row per report (:data:`AUDIT_COLUMNS`, plus ``total`` and ``level``: as
    stated, else as recomputed; ``lost``: clauses that lost points; ``lost_again``: those of
    them lost in more than one audit; both lists joined with ", ").
    ``repeated``: one row per clause lost in more than one audit: ``clause`` (code, else
    number), ``clause_no``, ``section``, ``times`` (audits), ``points_lost`` (in all),
    ``audits`` (their first days, joined with ", "), most often lost first.
    ``organisation``: its row of the organisations table (None when unknown)."""

    organisation: dict | None
    audits: pd.DataFrame
    repeated: pd.DataFrame


def _natural(text: str) -> tuple:
    """Sort key putting A2 before A10."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.split(r"(\d+)", text or "") if p)


def audit_history(reports: pd.DataFrame, clauses: pd.DataFrame,
                  organisation: dict | None = None) -> History:
    """The :class:`History` of the given reports (one organisation's) and their clauses."""
    audits = pd.DataFrame({c: reports[c] if c in reports else None for c in AUDIT_COLUMNS})
    audits = audits.sort_values(["audit_start", "report_id"], na_position="last",
                                kind="stable").reset_index(drop=True)
    audits["total"] = audits["stated_total"].fillna(audits["computed_total"])
    audits["level"] = audits["stated_level"].fillna(audits["computed_level"])

    c = pd.DataFrame({k: clauses[k] if k in clauses else None for k in CLAUSE_COLUMNS})
    c = c[c["report_id"].isin(audits["report_id"])]
    lost = c[~c["not_applicable"].fillna(False).astype(bool) & c["weight"].notna()
             & c["computed_score"].notna()
             & (c["computed_score"] < c["weight"] - EPSILON)].copy()
    lost["clause"] = lost["code"].fillna(lost["clause_no"])
    lost = lost[lost["clause"].notna()]
    lost["points"] = lost["weight"] - lost["computed_score"]
    lost = lost.drop_duplicates(["report_id", "clause"])
    times = lost.groupby("clause")["report_id"].transform("nunique")
    again = lost[times > 1]

    def joined(frame: pd.DataFrame) -> pd.Series:
        keys = frame.groupby("report_id")["clause"].agg(
            lambda s: ", ".join(sorted(s, key=_natural)))
        return audits["report_id"].map(lambda rid: keys.get(rid, ""))

    audits["lost"] = joined(lost)
    audits["lost_again"] = joined(again)

    first_day = audits.set_index("report_id")["audit_start"]
    again = again.assign(day=again["report_id"].map(first_day).astype(str))
    repeated = (again.groupby("clause")
                .agg(clause_no=("clause_no", "first"), section=("section", "first"),
                     times=("report_id", "nunique"), points_lost=("points", "sum"),
                     audits=("day", lambda s: ", ".join(sorted(s))))
                .reset_index())
    if repeated.empty:
        repeated = pd.DataFrame(columns=["clause", "clause_no", "section", "times",
                                         "points_lost", "audits"])
    else:
        repeated["points_lost"] = repeated["points_lost"].round(6)
        order = sorted(range(len(repeated)), key=lambda i: (
            -repeated["times"].iat[i], -repeated["points_lost"].iat[i],
            _natural(repeated["clause"].iat[i])))
        repeated = repeated.iloc[order].reset_index(drop=True)
    return History(organisation, audits, repeated)
