"""Slugs for URLs and citation keys: python-slugify, remembered.

At 10,000 papers the indexes slug about 35,000 names and titles per run, at some 25 µs
each; most are the same from one run to the next. `slug` is a pure function, so keeping
its results (in this process, and between runs in the generator's cache) changes no output.
"""

from __future__ import annotations

from slugify import slugify

REMEMBERED: dict[tuple[str, str], str] = {}
"""(text, separator) -> slug; build.generate loads and saves it with its cache."""


def to_slug(text: str, separator: str = "-") -> str:
    """Return `slugify(text, separator=separator)`, computed once per text."""
    key = (text, separator)
    found = REMEMBERED.get(key)
    if found is None:
        found = REMEMBERED[key] = slugify(text, separator=separator)
    return found
