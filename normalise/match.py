"""Match score rows to catalogue clauses.

Trust, in order: the code cell (``A12``; look-alike slips such as ``Al0`` mended), the
clause number at the head of the content (``5.1.2.2``), then the text (rapidfuzz within
the part, and the subsection where known: from the 序号 cell, or from the title in the 标题
cell when conversion lost the number, see :func:`subsection_hint`). Every row gets
``match_score`` (similarity of its text to the catalogue text of the clause it was given,
0-100) and ``match_method``.
Disagreements and weak matches become findings, never silent guesses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from certreport.extract.record import ScoreRow
from certreport.normalise.findings import Finding
from certreport.normalise.settings import SETTINGS, Settings
from certreport.normalise.values import compact, halfwidth
from certreport.schemas.catalogue import Clause, Scheme
from certreport.schemas.folds import CLAUSE_NO
from certreport.schemas.memo import per_object
_POINTS_TAIL = re.compile(r"[(（]?\s*\+?\s*\d+(?:\.\d+)?(?:\s*\+\s*\d+(?:\.\d+)?)?\s*分\s*[)）]?\s*$")
_SUBSECTION_NO = re.compile(r"^\s*[0-9IlO]{1,2}(?:\s*[.．。]\s*[0-9IlO]{1,2}){2}(?![0-9])(?!\s*[.．]\s*\d)")
_DIGIT_SLIPS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "。": ".", "．": "."})
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_WHITE = re.compile(r"\s+")


@dataclass(frozen=True)
class Match:
    clause: Clause | None
    method: str | None  # "code" | "number" | "text" | None
    score: float
    number: str | None  # clause number read from the row (mended), if any
    findings: tuple[Finding, ...] = field(default=())


def text_key(text: str) -> str:
    """Comparison form of a clause text: half-width, no spaces or punctuation."""
    return _PUNCT.sub("", halfwidth(text)).lower()


@per_object
def catalogue_keys(scheme: Scheme) -> tuple[dict[int, str], dict[int, str]]:
    """The :func:`text_key` of each clause text (by clause index) and subsection title (by
    the subsection's ``id``) of ``scheme``, computed once per catalogue, not per report."""
    return ({c.index: text_key(c.text) for c in scheme.clauses},
            {id(s): text_key(s.title) for p in scheme.parts for s in p.subsections})


@lru_cache(maxsize=16)
def _code_pattern(letters: str) -> re.Pattern[str]:
    """A code of one of the part letters (the scheme's sections) and a number."""
    both = "".join(sorted(set(letters.upper() + letters.lower())))
    return re.compile(r"^([" + re.escape(both) + r"])\s*[-_]?\s*([0-9IlOo|]{1,3})$")


def read_code(text: str | None, letters: str = "ABC") -> str | None:
    """``A12``, ``a 12``, ``Al0`` -> ``A10`` (``letters``: the scheme's part letters);
    None when the cell holds no code."""
    if not text:
        return None
    m = _code_pattern(letters).match(compact(text))
    if not m:
        return None
    return m.group(1).upper() + str(int(m.group(2).translate(_DIGIT_SLIPS)))


def read_number(content: str) -> tuple[str | None, str]:
    """The clause number at the head of a content cell (mended) and the rest of the text."""
    half = halfwidth(content)
    m = CLAUSE_NO.match(half)
    if not m:
        return None, content
    return _mended(m.group(0)), half[m.end():]


def _mended(raw: str) -> str:
    """A clause or subsection number as written (spaces, look-alike digits) -> ``5.1.2``."""
    raw = _WHITE.sub("", raw).translate(_DIGIT_SLIPS)
    return ".".join([str(int(p)) for p in raw.split(".") if p])


def subsection_titled(scheme: Scheme, heading: str | None, section: str | None = None,
                      settings: Settings = SETTINGS) -> str | None:
    """The number of the subsection a 标题 cell names (``组织架构(4+8分)`` -> ``5.1.1``):
    its title without the points, fitting a subsection title of ``scheme`` (within
    ``section`` when known) by at least ``settings.title_match_min``; None otherwise."""
    if not heading:
        return None
    key = text_key(_POINTS_TAIL.sub("", halfwidth(heading).strip()))
    if not key:
        return None
    titles = catalogue_keys(scheme)[1]
    subs = [s for p in scheme.parts if section in (None, p.section) for s in p.subsections]
    scored = [(fuzz.ratio(key, titles[id(s)]), s.number) for s in subs]
    scored.sort(reverse=True)
    if not scored or scored[0][0] < settings.title_match_min or (
            len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return scored[0][1]


def subsection_hint(scheme: Scheme, number: str | None, heading: str | None,
                    section: str | None = None, settings: Settings = SETTINGS) -> str | None:
    """The subsection a row sits under: the number in its 序号 cell (look-alikes mended),
    else the subsection its 标题 cell names (the 序号 cell may be lost in conversion)."""
    if number:
        m = _SUBSECTION_NO.match(halfwidth(number))
        if m:
            return _mended(m.group(0))
    return subsection_titled(scheme, heading, section, settings)


class ClauseMatcher:
    """Matches the rows of one report against one scheme, keeping the order seen."""

    def __init__(self, scheme: Scheme, settings: Settings = SETTINGS) -> None:
        self.scheme = scheme
        self.settings = settings
        self._letters = "".join(p.section for p in scheme.parts)
        self._keys = catalogue_keys(scheme)[0]
        self._used: set[int] = set()
        self._expected = 0

    def similarity(self, text: str, clause: Clause) -> float:
        return float(fuzz.ratio(text_key(text), self._keys[clause.index]))

    def match(self, row: ScoreRow, section: str | None, subsection: str | None) -> Match:
        number, rest = read_number(row.content.text)
        text = rest if number else row.content.text
        code = read_code(row.code.text if row.code else None, self._letters)
        where = row.where
        findings: list[Finding] = []
        by_code = self.scheme.clause_by_code(code) if code else None
        by_number = self.scheme.clause_by_number(number) if number else None
        if code and by_code is None:
            findings.append(Finding("clause_match", "error", code, code, None,
                                    f"code {code} is not in {self.scheme.id}", where))
        if number and by_number is None and not (by_code and by_code.number.startswith(number + ".")):
            findings.append(Finding("clause_match", "warning", number, number, None,
                                    f"clause number {number} is not in {self.scheme.id}", where))

        if by_code and by_number and by_code is not by_number:
            sc, sn = self.similarity(text, by_code), self.similarity(text, by_number)
            chosen, method = (by_code, "code") if sc >= sn else (by_number, "number")
            findings.append(Finding(
                "clause_match", "error", chosen.code or chosen.number,
                f"code {code} / number {number}", chosen.code or chosen.number,
                f"code cell says {code} ({by_code.number}) but the clause number is {number}"
                f" ({by_number.code or 'no code'}); the text fits {chosen.code or chosen.number}",
                where))
        elif by_code:
            chosen, method = by_code, "code"
        elif by_number:
            chosen, method = by_number, "number"
        else:
            chosen, method = self._by_text(text, section, subsection)
            if chosen is None:
                best = self._best_text(text, section, None)
                label = f"{best[0].code or best[0].number} ({best[1]:.0f})" if best else "nothing"
                findings.append(Finding(
                    "clause_match", "error", number or code or f"row@{where.describe()}",
                    text[:40], None,
                    f"row fits no clause of {self.scheme.id} well enough (best: {label}): "
                    f"{text[:40]!r}", where))
                return Match(None, None, best[1] if best else 0.0, number, tuple(findings))

        score = self.similarity(text, chosen)
        if method != "text" and score < self.settings.text_agree_min and text_key(text):
            findings.append(Finding(
                "clause_match", "warning", chosen.code or chosen.number, text[:40], chosen.text[:40],
                f"text of the row matched by {method} to {chosen.code or chosen.number} differs "
                f"from the catalogue (similarity {score:.0f})", where))
        if chosen.index in self._used:
            findings.append(Finding("duplicate_clause", "error", chosen.code or chosen.number,
                                    None, None,
                                    f"{chosen.code or chosen.number} appears more than once", where))
        self._used.add(chosen.index)
        self._expected = chosen.index + 1
        return Match(chosen, method, score, number, tuple(findings))

    def _candidates(self, section: str | None, subsection: str | None) -> list[Clause]:
        clauses = list(self.scheme.clauses)
        if section:
            clauses = [c for c in clauses if c.section == section] or clauses
        if subsection:
            clauses = [c for c in clauses if c.subsection == subsection] or clauses
        return clauses

    def _best_text(self, text: str, section: str | None,
                   subsection: str | None) -> tuple[Clause, float] | None:
        cands = self._candidates(section, subsection)
        key = text_key(text)
        if not key or not cands:
            return None
        scored = process.extract(key, {c.index: self._keys[c.index] for c in cands},
                                 scorer=fuzz.ratio, limit=None)
        if not scored:
            return None
        top = scored[0][1]
        ties = [self.scheme.clauses[idx] for _, s, idx in scored if s >= top - 0.5]
        # identical texts (5.3.1.5 / 5.3.2.6): prefer unused, then the expected position
        ties.sort(key=lambda c: (c.index in self._used, abs(c.index - self._expected)))
        return ties[0], float(top)

    def _by_text(self, text: str, section: str | None,
                 subsection: str | None) -> tuple[Clause | None, str]:
        best = self._best_text(text, section, subsection)
        if best is None or best[1] < self.settings.text_match_min:
            wider = self._best_text(text, section, None) if subsection else None
            if wider is None or wider[1] < self.settings.text_match_min:
                return None, "text"
            best = wider
        return best[0], "text"
