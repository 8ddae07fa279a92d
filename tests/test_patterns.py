"""The quick test before a set of patterns (extract/patterns.py) and the per-object cache
(schemas/memo.py) that the assembly's speed rests on: they must never change what the
stages read."""
from __future__ import annotations

import re

from certreport.schemas.memo import per_object
from certreport.extract.patterns import may_match, needed_chars, prefilter
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


def test_prefilter_never_passes_over_a_line_a_pattern_matches():
    for patterns in _sets():
        quick = prefilter(patterns)
        assert quick is not None  # the vocabulary's phrasings all have a quick test
        for line in LINES:
            if any(rx.search(line) for rx in patterns):
                assert quick.search(line), (line, quick.pattern)
    assert not prefilter(_sets()[0]).search("审查组长：张三")  # and it does pass over lines


def test_needed_chars_follow_the_parse():
    assert needed_chars(re.compile(r"(?:无|没有)\s*特别扣分项")) == {"特"}
    assert needed_chars(re.compile(r"(?:ab|c)+x?")) == {"a", "c"}
    assert needed_chars(re.compile(r"a?b*")) is None            # nothing is needed
    assert needed_chars(re.compile(r"[^a]x?")) is None           # a negated class
    assert needed_chars(re.compile(r"abc", re.IGNORECASE)) is None
    assert needed_chars(re.compile(r"(?i:abc)")) is None         # case ignored locally
    assert needed_chars(re.compile(r"x[:：]")) in ({"x"}, {":", "："})
    assert prefilter((re.compile(r"a"), re.compile(r"b?"))) is None  # one without a test
    assert may_match((re.compile(r"b?"),), "zz")
    assert prefilter(()).search("anything") is None


def test_per_object_caches_by_identity():
    calls = []

    @per_object
    def size(d: dict) -> int:
        calls.append(1)
        return len(d)

    a, b = {"x": 1}, {"x": 1}
    assert size(a) == size(a) == 1 and len(calls) == 1
    assert size(b) == 1 and len(calls) == 2  # an equal but other object is computed anew
