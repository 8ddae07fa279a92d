"""The findings of a warehouse as one list, and that list as a text table, CSV, JSON or a
self-contained HTML page.

:func:`findings` joins the ``checks`` table, and the ``archive_checks`` table (checks across
the archive, each naming another report), with the reports they are about (file,
organisation, certification body) and sorts them: errors first, then by report, check and
target. An archive finding's ``stated`` is what its report states, ``computed`` what the
other report states, and ``other_*`` name the other report. The
renderers take that list and return text, so the CLI and a notebook share them::

    from certreport.findings_report import findings, to_html
    Path("findings.html").write_text(to_html(findings("warehouse")), encoding="utf-8")
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
from certreport.render import table
from certreport.store import Warehouse

# the columns of a finding, in output order
REPORT_FIELDS = ("report_id", "source_path", "org_name", "cert_body", "project_no", "spec")
CHECK_FIELDS = ("severity", "check_name", "target", "stated", "computed", "page", "line", "message")
# the other report of an archive finding (null for a report's own checks)
OTHER_FIELDS = ("other_report_id", "other_source_path", "other_org_name")
FIELDS = REPORT_FIELDS + CHECK_FIELDS + OTHER_FIELDS
FORMATS = ("table", "csv", "json", "html")
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
    reports = {r["report_id"]: r for r in wh.read("reports", REPORT_FIELDS).to_pylist()}
    archive = [{**a, "stated": a["value"], "computed": a["other_value"],
                "other_org_name": reports.get(a["other_report_id"], {}).get("org_name")}
               for a in wh.read("archive_checks").to_pylist()]
    out = []
    for c in wh.read("checks").to_pylist() + archive:
        rep = reports.get(c["report_id"], {})
        row = {k: rep.get(k) for k in REPORT_FIELDS}
        row["report_id"] = c["report_id"]
        row.update({k: c.get(k) for k in CHECK_FIELDS + OTHER_FIELDS})
        out.append(row)
    return sorted(out, key=sort_key)


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
    """Aligned text table for the terminal (``no findings`` when empty)."""
    if not found:
        return "no findings"
    other = any(f.get("other_report_id") for f in found)  # archive findings: both files
    return table(["severity", "check", "target", "stated", "computed", "file"]
                 + (["other file"] if other else []) + ["page", "message"],
                 [[f["severity"], f["check_name"], f["target"], f["stated"], f["computed"],
                   f["source_path"] or f["report_id"]]
                  + ([f.get("other_source_path") or f.get("other_report_id")] if other else [])
                  + [f["page"], f["message"]] for f in found],
                 max_width=60)


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

# one column of the findings table: (CSS class, header, finding -> value)
_COLUMNS: tuple[tuple[str, str, Callable[[Mapping[str, Any]], Any]], ...] = (
    ("severity", "severity", lambda f: f["severity"]),
    ("org", "organisation 受审查方", lambda f: f["org_name"]),
    ("body", "certification body 认证机构", lambda f: f["cert_body"]),
    ("check", "check", lambda f: f["check_name"]),
    ("target", "target", lambda f: f["target"]),
    ("stated", "stated", lambda f: f["stated"]),
    ("computed", "recomputed", lambda f: f["computed"]),
    ("file", "file", lambda f: f["source_path"] or f["report_id"]),
    ("other", "other report 另一份报告", lambda f: " — ".join(
        v for v in (f.get("other_org_name"), f.get("other_source_path") or f.get("other_report_id"))
        if v) or None),
    ("page", "page", lambda f: f["page"]),
    ("line", "line", lambda f: f["line"]),
    ("message", "message", lambda f: f["message"]),
)


def _e(v: Any) -> str:
    return "" if v is None else html.escape(str(v), quote=True)


def _count_table(caption: str, key: str, counts: Mapping[str, int]) -> str:
    rows = "".join(f'<tr><td class="{key}">{_e(k)}</td><td class="num">{n}</td></tr>'
                   for k, n in counts.items())
    return (f'<table class="counts" id="by-{key}"><caption>{_e(caption)}</caption>'
            f'<thead><tr><th>{key}</th><th class="num">findings</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def to_html(found: Sequence[Mapping[str, Any]], *, title: str = "certreport findings",
            reports_checked: int | None = None, **_: Any) -> str:
    """One self-contained HTML page (inline CSS, no scripts, no external assets; a Content
    Security Policy forbids loading any): a summary of the counts by severity and check,
    then one table row per finding. Every value is HTML-escaped."""
    s = summary(found)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    checked = "" if reports_checked is None else f"{reports_checked} report(s) checked, "
    head = (f"{checked}{s['findings']} finding(s) in {s['reports']} report(s): "
            + (", ".join(f"{n} {sev}" for sev, n in s["by_severity"].items()) or "none"))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">",
        f'<meta name="generator" content="certreport {_e(__version__)}">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="meta" id="headline">{_e(head)}; written {when}</p>',
    ]
    if found:
        parts.append('<section class="summary">'
                     + _count_table("by severity", "severity", s["by_severity"])
                     + _count_table("by check", "check", s["by_check"]) + "</section>")
        header = "".join(f'<th class="{cls}">{_e(h)}</th>' for cls, h, _ in _COLUMNS)
        rows = []
        for f in found:
            attrs = (f'class="finding {_e(f["severity"])}" data-report-id="{_e(f["report_id"])}" '
                     f'data-check="{_e(f["check_name"])}" data-target="{_e(f["target"])}"')
            if f.get("other_report_id"):
                attrs += f' data-other-report-id="{_e(f["other_report_id"])}"'
            cells = "".join(f'<td class="{cls}">{_e(get(f))}</td>' for cls, _, get in _COLUMNS)
            rows.append(f"<tr {attrs}>{cells}</tr>")
        parts.append(f'<table id="findings"><thead><tr>{header}</tr></thead>'
                     f"<tbody>{''.join(rows)}</tbody></table>")
    else:
        parts.append('<p class="none">No findings: every report adds up.</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


RENDERERS: dict[str, Callable[..., str]] = {
    "table": to_table, "csv": to_csv, "json": to_json, "html": to_html}


def render(found: Sequence[Mapping[str, Any]], fmt: str = "table", **options: Any) -> str:
    """The findings in one of :data:`FORMATS` (``reports_checked`` and ``title`` are used
    by the HTML page)."""
    if fmt not in RENDERERS:
        raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    return RENDERERS[fmt](found, **options)
