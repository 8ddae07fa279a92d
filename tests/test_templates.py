"""Templates as data: the no-code, damaged, reordered and GB/T templates render what they
promise, damage leaves the truth alone, and the reader copes through its general
mechanisms: rows without code or number matched by text within their subsection, damaged
codes mended, and a row that fits nothing reported as a clause_match finding."""
from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import docx
import pytest

from certreport.pipeline import process_file
from synth import CTS, GBT, Plan, plan, render_one
from synth.damage import Damager
from synth.docx_render import render_docx
from synth.roundtrip import ClauseAccuracy, clause_accuracy, compare
from synth.templates import TEMPLATES, Damage, Template
from synth.truth import make_truth, scheme_by_id
from certreport.extract.record import SubsectionHeading, Text
from certreport.normalise.checks import ClauseValues, check_subsections
from certreport.normalise.match import read_code, subsection_hint, subsection_titled
from certreport.schemas.catalogue import default_scheme
from tests.conftest import SAMPLES

# the hardest case the generator makes: slipped texts, no code column, clause numbers
# and subsection numbers missing, so every such row is matched by its text alone
HARSH = replace(TEMPLATES["damaged"], name="damaged",
                score_columns=TEMPLATES["nocode"].score_columns,
                damage=replace(TEMPLATES["damaged"].damage, text_rate=0.8,
                               number_missing_rate=0.5, subsection_missing_rate=0.3))


def _truth(path: Path) -> dict:
    return json.loads(path.with_name(path.stem + ".truth.json").read_text(encoding="utf-8"))


def _score_cells(path: Path, template: Template) -> list[dict[str, str]]:
    """role -> cell text of every score-table body row."""
    roles = [r for r, _ in template.score_columns]
    out = []
    for table in docx.Document(str(path)).tables[1:]:
        for row in table.rows[1:]:
            out.append({r: c.text for r, c in zip(roles, row.cells)})
    return out


# --- templates as data ----------------------------------------------------------------------


def test_new_templates_are_data():
    assert {"classic", "modern", "ledger", "nocode", "damaged", "reordered", "gbt"} <= set(TEMPLATES)
    assert not TEMPLATES["nocode"].has_code_column
    assert all(t.has_code_column for n, t in TEMPLATES.items() if n != "nocode")
    reordered = [r for r, _ in TEMPLATES["reordered"].score_columns]
    assert reordered != [r for r, _ in TEMPLATES["classic"].score_columns]
    assert reordered.index("content") < reordered.index("number")
    assert TEMPLATES["gbt"].schemes == (GBT,)
    assert TEMPLATES["damaged"].damage is not None and TEMPLATES["classic"].damage is None


def test_template_validation():
    classic = TEMPLATES["classic"]
    no_code = tuple(c for c in classic.score_columns if c[0] != "code")
    assert not replace(classic, score_columns=no_code).has_code_column
    with pytest.raises(ValueError, match="permutation"):
        replace(classic, score_columns=tuple(c for c in classic.score_columns if c[0] != "pct"))
    with pytest.raises(ValueError, match="permutation"):
        replace(classic, score_columns=classic.score_columns + (("code", "编码"),))
    with pytest.raises(ValueError, match="schemes"):
        replace(classic, schemes=("ISO 9001",))
    with pytest.raises(ValueError, match="share"):
        Damage(text_rate=1.5)
    with pytest.raises(ValueError, match="text_slips"):
        Damage(text_slips=("smudge",))


def test_committed_samples_render_byte_identically(tmp_path):
    """New template fields keep their defaults: the old templates write the same bytes."""
    for path in sorted(SAMPLES.glob("synth_*.docx")):
        truth = _truth(path)
        out = tmp_path / path.name
        render_docx(truth, out, replace(TEMPLATES[truth["template"]], checkbox=truth["checkbox"]))
        assert out.read_bytes() == path.read_bytes(), path.name


def test_gbt_template_writes_gbt_reports_whatever_the_plan_drew(tmp_path):
    assert make_truth(3, "gbt", CTS)["scheme"] == GBT
    assert make_truth(3, "classic", CTS)["scheme"] == CTS
    assert make_truth(3, "unknown-template", GBT)["scheme"] == GBT
    plans = plan(len(TEMPLATES), seed=0)
    assert "gbt" in {p.template for p in plans}
    gbt = next(p for p in plans if p.template == "gbt")
    truth = _truth(render_one(gbt, tmp_path))
    assert (truth["template"], truth["scheme"]) == ("gbt", GBT)
    assert len(truth["clauses"]) == len(scheme_by_id(GBT).clauses)


# --- damage ---------------------------------------------------------------------------------


