"""The findings of a warehouse as one list, and that list as a text table, CSV, JSON, a
self-contained HTML page or an Excel workbook.

:func:`findings` joins the ``checks`` table, and the ``archive_checks`` table (checks across
the archive, each naming another report), with the reports they are about (file,
organisation, certification body) and sorts them: errors first, then by report, check and
target. An archive finding's ``stated`` is what its report states, ``computed`` what the
other report states, and ``other_*`` name the other report. A file that failed or was
read in part is a finding too (check ``file_status``). :func:`reviewed_findings` adds
the reviewers' decision in force on each (``review``: confirm, dismiss, correct, or None
while open). The renderers take that list and return text (the workbook: a file), so the
CLI and a notebook share them; open findings come first and the reviewed ones are listed
apart. The HTML page and the workbook are in Chinese unless ``lang="en"``::

    from certreport.findings_report import reviewed_findings, to_html
    Path("findings.html").write_text(to_html(reviewed_findings("warehouse")), encoding="utf-8")
"""
from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from certreport import __version__
from certreport import reviews as rv
from certreport.labels import Labels
from certreport.pipeline import file_status_finding
from certreport.render import table
from certreport.store import Warehouse

# the columns of a finding, in output order
REPORT_FIELDS = ("report_id", "source_path", "org_name", "cert_body", "project_no", "spec")
CHECK_FIELDS = ("severity", "check_name", "target", "stated", "computed", "page", "line", "message")
# the other report of an archive finding (null for a report's own checks)
OTHER_FIELDS = ("other_report_id", "other_source_path", "other_org_name")
REVIEW_FIELDS = ("review", "review_reason", "reviewer", "reviewed_at")
FIELDS = REPORT_FIELDS + CHECK_FIELDS + OTHER_FIELDS + REVIEW_FIELDS
FORMATS = ("table", "csv", "json", "html", "xlsx")
SEVERITY_ORDER = {"error": 0, "warning": 1}


def _natural(text: str | None) -> tuple:
    """Sort key putting A2 before A10 and 5.1.2 before 5.1.10."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.split(r"(\d+)", text or "") if p)


def sort_key(f: Mapping[str, Any]) -> tuple:
    """Severity (errors first), then report (file), then check, then target."""
    return (SEVERITY_ORDER.get(f["severity"], len(SEVERITY_ORDER)), f.get("source_path") or "",
            f["report_id"] or "", f["check_name"] or "", _natural(f.get("target")),
            f.get("message") or "")


def findings(warehouse: str | Path | Warehouse) -> list[dict[str, Any]]:
    """Every finding of the warehouse, its own checks and the checks across the archive,
    with its report's file, organisation and body, sorted by :func:`sort_key`. A finding
    whose report row is missing keeps null report fields."""
    wh = warehouse if isinstance(warehouse, Warehouse) else Warehouse(warehouse)
    reports = {r["report_id"]: r for r in
               wh.read("reports", REPORT_FIELDS + ("status", "error")).to_pylist()}
    archive = [{**a, "stated": a["value"], "computed": a["other_value"],
                "other_org_name": reports.get(a["other_report_id"], {}).get("org_name")}
               for a in wh.read("archive_checks").to_pylist()]
    checks = wh.read("checks").to_pylist()
    listed = {c["report_id"] for c in checks if c["check_name"] == "file_status"}
    for r in reports.values():  # rows written before failed files were findings
        if r["report_id"] not in listed and (finding := file_status_finding(r)):
            checks.append(finding)
    out = []
    for c in checks + archive:
        rep = reports.get(c["report_id"], {})
        row = {k: rep.get(k) for k in REPORT_FIELDS}
        row["report_id"] = c["report_id"]
        row.update({k: c.get(k) for k in CHECK_FIELDS + OTHER_FIELDS})
        out.append(row)
    return sorted(out, key=sort_key)


def reviewed_findings(warehouse: str | Path | Warehouse) -> list[dict[str, Any]]:
    """:func:`findings` with the review in force on each (see :mod:`certreport.reviews`)."""
    wh = warehouse if isinstance(warehouse, Warehouse) else Warehouse(warehouse)
    return rv.apply_to_findings(findings(wh), wh.read_reviews().to_pylist())


def split(found: Sequence[Mapping[str, Any]]) -> tuple[list, list]:
    """(open findings, reviewed findings), each in the given order."""
    return ([f for f in found if rv.is_open(f)], [f for f in found if not rv.is_open(f)])


def summary(found: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts: findings, reports with findings, by severity, by check (most frequent first)."""
    return {
        "findings": len(found),
        "reports": len({f["report_id"] for f in found}),
        "by_severity": dict(sorted(Counter(f["severity"] for f in found).items(),
                                   key=lambda kv: SEVERITY_ORDER.get(kv[0], 9))),
        "by_check": dict(Counter(f["check_name"] for f in found).most_common()),
    }


