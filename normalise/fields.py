"""Report-level fields from the record: names, addresses, dates, check-box choices."""
from __future__ import annotations

import re
from typing import Any

from certreport.extract.record import CheckGroup, Record
from certreport.normalise.findings import Finding
from certreport.normalise.values import halfwidth, parse_date, parse_date_range
from certreport.schemas.vocabulary import vocabulary


def _value(record: Record, name: str) -> str | None:
    f = record.field(name)
    if f is None:
        return None
    text = re.sub(r"[ \t\u3000]+", " ", f.value.text).strip()
    return text or None


def _merge_groups(record: Record, name: str) -> CheckGroup | None:
    groups = [g for g in record.checkboxes if g.name == name]
    if not groups:
        return None
    options = tuple(o for g in groups for o in g.options)
    return CheckGroup(name, options, any(g.marked for g in groups), groups[0].where,
                      any(g.ambiguous for g in groups), any(g.unsure for g in groups))


def choice(record: Record, name: str, findings: list[Finding]) -> str | None:
    """The checked option of a single-choice group; None when the report shows no mark
    (the value is unknown, not guessed), or, with a finding, when several are checked or
    a mark cannot be told to belong to one option.
    A plain field value equal to one option (``审查类型：保持认证``) counts too."""
    group = _merge_groups(record, name)
    if group is not None and group.unsure and not group.marked:
        findings.append(Finding("checkbox", "warning", name, None, None,
                                f"{name}: a scanned check box's ink does not tell whether it "
                                "is ticked: the choice is not read", group.where))
        return None
    if group is not None and group.ambiguous and not group.marked:
        findings.append(Finding("checkbox", "warning", name, None, None,
                                f"{name}: a mark stands between two options and cannot be told "
                                "to belong to either", group.where))
        return None
    if group is not None and group.marked:
        checked = list(dict.fromkeys(group.checked))
        if len(checked) == 1:
            return checked[0]
        if len(checked) > 1:
            findings.append(Finding("checkbox", "warning", name, "、".join(checked), None,
                                    f"{name}: several options are checked ({'、'.join(checked)})",
                                    group.where))
        return None
    plain = _value(record, name)
    options = vocabulary().checkbox_groups.get(name, ())
    if plain and plain.strip("☐□ ") in options:
        return plain.strip("☐□ ")
    return None


def report_fields(record: Record, findings: list[Finding]) -> dict[str, Any]:
    """The ``reports`` columns that come straight from the record (no scores)."""
    dates = parse_date_range(_value(record, "audit_dates"))
    out: dict[str, Any] = {
        "cert_body": record.cert_body.text if record.cert_body else None,
        "org_name": _value(record, "org_name"),
        "project_no": _value(record, "project_no"),
        "audit_type": choice(record, "audit_type", findings),
        "registered_address": _value(record, "registered_address"),
        "audit_address": _value(record, "audit_address"),
        "contact_name": _value(record, "contact_name"),
        "contact_phone": _value(record, "contact_phone"),
        "audit_method": choice(record, "audit_method", findings),
        "audit_start": dates.start,
        "audit_end": dates.end,
        "audit_days": dates.days,
        "scope": _value(record, "scope"),
        "author": _value(record, "author"),
        "compiled_date": parse_date(_value(record, "compiled_date")),
        "conclusion": choice(record, "conclusion", findings),
    }
    if out["project_no"]:
        out["project_no"] = halfwidth(out["project_no"]).replace(" ", "")
    if out["contact_phone"]:
        out["contact_phone"] = re.sub(r"(?<=\d)[ \-](?=\d)", "", halfwidth(out["contact_phone"]))
    return out


def check_dates(fields: dict[str, Any], record: Record) -> list[Finding]:
    """Audit dates in order, the day count within the span, the report compiled after."""
    out = []
    start, end, days = fields["audit_start"], fields["audit_end"], fields["audit_days"]
    where = record.field("audit_dates").value.where if record.field("audit_dates") else None
    if record.field("audit_dates") and start is None:
        out.append(Finding("dates", "warning", "audit_dates", _value(record, "audit_dates"), None,
                           "audit dates could not be read", where))
    if start and end and end < start:
        out.append(Finding("dates", "error", "audit_dates", f"{start}..{end}", None,
                           f"audit ends ({end}) before it starts ({start})", where))
    if start and end and days is not None and days > (end - start).days + 1:
        out.append(Finding("dates", "error", "audit_days", days, float((end - start).days + 1),
                           f"{days} days stated for a span of {(end - start).days + 1} day(s)",
                           where))
    compiled = fields["compiled_date"]
    if compiled and end and compiled < end:
        cw = record.field("compiled_date")
        out.append(Finding("dates", "warning", "compiled_date", str(compiled), str(end),
                           f"report compiled ({compiled}) before the audit ended ({end})",
                           cw.value.where if cw else None))
    return out
