"""Pure functions over the intermediate record, in named stages (see
:mod:`certreport.normalise.report`): :func:`normalise` returns the rows of the output
tables (without ``report_id``); the checks across the archive are
:mod:`certreport.normalise.archive`.

``normalise`` and ``Normalised`` load with their stages and the catalogues on first use,
so a process that needs one stage alone (the importing process, which runs the archive
checks while its parsers normalise) does not load them all."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from certreport.normalise.report import Normalised, normalise

__all__ = ["Normalised", "normalise"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from certreport.normalise import report

        return getattr(report, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
