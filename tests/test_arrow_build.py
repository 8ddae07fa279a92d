"""Arrow columns built from Python values without pyarrow's pandas shim are exactly what
``pa.array`` makes, for every column type of tables.yaml; other inputs go to ``pa.array``."""
from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pyarrow as pa
import pytest

from certreport.arrow_build import array, table
from certreport.schemas.tables import ALL_TABLE_NAMES, schema
from fresh_process import imports_pandas

TZ8 = timezone(timedelta(hours=8))


def _values(t: pa.DataType, rng: random.Random, n: int) -> list:
    def one():
        if rng.random() < 0.2:
            return None
        if pa.types.is_string(t):
            return rng.choice(["", "ISC-710001", "广州博雅（集团）有限公司", "a\u0000b", "\U0001F600"])
        if pa.types.is_boolean(t):
            return rng.random() < 0.5
        if pa.types.is_integer(t):
            return rng.randrange(-2 ** 31, 2 ** 31)
        if pa.types.is_floating(t):
            return rng.choice([rng.uniform(-1e9, 1e9), 0.1, -0.0, float("inf"), 3])
        if pa.types.is_date32(t):
            return date(1900, 1, 1) + timedelta(days=rng.randrange(80000))
        if pa.types.is_timestamp(t):
            d = datetime(1960, 1, 1) + timedelta(microseconds=rng.randrange(10 ** 17))
            return rng.choice([d, d.replace(tzinfo=timezone.utc), d.replace(tzinfo=TZ8)])
        return [rng.choice(["x", "中", None, ""]) for _ in range(rng.randrange(4))]
    return [one() for _ in range(n)]


@pytest.mark.parametrize("name", ALL_TABLE_NAMES)
def test_tables_equal_pyarrows_conversion(name):
    rng = random.Random(name)
    sch = schema(name)
    for n in (0, 1, 7, 64, 200):
        cols = {f.name: _values(f.type, rng, n) for f in sch}
        rows = [{k: v[i] for k, v in cols.items()} for i in range(n)]
        ours = table(rows, sch)
        ours.validate(full=True)
        assert ours.equals(pa.Table.from_pydict(cols, schema=sch)), (name, n)
        assert ours.schema.equals(sch, check_metadata=True)


@pytest.mark.parametrize("values,t", [
    ([1, True], pa.int64()),          # a bool in an int column: pyarrow's rule
    ([2 ** 40], pa.int32()),          # out of range: pyarrow's error
    ([2 ** 60], pa.float64()),
    (["a", 1], pa.string()),
    ([datetime(2020, 1, 1)], pa.date32()),
    (["\ud800"], pa.string()),        # a lone surrogate
])
def test_other_values_go_to_pyarrow(values, t):
    try:
        want = pa.array(values, type=t)
    except (pa.ArrowException, TypeError, ValueError, OverflowError) as exc:
        with pytest.raises(type(exc)):
            array(values, t)
    else:
        assert array(values, t).equals(want)


def test_building_a_table_does_not_import_pandas():
    code = ("from certreport.arrow_build import table; "
            "from certreport.schemas.tables import schema; "
            "from datetime import datetime, timezone; "
            "t = table([{'report_id': 'r', 'imported_at': datetime.now(timezone.utc), "
            "'problems': ['x'], 'source_size': 3}], schema('reports')); "
            "assert t.num_rows == 1")
    assert not imports_pandas(code)
