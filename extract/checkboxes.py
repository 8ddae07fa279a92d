"""Check-box groups in lines of text, whatever the format: the options of a group (from
``schemas/vocabulary.yaml``) found on a line, and the mark that belongs to each.

Readers map symbol-font glyphs to ☑/☐ (:mod:`extract.glyphs`); the other marks (■ □ √ ×,
bracketed ``[√]`` / ``（ ）``) are read here. A mark belongs to the option it stands beside:
before it on most templates, after it on some; a mark that could belong to either of two
options makes the line ambiguous rather than a guess.
"""
from __future__ import annotations

import re
from typing import Protocol, Sequence

from extract.record import CHECKED, UNCHECKED, CheckGroup, CheckOption, Where
from schemas.vocabulary import Vocabulary


class Line(Protocol):
    text: str
    where: Where


def find_checkboxes(lines: Sequence[Line], voc: Vocabulary) -> list[CheckGroup]:
    """Lines that list the options of a check-box group, with each option's mark: a box
    glyph (☑ ☐ ■ □ √ × …) or a bracketed one (``[√]``, ``（ ）``) standing next to it, before
    the options on most templates, after them on some (``初次认证☑ 保持认证□``)."""
    groups = []
    for line in lines:
        best = None
        for name, options in voc.checkbox_groups.items():
            spans = _option_spans(line.text, options)
            if len(spans) >= 2:
                covered = sum(e - s for s, e, _ in spans)
                if best is None or covered > best[0]:
                    best = (covered, name, spans)
        if best is None:
            continue
        _, name, spans = best
        states, ambiguous = _attribute(line.text, spans, _marks(line.text, voc))
        marked = any(st is not None for st in states) and not ambiguous
        opts = [CheckOption(label, bool(st) if marked else None, line.where)
                for (_s, _e, label), st in zip(spans, states)]
        groups.append(CheckGroup(name, tuple(opts), marked, line.where, ambiguous))
    return groups


def _marks(text: str, voc: Vocabulary) -> list[tuple[int, int, bool]]:
    """Check-box marks in a line: (start, end, checked) of each glyph or bracketed mark."""
    checked = voc.checked_glyphs | {CHECKED}
    glyphs = "".join(sorted(checked | voc.unchecked_glyphs | {UNCHECKED}))
    rx = re.compile(r"[\[［【(（]\s*([" + re.escape(glyphs) + r"]?)\s*[\]］】)）]|([" +
                    re.escape(glyphs) + r"])")
    return [(m.start(), m.end(), (m.group(1) or m.group(2) or "") in checked)
            for m in rx.finditer(text)]


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
    spans: list[tuple[int, int, str]] = []
    for opt in sorted(options, key=len, reverse=True):
        for m in re.finditer(re.escape(opt), text):
            s, e = m.span()
            if all(e <= a or s >= b for a, b, _ in spans):
                spans.append((s, e, opt))
    return sorted(spans)
