"""Which scheme a report is judged against: criteria text, part maxima, total range."""
from __future__ import annotations

from certreport.extract.record import PartHeading, Record, Text
from certreport.normalise.scheme import detect_scheme
from certreport.schemas.catalogue import load_schemes

SCHEMES = load_schemes()


def detect(**kw) -> tuple[str, str]:
    scheme, how = detect_scheme(Record("r.md", "markdown", **kw), SCHEMES)
    return scheme.id, how


def parts(*maxima: str) -> tuple[PartHeading, ...]:
    return tuple(PartHeading(Text(f"part {i}"), Text(m)) for i, m in enumerate(maxima))


def test_criteria_names_the_scheme():
    assert detect(criteria="依据：GB/T 27922-2011《商品售后服务评价体系》") == ("GB/T 27922-2011", "criteria")
    assert detect(criteria="商品售后服务成熟度（CTS ISC-JSGF-06）") == ("CTS ISC-JSGF-06", "criteria")
    # both named: the one naming more of its strings, then the first named
    both = "CTS ISC-JSGF-06《商品售后服务成熟度认证技术规范》，参照 GB/T 27922"
    assert detect(criteria=both) == ("CTS ISC-JSGF-06", "criteria")


def test_part_maxima_tell_the_scheme():
    assert detect(parts=parts("40", "35", "25")) == ("GB/T 27922-2011", "part maxima")
    assert detect(parts=parts("73", "39", "38")) == ("CTS ISC-JSGF-06", "part maxima")


def test_total_range_then_default():
    assert detect(stated_total=Text("142.7")) == ("CTS ISC-JSGF-06", "total range")
    assert detect(stated_total=Text("88")) == ("CTS ISC-JSGF-06", "default")
    assert detect() == ("CTS ISC-JSGF-06", "default")
