"""Checks across the archive, and its organisations: pure functions over whole tables.

:func:`check_archive` takes the warehouse's ``reports`` and ``team`` tables (pandas frames;
it reads nothing and changes neither) and returns the rows of the ``archive_checks`` and
``organisations`` tables. The work is a handful of sorts and joins, never a loop over
pairs of reports, so it stays a matter of seconds at 100,000 reports:

``auditor_overlap`` (error)
    one member on the teams of two reports of different organisations whose audit date
    ranges overlap (closed ranges of whole days: an audit ending on the 17th and one starting
    on the 18th do not overlap). Per member the reports are sorted by first day; the
    reports overlapping one are the run after it that starts no later than its last day
    (a binary search), so the cost is the sort plus the pairs found.
``cert_no_conflict`` (warning)
    one registration certificate number under two names, or one member code with two
    certificate numbers.
``project_no_conflict`` (warning)
    one project number of one certification body on reports of two organisations (bodies
    number their projects each on their own; reports whose body was not read are compared
    with each other).

Each finding stands on every report involved and names another report and its file: for a
pair, each names the other; for a number shared by several names (or organisations), each
report names the first report (by audit date) of every other name.

Identity: a member is known by member code, else certificate number, else name + phone,
all normalised (:func:`norm_texts`; :func:`norm_codes`: also upper case, without dashes;
:func:`norm_phones`: digits only). A certificate
number, or a name + phone, seen beside exactly one member code anywhere in the archive is
that member, so a report that leaves the code out still matches. An organisation is its
normalised name (:func:`org_keys`), its id :func:`org_ids`. Reports without an
organisation name or audit dates are not compared for overlaps.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import groupby

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

AUDITOR_OVERLAP, CERT_NO_CONFLICT, PROJECT_NO_CONFLICT = (
    "auditor_overlap", "cert_no_conflict", "project_no_conflict")
SEVERITY = {AUDITOR_OVERLAP: "error", CERT_NO_CONFLICT: "warning", PROJECT_NO_CONFLICT: "warning"}

FINDING_COLUMNS = ("report_id", "check_name", "severity", "target", "value", "other_report_id",
                   "other_source_path", "other_value", "message")
ORGANISATION_COLUMNS = ("org_id", "name", "names_seen", "registered_addresses",
                        "audit_addresses", "project_nos", "reports", "first_audit", "last_audit")
REPORT_COLUMNS = ("report_id", "source_path", "org_name", "cert_body", "project_no",
                  "audit_start", "audit_end", "registered_address", "audit_address")
TEAM_COLUMNS = ("report_id", "member_code", "name", "cert_no", "phone")
LIST_SEPARATOR = " | "

STRING = pd.StringDtype("pyarrow")  # text columns: Arrow strings, missing values as NA


def _text(series: pd.Series) -> pd.Series:
    """A column as Arrow-backed strings (hashing, joins and concatenation in C++)."""
    return series.astype(STRING)


# RE2 patterns (pyarrow.compute); after NFKC every space separator is U+0020
_SPACE = r"[\s\p{Z}\x{85}\x{1c}-\x{1f}]+"
_SEPARATORS = r"[-_\x{2010}-\x{2015}\x{2212}\x{fe63}\x{ff0d}]+"
_COUNTRY = r"^(?:0086|86)(\d{11})$"
_CLOSING = r"[。.,，;；:：]+$"


# -- normalisation: Arrow kernels run once per distinct value of a column ---------------------

def _k_text(a: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(pc.utf8_normalize(a, form="NFKC"), pattern=_SPACE,
                                      replacement="")


def _k_code(a: pa.Array) -> pa.Array:
    return pc.utf8_upper(pc.replace_substring_regex(_k_text(a), pattern=_SEPARATORS,
                                                    replacement=""))


def _k_phone(a: pa.Array) -> pa.Array:
    digits = pc.replace_substring_regex(pc.utf8_normalize(a, form="NFKC"), pattern=r"\D+",
                                        replacement="")
    return pc.replace_substring_regex(digits, pattern=_COUNTRY, replacement=r"\1")


def _k_org(a: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(_k_text(a), pattern=_CLOSING, replacement="")


def _per_value(series: pd.Series, kernel) -> pd.Series:
    """``kernel`` over the distinct values of a text column, spread back over its rows;
    an empty result is NA."""
    codes, uniques = pd.factorize(_text(series))
    out = kernel(pa.array(uniques, type=pa.large_string()))
    out = pc.if_else(pc.equal(pc.utf8_length(out), 0), None, out)
    return pd.Series(pd.arrays.ArrowStringArray(out).take(codes, allow_fill=True),
                     index=series.index)


def _lookup(series: pd.Series, mapping: pd.Series) -> pd.Series:
    """``series`` mapped through ``mapping`` (index -> value; NA where absent), by Arrow's
    hash lookup."""
    keys = pa.array(_text(pd.Series(mapping.index)), type=pa.large_string())
    where = pc.index_in(pa.array(_text(series), type=pa.large_string()), value_set=keys)
    values = pa.array(_text(pd.Series(mapping.to_numpy())), type=pa.large_string())
    return pd.Series(pd.arrays.ArrowStringArray(pc.take(values, where)), index=series.index)


def norm_texts(series: pd.Series) -> pd.Series:
    """NFKC (full-width letters, digits, brackets folded) without white space; NA when
    nothing is left."""
    return _per_value(series, _k_text)


def norm_codes(series: pd.Series) -> pd.Series:
    """Member codes, certificate or project numbers: :func:`norm_texts` in upper case
    without dashes (``isc－１２３``, ``ISC 123`` and ``ISC-123`` are one code)."""
    return _per_value(series, _k_code)


def norm_phones(series: pd.Series) -> pd.Series:
    """The digits of phone numbers, without a leading 86 / 0086 before 11 digits."""
    return _per_value(series, _k_phone)


def org_keys(series: pd.Series) -> pd.Series:
    """Organisations' normalised names: :func:`norm_texts` without closing punctuation."""
    return _per_value(series, _k_org)


