"""Tests for the clause catalogues (schemas/schemes/*.yaml) and their validating loader."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from certreport.schemas.catalogue import (
    SCHEMES_DIR,
    CatalogueError,
    Scheme,
    default_scheme,
    load_scheme,
    load_schemes,
)
from certreport.schemas.derive_base_scheme import derive_base_scheme, dump_scheme_yaml, write_base_scheme

CTS_FILE = SCHEMES_DIR / "cts_isc_jsgf_06.yaml"
GBT_FILE = SCHEMES_DIR / "gbt_27922_2011.yaml"


@pytest.fixture(scope="module")
def cts() -> Scheme:
    return load_scheme(CTS_FILE)


@pytest.fixture(scope="module")
def gbt() -> Scheme:
    return load_scheme(GBT_FILE)


# --- the CTS ISC-JSGF-06 catalogue -----------------------------------------------------------


def test_cts_counts_and_maxima(cts: Scheme) -> None:
    assert cts.id == "CTS ISC-JSGF-06"
    assert len(cts.clauses) == 94
    assert len([c for c in cts.clauses if c.code]) == 93
    assert sum(len(p.subsections) for p in cts.parts) == 16
    assert [(p.section, p.title, p.max) for p in cts.parts] == [
        ("A", "售后服务体系", 73), ("B", "商品服务", 39), ("C", "顾客服务", 38)]
    assert cts.total_max == 150


def test_cts_codes_run_in_order(cts: Scheme) -> None:
    codes = [c.code for c in cts.clauses if c.code]
    expected = ([f"A{i}" for i in range(1, 51)] + [f"B{i}" for i in range(1, 29)]
                + [f"C{i}" for i in range(1, 16)])
    assert codes == expected
    assert [c.index for c in cts.clauses] == list(range(94))


@pytest.mark.parametrize(("code", "number", "weight"), [
    ("A12", "5.1.2.2", 5), ("C2", "5.3.1.2", 3), ("B6", "5.2.2.1", 1.5),
    ("A39", "5.1.5.2", 6), ("C13", "5.3.3.2", 7), ("B28", "5.2.6.2", 1),
])
def test_cts_spot_checks(cts: Scheme, code: str, number: str, weight: float) -> None:
    clause = cts.clause_by_code(code)
    assert clause is not None and clause.number == number and clause.weight == weight
    assert cts.clause_by_number(number) is clause


def test_cts_uncoded_zero_point_clause(cts: Scheme) -> None:
    clause = cts.clause_by_number("5.1.1.3")
    assert clause is not None
    assert clause.code is None and clause.weight == 0 and clause.base
    assert clause.text == "可通过自建或委托设立服务网点。"


def test_cts_duplicate_texts_kept_apart(cts: Scheme) -> None:
    c5, c11 = cts.clause_by_code("C5"), cts.clause_by_code("C11")
    assert c5 is not None and c11 is not None
    assert c5.text == c11.text
    assert (c5.number, c5.weight, c11.number, c11.weight) == ("5.3.1.5", 3, "5.3.2.6", 2)
    assert c5.text.startswith("顾客满意的测量（2分）\n")  # annotation kept as printed


def test_cts_texts_are_canonical(cts: Scheme) -> None:
    for clause in cts.clauses:
        assert not re.search(r"<[^>]+>|[,;:()]", clause.text), clause.number
        assert not clause.text.startswith(clause.number), clause.number
        assert "何卷" not in clause.text and "投诉最" not in clause.text, clause.number
    a7 = cts.clause_by_code("A7")
    assert a7 is not None and a7.text == "明确总体战略对服务规划的规定，并体现以客户为中心的思想。"
    b11 = cts.clause_by_code("B11")
    assert b11 is not None and b11.text.endswith("提高组织的技术改进和创新的能力。")
    c2 = cts.clause_by_code("C2")
    assert c2 is not None
    assert [line[:9] for line in c2.text.splitlines()[1:]] == ["5.3.1.2.1", "5.3.1.2.2", "5.3.1.2.3"]


def test_cts_subsections(cts: Scheme) -> None:
    sub = cts.subsection("5.1.1")
    assert sub is not None and (sub.title, sub.base, sub.extension) == ("组织架构", 4, 8)
    assert [c.number for c in sub.clauses if c.base] == ["5.1.1.1", "5.1.1.2", "5.1.1.3"]
    system = cts.subsection("5.3.1")
    assert system is not None and (system.title, system.base, system.extension) == ("服务系统", 0, 10)
    assert cts.subsection("5.9.9") is None and cts.part("D") is None
    part_b = cts.part("B")
    assert part_b is not None and sum(c.weight for c in part_b.clauses) == 39


@pytest.mark.parametrize(("total", "level"), [
    (142.7, "十星级"), (140, "十星级"), (139.9, "九星级"), (95, "五星级"),
    (70, "达标级"), (69.9, None), (None, None),
])
def test_cts_level_for(cts: Scheme, total: float | None, level: str | None) -> None:
    assert cts.level_for(total) == level


# --- the GB/T 27922-2011 catalogue -----------------------------------------------------------


def test_gbt_catalogue(gbt: Scheme, cts: Scheme) -> None:
    assert gbt.id == "GB/T 27922-2011"
    assert gbt.total_max == 100
    assert [p.max for p in gbt.parts] == [40, 35, 25]
    assert not [c for c in gbt.clauses if c.number.startswith("5.3.1.")]
    assert gbt.subsection("5.3.1") is None
    assert all(s.extension == 0 for p in gbt.parts for s in p.subsections)
    base = [(c.number, c.code, c.weight, c.text) for c in cts.clauses if c.base]
    assert [(c.number, c.code, c.weight, c.text) for c in gbt.clauses] == base
    assert gbt.level_for(96) == "五星级" and gbt.level_for(100) == "五星级"
    assert gbt.level_for(69.9) is None


def test_derive_script_reproduces_committed_gbt(tmp_path: Path) -> None:
    target = write_base_scheme(CTS_FILE, tmp_path / "gbt.yaml")
    assert yaml.safe_load(target.read_text(encoding="utf-8")) == yaml.safe_load(
        GBT_FILE.read_text(encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == GBT_FILE.read_text(encoding="utf-8")


def test_emitter_round_trips_cts() -> None:
    data = yaml.safe_load(CTS_FILE.read_text(encoding="utf-8"))
    assert yaml.safe_load(dump_scheme_yaml(data)) == data
    assert derive_base_scheme(data)["total_max"] == 100


def test_load_schemes_default_is_cached() -> None:
    schemes = load_schemes()
    assert load_schemes() is schemes
    assert {s.id for s in schemes} >= {"CTS ISC-JSGF-06", "GB/T 27922-2011"}
    assert default_scheme().id == "CTS ISC-JSGF-06"


# --- validation: mutated copies must fail with a precise message -------------------------------


def _clause(data: dict[str, Any], number: str) -> dict[str, Any]:
    for part in data["parts"]:
        for sub in part["subsections"]:
            for clause in sub["clauses"]:
                if clause["number"] == number:
                    return clause
    raise KeyError(number)


def _mutated(tmp_path: Path, mutate: Callable[[dict[str, Any]], None]) -> Path:
    data = yaml.safe_load(CTS_FILE.read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "mutated.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _weight_changed(data: dict[str, Any]) -> None:
    _clause(data, "5.1.1.4")["weight"] = 2


def _code_duplicated(data: dict[str, Any]) -> None:
    _clause(data, "5.1.1.5")["code"] = "A3"


def _key_misspelt(data: dict[str, Any]) -> None:
    clause = _clause(data, "5.1.1.1")
    clause["wieght"] = clause.pop("weight")


def _levels_unordered(data: dict[str, Any]) -> None:
    data["levels"][1], data["levels"][2] = data["levels"][2], data["levels"][1]


def _base_flag_wrong(data: dict[str, Any]) -> None:
    _clause(data, "5.1.2.2")["base"] = False


def _clause_misnumbered(data: dict[str, Any]) -> None:
    _clause(data, "5.1.1.2")["number"] = "5.1.2.99"


def _part_max_wrong(data: dict[str, Any]) -> None:
    data["parts"][1]["max"] = 40
    data["total_max"] = 151


def _total_wrong(data: dict[str, Any]) -> None:
    data["total_max"] = 100


def _weight_not_a_number(data: dict[str, Any]) -> None:
    _clause(data, "5.2.2.1")["weight"] = "1.5分"


def _top_key_unknown(data: dict[str, Any]) -> None:
    data["levles"] = data.pop("levels")


def _scoring_key_misspelt(data: dict[str, Any]) -> None:
    data["scoring"]["rul"] = data["scoring"].pop("rule")


def _scoring_places_bad(data: dict[str, Any]) -> None:
    data["scoring"]["places"] = "one"


def _special_key_misspelt(data: dict[str, Any]) -> None:
    special = data["scoring"]["special"]
    special["deduction_point"] = special.pop("deduction_points")


def _special_negative(data: dict[str, Any]) -> None:
    data["scoring"]["special"]["level_deduction_limit"] = -5


@pytest.mark.parametrize(("mutate", "expected"), [
    (_scoring_key_misspelt, "unknown key 'rul' in scoring (did you mean 'rule'?)"),
    (_scoring_places_bad, "scoring.places: expected an integer 0..6, got 'one'"),
    (_special_key_misspelt,
     "unknown key 'deduction_point' in scoring.special (did you mean 'deduction_points'?)"),
    (_special_negative,
     "scoring.special.level_deduction_limit: expected a non-negative number, got -5"),
    (_weight_changed, "subsection 5.1.1: clause weights add up to 13, expected base 4 + extension 8 = 12"),
    (_code_duplicated, "clause 5.1.1.5: code A3 already used by clause 5.1.1.4"),
    (_key_misspelt, "unknown key 'wieght' in clause 5.1.1.1 (did you mean 'weight'?)"),
    (_levels_unordered, "levels not strictly ascending: 三星级 (min 80) follows 四星级 (min 90)"),
    (_base_flag_wrong, "subsection 5.1.2: weights of base clauses add up to 1, expected base 6"),
    (_clause_misnumbered, "clause 5.1.2.99: number does not start with its subsection number 5.1.1"),
    (_part_max_wrong, "part B: max 40 but its subsections' base + extension add up to 39"),
    (_total_wrong, "total_max 100 but the part maxima add up to 150"),
    (_weight_not_a_number, "clause 5.2.2.1 weight: expected a non-negative number, got '1.5分'"),
    (_top_key_unknown, "unknown key 'levles' in the scheme (did you mean 'levels'?)"),
], ids=lambda v: getattr(v, "__name__", "")[1:] if callable(v) else "")
def test_mutated_catalogue_is_rejected(tmp_path: Path, mutate: Callable[[dict[str, Any]], None],
                                       expected: str) -> None:
    path = _mutated(tmp_path, mutate)
    with pytest.raises(CatalogueError) as info:
        load_scheme(path)
    message = str(info.value)
    assert message.startswith("mutated.yaml: ")
    assert expected in message


def test_unreadable_yaml_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"^broken\.yaml: cannot read catalogue"):
        load_scheme(path)


def test_duplicate_scheme_ids_in_directory(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(CTS_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(CatalogueError, match="defined twice: CTS ISC-JSGF-06"):
        load_schemes(tmp_path)


def test_scoring_rules_are_data(cts: Scheme, gbt: Scheme) -> None:
    # CTS sums its parts plainly; GB/T 27922 normalises by the applicable points, one decimal
    assert (cts.scoring.rule, cts.scoring.places) == ("plain_sum", None)
    assert (gbt.scoring.rule, gbt.scoring.places) == ("normalised", 1)
    for scheme in (cts, gbt):
        special = scheme.scoring.special
        assert (special.deduction_points, special.addition_points, special.max_additions,
                special.level_deduction_limit) == (1, 1, 1, 5)


def test_scoring_is_optional(tmp_path: Path) -> None:
    path = _mutated(tmp_path, lambda data: data.pop("scoring"))
    scheme = load_scheme(path)
    assert scheme.scoring.rule == "plain_sum"
    assert scheme.scoring.special.level_deduction_limit is None
