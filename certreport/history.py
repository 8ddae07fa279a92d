"""An organisation's audit history from the warehouse (for notebooks and the workbench).

    from certreport.history import organisation_history
    h = organisation_history("warehouse", org_id)
    h.audits[["audit_start", "audit_type", "total", "level", "lost_again"]]
    h.repeated          # clauses lost in more than one audit

Only the organisation's rows are read (a filter on the Parquet files), so a report page
can call it on a large warehouse.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pyarrow as pa
import pyarrow.dataset as ds

from certreport.normalise.history import AUDIT_COLUMNS, CLAUSE_COLUMNS, History, audit_history
from certreport.schemas.tables import schema
from certreport.store import Warehouse


def read_where(wh: Warehouse, table: str, column: str, values: Sequence[str],
               columns: Sequence[str] | None = None) -> pa.Table:
    """The rows of ``table`` whose ``column`` is one of ``values`` (only those are read)."""
    sch = schema(table)
    files = wh.files(table)
    if not files:
        return (sch if columns is None else pa.schema([sch.field(c) for c in columns])).empty_table()
    data = ds.dataset([str(f) for f in files], schema=sch, format="parquet")
    return data.to_table(columns=list(columns) if columns else None,
                         filter=ds.field(column).isin(
                             pa.array(list(values), type=sch.field(column).type)))


def organisation_history(warehouse: str | Path | Warehouse, org_id: str) -> History:
    """The audits of organisation ``org_id`` (``reports.org_id``) in date order with total,
    level and the clauses lost in more than one audit (see
    :class:`certreport.normalise.history.History`); empty frames for an unknown id."""
    wh = warehouse if isinstance(warehouse, Warehouse) else Warehouse(warehouse)
    orgs = read_where(wh, "organisations", "org_id", [org_id]).to_pylist()
    reports = read_where(wh, "reports", "org_id", [org_id], AUDIT_COLUMNS).to_pandas()
    clauses = read_where(wh, "clauses", "report_id", reports["report_id"].tolist(),
                         CLAUSE_COLUMNS).to_pandas()
    return audit_history(reports, clauses, orgs[0] if orgs else None)
