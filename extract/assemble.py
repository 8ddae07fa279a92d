"""From a :class:`Document` (any format) to the one intermediate :class:`Record`.

Format-agnostic: labelled fields, check-box lines (:mod:`certreport.extract.checkboxes`), part headings,
the stated total and levels come from paragraphs (and from the cells of tables that are
neither score nor team tables: label | value rows, part summaries); score and team tables go
through :mod:`certreport.extract.tables`, after caption rows above their headers are split off as
paragraphs. All the words come from ``schemas/vocabulary.yaml``; the part titles to look for
are given by the caller (:func:`certreport.extract.read` passes every installed scheme's), so
this stage knows no scheme.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence
from functools import lru_cache

from certreport.extract.catalogue_rows import Reading, fill_from_layout
from certreport.extract.checkboxes import find_checkboxes
from certreport.extract.column_roles import complete_roles
from certreport.extract.patterns import prefilter
from certreport.extract.similar_labels import similar_fields
from certreport.extract.team_lines import team_from_lines
from certreport.extract.score_figures import figure_spans, read_score_figures, read_special_items
from certreport.extract.record import (Document, FieldValue, Paragraph, PartHeading, Record, Table, Text,
                            Where)
from certreport.extract.tables import (ColumnMap, ScoreRowBuilder, body_rows, classify_header,
                            split_at_header, split_caption_rows, team_rows)
from certreport.schemas.folds import fold
from certreport.schemas.vocabulary import Vocabulary, vocabulary

_CN_NUM = "[一二三四五六七八九十]+"
_NUMBERING = re.compile(
    r"^\s*(?:第\s*(?:\d+|" + _CN_NUM + r")\s*(?:部分|章|节)\s*[、.．:：]?|\d+(?:\.\d+)*\s*[).、．]?"
    r"|[（(]\s*(?:\d+|" + _CN_NUM + r")\s*[)）]|(?:" + _CN_NUM + r"|[A-Za-z])\s*[、.．)])\s*")
# a section number left at the end of a value by the next label on its line (…号 1.4 审查地址：)
_TRAILING_NUMBER = re.compile(r"\s+(?:\d+(?:\.\d+)+|\d+\s*[).、．])$")
_HEADING_LIKE = re.compile(r"^\s*(?:\d+(?:\.\d+)+|\d+\s*[).、．])")


@dataclass(frozen=True)
class _Line:
    text: str
    where: Where
    block: int = -1  # index of the block the line comes from


@lru_cache(maxsize=1)
def _label_regex() -> tuple[re.Pattern[str], dict[str, tuple[str, bool]]]:
    voc = vocabulary()
    by_label: dict[str, tuple[str, bool]] = {}
    for spec in voc.fields:
        for label in spec.labels:
            by_label.setdefault(fold(label), (spec.name, spec.next_line))
    alts = sorted(by_label, key=len, reverse=True)
    body = "|".join(r"\s*".join(re.escape(ch) for ch in label) for label in alts)
    aside = r"(?:【[^】]*】|\[[^\]]*\]|[（(][^()（）]{1,8}[)）])?"  # 受审核方名称（全称）：
    rx = re.compile(r"(?:^|(?<=[\s\d.、)）:：,，;；]))(?P<label>" + body + r")\s*" + aside
                    + r"\s*(?:[:：]|$)")
    return rx, by_label


def _lines(doc: Document, skip: set[int]) -> list[_Line]:
    """Paragraphs, and the rows of tables that are not score/team tables, as lines: a label
    cell (``1.1 受审查方名称``) gives ``受审查方名称：`` and the next cell its value; in a summary
    of the parts each figure follows its column's header word (``满分 73``)."""
    _, by_label = _label_regex()
    out: list[_Line] = []
    for i, block in enumerate(doc.blocks):
        if isinstance(block, Paragraph):
            for part in block.text.split("\n"):
                if part.strip():
                    out.append(_Line(part.strip(), block.where, i))
        elif isinstance(block, Table) and i not in skip:
            figure_cols = _figure_columns(block)
            for r, row in enumerate(block.rows):
                if r and figure_cols:  # 满分 | 实际得分 columns: the header word before the value
                    row = tuple(Text(f"{figure_cols[c]} {cell.text}", cell.where)
                                if c in figure_cols and cell.text.strip() else cell
                                for c, cell in enumerate(row))
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
                out.append(_Line(line.strip(), row[0].where, i))
    return out


