"""Test helper: rewrite the pipe tables of a markdown export, block by block."""
from __future__ import annotations

from typing import Callable


def map_pipe_tables(text: str, render: Callable[[list[str]], list[str]]) -> str:
    """Replace every run of pipe-table lines by ``render(lines)``; other lines are kept."""
    out: list[str] = []
    block: list[str] = []
    for line in text.split("\n") + [""]:
        if line.lstrip().startswith("|"):
            block.append(line)
            continue
        if block:
            out.extend(render(block))
            block = []
        out.append(line)
    return "\n".join(out[:-1])
