"""The warehouse for spreadsheet users: CSV files (UTF-8 with BOM) or one Excel workbook.

* :func:`export_csv` writes ``<table>.csv`` for every table into a folder. The byte-order
  mark makes Excel read the Chinese text as UTF-8; dates are ``YYYY-MM-DD``, timestamps
  ``YYYY-MM-DD HH:MM:SS[.ffffff]`` in UTC, booleans ``TRUE``/``FALSE``, nulls empty cells, lists one item a line.
* :func:`export_xlsx` writes one workbook with a sheet per table (openpyxl, streaming):
  numbers as numbers, dates and timestamps as Excel dates (timestamps in UTC, to the
  millisecond as Excel keeps them), text always as text (a clause text starting with ``=``
  is never a formula; control characters that Excel refuses are dropped).

Both add ``columns`` (a CSV file or the last sheet) naming every column's type and meaning,
from ``schemas/tables.yaml``. The workbook also holds the findings sheet of
``certreport check --format xlsx`` (:func:`certreport.findings_report.findings_sheet`: one
row per finding with its organisation, body, project, a link to the file at its page, the
stated and recomputed values and the message, reviews applied; Chinese unless
``lang="en"``). The ``reviews`` table is exported beside the imported ones.
"""
from __future__ import annotations

import csv
import math
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Iterable

import pyarrow as pa

from certreport.store import Warehouse
from certreport.schemas.tables import REVIEW_TABLE, WAREHOUSE_TABLES, table_specs

EXCEL_MAX_ROWS = 1_048_576
DOC_NAME = "columns"
FORMATS = ("csv", "xlsx")


class ExportError(ValueError):
    """The warehouse cannot be written in the asked format (e.g. too many rows for Excel)."""


def _utc_naive(v: datetime) -> datetime:
    return v.astimezone(timezone.utc).replace(tzinfo=None) if v.tzinfo else v


def csv_value(v: Any) -> str:
    """One value as CSV text (see the module doc)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, datetime):
        return _utc_naive(v).isoformat(sep=" ")
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (list, tuple)):
        return "\n".join(csv_value(x) for x in v)
    return str(v)


def _doc_rows() -> list[list[str]]:
    rows = [["table", "column", "type", "meaning"]]
    for name, spec in table_specs().items():
        rows.append([name, "", "", spec.doc])
        rows += [[name, c.name, c.type, c.doc] for c in spec.columns]
    return rows


def _tables(warehouse: str | Path | Warehouse) -> Iterable[tuple[str, pa.Table]]:
    wh = _wh(warehouse)
    for name in WAREHOUSE_TABLES:
        yield name, wh.read_reviews() if name == REVIEW_TABLE else wh.read(name)


def _wh(warehouse: str | Path | Warehouse) -> Warehouse:
    return warehouse if isinstance(warehouse, Warehouse) else Warehouse(warehouse)


def export_csv(warehouse: str | Path | Warehouse, out_dir: str | Path) -> list[Path]:
    """Write ``<table>.csv`` (UTF-8 with BOM) per table and ``columns.csv`` into ``out_dir``;
    returns the files written."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, t in _tables(warehouse):
        path = out_dir / f"{name}.csv"
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(t.column_names)
            for batch in t.to_batches(max_chunksize=10_000):
                cols = [c.to_pylist() for c in batch.columns]
                w.writerows([csv_value(v) for v in row] for row in zip(*cols))
        written.append(path)
    doc = out_dir / f"{DOC_NAME}.csv"
    with open(doc, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(_doc_rows())
    return written + [doc]


def export_xlsx(warehouse: str | Path | Warehouse, out_path: str | Path,
                lang: str | None = None) -> Path:
    """Write one workbook: the findings sheet, a sheet per table (header row frozen,
    autofilter on) and a ``columns`` sheet; returns its path."""
    from certreport.findings_report import findings_sheet, reviewed_findings
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    tables = list(_tables(warehouse))
    for name, t in tables:
        if t.num_rows + 1 > EXCEL_MAX_ROWS:
            raise ExportError(f"table {name} has {t.num_rows} rows, more than an Excel sheet "
                              f"holds ({EXCEL_MAX_ROWS - 1}); export --to csv instead")
    wb = Workbook(write_only=True)
    bold = Font(bold=True)

    def cell(ws: Any, v: Any) -> Any:
        if isinstance(v, (list, tuple)):  # a list column: one line per item
            v = "\n".join("" if x is None else str(x) for x in v)
        if isinstance(v, datetime):
            c = WriteOnlyCell(ws, value=_utc_naive(v))
            c.number_format = "yyyy-mm-dd hh:mm:ss"
        elif isinstance(v, date):
            c = WriteOnlyCell(ws, value=v)
            c.number_format = "yyyy-mm-dd"
        elif isinstance(v, str):
            c = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", v))
            c.data_type = "s"  # never a formula, whatever the text starts with
        elif isinstance(v, float) and math.isnan(v):
            c = WriteOnlyCell(ws, value=None)
        else:
            c = WriteOnlyCell(ws, value=v)
        return c

    def sheet(title: str, header: list[str], rows: Iterable[Iterable[Any]],
              widths: list[int]) -> None:
        ws = wb.create_sheet(title)
        ws.freeze_panes = "A2"
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        n = 0
        heads = []
        for h in header:
            c = WriteOnlyCell(ws, value=h)
            c.font = bold
            heads.append(c)
        ws.append(heads)
        for row in rows:
            ws.append([cell(ws, v) for v in row])
            n += 1
        if header:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{n + 1}"

    findings_sheet(wb, reviewed_findings(_wh(warehouse)), lang, cell)
    for name, t in tables:
        cols = [t.column(i).to_pylist() for i in range(t.num_columns)]
        widths = [max(8, min(40, len(c) + 2)) for c in t.column_names]
        sheet(name, t.column_names, zip(*cols), widths)
    doc = _doc_rows()
    sheet(DOC_NAME, doc[0], doc[1:], [12, 20, 10, 80])
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out_path)
    return out_path


def export(warehouse: str | Path | Warehouse, to: str, out: str | Path,
           lang: str | None = None) -> list[Path]:
    """Export in one of :data:`FORMATS` to ``out`` (a folder for csv, a file for xlsx)."""
    if to == "csv":
        return export_csv(warehouse, out)
    if to == "xlsx":
        return [export_xlsx(warehouse, out, lang)]
    raise ValueError(f"format {to!r}: expected one of {', '.join(FORMATS)}")


def default_out(warehouse: str | Path, to: str) -> Path:
    """``warehouse-csv/`` or ``warehouse.xlsx`` beside the warehouse folder."""
    w = Path(warehouse).resolve()
    return w.with_name(f"{w.name}-csv") if to == "csv" else w.with_name(f"{w.name}.xlsx")
