"""The one-search test of a set of patterns (extract/patterns.py) and the per-object
cache (extract/memo.py) that the assembly's speed rests on: they must never change what
the stages read."""
from __future__ import annotations

import re

from certreport.extract.memo import per_object
from certreport.extract.patterns import may_match, union
from certreport.schemas.vocabulary import vocabulary

LINES = [
    "特别扣分项 2 项，扣 2 分（未按期整改）", "无特别加分项", "特别项：无。", "特别扣分项：无，扣 1 分",
    "实际得分合计 85.5 分", "涉及项总分值 95", "评分 = 85.5 ÷ 95 × 100 = 90.0 分", "总分：142.7分（十星级）",
    "评定等级：十星级", "审查组长：张三", "", "  ", "5.1.1.2 根据需要设置售后服务部门 2 70% 1.4",
]


def _sets():
    voc = vocabulary()
    p = voc.scoring
    return [p.deduction + p.addition + p.none_deduction + p.none_addition + p.none_both,
            p.raw_total + p.applicable_max + p.normalised, voc.total_patterns,
            tuple(rx for _, rx in voc.level_patterns)]


def test_union_matches_exactly_when_one_pattern_does():
    for patterns in _sets():
        joined = union(patterns)
        assert joined is not None  # the vocabulary's phrasings can be joined
        for line in LINES:
            assert (joined.search(line) is not None) == any(rx.search(line) for rx in patterns), line


def test_union_declines_what_an_alternation_would_change():
    assert union((re.compile(r"(a)\1"),)) is None            # a back-reference by number
    assert union((re.compile(r"(?P<x>a)(?P=x)"),)) is None   # … by name
    assert union((re.compile(r"abc", re.IGNORECASE),)) is None
    assert union((re.compile(r"[(?P<]x"),)) is None           # "(?P<" in a character class
    assert may_match((re.compile(r"(a)\1"),), "zz")           # declined: the caller tries all
    assert union(()).search("anything") is None


def test_union_keeps_anchors_and_lookarounds_per_pattern():
    patterns = (re.compile(r"^特别项$"), re.compile(r"无(?!扣)"))
    joined = union(patterns)
    for text in ("特别项", "x特别项", "无扣", "无", "无 扣"):
        assert (joined.search(text) is not None) == any(rx.search(text) for rx in patterns)


def test_per_object_caches_by_identity():
    calls = []

    @per_object
    def size(d: dict) -> int:
        calls.append(1)
        return len(d)

    a, b = {"x": 1}, {"x": 1}
    assert size(a) == size(a) == 1 and len(calls) == 1
    assert size(b) == 1 and len(calls) == 2  # an equal but other object is computed anew
