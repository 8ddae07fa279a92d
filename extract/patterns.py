"""A quick test before trying a set of the vocabulary's patterns on a line.

Most lines of a report state no special item, no score figure, no level; the stages that
look for them try every phrasing of the vocabulary on every line, and a regex search
costs about a microsecond a line even when it fails (the phrasings open with alternatives,
so the regex engine cannot skip ahead). :func:`prefilter` works out, from each pattern's
parse, characters one of which every match must contain (``特`` for ``(?:无|没有)\\s*特别扣分项``,
``总`` or ``得`` for the totals), and gives one character-class pattern: a line without any
of those characters cannot match any of the patterns and is passed over by a fast scan.
It is a necessary condition only: the patterns themselves still decide.
"""
from __future__ import annotations

import re
from functools import lru_cache

try:  # the parse tree of a pattern (the regex module's own parser)
    from re import _parser as _sre
except ImportError:  # Python 3.10
    import sre_parse as _sre  # type: ignore[no-redef]

MAX_CHARS = 24  # a larger set of characters is no quick test
_REPEATS = tuple(op for op in (getattr(_sre, name, None) for name in
                               ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")) if op is not None)
_ATOMIC = getattr(_sre, "ATOMIC_GROUP", None)  # Python 3.11+


def _needed(items) -> frozenset[int] | None:
    """Code points one of which a match of the sequence ``items`` contains (of its items'
    sets the one likeliest to be rare in a line: fewest ASCII characters, then fewest
    characters), or None when none is known."""
    best: frozenset[int] | None = None
    for op, av in items:
        found = _needed_item(op, av)
        if found is not None and (best is None or _rank(found) < _rank(best)):
            best = found
    return best


def _rank(chars: frozenset[int]) -> tuple[int, int]:
    return sum(c < 128 for c in chars), len(chars)


def _needed_item(op, av) -> frozenset[int] | None:
    if op is _sre.LITERAL:
        return frozenset((av,))
    if op is _sre.SUBPATTERN:
        _group, add_flags, _del_flags, body = av
        return None if add_flags & (re.IGNORECASE | re.LOCALE) else _needed(body)
    if _ATOMIC is not None and op is _ATOMIC:
        return _needed(av)
    if op in _REPEATS:
        low, _high, body = av
        return _needed(body) if low >= 1 else None
    if op is _sre.BRANCH:
        out: set[int] = set()
        for alternative in av[1]:
            found = _needed(alternative)
            if found is None:
                return None  # an alternative that needs nothing known
            out |= found
        return frozenset(out)
    if op is _sre.IN and all(o is _sre.LITERAL for o, _ in av):
        return frozenset(a for _, a in av)
    return None


def needed_chars(rx: re.Pattern[str]) -> frozenset[str] | None:
    """Characters one of which every match of ``rx`` contains; None when none are known
    (or the pattern's flags make the test unsafe: ignoring case, bytes)."""
    if not isinstance(rx.pattern, str) or rx.flags & (re.IGNORECASE | re.LOCALE):
        return None
    try:
        found = _needed(_sre.parse(rx.pattern, rx.flags).data)
    except Exception:  # noqa: BLE001 - an unknown parse: no quick test, never a wrong one
        return None
    return frozenset(map(chr, found)) if found else None


@lru_cache(maxsize=64)
def prefilter(patterns: tuple[re.Pattern[str], ...]) -> re.Pattern[str] | None:
    """One character class that a text must hit for any of ``patterns`` to match in it;
    None when no such quick test is known (the caller tries every pattern)."""
    chars: set[str] = set()
    for rx in patterns:
        found = needed_chars(rx)
        if found is None:
            return None
        chars |= found
    if len(chars) > MAX_CHARS:
        return None
    if not chars:
        return re.compile(r"(?!)")
    return re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")


def may_match(patterns: tuple[re.Pattern[str], ...], text: str) -> bool:
    """False only when none of ``patterns`` can match in ``text``."""
    quick = prefilter(patterns)
    return quick is None or quick.search(text) is not None
