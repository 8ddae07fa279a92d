"""Render fixture reports as HTML, as a web system would show them, and print them to
PDF with other producers than LibreOffice.

:func:`to_html` turns the python-docx document of :func:`synth.docx_render.build_document`
(so every template variation carries over) into one HTML page: headings, paragraphs,
tables with ``rowspan``/``colspan`` for merged cells and ``<thead>`` for repeated header
rows, check boxes as the template writes them (characters; a symbol-font glyph in a
``Wingdings`` span; a Word content control as an ``<input type="checkbox">`` that the
browser draws as a vector box). The ``web`` layout writes the ``label：value`` lines of
the basic information as two-column label | value tables, as web systems do.

Producers (each ``available()`` when its program is installed):

* :func:`print_chromium` — headless Chromium's ``--print-to-pdf`` (Skia);
* :func:`print_wkhtmltopdf` — wkhtmltopdf (Qt WebKit), with a running header and page
  numbers in the footer;
* :func:`write_pandoc_docx` — pandoc's .docx writer, from the HTML (no merged cells: the
  merged 序号/标题 stand in the first row of their subsection, as pandoc writes spans);
* :func:`export_libreoffice_html` — LibreOffice's own HTML export of the .docx (printed by
  Chromium in turn).

Only fixture building needs this module; reading never does.
"""
from __future__ import annotations

import html
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from docx.oxml.ns import qn

from synth.templates import Template

CJK_FONTS = '"Noto Serif CJK SC", "Noto Sans CJK SC", "SimSun", "Songti SC", serif'
TIMEOUT_S = 120.0
LAYOUTS = ("flow", "web")

_HEADING = {"Title": "h1", "Heading1": "h2", "Heading2": "h3", "Heading3": "h4"}


class RenderError(RuntimeError):
    """The producer is missing, timed out, or wrote no file."""


# ---------------------------------------------------------------- docx -> HTML


def _run_html(r: Any, inputs: bool) -> str:
    out = []
    rpr = r.find(qn("w:rPr"))
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    symbol = fonts is not None and fonts.get(qn("w:ascii")) in ("Wingdings", "Wingdings 2")
    bold = rpr is not None and rpr.find(qn("w:b")) is not None
    for child in r:
        if child.tag == qn("w:t"):
            text = html.escape(child.text or "")
            if symbol:
                text = f'<span style="font-family:{fonts.get(qn("w:ascii"))}">{text}</span>'
            out.append(f"<b>{text}</b>" if bold and text else text)
        elif child.tag == qn("w:sym"):
            font = child.get(qn("w:font"))
            code = int(child.get(qn("w:char")), 16)
            out.append(f'<span style="font-family:{font}">&#x{code:04X};</span>')
        elif child.tag == qn("w:tab"):
            out.append("&emsp;")
        elif child.tag == qn("w:br"):
            if child.get(qn("w:type")) == "page":
                out.append('<span class="pagebreak"></span>')
            else:
                out.append("<br/>")
    return "".join(out)


def _inline_html(el: Any, inputs: bool) -> str:
    out = []
    for child in el:
        if child.tag == qn("w:r"):
            out.append(_run_html(child, inputs))
        elif child.tag == qn("w:sdt"):
            checked = child.find(f".//{{http://schemas.microsoft.com/office/word/2010/wordml}}checked")
            if checked is not None:
                state = checked.get("{http://schemas.microsoft.com/office/word/2010/wordml}val")
                if inputs:
                    out.append('<input type="checkbox"' + (" checked" if state == "1" else "")
                               + "/>")
                else:
                    out.append("☒" if state == "1" else "☐")
            else:
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    out.append(_inline_html(content, inputs))
        elif child.tag in (qn("w:fldSimple"), qn("w:hyperlink")):
            out.append(_inline_html(child, inputs))
    return "".join(out)


def _paragraph_text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _para_html(p: Any, inputs: bool) -> str:
    ppr = p.find(qn("w:pPr"))
    style = None
    center = False
    if ppr is not None:
        ps = ppr.find(qn("w:pStyle"))
        style = ps.get(qn("w:val")) if ps is not None else None
        jc = ppr.find(qn("w:jc"))
        center = jc is not None and jc.get(qn("w:val")) == "center"
    body = _inline_html(p, inputs)
    if 'class="pagebreak"' in body:
        return '<div style="page-break-after:always"></div>'
    tag = _HEADING.get(style or "", "p")
    attr = ' style="text-align:center"' if center else ""
    return f"<{tag}{attr}>{body or '&nbsp;'}</{tag}>"


