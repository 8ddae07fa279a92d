"""From a :class:`Document` (any format) to the one intermediate :class:`Record`.

Format-agnostic: labelled fields, check-box lines, part headings, the stated total and
levels come from paragraphs (and from the cells of tables that are neither score nor team
tables); score and team tables go through :mod:`extract.tables`. All the words come from
``schemas/vocabulary.yaml`` and the part titles from the scheme catalogues.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extract.record import (CHECKED, UNCHECKED, CheckGroup, CheckOption, Document, FieldValue,
                            Paragraph, PartHeading, Record, Table, Text, Where)
from extract.tables import ColumnMap, ScoreRowBuilder, body_rows, classify_header, fold, team_rows
from schemas.catalogue import load_schemes
from schemas.vocabulary import Vocabulary, vocabulary

_CN_NUM = "[一二三四五六七八九十]+"
_NUMBERING = re.compile(
    r"^\s*(?:第\s*(?:\d+|" + _CN_NUM + r")\s*(?:部分|章|节)\s*[、.．:：]?|\d+(?:\.\d+)*\s*[).、．]?"
    r"|[（(]\s*(?:\d+|" + _CN_NUM + r")\s*[)）]|" + _CN_NUM + r"\s*[、.．])\s*")
# a section number left at the end of a value by the next label on its line (…号 1.4 审查地址：)
_TRAILING_NUMBER = re.compile(r"\s+(?:\d+(?:\.\d+)+|\d+\s*[).、．])$")
_HEADING_LIKE = re.compile(r"^\s*(?:\d+(?:\.\d+)+|\d+\s*[).、．])")


@dataclass(frozen=True)
class _Line:
    text: str
    where: Where


@lru_cache(maxsize=1)
def _label_regex() -> tuple[re.Pattern[str], dict[str, tuple[str, bool]]]:
    voc = vocabulary()
    by_label: dict[str, tuple[str, bool]] = {}
    for spec in voc.fields:
        for label in spec.labels:
            by_label.setdefault(fold(label), (spec.name, spec.next_line))
    alts = sorted(by_label, key=len, reverse=True)
    body = "|".join(r"\s*".join(re.escape(ch) for ch in label) for label in alts)
    rx = re.compile(
        r"(?:^|(?<=[\s\d.、)）:：,，;；]))(?P<label>" + body + r")\s*(?:【[^】]*】|\[[^\]]*\])?\s*(?:[:：]|$)")
    return rx, by_label


def _part_titles() -> tuple[str, ...]:
    return _titles(load_schemes())


@lru_cache(maxsize=4)
def _titles(schemes: tuple) -> tuple[str, ...]:
    titles = {p.title for s in schemes for p in s.parts}
    return tuple(sorted(titles, key=len, reverse=True))


def _lines(doc: Document, skip: set[int]) -> list[_Line]:
    """Paragraphs, and the rows of tables that are not score/team tables, as lines."""
    _, by_label = _label_regex()
    out: list[_Line] = []
    for i, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            for part in block.text.split("\n"):
                if part.strip():
                    out.append(_Line(part.strip(), block.where))
        elif isinstance(block, Table) and i not in skip:
            for row in block.rows:
                texts: list[str] = []
                for cell in row:
                    t = cell.text.replace("\n", " ").strip()
                    if t and (not texts or texts[-1] != t):
                        texts.append(t)
                if not texts:
                    continue
                line = ""
                for t in texts:
                    bare = _NUMBERING.sub("", t)  # a label cell may carry its number (1.1 …)
                    if fold(bare).rstrip(":") in by_label:
                        line += bare.rstrip().rstrip(":：") + "："
                    else:
                        line += t + " "
                out.append(_Line(line.strip(), row[0].where))
    return out


def find_fields(lines: list[_Line]) -> list[FieldValue]:
    """Every ``label：value`` found; a label with no value takes the next line when its
    field allows (addresses, scope)."""
    rx, by_label = _label_regex()
    found: list[FieldValue] = []
    for i, line in enumerate(lines):
        matches = list(rx.finditer(line.text))
        for j, m in enumerate(matches):
            end = matches[j + 1].start() if j + 1 < len(matches) else len(line.text)
            value = line.text[m.end():end].strip().strip("。;；,，").strip()
            if j + 1 < len(matches):
                value = _TRAILING_NUMBER.sub("", value)
            name, next_line = by_label[fold(m.group("label"))]
            if not value and next_line and j == len(matches) - 1 and i + 1 < len(lines):
                nxt = lines[i + 1]
                if not rx.search(nxt.text) and not _HEADING_LIKE.match(nxt.text):
                    found.append(FieldValue(name, m.group("label"), Text(nxt.text, nxt.where)))
                    continue
            if value:
                found.append(FieldValue(name, m.group("label"), Text(value, line.where)))
    return found


def find_checkboxes(lines: list[_Line], voc: Vocabulary) -> list[CheckGroup]:
    """Lines that list the options of a check-box group, with each option's mark."""
    marks = voc.checked_glyphs | voc.unchecked_glyphs | {CHECKED, UNCHECKED}
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
        text = line.text
        opts = []
        for start, _end, label in spans:
            k = start - 1
            while k >= 0 and text[k] in " \t\u3000":
                k -= 1
            glyph = text[k] if k >= 0 and text[k] in marks else None
            checked = None if glyph is None else (glyph in voc.checked_glyphs or glyph == CHECKED)
            opts.append(CheckOption(label, checked, line.where))
        marked = any(o.checked is not None for o in opts)
        if marked:
            opts = [CheckOption(o.label, bool(o.checked), o.where) for o in opts]
        groups.append(CheckGroup(name, tuple(opts), marked, line.where))
    return groups