def _figure_columns(table: Table) -> dict[int, str]:
    """The columns of a summary of the parts: a header row with a word that reads as a part
    maximum and one that reads as a score when a number follows it (满分 | 实际得分):
    column -> header word; {} for other tables."""
    if len(table.rows) < 2:
        return {}
    voc = vocabulary()
    found: dict[int, str] = {}
    kinds = set()
    for c, cell in enumerate(table.rows[0]):
        head = fold(cell.text)
        for kind, rx in (("max", voc.part_max_pattern), ("score", voc.part_score_pattern)):
            m = rx.search(head + "0") if head and c not in found else None
            if m and m.start("v") == len(head):
                found[c] = head
                kinds.add(kind)
    return found if kinds == {"max", "score"} else {}


def find_fields(lines: list[_Line]) -> list[FieldValue]:
    """Every ``label：value`` found; a label with no value takes the next line when its
    field allows (names, addresses, dates, scope) and that line is neither a heading nor a
    labelled line."""
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


def find_parts(lines: list[_Line], voc: Vocabulary,
               part_titles: Sequence[str]) -> list[tuple[int, PartHeading]]:
    """Part headings (售后服务体系 …) with the index of their line and the stated maximum
    and score from the heading line or the two lines after it."""
    titles = [(t, fold(t)) for t in sorted(dict.fromkeys(part_titles), key=len, reverse=True)]
    heads = []
    for i, line in enumerate(lines):
        body = _NUMBERING.sub("", line.text)
        folded = fold(body)
        title = next((t for t, ft in titles if folded.startswith(ft)), None)
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


def assemble(doc: Document, part_titles: Sequence[str] | None = None) -> Record:
    """Build the intermediate record from a document's blocks; ``part_titles`` are the
    part headings to look for (default: every installed scheme's)."""
    if part_titles is None:
        from certreport.schemas.catalogue import part_titles as installed_titles

        part_titles = installed_titles()
    voc = vocabulary()
    doc = replace(doc, blocks=tuple(_split_captions(doc.blocks, voc)))
    maps: dict[int, tuple[ColumnMap, bool]] = {}
    last: ColumnMap | None = None
    unread_columns: list[str] = []
    for i, block in enumerate(doc.blocks):
        if not isinstance(block, Table) or not block.rows:
            continue
        cmap = _classify(block, voc)
        if cmap is not None:
            cmap, unread = complete_roles(block, cmap)
            unread_columns.extend(unread)
            maps[i] = (cmap, True)
            last = cmap
        elif last is not None and len(block.rows[0]) == 1 + max(last.roles.values()) and \
                last.kind == "score":
            maps[i] = (last, False)  # a page piece without a repeated header
        else:
            last = None
    lines = _lines(doc, set(maps))
    parts = find_parts(lines, voc, part_titles)

    # walk blocks in order again to know the part each score table sits under
    builder = ScoreRowBuilder()
    team: list = []
    current_part: str | None = None
    part_of_block = _part_of_block(lines, parts)
    for i, block in enumerate(doc.blocks):
        heading = part_of_block.get(i)
        if heading is not None and heading != current_part:
            current_part = heading
            builder.new_part()
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
    if not team:
        team = team_from_lines(doc.blocks)
    layout = _layout_rows(doc, maps, score_rows, lines, parts)

    fields = find_fields(lines)
    fields += similar_fields(lines, {f.name for f in fields})
    checkboxes = find_checkboxes(lines, voc)
    figures = read_score_figures(lines, voc.scoring)
    total = _stated_total(lines, voc) or figures.normalised
    levels = _levels(fields, lines, voc)
    criteria = _criteria(lines, voc)
    cert_body = _cert_body(doc, lines, voc)
    problems = list(doc.problems)
    for head in dict.fromkeys(unread_columns):
        problems.append(f"score table column {head!r} holds values no role of the vocabulary "
                        "or the arithmetic explains: not read")
    return Record(
        source_path=doc.source_path, source_format=doc.source_format, fields=tuple(fields),
        checkboxes=tuple(checkboxes), team=tuple(team), parts=tuple(h for _, h in parts),
        rows=layout.rows, subsections=tuple(headings), stated_total=total,
        special=read_special_items(lines, voc.scoring, doc.blocks), figures=figures,
        levels=tuple(levels), cert_body=cert_body, criteria=criteria, pages=doc.pages,
        problems=tuple(problems), image_only_pages=doc.image_only_pages,
        layout_added=layout.added, layout_disagreements=layout.disagreements,
        page_info=doc.page_info)


