"""The optional compiled loops (``extract/*.c``), loaded only when they match the sources.

Each extension has a pure-Python reference that reads the same (the fallback where no C
compiler built it). In a checkout, a ``.c`` file newer than its built module means the
build is stale (the source changed, ``pip install -e .`` was not run again): its functions
may no longer fit the Python code that calls them, so it is not used and one line on
stderr says how to rebuild it. An installed package carries no ``.c`` files: nothing to
compare, the module is used.
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType


def stale(module: ModuleType, name: str) -> bool:
    """Whether ``module`` was built before its source ``extract/<name>.c`` last changed."""
    built = Path(module.__file__ or "")
    source = built.parent / f"{name}.c"
    try:
        return source.stat().st_mtime > built.stat().st_mtime
    except OSError:
        return False


def load(name: str) -> ModuleType | None:
    """``certreport.extract.<name>`` when it is built and current, else None."""
    try:
        module = importlib.import_module(f"certreport.extract.{name}")
    except ImportError:
        return None
    if stale(module, name):
        print(f"certreport: extract/{name}.c changed after it was built; the Python loops "
              "serve until `pip install -e .` builds it again", file=sys.stderr)
        return None
    return module
