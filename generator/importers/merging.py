"""Several copies of one paper: which copy to keep, what the others add, what they lose.

Invariant: pure, over paper-file field dicts (as `intake.paper_fields` makes them and the
validator accepts). A value is only ever *added* where a record has none: a copy never
overwrites another copy's title, authors, date or venue, and every value of a copy that
does not end up in the kept record is named in `Merged.not_kept`, so nothing is lost
silently. Author lists are taken whole from one copy; a file's own list is only extended
when it is a prefix (by family name) of the longer one, the shape of a truncated byline.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from generator.importers.matching import family_name

FILLABLE = (
    "date",
    "abstract",
    "arxiv",
    "arxiv_category",
    "doi",
    "venue",
    "links",
    "organization",
    "upvotes",
)
"""Fields one copy may give another that lacks them. Authors are extended separately; the
title, tags, status and `added` date belong to the record that is kept."""
_BOOKKEEPING = ("status", "added", "tags")
"""Set by the import itself, identical across copies: never reported as lost."""

Fields = Mapping[str, object]


@dataclass(frozen=True)
class Merged:
    """The record kept for a paper that arrived more than once in one import."""

    kept: int
    """Index of the copy kept: the richest, the first of equals."""
    fields: dict[str, object]
    """The kept copy, with its empty fields filled from the others."""
    filled: tuple[tuple[str, int], ...]
    """(field, index of the copy it came from)."""
    not_kept: dict[int, tuple[str, ...]]
    """Per copy (the kept one too, for a refused value): what the merged record lacks of it."""


def richness(fields: Fields) -> tuple[int, ...]:
    """Rank copies: identifiers, then named authors, abstract, venue, date precision, the rest.

    Identifiers come first because they are what later imports and links match on; a longer
    byline next, because an author list cannot be pieced together from two copies.
    """
    return (
        sum(1 for key in ("arxiv", "doi") if filled(fields.get(key))),
        len(_names(fields.get("authors"))),
        int(filled(fields.get("abstract"))),
        int(filled(fields.get("venue"))),
        date_precision(fields.get("date")),
        sum(1 for key in ("arxiv_category", "organization", "upvotes") if filled(fields.get(key)))
        + len(_links(fields.get("links"))),
    )


def date_precision(value: object) -> int:
    """0 no date, 1 a 1 January (often a year alone), 2 a first of the month, 3 a full date."""
    if not isinstance(value, datetime.date):
        return 0
    if value.day != 1:
        return 3
    return 2 if value.month != 1 else 1


def merge_copies(copies: Sequence[Fields], usable: Callable[[str, object], bool]) -> Merged:
    """Keep the richest copy and fill its gaps from the others, richest first.

    `usable(key, value)` refuses a value in any copy, the kept one too: an identifier that
    another file already has would make two files claim one paper.
    """
    allowed = [
        {key: value for key, value in fields.items() if key not in FILLABLE or usable(key, value)}
        for fields in copies
    ]
    order = sorted(range(len(copies)), key=lambda i: richness(allowed[i]), reverse=True)
    merged = dict(allowed[order[0]])
    filled_from: list[tuple[str, int]] = []
    for index in order[1:]:
        for key, value in _fill(merged, allowed[index], lambda key, value: True).items():
            merged[key] = value
            filled_from.append((key, index))
    not_kept = {index: lost for index in order if (lost := _not_kept(copies[index], merged))}
    return Merged(order[0], merged, tuple(filled_from), not_kept)


def additions_for(
    existing: Fields, copies: Sequence[Fields], usable: Callable[[str, object], bool]
) -> dict[str, object]:
    """Return the new values of the keys `copies` would fill in an existing file's data.

    Only empty keys are filled, missing link kinds added, and a byline extended past the
    file's own names; every other value of the file stays as the curator wrote it.
    """
    result: dict[str, object] = {}
    current = dict(existing)
    for fields in sorted(copies, key=richness, reverse=True):
        for key, value in _fill(current, fields, usable).items():
            current[key] = result[key] = value
        authors = _extended_byline(current.get("authors"), fields.get("authors"))
        if authors is not None:
            current["authors"] = result["authors"] = authors
            # The truncation mark follows the byline it describes: a completed list loses it.
            if bool(current.get("et_al")) != bool(fields.get("et_al")):
                current["et_al"] = result["et_al"] = bool(fields.get("et_al"))
    return {key: result[key] for key in ("authors", "et_al", *FILLABLE) if key in result}


def describe_additions(existing: Fields, additions: Fields) -> str:
    """`arxiv, doi, 33 more authors, links (code)`: what an update would add to a file."""
    parts: list[str] = []
    for key, value in additions.items():
        if key == "authors" and _names(existing.get("authors")):
            more = len(_names(value)) - len(_names(existing.get("authors")))
            parts.append(f"{more} more author{'s' if more != 1 else ''}")
        elif key == "et_al":
            parts.append("et al." if value else "the whole byline (no more et al.)")
        elif key == "links":
            kinds = [kind for kind in _links(value) if kind not in _links(existing.get("links"))]
            parts.append(f"links ({', '.join(kinds)})")
        else:
            parts.append(key)
    return ", ".join(parts)


def filled(value: object) -> bool:
    """A value a record states: not None, not an empty string, list or mapping."""
    return value is not None and value not in ("", [], {}, ())


def _fill(
    record: Fields, other: Fields, usable: Callable[[str, object], bool]
) -> dict[str, object]:
    """The values `other` gives for `record`'s empty fillable keys (and missing link kinds)."""
    gains: dict[str, object] = {}
    for key in FILLABLE:
        value = other.get(key)
        if not filled(value) or not usable(key, value):
            continue
        if key == "links":
            have = record.get("links")
            if have is not None and not isinstance(have, dict):
                continue  # a malformed mapping is the curator's to fix, not ours to extend
            extra = {kind: url for kind, url in _links(value).items() if kind not in (have or {})}
            if extra:
                gains["links"] = {**(have or {}), **extra}
        elif not filled(record.get(key)):
            gains[key] = value
    return gains


