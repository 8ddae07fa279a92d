"""Render fixture Word reports to PDF with LibreOffice, as Word's own "save as PDF" would.

:func:`render_pdf` converts many .docx files per ``soffice`` call (starting LibreOffice
costs seconds, converting one report well under one), each call with a private user
profile so that parallel renders do not collide, and under a timeout that kills the
whole process group. Before the first call it makes sure the stand-in "Wingdings" /
"Wingdings 2" fonts of :mod:`synth.symbol_fonts` are installed, or the PDFs
would lose which symbol-font box was ticked. Only fixture building needs this module;
reading PDFs never does.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path
from typing import Iterable

from synth.symbol_fonts import GLYPHS, install_fonts

BATCH = 24             # files per soffice call
TIMEOUT_S = 120.0      # per call, plus PER_FILE_S for each file in it
PER_FILE_S = 20.0
FONT_DIR = Path.home() / ".fonts"


class RenderError(RuntimeError):
    """LibreOffice is missing, timed out, or wrote no PDF for some file."""


def soffice() -> str | None:
    """The LibreOffice executable, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    """Whether PDFs can be rendered here (LibreOffice installed)."""
    return soffice() is not None


def _fontconfig_families() -> set[str]:
    try:
        out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True,
                             timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return set()
    return {name.strip() for line in out.splitlines() for name in line.split(",")}


def ensure_symbol_fonts(font_dir: Path = FONT_DIR) -> list[Path]:
    """Install the stand-in symbol fonts into ``font_dir`` and refresh fontconfig's cache,
    unless fontconfig already knows them; returns the font files written (none when they
    were there). Idempotent."""
    if set(GLYPHS) <= _fontconfig_families():
        return []
    written = install_fonts(font_dir)
    if shutil.which("fc-cache"):
        subprocess.run(["fc-cache", "-f", str(font_dir)], capture_output=True, timeout=300)
    missing = set(GLYPHS) - _fontconfig_families()
    if missing:
        raise RenderError(f"fonts {sorted(missing)} written to {font_dir} but fontconfig does "
                          "not list them (is that folder in fontconfig's path?)")
    return written


def _convert(exe: str, batch: list[Path], out_dir: Path, timeout: float) -> None:
    with tempfile.TemporaryDirectory(prefix="certreport-lo-") as profile:
        cmd = [exe, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
               "--invisible", "--norestore", "--nolockcheck", "--convert-to", "pdf",
               "--outdir", str(out_dir), *map(str, batch)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)  # its own group: a timeout kills all
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise RenderError(f"LibreOffice did not convert {len(batch)} file(s) within "
                              f"{timeout:.0f} s (first: {batch[0].name})") from None
    missing = [p.name for p in batch if not (out_dir / f"{p.stem}.pdf").is_file()]
    if missing:
        said = (err or out).decode("utf-8", "replace").strip().splitlines()
        detail = said[-1] if said else f"exit status {proc.returncode}"
        raise RenderError(f"LibreOffice wrote no PDF for {', '.join(missing)}: {detail}")


def render_pdf(docx_paths: Iterable[str | Path], out_dir: str | Path,
               batch: int = BATCH) -> list[Path]:
    """Convert each .docx to ``out_dir/STEM.pdf`` (same order as given); raises
    :class:`RenderError` when LibreOffice is missing or a file was not converted."""
    paths = [Path(p).resolve() for p in docx_paths]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if not paths:
        return []
    exe = soffice()
    if exe is None:
        raise RenderError("LibreOffice (soffice) is not installed: "
                          "apt-get install libreoffice-writer-nogui")
    stems = [p.stem for p in paths]
    if len(set(stems)) != len(stems):
        raise RenderError("two input files share a name: their PDFs would overwrite each other")
    ensure_symbol_fonts()
    for i in range(0, len(paths), batch):
        chunk = paths[i:i + batch]
        _convert(exe, chunk, out.resolve(), TIMEOUT_S + PER_FILE_S * len(chunk))
    return [out / f"{s}.pdf" for s in stems]
