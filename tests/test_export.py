"""``certreport export --to csv|xlsx``: read back with pandas and openpyxl, every table equals
its Parquet dataset (values and row counts), dates are dates, Chinese text is intact."""
from __future__ import annotations

import csv
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from certreport import export as exporting
from certreport.cli import app
from certreport.store import Warehouse
from certreport.schemas.tables import ALL_TABLE_NAMES, WAREHOUSE_TABLES, schema, table_specs
from tests.conftest import REAL_REPORT, SAMPLES

runner = CliRunner()
ORG = "新疆鹏森科技股份有限公司"


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> Path:
    wh = tmp_path_factory.mktemp("export") / "warehouse"
    # the sample files themselves (not the subfolders of other formats' fixtures)
    files = sorted(p for p in SAMPLES.iterdir() if p.is_file() and p.suffix != ".json")
    res = invoke("import", *files, "--out", wh)
    assert res.exit_code == 0, res.output
    return wh


def parquet_rows(wh: Path, table: str) -> list[dict]:
    return Warehouse(wh).read(table).to_pylist()


def _utc_naive(v):
    return v.astimezone(timezone.utc).replace(tzinfo=None) if isinstance(v, datetime) else v


def from_csv(text: str, typ: pa.DataType):
    """A CSV cell back to the Arrow column's Python value."""
    if text == "":
        return None
    if pa.types.is_boolean(typ):
        return {"TRUE": True, "FALSE": False}[text]
    if pa.types.is_integer(typ):
        return int(text)
    if pa.types.is_floating(typ):
        return float(text)
    if pa.types.is_date(typ):
        return date.fromisoformat(text)
    if pa.types.is_timestamp(typ):
        return datetime.fromisoformat(text)
    return text


def from_xlsx(v, typ: pa.DataType):
    """An openpyxl cell value back to the Arrow column's Python value."""
    if v is None:
        return None
    if pa.types.is_date(typ):
        assert isinstance(v, datetime) and v.time() == datetime.min.time(), v
        return v.date()
    if pa.types.is_floating(typ):
        return float(v)
    if pa.types.is_timestamp(typ):
        return Near(v)
    return v


class Near:
    """A timestamp equal to another within a millisecond (what Excel keeps)."""

    def __init__(self, v: datetime) -> None:
        self.v = v

    def __eq__(self, other) -> bool:
        return isinstance(other, Near) and abs(self.v - other.v) <= timedelta(milliseconds=1)

    def __repr__(self) -> str:
        return f"Near({self.v!r})"


def xlsx_expected(row: dict) -> dict:
    return {k: Near(_utc_naive(v)) if isinstance(v, datetime) else v for k, v in row.items()}


