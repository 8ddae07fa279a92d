"""Report fields from the record: values, check-box choices, dates."""
from __future__ import annotations

from datetime import date

from certreport.extract.record import CheckGroup, CheckOption, FieldValue, Record, Text
from certreport.normalise.fields import check_dates, choice, report_fields


def group(name: str, checked: dict[str, bool | None], marked: bool = True,
          ambiguous: bool = False) -> CheckGroup:
    return CheckGroup(name, tuple(CheckOption(k, v) for k, v in checked.items()), marked,
                      ambiguous=ambiguous)


def record(*fields: tuple[str, str], groups: tuple[CheckGroup, ...] = ()) -> Record:
    return Record("r.md", "markdown", fields=tuple(FieldValue(n, n, Text(v)) for n, v in fields),
                  checkboxes=groups)


def test_choice_reads_the_one_checked_option():
    findings = []
    r = record(groups=(group("audit_type", {"初次认证": False, "保持认证": True, "再认证": False}),))
    assert choice(r, "audit_type", findings) == "保持认证" and findings == []


def test_choice_unmarked_is_unknown_not_guessed():
    findings = []
    r = record(groups=(group("audit_type", {"初次认证": None, "保持认证": None}, marked=False),))
    assert choice(r, "audit_type", findings) is None and findings == []


def test_choice_several_checked_or_ambiguous_is_a_finding():
    findings = []
    r = record(groups=(group("audit_type", {"初次认证": True, "保持认证": True}),))
    assert choice(r, "audit_type", findings) is None
    assert [(f.check, f.stated) for f in findings] == [("checkbox", "初次认证、保持认证")]
    findings = []
    r = record(groups=(group("audit_type", {"初次认证": None}, marked=False, ambiguous=True),))
    assert choice(r, "audit_type", findings) is None and findings[0].check == "checkbox"


def test_choice_from_a_plain_value():
    assert choice(record(("audit_type", "再认证")), "audit_type", []) == "再认证"
    assert choice(record(("audit_type", "其他")), "audit_type", []) is None


def test_report_fields_tidy_numbers_and_dates():
    r = record(("project_no", "００２９-2023-SE-2024 "), ("contact_phone", "181 6782-5599"),
               ("audit_dates", "2024年01月17日至2024年01月18日(共1.5天)"),
               ("org_name", "新疆鹏森科技股份有限公司\u3000"), ("compiled_date", "2024.01.19"))
    f = report_fields(r, [])
    assert (f["project_no"], f["contact_phone"], f["org_name"]) == (
        "0029-2023-SE-2024", "18167825599", "新疆鹏森科技股份有限公司")
    assert (f["audit_start"], f["audit_end"], f["audit_days"]) == (
        date(2024, 1, 17), date(2024, 1, 18), 1.5)
    assert f["compiled_date"] == date(2024, 1, 19) and f["scope"] is None


def test_check_dates():
    def found(dates: str, compiled: str = "2024年01月20日"):
        r = record(("audit_dates", dates), ("compiled_date", compiled))
        return [(f.check, f.severity, f.target) for f in check_dates(report_fields(r, []), r)]

    assert found("2024年01月17日至2024年01月18日(共2天)") == []
    assert found("2024年01月18日至2024年01月17日") == [("dates", "error", "audit_dates")]
    assert found("2024年01月17日至2024年01月17日(共2天)") == [("dates", "error", "audit_days")]
    assert found("2024年01月17日至2024年01月18日", "2024年01月10日") == [
        ("dates", "warning", "compiled_date")]
    assert found("下周一") == [("dates", "warning", "audit_dates")]
