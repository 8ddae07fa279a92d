"""What this installation can read: the format readers, the OCR engines and the outside
programs they use, each found or not (with how to install it), and whether the PDF
reader's compiled loops were built."""
from __future__ import annotations

import shutil

from certreport.extract.ocr_engines import DEFAULT_ENGINE, ENABLE_HINT, OcrSettings, engines_found
from certreport.extract.readers import READERS

PROGRAMS = (  # outside program -> what needs it, how to install it
    ("soffice", "reading .doc / .wps (LibreOffice)", "apt-get install libreoffice-writer-nogui"),
    ("tesseract", "the tesseract OCR engine (optional)",
     "apt-get install tesseract-ocr tesseract-ocr-chi-sim"),
)


def compiled_lines() -> list[str]:
    """Whether each compiled loop is in use; without them the Python loops read the same,
    more slowly."""
    from certreport.extract.native import in_use

    lines = ["compiled loops (a C compiler at install time builds them):"]
    for what, built in in_use():
        lines.append(f"  {what:26s} " + ("in use" if built else
                                          "not built: the Python loops serve, more slowly "
                                          "(install a C compiler, then pip install again)"))
    return lines


def report() -> tuple[str, bool]:
    """The doctor's lines, and whether an OCR engine is usable (scans can be read)."""
    lines = ["readers:"]
    for r in READERS:
        why = r.missing()
        lines.append(f"  {r.name:6s} {'ok' if why is None else 'missing'} "
                     f"({', '.join(r.suffixes)}; version {r.version})"
                     + ("" if why is None else f": {why}"))
    found = engines_found()
    chosen = OcrSettings().engine_name()
    lines.append(f"OCR engines (in use: {chosen}; choose with CERTREPORT_OCR_ENGINE, "
                 f"default {DEFAULT_ENGINE}):")
    for name, version in found.items():
        lines.append(f"  {name:9s} " + (f"found: {version}" if version else "not installed"))
    lines.append("outside programs:")
    for exe, purpose, how in PROGRAMS:
        path = shutil.which(exe)
        lines.append(f"  {exe:9s} " + (f"found: {path}" if path else f"not found ({how})")
                     + f" - {purpose}")
    lines += compiled_lines()
    ok = bool(found.get(chosen))
    if not ok:
        lines.append(f"scans and image files cannot be read: {ENABLE_HINT}")
    return "\n".join(lines), ok