# -- renderers: list of findings -> text

def to_table(found: Sequence[Mapping[str, Any]], **_: Any) -> str:
    """Aligned text table for the terminal (``no findings`` when empty); reviewed findings
    follow in a table of their own."""
    if not found:
        return "no findings"
    open_, done = split(found)
    other = any(f.get("other_report_id") for f in found)  # archive findings: both files
    head = (["severity", "check", "target", "stated", "computed", "file"]
            + (["other file"] if other else []) + ["page", "message"])

    def cells(f: Mapping[str, Any]) -> list[Any]:
        return ([f["severity"], f["check_name"], f["target"], f["stated"], f["computed"],
                 _tail(f["source_path"] or f["report_id"], 60)]
                + ([f.get("other_source_path") or f.get("other_report_id")] if other else [])
                + [f["page"], f["message"]])
    parts = [table(head, [cells(f) for f in open_], max_width=60) if open_
             else "no open findings"]
    if done:
        parts.append(f"\nreviewed findings ({len(done)}):")
        parts.append(table(head + ["review", "reason", "reviewer"],
                           [cells(f) + [f.get("review"), f.get("review_reason"),
                                        f.get("reviewer")] for f in done], max_width=60))
    return "\n".join(parts)


def _tail(path: str, n: int) -> str:
    """A long path shown by its end (the file name), ``…`` for what is cut."""
    return path if len(path) <= n else "…" + path[-(n - 1):]


def _tail(path: str, n: int) -> str:
    """A long path shown by its end (the file name), ``…`` for what is cut."""
    return path if len(path) <= n else "…" + path[-(n - 1):]


def to_csv(found: Sequence[Mapping[str, Any]], **_: Any) -> str:
    """CSV with a header row of :data:`FIELDS`; nulls are empty cells."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(FIELDS)
    for f in found:
        w.writerow(["" if f.get(k) is None else f[k] for k in FIELDS])
    return buf.getvalue()


def to_json(found: Sequence[Mapping[str, Any]], **_: Any) -> str:
    """A JSON array of findings (objects with the keys of :data:`FIELDS`)."""
    return json.dumps([{k: f.get(k) for k in FIELDS} for f in found], ensure_ascii=False,
                      indent=1) + "\n"


_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
 "WenQuanYi Zen Hei",sans-serif;margin:1.5rem;color:#1d2330;background:#fff}
h1{font-size:1.4rem;margin:0 0 .3rem}
p.meta{color:#5a6270;margin:0 0 1rem;font-size:.9rem}
section.summary{display:flex;gap:2rem;flex-wrap:wrap;align-items:flex-start;margin-bottom:1.2rem}
table{border-collapse:collapse;font-size:.88rem}
th,td{border:1px solid #d5d9e0;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eef1f5;position:sticky;top:0}
td.num,th.num,td.page,td.line{text-align:right}
tr.error td.severity{color:#fff;background:#c0392b;font-weight:bold}
tr.warning td.severity{background:#f5c542}
td.stated{color:#a8322d;font-weight:bold}
td.computed{color:#1e7c3a;font-weight:bold}
td.file,td.other{font-family:monospace;font-size:.8rem;word-break:break-all;max-width:22rem}
td.message{max-width:28rem}
p.none{font-size:1.1rem;color:#1e7c3a}
"""

