"""Fixture reports from producers other than LibreOffice and python-docx.

=============  ==========================================================================
chromium       the report as HTML (:mod:`synth.html_render`), printed by headless Chromium
wkhtmltopdf    the same HTML printed by wkhtmltopdf (running header, page-number footer)
pandoc         the HTML converted to .docx by pandoc (no merged cells)
nested         a .docx whose tables sit in one-cell layout tables (:mod:`synth.docx_layout`)
textbox        a .docx whose tables sit in text boxes (``mc:Choice`` + ``mc:Fallback`` copy)
lohtml         the python-docx report exported to HTML by LibreOffice, printed by Chromium
=============  ==========================================================================

The HTML producers alternate between the ``flow`` layout and the ``web`` layout (basic
information as label | value tables) by seed; Chromium draws Word content-control check
boxes as ``<input type="checkbox">`` (vector boxes in the PDF). :func:`generate` renders
plans (:func:`synth.plan`) with a producer, each file beside its ``.truth.json``.
"""
from __future__ import annotations

import importlib.util
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Callable, Sequence

from synth import Plan, plan, write_truth
from synth.templates import TEMPLATES
from synth.truth import make_truth

PRODUCERS = ("chromium", "wkhtmltopdf", "pandoc", "nested", "textbox", "lohtml")
SUFFIX = {"chromium": ".pdf", "wkhtmltopdf": ".pdf", "pandoc": ".docx", "nested": ".docx",
          "textbox": ".docx", "lohtml": ".pdf"}


def _cjk_font() -> bool:
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                             timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False
    return bool(out.strip())


def _symbol_fonts() -> bool:
    """The stand-in Wingdings fonts are installed, or can be (fontTools)."""
    from synth.pdf_render import _fontconfig_families
    from synth.symbol_fonts import GLYPHS

    if set(GLYPHS) <= _fontconfig_families():
        return True
    return importlib.util.find_spec("fontTools") is not None


def available(producer: str) -> bool:
    """Whether ``producer`` can render here: its program is installed, and for the printed
    PDFs a CJK font and the stand-in symbol fonts (or fontTools to make them)."""
    from synth import html_render

    check: dict[str, Callable[[], object]] = {
        "chromium": html_render.chromium, "wkhtmltopdf": html_render.wkhtmltopdf,
        "pandoc": html_render.pandoc, "nested": lambda: True, "textbox": lambda: True,
        "lohtml": lambda: html_render.soffice() and html_render.chromium()}
    if not check[producer]():
        return False
    if producer in ("chromium", "wkhtmltopdf", "lohtml"):
        return _cjk_font() and _symbol_fonts()
    return True


def render(p: Plan, out_dir: Path, producer: str) -> Path:
    """Render one plan with ``producer`` into ``out_dir``: ``NAME_PRODUCER.pdf|docx`` and
    ``NAME_PRODUCER.truth.json``."""
    from synth.docx_layout import render_layout_docx
    from synth.docx_render import build_document
    from synth.html_render import (print_chromium, print_wkhtmltopdf, to_html,
                                   write_pandoc_docx)

    if producer not in PRODUCERS:
        raise ValueError(f"unknown producer {producer!r}; known: {', '.join(PRODUCERS)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tpl = replace(TEMPLATES[p.template], checkbox=p.checkbox)
    truth = make_truth(p.seed, p.template, p.scheme, p.errors, checks=p.checks)
    truth["checkbox"] = p.checkbox
    truth["producer"] = producer
    stem = f"{p.name}_{producer}"
    path = out_dir / f"{stem}{SUFFIX[producer]}"
    if producer in ("nested", "textbox"):
        render_layout_docx(truth, path, tpl, producer)
    elif producer == "lohtml":
        from synth.docx_render import render_docx
        from synth.html_render import export_libreoffice_html

        with tempfile.TemporaryDirectory(prefix="certreport-lohtml-") as tmp:
            source = Path(tmp) / f"{stem}.docx"
            render_docx(truth, source, tpl)
            page = export_libreoffice_html(source, Path(tmp) / f"{stem}.html")
            print_chromium(page, path)
    else:
        layout = "web" if p.seed % 2 else "flow"
        body = truth["report"]["cert_body"]
        with tempfile.TemporaryDirectory(prefix="certreport-html-") as tmp:
            page = Path(tmp) / f"{stem}.html"
            doc = build_document(truth, tpl)
            if producer == "chromium":
                page.write_text(to_html(doc, tpl, layout=layout, inputs=True, running=body),
                                encoding="utf-8")
                print_chromium(page, path)
            elif producer == "wkhtmltopdf":
                page.write_text(to_html(doc, tpl, layout=layout), encoding="utf-8")
                print_wkhtmltopdf(page, path, header=body)
            else:
                page.write_text(to_html(doc, tpl, layout=layout, spans=False), encoding="utf-8")
                write_pandoc_docx(page, path)
    write_truth(truth, out_dir / f"{stem}.truth.json")
    return path


def generate(out_dir: Path, count: int, producer: str, seed: int = 0,
             templates: Sequence[str] | None = None, styles: Sequence[str] | None = None,
             error_rate: float = 0.3) -> list[Path]:
    """``count`` reports by ``producer``, cycling through templates and check-box styles."""
    return [render(p, out_dir, producer)
            for p in plan(count, seed, templates, styles, error_rate)]
