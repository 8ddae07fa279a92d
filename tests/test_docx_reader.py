"""Tests for the Word backend (extract/docx.py, extract/docx_checkbox.py, extract/doc.py).

Every input is built in ``tmp_path`` with python-docx plus raw WordprocessingML, one
file per case, so that each case names the Word construct it covers.
"""
from __future__ import annotations

import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from certreport import extract
from certreport.extract import doc as doc_reader
from certreport.extract.docx import DocxError, DocxLimits, read_docx, read_document
from certreport.extract.record import CHECKED, UNCHECKED, Paragraph, Table

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = (f'xmlns:w="{W}" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"')


# ---------------------------------------------------------------- builders


def make_docx(path: Path, body_xml: str = "", *, header: str | None = None,
              footer: str | None = None, char_styles: str = "") -> Path:
    """A .docx whose body holds ``body_xml`` (WordprocessingML without namespace
    declarations); optional header/footer text and extra ``w:style`` elements."""
    d = docx.Document()
    body = d.element.body
    for el in list(body):
        if el.tag != f"{{{W}}}sectPr":
            body.remove(el)
    for el in list(parse_xml(f"<w:body {NS}>{body_xml}</w:body>")):
        body.sectPr.addprevious(el)
    if header is not None:
        d.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        d.sections[0].footer.paragraphs[0].text = footer
    for el in list(parse_xml(f"<w:styles {NS}>{char_styles}</w:styles>")):
        d.styles.element.append(el)
    d.save(str(path))
    return path


