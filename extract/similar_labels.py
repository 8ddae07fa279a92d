"""Labels matched by similarity, for the fields the exact labels did not find.

Other bodies, converters and OCR write the vocabulary's labels with a slip (受审査方名称,
工商註册地址) or a word of their own (受审查方单位名称). A line ``label：value`` whose label
is not one of ``schemas/vocabulary.yaml`` but is close to one (rapidfuzz ratio on the
compared forms, only labels of four characters or more, one best field) gives that field
(of about the same length: a slip, not a longer phrase) when no exact label found it. The
exact path stays first and wins.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, Protocol, Sequence

from rapidfuzz import fuzz

from certreport.schemas.memo import per_object
from certreport.extract.record import FieldValue, Text, Where
from certreport.extract.tables import fold
from certreport.schemas.vocabulary import Vocabulary, vocabulary

_LINE = re.compile(r"^\s*(?:\d+(?:\.\d+)*\s*[).、．]?\s*)?(?P<label>[^\s:：，,。；;]{4,14})\s*[:：]\s*"
                   r"(?P<value>\S.*)$")


class _Line(Protocol):
    text: str
    where: Where


@dataclass(frozen=True)
class SimilaritySettings:
    min_ratio: float = 80.0   # a label this similar to a known one (0-100)
    min_margin: float = 5.0   # … and this much closer to it than to another field's
    max_length_difference: int = 1  # a slip, not more words (审查范围说明 is no 审查范围)


def similar_fields(lines: Sequence[_Line], found: Iterable[str],
                   settings: SimilaritySettings = SimilaritySettings()) -> list[FieldValue]:
    """Fields not in ``found`` whose labels appear with a slip at the start of a line."""
    have = set(found)
    closest = _closest_field(vocabulary())
    out: list[FieldValue] = []
    for line in lines:
        m = _LINE.match(line.text)
        if not m:
            continue
        ranked = closest(fold(m.group("label")), settings.max_length_difference)
        if ranked is None:
            continue
        name, ratio, runner_up = ranked
        if ratio >= settings.min_ratio and ratio < 100 and ratio - runner_up >= settings.min_margin \
                and name not in have:
            value = m.group("value").strip().strip("。;；,，").strip()
            out.append(FieldValue(name, m.group("label"), Text(value, line.where)))
            have.add(name)
    return out


@per_object
def _closest_field(voc: Vocabulary) -> Callable[[str, int], tuple[str, float, float] | None]:
    """For one vocabulary: a folded label -> the field whose labels (of about its length)
    it is closest to, that ratio and the next field's (None: no label of its length);
    labels folded once, each distinct label compared once."""
    labels = [(spec.name, fold(label)) for spec in voc.fields for label in spec.labels
              if len(fold(label)) >= 4]

    @lru_cache(maxsize=8192)
    def closest(label: str, max_length_difference: int) -> tuple[str, float, float] | None:
        best: dict[str, float] = {}
        for name, known in labels:
            if abs(len(known) - len(label)) <= max_length_difference:
                best[name] = max(best.get(name, 0.0), fuzz.ratio(label, known))
        ranked = sorted(best.items(), key=lambda kv: -kv[1])
        if not ranked:
            return None
        return ranked[0][0], ranked[0][1], ranked[1][1] if len(ranked) > 1 else 0.0

    return closest
