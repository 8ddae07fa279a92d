"""The installed distribution: one top-level namespace, data files inside it."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                           "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        pytest.fail(f"building the wheel failed: {proc.stderr[-2000:]}")
    (built,) = out.glob("certreport-*.whl")
    return built


def test_wheel_installs_one_top_level_name(wheel: Path):
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    tops = {n.split("/", 1)[0] for n in names if not n.split("/", 1)[0].endswith(".dist-info")}
    assert tops == {"certreport"}
    for module in ("certreport/extract/__init__.py", "certreport/normalise/__init__.py",
                   "certreport/schemas/__init__.py", "certreport/schemas/vocabulary.yaml",
                   "certreport/schemas/schemes/cts_isc_jsgf_06.yaml"):
        assert module in names
    # the fixture generator is no part of the runtime package
    assert not [n for n in names if "/synth/" in n]
    # the compiled PDFium loops, where a compiler built them (else the Python loops serve)
    from certreport.extract import pdf_pdfium
    if pdf_pdfium.native is not None:
        assert [n for n in names if n.startswith("certreport/extract/_pdfium_page.")
                and n.endswith((".so", ".pyd"))]


def test_namespaced_imports_resolve_to_the_layout_folders():
    import certreport.extract
    import certreport.normalise
    import certreport.schemas

    assert Path(certreport.extract.__file__).parent.name == "extract"
    assert Path(certreport.normalise.__file__).parent.name == "normalise"
    assert Path(certreport.schemas.__file__).parent.name == "schemas"
