"""The analysts' notebooks (notebooks/*.ipynb) run top to bottom with nbclient against a
warehouse built here: the samples plus 20 generated reports (several bodies, years, schemes
and some injected errors) and one organisation's four yearly audits (04_history). Each chart cell asserts its data is not empty; here every notebook
must produce at least one image, none of them blank. Committed notebooks carry no outputs."""
from __future__ import annotations

import base64
import io
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from certreport.cli import app
from synth import generate
from synth.archive import history, render
from tests.conftest import ROOT, SAMPLES

nbformat = pytest.importorskip("nbformat", reason="nbformat is in the test extra")
nbclient = pytest.importorskip("nbclient", reason="nbclient is in the test extra")
pytest.importorskip("ipykernel", reason="ipykernel is in the test extra")
pytest.importorskip("matplotlib", reason="matplotlib is in the test extra")

# executed copies (``*_run.ipynb``, git-ignored) are not notebooks of the project
NOTEBOOKS = sorted(p for p in (ROOT / "notebooks").glob("*.ipynb")
                   if not p.name.endswith("_run.ipynb"))
CELL_TIMEOUT = 120


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("notebooks")
    generate(root / "gen", 20, seed=300)
    render(history(700, "苏州博雅教学设备有限公司", range(2020, 2024)), root / "history")
    samples = [str(p) for p in sorted(SAMPLES.iterdir())
               if p.is_file() and p.suffix != ".json"]  # reports, not subfolders
    res = CliRunner().invoke(app, ["import", *samples, str(root / "gen"),
                                   str(root / "history"), "--out", str(root / "warehouse")])
    assert res.exit_code == 0, res.output
    return root / "warehouse"


def test_the_four_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == ["01_quickstart.ipynb", "02_consistency.ipynb",
                                           "03_clauses.ipynb", "04_history.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]
    assert "CERTREPORT_WAREHOUSE" in "".join(c.source for c in nb.cells)


def _images(nb) -> list[bytes]:
    return [base64.b64decode(out["data"]["image/png"])
            for cell in nb.cells if cell.cell_type == "code"
            for out in cell.outputs if "image/png" in out.get("data", {})]


def _not_blank(png: bytes) -> bool:
    import matplotlib.image

    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
    return pixels.shape[0] > 50 and pixels.shape[1] > 50 and float(pixels.std()) > 0.02


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_draws(path, warehouse, monkeypatch):
    from certreport.plotting import find_cjk_font

    monkeypatch.setenv("CERTREPORT_WAREHOUSE", str(warehouse))
    nb = nbformat.read(path, as_version=4)
    started = time.monotonic()
    nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    elapsed = time.monotonic() - started
    images = _images(nb)
    assert images, f"{path.name} drew no chart"
    assert all(_not_blank(png) for png in images)
    stderr = "".join(out.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                     for out in cell.outputs if out.get("name") == "stderr")
    if find_cjk_font() is not None:  # Chinese labels drawn with real glyphs
        assert "missing from font" not in stderr and "CJKFontWarning" not in stderr, stderr
    assert elapsed < 60, f"{path.name} took {elapsed:.0f} s"
    stdout = "".join(out.get("text", "") for cell in nb.cells if cell.cell_type == "code"
                     for out in cell.outputs if out.get("name") == "stdout")
    assert f"warehouse: {warehouse.resolve()}" in stdout  # the one built here, not ../warehouse
    if path.stem == "04_history":  # the organisation with the most audits, in date order
        assert "苏州博雅教学设备有限公司: 4 audit(s), 2020-05-10 to 2023-05-13" in stdout


def test_consistency_notebook_runs_on_a_clean_archive(tmp_path, monkeypatch):
    """Regression: a warehouse without findings made 02_consistency stop at its chart."""
    from tests.conftest import REAL_REPORT

    res = CliRunner().invoke(app, ["import", str(REAL_REPORT), "--out", str(tmp_path / "wh")])
    assert res.exit_code == 0, res.output
    monkeypatch.setenv("CERTREPORT_WAREHOUSE", str(tmp_path / "wh"))
    path = ROOT / "notebooks" / "02_consistency.ipynb"
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}}).execute()
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code"
                      for o in c.outputs)
    assert "no findings in this warehouse" in printed