def rewrite_member(path: Path, name: str, data: bytes | None) -> None:
    """Replace (or drop, with None) one member of a zip."""
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    if data is None:
        members.pop(name)
    else:
        members[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, blob in members.items():
            zf.writestr(n, blob)


def p(*inline: str) -> str:
    return "<w:p>" + "".join(inline) + "</w:p>"


def r(text: str, font: str | None = None, slot: str = "ascii", extra: str = "") -> str:
    fonts = ""
    if font:
        slots = ("ascii", "hAnsi") if slot == "ascii" else (slot,)
        fonts = "<w:rFonts " + " ".join(f'w:{s}="{font}"' for s in slots) + "/>"
    rpr = f"<w:rPr>{fonts}{extra}</w:rPr>" if fonts or extra else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def sym(font: str, char: str) -> str:
    return f'<w:r><w:sym w:font="{font}" w:char="{char}"/></w:r>'


def sdt_box(checked: str, shown: str) -> str:
    """A check-box content control; ``checked`` is the w14:checked element or ''."""
    return (f'<w:sdt><w:sdtPr><w14:checkbox>{checked}'
            '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
            '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
            f'<w:sdtContent><w:r><w:t>{shown}</w:t></w:r></w:sdtContent></w:sdt>')


def form_box(check_box_inner: str) -> str:
    """A legacy FORMCHECKBOX field."""
    return ('<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="C1"/><w:enabled/>'
            f'<w:checkBox><w:sizeAuto/>{check_box_inner}</w:checkBox></w:ffData></w:fldChar></w:r>'
            '<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def tc(text: str = "", props: str = "", inner: str | None = None) -> str:
    pr = f"<w:tcPr>{props}</w:tcPr>" if props else ""
    return f"<w:tc>{pr}{inner if inner is not None else p(r(text) if text else '')}</w:tc>"


def tr(*cells: str, props: str = "") -> str:
    pr = f"<w:trPr>{props}</w:trPr>" if props else ""
    return f"<w:tr>{pr}{''.join(cells)}</w:tr>"


def tbl(width: int, *rows: str) -> str:
    grid = "".join('<w:gridCol w:w="1000"/>' for _ in range(width))
    return f"<w:tbl><w:tblPr/><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def only(doc, kind):
    return [b for b in doc.blocks if isinstance(b, kind)]


AUDIT_TYPE = "审查类型："


def audit_line(unchecked: str, checked: str) -> str:
    """审查类型 with 保持认证 checked, the marks given as inline XML."""
    return p(r(AUDIT_TYPE), unchecked, r("初次认证 "), checked, r("保持认证 "), unchecked,
             r("再认证"))


# ---------------------------------------------------------------- tables


def test_gridspan_vmerge_gridbefore_after_keep_grid_width_and_text_once(tmp_path):
    body = tbl(
        4,
        tr(tc("序号"), tc("标题"), tc("检查内容", '<w:gridSpan w:val="2"/>'),
           props="<w:tblHeader/>"),
        tr(tc("5.1.1", '<w:vMerge w:val="restart"/>'), tc("组织架构"), tc("a"), tc("1")),
        tr(tc("", "<w:vMerge/>"), tc("span", '<w:gridSpan w:val="3"/>')),
        tr(tc("x"), tc("y"), props='<w:gridBefore w:val="1"/><w:gridAfter w:val="1"/>'),
    )
    doc = read_document(make_docx(tmp_path / "merged.docx", body))
    (table,) = only(doc, Table)
    assert texts(table) == [
        ["序号", "标题", "检查内容", ""],
        ["5.1.1", "组织架构", "a", "1"],
        ["", "span", "", ""],
        ["", "x", "y", ""],
    ]
    assert table.header_rows == 1
    all_text = [c.text for row in table.rows for c in row]
    assert all_text.count("5.1.1") == 1 and all_text.count("span") == 1


def test_python_docx_merges_are_not_duplicated(tmp_path):
    d = docx.Document()
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "wide"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "tall"
    d.save(str(tmp_path / "api.docx"))
    (table,) = only(read_document(tmp_path / "api.docx"), Table)
    assert texts(table) == [["wide", "", ""], ["tall", "", ""], ["", "", ""]]


def test_header_rows_count_only_leading_repeated_rows(tmp_path):
    head = "<w:tblHeader/>"
    body = tbl(2, tr(tc("h1"), tc("h2"), props=head), tr(tc("h3"), tc("h4"), props=head),
               tr(tc("b"), tc("c")), tr(tc("d"), tc("e"), props=head),
               tr(tc("f"), tc("g"), props='<w:tblHeader w:val="false"/>'))
    (table,) = only(read_document(make_docx(tmp_path / "h.docx", body)), Table)
    assert table.header_rows == 2
    plain = tbl(1, tr(tc("a")))
    (table,) = only(read_document(make_docx(tmp_path / "plain.docx", plain)), Table)
    assert table.header_rows == 0


def test_layout_row_cells_become_blocks_and_nested_tables_tables(tmp_path):
    inner = tbl(2, tr(tc("内1"), tc("内2")), tr(tc("内3"), tc("")))
    body = tbl(2, tr(tc("上"), tc("行")),
               tr(tc("外"), tc(inner=p(r("前")) + inner + p(r("后")))),
               tr(tc("下"), tc("行")))
    doc = read_document(make_docx(tmp_path / "nested.docx", body))
    kinds = [(type(b).__name__, texts(b) if isinstance(b, Table) else b.text) for b in doc.blocks]
    assert kinds == [("Table", [["上", "行"]]), ("Paragraph", "外"), ("Paragraph", "前"),
                     ("Table", [["内1", "内2"], ["内3", ""]]), ("Paragraph", "后"),
                     ("Table", [["下", "行"]])]


def test_table_in_one_cell_layout_table_two_levels_deep(tmp_path):
    score = tbl(2, tr(tc("检查内容"), tc("分值")), tr(tc("5.1.1.1 a"), tc("2")))
    body = tbl(1, tr(tc(inner=p(r("标题")) + tbl(1, tr(tc(inner=score))))))
    doc = read_document(make_docx(tmp_path / "layout.docx", body))
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Table"]
    assert texts(doc.blocks[1]) == [["检查内容", "分值"], ["5.1.1.1 a", "2"]]


def test_provenance_is_the_block_index(tmp_path):
    body = p(r("一")) + p() + tbl(1, tr(tc("c"))) + p(r("二"))
    doc = read_document(make_docx(tmp_path / "where.docx", body))
    assert [b.where.line for b in doc.blocks] == [1, 2, 3]
    assert all(b.where.page is None for b in doc.blocks)
    assert doc.blocks[1].rows[0][0].where.line == 2


# ---------------------------------------------------------------- text and content controls


def test_content_controls_at_body_row_cell_and_run_level(tmp_path):
    sdt = "<w:sdt><w:sdtPr/><w:sdtContent>{}</w:sdtContent></w:sdt>"
    body = (
        sdt.format(p(r("体级内容")))
        + p(r("前"), sdt.format(r("行内")), r("后"))
        + tbl(2,
              sdt.format(tr(tc("行级"), tc("x"))),
              tr(sdt.format(tc("格级")), tc(inner=sdt.format(p(r("格内段落"))))))
    )
    doc = read_document(make_docx(tmp_path / "sdt.docx", body))
    paras = [b.text for b in only(doc, Paragraph)]
    assert paras == ["体级内容", "前行内后"]
    (table,) = only(doc, Table)
    assert texts(table) == [["行级", "x"], ["格级", "格内段落"]]


def test_run_content_tabs_breaks_hyphens_and_skipped_text(tmp_path):
    body = p(
        r("a"), "<w:r><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:noBreakHyphen/><w:t>d</w:t>"
        "<w:cr/><w:t>e</w:t></w:r>",
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
        "<w:del><w:r><w:delText>删掉</w:delText></w:r></w:del>",
        "<w:ins><w:r><w:t>插入</w:t></w:r></w:ins>",
        r("隐藏", extra="<w:vanish/>"),
        '<w:hyperlink r:id="rIdX" xmlns:r="http://schemas.openxmlformats.org/officeDocument'
        '/2006/relationships"><w:r><w:t>链接</w:t></w:r></w:hyperlink>',
    )
    (para,) = only(read_document(make_docx(tmp_path / "runs.docx", body)), Paragraph)
    assert para.text == "a b\nc-d\ne插入链接"


def test_text_box_read_once_and_toc_skipped(tmp_path):
    box = "<w:txbxContent>" + p(r("框内")) + "</w:txbxContent>"
    body = (
        '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>'
        "</w:docPartObj></w:sdtPr><w:sdtContent>" + p(r("目录 1")) + "</w:sdtContent></w:sdt>"
        + p(r("锚"), "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
            f"<w:anchorStub>{box}</w:anchorStub></w:drawing></mc:Choice><mc:Fallback>"
            f"<w:pict>{box}</w:pict></mc:Fallback></mc:AlternateContent></w:r>")
    )
    doc = read_document(make_docx(tmp_path / "box.docx", body))
    assert [b.text for b in doc.blocks] == ["锚", "框内"]


def test_table_in_text_box_is_a_table_read_once(tmp_path):
    table = tbl(2, tr(tc("姓名"), tc("组内身份")), tr(tc("王伟"), tc("组长")))
    box = "<w:txbxContent>" + p(r("1.13 审查组成员：")) + table + "</w:txbxContent>"
    body = p(r("锚"), "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
             f"<w:anchorStub>{box}</w:anchorStub></w:drawing></mc:Choice><mc:Fallback>"
             f"<w:pict><w:textbox>{box}</w:textbox></w:pict></mc:Fallback></mc:AlternateContent>"
             "</w:r>") + p(r("后"))
    doc = read_document(make_docx(tmp_path / "boxtable.docx", body))
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph", "Paragraph", "Table",
                                                       "Paragraph"]
    assert texts(doc.blocks[2]) == [["姓名", "组内身份"], ["王伟", "组长"]]


def test_text_box_in_a_data_cell_joins_its_text(tmp_path):
    box = "<w:txbxContent>" + p(r("框内")) + "</w:txbxContent>"
    cell = p(r("格"), f"<w:r><w:drawing><w:anchorStub>{box}</w:anchorStub></w:drawing></w:r>")
    (table,) = only(read_document(make_docx(tmp_path / "cellbox.docx", tbl(1, tr(tc(inner=cell))))),
                    Table)
    assert texts(table) == [["格\n框内"]]


def test_frame_paragraphs_read_in_body_order(tmp_path):
    frame = '<w:p><w:pPr><w:framePr w:w="3000" w:hAnchor="page" w:x="6000" w:y="800"/></w:pPr>' \
            '<w:r><w:t>项目编号：0029-2023-SE-2024</w:t></w:r></w:p>'
    doc = read_document(make_docx(tmp_path / "frame.docx", p(r("前")) + frame + p(r("后"))))
    assert [b.text for b in doc.blocks] == ["前", "项目编号：0029-2023-SE-2024", "后"]


def test_headers_and_footers_go_to_running_texts_not_blocks(tmp_path):
    path = make_docx(tmp_path / "hf.docx", p(r("正文")), header="北京国标联合认证有限公司\t第1页",
                     footer="页脚文字")
    doc = read_document(path)
    assert [b.text for b in doc.blocks] == ["正文"]
    assert doc.running_texts == ("北京国标联合认证有限公司  第1页", "页脚文字")
    record = extract.read(path)
    assert record.cert_body is not None and record.cert_body.text == "北京国标联合认证有限公司"


def test_header_table_cells_are_separate_pieces(tmp_path):
    path = make_docx(tmp_path / "htable.docx", p(r("正文")))
    d = docx.Document(str(path))
    header = d.sections[0].header
    cells = header.add_table(rows=1, cols=2, width=docx.shared.Cm(16)).rows[0].cells
    cells[0].text, cells[1].text = "服务认证审查报告", "中质认证评价中心有限公司"
    d.save(str(path))
    assert read_document(path).running_texts == ("服务认证审查报告  中质认证评价中心有限公司",)
    assert extract.read(path).cert_body.text == "中质认证评价中心有限公司"


# ---------------------------------------------------------------- check boxes

CHECKBOX_STYLES = {
    "sym_wingdings_F0FE_F0A8": (sym("Wingdings", "F0A8"), sym("Wingdings", "F0FE")),
    "sym_char_without_F0_prefix": (sym("Wingdings", "00A8"), sym("Wingdings", "00FE")),
    "sym_wingdings2": (sym("Wingdings 2", "F0A3"), sym("Wingdings 2", "F052")),
    "wingdings_run_private_use": (r("\uf0a8", "Wingdings"), r("\uf0fe", "Wingdings")),
    "wingdings_run_bare_bytes": (r("¨", "Wingdings"), r("þ", "Wingdings")),
    "wingdings_hansi_slot_only": (r("¨", "Wingdings", "hAnsi"), r("þ", "Wingdings", "hAnsi")),
    "wingdings_eastasia_slot": (r("¨", "Wingdings", "eastAsia"), r("þ", "Wingdings", "eastAsia")),
    "wingdings_cs_slot": (r("¨", "Wingdings", "cs"), r("þ", "Wingdings", "cs")),
    "wingdings2_run_bytes": (r("£", "Wingdings 2"), r("R", "Wingdings 2")),
    "private_use_without_font": (r("\uf0a8"), r("\uf0fe")),
    "wingdings_via_character_style": (
        r("¨", extra='<w:rStyle w:val="BoxChar"/>'), r("þ", extra='<w:rStyle w:val="BoxChar"/>')),
    "content_control_val_1": (sdt_box('<w14:checked w14:val="0"/>', "☐"),
                              sdt_box('<w14:checked w14:val="1"/>', "☒")),
    "content_control_glyph_not_trusted": (sdt_box('<w14:checked w14:val="false"/>', "☒"),
                                          sdt_box('<w14:checked w14:val="true"/>', "☐")),
    "content_control_no_value_and_absent": (sdt_box("", "☒"), sdt_box("<w14:checked/>", "☐")),
    "form_field_checked": (form_box('<w:default w:val="0"/>'),
                           form_box('<w:default w:val="0"/><w:checked/>')),
    "form_field_default": (form_box('<w:default w:val="1"/><w:checked w:val="0"/>'),
                           form_box('<w:default w:val="1"/>')),
    "unicode_marks_kept": (r("□"), r("■")),
}
BOX_STYLE = ('<w:style w:type="character" w:styleId="BoxChar"><w:name w:val="Box Char"/>'
             '<w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr></w:style>')


@pytest.mark.parametrize("style", sorted(CHECKBOX_STYLES))
def test_checkbox_style_maps_to_canonical_marks(tmp_path, style):
    unchecked, checked = CHECKBOX_STYLES[style]
    path = make_docx(tmp_path / f"{style}.docx", audit_line(unchecked, checked),
                     char_styles=BOX_STYLE)
    doc = read_document(path)
    (para,) = only(doc, Paragraph)
    if style == "unicode_marks_kept":
        assert para.text == "审查类型：□初次认证 ■保持认证 □再认证"
    else:
        assert para.text == f"审查类型：{UNCHECKED}初次认证 {CHECKED}保持认证 {UNCHECKED}再认证"
    assert doc.problems == ()
    (group,) = [g for g in extract.read(path).checkboxes if g.name == "audit_type"]
    assert group.marked and group.checked == ("保持认证",)


def test_checkbox_in_table_cell(tmp_path):
    body = tbl(2, tr(tc("审查方式"), tc(inner=p(
        sym("Wingdings", "F0A8"), r("现场审核 "), sym("Wingdings", "F0FE"), r("远程审核")))))
    path = make_docx(tmp_path / "cell.docx", body)
    (table,) = only(read_document(path), Table)
    assert table.rows[0][1].text == f"{UNCHECKED}现场审核 {CHECKED}远程审核"
    (group,) = [g for g in extract.read(path).checkboxes if g.name == "audit_method"]
    assert group.checked == ("远程审核",)


def test_unmarked_group_is_unknown_not_guessed(tmp_path):
    path = make_docx(tmp_path / "unmarked.docx", p(r("审查类型：初次认证 保持认证 再认证")))
    (group,) = [g for g in extract.read(path).checkboxes if g.name == "audit_type"]
    assert not group.marked and all(o.checked is None for o in group.options)


def test_unknown_glyph_is_kept_and_reported(tmp_path):
    body = p(sym("Wingdings", "F0A0"), r("初次认证 "), r("l", "Wingdings"), r("保持认证"))
    doc = read_document(make_docx(tmp_path / "unknown.docx", body))
    (para,) = only(doc, Paragraph)
    assert para.text == "\uf0a0初次认证 l保持认证"
    assert doc.problems == ("unknown check-box glyph U+F0A0 in font Wingdings",
                            "unknown check-box glyph U+F06C in font Wingdings")


def test_ordinary_text_in_ordinary_fonts_is_untouched(tmp_path):
    body = p(r("þ¨ Rolq 初次认证", "Times New Roman"), r("√", "Symbol"))
    doc = read_document(make_docx(tmp_path / "plain.docx", body))
    assert doc.blocks[0].text == "þ¨ Rolq 初次认证√" and doc.problems == ()


def test_symbol_font_text_outside_the_table_is_kept_as_written(tmp_path):
    doc = read_document(make_docx(tmp_path / "times.docx", p(r("3×4", "Symbol"))))
    assert doc.blocks[0].text == "3×4"
    assert doc.problems == ("unknown check-box glyph U+F033 in font Symbol",
                            "unknown check-box glyph U+F0D7 in font Symbol",
                            "unknown check-box glyph U+F034 in font Symbol")


# ---------------------------------------------------------------- end to end


def test_score_table_with_vertical_merges_assembles_rows(tmp_path):
    head = ["序号", "标题", "检查内容", "小类分值", "代码(维度)", "分项得分%", "分项实际得分"]
    body = p(r("1) 售后服务体系:")) + p(r("本部分满分 73分, 实际得分 72.7 分")) + tbl(
        7,
        tr(*(tc(h) for h in head), props="<w:tblHeader/>"),
        tr(tc("5.1.1", '<w:vMerge w:val="restart"/>'),
           tc("组织架构(4+8分)", '<w:vMerge w:val="restart"/>'),
           tc("5.1.1.1 设立专门的售后服务部门"), tc("1"), tc("A1"), tc("100%"), tc("1")),
        tr(tc("", "<w:vMerge/>"), tc("", "<w:vMerge/>"),
           tc("5.1.1.2 有专职售后服务人员"), tc("3"), tc("A2"), tc("70%"), tc("2.1")),
    )
    record = extract.read(make_docx(tmp_path / "score.docx", body))
    assert [(row.subsection.text, row.code.text, row.score.text) for row in record.rows] == [
        ("5.1.1", "A1", "1"), ("5.1.1", "A2", "2.1")]
    assert len(record.subsections) == 1


def test_docm_is_read(tmp_path):
    path = make_docx(tmp_path / "macro.docx", p(r("宏文档")))
    with zipfile.ZipFile(path) as zf:
        types = zf.read("[Content_Types].xml").decode()
    types = types.replace("wordprocessingml.document.main+xml",
                          "wordprocessingml.document.macroEnabled.main+xml").replace(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.macroEnabled",
        "application/vnd.ms-word.document.macroEnabled")
    rewrite_member(path, "[Content_Types].xml", types.encode())
    docm = path.rename(tmp_path / "macro.docm")
    doc = extract.read_document(docm)
    assert doc.source_format == "docm" and [b.text for b in doc.blocks] == ["宏文档"]


def test_readers_registered():
    for suffix, module in ((".docx", "certreport.extract.docx"), (".docm", "certreport.extract.docx"),
                           (".doc", "certreport.extract.doc"), (".wps", "certreport.extract.doc")):
        assert extract.readers.by_suffix(f"x{suffix.upper()}").module == module


# ---------------------------------------------------------------- bad input


def test_not_a_zip(tmp_path):
    path = tmp_path / "text.docx"
    path.write_text("这不是 Word 文件", encoding="utf-8")
    with pytest.raises(DocxError, match=r"not a zip file \(not a Word \.docx\)"):
        read_document(path)


def test_zip_without_document_xml(tmp_path):
    path = tmp_path / "sheet.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(DocxError, match=r"zip file is not a Word document \(no word/document.xml\)"):
        read_document(path)


@pytest.mark.parametrize("payload", [b"", "EncryptedPackage".encode("utf-16-le")])
def test_ole_container_is_encrypted_word(tmp_path, payload):
    path = tmp_path / "secret.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + payload + b"\0" * 512)
    with pytest.raises(DocxError, match=r"password-protected or encrypted Word file \(OLE container\)"):
        read_document(path)


def test_zip_bomb_declared_size_refused_before_parsing(tmp_path):
    path = make_docx(tmp_path / "bomb.docx", p(r("x")))
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("word/media/big.bin", b"small")
    data = bytearray(path.read_bytes())
    entry = data.rindex(b"word/media/big.bin") - 46  # its central directory entry
    assert data[entry:entry + 4] == b"PK\x01\x02"
    struct.pack_into("<I", data, entry + 24, 0xF0000000)  # declares 3840 MB uncompressed
    path.write_bytes(bytes(data))
    with pytest.raises(DocxError, match=r"document too large: \d+ MB uncompressed \(limit 256 MB\)"):
        read_document(path)


def test_zip_bomb_compression_ratio_refused(tmp_path):
    path = make_docx(tmp_path / "ratio.docx", p(r("x")))
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/media/zeros.bin", b"\0" * (8 << 20))
    with pytest.raises(DocxError, match=r"document too large: word/media/zeros.bin inflates"):
        read_document(path)
    assert read_docx(path, limits=DocxLimits(max_ratio=10_000)).blocks  # the limit is tunable


def test_deeply_nested_tables_refused(tmp_path):
    depth = 60
    body = "<w:tbl><w:tr><w:tc>" * depth + p(r("深")) + "</w:tc></w:tr></w:tbl>" * depth
    with pytest.raises(DocxError, match="document nested too deeply"):
        read_document(make_docx(tmp_path / "deep.docx", body))


def test_deeply_nested_content_controls_refused(tmp_path):
    depth = 60
    body = "<w:sdt><w:sdtContent>" * depth + p(r("深")) + "</w:sdtContent></w:sdt>" * depth
    with pytest.raises(DocxError, match="document nested too deeply"):
        read_document(make_docx(tmp_path / "deep_sdt.docx", body))


def test_xml_deeper_than_the_parser_allows_refused(tmp_path):
    path = make_docx(tmp_path / "deeper.docx", p(r("x")))
    depth = 100
    body = "<w:tbl><w:tr><w:tc>" * depth + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * depth
    rewrite_member(path, "word/document.xml",
                   f"<w:document {NS}><w:body>{body}</w:body></w:document>".encode())
    with pytest.raises(DocxError, match="document nested too deeply"):
        read_document(path)


def test_damaged_document_xml(tmp_path):
    path = make_docx(tmp_path / "broken.docx", p(r("x")))
    rewrite_member(path, "word/document.xml", b"<w:document><unclosed>")
    with pytest.raises(DocxError, match="damaged Word file"):
        read_document(path)


def test_pipeline_failure_is_a_value_error():
    assert issubclass(DocxError, ValueError)


# ---------------------------------------------------------------- .doc / .wps


def test_doc_that_is_really_a_docx_needs_no_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = make_docx(tmp_path / "really.docx", p(r("正文"))).rename(tmp_path / "really.doc")
    doc = extract.read_document(path)
    assert doc.source_format == "docx" and doc.blocks[0].text == "正文"  # read as what it is


def test_doc_without_libreoffice_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024)
    assert not doc_reader.available()
    with pytest.raises(DocxError, match=r"cannot read \.doc: LibreOffice is not installed "
                                        r"\(apt-get install libreoffice-writer-nogui\)"):
        extract.read_document(path)


