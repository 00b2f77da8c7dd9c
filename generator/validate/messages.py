"""How validation words a problem: a wrong value named briefly, a likely fix suggested.

Invariant: pure; every message about a value the curator wrote names that value the same
way (`'many' (text)`, `3 (a number)`), so messages read alike across fields and files.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from generator.identifiers import bidi_controls_in


def describe(value: object) -> str:
    """Name a wrong value for a message: `'many' (text)`, `3 (a number)`, `a list`."""
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"{shown!r} (text)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int | float):
        return f"{value} (a number)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return type(value).__name__


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return `; did you mean 'venue'?` when one choice is close to `word`, else ''."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""


def bidi_warning(what: str, text: object) -> str | None:
    """Say which bidirectional controls `text` holds (they are removed), or None."""
    found = bidi_controls_in(text) if isinstance(text, str) else []
    if not found:
        return None
    codes = ", ".join(f"U+{ord(character):04X}" for character in found)
    return f"{what} holds invisible text-direction characters ({codes}); they are removed"
