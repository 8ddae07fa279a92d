"""Arrow schemas of the output tables, built from ``schemas/tables.yaml`` (pyarrow and
the YAML are loaded on first use: naming the tables costs nothing)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

TABLES_PATH = Path(__file__).with_name("tables.yaml")
# tables of one report's rows (keyed by report_id, written with its batch)
TABLE_NAMES = ("reports", "clauses", "sections", "team", "checks", "locations", "pages")
# tables recomputed over the whole warehouse after an import or removal, rewritten whole
ARCHIVE_TABLE_NAMES = ("archive_checks", "organisations")
ALL_TABLE_NAMES = TABLE_NAMES + ARCHIVE_TABLE_NAMES
# reviewers' decisions: one file that no import touches (Warehouse.add_reviews)
REVIEW_TABLE = "reviews"
WAREHOUSE_TABLES = ALL_TABLE_NAMES + (REVIEW_TABLE,)  # every table of a warehouse
KINDS = {**{n: "report" for n in TABLE_NAMES}, **{n: "archive" for n in ARCHIVE_TABLE_NAMES},
         REVIEW_TABLE: "review"}
TYPES = ("string", "bool", "int32", "int64", "float64", "date32", "timestamp", "list<string>")


@lru_cache(maxsize=1)
def _arrow_types() -> dict[str, "pa.DataType"]:
    import pyarrow as pa

    return {"string": pa.string(), "bool": pa.bool_(), "int32": pa.int32(),
            "int64": pa.int64(), "float64": pa.float64(), "date32": pa.date32(),
            "timestamp": pa.timestamp("us", tz="UTC"), "list<string>": pa.list_(pa.string())}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    doc: str


@dataclass(frozen=True)
class TableSpec:
    name: str
    doc: str
    columns: tuple[Column, ...]
    kind: str = "report"  # report | archive (see tables.yaml)

    @property
    def schema(self) -> pa.Schema:
        import pyarrow as pa

        types = _arrow_types()
        return pa.schema([pa.field(c.name, types[c.type], metadata={"doc": c.doc})
                          for c in self.columns], metadata={"doc": self.doc})


@lru_cache(maxsize=1)
def table_specs() -> dict[str, TableSpec]:
    """Every output table's spec, validated (known types, no duplicate columns)."""
    from certreport.schemas import yamlfile

    data = yamlfile.load(TABLES_PATH.read_text(encoding="utf-8"))
    specs = {}
    for name in WAREHOUSE_TABLES:
        if name not in data:
            raise ValueError(f"{TABLES_PATH.name}: table {name!r} missing")
        cols = []
        for entry in data[name]["columns"]:
            col = Column(*entry)
            if col.type not in TYPES:
                raise ValueError(f"{TABLES_PATH.name}: {name}.{col.name}: unknown type {col.type!r}")
            cols.append(col)
        names = [c.name for c in cols]
        if len(set(names)) != len(names):
            raise ValueError(f"{TABLES_PATH.name}: {name}: duplicate column names")
        kind = data[name].get("kind", "report")
        if kind != KINDS[name]:
            raise ValueError(f"{TABLES_PATH.name}: {name}: kind {kind!r}, expected {KINDS[name]!r}")
        specs[name] = TableSpec(name, data[name]["doc"], tuple(cols), kind)
    return specs


@lru_cache(maxsize=None)
def schema(name: str) -> pa.Schema:
    """The Arrow schema of one output table."""
    return table_specs()[name].schema
