"""Run a snippet in a fresh interpreter and say which heavy modules it imported (the
import path must not import pandas: pyarrow's pandas shim and a stray pa.array call bring
it in; a parser process must not import pyarrow)."""
from __future__ import annotations

import subprocess
import sys


def imports(code: str, module: str) -> bool:
    """Whether running ``code`` in a new process leaves ``module`` in ``sys.modules``."""
    probe = code + f"\nimport sys; print({module!r} in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True)
    return out.stdout.strip().splitlines()[-1] == "True"


def imports_pandas(code: str) -> bool:
    """Whether running ``code`` in a new process leaves ``pandas`` in ``sys.modules``."""
    return imports(code, "pandas")
