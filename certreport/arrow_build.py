"""Arrow arrays and tables from plain Python values, built from their buffers.

pyarrow's own conversion (``pa.array``, ``Table.from_pydict`` / ``from_pylist``) first asks
its pandas shim whether the values are pandas objects, and that question imports pandas
(0.2–0.4 s) the first time in a process, whether pandas is used or not. An import writes
plain Python values (str, int, float, bool, date, datetime, lists of str, None), so
:func:`array` builds those itself for the column types of ``schemas/tables.yaml`` and hands
anything else (another type, a value out of range) to ``pa.array``: the result is always
what pyarrow would have made (``tests/test_arrow_build.py`` compares the two).
"""
from __future__ import annotations

from array import array as _carray
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate
from typing import TYPE_CHECKING, Any, Mapping, Sequence

if TYPE_CHECKING:
    import pyarrow as pa

_NONE = type(None)
_EPOCH_DAY = date(1970, 1, 1).toordinal()
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_EPOCH_NAIVE = datetime(1970, 1, 1)
_US = timedelta(microseconds=1)
_INT32 = 2 ** 31
_FLOAT_INT = 2 ** 53  # ints a double holds exactly
_OFFSETS_MAX = 2 ** 31 - 1  # a string array's int32 offsets


class _Unexpected(Exception):
    """A value the buffer builders do not take: ``pa.array`` converts the column."""


def array(values: Sequence[Any], type: pa.DataType) -> pa.Array:
    """``pa.array(values, type=type)`` for a list of plain Python values, without pyarrow's
    pandas shim (see the module's docstring); any other input goes to ``pa.array``."""
    import pyarrow as pa

    values = list(values)
    try:
        built = _build(values, type)
    except (_Unexpected, OverflowError, UnicodeEncodeError):
        built = None
    return built if built is not None else pa.array(values, type=type)


def table(rows: Sequence[Mapping[str, Any]], schema: pa.Schema) -> pa.Table:
    """The rows (dicts; a missing key is null) as a table of ``schema``: what
    ``pa.Table.from_pylist(rows, schema=schema)`` makes."""
    import pyarrow as pa

    return pa.Table.from_arrays([array([r.get(f.name) for r in rows], f.type)
                                 for f in schema], schema=schema)


def _build(values: list[Any], t: pa.DataType) -> pa.Array | None:
    import pyarrow as pa

    n = len(values)
    types = list(map(type, values))
    nulls = types.count(_NONE)
    kinds = set(types)
    kinds.discard(_NONE)
    validity = _validity(values) if nulls else None
    if pa.types.is_string(t):
        if not kinds <= {str}:
            raise _Unexpected
        offsets, data = _strings(values)
        return pa.Array.from_buffers(t, n, [validity, offsets, data], null_count=nulls)
    if pa.types.is_int64(t) or pa.types.is_int32(t):
        if not kinds <= {int}:
            raise _Unexpected
        data = _carray("q" if pa.types.is_int64(t) else "i",
                       [0 if v is None else v for v in values])
        return _primitive(t, n, validity, data, nulls)
    if pa.types.is_float64(t):
        if not kinds <= {float, int}:
            raise _Unexpected
        if int in kinds and any(type(v) is int and abs(v) > _FLOAT_INT for v in values):
            raise _Unexpected
        data = _carray("d", [0.0 if v is None else v for v in values])
        return _primitive(t, n, validity, data, nulls)
    if pa.types.is_boolean(t):
        if not kinds <= {bool}:
            raise _Unexpected
        return pa.Array.from_buffers(t, n, [validity, _bits([v is True for v in values])],
                                     null_count=nulls)
    if pa.types.is_date32(t):
        if not kinds <= {date}:
            raise _Unexpected
        data = _carray("i", [0 if v is None else v.toordinal() - _EPOCH_DAY for v in values])
        return _primitive(t, n, validity, data, nulls)
    if pa.types.is_timestamp(t) and t.unit == "us" and t.tz is not None:
        if not kinds <= {datetime}:
            raise _Unexpected
        data = _carray("q", [0 if v is None else
                             (v - (_EPOCH_NAIVE if v.tzinfo is None else _EPOCH)) // _US
                             for v in values])
        return _primitive(t, n, validity, data, nulls)
    if pa.types.is_list(t) and pa.types.is_string(t.value_type):
        if not kinds <= {list}:
            raise _Unexpected
        items = [s for v in values if v is not None for s in v]
        child = _build(items, t.value_type)
        counts = accumulate((0 if v is None else len(v) for v in values), initial=0)
        offsets = _carray("i", counts)
        if offsets[-1] > _OFFSETS_MAX:
            raise _Unexpected
        return pa.Array.from_buffers(t, n, [validity, pa.py_buffer(offsets)],
                                     null_count=nulls, children=[child])
    return None


def _primitive(t: pa.DataType, n: int, validity: pa.Buffer | None, data: _carray,
               nulls: int) -> pa.Array:
    import pyarrow as pa

    return pa.Array.from_buffers(t, n, [validity, pa.py_buffer(data)], null_count=nulls)


def _strings(values: list[str | None]) -> tuple[pa.Buffer, pa.Buffer]:
    import pyarrow as pa

    encoded = [b"" if v is None else v.encode("utf-8") for v in values]
    offsets = _carray("i", accumulate(map(len, encoded), initial=0))
    if offsets[-1] > _OFFSETS_MAX:
        raise _Unexpected
    return pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))


def _validity(values: list[Any]) -> pa.Buffer:
    return _bits([v is not None for v in values])


def _bits(flags: list[bool]) -> pa.Buffer:
    """An Arrow bitmap (least significant bit first) of ``flags``."""
    import pyarrow as pa

    n = len(flags)
    word = int("".join("1" if f else "0" for f in reversed(flags)) or "0", 2)
    return pa.py_buffer(word.to_bytes((n + 7) // 8 or 1, "little"))
