"""HTML tables in text/markdown exports (as MinerU/Marker-like converters write them)."""
from __future__ import annotations

from certreport.pipeline import process_file
from certreport.extract.html_tables import parse_html_table
from certreport.extract.record import Table
from certreport.extract.text import _SEPARATOR, _split_row, parse_text
from tests.markdown_tables import map_pipe_tables


def test_rowspan_and_colspan_give_text_once():
    rows, head = parse_html_table(
        "<table><thead><tr><th>序号</th><th colspan='2'>内容</th></tr></thead>"
        "<tr><td rowspan=2>5.1.1</td><td>a<br>b</td><td>1</td></tr>"
        "<tr><td>c</td><td>2</td></tr></table>")
    assert head == 1
    assert rows == [["序号", "内容", ""], ["5.1.1", "a\nb", "1"], ["", "c", "2"]]


def test_th_rows_count_as_header_and_nested_tables_flatten():
    rows, head = parse_html_table(
        "<table><tr><th>a</th><th>b</th></tr><tr><td>x<table><tr><td>in</td></tr></table></td>"
        "<td>y</td></tr></table>")
    assert head == 1 and rows == [["a", "b"], ["x\nin", "y"]]


def test_html_table_keeps_line_numbers_and_pages():
    doc = parse_text("标题\n\n<table>\n<tr><td>1</td></tr>\n</table>\n\n\n\n第二页\n", "x.md")
    kinds = [(type(b).__name__, b.where.line, b.where.page) for b in doc.blocks]
    assert kinds == [("Paragraph", 1, 1), ("Table", 3, 1), ("Paragraph", 9, 2)]


def _as_html(markdown: str) -> str:
    """The report's pipe tables as HTML, with the 序号/标题 cells merged by rowspan over
    the rows they head (as converters that keep merged cells write them)."""
    def render(block: list[str]) -> list[str]:
        rows = [[c.strip() for c in _split_row(line)] for line in block if not _SEPARATOR.match(line)]
        spans: dict[tuple[int, int], int] = {}
        for col in (0, 1):
            r = 1
            while r < len(rows):
                if rows[r][col]:
                    n = 1
                    while r + n < len(rows) and not rows[r + n][col]:
                        n += 1
                    spans[(r, col)] = n
                    r += n
                else:
                    r += 1
        covered = {(r + k, c) for (r, c), n in spans.items() for k in range(1, n)}
        html = ["<table>", "<tr>" + "".join(f"<th>{c}</th>" for c in rows[0]) + "</tr>"]
        for r, row in enumerate(rows[1:], start=1):
            cells = []
            for c, text in enumerate(row):
                if (r, c) in covered:
                    continue
                span = spans.get((r, c), 1)
                attr = f' rowspan="{span}"' if span > 1 else ""
                cells.append(f"<td{attr}>{text}</td>")
            html.append("<tr>" + "".join(cells) + "</tr>")
        return html + ["</table>"]

    return map_pipe_tables(markdown, render)


def test_real_report_with_html_tables_reads_the_same(tmp_path, real_text, real_rows):
    path = tmp_path / "html.md"
    path.write_text(_as_html(real_text), encoding="utf-8")
    assert "rowspan" in path.read_text(encoding="utf-8")
    doc_tables = [b for b in parse_text(path.read_text(encoding="utf-8")).blocks if isinstance(b, Table)]
    assert len(doc_tables) >= 10
    rows = process_file(path).rows
    keys = ("code", "clause_no", "subsection_no", "weight", "score_pct", "stated_score", "text")
    assert [{k: c[k] for k in keys} for c in rows["clauses"]] == [
        {k: c[k] for k in keys} for c in real_rows["clauses"]]
    assert rows["checks"] == [] and rows["reports"][0]["stated_total"] == 142.7
    assert [t["name"] for t in rows["team"]] == ["王慧霞"]