def test_damage_changes_only_what_is_rendered(tmp_path):
    p = Plan(21, "damaged", "unicode", CTS, 1)
    a = render_one(p, tmp_path / "a")
    b = render_one(p, tmp_path / "b")
    assert a.read_bytes() == b.read_bytes()  # deterministic from the seed
    truth = _truth(a)
    assert truth == make_truth(21, "damaged", CTS, 1) | {"checkbox": "unicode"}
    tpl = TEMPLATES["damaged"]
    cells = _score_cells(a, tpl)
    clauses = truth["clauses"]
    assert len(cells) == len(clauses)
    scheme = scheme_by_id(truth["scheme"])
    texts = {c.number: c.text for c in scheme.clauses}
    unnumbered = [c for c, row in zip(clauses, cells)
                  if not re.match(r"[0-9IlO]+(?:\.[0-9IlO]+){3}", row["content"])]
    assert 0.15 <= len(unnumbered) / len(clauses) <= 0.35
    slipped = [c for c, row in zip(clauses, cells)
               if texts[c["clause_no"]] not in row["content"]]
    assert len(slipped) >= len(clauses) // 3
    codes = [row["code"] for c, row in zip(clauses, cells) if c["code"]]
    assert any(code != c["code"] for code, c in zip(codes, [c for c in clauses if c["code"]]))
    assert all(read_code(row["code"]) == c["code"] for c, row in zip(clauses, cells) if c["code"])
    # the damage is drawn per clause: another seed damages other cells
    other = Damager(tpl.damage, 22)
    mine = Damager(tpl.damage, 21)
    assert [mine.content(n, t) for n, t in texts.items()] != \
        [other.content(n, t) for n, t in texts.items()]


def test_damaged_codes_look_like_ocr_slips():
    d = Damager(Damage(code_slip_rate=1.0), 5)
    slipped = {code: d.code(code) for code in ("A10", "B10", "C12", "A44", "B21", "C1")}
    assert all(s != code for code, s in slipped.items())
    assert all(read_code(s) == code for code, s in slipped.items())
    assert {read_code(x) for x in ("Al0", "B1O", "C l2", "A I1")} == {"A10", "B10", "C12", "A11"}


# --- the reader -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def harsh(tmp_path_factory) -> list[tuple[Path, dict, dict]]:
    out = tmp_path_factory.mktemp("harsh")
    done = []
    for i, style in enumerate(("unicode", "content_control", "wingdings_sym", "tick")):
        p = Plan(300 + i, "damaged", style, GBT if i == 3 else CTS, i % 2)
        path = render_one(p, out, replace(HARSH, checkbox=style))
        done.append((path, _truth(path), process_file(path).rows))
    return done


def test_slipped_rows_without_code_or_number_match_by_text(harsh):
    acc = ClauseAccuracy()
    methods = set()
    for path, truth, rows in harsh:
        assert compare(truth, rows).lines() == [], path.name
        acc += clause_accuracy(truth, rows)
        methods |= {c["match_method"] for c in rows["clauses"]}
    assert methods == {"number", "text"}
    assert acc.right == acc.clauses > 250


def test_a_damaged_row_that_fits_nothing_becomes_a_finding(harsh, tmp_path):
    path, truth, _ = harsh[0]
    doc = docx.Document(str(path))
    table = doc.tables[2]  # part B
    content = [r for r, _ in HARSH.score_columns].index("content")
    cell = table.rows[3].cells[content]
    cell.text = "本条款内容在扫描时严重损坏无法辨认的文字残片"
    broken = tmp_path / "broken.docx"
    doc.save(str(broken))
    rows = process_file(broken).rows
    unmatched = [c for c in rows["clauses"] if c["match_method"] is None]
    assert len(unmatched) == 1
    assert (unmatched[0]["code"], unmatched[0]["clause_no"]) == (None, None)
    findings = [f for f in rows["checks"] if f["check_name"] == "clause_match"]
    assert len(findings) == 1 and findings[0]["severity"] == "error"
    assert "fits no clause" in findings[0]["message"]
    acc = clause_accuracy(truth, rows)
    assert (acc.wrong, acc.flagged, acc.unflagged) == (1, 1, 0)
    assert not compare(truth, rows).ok  # not exact, and said so


def test_subsection_from_its_title_when_the_number_is_lost():
    scheme = default_scheme()
    assert subsection_titled(scheme, "组织架构(4+8分)") == "5.1.1"
    assert subsection_titled(scheme, "服务系统 +10分") == "5.3.1"
    assert subsection_titled(scheme, "维修（3+2分）", "B") == "5.2.4"
    assert subsection_titled(scheme, "维修（3+2分）", "A") is None
    assert subsection_titled(scheme, "说明") is None
    assert subsection_hint(scheme, "5.l.3", "组织架构") == "5.1.3"  # the number cell wins
    assert subsection_hint(scheme, None, "人员配置(6+9分)") == "5.1.2"
    # the subsection check still runs on a heading whose 序号 cell is empty
    items = [ClauseValues("A", "5.1.1", c.code or c.number, c.weight, 100.0, False, c.weight,
                          c.weight) for c in scheme.subsection("5.1.1").clauses]
    heading = SubsectionHeading("售后服务体系", None, Text("组织架构(4+9分)"))
    (finding,) = check_subsections([heading], items, scheme)
    assert (finding.check, finding.target, finding.stated, finding.computed) == \
        ("subsection_max", "5.1.1", 13.0, 12.0)
