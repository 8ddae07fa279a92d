"""Check-box groups in lines of text, whatever the format: the options of a group (from
``schemas/vocabulary.yaml``) found on a line, and the mark that belongs to each.

Readers map symbol-font glyphs to ☑/☐ (:mod:`certreport.extract.glyphs`); the other marks (■ □ √ ×,
bracketed ``[√]`` / ``（ ）``) are read here. A mark belongs to the option it stands beside:
before it on most templates, after it on some; a mark that could belong to either of two
options makes the line ambiguous rather than a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol, Sequence

from certreport.schemas.memo import per_object
from certreport.extract.record import (CHECKED, UNCHECKED, UNSURE, CheckGroup, CheckOption,
                                       Where)
from certreport.schemas.vocabulary import Vocabulary


class Line(Protocol):
    text: str
    where: Where


def find_checkboxes(lines: Sequence[Line], voc: Vocabulary) -> list[CheckGroup]:
    """Lines that list the options of a check-box group (or of several: ``审查类型：☑初次认证
    ☐保持认证 审查方式：☑现场审核 …``), with each option's mark: a box glyph (☑ ☐ ■ □ √ × …) or
    a bracketed one (``[√]``, ``（ ）``) standing next to it, before the options on most
    templates, after them on some (``初次认证☑ 保持认证□``)."""
    groups = []
    prepared = _prepare(voc)
    for line in lines:
        if prepared.any_option.search(line.text) is None:
            continue  # no option of any group on the line
        found = _groups_on_line(line.text, voc)
        if not found:
            continue
        spans = sorted((s, e, label, name) for name, group in found for s, e, label in group)
        marks = _marks(line.text, voc)
        states, ambiguous = _attribute(line.text, [(s, e, label) for s, e, label, _ in spans],
                                       [(s, e, bool(c)) for s, e, c in marks])
        unsure_at = [s for s, _e, c in marks if c is None]
        for name, _group in found:
            own = [st for st, span in zip(states, spans) if span[3] == name]
            lo = min(span[0] for span in spans if span[3] == name)
            hi = max(span[1] for span in spans if span[3] == name)
            unsure = any(lo - 2 <= at <= hi + 1 for at in unsure_at)
            marked = any(st is not None for st in own) and not ambiguous and not unsure
            opts = [CheckOption(span[2], bool(st) if marked else None, line.where)
                    for st, span in zip(states, spans) if span[3] == name]
            groups.append(CheckGroup(name, tuple(opts), marked, line.where, ambiguous, unsure))
    return groups


def _groups_on_line(text: str, voc: Vocabulary) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """The groups whose options (two at least) a line lists: the group covering most of it
    first, then others whose options do not overlap it (审查类型 … 审查方式 … on one line)."""
    candidates = []
    for name, options in _prepare(voc).groups:
        spans = _option_spans(text, options)
        if len(spans) >= 2:
            candidates.append((sum(e - s for s, e, _ in spans), name, spans))
    taken: list[tuple[int, int]] = []
    found = []
    for _, name, spans in sorted(candidates, key=lambda c: -c[0]):
        if all(e <= a or s >= b for s, e, _ in spans for a, b in taken):
            found.append((name, spans))
            taken.extend((s, e) for s, e, _ in spans)
    return sorted(found, key=lambda f: f[1][0][0])


def _marks(text: str, voc: Vocabulary) -> list[tuple[int, int, bool | None]]:
    """Check-box marks in a line: (start, end, checked) of each glyph or bracketed mark;
    checked is None for a box whose ink did not tell (OCR's ⍰)."""
    prepared = _prepare(voc)
    checked = prepared.checked
    out: list[tuple[int, int, bool | None]] = []
    for m in prepared.marks.finditer(text):
        glyph = m.group(1) or m.group(2) or ""
        out.append((m.start(), m.end(), None if glyph == UNSURE else glyph in checked))
    return out


def _attribute(text: str, spans: list[tuple[int, int, str]],
               marks: list[tuple[int, int, bool]]) -> tuple[list[bool | None], bool]:
    """Each option's state (None: no mark beside it) and whether a mark could not be told
    to belong to one option. A mark beside one option only belongs to it; a mark between
    two goes to the one it touches, else the way the line's other marks face (before or
    after their options); if they do not say, the line is ambiguous."""
    def gap(a: int, b: int) -> int | None:
        return b - a if a <= b and not text[a:b].strip() else None

    sides = []  # per mark: (option before it, gap), (option after it, gap)
    votes = 0   # > 0: marks stand before their options; < 0: after
    for ms, me, _ in marks:
        left = next(((k, g) for k, (_, e, _l) in enumerate(spans)
                     if (g := gap(e, ms)) is not None), None)
        right = next(((k, g) for k, (s, _, _l) in enumerate(spans)
                      if (g := gap(me, s)) is not None), None)
        sides.append((left, right))
        if right and (not left or right[1] < left[1]):
            votes += 1
        elif left and (not right or left[1] < right[1]):
            votes -= 1
    states: list[bool | None] = [None] * len(spans)
    ambiguous = False
    for (left, right), (_, _, is_checked) in zip(sides, marks):
        if left and right:
            if not votes:
                ambiguous = True
                continue
            owner = right[0] if votes > 0 else left[0]
        elif left or right:
            owner = (left or right)[0]
        else:
            continue
        states[owner] = bool(states[owner]) or is_checked
    return states, ambiguous


def _option_spans(text: str, options: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """Where each option stands on the line (non-overlapping occurrences, the longest
    option first); ``options`` longest first (:func:`_prepare`)."""
    spans: list[tuple[int, int, str]] = []
    for opt in options:
        s = text.find(opt)
        while s >= 0:
            e = s + len(opt)
            if all(e <= a or s >= b for a, b, _ in spans):
                spans.append((s, e, opt))
            s = text.find(opt, e)
    return sorted(spans)


@dataclass(frozen=True)
class _Prepared:
    """What the vocabulary's check-box words compile to, once per vocabulary."""

    groups: tuple[tuple[str, tuple[str, ...]], ...]  # name -> options, the longest first
    any_option: re.Pattern[str]                      # some option of some group
    marks: re.Pattern[str]                           # a glyph, bare or in brackets
    checked: frozenset[str]


@per_object
def _prepare(voc: Vocabulary) -> _Prepared:
    groups = tuple((name, tuple(sorted((o for o in options if o), key=len, reverse=True)))
                   for name, options in voc.checkbox_groups.items())
    words = sorted({o for _, options in groups for o in options}, key=len, reverse=True)
    any_option = re.compile("|".join(map(re.escape, words)) or r"(?!)")
    checked = voc.checked_glyphs | {CHECKED}
    glyphs = "".join(sorted(checked | voc.unchecked_glyphs | {UNCHECKED, UNSURE}))
    marks = re.compile(r"[\[［【(（]\s*([" + re.escape(glyphs) + r"]?)\s*[\]］】)）]|([" +
                       re.escape(glyphs) + r"])")
    return _Prepared(groups, any_option, marks, frozenset(checked))