def _extended_byline(have: object, other: object) -> list[str] | None:
    """`have` followed by the rest of `other`, when `have` starts `other` (by family name)."""
    if have is not None and not isinstance(have, list):
        return None
    names, longer = list(have or []), _names(other)
    if len(longer) <= len(names) or not all(isinstance(name, str) for name in names):
        return None
    same_start = all(
        family_name(mine) == family_name(theirs)
        for mine, theirs in zip(names, longer[: len(names)], strict=True)
    )
    return [*names, *longer[len(names) :]] if same_start else None


def _not_kept(fields: Fields, kept: Fields) -> tuple[str, ...]:
    """Describe each value of `fields` that `kept` does not hold."""
    lost: list[str] = []
    for key, value in fields.items():
        # `et_al` describes the byline, which is reported whole under `authors`.
        if key in (*_BOOKKEEPING, "et_al") or not filled(value) or value == kept.get(key):
            continue
        if key == "links":
            kept_links = _links(kept.get("links"))
            lost += [
                f"{kind} link {url}"
                for kind, url in _links(value).items()
                if kept_links.get(kind) != url
            ]
        elif key == "authors":
            names = _names(value)
            shown = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
            lost.append(f"{len(names)} author{'s' if len(names) != 1 else ''} ({shown})")
        elif key == "abstract":
            lost.append("a different abstract")
        else:
            lost.append(f"{key} {value!r}" if isinstance(value, str) else f"{key} {value}")
    return tuple(lost)


def _names(value: object) -> list[str]:
    return [name for name in value if isinstance(name, str)] if isinstance(value, list) else []


def _links(value: object) -> dict[str, str]:
    return dict(value) if isinstance(value, dict) else {}
