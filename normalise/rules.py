"""Scoring rules: how a scheme makes its final score from the sum of its parts.

A scheme's ``scoring.rule`` (in its catalogue file) names one function of :data:`SCORE_RULES`;
special items are applied after it, and :func:`level_for` grants a level under the
scheme's special-item condition. A scheme with another rule is a data file plus at most
one function registered here with :func:`score_rule`.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable

from certreport.schemas.catalogue import Scheme

# (sum of the parts, applicable points, scheme) -> the score before special items
ScoreRule = Callable[[float, "float | None", Scheme], "float | None"]
SCORE_RULES: dict[str, ScoreRule] = {}


def score_rule(name: str) -> Callable[[ScoreRule], ScoreRule]:
    """Register a scoring rule under ``name`` (the value of ``scoring.rule``)."""
    def register(fn: ScoreRule) -> ScoreRule:
        SCORE_RULES[name] = fn
        return fn
    return register


@score_rule("plain_sum")
def plain_sum(raw: float, applicable: float | None, scheme: Scheme) -> float | None:
    """CTS ISC-JSGF-06: the sum of the parts as it is (不涉及 clauses score 0 and keep
    their weight in the maximum)."""
    return raw


@score_rule("normalised")
def normalised(raw: float, applicable: float | None, scheme: Scheme) -> float | None:
    """GB/T 27922-2011: 评分 = 实际得分 / 涉及项总分值 × 100 (deleted clauses do not count);
    None without applicable points."""
    if not applicable:
        return None
    return float(Decimal(repr(raw)) * 100 / Decimal(repr(applicable)))  # 84.05 stays 84.05


def rule_of(scheme: Scheme) -> ScoreRule | None:
    """The scheme's rule function, None when its name is not registered."""
    return SCORE_RULES.get(scheme.scoring.rule)


def level_for(scheme: Scheme, score: float | None, deduction_points: float | None) -> str | None:
    """The level of a final score under the scheme: none at ``level_deduction_limit`` or
    more points of special deductions, else the scheme's threshold level."""
    limit = scheme.scoring.special.level_deduction_limit
    if limit is not None and deduction_points is not None and deduction_points >= limit - 1e-9:
        return None
    return scheme.level_for(score)
