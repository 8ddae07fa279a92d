"""Scoring rules round trip: truth records with special items (sentences in several
phrasings, tables, 5+ points of deductions) and GB/T 27922-2011 normalised scores (删减
clauses, 评分 = 实际得分 / 涉及项总分值 × 100 in several phrasings) -> .docx -> certreport ->
the same values; on clean reports the computed total and level equal the stated ones and
there is no error finding; a changed figure gives exactly its one finding."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from certreport.pipeline import process_file
from synth import CTS, GBT, Plan, render_one
from synth.roundtrip import compare
from synth.templates import NORMALISED_SENTENCES, SPECIAL_SENTENCES

# (seed, template, style, scheme, injected kinds, special items)
PLANS = (
    (117, "gbt", "tick", GBT, (), "limit"),              # table, 6 deductions: no level
    (118, "classic", "unicode", GBT, (), "both"),        # sentence, phrasing 3
    (119, "modern", "square", GBT, (), "limit"),         # sentence, 6 deductions
    (121, "ledger", "wingdings_sym", GBT, (), "deduction"),
    (123, "reordered", "square", GBT, (), "both"),
    (125, "nocode", "square", GBT, (), "both"),          # table, phrasing 2
    (127, "gbt", "content_control", GBT, (), "deduction"),
    (120, "classic", "unicode", CTS, (), "both"),
    (122, "modern", "tick", CTS, (), "limit"),
    (124, "ledger", "tick", CTS, (), "both"),            # table
    (126, "damaged", "tick", CTS, (), "deduction"),
    # one changed figure each
    (130, "gbt", "tick", GBT, ("normalised_score",), "both"),
    (131, "classic", "unicode", GBT, ("raw_total",), "deduction"),
    (133, "modern", "square", GBT, ("applicable_max",), "limit"),
    (134, "classic", "wingdings_text", CTS, ("special_items",), "both"),
    (135, "ledger", "content_control", GBT, ("special_items",), "deduction"),
    (136, "reordered", "square", CTS, ("raw_total",), "both"),
    (137, "gbt", "square", GBT, ("level",), "limit"),    # a level stated despite 5+ deductions
    (138, "modern", "tick", GBT, ("total",), "both"),
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[tuple[dict, dict]]:
    out = tmp_path_factory.mktemp("scoring")
    done = []
    for seed, template, style, scheme, checks, special in PLANS:
        path = render_one(Plan(seed, template, style, scheme, len(checks), checks or None,
                               special), out)
        truth = json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))
        done.append((truth, process_file(path).rows))
    return done


def test_plans_cover_phrasings_forms_and_schemes(generated):
    truths = [t for t, _ in generated]
    sc = [t["scoring"] for t in truths]
    assert {t["scheme"] for t in truths} == {CTS, GBT}
    assert {s["form"] for s in sc if s["deductions"] or s["additions"]} == {"sentence", "table"}
    sentences = {s["phrasing"] % len(SPECIAL_SENTENCES) for s in sc if s["form"] == "sentence"}
    assert sentences == set(range(len(SPECIAL_SENTENCES)))
    normalised = {s["phrasing"] % len(NORMALISED_SENTENCES) for s in sc if s["states_normalised"]}
    assert normalised == set(range(len(NORMALISED_SENTENCES)))
    assert any(s["deductions"] >= 5 for s in sc) and any(s["additions"] for s in sc)
    assert any(c["not_applicable"] for t in truths if t["scheme"] == GBT for c in t["clauses"])
    assert {i["check"] for t in truths for i in t["injected"]} >= {
        "special_items", "raw_total", "applicable_max", "normalised_score"}


def test_scoring_round_trips_exactly(generated):
    failures = {}
    for truth, rows in generated:
        result = compare(truth, rows)
        if not result.ok:
            failures[f"{truth['template']}/{truth['seed']}"] = result.lines()[:5]
    assert failures == {}


def test_clean_reports_recompute_their_total_and_level(generated):
    clean = [(t, r["reports"][0]) for t, r in generated if not t["injected"]]
    assert len(clean) >= 10
    for truth, rep in clean:
        assert rep["computed_total"] == pytest.approx(rep["stated_total"]), truth["seed"]
        assert rep["computed_level"] == rep["stated_level"], truth["seed"]
        assert rep["error_count"] == 0
        if truth["scoring"]["deductions"] >= 5:
            assert rep["computed_level"] is None and rep["stated_level"] is None


def test_a_changed_figure_gives_exactly_its_finding(generated):
    for truth, rows in generated:
        if not truth["injected"]:
            continue
        errors = {(c["check_name"], c["target"]) for c in rows["checks"] if c["severity"] == "error"}
        assert errors == {(i["check"], i["target"]) for i in truth["injected"]}, truth["seed"]


def test_gbt_total_is_normalised(generated):
    for truth, rows in generated:
        if truth["scheme"] != GBT:
            continue
        rep, sc = rows["reports"][0], truth["scoring"]
        raw = sum(s["computed_score"] for s in rows["sections"])
        applicable = sum(c["weight"] for c in rows["clauses"] if not c["not_applicable"])
        assert applicable == sc["applicable"]
        assert rep["computed_total"] == pytest.approx(
            round(raw / applicable * 100 + 1e-9, 1) - sc["deductions"] + sc["additions"], abs=0.051)