def test_csv_round_trip(warehouse, tmp_path):
    out = tmp_path / "csv"
    res = invoke("export", warehouse, "--to", "csv", "--out", out)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{t}.csv" for t in WAREHOUSE_TABLES] + ["columns.csv"])
    for table in ALL_TABLE_NAMES:
        raw = (out / f"{table}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), table  # Excel reads UTF-8 by the BOM
        sch = schema(table)
        with open(out / f"{table}.csv", encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == sch.names
        got = [{f.name: from_csv(v, f.type) for f, v in zip(sch, row)} for row in rows[1:]]
        want = [{k: _utc_naive(v) for k, v in r.items()} for r in parquet_rows(warehouse, table)]
        assert len(got) == len(want), table
        assert got == want, table
    # pandas reads it with the BOM taken off the first header and the Chinese intact
    reports = pd.read_csv(out / "reports.csv", encoding="utf-8-sig", parse_dates=["audit_start"])
    assert reports.columns[0] == "report_id" and ORG in set(reports["org_name"])
    assert len(reports) == len(pd.read_parquet(warehouse / "reports"))
    assert str(reports["audit_start"].dtype).startswith("datetime64")


def test_xlsx_round_trip(warehouse, tmp_path):
    out = tmp_path / "wh.xlsx"
    res = invoke("export", warehouse, "--to", "xlsx", "--out", out)
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["问题清单"] + list(WAREHOUSE_TABLES) + ["columns"]
    for table in ALL_TABLE_NAMES:
        ws, sch = wb[table], schema(table)
        rows = list(ws.iter_rows(values_only=True))
        assert list(rows[0]) == sch.names
        got = [{f.name: from_xlsx(v, f.type) for f, v in zip(sch, row)} for row in rows[1:]]
        want = [xlsx_expected(r) for r in parquet_rows(warehouse, table)]
        assert len(got) == len(want), table
        assert got == want, table
        assert ws.freeze_panes == "A2"
    # dates are Excel dates with a date format, text is text
    ws = wb["reports"]
    col = {c.value: c.column for c in ws[1]}
    cell = ws.cell(row=2, column=col["audit_start"])
    assert cell.is_date and cell.number_format == "yyyy-mm-dd"
    assert ws.cell(row=2, column=col["imported_at"]).is_date
    assert ORG in {ws.cell(row=r, column=col["org_name"]).value for r in range(2, ws.max_row + 1)}
    # pandas reads every sheet back with the same row counts
    sheets = pd.read_excel(out, sheet_name=None)
    for table in ALL_TABLE_NAMES:
        assert len(sheets[table]) == len(pd.read_parquet(warehouse / table)), table
    assert str(sheets["reports"]["audit_start"].dtype).startswith("datetime64")
    # the findings sheet of `check --format xlsx` comes first (no findings here: headers only)
    assert [c.value for c in wb["问题清单"][1]][:8] == [
        "受审查方", "认证机构", "项目编号", "文件", "页", "所写值", "复核值", "说明"]
    # the columns sheet documents every column
    doc = sheets["columns"]
    specs = table_specs()
    assert len(doc) == sum(len(s.columns) + 1 for s in specs.values())
    assert "受审查方名称" in set(doc["meaning"])


def test_default_out_is_beside_the_warehouse(warehouse):
    res = invoke("export", warehouse, "--to", "xlsx")
    assert res.exit_code == 0, res.output
    assert (warehouse.parent / "warehouse.xlsx").is_file()
    assert invoke("export", warehouse, "--to", "csv").exit_code == 0
    assert (warehouse.parent / "warehouse-csv" / "clauses.csv").is_file()


def test_text_is_never_a_formula_and_control_characters_go(tmp_path):
    """A value starting with '=' stays text in Excel; characters Excel refuses (vertical
    tab from Word line breaks …) are dropped rather than failing the export."""
    from certreport.pipeline import process_file

    rows = process_file(REAL_REPORT).rows
    rows["reports"][0]["org_name"] = '=HYPERLINK("http://x","点我")'
    rows["clauses"][0]["text"] = "第一行\x0b第二行"
    wh = Warehouse(tmp_path / "wh")
    wh.write_batch(rows)
    out = exporting.export_xlsx(wh, tmp_path / "x.xlsx")
    ws = openpyxl.load_workbook(out)["reports"]
    col = {c.value: c.column for c in ws[1]}
    cell = ws.cell(row=2, column=col["org_name"])
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x","点我")'
    ws = openpyxl.load_workbook(out)["clauses"]
    col = {c.value: c.column for c in ws[1]}
    assert ws.cell(row=2, column=col["text"]).value == "第一行第二行"
    # CSV keeps the value as it is
    exporting.export_csv(wh, tmp_path / "csv")
    with open(tmp_path / "csv" / "clauses.csv", encoding="utf-8-sig", newline="") as fh:
        assert "第一行\x0b第二行" in [r["text"] for r in csv.DictReader(fh)]


def test_too_many_rows_for_excel(tmp_path, monkeypatch):
    wh = Warehouse(tmp_path / "wh")
    from certreport.pipeline import process_file
    wh.write_batch(process_file(REAL_REPORT).rows)
    monkeypatch.setattr(exporting, "EXCEL_MAX_ROWS", 10)
    res = invoke("export", tmp_path / "wh", "--to", "xlsx", "--out", tmp_path / "x.xlsx")
    assert res.exit_code == 1
    assert "table clauses has 94 rows" in res.stderr and "--to csv" in res.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_not_a_warehouse(tmp_path):
    res = invoke("export", tmp_path / "nowhere", "--to", "csv")
    assert res.exit_code == 2 and "not a certreport warehouse" in res.stderr
    assert invoke("export", tmp_path, "--to", "ods").exit_code == 2
