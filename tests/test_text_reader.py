"""The text/markdown export reader and the format-agnostic assembly behind it."""
from __future__ import annotations

from certreport.extract.assemble import assemble
from certreport.extract.record import Paragraph, Table
from certreport.extract.text import clean_inline, parse_text

HEADER = "| 序号 | 标题 | 检查内容 | 小类<br>分值 | 代码<br>(维度) | 分项得<br>分% | 分项实<br>际得分 |\n|---|---|---|---|---|---|---|\n"


def record(md: str):
    return assemble(parse_text(md, "x.md", "markdown"))


def test_clean_inline_keeps_line_breaks():
    assert clean_inline("a<br>b<br/>c") == "a\nb\nc"
    assert clean_inline("<p>5.3.1.3 新服务开发</p> <p>在新服务</p>") == "5.3.1.3 新服务开发\n在新服务"
    assert clean_inline("**监督<br/>(7+1分)**") == "监督\n(7+1分)"
    assert clean_inline(r"地点: \_\_\_") == "地点: ___"


def test_blocks_and_pages():
    doc = parse_text("封面\n\n\n\n第二页 ## \n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "x.md")
    assert [type(b) for b in doc.blocks] == [Paragraph, Paragraph, Table]
    assert [b.where.page for b in doc.blocks] == [1, 2, 2]
    table = doc.blocks[2]
    assert table.header_rows == 1 and [c.text for c in table.rows[1]] == ["1", "2"]
    assert doc.pages == 2


def test_split_table_rows_join_across_pages():
    md = ("1) 售后服务体系:\n\n本部分满分 73分, 实际得分 72.7 分。\n\n" + HEADER +
          "| 5.1.1 | 组织架构<br>(4+8分) | 5.1.1.8 明确总体战略对服务规划的 | 1 | A7 | 100 | 1 |\n"
          "\n\n\n" + HEADER +
          "| | | 规定,并体现以客户为中心的思想。 | | | | |\n"
          "| | | 5.1.1.9 确保服务战略 | 1 | A8 | 70 | 0.7 |\n")
    r = record(md)
    assert [row.content.text for row in r.rows] == [
        "5.1.1.8 明确总体战略对服务规划的\n规定,并体现以客户为中心的思想。", "5.1.1.9 确保服务战略"]
    assert [row.where.page for row in r.rows] == [1, 2]
    assert [row.subsection.text for row in r.rows] == ["5.1.1", "5.1.1"]
    assert r.rows[1].pct.text == "70" and r.rows[1].pct_header == "分项得\n分%"
    (part,) = r.parts
    assert (part.title.text, part.stated_max.text, part.stated_score.text) == ("售后服务体系", "73", "72.7")


def test_heading_row_beside_a_continuation():
    md = ("2) 商品服务:\n\n" + HEADER +
          "| 5.2.2 | 技术支持(6+4分) | 5.2.2.6 以国际先进技术为目标, 积 | 1 | B11 | 100 | 1 |\n"
          "| 5.2.3 | 配送<br>(4+0<br>分) | 极开发、引进和采用适用的先进技术 | | | | |\n"
          "| | | 5.2.2.7 加强对服务请求 | 1 | B12 | 100 | 1 |\n"
          "| | | 5.2.3.1 所售商品的包装 | 1 | B14 | 100 | 1 |\n")
    r = record(md)
    assert [row.code.text for row in r.rows] == ["B11", "B12", "B14"]
    assert r.rows[0].content.text.endswith("极开发、引进和采用适用的先进技术")
    assert [(h.number.text, h.heading.text) for h in r.subsections] == [
        ("5.2.2", "技术支持(6+4分)"), ("5.2.3", "配送\n(4+0\n分)")]


def test_header_less_page_piece_continues_the_table():
    md = (HEADER + "| 5.1.6 | 改进(5+0分) | 5.1.6.1 生产、销售 | 2 | A41 | 100 | 2 |\n\n\n\n"
          "| | | 5.1.6.2 对售后服务中发现的 | 1 | A42 | 100 | 1 |\n")
    r = record(md)
    assert [row.code.text for row in r.rows] == ["A41", "A42"]


def test_team_table_drops_empty_rows_and_reads_other_orders():
    md = ("| 姓名 | 人员代码 | 联系电话 | 组内身份 |\n|---|---|---|---|\n"
          "| 王慧霞 | ISC-1 | 181 | 组长 |\n| | | | |\n| 李四 | ISC-2 | 139 | 组员 |\n")
    r = record(md)
    assert [(t.get("name"), t.get("member_code"), t.get("role"), t.get("phone")) for t in r.team] == [
        ("王慧霞", "ISC-1", "组长", "181"), ("李四", "ISC-2", "组员", "139")]


def test_fields_on_one_line_and_on_the_next():
    md = ("1.3 工商注册地址：\n\n新疆乌鲁木齐市\n\n"
          "联系人： 惠淑萍 职务：          电话： 181 6782 5599 邮箱：\n\n"
          "审查覆盖的时期和本次审查时间:\n\n本次审查时间: 2024.01.17-2024.01.17(共1.0天)\n")
    r = record(md)
    got = {f.name: f.value.text for f in r.fields}
    assert got == {"registered_address": "新疆乌鲁木齐市", "contact_name": "惠淑萍",
                   "contact_phone": "181 6782 5599", "audit_dates": "2024.01.17-2024.01.17(共1.0天)"}


def test_check_box_lines():
    r = record("审查类型：□初次认证 ☑保持认证 □再认证\n\n审查方式：√现场审核 远程审核 现场结合远程审核\n\n"
               "审查类型：初次认证 保持认证 再认证\n")
    groups = [(g.name, g.marked, g.checked) for g in r.checkboxes]
    assert groups == [("audit_type", True, ("保持认证",)), ("audit_method", True, ("现场审核",)),
                      ("audit_type", False, ())]


def test_private_use_symbol_glyphs_are_mapped_and_unknown_ones_reported():
    doc = parse_text("审查类型：\uf0a8初次认证 \uf0fe保持认证 \uf0a8再认证 \uf0e0\n", "x.md")
    r = assemble(doc)
    assert r.checkboxes[0].checked == ("保持认证",)
    assert doc.problems == ("unknown check-box glyph U+F0E0",)


def test_total_phrasings_and_levels():
    for line, total in [("总分: 142.7", "142.7"), ("现场审查总得分：142.7分", "142.7"),
                        ("审查总得分为 142.7 分，评定等级：十星级", "142.7")]:
        assert record(line + "\n").stated_total.text == total
    r = record("审查总得分为 96 分，评定等级：五星级\n")
    assert [(lv.name, lv.value.text) for lv in r.levels] == [("conclusion", "五星级")]


def test_decoding_gb18030_and_binary(tmp_path):
    from certreport.extract.text import NotText, read_document
    p = tmp_path / "gbk.txt"
    p.write_bytes("组织名称：新疆鹏森科技股份有限公司\n".encode("gb18030"))
    assert read_document(p).blocks[0].text.startswith("组织名称")
    b = tmp_path / "bin.txt"
    b.write_bytes(b"\x00\x01\x02binary")
    try:
        read_document(b)
    except NotText as exc:
        assert "binary" in str(exc)
    else:
        raise AssertionError("binary text accepted")


def test_running_headers_footers_and_page_numbers_are_left_out():
    page = "北京国标联合认证有限公司\n\n正文{n}\n\n详见第2页\n\n正文\n\n第 {n} 页 共 4 页"
    doc = parse_text("\n\n\n\n".join(page.format(n=n) for n in range(1, 5)), "x.md")
    texts = [b.text for b in doc.blocks]
    assert "北京国标联合认证有限公司" not in texts and not any("共 4 页" in t for t in texts)
    assert texts.count("详见第2页") == 4  # a page reference inside a page stays
    assert doc.pages == 4 and doc.running_texts == ("北京国标联合认证有限公司",)
