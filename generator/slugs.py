"""Slugs for URLs and citation keys: python-slugify, remembered.

The indexes slug tens of thousands of names and titles per run, and most are the same
from one run to the next. `to_slug` is a pure function, so remembering its results
changes no output. What a run remembers is handed in and taken out by the incremental
module (`remember`, `used`), which keeps it between runs.
"""

from __future__ import annotations

from collections.abc import Mapping

from slugify import slugify

SlugMemo = dict[tuple[str, str], str]
"""(text, separator) -> slug."""

_known: Mapping[tuple[str, str], str] = {}
_used: SlugMemo = {}


def to_slug(text: str, separator: str = "-") -> str:
    """Return `slugify(text, separator=separator)`, computed once per text."""
    key = (text, separator)
    found = _used.get(key)
    if found is None:
        found = _known.get(key) or slugify(text, separator=separator)
        _used[key] = found
    return found


def remember(known: Mapping[tuple[str, str], str]) -> None:
    """Start a run that may take slugs from `known` (an earlier run's `used`)."""
    global _known, _used
    _known, _used = known, {}


def used() -> SlugMemo:
    """The slugs made or taken since `remember`: all a run needs again, and no more."""
    return _used
