"""Plain-text renderings for the terminal: one report (a warehouse's findings are in
:mod:`certreport.findings_report`)."""
from __future__ import annotations

import unicodedata
from typing import Any, Mapping, Sequence

from certreport.schemas.folds import format_number


def width(text: str) -> int:
    """Display width (CJK characters take two columns)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, n: int) -> str:
    return text + " " * max(0, n - width(text))


def clip(text: str, n: int) -> str:
    out, w = "", 0
    for c in text:
        cw = width(c)
        if w + cw > n - 1:
            return out + "…"
        out, w = out + c, w + cw
    return out


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 60) -> str:
    """A simple aligned text table."""
    cells = [[clip("" if v is None else _num(v), max_width) for v in row] for row in rows]
    widths = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(pad(h, w) for h, w in zip(headers, widths)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(pad(v, w) for v, w in zip(r, widths)) for r in cells]
    return "\n".join(line.rstrip() for line in lines)


def _num(v: Any) -> str:
    return format_number(v, 4) if isinstance(v, float) else str(v)


_REPORT_FIELDS = [
    ("认证机构 body", "cert_body"), ("组织 organisation", "org_name"), ("项目编号 project", "project_no"),
    ("依据 scheme", "spec"), ("审查类型 audit type", "audit_type"), ("审查方式 method", "audit_method"),
    ("注册地址 registered", "registered_address"), ("审查地址 audited at", "audit_address"),
    ("联系人 contact", "contact_name"), ("电话 phone", "contact_phone"),
    ("审查时间 audit", "audit_start"), ("至 until", "audit_end"), ("天数 days", "audit_days"),
    ("组长 team leader", "team_leader"), ("范围 scope", "scope"),
    ("编制人 author", "author"), ("编制日期 compiled", "compiled_date"),
]


def render_report(rows: Mapping[str, Sequence[Mapping[str, Any]]]) -> str:
    """One report as a person would read it: header, team, parts, clauses, findings."""
    r = rows["reports"][0]
    out = [f"{r['source_path']}  [{r['status']}]  id {r['report_id']}"]
    if r.get("error"):
        out.append(f"  ! {r['error']}")
    for problem in r.get("problems") or []:
        out.append(f"  problem: {problem}")
    if r["status"] == "failed":
        return "\n".join(out)
    out.append("")
    for label, key in _REPORT_FIELDS:
        v = r.get(key)
        out.append(f"  {pad(label, 22)} {'—' if v is None else _num(v)}")
    out.append("")
    out.append(f"  总分 total: stated {_num(r.get('stated_total'))}, computed "
               f"{_num(r.get('computed_total'))}   星级 level: stated {r.get('stated_level')}, "
               f"computed {r.get('computed_level')}")
    if r.get("special_deduction") is not None or r.get("special_addition") is not None:
        why = f"  ({r['special_reasons']})" if r.get("special_reasons") else ""
        out.append(f"  特别项 special: − {_num(r.get('special_deduction'))}, "
                   f"+ {_num(r.get('special_addition'))}{why}")
    if r.get("raw_total") is not None or r.get("applicable_max") is not None:
        out.append(f"  实际得分合计 raw {_num(r.get('raw_total'))}, 涉及项总分值 applicable "
                   f"{_num(r.get('applicable_max'))}")
    if rows.get("team"):
        out += ["", "审查组 team", table(
            ["代码", "姓名", "身份", "注册证书号", "专业代码", "电话"],
            [[t["member_code"], t["name"], t["role"], t["cert_no"], t["specialty_code"],
              t["phone"]] for t in rows["team"]])]
    if rows.get("sections"):
        out += ["", "各部分 parts", table(
            ["", "title", "stated max", "stated", "computed max", "computed"],
            [[s["section"], s["title"], s["stated_max"], s["stated_score"], s["computed_max"],
              s["computed_score"]] for s in rows["sections"]])]
    if rows.get("clauses"):
        out += ["", "条款 clauses", table(
            ["code", "clause", "weight", "%", "stated", "computed", "match", "text"],
            [[c["code"] or "—", c["clause_no"], c["weight"],
              "不涉及" if c["not_applicable"] else c["score_pct"], c["stated_score"],
              c["computed_score"], f"{c['match_method']} {c['match_score']:.0f}"
              if c["match_method"] else "—", (c["text"] or "").replace("\n", " ")]
             for c in rows["clauses"]], max_width=36)]
    checks = rows.get("checks") or []
    out += ["", f"检查 findings: {len(checks)}"]
    if checks:
        out.append(table(["severity", "check", "target", "stated", "computed", "message"],
                         [[c["severity"], c["check_name"], c["target"], c["stated"], c["computed"],
                           c["message"]] for c in _sorted(checks)], max_width=70))
    return "\n".join(out)


def _sorted(checks: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return sorted(checks, key=lambda c: (c["severity"] != "error", c.get("report_id") or "",
                                         c["check_name"]))