# one column of the findings table: (CSS class, label key, (finding, labels) -> value)
_COLUMNS: tuple[tuple[str, str, Callable[[Mapping[str, Any], Labels], Any]], ...] = (
    ("severity", "severity", lambda f, L: L.severity(f["severity"])),
    ("org", "org_name", lambda f, L: f["org_name"]),
    ("body", "cert_body", lambda f, L: f["cert_body"]),
    ("check", "check_name", lambda f, L: L.check(f["check_name"])),
    ("target", "target", lambda f, L: f["target"]),
    ("stated", "stated", lambda f, L: f["stated"]),
    ("computed", "computed", lambda f, L: f["computed"]),
    ("file", "file", lambda f, L: f["source_path"] or f["report_id"]),
    ("other", "other_report", lambda f, L: " — ".join(
        v for v in (f.get("other_org_name"), f.get("other_source_path") or f.get("other_report_id"))
        if v) or None),
    ("page", "page", lambda f, L: f["page"]),
    ("line", "line", lambda f, L: f["line"]),
    ("message", "message", lambda f, L: L.message(f)),
)
_REVIEW_COLUMNS: tuple[tuple[str, str, Callable[[Mapping[str, Any], Labels], Any]], ...] = (
    ("review", "action", lambda f, L: L(f"status_{f['review']}")),
    ("reason", "reason", lambda f, L: f.get("review_reason")),
    ("value", "value", lambda f, L: f.get("review_value")),
    ("reviewer", "reviewer", lambda f, L: f.get("reviewer")),
    ("reviewed-at", "reviewed_at", lambda f, L: f.get("reviewed_at")),
)


def _e(v: Any) -> str:
    return "" if v is None else html.escape(str(v), quote=True)