def _cell_html(tc: Any, inputs: bool) -> str:
    paras = [_inline_html(p, inputs) for p in tc.iter(qn("w:p"))]
    return "<br/>".join(x for x in paras if x) or ""


def _table_html(tbl: Any, inputs: bool, spans: bool, borders: str) -> str:
    rows = tbl.findall(qn("w:tr"))
    grid: list[list[tuple[Any, int, str]]] = []  # per row: (tc, start column, vMerge)
    for tr in rows:
        col, cells = 0, []
        for tc in tr.findall(qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span_el = tcpr.find(qn("w:gridSpan")) if tcpr is not None else None
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            vm = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
            merge = "" if vm is None else (vm.get(qn("w:val")) or "continue")
            cells.append((tc, col, merge, span))
            col += span
        grid.append(cells)
    out = [f'<table class="{borders}">']
    header = 0
    for tr in rows:
        trpr = tr.find(qn("w:trPr"))
        if trpr is not None and trpr.find(qn("w:tblHeader")) is not None:
            header += 1
        else:
            break
    for r, cells in enumerate(grid):
        if r == 0 and header:
            out.append("<thead>")
        if r == header and header:
            out.append("</thead><tbody>")
        out.append("<tr>")
        for tc, col, merge, span in cells:
            tag = "th" if r < header else "td"
            if merge == "continue" and spans:
                continue
            attrs = f' colspan="{span}"' if span > 1 else ""
            if merge == "restart" and spans:
                n = 1
                for below in grid[r + 1:]:
                    if any(c == col and m == "continue" for _, c, m, _ in below):
                        n += 1
                    else:
                        break
                if n > 1:
                    attrs += f' rowspan="{n}"'
            text = "" if merge == "continue" else _cell_html(tc, inputs)
            out.append(f"<{tag}{attrs}>{text}</{tag}>")
        out.append("</tr>")
    out.append("</tbody></table>" if header else "</table>")
    return "".join(out)


def _field_pair(text: str) -> tuple[str, str] | None:
    """``1.1 受审查方名称：X`` -> (label, value) for the web layout's label | value rows."""
    if "：" not in text or any(g in text for g in "☑☐■□√☒"):
        return None
    label, value = text.split("：", 1)
    if not label or not value.strip() or len(label) > 16 or "：" in value or "\u3000" in value:
        return None
    return label, value


def to_html(document: Any, template: Template, *, layout: str = "flow", inputs: bool = False,
            spans: bool = True, running: str = "") -> str:
    """The HTML page of a python-docx report (see the module docstring); ``inputs``: Word
    content-control check boxes as ``<input type="checkbox">``; ``spans``: merged cells as
    rowspan (else the text in the first row, the rows below empty); ``running``: a line at
    the top of the page (the web system's title bar)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout {layout!r}: expected one of {LAYOUTS}")
    borders = "grid" if template.table_borders == "grid" else "rules"
    body = document.element.body
    parts: list[str] = []
    pending: list[tuple[str, str]] = []

    def flush() -> None:
        if pending:
            rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
                           for k, v in pending)
            parts.append(f'<table class="grid kv">{rows}</table>')
            pending.clear()

    basic = False  # the web layout's label | value tables: section 1 only
    for el in body:
        if el.tag == qn("w:p"):
            text = _paragraph_text(el)
            if text.startswith("1. "):
                basic = True
            elif text.startswith("2. "):
                basic = False
            heading = el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}") is not None
            pair = _field_pair(text) if layout == "web" and basic and not heading else None
            if pair is not None and el.find(f".//{qn('w:sym')}") is None:
                pending.append(pair)
                continue
            flush()
            parts.append(_para_html(el, inputs))
        elif el.tag == qn("w:tbl"):
            flush()
            parts.append(_table_html(el, inputs, spans, borders))
    flush()
    top = f'<div class="running">{html.escape(running)}</div>' if running else ""
    style = f"""
@page {{ size: A4; margin: 20mm 18mm; }}
body {{ font-family: {CJK_FONTS}; font-size: 10.5pt; }}
h1 {{ font-size: 20pt; text-align: center; }} h2 {{ font-size: 14pt; }}
h3 {{ font-size: 12pt; }} h4 {{ font-size: 11pt; }}
p {{ margin: 3pt 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: 9pt; margin: 4pt 0; }}
table.grid td, table.grid th {{ border: 0.75pt solid #000; padding: 2pt 3pt; }}
table.rules {{ border-top: 1pt solid #000; border-bottom: 1pt solid #000; }}
table.rules td, table.rules th {{ border-top: 0.5pt solid #000; padding: 2pt 3pt; }}
table.kv th {{ width: 30%; text-align: left; font-weight: normal; }}
thead {{ display: table-header-group; }} tr {{ page-break-inside: avoid; }}
.running {{ text-align: center; font-size: 9pt; border-bottom: 0.5pt solid #888; }}
"""
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"/>"
            f"<title>服务认证审查报告</title><style>{style}</style></head><body>{top}"
            + "\n".join(parts) + "</body></html>\n")


# ---------------------------------------------------------------- producers


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which(
        "google-chrome")


def wkhtmltopdf() -> str | None:
    return shutil.which("wkhtmltopdf")


def pandoc() -> str | None:
    return shutil.which("pandoc")


def _run(cmd: list[str], out: Path, timeout: float = TIMEOUT_S, **kw: Any) -> None:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, **kw)
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise RenderError(f"{cmd[0]} timed out after {timeout:.0f} s on {out.name}")
    if not out.exists() or out.stat().st_size == 0:
        raise RenderError(f"{cmd[0]} wrote no {out.name} (exit {proc.returncode}): "
                          f"{err.decode(errors='replace')[-300:]}")


def print_chromium(html_path: Path, pdf_path: Path) -> Path:
    """Print an HTML file to PDF with headless Chromium (no browser header/footer)."""
    exe = chromium()
    if exe is None:
        raise RenderError("chromium is not installed")
    from synth.pdf_render import ensure_symbol_fonts

    ensure_symbol_fonts()
    with tempfile.TemporaryDirectory(prefix="certreport-chromium-") as profile:
        _run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-extensions", "--allow-file-access-from-files",
              f"--user-data-dir={profile}", "--no-pdf-header-footer",
              f"--print-to-pdf={pdf_path}", html_path.resolve().as_uri()], pdf_path)
    return pdf_path


def print_wkhtmltopdf(html_path: Path, pdf_path: Path, header: str = "") -> Path:
    """Print an HTML file to PDF with wkhtmltopdf: ``header`` on every page, page numbers
    in the footer."""
    exe = wkhtmltopdf()
    if exe is None:
        raise RenderError("wkhtmltopdf is not installed")
    from synth.pdf_render import ensure_symbol_fonts

    ensure_symbol_fonts()
    cmd = [exe, "--quiet", "--encoding", "utf-8", "--page-size", "A4",
           "--margin-top", "20mm", "--margin-bottom", "18mm", "--disable-javascript",
           "--enable-local-file-access", "--footer-center", "第 [page] 页 共 [topage] 页",
           "--footer-font-size", "8"]
    if header:
        cmd += ["--header-center", header, "--header-font-size", "8"]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    _run(cmd + [str(html_path), str(pdf_path)], pdf_path, env=env)
    return pdf_path


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def export_libreoffice_html(docx_path: Path, html_path: Path) -> Path:
    """LibreOffice's HTML export of a .docx (``XHTML Writer File``), with a private user
    profile; written as ``html_path``."""
    exe = soffice()
    if exe is None:
        raise RenderError("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="certreport-lohtml-") as tmp:
        out = Path(tmp) / (docx_path.stem + ".html")
        _run([exe, f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}", "--headless",
              "--norestore", "--convert-to", "html:XHTML Writer File:UTF8", "--outdir", tmp,
              str(docx_path)], out, timeout=TIMEOUT_S * 2)
        html_path.write_bytes(out.read_bytes())
    return html_path


def write_pandoc_docx(html_path: Path, docx_path: Path) -> Path:
    """Convert an HTML file to .docx with pandoc's writer."""
    exe = pandoc()
    if exe is None:
        raise RenderError("pandoc is not installed")
    _run([exe, "-f", "html", "-t", "docx", "-o", str(docx_path), str(html_path)], docx_path)
    return docx_path
