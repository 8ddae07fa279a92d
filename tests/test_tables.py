"""The record, the rows the pipeline writes and the Arrow schemas hold together."""
from __future__ import annotations

import pyarrow as pa

from certreport.pipeline import _failed
from certreport.schemas.tables import TABLE_NAMES, schema, table_specs


def test_every_column_is_documented():
    for spec in table_specs().values():
        assert spec.doc
        for col in spec.columns:
            assert col.doc.strip(), f"{spec.name}.{col.name}"


def test_rows_match_the_schemas_exactly(real_rows):
    producer_only = {"reports": {"imported_at"}}  # stamped by the batch
    for name in TABLE_NAMES:
        cols = set(schema(name).names) - producer_only.get(name, set())
        for row in real_rows[name]:
            assert set(row) == cols, name
        pa.Table.from_pylist(real_rows[name], schema=schema(name))  # types fit


def test_failed_row_fits_the_schema(tmp_path):
    r = _failed(tmp_path / "x.pdf", "abc", "x.pdf: broken", 3)
    assert set(r.rows["reports"][0]) <= set(schema("reports").names)
    assert r.status == "failed"


def test_contract_columns_present():
    contract = {
        "reports": "report_id source_path source_format status error spec cert_body org_name "
                   "project_no audit_type registered_address audit_address contact_name "
                   "contact_phone audit_method audit_start audit_end audit_days team_leader scope "
                   "stated_total computed_total stated_level computed_level author compiled_date",
        "clauses": "report_id section subsection_no clause_no code weight score_pct not_applicable "
                   "stated_score computed_score match_score match_method text page",
        "sections": "report_id section title stated_max stated_score computed_max computed_score",
        "team": "report_id member_code name role cert_no specialty_code phone",
        "checks": "report_id check_name severity target stated computed message",
    }
    for name, cols in contract.items():
        assert set(cols.split()) <= set(schema(name).names), name
    assert schema("reports").field("audit_start").type == pa.date32()
    assert schema("reports").field("audit_days").type == pa.float64()
