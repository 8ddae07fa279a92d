"""Reader for Word files (.docx, .docm, .dotx): the body XML walked in reading order.

python-docx opens the package; the body is walked with lxml because the API skips
content controls, symbols and check boxes and repeats merged cells (see
``shared/domain.md``). Decisions:

* Provenance: Word has no pages until it lays the text out, so ``Where(page=None,
  line=n)`` with ``n`` the 1-based index of the block in ``Document.blocks``; every cell
  of a table carries its table's index (its row is its position in ``Table.rows``).
* Tables: the logical grid of ``w:tblGrid``: a ``w:gridSpan`` cell gives its text to its
  first grid column and empty text to the others, a ``w:vMerge`` continuation cell is
  empty, ``w:gridBefore``/``w:gridAfter`` become empty cells, so every row is as wide as
  the grid. ``header_rows`` counts the leading ``w:tblHeader`` rows.
* Layout tables: a row whose cells hold tables (a score table inside a one-cell layout
  table, a team table beside a label) is not a row of data: its cells' content becomes
  blocks of their own in reading order (paragraphs, and each nested table a table), the
  rows around it stay table pieces. Text boxes (``w:txbxContent``; of an
  ``mc:AlternateContent`` only the ``mc:Choice``, never the ``mc:Fallback`` copy too) of a
  body or layout paragraph become blocks after it, tables in them tables; in a data cell,
  a header or a nested text box their lines join the surrounding text. Frames
  (``w:framePr``) are ordinary paragraphs in the body's order.
* Automatic list numbering (``w:numPr``) is rendered by :mod:`certreport.extract.docx_numbering`
  (counted over body, cells, content controls and text boxes in reading order) and put
  before the paragraph's text, a tab after the label becoming a space.
* Skipped: tables of contents, deleted revisions, field instructions, hidden
  (``w:vanish``) runs.
* Headers and footers are not blocks: their text is in ``Document.running_texts``, one
  string per part, a line per paragraph, tabs and cell gaps as two spaces (where the
  assembly splits them).

Bad input raises :class:`DocxError` before anything big is parsed.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.package import Package

from certreport.extract.docx_checkbox import (FontResolver, form_checkbox_state, mark, on_off,
                                   sdt_checkbox_state, sym_element, symbol_run_text)
from certreport.extract.docx_numbering import Numbering
from certreport.extract.docx_package import PackageError, open_package
from certreport.extract.record import Block, Document, Paragraph, Table, Text, Where

SUFFIXES = (".docx", ".docm", ".dotx", ".dotm")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAIN_PART = "word/document.xml"

Element = Any  # an lxml element

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_M_T = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
_W = {name: qn(f"w:{name}") for name in (
    "p", "r", "t", "tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "tab", "ptab", "br",
    "cr", "sym", "noBreakHyphen", "softHyphen", "fldChar", "rPr", "pPr", "pStyle", "vanish",
    "tcPr", "trPr", "gridSpan", "vMerge", "hMerge", "gridBefore", "gridAfter", "tblHeader",
    "tblGrid", "gridCol", "txbxContent", "val", "sdtPr", "docPartObj", "docPartGallery",
    "altChunk", "body")}
# inline elements whose content is not shown text
_SKIP_INLINE = {qn(f"w:{n}") for n in (
    "pPr", "rPr", "sdtPr", "sdtEndPr", "del", "moveFrom", "instrText", "delText",
    "delInstrText", "fldData", "bookmarkStart", "bookmarkEnd", "proofErr", "commentRangeStart",
    "commentRangeEnd", "footnoteReference", "endnoteReference", "commentReference",
    "annotationRef", "permStart", "permEnd", "lastRenderedPageBreak")} | {f"{{{_MC}}}Fallback"}


class DocxError(ValueError):
    """The file cannot be read as a Word document; the message says why."""


@dataclass(frozen=True)
class DocxLimits:
    """Guards against hostile or broken files, checked before parsing."""

    max_uncompressed_mb: int = 256   # sum of the zip's declared uncompressed sizes
    max_ratio: int = 200             # uncompressed/compressed, for members over ratio_min_bytes
    ratio_min_bytes: int = 1 << 20
    max_members: int = 10_000
    max_depth: int = 50              # nested tables / content controls / text boxes


# ---------------------------------------------------------------- the archive


def sniff(path: Path) -> str:
    """``zip``, ``zip-damaged`` (a zip's first member, no readable end: truncated),
    ``ole-encrypted`` (an encrypted OOXML file), ``ole-word`` (a Word 97-2003 file), ``ole``
    (another OLE2 compound file) or ``other``."""
    with path.open("rb") as fh:
        head = fh.read(8)
        if head == OLE_MAGIC:
            data = head + fh.read(64 << 20)
            if "EncryptedPackage".encode("utf-16-le") in data:
                return "ole-encrypted"
            if "WordDocument".encode("utf-16-le") in data:
                return "ole-word"
            return "ole"
    if zipfile.is_zipfile(path):
        return "zip"
    return "zip-damaged" if head.startswith(b"PK\x03\x04") else "other"


def check_archive(path: Path, limits: DocxLimits = DocxLimits()) -> None:
    """Raise :class:`DocxError` unless ``path`` is a zip holding a Word main part of sane
    declared size (zip bombs are refused from the central directory, before inflating)."""
    kind = sniff(path)
    if kind in ("ole-encrypted", "ole"):
        raise DocxError("password-protected or encrypted Word file (OLE container)")
    if kind == "ole-word":
        raise DocxError("legacy Word 97-2003 file (OLE container), not a .docx: read it as .doc")
    if kind == "zip-damaged":
        raise DocxError("damaged or truncated Word file: the zip archive has no central "
                        "directory (the end of the file is missing)")
    if kind != "zip":
        raise DocxError("not a zip file (not a Word .docx)")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, NotImplementedError, OSError) as exc:
        raise DocxError(f"damaged or unsupported zip file: {exc}") from exc
    if len(infos) > limits.max_members:
        raise DocxError(f"zip file has {len(infos)} members (limit {limits.max_members})")
    if MAIN_PART not in {i.filename for i in infos}:
        raise DocxError(f"zip file is not a Word document (no {MAIN_PART})")
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed_mb << 20:
        raise DocxError(f"document too large: {total / (1 << 20):.0f} MB uncompressed "
                        f"(limit {limits.max_uncompressed_mb} MB)")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_min_bytes and ratio > limits.max_ratio:
            raise DocxError(f"document too large: {info.filename} inflates {ratio:.0f}-fold "
                            f"(limit {limits.max_ratio}): a zip bomb?")


def _open(path: Path) -> tuple[Package, list[str]]:
    """The package (repaired where an auxiliary part is missing or damaged, Strict OOXML
    mapped: :mod:`certreport.extract.docx_package`) and the problems met."""
    try:
        return open_package(path)
    except PackageError as exc:
        raise DocxError(str(exc)) from exc
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors …
        if "depth" in str(exc).lower():
            raise DocxError("document nested too deeply (XML depth limit)") from exc
        raise DocxError(f"damaged Word file: {type(exc).__name__}: {exc}") from exc


def _root(part: Any) -> Element:
    """A part's XML root (a .docm main part is not an XmlPart: parse its blob)."""
    element = getattr(part, "element", None)
    return element if element is not None else parse_xml(part.blob)


# ---------------------------------------------------------------- the walk


class _Walker:
    """Turns body, cell, header and text-box content into text and blocks."""

    def __init__(self, fonts: FontResolver, limits: DocxLimits, gap: str = " ",
                 numbering: Numbering | None = None) -> None:
        self.fonts = fonts
        self.limits = limits
        self.gap = gap  # what a tab, or the gap between a flattened row's cells, becomes
        self.numbering = numbering  # None: automatic numbers are not rendered
        self.problems: list[str] = []
        # while a body/layout paragraph is read: where its text boxes go (None: inline)
        self._boxes: list[tuple[Element, int]] | None = None

    def _deeper(self, depth: int) -> int:
        if depth >= self.limits.max_depth:
            raise DocxError(f"document nested too deeply (more than {self.limits.max_depth} "
                            "levels of tables, content controls or text boxes)")
        return depth + 1

    def children(self, el: Element, depth: int) -> Iterator[tuple[Element, int]]:
        """Child elements with content controls and custom XML unwrapped (at body, row,
        cell level alike), each with its nesting depth."""
        for child in el:
            tag = child.tag
            if tag == _W["sdt"]:
                if _is_toc(child):
                    continue
                content = child.find(_W["sdtContent"])
                if content is not None:
                    yield from self.children(content, self._deeper(depth))
            elif tag == _W["customXml"]:
                yield from self.children(child, self._deeper(depth))
            elif tag == _W["altChunk"]:
                self.problems.append("embedded document (w:altChunk) not read")
            elif isinstance(tag, str):
                yield child, depth

    # ------------------------------------------------------------ blocks

    def blocks(self, body: Element) -> list[Block]:
        out: list[Block] = []
        self._emit(body, 0, out)
        return out

    def _emit(self, container: Element, depth: int, out: list[Block]) -> None:
        """Append the blocks of body-like content (the body, a layout cell, a text box)."""
        for el, d in self.children(container, depth):
            if el.tag == _W["p"]:
                boxes: list[tuple[Element, int]] = []
                self._boxes = boxes  # text boxes of this paragraph: blocks after it
                try:
                    text = self.paragraph(el, d)
                finally:
                    self._boxes = None
                if text:
                    out.append(Paragraph(text, Where(page=None, line=len(out) + 1)))
                for box, bd in boxes:
                    self._emit(box, bd, out)
            elif el.tag == _W["tbl"]:
                self._emit_table(el, d, out)

    def _emit_table(self, tbl: Element, depth: int, out: list[Block]) -> None:
        """A table as table blocks, split around its layout rows (rows whose cells hold
        tables), whose cells' content is emitted as blocks."""
        trs = [(tr, d) for tr, d in self.children(tbl, self._deeper(depth)) if tr.tag == _W["tr"]]
        if not any(_holds_table(tr) for tr, _ in trs):
            rows, header = self.table(tbl, depth)
            self._append_table(rows, header, out)
            return
        width = _grid_width(tbl)
        plain: list[tuple[Element, int]] = []
        for tr, d in trs:
            if not _holds_table(tr):
                plain.append((tr, d))
                continue
            if plain:
                rows, header = self._rows(plain, width)
                self._append_table(rows, header, out)
                plain = []
            for tc, dc in self.children(tr, d):
                if tc.tag == _W["tc"]:
                    self._emit(tc, self._deeper(dc), out)
        if plain:
            rows, header = self._rows(plain, width)
            self._append_table(rows, header, out)

    @staticmethod
    def _append_table(rows: list[list[str]], header: int, out: list[Block]) -> None:
        if rows and any(any(c for c in row) for row in rows):
            where = Where(page=None, line=len(out) + 1)
            out.append(Table(tuple(tuple(Text(t, where) for t in row) for row in rows),
                             where, header_rows=header))

    def lines(self, container: Element, depth: int) -> list[str]:
        """Flattened content (cell, text box, header): one line per paragraph and per
        nested table row."""
        out: list[str] = []
        for el, d in self.children(container, depth):
            if el.tag == _W["p"]:
                text = self.paragraph(el, d)
                if text:
                    out.append(text)
            elif el.tag == _W["tbl"]:
                for row in self.table(el, d)[0]:
                    cells = [c.replace("\n", " ") for c in row if c]
                    if cells:
                        out.append(self.gap.join(cells))
        return out

    # ------------------------------------------------------------ tables

    def table(self, tbl: Element, depth: int) -> tuple[list[list[str]], int]:
        """The logical grid of a table (see the module notes) and its header row count."""
        trs = [(tr, d) for tr, d in self.children(tbl, self._deeper(depth)) if tr.tag == _W["tr"]]
        return self._rows(trs, _grid_width(tbl))

    def _rows(self, trs: list[tuple[Element, int]], width: int) -> tuple[list[list[str]], int]:
        rows: list[list[str]] = []
        header, in_header = 0, True
        for tr, d in trs:
            trpr = tr.find(_W["trPr"])
            in_header = in_header and on_off(_prop(trpr, "tblHeader"), _W["val"])
            header += 1 if in_header else 0
            row = [""] * _int(_prop(trpr, "gridBefore"))
            for tc, dc in self.children(tr, d):
                if tc.tag != _W["tc"]:
                    continue
                tcpr = tc.find(_W["tcPr"])
                span = max(1, _int(_prop(tcpr, "gridSpan"), 1))
                covered = _continues(_prop(tcpr, "vMerge")) or _continues(_prop(tcpr, "hMerge"))
                text = "" if covered else "\n".join(self.lines(tc, dc))
                row.extend([text] + [""] * (span - 1))
            row.extend([""] * _int(_prop(trpr, "gridAfter")))
            rows.append(row)
        width = max([width, *map(len, rows)])
        return [r + [""] * (width - len(r)) for r in rows], header

    # ------------------------------------------------------------ paragraphs

    def paragraph(self, p: Element, depth: int) -> str:
        ppr = p.find(_W["pPr"])
        style = _prop(ppr, "pStyle")
        label = self.numbering.label(ppr) if self.numbering is not None else None
        out: list[str] = [label.prefix(self.gap)] if label is not None else []
        self._inline(p, out, style.get(_W["val"]) if style is not None else None, depth)
        lines = (ln.strip() for ln in "".join(out).split("\n"))
        return "\n".join(ln for ln in lines if ln)

    def _inline(self, el: Element, out: list[str], pstyle: str | None, depth: int) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIP_INLINE:
                continue
            if tag == _W["r"]:
                self._run(child, out, pstyle, depth)
            elif tag == _W["sdt"]:
                state = sdt_checkbox_state(child)
                content = child.find(_W["sdtContent"])
                if state is not None:
                    out.append(mark(state))  # the shown ☒/☐ glyph is not trusted
                elif content is not None:
                    self._inline(content, out, pstyle, self._deeper(depth))
            elif tag == _M_T:
                out.append(child.text or "")
            else:  # hyperlink, ins, moveTo, smartTag, fldSimple, customXml, oMath …
                self._inline(child, out, pstyle, depth)

    def _run(self, r: Element, out: list[str], pstyle: str | None, depth: int) -> None:
        rpr = r.find(_W["rPr"])
        if on_off(_prop(rpr, "vanish"), _W["val"]):
            return
        for child in r:
            tag = child.tag
            if tag == _W["t"]:
                text, problems = symbol_run_text(child.text or "", self.fonts.fonts(rpr, pstyle))
                out.append(text)
                self.problems.extend(problems)
            elif tag in (_W["tab"], _W["ptab"]):
                out.append(self.gap)
            elif tag in (_W["br"], _W["cr"]):
                out.append("\n")
            elif tag == _W["noBreakHyphen"]:
                out.append("-")
            elif tag == _W["sym"]:
                glyph, problem = sym_element(child)
                out.append(glyph)
                if problem:
                    self.problems.append(problem)
            elif tag == _W["fldChar"]:
                state = form_checkbox_state(child)
                if state is not None:
                    out.append(mark(state))
            elif isinstance(tag, str) and tag not in _SKIP_INLINE:
                for box in _text_boxes(child):
                    if self._boxes is not None:  # a body paragraph: blocks of their own
                        self._boxes.append((box, self._deeper(depth)))
                        continue
                    lines = self.lines(box, self._deeper(depth))
                    if lines:
                        out.append("\n" + "\n".join(lines) + "\n")


# ---------------------------------------------------------------- helpers


def _prop(pr: Element | None, name: str) -> Element | None:
    return pr.find(_W[name]) if pr is not None else None


def _int(el: Element | None, default: int = 0) -> int:
    if el is None:
        return default
    try:
        return int(el.get(_W["val"]) or default)
    except ValueError:
        return default


def _grid_width(tbl: Element) -> int:
    grid = tbl.find(_W["tblGrid"])
    return len(grid.findall(_W["gridCol"])) if grid is not None else 0


def _holds_table(tr: Element) -> bool:
    """A layout row: one of its cells holds a table (through content controls too)."""
    return any(True for _ in tr.iter(_W["tbl"]))


def _continues(merge: Element | None) -> bool:
    """A vMerge/hMerge that continues a merge (no value, or "continue")."""
    return merge is not None and (merge.get(_W["val"]) or "continue") == "continue"


def _is_toc(sdt: Element) -> bool:
    gallery = sdt.find(f"{_W['sdtPr']}/{_W['docPartObj']}/{_W['docPartGallery']}")
    return gallery is not None and "contents" in (gallery.get(_W["val"]) or "").lower()


def _text_boxes(el: Element) -> Iterator[Element]:
    """Outermost ``w:txbxContent`` under a drawing/picture, skipping ``mc:Fallback``
    copies of what ``mc:Choice`` already holds."""
    for child in el:
        if child.tag == _W["txbxContent"]:
            yield child
        elif isinstance(child.tag, str) and child.tag != f"{{{_MC}}}Fallback":
            yield from _text_boxes(child)


def _related_roots(part: Any, reltype: str) -> list[tuple[str, Element]]:
    found = []
    for rel in part.rels.values():
        if rel.reltype == reltype and not rel.is_external:
            found.append((str(rel.target_part.partname), _root(rel.target_part)))
    return sorted(found, key=lambda item: item[0])


# ---------------------------------------------------------------- entry points


def read_docx(path: str | Path, source_path: str | None = None, source_format: str = "docx",
              limits: DocxLimits = DocxLimits()) -> Document:
    """Read a Word package; ``source_path``/``source_format`` name the original file when
    this one is a conversion of it."""
    path = Path(path)
    check_archive(path, limits)
    package, repairs = _open(path)
    main = package.main_document_part
    root = _root(main)
    body = root.find(_W["body"])
    if body is None:
        raise DocxError(f"zip file is not a Word document (no w:body in {MAIN_PART})")
    styles = _related_roots(main, RT.STYLES)
    style_root = styles[0][1] if styles else None
    lists = _related_roots(main, RT.NUMBERING)
    numbering = Numbering(lists[0][1] if lists else None, style_root)
    walker = _Walker(FontResolver(style_root), limits, numbering=numbering)
    blocks = walker.blocks(body)

    running_walker = _Walker(walker.fonts, limits, gap="  ")
    running: list[str] = []
    for reltype in (RT.HEADER, RT.FOOTER):
        for _name, part_root in _related_roots(main, reltype):
            text = "\n".join(running_walker.lines(part_root, 0))
            if text and text not in running:
                running.append(text)
    problems = tuple(dict.fromkeys(repairs + walker.problems + running_walker.problems
                                   + numbering.problems))
    return Document(source_path or str(path), source_format, tuple(blocks), pages=None,
                    problems=problems, running_texts=tuple(running))


def read_document(path: str | Path) -> Document:
    """Read a Word package (.docx, .docm …; the registry sends a Word 97-2003 file misnamed
    .docx to the .doc reader)."""
    return read_docx(path, str(path))
