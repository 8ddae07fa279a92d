"""The warehouse rows of every committed sample, as the golden record of behaviour.

``python tests/golden/make_records.py`` imports ``data/samples`` into a temporary warehouse
and writes every table's rows (sorted; paths relative to the repository; the import's time
and the extractor's version left out) to ``tests/golden/records.json``.
``tests/test_golden_records.py`` imports again and compares row by row, so a refactor that
changes any stored value fails until the change is meant and this file is re-made.
"""
from __future__ import annotations

import json
import math
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"
GOLDEN = Path(__file__).with_name("records.json")
VOLATILE = {"imported_at", "extractor_version"}


def _plain(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "tolist"):
        return _plain(v.tolist())
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def warehouse_rows(samples: Path = SAMPLES) -> dict[str, list[dict]]:
    """Every table of a fresh import of ``samples``: rows as plain dicts, sorted."""
    import pandas as pd

    from certreport.pipeline import import_paths

    with tempfile.TemporaryDirectory() as tmp:
        import_paths([samples], Path(tmp) / "wh", workers=0)
        out = {}
        for table in sorted(p.name for p in (Path(tmp) / "wh").iterdir() if p.is_dir()
                            and not p.name.startswith((".", "_"))):
            files = list((Path(tmp) / "wh" / table).glob("*.parquet"))
            if not files:
                continue
            df = pd.read_parquet(Path(tmp) / "wh" / table)
            rows = []
            for rec in df.to_dict("records"):
                row = {k: _plain(v) for k, v in rec.items() if k not in VOLATILE}
                for col in ("source_path", "other_source_path"):
                    if isinstance(row.get(col), str):
                        row[col] = Path(row[col]).relative_to(ROOT).as_posix()
                rows.append(row)
            rows.sort(key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))
            out[table] = rows
        return out


def main() -> None:
    rows = warehouse_rows()
    GOLDEN.write_text(json.dumps(rows, ensure_ascii=False, indent=0, sort_keys=True) + "\n",
                      encoding="utf-8")
    print(f"{GOLDEN}: " + ", ".join(f"{t} {len(r)}" for t, r in rows.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
