"""One search for a set of the vocabulary's patterns: a quick test before the stage that
tries them one by one.

Most lines of a report state no special item, no score figure, no level; the stages that
look for them try every phrasing of the vocabulary on every line. :func:`union` joins the
phrasings into one alternation that matches a text exactly when one of them does (named
groups made plain), so a line none of them can match is passed over in one search.
"""
from __future__ import annotations

import re
from functools import lru_cache

_NAMED = re.compile(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>")
# what an alternation of the patterns would not keep: references to groups by number or
# name, conditionals, and a "(?P<" that is no group opening (inside a character class)
_UNSAFE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(|\[[^\]]*\(\?P<")
_NEVER = re.compile(r"(?!)")


@lru_cache(maxsize=64)
def union(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """A pattern that finds a match in a text exactly when one of ``patterns`` does; None
    when they cannot be joined (flags other than the default, back-references), and the
    caller tries them one by one."""
    if not patterns:
        return _NEVER
    parts = []
    for rx in patterns:
        if not isinstance(rx.pattern, str) or rx.flags != re.UNICODE or _UNSAFE.search(rx.pattern):
            return None
        parts.append("(?:" + _NAMED.sub("(?:", rx.pattern) + ")")
    try:
        return re.compile("|".join(parts))
    except re.error:
        return None


def may_match(patterns: tuple[re.Pattern[str], ...], text: str) -> bool:
    """False only when none of ``patterns`` finds a match in ``text``."""
    joined = union(patterns)
    return joined is None or joined.search(text) is not None