def _layout_rows(doc: Document, maps: dict, score_rows: list, lines: list[_Line],
                 parts: list[tuple[int, PartHeading]]) -> Reading:
    """The catalogue-guided layout reader over the blocks no score/team table took: the
    column order and % header of the document's score tables guide it, the part in
    force at each block names its rows' part."""
    score_maps = [cmap for cmap, _ in maps.values() if cmap.kind == "score"]
    order = pct_header = None
    if score_maps:
        roles = score_maps[0].roles
        order = sorted((r for r in ("weight", "pct", "score") if r in roles), key=roles.get)
        pct_header = score_maps[0].headers.get("pct", "")
    part_of, current = {}, None
    named = _part_of_block(lines, parts)
    for i in range(len(doc.blocks)):
        current = named.get(i, current)
        part_of[i] = current
    return fill_from_layout(doc.blocks, maps, score_rows, order, part_of, pct_header or "")


def _stated_total(lines: list[_Line], voc: Vocabulary) -> Text | None:
    """The final score: the first total phrasing (``总分: 142.7``) outside the intermediate
    figures of a normalised score (涉及项总分值 …)."""
    scoring = voc.scoring
    quick = prefilter(scoring.raw_total + scoring.applicable_max + scoring.normalised
                      + voc.total_patterns)
    for line in lines:
        if quick is not None and quick.search(line.text) is None:
            continue  # neither a figure to blank nor a total
        text = figure_spans(line.text, scoring)
        for rx in voc.total_patterns:
            m = rx.search(text)
            if m:
                return Text(m.group("v"), line.where)
    return None


def _classify(table: Table, voc: Vocabulary) -> ColumnMap | None:
    return classify_header(table, voc.score_columns, voc.team_columns, voc.score_required,
                           voc.score_one_of, voc.team_required)


def _split_captions(blocks: tuple, voc: Vocabulary):
    """Tables whose header row sits under a caption row (one merged cell: a part heading
    like ``一、售后服务体系（满分73分…）``) as the caption's paragraph and the table."""
    for block in blocks:
        if isinstance(block, Table):
            captions, rest = split_caption_rows(block, lambda t: _classify(t, voc) is not None)
            for caption in captions:
                yield Paragraph(caption.text, caption.where)
            yield from split_at_header(rest, lambda t: _classify(t, voc) is not None)
        else:
            yield block


def _part_of_block(lines: list[_Line], parts: list[tuple[int, PartHeading]]) -> dict[int, str]:
    """The part title each block opens: a block naming one part (a heading paragraph, a
    table row of its own); a block naming several (a summary of the parts) opens none."""
    named: dict[int, set[str]] = {}
    for i, heading in parts:
        named.setdefault(lines[i].block, set()).add(heading.title.text)
    return {b: next(iter(titles)) for b, titles in named.items() if len(titles) == 1}


def _levels(fields: list[FieldValue], lines: list[_Line], voc: Vocabulary) -> list[FieldValue]:
    found = []
    paren = re.compile(r"[（(]\s*(?P<v>" + voc.level_word + r")\s*[)）]")
    for f in fields:
        if f.name in voc.level_in_fields:
            ms = list(paren.finditer(f.value.text))
            if ms:
                found.append(FieldValue(f.name, f.label, Text(re.sub(r"\s+", "", ms[-1].group("v")),
                                                              f.value.where)))
    quick = prefilter(tuple(rx for _, rx in voc.level_patterns))
    for line in lines:
        if quick is not None and quick.search(line.text) is None:
            continue
        for name, rx in voc.level_patterns:
            m = rx.search(line.text)
            if m:
                found.append(FieldValue(name, m.group(0), Text(re.sub(r"\s+", "", m.group("v")),
                                                               line.where)))
    return found


def _criteria(lines: list[_Line], voc: Vocabulary) -> str:
    """The lines that open with a criteria label (依据, 审查准则 …) and the three after."""
    out = []
    labels = tuple(fold(label) for label in voc.criteria_labels)
    for i, line in enumerate(lines):
        if labels and fold(_NUMBERING.sub("", line.text)).startswith(labels):
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
