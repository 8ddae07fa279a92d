"""Round trip: truth records -> rendered .docx (every template, several check-box styles
each) -> certreport -> the same values, and exactly the injected errors as findings; for
the templates without a code column or with conversion damage, every clause comes back
with the truth's code (clause-to-code accuracy 100%)."""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from certreport.cli import app
from certreport.pipeline import process_file
from synth import CTS, GBT, Plan, render_one
from synth.roundtrip import ClauseAccuracy, clause_accuracy, compare
from synth.templates import CHECKBOX_STYLES, TEMPLATES
from tests.conftest import SAMPLES

STYLES = CHECKBOX_STYLES
STYLES_PER_TEMPLATE = 3


def round_trip_plans(seed: int = 7) -> list[Plan]:
    """Every template in STYLES_PER_TEMPLATE check-box styles (all styles covered over
    the templates), about a third with injected errors, a few under GB/T 27922."""
    rng = random.Random(f"roundtrip/{seed}")
    plans = []
    for ti, name in enumerate(TEMPLATES):
        for k in range(STYLES_PER_TEMPLATE):
            style = STYLES[(ti + 2 * k) % len(STYLES)]
            scheme = GBT if rng.random() < 0.2 else CTS
            errors = rng.choice((1, 1, 2)) if rng.random() < 0.35 else 0
            plans.append(Plan(seed + len(plans), name, style, scheme, errors))
    return plans


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[tuple[Path, dict, dict]]:
    """(path, truth, recovered rows) of each round-trip plan."""
    out = tmp_path_factory.mktemp("docx")
    done = []
    for p in round_trip_plans():
        path = render_one(p, out)
        done.append((path, _truth(path), process_file(path).rows))
    return done


def _truth(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))


def test_round_trip_set_covers_templates_styles_and_schemes(generated):
    truths = [t for _, t, _ in generated]
    assert {t["template"] for t in truths} == set(TEMPLATES)
    assert {t["checkbox"] for t in truths} == set(STYLES)
    for name in TEMPLATES:
        assert len({t["checkbox"] for t in truths if t["template"] == name}) == STYLES_PER_TEMPLATE
    # GB/T 27922 is rendered in a template other than ledger (the gbt body's template)
    assert {t["template"] for t in truths if t["scheme"] == GBT} - {"ledger"}
    assert any(t["injected"] for t in truths) and any(not t["injected"] for t in truths)


def test_generated_reports_round_trip_exactly(generated):
    failures = {}
    for path, truth, rows in generated:
        result = compare(truth, rows)
        if not result.ok:
            failures[path.name] = result.lines()[:5]
    assert failures == {}


@pytest.mark.parametrize("name", ["nocode", "damaged"])
def test_clause_to_code_accuracy_is_complete(generated, name):
    acc = ClauseAccuracy()
    for _, truth, rows in generated:
        if truth["template"] == name:
            acc += clause_accuracy(truth, rows)
    assert acc.clauses > 100
    assert acc.wrong_rows == []
    assert acc.right == acc.clauses  # 100%


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
