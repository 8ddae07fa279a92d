"""Run a snippet in a fresh interpreter and say whether it imported pandas (the import
path must not: pyarrow's pandas shim and a stray pa.array call bring it in)."""
from __future__ import annotations

import subprocess
import sys


def imports_pandas(code: str) -> bool:
    """Whether running ``code`` in a new process leaves ``pandas`` in ``sys.modules``."""
    probe = code + "\nimport sys; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    return out.stdout.strip().splitlines()[-1] == "True"
