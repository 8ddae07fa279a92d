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

    errors = sorted({(c["check"], c["target"]) for c in rows.get("checks", [])
                     if c["severity"] == "error"})
    want = sorted({(i["check"], i["target"]) for i in truth.get("injected", [])})
    out.add("findings", errors == want, f"error findings {errors}, injected {want}")
    return out
