"""Compare what the pipeline recovered from a rendered report with its truth record.

Used by the round-trip tests and by ``benchmarks/roundtrip.py``: every field, team row,
part total and clause value must come back exactly, and the error findings must be
exactly the injected errors.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping, Sequence

CLAUSE_KEYS = ("section", "subsection_no", "code", "weight", "score_pct", "not_applicable",
               "stated_score")
TEAM_KEYS = ("member_code", "name", "role", "cert_no", "specialty_code", "phone")
SECTION_KEYS = ("stated_max", "stated_score")


def _norm(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return float(v)
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    return v


@dataclass
class Comparison:
    """Mismatches by kind, and how many values were compared in each."""

    mismatches: dict[str, list[str]] = field(default_factory=dict)
    compared: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, ok: bool, message: str) -> None:
        self.compared[kind] = self.compared.get(kind, 0) + 1
        if not ok:
            self.mismatches.setdefault(kind, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def lines(self) -> list[str]:
        return [f"{kind}: {m}" for kind, ms in self.mismatches.items() for m in ms]


def compare(truth: Mapping[str, Any], rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> Comparison:
    """Mismatches between a truth record and the table rows of its rendered report."""
    out = Comparison()
    reports = rows.get("reports") or [{}]
    report = reports[0]
    out.add("status", report.get("status") == "ok",
            f"status {report.get('status')}: {report.get('error')}")
    for key, want in truth["report"].items():
        got = report.get(key)
        out.add("fields", _norm(got) == _norm(want), f"{key}: got {got!r}, want {want!r}")

    team = [{k: t.get(k) for k in TEAM_KEYS} for t in rows.get("team", [])]
    want_team = [{k: t.get(k) for k in TEAM_KEYS} for t in truth["team"]]
    out.add("team", team == want_team, f"team: got {team}, want {want_team}")

    secs = {s["section"]: s for s in rows.get("sections", [])}
    for ws in truth["sections"]:
        gs = secs.get(ws["section"], {})
        for k in SECTION_KEYS:
            out.add("sections", _norm(gs.get(k)) == _norm(ws[k]),
                    f"part {ws['section']} {k}: got {gs.get(k)!r}, want {ws[k]!r}")

    got_clauses = {c["clause_no"]: c for c in rows.get("clauses", []) if c.get("clause_no")}
    extra = len(rows.get("clauses", [])) - len(truth["clauses"])
    out.add("clauses", extra == 0, f"{len(rows.get('clauses', []))} clause rows, want "
                                   f"{len(truth['clauses'])}")
    for wc in truth["clauses"]:
        gc = got_clauses.get(wc["clause_no"])
        if gc is None:
            out.add("clauses", False, f"{wc['clause_no']} missing")
            continue
        bad = [f"{k}: got {gc.get(k)!r}, want {wc[k]!r}" for k in CLAUSE_KEYS
               if k in wc and _norm(gc.get(k)) != _norm(wc[k])]
        out.add("clauses", not bad, f"{wc['clause_no']}: " + "; ".join(bad))

    errors = sorted({(c["check_name"], c["target"]) for c in rows.get("checks", [])
                     if c["severity"] == "error"})
    want = sorted({(i["check"], i["target"]) for i in truth.get("injected", [])})
    out.add("findings", errors == want, f"error findings {errors}, injected {want}")
    return out


# --- clause-to-code accuracy ----------------------------------------------------------------

MATCH_CHECKS = ("clause_match", "duplicate_clause")


@dataclass
class ClauseAccuracy:
    """How many truth clauses came back with their own code (and number), and how many of
    the others the report flags (a row left unmatched, or a clause_match /
    duplicate_clause finding naming what the row was given)."""

    clauses: int = 0
    right: int = 0
    flagged: int = 0  # wrong rows that a finding points at
    wrong_rows: list[str] = field(default_factory=list)

    @property
    def wrong(self) -> int:
        return self.clauses - self.right

    @property
    def unflagged(self) -> int:
        return self.wrong - self.flagged

    def __iadd__(self, other: "ClauseAccuracy") -> "ClauseAccuracy":
        self.clauses += other.clauses
        self.right += other.right
        self.flagged += other.flagged
        self.wrong_rows.extend(other.wrong_rows)
        return self


def clause_accuracy(truth: Mapping[str, Any],
                    rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> ClauseAccuracy:
    """Clause-to-code accuracy of one report: the truth clauses and the recovered rows are
    paired in table order (aligned on (code, number) when the row counts differ); a truth
    clause is right when its row has the truth's code and clause number."""
    import difflib

    want = [(c["code"], c["clause_no"]) for c in truth["clauses"]]
    got_rows = list(rows.get("clauses", []))
    got = [(c.get("code"), c.get("clause_no")) for c in got_rows]
    findings = [f for f in rows.get("checks", []) if f["check_name"] in MATCH_CHECKS]
    targets = {f["target"] for f in findings}
    if len(got) == len(want):
        pairs = list(enumerate(range(len(got))))
    else:
        sm = difflib.SequenceMatcher(a=want, b=got, autojunk=False)
        pairs = [(b.a + k, b.b + k) for b in sm.get_matching_blocks() for k in range(b.size)]
    paired = dict(pairs)
    out = ClauseAccuracy(clauses=len(want))
    for i, (code, number) in enumerate(want):
        j = paired.get(i)
        row = got_rows[j] if j is not None else None
        if row is not None and (row.get("code"), row.get("clause_no")) == (code, number):
            out.right += 1
            continue
        if row is None:  # a lost row: a match finding or the coverage check must say so
            flagged = bool(findings) or any(f["check_name"] == "missing_clause"
                                            for f in rows.get("checks", []))
        else:
            flagged = (row.get("match_method") is None
                       or bool({row.get("code"), row.get("clause_no")} & targets))
        out.flagged += flagged
        got_label = f"{row.get('code')}/{row.get('clause_no')}" if row else "no row"
        out.wrong_rows.append(f"{code or number}: got {got_label}"
                              + ("" if flagged else " (NOT flagged)"))
    return out
