"""Clause catalogues of the certification schemes, loaded from ``schemas/schemes/*.yaml``.

A catalogue lists a scheme's parts, subsections and clauses with their weights, the level
thresholds, the strings that identify the scheme in a report and, under ``scoring``, how the
final score is made (a rule of :mod:`certreport.normalise.rules`, its rounding, the special
items' points and the deduction limit for a level).  :func:`load_scheme` parses
and validates one file; every problem is reported as a :class:`CatalogueError` naming the file,
the place and the numbers involved.
"""

from __future__ import annotations

import difflib
import functools
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from certreport.schemas import yamlfile
from certreport.schemas.folds import format_number

SCHEMES_DIR = Path(__file__).resolve().parent / "schemes"
DEFAULT_SCHEME_ID = "CTS ISC-JSGF-06"
TOLERANCE = 1e-6

SCHEME_KEYS = ("id", "name", "detect", "total_max", "levels", "parts")
OPTIONAL_SCHEME_KEYS = ("scoring",)
SCORING_KEYS = ("rule", "places", "special")
SPECIAL_KEYS = ("deduction_points", "addition_points", "max_additions", "level_deduction_limit")
LEVEL_KEYS = ("min", "level")
PART_KEYS = ("section", "title", "max", "subsections")
SUBSECTION_KEYS = ("number", "title", "base", "extension", "clauses")
CLAUSE_KEYS = ("number", "code", "weight", "base", "text")


class CatalogueError(ValueError):
    """A catalogue file is malformed or its numbers do not add up."""


@dataclass(frozen=True)
class Clause:
    """One scored clause (检查内容) with its weight (小类分值) and code (代码)."""

    number: str
    code: str | None
    weight: float
    base: bool
    text: str
    section: str
    subsection: str
    index: int


@dataclass(frozen=True)
class Subsection:
    """A subsection such as ``5.1.1 组织架构(4+8分)``: base + extension = sum of clause weights."""

    number: str
    title: str
    base: float
    extension: float
    section: str
    clauses: tuple[Clause, ...]

    @property
    def max(self) -> float:
        """Points the subsection is worth (base + extension)."""
        return self.base + self.extension


@dataclass(frozen=True)
class Part:
    """A scored part (A 售后服务体系, B 商品服务, C 顾客服务) and its maximum."""

    section: str
    title: str
    max: float
    subsections: tuple[Subsection, ...]

    @property
    def clauses(self) -> tuple[Clause, ...]:
        """The part's clauses in order."""
        return tuple(c for sub in self.subsections for c in sub.clauses)


@dataclass(frozen=True)
class Level:
    """A level threshold: a total of at least ``min`` earns ``level``."""

    min: float
    level: str


@dataclass(frozen=True)
class SpecialRules:
    """Special items (特别项): points per deduction (特别扣分项) and per addition (特别加分项),
    the most additions a report may grant, and the deduction points at which no level is
    granted (None: any; a field left out of the file: not checked)."""

    deduction_points: float | None = None
    addition_points: float | None = None
    max_additions: int | None = None
    level_deduction_limit: float | None = None


@dataclass(frozen=True)
class Scoring:
    """How the final score is made from the parts: ``rule`` names a function of
    :mod:`certreport.normalise.rules` (``plain_sum``, ``normalised``: 实际得分 / 涉及项总分值
    × 100), ``places`` the decimals it is written with (None: the report's own precision);
    special items are added after the rule."""

    rule: str = "plain_sum"
    places: int | None = None
    special: SpecialRules = field(default_factory=SpecialRules)


@dataclass(frozen=True)
class Scheme:
    """A certification scheme's catalogue with lookup helpers."""

    id: str
    name: str
    detect: tuple[str, ...]
    total_max: float
    levels: tuple[Level, ...]
    parts: tuple[Part, ...]
    scoring: Scoring = field(default_factory=Scoring)
    clauses: tuple[Clause, ...] = field(init=False, repr=False, compare=False)
    _by_code: dict[str, Clause] = field(init=False, repr=False, compare=False)
    _by_number: dict[str, Clause] = field(init=False, repr=False, compare=False)
    _subsections: dict[str, Subsection] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        clauses = tuple(c for part in self.parts for c in part.clauses)
        object.__setattr__(self, "clauses", clauses)
        object.__setattr__(self, "_by_code", {c.code: c for c in clauses if c.code})
        object.__setattr__(self, "_by_number", {c.number: c for c in clauses})
        subs = {s.number: s for part in self.parts for s in part.subsections}
        object.__setattr__(self, "_subsections", subs)

    def level_for(self, total: float | None) -> str | None:
        """The level of ``total``: the last threshold whose min <= total; None below the first."""
        if total is None or (isinstance(total, float) and math.isnan(total)):
            return None
        found: str | None = None
        for level in self.levels:
            if total + TOLERANCE >= level.min:
                found = level.level
        return found

    def clause_by_code(self, code: str) -> Clause | None:
        """The clause with code ``code`` (e.g. ``A12``), or None."""
        return self._by_code.get(code)

    def clause_by_number(self, number: str) -> Clause | None:
        """The clause numbered ``number`` (e.g. ``5.1.2.2``), or None."""
        return self._by_number.get(number)

    def part(self, section: str) -> Part | None:
        """The part with section letter ``section`` (A, B, C), or None."""
        return next((p for p in self.parts if p.section == section), None)

    def subsection(self, number: str) -> Subsection | None:
        """The subsection numbered ``number`` (e.g. ``5.1.1``), or None."""
        return self._subsections.get(number)


