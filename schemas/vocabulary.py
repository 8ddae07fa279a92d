"""Load and validate ``schemas/vocabulary.yaml``: the words of the report family."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from certreport.schemas import yamlfile

VOCABULARY_PATH = Path(__file__).with_name("vocabulary.yaml")

_KEYS = {
    "fields", "cert_body_pattern", "criteria_labels", "total_patterns", "level_word", "level_patterns",
    "level_in_fields", "part_max_pattern", "part_score_pattern", "score_columns",
    "score_required", "score_one_of", "team_columns", "team_required", "not_applicable",
    "checkbox_groups", "checkbox_glyphs", "symbol_fonts", "default_symbol_font",
    "special_items", "score_figures",
}
NUM = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
COUNT = r"[0-9０-９]+|[零一二两三四五六七八九十]"


class VocabularyError(ValueError):
    """The vocabulary file is malformed; the message names the file and the key."""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    labels: tuple[str, ...]
    next_line: bool = False


@dataclass(frozen=True)
class ScoringPhrases:
    """How reports write special items and the figures of a final score (all regexes;
    see ``special_items`` and ``score_figures`` in vocabulary.yaml)."""

    none_deduction: tuple[re.Pattern[str], ...]
    none_addition: tuple[re.Pattern[str], ...]
    none_both: tuple[re.Pattern[str], ...]
    deduction: tuple[re.Pattern[str], ...]
    addition: tuple[re.Pattern[str], ...]
    raw_total: tuple[re.Pattern[str], ...]
    applicable_max: tuple[re.Pattern[str], ...]
    normalised: tuple[re.Pattern[str], ...]
    table_columns: Mapping[str, tuple[str, ...]]  # kind / count / points / reasons -> header words
    table_rows: Mapping[str, tuple[str, ...]]     # deduction / addition -> row labels


@dataclass(frozen=True)
class Vocabulary:
    fields: tuple[FieldSpec, ...]
    cert_body_pattern: re.Pattern[str]
    criteria_labels: tuple[str, ...]
    total_patterns: tuple[re.Pattern[str], ...]
    level_word: str
    level_patterns: tuple[tuple[str, re.Pattern[str]], ...]
    level_in_fields: tuple[str, ...]
    part_max_pattern: re.Pattern[str]
    part_score_pattern: re.Pattern[str]
    score_columns: Mapping[str, tuple[str, ...]]
    score_required: tuple[str, ...]
    score_one_of: tuple[str, ...]
    team_columns: Mapping[str, tuple[str, ...]]
    team_required: tuple[str, ...]
    not_applicable: frozenset[str]
    checkbox_groups: Mapping[str, tuple[str, ...]]
    checked_glyphs: frozenset[str]
    unchecked_glyphs: frozenset[str]
    symbol_fonts: Mapping[str, Mapping[int, bool]]
    default_symbol_font: str
    scoring: ScoringPhrases


def _fail(path: Path, msg: str) -> VocabularyError:
    return VocabularyError(f"{path.name}: {msg}")


def _compile(path: Path, key: str, pattern: str) -> re.Pattern[str]:
    try:
        rx = re.compile(pattern)
    except re.error as exc:
        raise _fail(path, f"{key}: bad regular expression {pattern!r}: {exc}") from exc
    if "v" not in rx.groupindex:
        raise _fail(path, f"{key}: pattern {pattern!r} has no (?P<v>…) group")
    return rx


def _strings(path: Path, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise _fail(path, f"{key}: expected a list of strings")
    return tuple(str(v) for v in value)


def _patterns(path: Path, key: str, value: Any, groups: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """A list of regexes with {num} / {count} filled in, each holding ``groups``."""
    out = []
    for i, pat in enumerate(_strings(path, key, value)):
        text = pat.replace("{num}", NUM).replace("{count}", COUNT)
        try:
            rx = re.compile(text)
        except re.error as exc:
            raise _fail(path, f"{key}[{i}]: bad regular expression {pat!r}: {exc}") from exc
        missing = [g for g in groups if g not in rx.groupindex]
        if missing:
            raise _fail(path, f"{key}[{i}]: pattern {pat!r} lacks group(s) {missing}")
        out.append(rx)
    return tuple(out)


def _scoring_phrases(path: Path, special: Any, figures: Any) -> ScoringPhrases:
    keys = {"none", "deduction", "addition", "table_columns", "table_rows"}
    if not isinstance(special, dict) or set(special) != keys:
        raise _fail(path, f"special_items: expected the keys {', '.join(sorted(keys))}")
    columns, rows = special["table_columns"], special["table_rows"]
    if not isinstance(columns, dict) or set(columns) != {"kind", "count", "points", "reasons"}:
        raise _fail(path, "special_items.table_columns: expected kind, count, points, reasons")
    if not isinstance(rows, dict) or set(rows) != {"deduction", "addition"}:
        raise _fail(path, "special_items.table_rows: expected deduction, addition")
    none = special["none"]
    if not isinstance(none, dict) or set(none) != {"deduction", "addition", "both"}:
        raise _fail(path, "special_items.none: expected the keys deduction, addition, both")
    if not isinstance(figures, dict) or set(figures) != {"raw_total", "applicable_max", "normalised"}:
        raise _fail(path, "score_figures: expected the keys raw_total, applicable_max, normalised")
    return ScoringPhrases(
        none_deduction=_patterns(path, "special_items.none.deduction", none["deduction"], ()),
        none_addition=_patterns(path, "special_items.none.addition", none["addition"], ()),
        none_both=_patterns(path, "special_items.none.both", none["both"], ()),
        deduction=_patterns(path, "special_items.deduction", special["deduction"], ("n", "v")),
        addition=_patterns(path, "special_items.addition", special["addition"], ("n", "v")),
        raw_total=_patterns(path, "score_figures.raw_total", figures["raw_total"], ("v",)),
        applicable_max=_patterns(path, "score_figures.applicable_max", figures["applicable_max"],
                                 ("v",)),
        normalised=_patterns(path, "score_figures.normalised", figures["normalised"], ("v",)),
        table_columns={k: _strings(path, f"special_items.table_columns.{k}", v)
                       for k, v in columns.items()},
        table_rows={k: _strings(path, f"special_items.table_rows.{k}", v) for k, v in rows.items()},
    )


def load_vocabulary(path: Path = VOCABULARY_PATH) -> Vocabulary:
    """Parse and validate a vocabulary file."""
    data = yamlfile.load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise _fail(path, "expected a mapping at the top level")
    for key in data:
        if key not in _KEYS:
            near = difflib.get_close_matches(key, _KEYS, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise _fail(path, f"unknown key {key!r}{hint}")
    missing = _KEYS - set(data)
    if missing:
        raise _fail(path, f"missing keys: {', '.join(sorted(missing))}")

    fields = []
    for name, spec in data["fields"].items():
        if not isinstance(spec, dict) or "labels" not in spec:
            raise _fail(path, f"fields.{name}: expected {{labels: [...]}}")
        unknown = set(spec) - {"labels", "next_line"}
        if unknown:
            raise _fail(path, f"fields.{name}: unknown keys {sorted(unknown)}")
        fields.append(FieldSpec(name, _strings(path, f"fields.{name}.labels", spec["labels"]),
                                bool(spec.get("next_line", False))))

    level_word = str(data["level_word"])
    level_patterns = tuple(
        (name, _compile(path, f"level_patterns.{name}", pat.replace("{level}", level_word)))
        for name, pat in data["level_patterns"].items()
    )
    columns = {}
    for key in ("score_columns", "team_columns"):
        columns[key] = {role: _strings(path, f"{key}.{role}", syn) for role, syn in data[key].items()}
    for key, cols in (("score_required", "score_columns"), ("score_one_of", "score_columns"),
                      ("team_required", "team_columns")):
        for role in data[key]:
            if role not in columns[cols]:
                raise _fail(path, f"{key}: {role!r} is not a role of {cols}")
    fonts: dict[str, dict[int, bool]] = {}
    for font, table in data["symbol_fonts"].items():
        fonts[font] = {}
        for code, state in table.items():
            if state not in ("checked", "unchecked"):
                raise _fail(path, f"symbol_fonts.{font}.{code}: expected checked or unchecked")
            fonts[font][int(str(code), 16)] = state == "checked"
    if data["default_symbol_font"] not in fonts:
        raise _fail(path, "default_symbol_font names no font of symbol_fonts")
    glyphs = data["checkbox_glyphs"]
    return Vocabulary(
        fields=tuple(fields),
        cert_body_pattern=re.compile(str(data["cert_body_pattern"])),
        criteria_labels=_strings(path, "criteria_labels", data["criteria_labels"]),
        total_patterns=tuple(_compile(path, "total_patterns", p) for p in data["total_patterns"]),
        level_word=level_word,
        level_patterns=level_patterns,
        level_in_fields=_strings(path, "level_in_fields", data["level_in_fields"]),
        part_max_pattern=_compile(path, "part_max_pattern", data["part_max_pattern"]),
        part_score_pattern=_compile(path, "part_score_pattern", data["part_score_pattern"]),
        score_columns=columns["score_columns"],
        score_required=_strings(path, "score_required", data["score_required"]),
        score_one_of=_strings(path, "score_one_of", data["score_one_of"]),
        team_columns=columns["team_columns"],
        team_required=_strings(path, "team_required", data["team_required"]),
        not_applicable=frozenset(_strings(path, "not_applicable", data["not_applicable"])),
        checkbox_groups={k: _strings(path, f"checkbox_groups.{k}", v)
                         for k, v in data["checkbox_groups"].items()},
        checked_glyphs=frozenset(_strings(path, "checkbox_glyphs.checked", glyphs["checked"])),
        unchecked_glyphs=frozenset(_strings(path, "checkbox_glyphs.unchecked", glyphs["unchecked"])),
        symbol_fonts=fonts,
        default_symbol_font=str(data["default_symbol_font"]),
        scoring=_scoring_phrases(path, data["special_items"], data["score_figures"]),
    )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The project's vocabulary, loaded once."""
    return load_vocabulary()
