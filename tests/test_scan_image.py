"""The image stages of the OCR page (no OCR engine needed): deskew, table rules, check
boxes told by their ink; and the OCR confirmation of score rows."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from certreport.extract.checkboxes import find_checkboxes
from certreport.extract.record import ScoreRow, Text, Where
from certreport.extract.scan_image import deskew, ruling_lines, square_boxes, skew_angle
from certreport.normalise.ocr import confirm_row
from certreport.schemas.catalogue import load_schemes
from certreport.schemas.vocabulary import vocabulary

DPI = 150


def _grid(width: int = 1000, height: int = 700) -> np.ndarray:
    img = np.full((height, width), 255, np.uint8)
    for y in (100, 160, 220, 280):
        img[y:y + 2, 100:900] = 0
    for x in (100, 400, 700, 898):
        img[100:282, x:x + 2] = 0
    for k in range(6):  # text-like strokes inside a cell, stacked on two lines
        img[170:210, 130 + 20 * k:132 + 20 * k] = 0
        img[175:177, 125 + 20 * k:140 + 20 * k] = 0
    return img


@pytest.mark.parametrize("angle", [-0.6, 0.35, 0.6])
def test_deskew_finds_the_turn(angle):
    img = Image.fromarray(_grid()).rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    assert abs(skew_angle(np.asarray(img)) - angle) <= 0.1
    upright, turned = deskew(np.asarray(img))
    assert abs(turned - angle) <= 0.1 and upright.shape == np.asarray(img).shape


def test_ruling_lines_are_the_rules_not_the_strokes():
    lines = ruling_lines(_grid(), DPI)
    h = sorted(round(l["top"] * DPI / 72) for l in lines if l["top"] == l["bottom"])
    v = sorted(round(l["x0"] * DPI / 72) for l in lines if l["x0"] == l["x1"])
    assert h == [101, 161, 221, 281]  # the middle of each 2-px rule
    assert v == [101, 401, 701, 899]


def test_a_rule_that_steps_across_pixel_columns_is_one_rule():
    """A deskew a fraction of a degree off leaves a long rule stepping from one pixel
    column to the next: the pieces overlap by far less than half their length, and each
    alone ends inside a cell, but together they are the rule from top to bottom."""
    img = np.full((1200, 600), 255, np.uint8)
    for y in (100, 1100):
        img[y:y + 2, 50:550] = 0                      # the table's top and bottom rules
    img[100:1102, 50:52] = img[100:1102, 548:550] = 0  # its outer sides, straight
    img[100:700, 300:302] = 0                          # an inner rule: the upper part in two
    img[650:1102, 302:304] = 0                         # columns, the lower in the next two
    v = sorted(round(l["x0"] * DPI / 72) for l in ruling_lines(img, DPI) if l["x0"] == l["x1"])
    assert len(v) == 3 and v[0] == 51 and v[2] == 549 and 300 <= v[1] <= 303


def _box(fill: str) -> np.ndarray:
    img = np.full((40, 40), 255, np.uint8)
    img[10:30, 10] = img[10:30, 29] = img[10, 10:30] = img[29, 10:30] = 0
    if fill == "tick":
        for i in range(12):
            img[14 + i // 2 + (i if i > 6 else 0) // 3, 13 + i] = 0
            img[22 - i // 2, 18 + i // 2] = 0
        img[13:27, 13:27][np.eye(14, dtype=bool)[::-1]] = 0
        img[13:27, 14:28][np.eye(14, dtype=bool)[::-1]] = 0
    elif fill == "filled":
        img[10:30, 10:30] = 0
    elif fill == "speck":
        img[19:21, 18:22] = 0
    return img


@pytest.mark.parametrize("fill,state", [("empty", False), ("tick", True), ("filled", True),
                                        ("speck", None)])
def test_check_box_told_by_its_ink(fill, state):
    [box] = square_boxes(_box(fill), DPI)
    assert box.state() is state


def test_unsure_box_leaves_the_choice_unknown():
    class L:
        text = "⍰初次认证 ☐保持认证 ☐再认证"
        where = Where(page=1)

    [group] = find_checkboxes([L()], vocabulary())
    assert group.unsure and not group.marked and group.checked == ()


def _row(weight, pct, score, page=4):
    t = lambda s: Text(s, Where(page=page, conf=0.9)) if s is not None else None  # noqa: E731
    return ScoreRow("售后服务体系", None, None, Text("x"), t(weight), t("A3"), t(pct), t(score),
                    where=Where(page=page))


def test_lost_weight_is_taken_from_the_catalogue_only_when_confirmed():
    scheme = load_schemes()[0]
    clause = next(c for c in scheme.clauses if c.code == "A3")
    w = clause.weight
    got = confirm_row("A3", _row(None, "50", str(w * 0.5)), clause, None, 50.0, w * 0.5,
                      False, 1)
    assert got.weight == w and got.findings[0].check == "ocr_value"
    assert "page 4" in got.findings[0].message and got.findings[0].severity == "warning"
    bad = confirm_row("A3", _row(None, "50", "9"), clause, None, 50.0, 9.0, False, 1)
    assert bad.weight is None and "not confirmed" in bad.findings[0].message
    fine = confirm_row("A3", _row(str(w), "100", str(w)), clause, w, 100.0, w, False, 1)
    assert fine.weight == w and fine.findings == ()
