"""Sums over values that could not be read: an error only where no reading explains it.

A clause value left null because its text was unreadable (:mod:`~certreport.normalise.
unreadable`) or because OCR read something nothing confirmed (:mod:`~certreport.normalise.
ocr`), and a catalogue clause an OCR'd report did not yield at all, leave a hole in every
sum over them: the part's maximum and score, its subsection's points, the raw and
applicable totals, the final score (a clause counts as not yielded when the clauses read
before and after it are both on OCR'd pages). Such a check cannot say the report is wrong merely
because the hole is there, nor be silent about a real error beside it.

So each error of a sum check whose scope holds an unread clause is tried again with the
unread clauses filled by every plausible reading — the catalogue's weight, each plausible
score % (0–100 in steps of :attr:`Settings.pct_step`) or not applicable; where the stated
score was read, the % it was made with (the report added up its stated scores) — using the same
check functions (``recheck``). When some reading makes the error go away it becomes a
warning, "cannot be checked: clause X unreadable"; when none does (the difference is more
than the unread clauses could hold), it stays an error. Beyond
:attr:`Settings.unread_fills_max` combinations only the lowest and the highest readings of
every unread clause are tried: the error stays when it stands at both with the stated
figure outside the range they span (a sum grows with each clause's score), or with the
same recomputed figure at both (a check that does not depend on them, as a level against
the stated total); else it is a warning.
"""
from __future__ import annotations

from dataclasses import replace
from itertools import product
from typing import Callable, Sequence

from certreport.normalise.checks import ClauseValues, computed_item
from certreport.normalise.findings import ERROR, WARNING, Finding
from certreport.normalise.settings import SETTINGS, Settings
from certreport.schemas.catalogue import Scheme

# the checks whose figures are sums over the clauses, and how their target names a scope
PART_CHECKS = {"section_score", "section_max"}
SUBSECTION_CHECKS = {"subsection_max"}
REPORT_CHECKS = {"total", "raw_total", "applicable_max", "normalised_score", "level"}

Recheck = Callable[[Sequence[ClauseValues]], Sequence[Finding]]


def missing_items(scheme: Scheme, items: Sequence[ClauseValues],
                  lost_here: Callable[[ClauseValues], bool]) -> tuple[ClauseValues, ...]:
    """The catalogue clauses no row was matched to whose neighbours in the catalogue (the
    nearest clause read before and after it) were both read where a row can be lost
    (``lost_here``: an OCR'd page), as unread items (every value null)."""
    by_target = {it.target: it for it in items}
    order = [c.code or c.number for c in scheme.clauses]
    out = []
    for i, c in enumerate(scheme.clauses):
        if order[i] in by_target:
            continue
        before = next((by_target[t] for t in reversed(order[:i]) if t in by_target), None)
        after = next((by_target[t] for t in order[i + 1:] if t in by_target), None)
        if all(n is None or lost_here(n) for n in (before, after)) and (before or after):
            out.append(ClauseValues(c.section, c.subsection, order[i], None, None, False,
                                    None, None, None, frozenset(("weight", "pct", "score"))))
    return tuple(out)


def _readings(it: ClauseValues, scheme: Scheme, settings: Settings) -> list[ClauseValues] | None:
    """Every plausible reading of an unread item (None when its weight cannot be known)."""
    weight = it.weight
    if weight is None:
        clause = scheme.clause_by_code(it.target) or scheme.clause_by_number(it.target)
        if clause is None or (clause.code or clause.number) != it.target:
            return None
        weight = clause.weight
    if it.pct is not None or (it.not_applicable and "pct" not in it.unread):
        options = [(it.pct, it.not_applicable)]
    elif it.stated is not None and weight > 0:  # the % its stated score was made with
        options = [(round(it.stated * 100.0 / weight, 6), False)]
        if abs(it.stated) < 1e-9:
            options.append((None, True))
    else:
        steps = int(round(100 / settings.pct_step))
        options = [(i * settings.pct_step, False) for i in range(steps + 1)] + [(None, True)]
    return [replace(it, weight=weight, pct=p, not_applicable=na,
                    computed=computed_item(weight, p, na)) for p, na in options]


