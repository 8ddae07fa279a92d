"""Checks across the archive, and its organisations: pure functions over whole tables.

:func:`check_archive` takes the warehouse's ``reports`` and ``team`` tables (Arrow tables,
or columns by name; it reads nothing and changes neither) and returns the rows of the
``archive_checks`` and ``organisations`` tables. The work is a handful of sorts and hash
lookups over plain columns (the text normalisation in Arrow kernels, once per distinct
value), never a loop over pairs of reports, so it stays a matter of a second at 100,000
reports, and needs no pandas (an import refreshes these tables every time):

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
from datetime import date, datetime
from collections import Counter
from itertools import groupby
from operator import itemgetter
from typing import Any, Callable, Sequence

from certreport.arrow_build import array as arrow_array

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

_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
Columns = dict[str, list]  # column name -> its values, one per row (None: missing)
Row = dict[str, Any]

# RE2 patterns (pyarrow.compute); after NFKC every space separator is U+0020
_SPACE = r"[\s\p{Z}\x{85}\x{1c}-\x{1f}]+"
_SEPARATORS = r"[-_\x{2010}-\x{2015}\x{2212}\x{fe63}\x{ff0d}]+"
_COUNTRY = r"^(?:0086|86)(\d{11})$"
_CLOSING = r"[。.,，;；:：]+$"


# -- normalisation: Arrow kernels run once per distinct value of a column ---------------------

def _pc():
    import pyarrow.compute as pc

    return pc


def _k_text(a):
    pc = _pc()
    return pc.replace_substring_regex(pc.utf8_normalize(a, form="NFKC"), pattern=_SPACE,
                                      replacement="")


def _k_code(a):
    pc = _pc()
    return pc.utf8_upper(pc.replace_substring_regex(_k_text(a), pattern=_SEPARATORS,
                                                    replacement=""))


def _k_phone(a):
    pc = _pc()
    digits = pc.replace_substring_regex(pc.utf8_normalize(a, form="NFKC"), pattern=r"\D+",
                                        replacement="")
    return pc.replace_substring_regex(digits, pattern=_COUNTRY, replacement=r"\1")


def _k_org(a):
    pc = _pc()
    return pc.replace_substring_regex(_k_text(a), pattern=_CLOSING, replacement="")


_NONE = type(None)


def _texts(values: Sequence[Any]) -> list[str | None]:
    """A column as text (other values by ``str``; None stays None)."""
    if set(map(type, values)) <= {str, _NONE}:
        return values if isinstance(values, list) else list(values)
    return [v if v is None or type(v) is str else str(v) for v in values]


def _per_value(values: Sequence[Any], kernel: Callable) -> list[str | None]:
    """``kernel`` over the distinct values of a text column, spread back over its rows;
    an empty result is None."""
    import pyarrow as pa

    values = _texts(values)
    done: dict[str | None, str | None] = dict.fromkeys(values)
    done.pop(None, None)
    if done:
        distinct = list(done)
        out = kernel(arrow_array(distinct, pa.string())).to_pylist()
        done = {v: k or None for v, k in zip(distinct, out)}
    done[None] = None
    return list(map(done.__getitem__, values))


def norm_texts(values: Sequence[Any]) -> list[str | None]:
    """NFKC (full-width letters, digits, brackets folded) without white space; None when
    nothing is left."""
    return _per_value(values, _k_text)


def norm_codes(values: Sequence[Any]) -> list[str | None]:
    """Member codes, certificate or project numbers: :func:`norm_texts` in upper case
    without dashes (``isc－１２３``, ``ISC 123`` and ``ISC-123`` are one code)."""
    return _per_value(values, _k_code)


def norm_phones(values: Sequence[Any]) -> list[str | None]:
    """The digits of phone numbers, without a leading 86 / 0086 before 11 digits."""
    return _per_value(values, _k_phone)


def org_keys(values: Sequence[Any]) -> list[str | None]:
    """Organisations' normalised names: :func:`norm_texts` without closing punctuation."""
    return _per_value(values, _k_org)