def org_ids(series: pd.Series) -> pd.Series:
    """Organisation ids of names: the first 16 hex digits of the SHA-256 of
    :func:`org_keys` (NA for an empty name), hashed once per distinct name."""
    codes, uniques = pd.factorize(org_keys(series))
    ids = pd.array([hashlib.sha256(k.encode("utf-8")).hexdigest()[:16] for k in uniques],
                   dtype=STRING)
    return pd.Series(ids.take(codes, allow_fill=True), index=series.index)


def _one(fn, value: str | None) -> str | None:
    out = fn(pd.Series([value], dtype=object)).iloc[0]
    return None if pd.isna(out) else out


def norm_text(text: str | None) -> str | None:
    """One value through :func:`norm_texts` (None when nothing is left)."""
    return _one(norm_texts, text)


def norm_code(text: str | None) -> str | None:
    """One value through :func:`norm_codes`."""
    return _one(norm_codes, text)


def norm_phone(text: str | None) -> str | None:
    """One value through :func:`norm_phones`."""
    return _one(norm_phones, text)


def org_key(name: str | None) -> str | None:
    """One name through :func:`org_keys`."""
    return _one(org_keys, name)


def org_id_of(name: str | None) -> str | None:
    """One name's id (:func:`org_ids`); None when the name is empty."""
    return _one(org_ids, name)


# -- identity ------------------------------------------------------------------------------

