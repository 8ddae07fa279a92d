"""Reports from other producers: the committed samples (data/samples/producers, made by
data/make_producer_samples.py) and a small round trip per producer rendered here when its
program is installed (the full count: ``benchmarks/roundtrip.py --producer all``)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from certreport.pipeline import process_file
from synth import plan
from synth.producers import PRODUCERS, available, render
from synth.roundtrip import compare
from tests.conftest import ROOT

SAMPLES = ROOT / "data" / "samples" / "producers"
FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".pdf", ".docx"))


def _truth(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))


def _assert_round_trip(path: Path) -> dict:
    truth = _truth(path)
    rows = process_file(path).rows
    result = compare(truth, rows)
    assert result.ok, f"{path.name}:\n" + "\n".join(result.lines()[:20])
    return rows


def test_samples_cover_every_producer_and_injected_errors():
    truths = [_truth(p) for p in FILES]
    assert {t["producer"] for t in truths} == set(PRODUCERS)
    assert sum(bool(t["injected"]) for t in truths) >= 4
    assert sum(p.stat().st_size for p in SAMPLES.iterdir()) < 5 * 2 ** 20


@pytest.mark.parametrize("name", [p.name for p in FILES])
def test_producer_sample_round_trip(name):
    """Fields, team rows, part totals and clause values exact; the error findings are the
    injected errors, none on clean reports."""
    _assert_round_trip(SAMPLES / name)


def test_nested_and_boxed_tables_are_read_as_tables():
    for name in ("synth_classic_content_control_s631_nested.docx",
                 "synth_ledger_square_s642_textbox.docx"):
        rows = process_file(SAMPLES / name).rows
        assert {c["match_method"] for c in rows["clauses"]} <= {"code", "number", "text"}
        assert not [c for c in rows["checks"] if c["check_name"] == "layout_rows"]


@pytest.mark.parametrize("producer", PRODUCERS)
def test_producer_round_trip_small(producer, tmp_path):
    """A few fresh reports per producer across templates and check-box styles."""
    if not available(producer):
        pytest.skip(f"{producer} is not installed")
    count = {"chromium": 2, "wkhtmltopdf": 2, "lohtml": 1}.get(producer, 3)
    for p in plan(count, seed=700 + 10 * PRODUCERS.index(producer), error_rate=0.5):
        _assert_round_trip(render(p, tmp_path, producer))