def _count_table(caption: str, key: str, head: str, counts: Mapping[str, int],
                 show: Callable[[str], str], count_head: str) -> str:
    rows = "".join(f'<tr data-key="{_e(k)}"><td class="{key}">{_e(show(k))}</td>'
                   f'<td class="num">{n}</td></tr>' for k, n in counts.items())
    return (f'<table class="counts" id="by-{key}"><caption>{_e(caption)}</caption>'
            f'<thead><tr><th>{_e(head)}</th><th class="num">{_e(count_head)}</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def _header(L: Labels, columns: Sequence[tuple[str, str, Any]]) -> str:
    return "".join(f'<th class="{cls}">{_e(L.label(key))}</th>' for cls, key, _ in columns)


def _rows(found: Sequence[Mapping[str, Any]], L: Labels,
          columns: Sequence[tuple[str, str, Any]]) -> str:
    rows = []
    for f in found:
        attrs = (f'class="finding {_e(f["severity"])}" data-report-id="{_e(f["report_id"])}" '
                 f'data-check="{_e(f["check_name"])}" data-target="{_e(f["target"])}"')
        if f.get("other_report_id"):
            attrs += f' data-other-report-id="{_e(f["other_report_id"])}"'
        cells = "".join(f'<td class="{cls}">{_e(get(f, L))}</td>' for cls, _, get in columns)
        rows.append(f"<tr {attrs}>{cells}</tr>")
    return "".join(rows)


def headline(found: Sequence[Mapping[str, Any]], L: Labels,
             reports_checked: int | None = None) -> str:
    """The page's one-line summary in the labels' language."""
    s = summary(found)
    by = ", ".join(f"{n} {L.severity(sev)}" if L.lang == "en" else f"{L.severity(sev)} {n}"
                   for sev, n in s["by_severity"].items()) or L("none")
    checked = "" if reports_checked is None else L("headline_checked").format(n=reports_checked)
    return checked + L("headline_findings").format(n=s["findings"], reports=s["reports"], by=by)


def to_html(found: Sequence[Mapping[str, Any]], *, title: str = "certreport findings",
            reports_checked: int | None = None, lang: str | None = None, **_: Any) -> str:
    """One self-contained HTML page (inline CSS, no scripts, no external assets; a Content
    Security Policy forbids loading any), in Chinese unless ``lang="en"``: a summary of the
    counts by severity and check, one table row per open finding, then the reviewed findings
    apart with their decisions. Every value is HTML-escaped; ``data-check`` keeps the
    check's identifier."""
    L = Labels(lang)
    s = summary(found)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    head = headline(found, L, reports_checked)
    open_, done = split(found)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if L.lang == "zh" else "en"}"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">",
        f'<meta name="generator" content="certreport {_e(__version__)}">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta" id="headline">{_e(head)}; {_e(L("written"))} {when}</p>',
    ]
    if found:
        parts.append('<section class="summary">'
                     + _count_table(L("by_severity"), "severity", L.column("severity"),
                                    s["by_severity"], L.severity, L("count"))
                     + _count_table(L("by_check"), "check", L.column("check_name"),
                                    s["by_check"], L.check, L("count")) + "</section>")
        if open_:
            parts.append(f'<h2>{_e(L("open_findings"))} ({len(open_)})</h2>'
                         f'<table id="findings"><thead><tr>{_header(L, _COLUMNS)}</tr></thead>'
                         f"<tbody>{_rows(open_, L, _COLUMNS)}</tbody></table>")
        if done:
            cols = _COLUMNS + _REVIEW_COLUMNS
            parts.append(f'<h2>{_e(L("reviewed_findings"))} ({len(done)})</h2>'
                         f'<table id="reviewed"><thead><tr>{_header(L, cols)}</tr></thead>'
                         f"<tbody>{_rows(done, L, cols)}</tbody></table>")
    else:
        parts.append(f'<p class="none">{_e(L("no_findings"))}</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# the findings sheet of a workbook: (label key, finding -> value); the file cell links to
# the file at its page
XLSX_COLUMNS: tuple[tuple[str, Callable[[Mapping[str, Any], Labels], Any]], ...] = (
    ("org_name", lambda f, L: f.get("org_name")),
    ("cert_body", lambda f, L: f.get("cert_body")),
    ("project_no", lambda f, L: f.get("project_no")),
    ("file", lambda f, L: f.get("source_path") or f.get("report_id")),
    ("page", lambda f, L: f.get("page")),
    ("stated", lambda f, L: f.get("stated")),
    ("computed", lambda f, L: f.get("computed")),
    ("message", lambda f, L: L.message(f)),
    ("severity", lambda f, L: L.severity(f.get("severity"))),
    ("check_name", lambda f, L: L.check(f.get("check_name"))),
    ("target", lambda f, L: f.get("target")),
    ("status", lambda f, L: L(f"status_{f.get('review') or 'open'}")),
    ("reason", lambda f, L: f.get("review_reason")),
    ("reviewer", lambda f, L: f.get("reviewer")),
    ("report_id", lambda f, L: f.get("report_id")),
)


def file_link(f: Mapping[str, Any]) -> str | None:
    """A ``file:`` URL of the finding's file, at its page for a PDF."""
    path = f.get("source_path")
    if not path:
        return None
    url = Path(path).resolve().as_uri()
    if f.get("page") and str(path).lower().endswith(".pdf"):
        url += f"#page={f['page']}"
    return url


def findings_sheet(wb: Any, found: Sequence[Mapping[str, Any]], lang: str | None = None,
                   cell: Callable[[Any, Any], Any] | None = None) -> Any:
    """Add the findings sheet (open findings first, then reviewed) to a write-only openpyxl
    workbook; ``cell(ws, value)`` makes the cells (text never a formula)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    L = Labels(lang)
    cell = cell or _text_cell
    ws = wb.create_sheet(L("findings_sheet"))
    ws.freeze_panes = "A2"
    widths = {"org_name": 24, "cert_body": 22, "project_no": 18, "file": 36, "message": 60}
    for i, (key, _) in enumerate(XLSX_COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = widths.get(key, 12)
    bold, link = Font(bold=True), Font(color="0563C1", underline="single")
    heads = []
    for key, _ in XLSX_COLUMNS:
        c = WriteOnlyCell(ws, value=L.label(key))
        c.font = bold
        heads.append(c)
    ws.append(heads)
    open_, done = split(found)
    for f in open_ + done:
        row = []
        for key, get in XLSX_COLUMNS:
            c = cell(ws, get(f, L))
            if key == "file" and file_link(f):
                c.hyperlink = file_link(f)
                c.font = link
            row.append(c)
        ws.append(row)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(XLSX_COLUMNS))}{len(found) + 1}"
    return ws


def _text_cell(ws: Any, v: Any) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    if isinstance(v, str):
        c = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", v))
        c.data_type = "s"
        return c
    return WriteOnlyCell(ws, value=v)


def to_xlsx(found: Sequence[Mapping[str, Any]], out: str | Path, lang: str | None = None,
            **_: Any) -> Path:
    """One findings workbook (a single sheet, see :data:`XLSX_COLUMNS`); returns its path."""
    from openpyxl import Workbook
    wb = Workbook(write_only=True)
    findings_sheet(wb, found, lang)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


RENDERERS: dict[str, Callable[..., str]] = {
    "table": to_table, "csv": to_csv, "json": to_json, "html": to_html}  # xlsx: to_xlsx


def render(found: Sequence[Mapping[str, Any]], fmt: str = "table", **options: Any) -> str:
    """The findings in one of :data:`FORMATS` (``reports_checked`` and ``title`` are used
    by the HTML page)."""
    if fmt not in RENDERERS:
        raise ValueError(f"format {fmt!r}: expected one of {', '.join(RENDERERS)} "
                         "(xlsx: to_xlsx writes a file)")
    return RENDERERS[fmt](found, **options)
