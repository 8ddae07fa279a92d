"""Running headers and footers: lines that stand at the edge of several pages.

One rule for every reader: a line's identity across pages is its
:func:`~certreport.schemas.folds.running_key` (white space dropped, page numbers folded);
what stands at the edge of ``min_pages`` pages or more is page furniture. Paged readers
give the lines in each page's margins, text exports the first and last line of each page.
"""
from __future__ import annotations

from typing import Iterable

from certreport.schemas.folds import running_key


def repeated_edge_keys(edges: Iterable[Iterable[str]], min_pages: int) -> set[str]:
    """The running keys of the texts found at the edges of at least ``min_pages`` pages;
    ``edges`` holds each page's edge texts."""
    seen: dict[str, int] = {}
    for texts in edges:
        for key in {running_key(t) for t in texts}:
            if key:
                seen[key] = seen.get(key, 0) + 1
    return {k for k, n in seen.items() if n >= min_pages}
