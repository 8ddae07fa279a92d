"""Checks across the archive, and its organisations: pure functions over whole tables.

:func:`check_archive` takes the warehouse's ``reports`` and ``team`` tables (Arrow tables,
or columns by name; it reads nothing and changes neither) and returns the rows of the
``archive_checks`` and ``organisations`` tables. Every text column becomes integer codes
(Arrow's dictionary encoding; the normalisation in Arrow kernels, once per distinct value)
and the work is a handful of numpy sorts, group boundaries and binary searches over those
codes: no Python pass over the rows, nor a loop over pairs of reports (Python touches only
the findings and the organisations it returns), so it stays a fraction of a second at
100,000 reports, and needs no pandas (an import refreshes these tables every time):

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
    """``kernel`` over the distinct values of a text column (:func:`_normalised`), spread
    back over its rows; an empty result is None."""
    import pyarrow as pa

    codes, distinct = _normalised(arrow_array(_texts(values), pa.string()), kernel)
    return _take(distinct, codes)


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
            ids[k] = org_hash(k)
        out.append(None if k is None else ids[k])
    return out


def org_hash(key: str) -> str:
    """An organisation's id from its normalised name (:func:`org_keys`): the first 16 hex
    digits of the name's SHA-256."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


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


def _cat(*parts: str | None) -> str | None:
    """The parts joined; None when one is missing."""
    return None if None in parts else "".join(parts)  # type: ignore[arg-type]


# -- columns as Arrow arrays and numpy codes ------------------------------------------------

def _ints(a: Any) -> Any:
    """An Arrow integer array without nulls as a numpy view of its buffer."""
    import numpy as np

    a = a.combine_chunks() if hasattr(a, "combine_chunks") else a
    dtype = np.dtype(f"int{a.type.bit_width}")
    if not len(a):
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(a.buffers()[1], dtype=dtype, count=len(a),
                         offset=a.offset * dtype.itemsize)


def _scalar(value: Any, type: Any) -> Any:
    """An Arrow scalar of a Python value (taken from a one-value array: ``pa.scalar``
    would ask pyarrow's pandas shim, importing pandas)."""
    return arrow_array([value], type)[0]


def _indices(rows: Any) -> Any:
    """A numpy array of row numbers as an Arrow int64 array (from its buffer)."""
    import numpy as np
    import pyarrow as pa

    rows = np.ascontiguousarray(rows, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(rows), [None, pa.py_buffer(rows)])


def _take(a: Any, rows: Any) -> list:
    """The values of Arrow array ``a`` at numpy ``rows`` (-1: None), as a list."""
    import numpy as np

    rows = np.asarray(rows, dtype=np.int64)
    values = a.take(_indices(np.maximum(rows, 0))).to_pylist() if len(a) else [None] * len(rows)
    return [None if r < 0 else v for r, v in zip(rows.tolist(), values)]


def _encode(a: Any) -> tuple[Any, Any]:
    """(codes, distinct values) of an Arrow string array: int64 codes, -1 for null, into
    the distinct values in the order they first come."""
    import numpy as np

    pc = _pc()
    encoded = a.dictionary_encode()
    if not len(a):
        return np.zeros(0, dtype=np.int64), encoded.dictionary
    codes = pc.fill_null(encoded.indices, _scalar(-1, encoded.indices.type))
    return _ints(codes).astype(np.int64), encoded.dictionary


def _normalised(a: Any, kernel: Callable) -> tuple[Any, Any]:
    """(codes, distinct values) of ``kernel`` over a text array (once per distinct value;
    an empty result is null, code -1)."""
    import numpy as np

    raw, values = _encode(a)
    if not len(values):
        return raw, values
    codes, distinct = _encode(kernel(values))
    empty = np.flatnonzero(_ints(_pc().utf8_length(distinct)) == 0)
    if len(empty):
        codes[codes == empty[0]] = -1
    return np.where(raw >= 0, codes[np.maximum(raw, 0)], -1), distinct


