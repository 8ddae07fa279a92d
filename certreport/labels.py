"""Labels in the reader's language (Chinese first, ``en`` on request), from
``schemas/labels.yaml``: headings, column names, check names and finding messages.

The data keeps English identifiers and messages; these functions only change what is shown::

    from certreport.labels import Labels
    zh = Labels("zh")
    zh.check("item_score")                 # '分项得分'
    zh.message(finding)                    # the finding's message in Chinese
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from certreport import schemas as _schemas
from certreport.schemas import yamlfile

LABELS_PATH = Path(_schemas.__file__).with_name("labels.yaml")


@dataclass(frozen=True)
class _Pattern:
    regex: re.Pattern
    templates: dict[str, str]


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    """The labels file, validated: every label has every language, every pattern compiles
    and its templates name only its groups."""
    data = yamlfile.load(LABELS_PATH.read_text(encoding="utf-8"))
    langs = data["languages"]
    for section in ("ui", "columns"):
        for key, entry in data[section].items():
            missing = [lang for lang in langs if lang not in entry]
            if missing:
                raise ValueError(f"{LABELS_PATH.name}: {section}.{key}: no {', '.join(missing)}")
    patterns: dict[str, list[_Pattern]] = {}
    for check, entry in data["checks"].items():
        if any(lang not in entry["name"] for lang in langs):
            raise ValueError(f"{LABELS_PATH.name}: checks.{check}.name: a language is missing")
        pats = []
        for i, m in enumerate(entry.get("messages", ())):
            try:
                rx = re.compile(m["pattern"])
            except re.error as exc:
                raise ValueError(f"{LABELS_PATH.name}: checks.{check}.messages[{i}]: {exc}")
            templates = {k: v for k, v in m.items() if k != "pattern"}
            for lang, tpl in templates.items():
                names = set(re.findall(r"{(\w+)}", tpl))
                if not names <= set(rx.groupindex):
                    raise ValueError(f"{LABELS_PATH.name}: checks.{check}.messages[{i}].{lang}: "
                                     f"unknown group(s) {sorted(names - set(rx.groupindex))}")
            pats.append(_Pattern(rx, templates))
        patterns[check] = pats
    data["_patterns"] = patterns
    return data


def languages() -> tuple[str, ...]:
    return tuple(_data()["languages"])


def default_language() -> str:
    return _data()["default"]


class Labels:
    """The labels of one language (unknown keys are shown as they are)."""

    def __init__(self, lang: str | None = None) -> None:
        lang = lang or default_language()
        if lang not in languages():
            raise ValueError(f"language {lang!r}: expected one of {', '.join(languages())}")
        self.lang = lang

    def __call__(self, key: str) -> str:
        """A heading or word of the user interface."""
        entry = _data()["ui"].get(key)
        return entry[self.lang] if entry else key

    def label(self, key: str) -> str:
        """A heading: a word of the interface, else a column's name."""
        return self(key) if key in _data()["ui"] else self.column(key)

    def column(self, name: str) -> str:
        entry = _data()["columns"].get(name)
        return entry[self.lang] if entry else name

    def check(self, name: str | None) -> str:
        entry = _data()["checks"].get(name or "")
        return entry["name"][self.lang] if entry else (name or "")

    def severity(self, severity: str | None) -> str:
        return self(severity) if severity else ""

    def message(self, finding: Mapping[str, Any]) -> str:
        """The finding's message in this language: the English message rewritten by the
        first pattern of its check that matches it whole (else as it is)."""
        text = finding.get("message") or ""
        for p in _data()["_patterns"].get(finding.get("check_name") or "", ()):
            tpl = p.templates.get(self.lang)
            m = p.regex.fullmatch(text)
            if tpl and m:
                return tpl.format(**{k: self._term(v or "") for k, v in m.groupdict().items()})
        return text

    def _term(self, value: str) -> str:
        """A group that is a field name (``scope``, ``audit_type``) shown as its label."""
        return self.column(value) if value in _data()["columns"] else value

    def as_dict(self) -> dict[str, str]:
        """Every heading of the interface (for templates)."""
        return {k: v[self.lang] for k, v in _data()["ui"].items()}