def member_keys(team: pd.DataFrame) -> pd.DataFrame:
    """The team rows with normalised ``code``, ``cert``, ``person`` (name|phone), ``name_n``
    and the member ``key`` (``code:…``, ``cert:…``, ``person:…``; None when the row says
    too little to tell who it is)."""
    t = pd.DataFrame({c: _text(team[c]) if c in team else pd.Series(None, index=team.index,
                                                                      dtype=STRING)
                      for c in TEAM_COLUMNS})
    t["code"] = norm_codes(t["member_code"])
    t["cert"] = norm_codes(t["cert_no"])
    t["name_n"] = norm_texts(t["name"])
    phone = norm_phones(t["phone"])
    t["person"] = (t["name_n"] + "|" + phone).where(t["name_n"].notna() & phone.notna())

    def unique_link(by: str, to: str) -> pd.Series:
        pairs = t.loc[t[by].notna() & t[to].notna(), [by, to]].drop_duplicates()
        n = pairs.groupby(by)[to].transform("size")
        return pairs[n == 1].set_index(by)[to]

    cert_code = _lookup(t["cert"], unique_link("cert", "code"))
    person_code = _lookup(t["person"], unique_link("person", "code"))
    person_cert = _lookup(t["person"], unique_link("person", "cert"))
    code = t["code"].fillna(cert_code).fillna(person_code)
    cert = t["cert"].fillna(person_cert)
    t["key"] = ("code:" + code).fillna("cert:" + cert).fillna("person:" + t["person"])
    shown = t["member_code"].fillna(t["cert_no"]).fillna(t["phone"])
    t["label"] = (t["name"].fillna("?") + " (" + shown + ")").fillna(t["name"])
    return t


# -- the checks ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Archive:
    """The archive tables computed from the warehouse: rows of ``archive_checks`` and of
    ``organisations`` (pandas frames with exactly the tables' columns)."""

    findings: pd.DataFrame
    organisations: pd.DataFrame


def _reports(reports: pd.DataFrame) -> pd.DataFrame:
    r = pd.DataFrame({c: reports[c] if c in reports else None for c in REPORT_COLUMNS})
    for c in REPORT_COLUMNS:
        if c not in ("audit_start", "audit_end"):
            r[c] = _text(r[c])
    r["org_id"] = org_ids(r["org_name"])
    r["start"] = pd.to_datetime(r["audit_start"], errors="coerce")
    end = pd.to_datetime(r["audit_end"], errors="coerce").fillna(r["start"])
    r["end"] = end.where(end >= r["start"], r["start"])
    one_day = _text(r["start"].dt.strftime("%Y-%m-%d"))
    r["dates"] = one_day.where(r["end"] == r["start"],
                               one_day + "/" + _text(r["end"].dt.strftime("%Y-%m-%d")))
    body = norm_texts(r["cert_body"]).fillna("")
    r["project"] = body + "|" + norm_codes(r["project_no"])  # NA without a number
    return r


def _empty_findings() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in FINDING_COLUMNS})


def _both_ways(a: pd.DataFrame, b: pd.DataFrame, check: str, target: pd.Series,
               value_a: pd.Series, value_b: pd.Series, message) -> pd.DataFrame:
    """Findings for pairs (row i of ``a`` with row i of ``b``) on both reports, each
    naming the other; ``message(this, other, target, value, other_value)`` over series."""
    out = []
    for this, other, v, ov in ((a, b, value_a, value_b), (b, a, value_b, value_a)):
        out.append(_named(this, other, check, target, v, ov, message))
    return pd.concat(out, ignore_index=True)


def _named(this: pd.DataFrame, other: pd.DataFrame, check: str, target: pd.Series,
           value: pd.Series, other_value: pd.Series, message) -> pd.DataFrame:
    """Findings on ``this`` report naming ``other`` (aligned rows)."""
    this, other = this.reset_index(drop=True), other.reset_index(drop=True)
    target, value = target.reset_index(drop=True), value.reset_index(drop=True)
    other_value = other_value.reset_index(drop=True)
    return pd.DataFrame({
        "report_id": this["report_id"], "check_name": check, "severity": SEVERITY[check],
        "target": target, "value": value, "other_report_id": other["report_id"],
        "other_source_path": other["source_path"], "other_value": other_value,
        "message": message(this, other, target, value, other_value),
    })


def _org(r: pd.DataFrame) -> pd.Series:
    return r["org_name"].fillna("(organisation not read)")


