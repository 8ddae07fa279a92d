"""Conversion/OCR-like damage to the score-table cells a template renders.

The truth record keeps the true values; :class:`Damager` only changes what is written:
a clause's content cell (look-alike characters, dropped punctuation, a dropped character,
the clause number left out or slipped), its code cell (``Al0`` for A10, ``B1O`` for B10,
``C l2`` for C12) and a subsection's 序号 cell (left empty). Every decision is drawn from
a generator seeded by the truth's seed and the clause (or subsection) number, so the same
truth and :class:`~synth.templates.Damage` always damage the same cells,
whatever else the template changes.
"""
from __future__ import annotations

import random
import re
import unicodedata

from synth.templates import Damage

_NESTED_NO = re.compile(r"\d+(?:\.\d+){3,}")


def _punctuation(ch: str) -> bool:
    return len(ch) == 1 and unicodedata.category(ch).startswith("P")


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


class Damager:
    """The damaged text of each score-table cell of one truth record."""

    def __init__(self, damage: Damage, seed: int) -> None:
        self.damage = damage
        self.seed = seed

    def _rng(self, what: str, key: str) -> random.Random:
        return random.Random(f"{self.seed}/damage/{what}/{key}")

    # content -----------------------------------------------------------------------------

    def content(self, number: str, text: str) -> str:
        """The content cell of clause ``number`` (normally ``"{number} {text}"``)."""
        d = self.damage
        rng = self._rng("content", number)
        if rng.random() < d.text_rate:
            text = self.slipped_text(text, rng)
        if rng.random() < d.number_missing_rate:
            return text
        if rng.random() < d.number_slip_rate:
            number = self.slipped_digits(number, rng, ("1", "0"))
        return f"{number} {text}"

    def slipped_text(self, text: str, rng: random.Random) -> str:
        """``text`` with 1..max_text_slips slips (never the nested clause numbers it holds)."""
        d = self.damage
        chars = list(text)
        protected = {i for m in _NESTED_NO.finditer(text) for i in range(m.start(), m.end())}
        lookalikes = dict(d.text_lookalikes)
        for _ in range(rng.randint(1, max(1, d.max_text_slips))):
            kinds = list(d.text_slips)
            rng.shuffle(kinds)
            for kind in kinds:
                if kind == "lookalike":
                    spots = [i for i, ch in enumerate(chars) if ch in lookalikes and i not in protected]
                elif kind == "punctuation":
                    spots = [i for i, ch in enumerate(chars) if _punctuation(ch) and i not in protected]
                else:  # a dropped character, never the first
                    spots = [i for i, ch in enumerate(chars) if i and _cjk(ch) and i not in protected]
                if not spots:
                    continue
                i = rng.choice(spots)
                if kind == "lookalike":
                    chars[i] = lookalikes[chars[i]]
                else:
                    chars[i] = ""
                protected.add(i)
                break
        return "".join(chars)

    # codes and numbers ---------------------------------------------------------------

    def code(self, code: str | None) -> str:
        """The code cell (``""`` for a clause without code)."""
        if not code:
            return ""
        rng = self._rng("code", code)
        if rng.random() >= self.damage.code_slip_rate:
            return code
        slipped = self.slipped_digits(code, rng, ("1", "0"))
        if slipped == code or rng.random() < 0.3:
            slipped = slipped[0] + " " + slipped[1:]  # C l2: a space after the letter
        return slipped

    def slipped_digits(self, text: str, rng: random.Random, digits: tuple[str, ...]) -> str:
        """``text`` with one of its ``digits`` replaced by a look-alike (unchanged if none)."""
        spots = [i for i, ch in enumerate(text) if ch in digits]
        if not spots:
            return text
        i = rng.choice(spots)
        options = [b for a, b in self.damage.digit_lookalikes if a == text[i]]
        if not options:
            return text
        return text[:i] + rng.choice(options) + text[i + 1:]

    def subsection_number(self, number: str) -> str:
        """The 序号 cell of subsection ``number`` (empty when it was lost)."""
        rng = self._rng("subsection", number)
        return "" if rng.random() < self.damage.subsection_missing_rate else number
