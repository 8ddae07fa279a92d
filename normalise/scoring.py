"""The final score as the scheme makes it, and the checks of every figure on the way.

Stages, each pure over frozen values: :func:`special_values` parses the 特别项 part;
:func:`final_score` recomputes the final score from the parts (the scheme's rule of
:mod:`certreport.normalise.rules`, e.g. 实际得分 / 涉及项总分值 × 100 under GB/T 27922), then
applies the special items; the checks compare what the report states with it: the special
items' counts against their points (:func:`check_special`), the raw sum, the applicable
points and the division (:func:`check_figures`), the final score (:func:`check_total`) and
the levels under the deduction rule (:func:`check_levels`).

Like the part checks, a stated figure passes when it agrees with the recomputation or with
the way the report may fairly have made it (the parts as written, the special points as
stated), so one wrong figure yields one finding where it stands.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import product
from typing import Sequence

from certreport.extract.record import Record, ScoreFigures, SpecialItems, Text, Where
from certreport.normalise.checks import ClauseValues, reconciled
from certreport.normalise.findings import ERROR, WARNING, Finding
from certreport.normalise.parts import PartTotals
from certreport.normalise.rules import SCORE_RULES, level_for, plain_sum, rule_of
from certreport.normalise.settings import SETTINGS, Settings
from certreport.normalise.values import (canonical_level, decimals, parse_count, parse_number,
                                         round_half_up, same_at_precision)
from certreport.schemas.catalogue import Scheme
from certreport.schemas.folds import format_number


@dataclass(frozen=True)
class SpecialValues:
    """The 特别项 part parsed: counts and points of each kind as stated (a kind the
    report says is absent: 0 and 0), and the reasons; ``stated`` is False when the report
    says nothing of special items."""

    stated: bool = False
    deduction_count: int | None = None
    deduction_points: float | None = None
    addition_count: int | None = None
    addition_points: float | None = None
    reasons: tuple[str, ...] = ()
    where: Where | None = None

    def points(self, kind: str, per_item: float | None) -> tuple[float, ...]:
        """The points a kind takes: first count × ``per_item`` (the scheme's rule), then the
        points as stated; (0,) when neither is known."""
        count = getattr(self, f"{kind}_count")
        stated = getattr(self, f"{kind}_points")
        out = []
        if count is not None and per_item is not None:
            out.append(round(count * per_item, 6))
        if stated is not None:
            out.append(stated)
        return tuple(dict.fromkeys(out)) or (0.0,)


def special_values(special: SpecialItems | None) -> SpecialValues:
    """Parse the record's 特别项 part."""
    if special is None:
        return SpecialValues()

    def num(t: Text | None) -> float | None:  # a deduction may be written -2
        v = parse_number(t.text) if t else None
        return abs(v) if v is not None else None

    def cnt(t: Text | None) -> int | None:
        return parse_count(t.text) if t else None

    return SpecialValues(
        stated=True,
        deduction_count=0 if special.deduction_none else cnt(special.deduction_count),
        deduction_points=0.0 if special.deduction_none else num(special.deduction_points),
        addition_count=0 if special.addition_none else cnt(special.addition_count),
        addition_points=0.0 if special.addition_none else num(special.addition_points),
        reasons=tuple(t.text for t in special.reasons), where=special.where)


@dataclass(frozen=True)
class FinalScore:
    """The final score recomputed: the sum of the parts (``raw``, from weight × %), the
    applicable points (weights of the clauses that are not 不涉及 / 删减), the rule's score
    before special items, the special points and the final ``total``; the ``*_ways``
    are the values the report may fairly have reached (parts as written, points as stated)."""

    raw: float | None
    raw_ways: tuple[float, ...]
    applicable: float | None
    before_special: float | None
    before_special_ways: tuple[float, ...]
    deduction: float
    deduction_ways: tuple[float, ...]
    addition: float
    addition_ways: tuple[float, ...]
    total: float | None
    total_ways: tuple[float, ...]
    rule: str


def _sum(values: Sequence[float | None]) -> float | None:
    vals = [v for v in values if v is not None]
    return round(sum(vals), 6) if vals else None


def _ways(*values: float | None) -> tuple[float, ...]:
    return tuple(dict.fromkeys(v for v in values if v is not None))


def final_score(parts: Sequence[PartTotals], items: Sequence[ClauseValues],
                special: SpecialValues, scheme: Scheme, places: int) -> FinalScore:
    """The final score from the parts, the scheme's rule and the special items."""
    raw = _sum([p.computed_score for p in parts])
    as_written = _sum([p.stated_score if p.agrees(places) and p.stated_score is not None
                       else p.computed_score for p in parts])
    raw_ways = _ways(raw, as_written, _sum([reconciled(it, places) for it in items]))
    applicable = _sum([it.weight for it in items if not it.not_applicable])
    rule = rule_of(scheme) or plain_sum
    score_places = scheme.scoring.places

    def apply(r: float) -> float | None:
        v = rule(r, applicable, scheme)
        if v is None:
            return None
        return round_half_up(v, score_places) if score_places is not None else round(v, 6)

    before = apply(raw) if raw is not None else None
    before_ways = _ways(*(apply(r) for r in raw_ways))
    rules = scheme.scoring.special
    ded = special.points("deduction", rules.deduction_points)
    add = special.points("addition", rules.addition_points)
    total = round(before - ded[0] + add[0], 6) if before is not None else None
    ways = _ways(total, *(round(b - d + a, 6) for b, d, a in product(before_ways, ded, add)))
    return FinalScore(raw, raw_ways, applicable, before, before_ways, ded[0], ded, add[0], add,
                      total, ways, scheme.scoring.rule if rule_of(scheme) else "plain_sum")


def check_rule(scheme: Scheme) -> list[Finding]:
    """A scheme whose rule is not registered is summed plainly, with a warning."""
    if rule_of(scheme) is not None:
        return []
    return [Finding("scoring_rule", WARNING, "total", scheme.scoring.rule, None,
                    f"{scheme.id}: scoring rule {scheme.scoring.rule!r} is not one of "
                    f"{', '.join(sorted(SCORE_RULES))}: the parts are summed plainly", None)]


def check_special(special: SpecialValues, scheme: Scheme,
                  settings: Settings = SETTINGS) -> list[Finding]:
    """Each kind's stated points against its count × the scheme's points per item, and
    the count of additions against the scheme's cap."""
    rules = scheme.scoring.special
    out = []
    for kind, per, word in (("deduction", rules.deduction_points, "特别扣分项"),
                            ("addition", rules.addition_points, "特别加分项")):
        count, points = getattr(special, f"{kind}_count"), getattr(special, f"{kind}_points")
        if count is None or points is None or per is None:
            continue
        if abs(count * per - points) > settings.points_tolerance:
            out.append(Finding("special_items", ERROR, f"special_{kind}", points,
                               round(count * per, 6),
                               f"{word}: {count} item(s) at {_n(per)} point(s) each make "
                               f"{_n(count * per)}, the report states {_n(points)}",
                               special.where))
    most = rules.max_additions
    if most is not None and special.addition_count is not None and special.addition_count > most:
        out.append(Finding("special_items", ERROR, "special_addition", special.addition_count,
                           most, f"特别加分项: {special.addition_count} stated, {scheme.id} "
                           f"allows at most {most}", special.where))
    return out


def _agrees(stated: float, ways: Sequence[float], places: int) -> bool:
    return any(same_at_precision(stated, w, places) for w in ways)


def check_figures(figures: ScoreFigures, final: FinalScore, places: int,
                  total_is_normalised: bool, settings: Settings = SETTINGS) -> list[Finding]:
    """The stated raw sum (实际得分合计) against the parts, the stated applicable points
    (涉及项总分值) against the clauses that are not deleted, and the stated normalised score
    against the division its formula writes (else against the recomputation)."""
    out = []
    raw_text = figures.raw_total or figures.formula_raw
    max_text = figures.applicable_max or figures.formula_max
    raw = parse_number(raw_text.text) if raw_text else None
    applicable = parse_number(max_text.text) if max_text else None
    if raw is not None and final.raw_ways and not _agrees(raw, final.raw_ways, places):
        out.append(Finding("raw_total", ERROR, "raw_total", raw, final.raw,
                           f"实际得分合计 stated {_n(raw)}, the parts (weight × %) add up to "
                           f"{_n(final.raw)}", raw_text.where))
    if applicable is not None and final.applicable is not None and \
            abs(applicable - final.applicable) > settings.points_tolerance:
        out.append(Finding("applicable_max", ERROR, "applicable_max", applicable,
                           final.applicable,
                           f"涉及项总分值 stated {_n(applicable)}, the weights of the clauses "
                           f"not deleted add up to {_n(final.applicable)}", max_text.where))
    if figures.normalised is None:
        return out
    stated = parse_number(figures.normalised.text)
    if stated is None:
        return out
    at = max(decimals(figures.normalised.text), 0)
    # the division as the report writes it: its formula's operands, else the stated figures
    dividend = parse_number(figures.formula_raw.text) if figures.formula_raw else raw
    divisor = parse_number(figures.formula_max.text) if figures.formula_max else applicable
    if dividend is not None and divisor:
        quotient = round_half_up(float(Decimal(repr(dividend)) * 100 / Decimal(repr(divisor))), at)
        if quotient is not None and not same_at_precision(stated, quotient, at):
            out.append(Finding("normalised_score", ERROR, "normalised", stated, quotient,
                               f"评分 stated {_n(stated)}, but {_n(dividend)} ÷ {_n(divisor)} × 100 "
                               f"= {_n(quotient)}", figures.normalised.where))
    elif not total_is_normalised and final.before_special_ways and \
            not _agrees(stated, final.before_special_ways, places):
        out.append(Finding("normalised_score", ERROR, "normalised", stated, final.before_special,
                           f"评分 stated {_n(stated)}, the clauses make {_n(final.before_special)}",
                           figures.normalised.where))
    return out


def check_total(stated_total: float | None, final: FinalScore, places: int,
                where: Where | None) -> list[Finding]:
    """The stated final score against the recomputed one (or as the report may fairly
    have reached it)."""
    if stated_total is None or final.total is None or _agrees(stated_total, final.total_ways, places):
        return []
    how = "the clauses (weight × %) add up to"
    if final.rule != "plain_sum":
        how = f"the clauses (weight × %) under the {final.rule} rule make"
    if final.deduction or final.addition:
        how += f" {_n(final.before_special)}, − {_n(final.deduction)} + {_n(final.addition)} special ="
    return [Finding("total", ERROR, "total", stated_total, final.total,
                    f"total stated {_n(stated_total)}, {how} {_n(final.total)}", where)]


def check_levels(record: Record, scheme: Scheme, stated_total: float | None,
                 final: FinalScore) -> list[Finding]:
    """Every stated level against the level of the stated final score (else the
    recomputed one) under the scheme: none at its deduction limit or more."""
    basis = stated_total if stated_total is not None else final.total
    if basis is None:
        return []
    allowed = {level_for(scheme, basis, d) for d in final.deduction_ways}
    expected = level_for(scheme, basis, final.deduction)
    limit = scheme.scoring.special.level_deduction_limit
    out = []
    for lv in record.levels:
        stated = canonical_level(lv.value.text)
        if stated in allowed:
            continue
        why = (f"{_n(final.deduction)} points of special deductions (limit {_n(limit)}) "
               "grant no level" if expected is None and limit is not None
               and final.deduction >= limit - 1e-9 else
               f"a total of {_n(basis)} is {expected or 'below every level'}")
        out.append(Finding("level", ERROR, "total", stated, expected,
                           f"{lv.name} states {lv.value.text}, {why} under {scheme.id}",
                           lv.value.where))
    return out


_n = format_number
