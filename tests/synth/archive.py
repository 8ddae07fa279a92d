"""Truth records for checks across the archive: the same people, organisations and numbers
on several reports.

:func:`retarget` returns a copy of a truth record with another organisation, audit dates,
project number or team (its dates kept consistent: end, compiled date, day count);
:func:`history` makes one organisation's audits over the years (initial, surveillance,
re-certification under one project number); :func:`render` writes truth records as .docx
reports in a folder.
"""
from __future__ import annotations

import copy
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterable, Sequence

from synth import write_truth
from synth.templates import TEMPLATES
from synth.truth import make_truth


def retarget(truth: dict[str, Any], *, org_name: str | None = None, start: date | None = None,
             days: int | None = None, project_no: str | None = None,
             team: Sequence[dict[str, Any]] | None = None,
             audit_type: str | None = None, cert_body: str | None = None) -> dict[str, Any]:
    """A deep copy of ``truth`` with the given values replaced. ``start`` and ``days``
    (whole audit days, 1 = one day) set audit_start, audit_end, compiled_date, audit_days;
    ``team`` replaces the team (its first member becomes the leader and the author)."""
    t = copy.deepcopy(truth)
    rep = t["report"]
    if org_name is not None:
        rep["org_name"] = org_name
    if project_no is not None:
        rep["project_no"] = project_no
    if cert_body is not None:
        rep["cert_body"] = cert_body
    if audit_type is not None:
        rep["audit_type"] = audit_type
        rep["conclusion"] = None  # the renderer picks the conclusion of the audit type
    if start is not None or days is not None:
        first = start or date.fromisoformat(rep["audit_start"])
        n = days or (date.fromisoformat(rep["audit_end"]) - date.fromisoformat(rep["audit_start"])).days + 1
        rep["audit_start"] = first.isoformat()
        rep["audit_end"] = (first + timedelta(days=n - 1)).isoformat()
        rep["compiled_date"] = rep["audit_end"]
        rep["audit_days"] = float(n)
    if team is not None:
        t["team"] = [dict(m, role="组长" if i == 0 else "组员") for i, m in enumerate(team)]
        rep["team_leader"] = rep["author"] = t["team"][0]["name"]
    return t


def member(code: str, name: str, cert_no: str, phone: str = "13800000000") -> dict[str, Any]:
    """One team member's row (specialty 02.01)."""
    return {"member_code": code, "name": name, "role": "组员", "cert_no": cert_no,
            "specialty_code": "02.01", "phone": phone}


def history(seed: int, org_name: str, years: Iterable[int],
            project: str = "0301") -> list[dict[str, Any]]:
    """One organisation audited once a year: 初次认证 the first year, then 保持认证, then 再认证
    every third year, all under one project number (``{project}-{first year}-SE-{year}``)
    by the certification body and at the addresses of the first audit; scores drawn per
    audit from ``seed``."""
    years = list(years)
    out: list[dict[str, Any]] = []
    for i, year in enumerate(years):
        kind = "初次认证" if i == 0 else ("再认证" if i % 3 == 0 else "保持认证")
        t = retarget(make_truth(seed + i, "classic"), org_name=org_name,
                     start=date(year, 5, 10 + i), days=1,
                     project_no=f"{project}-{years[0]}-SE-{year}", audit_type=kind)
        if out:
            first = out[0]["report"]
            for k in ("cert_body", "registered_address", "audit_address"):
                t["report"][k] = first[k]
        out.append(t)
    return out


def render(truths: Iterable[dict[str, Any]], out_dir: Path, template: str = "classic",
           prefix: str = "archive") -> list[Path]:
    """Each truth as ``{prefix}_{i}.docx`` (with its truth JSON) in ``out_dir``."""
    from synth.docx_render import render_docx

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, t in enumerate(truths):
        path = out_dir / f"{prefix}_{i:03d}.docx"
        render_docx(t, path, TEMPLATES[template])
        write_truth(t, out_dir / f"{prefix}_{i:03d}.truth.json")
        paths.append(path)
    return paths