def org_ids(values: Sequence[Any]) -> list[str | None]:
    """Organisation ids of names: the first 16 hex digits of the SHA-256 of
    :func:`org_keys` (None for an empty name), hashed once per distinct name."""
    ids: dict[str, str] = {}
    out = []
    for k in org_keys(values):
        if k is not None and k not in ids:
            ids[k] = hashlib.sha256(k.encode("utf-8")).hexdigest()[:16]
        out.append(None if k is None else ids[k])
    return out


def norm_text(text: str | None) -> str | None:
    """One value through :func:`norm_texts` (None when nothing is left)."""
    return norm_texts([text])[0]


def norm_code(text: str | None) -> str | None:
    """One value through :func:`norm_codes`."""
    return norm_codes([text])[0]


def norm_phone(text: str | None) -> str | None:
    """One value through :func:`norm_phones`."""
    return norm_phones([text])[0]


def org_key(name: str | None) -> str | None:
    """One name through :func:`org_keys`."""
    return org_keys([name])[0]


def org_id_of(name: str | None) -> str | None:
    """One name's id (:func:`org_ids`); None when the name is empty."""
    return org_ids([name])[0]


# -- input: tables as plain columns --------------------------------------------------------

def _missing(v: Any) -> bool:
    """None, and a data frame's missing values (NaN, NaT, NA)."""
    return v is None or (isinstance(v, float) and v != v) or \
        type(v).__name__ in ("NaTType", "NAType")


def _is_arrow(data: Any) -> bool:
    return hasattr(data, "num_rows") and hasattr(data, "column_names")


def columns_of(data: Any, names: Sequence[str]) -> tuple[int, Columns]:
    """(rows, the ``names`` columns as lists) of an Arrow table, a data frame or a mapping
    of column lists; an absent column is all None."""
    if _is_arrow(data):
        n = data.num_rows
        return n, {c: _pylist(data.column(c)) if c in data.column_names else [None] * n
                   for c in names}
    if hasattr(data, "columns") and hasattr(data, "index"):  # a data frame
        n = len(data.index)
        return n, {c: [None if _missing(v) else v for v in data[c].tolist()]
                   if c in data.columns else [None] * n for c in names}
    lengths = {len(v) for v in data.values()}
    n = lengths.pop() if lengths else 0
    return n, {c: list(data[c]) if c in data else [None] * n for c in names}


def _pylist(column: Any) -> list:
    """An Arrow column's values (dates through their day numbers: one ``date`` made per
    distinct day, not per row)."""
    import pyarrow as pa

    if not pa.types.is_date32(column.type):
        return column.to_pylist()
    numbers = column.cast(pa.int32()).to_pylist()
    days: dict[int | None, date | None] = {
        d: date.fromordinal(d + _EPOCH_ORDINAL) for d in set(numbers) if d is not None}
    days[None] = None
    return list(map(days.__getitem__, numbers))


def _day(v: Any) -> date | None:
    """A date of a date, datetime or ISO text (None when it is none of them)."""
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    if isinstance(v, str):
        try:
            return datetime.fromisoformat(v.strip()).date()
        except ValueError:
            return None
    return None


def _days(values: list[Any]) -> list[date | None]:
    """:func:`_day` of each value (a column of dates as it is)."""
    if set(map(type, values)) <= {date, _NONE}:
        return values
    return [_day(v) for v in values]


def _positions(rids: list[str]) -> dict[str, tuple[int, ...]]:
    """report_id -> the indexes of its rows (a warehouse's report ids are unique; a
    repeated one keeps every row, as a join would)."""
    if len(set(rids)) == len(rids):
        return dict(zip(rids, zip(range(len(rids)))))
    out: dict[str, tuple[int, ...]] = {}
    for i, rid in enumerate(rids):
        out[rid] = out.get(rid, ()) + (i,)
    return out


def _cat(*parts: str | None) -> str | None:
    """The parts joined; None when one is missing."""
    return None if None in parts else "".join(parts)  # type: ignore[arg-type]


