"""One text normalisation at the readers' edge, as data (``schemas/text_forms.yaml``).

:func:`normalise_text` folds the code points fonts and converters put for ordinary text
(CJK radicals such as ⻄ U+2EC4 for 西, Kangxi radicals, CJK compatibility ideographs,
full-width digits and letters) and drops invisible characters (soft hyphens, zero-width
characters); :func:`normalise_document` applies it to every paragraph, cell and running
text of a :class:`~certreport.extract.record.Document`, whatever reader made it, so the
assembly and everything after it see one form. Check-box glyphs are left alone (readers
map them through :mod:`certreport.extract.glyphs`).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from certreport.extract.record import Block, Document, Paragraph, Table, Text
from certreport.schemas import yamlfile
from certreport.schemas.vocabulary import VOCABULARY_PATH

TEXT_FORMS_PATH = VOCABULARY_PATH.with_name("text_forms.yaml")


class TextFormsError(ValueError):
    """The normalisation table is malformed; the message names the file and the key."""


def _code(path: Path, key: str, value: object) -> int:
    try:
        return int(str(value), 16)
    except ValueError as exc:
        raise TextFormsError(f"{path.name}: {key}: {value!r} is not a hex code point") from exc


def load_table(path: Path = TEXT_FORMS_PATH) -> dict[int, str]:
    """The table as a ``str.translate`` map: code point -> replacement ('' drops it)."""
    data = yamlfile.load(path.read_text(encoding="utf-8"))
    unknown = set(data) - {"nfkc_ranges", "map", "remove"}
    if unknown:
        raise TextFormsError(f"{path.name}: unknown keys {sorted(unknown)}")
    table: dict[int, str] = {}
    for pair in data.get("nfkc_ranges", []):
        if not isinstance(pair, list) or len(pair) != 2:
            raise TextFormsError(f"{path.name}: nfkc_ranges: {pair!r} is not [first, last]")
        first, last = (_code(path, "nfkc_ranges", v) for v in pair)
        for cp in range(first, last + 1):
            folded = unicodedata.normalize("NFKC", chr(cp))
            if folded != chr(cp):
                table[cp] = folded
    for src, dst in (data.get("map") or {}).items():
        if len(str(src)) != 1:
            raise TextFormsError(f"{path.name}: map: key {src!r} is not one character")
        table[ord(str(src))] = str(dst)
    for value in data.get("remove", []):
        table[_code(path, "remove", value)] = ""
    return table


def _char_class(codes: list[int]) -> re.Pattern[str]:
    """One character of ``codes`` (as ranges of consecutive code points)."""
    ranges: list[tuple[int, int]] = []
    for cp in sorted(codes):
        if ranges and cp == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    body = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                   for a, b in ranges)
    return re.compile(f"[{body}]" if body else r"(?!)")


@lru_cache(maxsize=1)
def _table() -> tuple[dict[int, str], re.Pattern[str]]:
    """The translate map and a pattern of one character it changes (most text has none:
    a C scan tells, and the text is kept as it is)."""
    table = load_table()
    return table, _char_class(list(table))


def normalise_text(text: str) -> str:
    """``text`` in the one form the assembly reads (see the module docstring)."""
    table, changed = _table()
    return text.translate(table) if changed.search(text) else text


def _cell(t: Text) -> Text:
    folded = normalise_text(t.text)
    return t if folded == t.text else replace(t, text=folded)


def _block(block: Block, changed: re.Pattern[str]) -> Block:
    if isinstance(block, Paragraph):
        text = normalise_text(block.text)
        return block if text == block.text else replace(block, text=text)
    if isinstance(block, Table):
        if not changed.search("\n".join(c.text for row in block.rows for c in row)):
            return block  # one scan of the table's text: nothing to fold
        return replace(block, rows=tuple(tuple(_cell(c) for c in row) for row in block.rows))
    return block


def normalise_document(doc: Document) -> Document:
    """The document with every paragraph, cell and running text normalised (blocks that
    need no change kept as they are)."""
    changed = _table()[1]
    return replace(doc, blocks=tuple(_block(b, changed) for b in doc.blocks),
                   running_texts=tuple(normalise_text(t) for t in doc.running_texts))
