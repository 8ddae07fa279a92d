"""YAML data files parsed with libyaml's C parser when PyYAML has it (the same documents as
``yaml.safe_load``, about ten times faster: the catalogues alone took 0.1 s of every
command that reads a report), else with the pure-Python one."""
from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Any:
    """``yaml.safe_load(text)``, through libyaml when it is there; raises
    ``yaml.YAMLError`` as ``safe_load`` does."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