# -- identity ------------------------------------------------------------------------------

def _unique_link(by: list[str | None], to: list[str | None]) -> dict[str, str]:
    """``by`` values seen beside exactly one ``to`` value -> that value."""
    pairs = set(zip(by, to))
    pairs.discard((None, None))
    pairs = {(k, v) for k, v in pairs if k is not None and v is not None}
    many = {k for k, n in Counter(k for k, _ in pairs).items() if n > 1}
    return {k: v for k, v in pairs if k not in many}


def member_keys(team: Any) -> Columns:
    """The team columns with normalised ``code``, ``cert``, ``person`` (name|phone),
    ``name_n`` and the member ``key`` (``code:…``, ``cert:…``, ``person:…``; None when the
    row says too little to tell who it is) and its ``label``."""
    _, t = columns_of(team, TEAM_COLUMNS)
    for c in TEAM_COLUMNS:
        t[c] = _texts(t[c])
    code, cert = norm_codes(t["member_code"]), norm_codes(t["cert_no"])
    name_n, phone = norm_texts(t["name"]), norm_phones(t["phone"])
    person = [None if a is None or b is None else f"{a}|{b}" for a, b in zip(name_n, phone)]
    cert_code = _unique_link(cert, code)
    person_code = _unique_link(person, code)
    person_cert = _unique_link(person, cert)
    keys, labels = [], []
    for c, ce, p, raw_code, raw_cert, raw_phone, name in zip(
            code, cert, person, t["member_code"], t["cert_no"], t["phone"], t["name"]):
        if c is None:
            c = cert_code.get(ce) if ce is not None else None
            if c is None and p is not None:
                c = person_code.get(p)
        if ce is None and p is not None:
            ce = person_cert.get(p)
        keys.append(f"code:{c}" if c is not None else f"cert:{ce}" if ce is not None
                    else f"person:{p}" if p is not None else None)
        shown = raw_code if raw_code is not None else raw_cert if raw_cert is not None \
            else raw_phone
        labels.append(name if shown is None else f"{'?' if name is None else name} ({shown})")
    return {**t, "code": code, "cert": cert, "name_n": name_n, "person": person,
            "key": keys, "label": labels}


# -- the checks ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Archive:
    """The archive tables computed from the warehouse: rows of ``archive_checks`` and of
    ``organisations`` (dicts with exactly the tables' columns)."""

    findings: list[Row]
    organisations: list[Row]


def _arrow_columns(reports: Any) -> dict[str, Any]:
    """The given Arrow text columns, and ``audit_start`` when it is dates (the days
    :func:`_reports` reads from it are its own): the organisations are grouped in Arrow,
    and need not be converted back."""
    import pyarrow as pa

    if not _is_arrow(reports):
        return {}
    return {c: reports.column(c) for c in REPORT_COLUMNS if c in reports.column_names
            and reports.column(c).type == (pa.date32() if c == "audit_start" else pa.string())}


def _reports(reports: Any) -> Columns:
    _, r = columns_of(reports, REPORT_COLUMNS)
    r["_arrow"] = _arrow_columns(reports)  # type: ignore[assignment]
    for c in REPORT_COLUMNS:
        if c not in ("audit_start", "audit_end"):
            r[c] = _texts(r[c])
    r["org_id"] = org_ids(r["org_name"])
    start, end_given = _days(r["audit_start"]), _days(r["audit_end"])
    end = []
    for s, e in zip(start, end_given):
        e = s if e is None else e
        end.append(e if s is not None and e >= s else s)
    r["start"], r["end"] = start, end
    spans = {(s, e): None if s is None else s.isoformat() if e == s
             else f"{s.isoformat()}/{e.isoformat()}" for s, e in set(zip(start, end))}
    r["dates"] = list(map(spans.__getitem__, zip(start, end)))
    body = norm_texts(r["cert_body"])
    r["project"] = [None if p is None else f"{b or ''}|{p}"
                    for b, p in zip(body, norm_codes(r["project_no"]))]
    r["_at"] = _positions(r["report_id"])  # type: ignore[assignment]
    return r