# --- parsing --------------------------------------------------------------------------------


class _Reader:
    """Parses the raw YAML data of one file, collecting every problem before raising."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors: list[str] = []

    def fail(self, message: str) -> None:
        self.errors.append(message)

    def raise_if_failed(self) -> None:
        if self.errors:
            details = "\n  - ".join(self.errors)
            raise CatalogueError(f"{self.path.name}: {len(self.errors)} problem(s):\n  - {details}")

    def mapping(self, value: Any, keys: tuple[str, ...], where: str,
                optional: tuple[str, ...] = ()) -> Mapping[str, Any] | None:
        """Check ``value`` is a mapping with exactly ``keys`` (and any of ``optional``);
        report missing and unknown keys."""
        if not isinstance(value, dict):
            self.fail(f"{where}: expected a mapping, got {type(value).__name__}")
            return None
        for key in value:
            if key not in keys and key not in optional:
                close = difflib.get_close_matches(str(key), keys + optional, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.fail(f"unknown key '{key}' in {where}{hint}")
        for key in keys:
            if key not in value:
                self.fail(f"missing key '{key}' in {where}")
        return value if all(k in value for k in keys) else None

    def string(self, value: Any, where: str, *, nullable: bool = False) -> str | None:
        if value is None and nullable:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{where}: expected a non-empty string, got {value!r}")
            return None
        return value

    def number(self, value: Any, where: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            self.fail(f"{where}: expected a non-negative number, got {value!r}")
            return 0.0
        return float(value)

    def sequence(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list) or not value:
            self.fail(f"{where}: expected a non-empty list, got {value!r}")
            return []
        return value


def _parse(data: Any, reader: _Reader) -> Scheme:
    """Turn raw YAML data into a Scheme (structure and types only; sums are checked later)."""
    top = reader.mapping(data, SCHEME_KEYS, "the scheme", OPTIONAL_SCHEME_KEYS)
    if top is None:
        reader.raise_if_failed()
    assert top is not None
    scheme_id = reader.string(top["id"], "id") or ""
    name = reader.string(top["name"], "name") or ""
    detect = tuple(
        reader.string(s, f"detect[{i}]") or "" for i, s in enumerate(reader.sequence(top["detect"], "detect"))
    )
    total_max = reader.number(top["total_max"], "total_max")
    levels: list[Level] = []
    for i, raw in enumerate(reader.sequence(top["levels"], "levels")):
        lv = reader.mapping(raw, LEVEL_KEYS, f"levels[{i}]")
        if lv is not None:
            levels.append(Level(reader.number(lv["min"], f"levels[{i}].min"),
                                reader.string(lv["level"], f"levels[{i}].level") or ""))
    parts: list[Part] = []
    index = 0
    for i, raw_part in enumerate(reader.sequence(top["parts"], "parts")):
        pt = reader.mapping(raw_part, PART_KEYS, f"parts[{i}]")
        if pt is None:
            continue
        section = reader.string(pt["section"], f"parts[{i}].section") or ""
        where_part = f"part {section or i}"
        subsections: list[Subsection] = []
        for j, raw_sub in enumerate(reader.sequence(pt["subsections"], f"{where_part} subsections")):
            sb = reader.mapping(raw_sub, SUBSECTION_KEYS, f"{where_part} subsection #{j + 1}")
            if sb is None:
                continue
            sub_no = reader.string(sb["number"], f"{where_part} subsection #{j + 1} number") or ""
            where_sub = f"subsection {sub_no}"
            clauses: list[Clause] = []
            for k, raw_clause in enumerate(reader.sequence(sb["clauses"], f"{where_sub} clauses")):
                cl_no = raw_clause.get("number") if isinstance(raw_clause, dict) else None
                where_cl = f"clause {cl_no}" if isinstance(cl_no, str) else f"{where_sub} clause #{k + 1}"
                cl = reader.mapping(raw_clause, CLAUSE_KEYS, where_cl)
                if cl is None:
                    continue
                if not isinstance(cl["base"], bool):
                    reader.fail(f"{where_cl}: base must be true or false, got {cl['base']!r}")
                clauses.append(Clause(
                    number=reader.string(cl["number"], f"{where_cl} number") or "",
                    code=reader.string(cl["code"], f"{where_cl} code", nullable=True),
                    weight=reader.number(cl["weight"], f"{where_cl} weight"),
                    base=cl["base"] is True,
                    text=reader.string(cl["text"], f"{where_cl} text") or "",
                    section=section, subsection=sub_no, index=index,
                ))
                index += 1
            subsections.append(Subsection(
                number=sub_no,
                title=reader.string(sb["title"], f"{where_sub} title") or "",
                base=reader.number(sb["base"], f"{where_sub} base"),
                extension=reader.number(sb["extension"], f"{where_sub} extension"),
                section=section, clauses=tuple(clauses),
            ))
        parts.append(Part(section=section, title=reader.string(pt["title"], f"{where_part} title") or "",
                          max=reader.number(pt["max"], f"{where_part} max"), subsections=tuple(subsections)))
    scoring = _parse_scoring(top.get("scoring"), reader)
    reader.raise_if_failed()
    return Scheme(id=scheme_id, name=name, detect=detect, total_max=total_max,
                  levels=tuple(levels), parts=tuple(parts), scoring=scoring)


def _parse_scoring(raw: Any, reader: _Reader) -> Scoring:
    """The ``scoring`` mapping (every key optional; absent: a plain sum, no special rules)."""
    if raw is None:
        return Scoring()
    sc = reader.mapping(raw, (), "scoring", SCORING_KEYS)
    if sc is None:
        return Scoring()
    rule = reader.string(sc.get("rule", "plain_sum"), "scoring.rule") or "plain_sum"
    places = sc.get("places")
    if places is not None and (isinstance(places, bool) or not isinstance(places, int)
                               or not 0 <= places <= 6):
        reader.fail(f"scoring.places: expected an integer 0..6, got {places!r}")
        places = None
    special = SpecialRules()
    if sc.get("special") is not None:
        sp = reader.mapping(sc["special"], (), "scoring.special", SPECIAL_KEYS)
        if sp is not None:
            def num(key: str) -> float | None:
                return reader.number(sp[key], f"scoring.special.{key}") if key in sp else None
            most = sp.get("max_additions")
            if most is not None and (isinstance(most, bool) or not isinstance(most, int) or most < 0):
                reader.fail(f"scoring.special.max_additions: expected a count, got {most!r}")
                most = None
            special = SpecialRules(num("deduction_points"), num("addition_points"), most,
                                   num("level_deduction_limit"))
    return Scoring(rule, places, special)


# --- validation -----------------------------------------------------------------------------


_fmt = format_number  # a number as people write it: 4, 1.5, 72.7


def _differs(a: float, b: float) -> bool:
    return abs(a - b) > TOLERANCE


def _validate(scheme: Scheme, reader: _Reader) -> None:
    """Check the arithmetic and the uniqueness rules of a parsed scheme."""
    seen_sections: set[str] = set()
    seen_subsections: set[str] = set()
    seen_numbers: set[str] = set()
    seen_codes: dict[str, str] = {}
    for part in scheme.parts:
        if part.section in seen_sections:
            reader.fail(f"part {part.section}: section letter used twice")
        seen_sections.add(part.section)
        for sub in part.subsections:
            if sub.number in seen_subsections:
                reader.fail(f"subsection {sub.number}: number used twice")
            seen_subsections.add(sub.number)
            _validate_subsection(sub, reader)
            for clause in sub.clauses:
                if clause.number in seen_numbers:
                    reader.fail(f"clause {clause.number}: number used twice")
                seen_numbers.add(clause.number)
                if clause.code is not None:
                    if clause.code in seen_codes:
                        reader.fail(f"clause {clause.number}: code {clause.code} already used by clause "
                                    f"{seen_codes[clause.code]}")
                    else:
                        seen_codes[clause.code] = clause.number
        sub_total = sum(sub.max for sub in part.subsections)
        if _differs(part.max, sub_total):
            reader.fail(f"part {part.section}: max {_fmt(part.max)} but its subsections' base + extension "
                        f"add up to {_fmt(sub_total)}")
    parts_total = sum(part.max for part in scheme.parts)
    if _differs(scheme.total_max, parts_total):
        reader.fail(f"total_max {_fmt(scheme.total_max)} but the part maxima add up to {_fmt(parts_total)}")
    for previous, level in zip(scheme.levels, scheme.levels[1:]):
        if level.min <= previous.min + TOLERANCE:
            reader.fail(f"levels not strictly ascending: {level.level} (min {_fmt(level.min)}) follows "
                        f"{previous.level} (min {_fmt(previous.min)})")
    for level in scheme.levels:
        if level.min > scheme.total_max + TOLERANCE:
            reader.fail(f"level {level.level}: min {_fmt(level.min)} exceeds total_max "
                        f"{_fmt(scheme.total_max)}")
    reader.raise_if_failed()


def _validate_subsection(sub: Subsection, reader: _Reader) -> None:
    """Clause numbers under the subsection, weights = base + extension, base run = base."""
    where = f"subsection {sub.number}"
    for clause in sub.clauses:
        if not clause.number.startswith(sub.number + "."):
            reader.fail(f"clause {clause.number}: number does not start with its subsection number "
                        f"{sub.number}")
    total = sum(c.weight for c in sub.clauses)
    if _differs(total, sub.max):
        reader.fail(f"{where}: clause weights add up to {_fmt(total)}, expected base {_fmt(sub.base)} + "
                    f"extension {_fmt(sub.extension)} = {_fmt(sub.max)}")
    base_total = sum(c.weight for c in sub.clauses if c.base)
    if _differs(base_total, sub.base):
        reader.fail(f"{where}: weights of base clauses add up to {_fmt(base_total)}, expected base "
                    f"{_fmt(sub.base)}")
    seen_extension = False
    for clause in sub.clauses:
        if clause.base and seen_extension:
            reader.fail(f"{where}: base clause {clause.number} follows an extension clause "
                        f"(base clauses must lead)")
        seen_extension = seen_extension or not clause.base


# --- loading --------------------------------------------------------------------------------


def load_scheme(path: str | Path) -> Scheme:
    """Parse and validate one catalogue file; raise CatalogueError naming the file and the problem."""
    path = Path(path)
    reader = _Reader(path)
    try:
        data = yamlfile.load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path.name}: cannot read catalogue: {exc}") from exc
    scheme = _parse(data, reader)
    _validate(scheme, reader)
    return scheme


def _load_directory(directory: Path) -> tuple[Scheme, ...]:
    schemes = tuple(load_scheme(p) for p in sorted(directory.glob("*.yaml")))
    ids = [s.id for s in schemes]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise CatalogueError(f"{directory}: scheme id(s) defined twice: {', '.join(duplicates)}")
    return schemes


SCHEMES_ENV = "CERTREPORT_SCHEMES"


@functools.lru_cache(maxsize=4)
def _default_schemes(extra: str) -> tuple[Scheme, ...]:
    schemes = list(_load_directory(SCHEMES_DIR))
    for folder in filter(None, extra.split(os.pathsep)):
        for scheme in _load_directory(Path(folder)):
            if any(s.id == scheme.id for s in schemes):
                raise CatalogueError(f"{folder}: scheme {scheme.id!r} is already defined")
            schemes.append(scheme)
    return tuple(schemes)


def load_schemes(directory: Path | None = None) -> tuple[Scheme, ...]:
    """Every ``*.yaml`` catalogue in ``directory``; by default those of ``schemas/schemes``
    plus those of the folders named in ``$CERTREPORT_SCHEMES`` (``os.pathsep``-separated),
    loaded once per setting. A new scheme is one more data file."""
    if directory is None:
        return _default_schemes(os.environ.get(SCHEMES_ENV, ""))
    return _load_directory(Path(directory))


def default_scheme() -> Scheme:
    """The CTS ISC-JSGF-06 catalogue."""
    for scheme in load_schemes():
        if scheme.id == DEFAULT_SCHEME_ID:
            return scheme
    raise CatalogueError(f"{SCHEMES_DIR}: no catalogue with id {DEFAULT_SCHEME_ID!r}")


def part_titles(schemes: tuple[Scheme, ...] | None = None) -> tuple[str, ...]:
    """The part titles of ``schemes`` (default: every installed scheme): what a reader looks
    for as part headings before it knows the report's scheme."""
    return tuple(dict.fromkeys(p.title for s in (schemes or load_schemes()) for p in s.parts))