def _strings(data: Any, names: Sequence[str]) -> dict[str, Any]:
    """The ``names`` columns of a table as Arrow string arrays (other values by ``str``)."""
    import pyarrow as pa

    out: dict[str, Any] = {}
    rest = []
    for c in names:
        col = data.column(c) if _is_arrow(data) and c in data.column_names else None
        if col is not None and col.type in (pa.string(), pa.large_string()):
            col = col.cast(pa.string()) if col.type == pa.large_string() else col
            out[c] = col.combine_chunks()
        else:
            rest.append(c)
    if rest:
        _, cols = columns_of(data, rest)
        out.update({c: arrow_array(_texts(cols[c]), pa.string()) for c in rest})
    return out


def _day_numbers(data: Any, name: str) -> tuple[Any, Any]:
    """(day numbers since 1970, valid) of a date column: dates, datetimes or ISO texts."""
    import numpy as np
    import pyarrow as pa

    col = data.column(name) if _is_arrow(data) and name in data.column_names else None
    if col is not None and col.type == pa.date32():
        col = col.combine_chunks()
        valid = _ints(col.is_valid().cast(pa.int32())).astype(bool)
        days = _ints(_pc().fill_null(col.cast(pa.int32()), _scalar(0, pa.int32())))
        return days.astype(np.int64), valid
    _, cols = columns_of(data, [name])
    days = [None if d is None else d.toordinal() - _EPOCH_ORDINAL for d in _days(cols[name])]
    valid = np.array([d is not None for d in days], dtype=bool)
    return np.array([0 if d is None else d for d in days], dtype=np.int64), valid


def _ranks(values: Any) -> Any:
    """The sort rank of each of a string array's (distinct) values, by code point."""
    import numpy as np

    order = _ints(_pc().sort_indices(values)).astype(np.int64)
    ranks = np.empty(len(values), dtype=np.int64)
    ranks[order] = np.arange(len(values))
    return ranks


def _first_of(*cols: Any) -> Any:
    """The positions where each combination of the (integer) ``cols`` first occurs, in
    order."""
    import numpy as np

    n = len(cols[0])
    if not n:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort(cols[::-1])  # stable: within a combination, positions ascending
    new = np.zeros(n, dtype=bool)
    new[0] = True
    for c in cols:
        s = c[order]
        new[1:] |= s[1:] != s[:-1]
    return np.sort(order[new])


def _unique_link(by: Any, to: Any, size: int) -> Any:
    """Per ``by`` code (of ``size``), the one ``to`` code seen beside it, else -1."""
    import numpy as np

    link = np.full(size, -1, dtype=np.int64)
    both = (by >= 0) & (to >= 0)
    if not both.any():
        return link
    width = int(to.max()) + 1
    pairs = np.unique(by[both] * width + to[both])
    b, t = pairs // width, pairs % width
    once = np.bincount(b, minlength=size) == 1
    link[b[once[b]]] = t[once[b]]
    return link


# -- identity ------------------------------------------------------------------------------

@dataclass
class _Members:
    """Team rows as codes: normalised ``code``, ``cert``, ``name_n``, ``person`` and the
    member ``key`` (-1: none), their distinct values, and the raw text columns."""

    raw: dict[str, Any]
    code: Any
    cert: Any
    name_n: Any
    person: Any
    linked_code: Any
    linked_cert: Any
    key: Any
    values: dict[str, Any]


def _members(team: Any) -> _Members:
    import numpy as np

    t = _strings(team, TEAM_COLUMNS)
    code, codes = _normalised(t["member_code"], _k_code)
    cert, certs = _normalised(t["cert_no"], _k_code)
    name_n, names = _normalised(t["name"], _k_text)
    phone, phones = _normalised(t["phone"], _k_phone)
    has = (name_n >= 0) & (phone >= 0)
    person = np.full(len(name_n), -1, dtype=np.int64)
    persons = np.zeros(0, dtype=np.int64)
    if has.any():
        persons, person[has] = np.unique(name_n[has] * (len(phones) + 1) + phone[has],
                                         return_inverse=True)
    cert_code = _unique_link(cert, code, len(certs))
    person_code = _unique_link(person, code, len(persons))
    person_cert = _unique_link(person, cert, len(persons))
    c = code.copy()
    gap = (c < 0) & (cert >= 0)
    c[gap] = cert_code[cert[gap]]
    gap = (c < 0) & (person >= 0)
    c[gap] = person_code[person[gap]]
    ce = cert.copy()
    gap = (ce < 0) & (person >= 0)
    ce[gap] = person_cert[person[gap]]
    key = np.where(c >= 0, c, np.where(ce >= 0, len(codes) + ce,
                                       np.where(person >= 0, len(codes) + len(certs) + person,
                                                -1)))
    return _Members(t, code, cert, name_n, person, c, ce, key,
                    {"code": codes, "cert": certs, "name_n": names, "phone": phones,
                     "persons": persons})