def _finding(this: Row, other: Row, check: str, target: str | None, value: str | None,
             other_value: str | None, message: str | None) -> Row:
    return {"report_id": this["report_id"], "check_name": check, "severity": SEVERITY[check],
            "target": target, "value": value, "other_report_id": other["report_id"],
            "other_source_path": other["source_path"], "other_value": other_value,
            "message": message}


def _org(r: Row) -> str:
    return "(organisation not read)" if r["org_name"] is None else r["org_name"]


def _first_rows(*cols: list) -> list[int]:
    """The rows where each combination of ``cols`` values first occurs, in order."""
    n = len(cols[0])
    first = dict(zip(zip(*(c[::-1] for c in cols)), range(n - 1, -1, -1)))
    return sorted(first.values())


def auditor_overlaps(members: Columns, reports: Columns) -> list[Row]:
    """``auditor_overlap`` findings: one member, two organisations, overlapping dates."""
    import numpy as np

    org, start, end = reports["org_id"], reports["start"], reports["end"]
    first_day = [None if o is None or s is None else s.toordinal() for o, s in zip(org, start)]
    last_day = [None if d is None else e.toordinal() for d, e in zip(first_day, end)]
    at = reports["_at"]
    rid, key, label = members["report_id"], members["key"], members["label"]
    rows: list[tuple[int, int]] = []  # (member row, report row)
    for i in _first_rows(rid, key):
        if key[i] is not None:
            rows += [(i, j) for j in at.get(rid[i], ()) if first_day[j] is not None]
    if not rows:
        return []
    codes: dict[str, int] = {}
    g = np.array([codes.setdefault(key[i], len(codes)) for i, _ in rows], dtype=np.int64)
    s = np.array([first_day[j] for _, j in rows], dtype=np.int64)
    e = np.array([last_day[j] for _, j in rows], dtype=np.int64)
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
    pairs = [(rows[i], rows[j]) for i, j in zip(order[first].tolist(), order[second].tolist())
             if org[rows[i][1]] != org[rows[j][1]]]

    def info(j: int) -> Row:
        return {"report_id": reports["report_id"][j], "source_path": reports["source_path"][j],
                "org_name": reports["org_name"][j], "dates": reports["dates"][j]}

    out: list[Row] = []
    for flip in (False, True):
        for a, b in pairs:
            # a report's dates and names are those of its first row (as a lookup by id)
            ra, rb = info(at[rid[a[0]]][0]), info(at[rid[b[0]]][0])
            this, other = (rb, ra) if flip else (ra, rb)
            target = label[a[0]]  # the first report's label, on both
            value, other_value = this["dates"], other["dates"]
            message = _cat(target, " is on the audit team of ", _org(this), " (", value,
                           ") and of ", _org(other), " (", other_value, ", report ",
                           other["report_id"], ", ", _path(other), "): overlapping audit dates")
            out.append(_finding(this, other, AUDITOR_OVERLAP, target, value, other_value,
                                message))
    return out


def _order(reports: Columns) -> dict[str, tuple[tuple, ...]]:
    """report_id -> (first day, source path) of each of its reports rows."""
    start, path, at = reports["start"], reports["source_path"], reports["_at"]
    if len(at) == len(start):  # one row a report
        return dict(zip(reports["report_id"], zip(zip(start, path))))
    return {rid: tuple((start[j], path[j]) for j in rows) for rid, rows in at.items()}