def auditor_overlaps(members: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """``auditor_overlap`` findings: one member, two organisations, overlapping dates."""
    m = members.loc[members["key"].notna(), ["report_id", "key", "label"]]
    m = m.drop_duplicates(["report_id", "key"])
    r = reports.loc[reports["org_id"].notna() & reports["start"].notna()]
    m = m.merge(r[["report_id", "org_id", "start", "end"]], on="report_id")
    if m.empty:
        return _empty_findings()
    g = pd.factorize(m["key"])[0].astype(np.int64)
    s = m["start"].to_numpy().astype("datetime64[D]").astype(np.int64)
    e = m["end"].to_numpy().astype("datetime64[D]").astype(np.int64)
    low = s.min()
    s, e = s - low, e - low
    span = int(e.max()) + 2
    order = np.lexsort((s, g))
    g, s, e = g[order], s[order], e[order]
    starts = g * span + s
    # reports of the same member starting on or before this one's last day, after it
    last = np.searchsorted(starts, g * span + e, side="right")
    counts = last - np.arange(len(starts)) - 1
    first = np.repeat(np.arange(len(starts)), counts)
    offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    second = first + 1 + offset
    rows = m.iloc[order].reset_index(drop=True)
    a, b = rows.iloc[first].reset_index(drop=True), rows.iloc[second].reset_index(drop=True)
    differ = (a["org_id"] != b["org_id"]).to_numpy()
    a, b = a[differ], b[differ]
    if a.empty:
        return _empty_findings()
    info = reports.set_index("report_id")[["source_path", "org_name", "dates"]]
    a = a[["report_id", "label"]].join(info, on="report_id")
    b = b[["report_id", "label"]].join(info, on="report_id")

    def message(this, other, target, value, other_value):
        return (target + " is on the audit team of " + _org(this) + " (" + value
                + ") and of " + _org(other) + " (" + other_value + ", report "
                + other["report_id"] + ", " + other["source_path"].fillna("?")
                + "): overlapping audit dates")

    return _both_ways(a, b, AUDITOR_OVERLAP, a["label"], a["dates"], b["dates"], message)


def _shared(rows: pd.DataFrame, by: str, part: str, order: pd.DataFrame) -> tuple[pd.DataFrame,
                                                                                  pd.DataFrame]:
    """Rows whose ``by`` value comes with several ``part`` values, aligned with, for each
    other ``part`` value, the first report (by audit date) that has it."""
    rows = rows.loc[rows[by].notna() & rows[part].notna()].drop_duplicates(
        ["report_id", by, part])
    n = rows.groupby(by)[part].transform("nunique")
    rows = rows[n > 1]
    if rows.empty:
        return rows, rows
    rows = rows.merge(order, on="report_id", how="left").sort_values(
        ["_start", "report_id"], na_position="last")
    firsts = rows.drop_duplicates([by, part])
    pairs = rows.merge(firsts, on=by, suffixes=("", "_o"))
    pairs = pairs[pairs[part] != pairs[part + "_o"]]
    this = pairs[[c for c in rows.columns]]
    other = pairs[[c + "_o" for c in rows.columns if c != by]].rename(
        columns=lambda c: c[:-2])
    return this.reset_index(drop=True), other.reset_index(drop=True)


def cert_conflicts(members: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """``cert_no_conflict`` findings: a certificate number under two names, a member code
    with two certificate numbers."""
    order = reports[["report_id", "start", "source_path"]].rename(columns={"start": "_start"})
    out = []
    this, other = _shared(members[["report_id", "cert", "name_n", "cert_no", "name"]],
                          "cert", "name_n", order)
    if not this.empty:
        def by_name(this, other, target, value, other_value):
            return ("certificate number " + target + " stands under " + value
                    + " here and under " + other_value + " in report " + other["report_id"]
                    + " (" + other["source_path"].fillna("?") + ")")
        out.append(_named(this, other, CERT_NO_CONFLICT, this["cert_no"], this["name"],
                          other["name"], by_name))
    this, other = _shared(members[["report_id", "code", "cert", "member_code", "cert_no"]],
                          "code", "cert", order)
    if not this.empty:
        def by_code(this, other, target, value, other_value):
            return ("member code " + target + " has certificate number " + value
                    + " here and " + other_value + " in report " + other["report_id"]
                    + " (" + other["source_path"].fillna("?") + ")")
        out.append(_named(this, other, CERT_NO_CONFLICT, this["member_code"], this["cert_no"],
                          other["cert_no"], by_code))
    return pd.concat(out, ignore_index=True) if out else _empty_findings()


def project_conflicts(reports: pd.DataFrame) -> pd.DataFrame:
    """``project_no_conflict`` findings: one project number, two organisations."""
    order = reports[["report_id", "start", "source_path"]].rename(columns={"start": "_start"})
    this, other = _shared(reports[["report_id", "project", "org_id", "project_no", "org_name",
                                   "cert_body"]], "project", "org_id", order)
    if this.empty:
        return _empty_findings()

    def message(this, other, target, value, other_value):
        return ("project number " + target + " of " + this["cert_body"].fillna("(body not read)")
                + " is on reports of " + value + " (here) and of "
                + other_value + " (report " + other["report_id"] + ", "
                + other["source_path"].fillna("?") + ")")

    return _named(this, other, PROJECT_NO_CONFLICT, this["project_no"], this["org_name"],
                  other["org_name"], message)


# -- organisations -------------------------------------------------------------------------

def _joined(keys: list, values: list) -> dict:
    """key -> its values joined with :data:`LIST_SEPARATOR`, in order (one pass over rows
    sorted by key; pandas' per-group aggregation costs seconds at 100,000 reports)."""
    out: dict = {}
    for key, group in groupby(zip(keys, values), key=lambda kv: kv[0]):
        out[key] = LIST_SEPARATOR.join(str(v) for _, v in group)
    return out


def organisations(reports: pd.DataFrame) -> pd.DataFrame:
    """One row per organisation (see ``organisations`` in tables.yaml)."""
    r = reports.loc[reports["org_id"].notna()].sort_values(
        ["org_id", "start", "report_id"], na_position="last")
    if r.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in ORGANISATION_COLUMNS})
    grouped = r.groupby("org_id", sort=True)
    out = pd.DataFrame({
        "name": org_keys(grouped["org_name"].first()),
        "reports": grouped.size().astype("int32"),
        "first_audit": grouped["start"].min().dt.date,
        "last_audit": grouped["start"].max().dt.date,
    })
    for col, src in (("names_seen", "org_name"), ("registered_addresses", "registered_address"),
                     ("audit_addresses", "audit_address"), ("project_nos", "project_no")):
        seen = r[["org_id", src]].dropna().drop_duplicates()
        out[col] = pd.Series(_joined(seen["org_id"].tolist(), seen[src].tolist()), dtype=object)
    out = out.reset_index()
    out["first_audit"] = out["first_audit"].astype(object).where(out["first_audit"].notna(), None)
    out["last_audit"] = out["last_audit"].astype(object).where(out["last_audit"].notna(), None)
    return out[list(ORGANISATION_COLUMNS)]


def check_archive(reports: pd.DataFrame, team: pd.DataFrame) -> Archive:
    """The archive checks and organisations of a warehouse's ``reports`` and ``team``
    tables (frames with at least :data:`REPORT_COLUMNS` / :data:`TEAM_COLUMNS`)."""
    r = _reports(reports)
    members = member_keys(team)
    found = pd.concat([auditor_overlaps(members, r), cert_conflicts(members, r),
                       project_conflicts(r)], ignore_index=True)
    found = found.sort_values(["check_name", "report_id", "target", "other_report_id"],
                              kind="stable").reset_index(drop=True)
    found = found.astype(object).where(found.notna(), None)
    return Archive(found[list(FINDING_COLUMNS)], organisations(r))
