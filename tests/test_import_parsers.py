"""What the import's parser processes do and leave to the importing process: they read
and check digital files without loading pyarrow or numpy (so on two cores the first file is read while the
importing process loads it), and the organisation ids they leave out are set as each batch
is written, the same as a whole :func:`process_file` gives."""
from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from certreport.normalise.archive import org_id_of
from certreport.pipeline import import_paths, process_file, read_for_import
from fresh_process import imports

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "data" / "samples" / "pdf").glob("*.pdf"))[:4]


def test_a_parser_process_loads_neither_pyarrow_nor_numpy():
    """A digital PDF needs neither: numpy comes with OCR, pyarrow with the write."""
    code = (f"from certreport.pipeline import read_for_import\n"
            f"r = read_for_import({str(SAMPLES[0])!r})\n"
            f"assert r.status == 'ok' and r.rows['reports'][0]['org_name']\n")
    assert not imports(code, "pyarrow")
    assert not imports(code, "numpy")
    assert imports(code.replace("read_for_import", "process_file"), "pyarrow")


def test_parsed_rows_differ_only_in_the_org_id():
    whole, parsed = process_file(SAMPLES[0]), read_for_import(SAMPLES[0])
    (report,), (left,) = whole.rows["reports"], parsed.rows["reports"]
    assert report["org_id"] == org_id_of(report["org_name"]) is not None
    assert left["org_id"] is None
    assert {**left, "org_id": report["org_id"]} == report
    assert {t: r for t, r in whole.rows.items() if t != "reports"} == \
        {t: r for t, r in parsed.rows.items() if t != "reports"}


def test_the_import_stores_every_reports_org_id(tmp_path):
    for workers in (0, 1):
        out = tmp_path / f"w{workers}"
        summary = import_paths(SAMPLES, out, workers=workers, batch_size=3)
        assert summary.counts["ok"] == len(SAMPLES)
        reports = pq.read_table(out / "reports").to_pylist()
        assert len(reports) == len(SAMPLES)
        for r in reports:
            assert r["org_id"] == org_id_of(r["org_name"]) is not None
        orgs = pq.read_table(out / "organisations").to_pylist()
        assert {o["org_id"] for o in orgs} == {r["org_id"] for r in reports}
