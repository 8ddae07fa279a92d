"""Reader for text/markdown exports of reports (what PDF-to-markdown converters produce).

Pipe tables become :class:`Table` blocks (``<br>``/``<p>`` inside a cell become line
breaks); every other non-empty line is a :class:`Paragraph` with markdown markup removed.
Pages are not marked in such exports; a run of three or more blank lines (or a form feed)
is how converters separate pages, and is counted as a page break. Running headers and
footers the converter kept (page numbers, a line repeated at the pages' edges) are left
out of the blocks as if blank, their text kept in ``running_texts``.
"""
from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

from certreport.extract.glyphs import canonical_marks
from certreport.extract.html_tables import TABLE, parse_html_table
from certreport.extract.record import Block, Document, Paragraph, Table, Text, Where
from certreport.extract.running import repeated_edge_keys
from certreport.schemas.folds import running_key

SUFFIXES = (".md", ".txt", ".markdown")
PAGE_GAP = 3  # blank lines that separate pages
_PLACEHOLDER = "\x00html-table:"

_BREAK = re.compile(r"<\s*br\s*/?\s*>|</p>\s*<p[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


# page numbers: these forms anywhere on a short line ...
_PAGE_X_OF_Y = re.compile(r"第\s*\d+\s*页\s*[,，/、]?\s*共\s*\d+\s*页|\bpage\s+\d+\s+of\s+\d+\b"
                          r"|^\s*[-—–]\s*\d+\s*[-—–]\s*$|^\s*\d+\s*/\s*\d+\s*$", re.I)
# ... these only at a page's edge (第3页 may be a reference in the text)
_PAGE_NO = re.compile(_PAGE_X_OF_Y.pattern + r"|第\s*\d+\s*页|\bpage\s+\d+\b|^\s*\d{1,3}\s*$", re.I)
_BARE_NUMBER = re.compile(r"^\s*\d{1,3}\s*$")
RUNNING_MIN_PAGES = 3  # a line at a page's edge on this many pages is a running header/footer


class NotText(ValueError):
    """The file is not readable as text."""


def decode(data: bytes) -> str:
    """Decode a text export: UTF-8 (with or without BOM), UTF-16, else GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\x00" in data[:4096]:
        raise NotText("binary data (NUL bytes): not a text export")
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError as exc:
            if enc == "utf-8-sig" and cut_mid_character(exc):
                return exc.object[:exc.start].decode("utf-8")  # a cut-off file (BOM gone)
            continue
    raise NotText("neither UTF-8 nor GB18030 text")


def cut_mid_character(exc: UnicodeDecodeError) -> bool:
    """Whether UTF-8 decoding failed only on an incomplete last character (a file cut
    off mid-write or mid-copy: read it, and say so)."""
    return exc.reason == "unexpected end of data" and exc.end == len(exc.object)


def clean_inline(text: str) -> str:
    """Strip markdown/HTML inline markup, keeping line breaks from ``<br>``/``<p>``."""
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    text = text.replace("**", "").replace("__", "")
    text = _ESCAPE.sub(r"\1", text)
    text = html.unescape(text)
    lines = [ln.strip() for ln in text.split("\n")]
    return "\n".join(ln for ln in lines if ln)


def _split_row(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    return [c for c in re.split(r"(?<!\\)\|", body)]


def _lift_html_tables(text: str) -> tuple[str, list[str]]:
    """Replace each ``<table>…</table>`` by a placeholder line (keeping the line count, so
    line numbers stay true) and return the tables' sources."""
    found: list[str] = []

    def swap(m: re.Match[str]) -> str:
        found.append(m.group(0))
        before = "" if m.start() == 0 or text[m.start() - 1] == "\n" else "\n"
        after = "" if m.end() == len(text) or text[m.end()] == "\n" else "\n"
        pad = "\n" * max(0, m.group(0).count("\n") - len(before))
        return f"{before}{_PLACEHOLDER}{len(found) - 1}{pad}{after}"

    return TABLE.sub(swap, text), found


def _page_edges(lines: list[str]) -> list[list[int]]:
    """Per page (pages told apart as :func:`parse_text` does), the indexes of its first and
    last non-blank lines that are not table lines."""
    pages: list[list[int]] = [[]]
    blanks = 0
    for i, raw in enumerate(lines):
        if "\f" in raw:
            pages.extend([] for _ in range(raw.count("\f")))
            blanks = 0
            raw = raw.replace("\f", "")
        if not raw.strip():
            blanks += 1
            continue
        if blanks >= PAGE_GAP and pages[-1]:
            pages.append([])
        blanks = 0
        pages[-1].append(i if not raw.lstrip().startswith(("|", _PLACEHOLDER)) else -1)
    edges = []
    for page in pages:
        ends = page[:1] + page[-1:]
        edges.append(sorted({i for i in ends if i >= 0}))
    return edges


def running_lines(lines: list[str]) -> tuple[set[int], list[str]]:
    """Page furniture in an export: lines carrying a page number (第 3 页 共 16 页, - 3 -,
    Page 3 of 16, a bare number at a page's edge), and lines that stand at a page's edge on
    :data:`RUNNING_MIN_PAGES` pages or more (digits aside). Returns their indexes and their
    texts without the page numbers (what a running header says: the body's name)."""
    edges = _page_edges(lines)
    found = {i for page in edges for i in page
             if len(lines[i]) <= 80 and _PAGE_NO.search(lines[i])}
    repeated = repeated_edge_keys(([lines[i] for i in page] for page in edges), RUNNING_MIN_PAGES)
    for page in edges:
        found.update(i for i in page if running_key(lines[i]) in repeated)
    for i, line in enumerate(lines):
        if len(line) <= 80 and _PAGE_X_OF_Y.search(line) and not line.lstrip().startswith("|"):
            found.add(i)
    texts = []
    for i in sorted(found):
        rest = clean_inline(_HEADING.sub("", _PAGE_NO.sub(" ", lines[i]))).strip()
        if rest and not _BARE_NUMBER.match(rest):
            texts.append(rest)
    return found, list(dict.fromkeys(texts))


def _is_table_line(line: str, nxt: str, in_table: bool) -> bool:
    """A pipe-table row: it starts with ``|``, or (tables written without the outer pipes,
    ``序号 | 标题 | …``) it holds a ``|`` and either continues a table or heads one (the next
    line is a ``---|---`` rule)."""
    if line.lstrip().startswith("|"):
        return True
    if not re.search(r"(?<!\\)\|", line):
        return False
    return in_table or ("|" in nxt and _SEPARATOR.match(nxt.strip()) is not None)


def parse_text(text: str, source_path: str = "", source_format: str = "text") -> Document:
    """Turn the text of an export into a :class:`Document`."""
    text, unknown = canonical_marks(text)
    text, html_tables = _lift_html_tables(text)
    problems = [f"unknown check-box glyph {g}" for g in sorted(set(unknown))]
    blocks: list[Block] = []
    page, blanks = 1, 0
    seen_content = False
    table_lines: list[tuple[int, str]] = []
    table_page = 1

    def flush_table() -> None:
        if not table_lines:
            return
        rows = []
        bare = not table_lines[0][1].lstrip().startswith("|")  # no outer pipes: a row's
        for lineno, line in table_lines:                      # leading | is an empty cell
            if _SEPARATOR.match(line):
                continue
            parts = re.split(r"(?<!\\)\|", line) if bare else _split_row(line)
            cells = tuple(Text(clean_inline(c), Where(page=table_page, line=lineno))
                          for c in parts)
            rows.append(cells)
        if rows:
            width = max(len(r) for r in rows)
            rows = [r + tuple(Text("", r[0].where) for _ in range(width - len(r))) for r in rows]
            has_header = len(table_lines) > 1 and _SEPARATOR.match(table_lines[1][1]) is not None
            blocks.append(Table(tuple(rows), Where(page=table_page, line=table_lines[0][0]),
                                header_rows=1 if has_header else 0))
        table_lines.clear()

    all_lines = text.splitlines()
    furniture, running = running_lines(all_lines)
    for lineno, raw in enumerate(all_lines, start=1):
        if "\f" in raw:
            page += raw.count("\f")
            raw = raw.replace("\f", "")
            blanks = 0
        line = raw.rstrip()
        if lineno - 1 in furniture:  # a running header/footer: as if blank
            flush_table()
            continue
        if not line.strip():
            blanks += 1
            flush_table()
            continue
        if blanks >= PAGE_GAP and seen_content:
            page += 1
        blanks = 0
        seen_content = True
        if line.startswith(_PLACEHOLDER):
            flush_table()
            rows, head = parse_html_table(html_tables[int(line[len(_PLACEHOLDER):])])
            if rows:
                where = Where(page=page, line=lineno)
                blocks.append(Table(tuple(tuple(Text(c, where) for c in r) for r in rows),
                                    where, header_rows=head))
            continue
        nxt = all_lines[lineno] if lineno < len(all_lines) else ""
        if _is_table_line(line, nxt, bool(table_lines)):
            if not table_lines:
                table_page = page
            table_lines.append((lineno, line))
            continue
        flush_table()
        body = _BULLET.sub("", _HEADING.sub("", line))
        body = clean_inline(body)
        if body:
            blocks.append(Paragraph(body, Where(page=page, line=lineno)))
    flush_table()
    return Document(source_path, source_format, tuple(blocks), pages=page, problems=tuple(problems),
                    running_texts=tuple(running))


def read_document(path: str | Path) -> Document:
    """Read a text/markdown export from disk."""
    path = Path(path)
    fmt = "markdown" if path.suffix.lower() in (".md", ".markdown") else "text"
    data = path.read_bytes()
    doc = parse_text(decode(data), str(path), fmt)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if cut_mid_character(exc):
            doc = replace(doc, problems=doc.problems + (
                "the text ends in the middle of a character: the file looks truncated",))
    return doc