def _option_spans(text: str, options: tuple[str, ...]) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for opt in sorted(options, key=len, reverse=True):
        for m in re.finditer(re.escape(opt), text):
            s, e = m.span()
            if all(e <= a or s >= b for a, b, _ in spans):
                spans.append((s, e, opt))
    return sorted(spans)


def find_parts(lines: list[_Line], voc: Vocabulary) -> list[tuple[int, PartHeading]]:
    """Part headings (售后服务体系 …) with the index of their line and the stated maximum
    and score from the heading line or the two lines after it."""
    titles = _part_titles()
    heads = []
    for i, line in enumerate(lines):
        body = _NUMBERING.sub("", line.text)
        title = next((t for t in titles if fold(body).startswith(fold(t))), None)
        if title is not None and (len(body) <= 40 or "满分" in body):
            heads.append((i, title))
    found = []
    for k, (i, title) in enumerate(heads):
        stop = min(i + 3, heads[k + 1][0] if k + 1 < len(heads) else len(lines))
        mx, sc = _part_figures(lines[i:stop], voc)
        found.append((i, PartHeading(Text(title, lines[i].where), mx, sc)))
    return found


def _part_figures(lines: list[_Line], voc: Vocabulary) -> tuple[Text | None, Text | None]:
    """The first stated maximum (满分 73) and score (实际得分 72.7) in these lines."""
    mx = sc = None
    for line in lines:
        text = line.text
        m = voc.part_max_pattern.search(text)
        if m and mx is None:
            mx = Text(m.group("v"), line.where)
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
        s = voc.part_score_pattern.search(text)
        if s and sc is None:
            sc = Text(s.group("v"), line.where)
        if mx is not None and sc is not None:
            break
    return mx, sc


def assemble(doc: Document) -> Record:
    """Build the intermediate record from a document's blocks."""
    voc = vocabulary()
    maps: dict[int, tuple[ColumnMap, bool]] = {}
    last: ColumnMap | None = None
    for i, block in enumerate(doc.blocks):
        if not isinstance(block, Table) or not block.rows:
            continue
        cmap = classify_header(block, voc.score_columns, voc.team_columns, voc.score_required,
                               voc.score_one_of, voc.team_required)
        if cmap is not None:
            maps[i] = (cmap, True)
            last = cmap
        elif last is not None and len(block.rows[0]) == 1 + max(last.roles.values()) and \
                last.kind == "score":
            maps[i] = (last, False)  # a page piece without a repeated header
        else:
            last = None
    lines = _lines(doc, set(maps))
    parts = find_parts(lines, voc)

    # walk blocks in order again to know the part each score table sits under
    builder = ScoreRowBuilder()
    team: list = []
    current_part: str | None = None
    part_line_where = {heading.title.where: heading for _, heading in parts}
    for i, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            heading = part_line_where.get(block.where)
            if heading is not None and heading.title.text != current_part:
                current_part = heading.title.text
                builder.new_part()
            continue
        if i not in maps:
            continue
        cmap, has_header = maps[i]
        rows = body_rows(block, cmap, has_header)
        if cmap.kind == "team":
            team.extend(team_rows(rows))
        else:
            pct_header = cmap.headers.get("pct", "")
            for cells in rows:
                builder.add(cells, current_part, pct_header)
    score_rows, headings = builder.finish()

    fields = find_fields(lines)
    checkboxes = find_checkboxes(lines, voc)
    total = None
    for line in lines:
        for rx in voc.total_patterns:
            m = rx.search(line.text)
            if m:
                total = Text(m.group("v"), line.where)
                break
        if total:
            break
    levels = _levels(fields, lines, voc)
    criteria = _criteria(lines, voc)
    cert_body = _cert_body(doc, lines, voc)
    problems = list(doc.problems)
    return Record(
        source_path=doc.source_path, source_format=doc.source_format, fields=tuple(fields),
        checkboxes=tuple(checkboxes), team=tuple(team), parts=tuple(h for _, h in parts),
        rows=tuple(score_rows), subsections=tuple(headings), stated_total=total,
        levels=tuple(levels), cert_body=cert_body, criteria=criteria, pages=doc.pages,
        problems=tuple(problems), image_only_pages=doc.image_only_pages)


def _levels(fields: list[FieldValue], lines: list[_Line], voc: Vocabulary) -> list[FieldValue]:
    found = []
    paren = re.compile(r"[（(]\s*(?P<v>" + voc.level_word + r")\s*[)）]")
    for f in fields:
        if f.name in voc.level_in_fields:
            ms = list(paren.finditer(f.value.text))
            if ms:
                found.append(FieldValue(f.name, f.label, Text(re.sub(r"\s+", "", ms[-1].group("v")),
                                                              f.value.where)))
    for line in lines:
        for name, rx in voc.level_patterns:
            m = rx.search(line.text)
            if m:
                found.append(FieldValue(name, m.group(0), Text(re.sub(r"\s+", "", m.group("v")),
                                                               line.where)))
    return found


def _criteria(lines: list[_Line], voc: Vocabulary) -> str:
    """The lines that open with a criteria label (依据, 审查准则 …) and the three after."""
    out = []
    for i, line in enumerate(lines):
        body = fold(_NUMBERING.sub("", line.text))
        if any(body.startswith(fold(label)) for label in voc.criteria_labels):
            out.extend(l.text for l in lines[i:i + 4])
    return "\n".join(dict.fromkeys(out))


def _cert_body(doc: Document, lines: list[_Line], voc: Vocabulary) -> Text | None:
    for t in doc.running_texts:
        for piece in re.split(r"\s{2,}|\n", t):
            if voc.cert_body_pattern.search(piece.strip()):
                return Text(piece.strip(), Where())
    for line in lines[:60]:
        if voc.cert_body_pattern.search(line.text):
            return Text(line.text, line.where)
    return None