def _labels(raw: dict[str, Any], rows: Any) -> list[str | None]:
    """The labels of team ``rows``: name (member code, else certificate number, else
    phone)."""
    out = []
    for name, *shown in zip(*(_take(raw[c], rows) for c in ("name", "member_code", "cert_no",
                                                           "phone"))):
        s = next((v for v in shown if v is not None), None)
        out.append(name if s is None else f"{'?' if name is None else name} ({s})")
    return out


def member_keys(team: Any) -> Columns:
    """The team columns with normalised ``code``, ``cert``, ``person`` (name|phone),
    ``name_n`` and the member ``key`` (``code:…``, ``cert:…``, ``person:…``; None when the
    row says too little to tell who it is) and its ``label``."""
    import numpy as np

    m = _members(team)
    t = {c: m.raw[c].to_pylist() for c in TEAM_COLUMNS}
    v = {k: a.to_pylist() for k, a in m.values.items() if k != "persons"}
    names, phones = v["name_n"], v["phone"]
    persons = [f"{names[p // (len(phones) + 1)]}|{phones[p % (len(phones) + 1)]}"
               for p in m.values["persons"].tolist()]

    def of(codes: Any, values: list) -> list:
        return [None if i < 0 else values[i] for i in codes.tolist()]

    keys = [f"code:{c}" if c is not None else f"cert:{ce}" if ce is not None
            else f"person:{p}" if p is not None else None
            for c, ce, p in zip(of(m.linked_code, v["code"]), of(m.linked_cert, v["cert"]),
                                of(m.person, persons))]
    return {**t, "code": of(m.code, v["code"]), "cert": of(m.cert, v["cert"]),
            "name_n": of(m.name_n, v["name_n"]), "person": of(m.person, persons),
            "key": keys, "label": _labels(m.raw, np.arange(len(keys)))}


# -- the checks ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Archive:
    """The archive tables computed from the warehouse: rows of ``archive_checks`` and of
    ``organisations`` (dicts with exactly the tables' columns)."""

    findings: list[Row]
    organisations: list[Row]


@dataclass
class _Reports:
    """Report rows as arrays: raw text columns, organisation key and id codes, first and
    last day, the normalised project number (body|number) codes, and where each report
    id's rows are."""

    raw: dict[str, Any]
    org_key: Any
    org_keys: Any
    org_id: Any
    org_ids: Any
    start: Any
    end: Any
    dated: Any
    project: Any
    rid: Any  # each row's report-id code (a missing id has a code of its own)
    rid_ranks: Any  # report-id code -> its rank in report-id order
    by_id: Any  # the rows ordered by report-id code (then row)
    count: Any  # report-id code -> its rows in by_id
    offset: Any  # report-id code -> where they start in by_id

    def rows(self, ids: Any, keep_missing: bool = False) -> tuple[Any, Any]:
        """(item, report row) for each item's report-id code and each report row with that
        id, in row order; an id without a report row gives one row -1 when
        ``keep_missing``."""
        import numpy as np

        n = self.count[ids]
        k = np.maximum(n, 1) if keep_missing else n
        item = np.repeat(np.arange(len(ids)), k)
        local = np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k)
        if not len(self.by_id):
            return item, np.full(len(item), -1, dtype=np.int64)
        row = self.by_id[np.minimum(self.offset[ids][item] + local, len(self.by_id) - 1)]
        return item, np.where(local < n[item], row, -1)

    def first_row(self, ids: Any) -> Any:
        """The first report row of each report-id code in ``ids`` (-1: none)."""
        import numpy as np

        if not len(self.by_id):
            return np.full(len(ids), -1, dtype=np.int64)
        return np.where(self.count[ids] > 0,
                        self.by_id[np.minimum(self.offset[ids], len(self.by_id) - 1)], -1)

    def dates(self, rows: Any) -> list[str | None]:
        out = []
        for j, s, e in zip(rows.tolist(), self.start[rows].tolist(), self.end[rows].tolist()):
            if j < 0 or not self.dated[j]:
                out.append(None)
                continue
            first = date.fromordinal(s + _EPOCH_ORDINAL).isoformat()
            out.append(first if e == s else
                       f"{first}/{date.fromordinal(e + _EPOCH_ORDINAL).isoformat()}")
        return out


