"""Synthetic fixture reports: truth records rendered as Word documents.

* :func:`synth.truth.make_truth` — a random, plausible, internally consistent
  truth record (optionally with injected arithmetic errors), deterministic from a seed;
* :mod:`synth.templates` — templates as data (``TEMPLATES``, ``CHECKBOX_STYLES``);
* :func:`synth.docx_render.render_docx` — the truth as a .docx report;
* :func:`synth.pdf_render.render_pdf` — those .docx files as PDF (LibreOffice);
* :func:`generate` — many reports at once, each ``NAME.docx`` and/or ``NAME.pdf`` with
  ``NAME.truth.json``.
"""
from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Sequence

from synth.templates import CHECKBOX_STYLES, TEMPLATES, Template
from synth.truth import make_truth

__all__ = ["Plan", "plan", "render_one", "generate", "write_truth", "TEMPLATES", "CHECKBOX_STYLES",
           "make_truth", "FORMATS"]

GBT = "GB/T 27922-2011"
CTS = "CTS ISC-JSGF-06"
FORMATS = ("docx", "pdf")


@dataclass(frozen=True)
class Plan:
    """What to render: one report."""

    seed: int
    template: str
    checkbox: str
    scheme: str = CTS
    errors: int = 0
    checks: tuple[str, ...] | None = None  # kinds of the injected errors (None: at random)
    special: str | None = None  # special items forced (synth.truth.SPECIAL_CHOICES; None: at random)

    @property
    def name(self) -> str:
        """ASCII file stem, e.g. ``synth_classic_unicode_s1``."""
        return f"synth_{self.template}_{self.checkbox}_s{self.seed}"


def plan(count: int, seed: int = 0, templates: Sequence[str] | None = None,
         styles: Sequence[str] | None = None, error_rate: float = 0.3,
         gbt_rate: float = 0.2) -> list[Plan]:
    """``count`` plans cycling through templates and check-box styles so that the first
    ``max(len(templates), len(styles))`` cover every template and every style, and the first
    ``len(templates) * len(styles)`` every combination (when the counts allow)."""
    names = list(templates) if templates else list(TEMPLATES)
    marks = list(styles) if styles else list(CHECKBOX_STYLES)
    unknown = [n for n in names if n not in TEMPLATES] + [s for s in marks if s not in CHECKBOX_STYLES]
    if unknown:
        raise ValueError(f"unknown template(s)/style(s): {unknown}")
    rng = random.Random(f"plan/{seed}")
    out = []
    for i in range(count):
        t = names[i % len(names)]
        s = marks[(i + i // math.lcm(len(names), len(marks))) % len(marks)]
        scheme = TEMPLATES[t].scheme_for(GBT if rng.random() < gbt_rate else CTS)
        errors = rng.choice((1, 1, 1, 2)) if rng.random() < error_rate else 0
        out.append(Plan(seed + i, t, s, scheme, errors))
    return out


def write_truth(truth: dict[str, Any], path: Path) -> None:
    """The truth record as UTF-8 JSON (ensure_ascii=False, indent=1)."""
    Path(path).write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def render_one(p: Plan, out_dir: Path, template: Template | None = None) -> Path:
    """Render one plan into ``out_dir``: ``NAME.docx`` and ``NAME.truth.json``."""
    from synth.docx_render import render_docx

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tpl = replace(template or TEMPLATES[p.template], checkbox=p.checkbox)
    truth = make_truth(p.seed, p.template, p.scheme, p.errors, checks=p.checks, special=p.special)
    truth["checkbox"] = p.checkbox
    path = out_dir / f"{p.name}.docx"
    render_docx(truth, path, tpl)
    write_truth(truth, out_dir / f"{p.name}.truth.json")
    return path


def generate(out_dir: Path, count: int, seed: int = 0, templates: Sequence[str] | None = None,
             styles: Sequence[str] | None = None, error_rate: float = 0.3,
             formats: Sequence[str] = ("docx",)) -> list[Path]:
    """Render ``count`` reports into ``out_dir`` cycling through templates and check-box
    styles, each with its truth JSON beside it; returns the rendered files (for each
    report its .docx, then its .pdf, as ``formats`` asks).

    ``formats`` holds ``"docx"`` and/or ``"pdf"``; a PDF is the .docx converted by
    LibreOffice (:mod:`synth.pdf_render`), the .docx kept only when asked for.
    """
    formats = tuple(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise ValueError(f"formats {list(formats)}: expected some of {FORMATS}")
    plans = plan(count, seed, templates, styles, error_rate)
    if "pdf" not in formats:
        return [render_one(p, out_dir) for p in plans]
    import tempfile

    from synth.pdf_render import render_pdf

    out_dir = Path(out_dir)
    with tempfile.TemporaryDirectory(prefix="certreport-synth-") as tmp:
        work = out_dir if "docx" in formats else Path(tmp)
        docs = [render_one(p, work) for p in plans]
        pdfs = render_pdf(docs, out_dir)
        if work != out_dir:
            for d in docs:
                (out_dir / f"{d.stem}.truth.json").write_bytes(
                    (work / f"{d.stem}.truth.json").read_bytes())
    out: list[Path] = []
    for d, pdf in zip(docs, pdfs):
        out.extend(([d] if "docx" in formats else []) + [pdf])
    return out
