"""Reader for legacy Word 97-2003 (.doc) and WPS Writer (.wps) files.

LibreOffice converts the file to .docx in a private temporary directory (with its own
user profile, so parallel conversions do not collide), then :mod:`certreport.extract.docx` reads
it; the :class:`Document` names the original file and format. A ".doc" that is really
a .docx (a zip) never gets here: the reader registry sends files by content.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from certreport.extract.docx import DocxError, read_docx
from certreport.extract.record import Document

SUFFIXES = (".doc", ".wps")
TIMEOUT_S = 180
INSTALL_HINT = "apt-get install libreoffice-writer-nogui"


def soffice() -> str | None:
    """The LibreOffice executable, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def convert_to_docx(path: Path, workdir: Path, timeout: float = TIMEOUT_S) -> Path:
    """Convert ``path`` with LibreOffice inside ``workdir``; returns the .docx written."""
    exe = soffice()
    if exe is None:
        raise DocxError(f"cannot read .doc: LibreOffice is not installed ({INSTALL_HINT})")
    suffix = path.suffix.lower() if path.suffix.lower() in SUFFIXES else ".doc"
    indir, outdir = workdir / "in", workdir / "out"
    indir.mkdir()
    outdir.mkdir()
    src = indir / f"input{suffix}"  # a plain ASCII name for LibreOffice
    shutil.copyfile(path, src)
    profile = (workdir / "profile").as_uri()
    cmd = [exe, f"-env:UserInstallation={profile}", "--headless", "--invisible", "--norestore",
           "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir),
           str(src)]
    env = {**os.environ, "HOME": str(workdir)}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)  # its own group: a timeout kills all of it
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise DocxError(f"LibreOffice did not convert {path.name} within {timeout:.0f} s") from None
    result = outdir / "input.docx"
    if not result.is_file():
        said = (err or out).decode("utf-8", "replace").strip().splitlines()
        detail = said[-1] if said else f"exit status {proc.returncode}"
        raise DocxError(f"LibreOffice could not convert {path.name} "
                        f"(password-protected or damaged?): {detail}")
    return result


def read_document(path: str | Path) -> Document:
    """Read a .doc/.wps file (also a Word 97-2003 file misnamed .docx: the registry sends
    files here by content)."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    fmt = fmt if fmt in ("doc", "wps") else "doc"
    if soffice() is None:
        raise DocxError(f"cannot read .{fmt}: LibreOffice is not installed ({INSTALL_HINT})")
    with tempfile.TemporaryDirectory(prefix="certreport-doc-") as tmp:
        converted = convert_to_docx(path, Path(tmp))
        return read_docx(converted, str(path), fmt)
