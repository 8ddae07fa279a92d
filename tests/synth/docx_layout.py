"""Word reports laid out otherwise: the tables inside one-cell layout tables or inside
text boxes, as some bodies' templates have them.

Both work on the python-docx document of :func:`synth.docx_render.build_document`, so
every template and check-box style carries over:

* ``nested`` — each table of the body sits in the one cell of a borderless layout table,
  with the paragraph before it (a part heading, a caption) in the same cell, and the
  basic information's cover lines in a two-column layout table;
* ``textbox`` — each table sits in a text box (``wps:txbx`` in ``mc:Choice``) anchored in a
  paragraph of its own, with the VML copy in ``mc:Fallback`` that Word writes for older
  readers: a reader that reads both reads every row twice.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from synth.docx_render import build_document, save_docx
from synth.templates import Template

MODES = ("nested", "textbox")

_NS = (nsdecls("w", "wp", "a") + ' xmlns:v="urn:schemas-microsoft-com:vml" xmlns:mc="http://schemas.openxmlformats.org/markup-'
       'compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/'
       'wordprocessingShape" xmlns:o="urn:schemas-microsoft-com:office:office"')


def _layout_table(cells: int = 1) -> Any:
    grid = "".join('<w:gridCol w:w="9000"/>' for _ in range(cells))
    tcs = "".join('<w:tc><w:tcPr><w:tcW w:w="9000" w:type="dxa"/></w:tcPr></w:tc>'
                  for _ in range(cells))
    return parse_xml(
        f'<w:tbl {_NS}><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>'
        '<w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/>'
        '<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders></w:tblPr>'
        f'<w:tblGrid>{grid}</w:tblGrid><w:tr>{tcs}</w:tr></w:tbl>')


def nest_tables(doc: Any) -> None:
    """Move each body table (with the paragraph before it) into a one-cell layout table."""
    body = doc.element.body
    for tbl in [el for el in body if el.tag == qn("w:tbl")]:
        before = tbl.getprevious()
        outer = _layout_table()
        tbl.addprevious(outer)
        tc = outer.find(f"{qn('w:tr')}/{qn('w:tc')}")
        if before is not None and before.tag == qn("w:p"):
            tc.append(before)
        tc.append(tbl)
        tc.append(parse_xml(f"<w:p {_NS}/>"))


def _text_box(tbl: Any, n: int) -> Any:
    anchor = parse_xml(
        f'<w:p {_NS}><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<wp:inline><wp:extent cx="5760000" cy="1800000"/><wp:docPr id="{n}" name="Text Box {n}"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
        'wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent/></wps:txbx><wps:bodyPr/>'
        '</wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>'
        '<mc:Fallback><w:pict><v:shape style="width:453pt;height:141pt"><v:textbox>'
        '<w:txbxContent/></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>'
        '</w:r></w:p>')
    boxes = list(anchor.iter(qn("w:txbxContent")))
    for box in boxes:
        box.append(copy.deepcopy(tbl))
        box.append(parse_xml(f"<w:p {_NS}/>"))
    return anchor


def box_tables(doc: Any) -> None:
    """Replace each body table by a paragraph anchoring a text box that holds it."""
    body = doc.element.body
    for n, tbl in enumerate([el for el in body if el.tag == qn("w:tbl")], 1):
        tbl.addprevious(_text_box(tbl, 100 + n))
        body.remove(tbl)


def render_layout_docx(truth: dict[str, Any], path: Path, template: Template, mode: str) -> None:
    """Write ``truth`` as a .docx whose tables are laid out in ``mode`` (see MODES)."""
    if mode not in MODES:
        raise ValueError(f"layout mode {mode!r}: expected one of {MODES}")
    doc = build_document(truth, template)
    (nest_tables if mode == "nested" else box_tables)(doc)
    save_docx(doc, truth, path)