def _in_scope(f: Finding, it: ClauseValues) -> bool:
    if f.check in PART_CHECKS:
        return it.section == f.target
    if f.check in SUBSECTION_CHECKS:
        return it.subsection == f.target
    return f.check in REPORT_CHECKS


def _cannot_check(f: Finding, unread: Sequence[ClauseValues]) -> Finding:
    names = ", ".join(it.target for it in unread[:6]) + (
        f" and {len(unread) - 6} more" if len(unread) > 6 else "")
    return Finding(f.check, WARNING, f.target, f.stated, f.computed,
                   f"cannot be checked: clause {names} unreadable ({f.message})", f.where)


def explain_unread(findings: Sequence[Finding], items: Sequence[ClauseValues],
                   missing: Sequence[ClauseValues], scheme: Scheme, recheck: Recheck,
                   settings: Settings = SETTINGS) -> list[Finding]:
    """``findings`` of the sum checks, with each error that some reading of the unread
    clauses in its scope explains turned into a "cannot be checked" warning (see the
    module docstring). ``items`` are the report's clause values, ``missing`` the catalogue
    clauses not read at all (:func:`missing_items`, for OCR'd reports), ``recheck`` runs
    the same sum checks over other clause values."""
    holes = [i for i, it in enumerate(items) if it.unread]
    if not holes and not missing:
        return list(findings)
    out = []
    known: dict[int, list[ClauseValues] | None] = {}  # id(item) -> its readings, made once

    def readings_of(it: ClauseValues) -> list[ClauseValues] | None:
        if id(it) not in known:
            known[id(it)] = _readings(it, scheme, settings)
        return known[id(it)]

    for f in findings:
        scoped = [i for i in holes if _in_scope(f, items[i])]
        extra = [m for m in missing if _in_scope(f, m)]
        if f.severity != ERROR or not (scoped or extra):
            out.append(f)
            continue
        unread = [items[i] for i in scoped] + extra
        readings = [readings_of(it) for it in unread]
        combos = 1
        for r in readings:
            combos *= len(r) if r is not None else settings.unread_fills_max + 1
        key = (f.check, f.target)

        def error_with(choice: Sequence[ClauseValues]) -> Finding | None:
            filled = list(items)
            for i, it in zip(scoped, choice):
                filled[i] = it
            filled.extend(choice[len(scoped):])
            return next((g for g in recheck(filled)
                         if g.severity == ERROR and (g.check, g.target) == key), None)

        if combos <= settings.unread_fills_max:
            explained = any(error_with(choice) is None
                            for choice in product(*readings))  # type: ignore[arg-type]
        elif any(r is None for r in readings):
            explained = True
        else:  # too many to try: the lowest and highest readings bound the sum
            corners = [error_with([min(r, key=_points) for r in readings]),  # type: ignore[union-attr]
                       error_with([max(r, key=_points) for r in readings])]  # type: ignore[union-attr]
            explained = not _outside(f, corners)
        out.append(_cannot_check(f, unread) if explained else f)
    return out


def _points(it: ClauseValues) -> float:
    return it.computed or 0.0


def _outside(f: Finding, corners: Sequence[Finding | None]) -> bool:
    """Whether the error stands at both corners with the stated figure outside the range
    of the recomputed ones (or the recomputed one the same: the check does not depend on
    the unread clauses, as a level against the stated total)."""
    if any(c is None for c in corners):
        return False
    computed = [c.computed for c in corners]  # type: ignore[union-attr]
    if all(c == f.computed for c in computed):
        return True
    nums = [c for c in computed if isinstance(c, (int, float))]
    if len(nums) < 2 or not isinstance(f.stated, (int, float)):
        return False
    return not (min(nums) - 1e-9 <= f.stated <= max(nums) + 1e-9)