def _shared(cols: Columns, by: str, part: str, order: dict[str, tuple[tuple, ...]]
            ) -> list[tuple[Row, Row]]:
    """Rows whose ``by`` value comes with several ``part`` values (as dicts of ``cols``),
    each paired with, for each other ``part`` value, the first report (by audit date) that
    has it."""
    b, p = cols[by], cols[part]
    pairs = {(k, v) for k, v in set(zip(b, p)) if k is not None and v is not None}
    many = {k for k, n in Counter(k for k, _ in pairs).items() if n > 1}
    if not many:
        return []
    kept = [i for i, k in enumerate(b) if k in many and p[i] is not None]
    rid = cols["report_id"]
    rows = [[cols[c][i] for i in kept] for c in cols]
    names = list(cols)
    dated = [{**dict(zip(names, (col[j] for col in rows))), "_start": s, "source_path": path}
             for j in _first_rows([rid[i] for i in kept], [b[i] for i in kept],
                                  [p[i] for i in kept])
             for s, path in order.get(rid[kept[j]], ((None, None),))]
    dated.sort(key=lambda r: (r["_start"] is None, r["_start"] or date.min, r["report_id"]))
    firsts: dict[tuple, Row] = {}
    for r in dated:
        firsts.setdefault((r[by], r[part]), r)
    firsts_of: dict[str, list[Row]] = {}
    for r in firsts.values():
        firsts_of.setdefault(r[by], []).append(r)
    return [(r, o) for r in dated for o in firsts_of[r[by]] if o[part] != r[part]]


def _path(r: Row) -> str:
    return "?" if r["source_path"] is None else r["source_path"]


def _pick(cols: Columns, *names: str) -> Columns:
    return {c: cols[c] for c in names}


def cert_conflicts(members: Columns, reports: Columns) -> list[Row]:
    """``cert_no_conflict`` findings: a certificate number under two names, a member code
    with two certificate numbers."""
    order = _order(reports)
    out: list[Row] = []
    for this, other in _shared(_pick(members, "report_id", "cert", "name_n", "cert_no", "name"),
                               "cert", "name_n", order):
        out.append(_finding(this, other, CERT_NO_CONFLICT, this["cert_no"], this["name"],
                            other["name"], _cat(
                                "certificate number ", this["cert_no"], " stands under ",
                                this["name"], " here and under ", other["name"], " in report ",
                                other["report_id"], " (", _path(other), ")")))
    for this, other in _shared(_pick(members, "report_id", "code", "cert", "member_code",
                                     "cert_no"), "code", "cert", order):
        out.append(_finding(this, other, CERT_NO_CONFLICT, this["member_code"],
                            this["cert_no"], other["cert_no"], _cat(
                                "member code ", this["member_code"], " has certificate number ",
                                this["cert_no"], " here and ", other["cert_no"], " in report ",
                                other["report_id"], " (", _path(other), ")")))
    return out


def project_conflicts(reports: Columns) -> list[Row]:
    """``project_no_conflict`` findings: one project number, two organisations."""
    cols = _pick(reports, "report_id", "project", "org_id", "project_no", "org_name",
                 "cert_body")
    out: list[Row] = []
    for this, other in _shared(cols, "project", "org_id", _order(reports)):
        body = "(body not read)" if this["cert_body"] is None else this["cert_body"]
        out.append(_finding(this, other, PROJECT_NO_CONFLICT, this["project_no"],
                            this["org_name"], other["org_name"], _cat(
                                "project number ", this["project_no"], " of ", body,
                                " is on reports of ", this["org_name"], " (here) and of ",
                                other["org_name"], " (report ", other["report_id"], ", ",
                                _path(other), ")")))
    return out


# -- organisations -------------------------------------------------------------------------

def _ints(a: Any) -> Any:
    """An Arrow integer array without nulls as a numpy view of its buffer."""
    import numpy as np

    a = a.combine_chunks() if hasattr(a, "combine_chunks") else a
    dtype = np.dtype(f"int{a.type.bit_width}")
    return np.frombuffer(a.buffers()[1], dtype=dtype, count=len(a), offset=a.offset * dtype.itemsize)


def _scalar(value: Any, type: Any) -> Any:
    """An Arrow scalar of a Python value (taken from a one-value array: ``pa.scalar``
    would ask pyarrow's pandas shim, importing pandas)."""
    return arrow_array([value], type)[0]


