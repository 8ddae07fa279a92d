"""Work done once per loaded object (a vocabulary, a synonyms table, a catalogue) rather
than per call.

The vocabulary and the catalogues are frozen dataclasses holding dicts, so they cannot be
``lru_cache`` keys; :func:`per_object` caches a function of one such object by identity
(keeping the object alive, so its id is not reused), for the few objects a process loads.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MAX_OBJECTS = 8  # a process loads one vocabulary; tests load a few more


def per_object(fn: Callable[[T], R]) -> Callable[[T], R]:
    """``fn(obj)`` computed once per object (by identity)."""
    cache: dict[int, tuple[T, R]] = {}

    @wraps(fn)
    def cached(obj: T) -> R:
        hit = cache.get(id(obj))
        if hit is not None and hit[0] is obj:
            return hit[1]
        if len(cache) >= MAX_OBJECTS:
            cache.clear()
        value = fn(obj)
        cache[id(obj)] = (obj, value)
        return value

    cached.cache_clear = cache.clear  # type: ignore[attr-defined]
    return cached
