"""A made-up third scheme needs only a data file: drop a catalogue in a folder named by
$CERTREPORT_SCHEMES and its reports are detected, matched, summed and levelled by it."""
from __future__ import annotations

import textwrap

from certreport.pipeline import process_file
from certreport.schemas.catalogue import SCHEMES_ENV, load_schemes

SCHEME = textwrap.dedent("""\
    id: TEST-3
    name: 测试服务评价规范
    detect: [TEST-3, 测试服务评价规范]
    total_max: 10
    levels:
      - {min: 6, level: 达标级}
      - {min: 9, level: 三星级}
    parts:
      - section: A
        title: 服务承诺
        max: 6
        subsections:
          - number: "7.1.1"
            title: 承诺内容
            base: 6
            extension: 0
            clauses:
              - {number: "7.1.1.1", code: A1, weight: 4, base: true, text: 对顾客公开服务承诺并在合同中写明。}
              - {number: "7.1.1.2", code: A2, weight: 2, base: true, text: 定期检查服务承诺的兑现情况。}
      - section: B
        title: 服务兑现
        max: 4
        subsections:
          - number: "7.2.1"
            title: 兑现记录
            base: 4
            extension: 0
            clauses:
              - {number: "7.2.1.1", code: B1, weight: 4, base: true, text: 保存服务兑现记录并按月统计分析。}
    """)

REPORT = textwrap.dedent("""\
    某某认证有限公司

    # 服务认证审查报告

    依据 测试服务评价规范（TEST-3）

    组织名称：测试科技有限公司

    项目编号：0001-2025-SE-2025

    审查范围：

    测试产品的售后服务（三星级）

    总分: 9.0

    1) 服务承诺:

    本部分满分 6分, 实际得分 5.0 分。

    | 序号 | 标题 | 检查内容 | 小类分值 | 代码 | 分项得分% | 分项实际得分 |
    |---|---|---|---|---|---|---|
    | 7.1.1 | 承诺内容(6+0分) | 7.1.1.1 对顾客公开服务承诺并在合同中写明。 | 4 | A1 | 100 | 4 |
    | | | 7.1.1.2 定期检查服务承诺的兑现情况。 | 2 | A2 | 50 | 1.0 |

    2) 服务兑现:

    本部分满分 4分, 实际得分 4 分。

    | 序号 | 标题 | 检查内容 | 小类分值 | 代码 | 分项得分% | 分项实际得分 |
    |---|---|---|---|---|---|---|
    | 7.2.1 | 兑现记录(4+0分) | 7.2.1.1 保存服务兑现记录并按月统计分析。 | 4 | B1 | 100 | 4 |
    """)


def test_third_scheme_is_one_data_file(tmp_path, monkeypatch):
    folder = tmp_path / "schemes"
    folder.mkdir()
    (folder / "test3.yaml").write_text(SCHEME, encoding="utf-8")
    report = tmp_path / "report.md"
    report.write_text(REPORT, encoding="utf-8")
    monkeypatch.setenv(SCHEMES_ENV, str(folder))
    assert [s.id for s in load_schemes()][-1] == "TEST-3"
    rows = process_file(report).rows
    r = rows["reports"][0]
    assert (r["status"], r["spec"], r["spec_detected_by"]) == ("ok", "TEST-3", "criteria")
    assert (r["stated_total"], r["computed_total"]) == (9.0, 9.0)
    assert (r["stated_level"], r["computed_level"]) == ("三星级", "三星级")
    assert [(c["code"], c["computed_score"]) for c in rows["clauses"]] == [
        ("A1", 4.0), ("A2", 1.0), ("B1", 4.0)]
    assert [(s["section"], s["stated_max"], s["computed_score"]) for s in rows["sections"]] == [
        ("A", 6.0, 5.0), ("B", 4.0, 4.0)]
    assert rows["checks"] == []
    # the built-in schemes are unchanged
    monkeypatch.delenv(SCHEMES_ENV)
    assert "TEST-3" not in [s.id for s in load_schemes()]