@pytest.mark.skipif(not doc_reader.available(), reason="LibreOffice (soffice) is not installed")
def test_doc_converted_with_libreoffice(tmp_path):
    source = make_docx(tmp_path / "src.docx", audit_line(sym("Wingdings", "F0A8"),
                                                         sym("Wingdings", "F0FE"))
                       + tbl(2, tr(tc("合并", '<w:gridSpan w:val="2"/>')), tr(tc("a"), tc("b")))
                       + p(r("尾")))  # Word never ends a body with a table
    outdir = tmp_path / "doc"
    subprocess.run([doc_reader.soffice(), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}",
                    "--headless", "--convert-to", "doc", "--outdir", str(outdir), str(source)],
                   check=True, capture_output=True, timeout=180)
    legacy = outdir / "src.doc"
    doc = extract.read_document(legacy)
    assert doc.source_format == "doc" and doc.source_path == str(legacy)
    para, _tail = only(doc, Paragraph)
    assert para.text.replace(" ", "") == f"审查类型：{UNCHECKED}初次认证{CHECKED}保持认证{UNCHECKED}再认证"
    (table,) = only(doc, Table)
    assert texts(table) == [["合并", ""], ["a", "b"]]
    # a Word 97-2003 file misnamed .docx is converted too
    misnamed = legacy.rename(tmp_path / "misnamed.docx")
    assert extract.read_document(misnamed).source_format == "doc"
