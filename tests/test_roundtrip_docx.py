"""Round trip: truth records -> rendered .docx (every template and check-box style) ->
certreport -> the same values, and exactly the injected errors as findings."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from certreport.cli import app
from certreport.pipeline import process_file
from certreport.synth import generate
from certreport.synth.roundtrip import compare
from certreport.synth.templates import TEMPLATES
from tests.conftest import SAMPLES

STYLES = ("unicode", "square", "tick", "wingdings_sym", "wingdings_text", "content_control")


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Path]:
    # every template × every check-box style, a third of them with injected errors
    return generate(tmp_path_factory.mktemp("docx"), len(TEMPLATES) * len(STYLES), seed=7,
                    error_rate=0.35)


def _truth(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))


def test_generated_reports_round_trip_exactly(generated):
    combos = {(t["template"], t["checkbox"]) for t in map(_truth, generated)}
    assert combos == {(t, s) for t in TEMPLATES for s in STYLES}
    failures = {}
    for path in generated:
        result = compare(_truth(path), process_file(path).rows)
        if not result.ok:
            failures[path.name] = result.lines()[:5]
    assert failures == {}
    assert any(_truth(p)["injected"] for p in generated)
    assert any(not _truth(p)["injected"] for p in generated)


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.docx")), ids=lambda p: p.stem)
def test_committed_samples_round_trip(path):
    result = compare(_truth(path), process_file(path).rows)
    assert result.lines() == []


def test_show_prints_a_docx_report_as_a_person_reads_it():
    path = sorted(SAMPLES.glob("*.docx"))[0]
    truth = _truth(path)
    res = CliRunner().invoke(app, ["show", str(path)])
    assert res.exit_code == 0
    for value in (truth["report"]["org_name"], truth["report"]["project_no"],
                  truth["report"]["stated_level"], truth["team"][0]["name"],
                  f"{truth['report']['stated_total']:g}"):
        assert str(value) in res.stdout
    assert "findings" in res.stdout
