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
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Iterator

# where each loaded extension is kept (module, attribute: None when not in use), and what
# it speeds up
PLACES = (("certreport.extract.pdf_pdfium", "native", "PDF characters and shapes"),
          ("certreport.extract.page_lines", "_native", "page layout"))


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


def in_use() -> list[tuple[str, bool]]:
    """(what each compiled loop speeds up, whether it is in use)."""
    return [(what, getattr(importlib.import_module(module), attr, None) is not None)
            for module, attr, what in PLACES]


@contextmanager
def python_loops() -> Iterator[None]:
    """The ``with`` block runs on the Python loops alone, as where nothing compiled the
    extensions (for comparing the two in one process)."""
    modules = [(importlib.import_module(module), attr) for module, attr, _ in PLACES]
    saved = [getattr(module, attr) for module, attr in modules]
    for module, attr in modules:
        setattr(module, attr, None)
    try:
        yield
    finally:
        for (module, attr), value in zip(modules, saved):
            setattr(module, attr, value)