def organisations(reports: Columns) -> list[Row]:
    """One row per organisation (see ``organisations`` in tables.yaml), by org_id; its
    lists in the order of its reports by audit date. Sorted, grouped and joined in Arrow
    and numpy: at 100,000 reports a Python pass per report costs more than all of that."""
    import numpy as np
    import pyarrow as pa

    pc = _pc()
    if all(o is None for o in reports["org_id"]):
        return []
    lists = (("names_seen", "org_name"), ("registered_addresses", "registered_address"),
             ("audit_addresses", "audit_address"), ("project_nos", "project_no"))
    given = reports["_arrow"]  # type: ignore[index]

    def column(name: str, type: Any) -> Any:
        return given[name] if name in given else arrow_array(reports[name], type)

    t = pa.table({"org_id": arrow_array(reports["org_id"], pa.string()),
                  "start": given["audit_start"] if "audit_start" in given
                  else arrow_array(reports["start"], pa.date32()),
                  "report_id": column("report_id", pa.string()),
                  **{src: column(src, pa.string()) for _, src in lists}})
    t = t.filter(pc.is_valid(t["org_id"]))
    t = t.take(pc.sort_indices(t, sort_keys=[("org_id", "ascending", "at_end"),
                                              ("start", "ascending", "at_end"),
                                              ("report_id", "ascending", "at_end")]))
    orgs = t["org_id"].to_pylist()
    sizes = [sum(1 for _ in g) for _, g in groupby(orgs)]
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    days = _pylist(t["start"])  # sorted by day within an organisation, missing days last
    dated = np.add.reduceat(np.array([d is not None for d in days], dtype=np.int64), starts)
    names = t["org_name"].to_pylist()
    columns: dict[str, list] = {
        "org_id": [orgs[a] for a in starts.tolist()],
        "name": [names[a] for a in starts.tolist()],
        "reports": sizes,
        "first_audit": [days[a] if n else None for a, n in zip(starts.tolist(), dated.tolist())],
        "last_audit": [days[a + n - 1] if n else None
                       for a, n in zip(starts.tolist(), dated.tolist())]}
    keys = dict.fromkeys(columns["name"])
    keys = dict(zip(keys, org_keys(list(keys))))
    columns["name"] = [keys[n] for n in columns["name"]]
    group = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    separator = _scalar(LIST_SEPARATOR, pa.string())
    for col, src in lists:
        encoded = t[src].combine_chunks().dictionary_encode()
        codes = _ints(pc.fill_null(encoded.indices, _scalar(-1, encoded.indices.type)))
        rows = np.flatnonzero(codes >= 0)
        # each organisation's distinct values, in the order they first come
        pair = group[rows] * (len(encoded.dictionary) + 1) + codes[rows]
        firsts = np.sort(rows[np.unique(pair, return_index=True)[1]])
        values = encoded.dictionary.take(arrow_array(codes[firsts].tolist(), pa.int64()))
        counts = np.bincount(group[firsts], minlength=len(sizes))
        offsets = arrow_array(np.concatenate(([0], np.cumsum(counts))).tolist(), pa.int32())
        joined = pc.binary_join(pa.ListArray.from_arrays(offsets, values), separator)
        columns[col] = [j if n else None for j, n in zip(joined.to_pylist(), counts.tolist())]
    return [dict(zip(ORGANISATION_COLUMNS, row))
            for row in zip(*(columns[c] for c in ORGANISATION_COLUMNS))]


def _sort_key(f: Row) -> tuple:
    rid, target, other = f["report_id"], f["target"], f["other_report_id"]
    return (f["check_name"], rid is None, rid or "", target is None, target or "",
            other is None, other or "")


def check_archive(reports: Any, team: Any) -> Archive:
    """The archive checks and organisations of a warehouse's ``reports`` and ``team``
    tables (Arrow tables, data frames or column lists with at least
    :data:`REPORT_COLUMNS` / :data:`TEAM_COLUMNS`)."""
    r = _reports(reports)
    members = member_keys(team)
    found = auditor_overlaps(members, r) + cert_conflicts(members, r) + project_conflicts(r)
    found.sort(key=_sort_key)
    return Archive(found, organisations(r))
