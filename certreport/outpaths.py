"""Output paths checked before anything is written: why a folder or a file cannot be
written where the user asked (None when it can), in one line naming the path."""
from __future__ import annotations

import os
from pathlib import Path


def _writable_place(path: Path) -> str | None:
    """Whether ``path`` (which does not exist yet) can be created: its nearest existing
    ancestor must be a folder this process may write in."""
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        return f"{path}: cannot be created, {parent} is a file, not a folder"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"{path}: cannot be created, no permission to write in {parent}"
    return None


def folder_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be used as an output folder (None when it can)."""
    path = Path(path)
    if path.exists() or path.is_symlink():
        if not path.is_dir():
            return f"{path}: exists and is not a folder"
        if not os.access(path, os.W_OK | os.X_OK):
            return f"{path}: no permission to write in this folder"
        return None
    return _writable_place(path)


def file_problem(path: str | Path) -> str | None:
    """Why ``path`` cannot be written as an output file (None when it can)."""
    path = Path(path)
    if path.is_dir():
        return f"{path}: is a folder, not a file"
    if path.exists():
        return None if os.access(path, os.W_OK) else f"{path}: no permission to write this file"
    return _writable_place(path)