def _reports(reports: Any, team_ids: Any) -> tuple[_Reports, Any]:
    """The reports as :class:`_Reports`, and the report-id code of each of ``team_ids``."""
    import numpy as np
    import pyarrow as pa

    raw = _strings(reports, [c for c in REPORT_COLUMNS if c not in ("audit_start", "audit_end")])
    key, keys = _normalised(raw["org_name"], _k_org)
    ids = [None if k is None else org_hash(k) for k in keys.to_pylist()]
    id_of_key, org_id_values = _encode(arrow_array(ids, pa.string()))
    org_id = np.where(key >= 0, id_of_key[np.maximum(key, 0)] if len(ids) else -1, -1)
    start, dated = _day_numbers(reports, "audit_start")
    end, has_end = _day_numbers(reports, "audit_end")
    end = np.where(has_end & (end >= start), end, start)
    body, bodies = _normalised(raw["cert_body"], _k_text)
    number, numbers = _normalised(raw["project_no"], _k_code)
    project = np.full(len(number), -1, dtype=np.int64)
    if (number >= 0).any():
        # the key text body|number (a body with '|' in it stays apart from a number's)
        b = np.where(body >= 0, body, len(bodies))
        body_text = pa.concat_arrays([bodies.cast(pa.string()), arrow_array([""], pa.string())])
        has = number >= 0
        texts = _pc().binary_join_element_wise(
            body_text.take(_indices(b[has])), numbers.take(_indices(number[has])),
            _scalar("|", pa.string()))
        project[has] = _encode(texts)[0]
    n = len(start)
    rid, rid_values = _encode(pa.concat_arrays([raw["report_id"], team_ids]))
    rid = np.where(rid >= 0, rid, len(rid_values))  # a missing id matches a missing id
    by_id = np.argsort(rid[:n], kind="stable")
    count = np.bincount(rid[:n], minlength=len(rid_values) + 1)
    offset = np.concatenate(([0], np.cumsum(count)[:-1]))
    ranks = np.concatenate((_ranks(rid_values), [len(rid_values)]))
    return _Reports(raw, key, keys, org_id, org_id_values, start, end, dated, project, rid[:n],
                    ranks, by_id, count, offset), rid[n:]


def _finding(this: Row, other: Row, check: str, target: str | None, value: str | None,
             other_value: str | None, message: str | None) -> Row:
    return {"report_id": this["report_id"], "check_name": check, "severity": SEVERITY[check],
            "target": target, "value": value, "other_report_id": other["report_id"],
            "other_source_path": other["source_path"], "other_value": other_value,
            "message": message}


def _org(r: Row) -> str:
    return "(organisation not read)" if r["org_name"] is None else r["org_name"]


def _path(r: Row) -> str:
    return "?" if r["source_path"] is None else r["source_path"]


def auditor_overlaps(members: _Members, team_rid: Any, reports: _Reports) -> list[Row]:
    """``auditor_overlap`` findings: one member, two organisations, overlapping dates."""
    import numpy as np

    key = members.key
    firsts = _first_of(team_rid, key)
    firsts = firsts[key[firsts] >= 0]
    item, j = reports.rows(team_rid[firsts])
    comparable = (j >= 0)
    comparable[comparable] &= (reports.org_id[j[comparable]] >= 0) & reports.dated[j[comparable]]
    ti, rj = firsts[item[comparable]], j[comparable]
    if not len(ti):
        return []
    _, first_pos, inverse = np.unique(key[ti], return_index=True, return_inverse=True)
    rank = np.empty(len(first_pos), dtype=np.int64)
    rank[np.argsort(first_pos, kind="stable")] = np.arange(len(first_pos))
    g = rank[inverse.reshape(-1)]
    s, e = reports.start[rj], reports.end[rj]
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
    a, b = order[first], order[second]
    differ = reports.org_id[rj[a]] != reports.org_id[rj[b]]
    a, b = a[differ], b[differ]
    if not len(a):
        return []
    # a report's dates and names are those of its first row (as a lookup by id)
    fa, fb = reports.first_row(team_rid[ti[a]]), reports.first_row(team_rid[ti[b]])

    def info(rows: Any) -> list[Row]:
        cols = [_take(reports.raw[c], rows) for c in ("report_id", "source_path", "org_name")]
        return [{"report_id": r, "source_path": p, "org_name": o, "dates": d}
                for r, p, o, d in zip(*cols, reports.dates(rows))]

    ra, rb = info(fa), info(fb)
    targets = _labels(members.raw, ti[a])  # the first report's label, on both
    out: list[Row] = []
    for flip in (False, True):
        for x, y, target in zip(ra, rb, targets):
            this, other = (y, x) if flip else (x, y)
            value, other_value = this["dates"], other["dates"]
            message = _cat(target, " is on the audit team of ", _org(this), " (", value,
                           ") and of ", _org(other), " (", other_value, ", report ",
                           other["report_id"], ", ", _path(other), "): overlapping audit dates")
            out.append(_finding(this, other, AUDITOR_OVERLAP, target, value, other_value,
                                message))
    return out


