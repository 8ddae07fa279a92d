"""The one text normalisation at the readers' edge (schemas/text_forms.yaml) and check-box
glyphs read alike in any font."""
from __future__ import annotations

import unicodedata

import pytest
import yaml

from certreport import extract
from certreport.extract.glyphs import symbol_mark
from certreport.extract.record import CHECKED, UNCHECKED
from certreport.extract.text_forms import (TEXT_FORMS_PATH, TextFormsError, load_table,
                                           normalise_text)


@pytest.mark.parametrize("raw, want", [
    ("乌鲁木齐市米东区康庄⻄路", "乌鲁木齐市米东区康庄西路"),   # CJK radical U+2EC4
    ("⻓沙市", "长沙市"),                                      # U+2ED3
    ("⼈⺠路", "人民路"),                                      # Kangxi radical, radical supplement
    ("\uf900", "豈"),                                         # CJK compatibility ideograph
    ("得分７２．７，５０％", "得分72.7，50%"),                    # full-width digits, %, stop
    ("ＩＳＣ－ＪＳＧＦ", "ISC－JSGF"),                          # letters fold, the dash stays
    ("项目\u00ad编号\u200b：\ufeff0029", "项目编号：0029"),     # soft hyphen, zero-width chars
    ("总分：142.7（十星级）", "总分：142.7（十星级）"),         # Chinese punctuation unchanged
])
def test_normalise_text(raw, want):
    assert normalise_text(raw) == want


def test_table_maps_radicals_to_unified_ideographs_only():
    data = yaml.safe_load(TEXT_FORMS_PATH.read_text(encoding="utf-8"))
    for src, dst in data["map"].items():
        assert 0x2E80 <= ord(src) <= 0x2EFF, src
        assert unicodedata.name(dst).startswith("CJK UNIFIED IDEOGRAPH"), (src, dst)
    table = load_table()
    assert table[0x2EC4] == "西" and table[0x00AD] == "" and table[0x2F00] == "一"
    assert 0xFF1A not in table  # ： stays


def test_malformed_table_named(tmp_path):
    bad = tmp_path / "text_forms.yaml"
    bad.write_text("nfkc_ranges: [[2F00]]\n", encoding="utf-8")
    with pytest.raises(TextFormsError, match="text_forms.yaml: nfkc_ranges"):
        load_table(bad)


def test_readers_output_is_normalised(tmp_path):
    path = tmp_path / "r.md"
    path.write_text("1.3 工商注册地址：新疆乌鲁木齐市⻄山路\u200b８号\n", encoding="utf-8")
    record = extract.read(path)
    assert record.field("registered_address").value.text == "新疆乌鲁木齐市西山路8号"


@pytest.mark.parametrize("font", ["Wingdings", "OpenSymbol", "ABCDEF+OpenSymbol", None])
def test_private_use_check_boxes_read_alike_in_any_font(font):
    assert symbol_mark("\uf0fe", font) == CHECKED
    assert symbol_mark("\uf0a8", font) == UNCHECKED


def test_bare_bytes_only_in_symbol_fonts():
    assert symbol_mark("þ", "Wingdings") == CHECKED
    assert symbol_mark("þ", "OpenSymbol") is None  # a text font: þ is a letter there


def test_labels_with_a_slip_found_by_similarity():
    from certreport.extract.assemble import assemble
    from certreport.extract.record import Document, Paragraph

    doc = Document("x.md", "md", (
        Paragraph("1.1 受审査方名称：新疆鹏森家具有限公司"), Paragraph("1.3 工商註册地址：新疆乌鲁木齐市"),
        Paragraph("1.2 项目编号：0029-2023-SE-2024"), Paragraph("审查范围说明：不是审查范围"),
        Paragraph("受审核方名称：精确的标签优先")))
    fields = {(f.name, f.value.text) for f in assemble(doc).fields}
    assert ("registered_address", "新疆乌鲁木齐市") in fields
    assert ("org_name", "精确的标签优先") in fields and ("project_no", "0029-2023-SE-2024") in fields
    assert ("org_name", "新疆鹏森家具有限公司") not in fields  # the exact label wins
    assert not any(name == "scope" for name, _ in fields)