def _shared(by: Any, part: Any, rid: Any, reports: _Reports) -> tuple[Any, Any, Any, Any]:
    """Rows whose ``by`` code comes with several ``part`` codes, each paired with, for each
    other ``part`` value, the first report (by audit date, then report id) that has it:
    (row, its report row, other row, its report row), report rows -1 when the id has none.
    Each row stands once per report row of its id, in that order."""
    import numpy as np

    empty = (np.zeros(0, dtype=np.int64),) * 4
    valid = (by >= 0) & (part >= 0)
    if not valid.any():
        return empty
    width = int(part.max()) + 1
    pairs = np.unique(by[valid] * width + part[valid])
    many = np.bincount(pairs // width, minlength=int(by.max()) + 1) > 1
    kept = np.flatnonzero(valid & many[np.maximum(by, 0)])
    if not len(kept):
        return empty
    kept = kept[_first_of(rid[kept], by[kept], part[kept])]
    item, rep = reports.rows(rid[kept], keep_missing=True)
    src = kept[item]
    has = rep >= 0
    dated = np.zeros(len(rep), dtype=bool)
    dated[has] = reports.dated[rep[has]]
    day = np.zeros(len(rep), dtype=np.int64)
    day[dated] = reports.start[rep[dated]]
    order = np.lexsort((reports.rid_ranks[rid[src]], day, ~dated))
    src, rep = src[order], rep[order]
    b, p = by[src], part[src]
    firsts = _first_of(b, p)
    firsts = firsts[np.argsort(b[firsts], kind="stable")]
    fb = b[firsts]
    left, right = np.searchsorted(fb, b, "left"), np.searchsorted(fb, b, "right")
    n = right - left
    row = np.repeat(np.arange(len(src)), n)
    other = firsts[left[row] + np.arange(int(n.sum())) - np.repeat(np.cumsum(n) - n, n)]
    keep = p[row] != p[other]
    row, other = row[keep], other[keep]
    return src[row], rep[row], src[other], rep[other]


def _rows(raw: dict[str, Any], names: Sequence[str], rows: Any, reports: _Reports,
          rep: Any) -> list[Row]:
    """Dicts of ``names`` from ``raw`` at ``rows``, each with the source path of report
    row ``rep``."""
    cols = [_take(raw[c], rows) for c in names] + [_take(reports.raw["source_path"], rep)]
    return [dict(zip((*names, "source_path"), v)) for v in zip(*cols)]


def cert_conflicts(members: _Members, team_rid: Any, reports: _Reports) -> list[Row]:
    """``cert_no_conflict`` findings: a certificate number under two names, a member code
    with two certificate numbers."""
    out: list[Row] = []
    raw = members.raw
    names = ("report_id", "cert_no", "name")
    t, tr, o, orow = _shared(members.cert, members.name_n, team_rid, reports)
    for this, other in zip(_rows(raw, names, t, reports, tr), _rows(raw, names, o, reports, orow)):
        out.append(_finding(this, other, CERT_NO_CONFLICT, this["cert_no"], this["name"],
                            other["name"], _cat(
                                "certificate number ", this["cert_no"], " stands under ",
                                this["name"], " here and under ", other["name"], " in report ",
                                other["report_id"], " (", _path(other), ")")))
    names = ("report_id", "member_code", "cert_no")
    t, tr, o, orow = _shared(members.code, members.cert, team_rid, reports)
    for this, other in zip(_rows(raw, names, t, reports, tr), _rows(raw, names, o, reports, orow)):
        out.append(_finding(this, other, CERT_NO_CONFLICT, this["member_code"],
                            this["cert_no"], other["cert_no"], _cat(
                                "member code ", this["member_code"], " has certificate number ",
                                this["cert_no"], " here and ", other["cert_no"], " in report ",
                                other["report_id"], " (", _path(other), ")")))
    return out


def project_conflicts(reports: _Reports) -> list[Row]:
    """``project_no_conflict`` findings: one project number, two organisations."""
    names = ("report_id", "project_no", "org_name", "cert_body")
    t, tr, o, orow = _shared(reports.project, reports.org_id, reports.rid, reports)
    out: list[Row] = []
    for this, other in zip(_rows(reports.raw, names, t, reports, tr),
                           _rows(reports.raw, names, o, reports, orow)):
        body = "(body not read)" if this["cert_body"] is None else this["cert_body"]
        out.append(_finding(this, other, PROJECT_NO_CONFLICT, this["project_no"],
                            this["org_name"], other["org_name"], _cat(
                                "project number ", this["project_no"], " of ", body,
                                " is on reports of ", this["org_name"], " (here) and of ",
                                other["org_name"], " (report ", other["report_id"], ", ",
                                _path(other), ")")))
    return out


# -- organisations -------------------------------------------------------------------------

def organisations(reports: _Reports) -> list[Row]:
    """One row per organisation (see ``organisations`` in tables.yaml), by org_id; its
    lists in the order of its reports by audit date (then report id). Sorted, grouped and
    joined in numpy and Arrow: at 100,000 reports a Python pass per report costs more than
    all of that."""
    import numpy as np
    import pyarrow as pa

    pc = _pc()
    rows = np.flatnonzero(reports.org_id >= 0)
    if not len(rows):
        return []
    org = reports.org_id[rows]
    dated = reports.dated[rows]
    order = np.lexsort((reports.rid_ranks[reports.rid[rows]], reports.start[rows], ~dated,
                        _ranks(reports.org_ids)[org]))
    rows, org, dated = rows[order], org[order], dated[order]
    starts = np.flatnonzero(np.concatenate(([True], org[1:] != org[:-1])))
    sizes = np.diff(np.append(starts, len(rows)))
    n_dated = np.add.reduceat(dated.astype(np.int64), starts)
    # within an organisation the dated reports come first, by day
    first = reports.start[rows[starts]]
    last = reports.start[rows[starts + np.maximum(n_dated - 1, 0)]]
    days = {d: date.fromordinal(d + _EPOCH_ORDINAL)
            for d in set(first.tolist()) | set(last.tolist())}
    columns: dict[str, list] = {
        "org_id": _take(reports.org_ids, org[starts]),
        "name": _take(reports.org_keys, reports.org_key[rows[starts]]),
        "reports": sizes.tolist(),
        "first_audit": [days[d] if k else None for d, k in zip(first.tolist(), n_dated.tolist())],
        "last_audit": [days[d] if k else None for d, k in zip(last.tolist(), n_dated.tolist())]}
    group = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    separator = _scalar(LIST_SEPARATOR, pa.string())
    for col, src in (("names_seen", "org_name"), ("registered_addresses", "registered_address"),
                     ("audit_addresses", "audit_address"), ("project_nos", "project_no")):
        codes, dictionary = _encode(reports.raw[src])
        codes = codes[rows]
        present = np.flatnonzero(codes >= 0)
        # each organisation's distinct values, in the order they first come
        pair = group[present] * (len(dictionary) + 1) + codes[present]
        firsts = np.sort(present[np.unique(pair, return_index=True)[1]])
        values = dictionary.take(_indices(codes[firsts]))
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
    members = _members(team)
    r, team_rid = _reports(reports, members.raw["report_id"])
    found = (auditor_overlaps(members, team_rid, r) + cert_conflicts(members, team_rid, r)
             + project_conflicts(r))
    found.sort(key=_sort_key)
    return Archive(found, organisations(r))
