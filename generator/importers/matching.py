"""When two records with the same title are one work: first author, year, arXiv id.

Invariant: pure. A title is not an identity: "Foreword" heads many articles, and a thesis
often repeats the title of the conference paper it grew from. Two same-titled records are
the same work only when nothing they both state contradicts it; a side that does not say
(a copied listing has no authors) contradicts nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.identifiers import arxiv_key, title_key
from generator.importers.candidate import Candidate

_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Preprint servers as exports name them: `arXiv preprint arXiv:...`, DBLP's `CoRR` and
# `Electron. Colloquium Comput. Complex.` (ECCC), bioRxiv, SSRN, `IACR Cryptol. ePrint Arch.`
_PREPRINT_VENUE = re.compile(
    r"(?i)\b(?:arxiv|corr|eccc|biorxiv|medrxiv|chemrxiv|ssrn|preprint|e-?print)\b"
    r"|colloquium\W+comput"
)
_YEAR = re.compile(r"^\s*(\d{4})\b")
YEAR_TOLERANCE = 1
"""A paper dated December and its proceedings dated January are one year apart."""


@dataclass(frozen=True)
class Identity:
    """What tells same-titled records apart, as far as a record states it."""

    first_author: str | None
    """The first author's name as written, for messages."""
    year: int | None
    preprint: bool
    """A preprint (arXiv, ECCC...): the published version may come years later."""
    arxiv: str | None
    """arXiv id, lower-case, without version."""

    @property
    def family(self) -> str | None:
        """The first author's family name, compared without case, accents or LaTeX."""
        return family_name(self.first_author) if self.first_author else None


def family_name(name: str) -> str | None:
    """Return the family name of `Ada Lovelace`, `Lovelace, Ada` or `Guy Steele Jr.`."""
    written = name.split(",")[0] if "," in name else name
    words = [title_key(word) for word in written.split()]
    words = [word for word in words if word and word not in _NAME_SUFFIXES]
    return words[-1] if words else None


def identity_of_candidate(candidate: Candidate) -> Identity:
    """The identity an importer's record states."""
    return Identity(
        first_author=next((name for name in candidate.authors if name.strip()), None),
        year=candidate.date.year if candidate.date else None,
        preprint=bool(candidate.arxiv) or _is_preprint_venue(candidate.venue),
        arxiv=arxiv_key(candidate.arxiv) if candidate.arxiv else None,
    )


def identity_of_data(data: dict[str, object]) -> Identity:
    """The identity a paper file's raw YAML states (valid or not)."""
    authors = data.get("authors")
    first = authors[0] if isinstance(authors, list) and authors else None
    arxiv = data.get("arxiv")
    venue = data.get("venue")
    return Identity(
        first_author=first if isinstance(first, str) and first.strip() else None,
        year=_year_of(data.get("date")),
        preprint=arxiv is not None or _is_preprint_venue(venue if isinstance(venue, str) else None),
        arxiv=arxiv_key(str(arxiv)) if arxiv is not None else None,
    )


def disagreement(one: Identity, other: Identity) -> str | None:
    """Say why two same-titled records are different works, or None if nothing says so."""
    reasons: list[str] = []
    if one.arxiv and other.arxiv and one.arxiv != other.arxiv:
        reasons.append(f"arXiv ids {one.arxiv} and {other.arxiv}")
    if one.family and other.family and one.family != other.family:
        reasons.append(f"first authors {one.first_author} and {other.first_author}")
    if (
        one.year
        and other.year
        and abs(one.year - other.year) > YEAR_TOLERANCE
        and not (one.preprint or other.preprint)
    ):
        reasons.append(f"years {one.year} and {other.year}")
    return "; ".join(reasons) or None


def first_agreeing(identity: Identity, others: Sequence[Identity]) -> int | None:
    """Return the index of the first of `others` that `identity` does not contradict."""
    return next(
        (index for index, other in enumerate(others) if disagreement(identity, other) is None),
        None,
    )


def _is_preprint_venue(venue: str | None) -> bool:
    """`arXiv preprint arXiv:...`, `CoRR`, `arXiv [cs.CL]`, ECCC name a preprint server."""
    return bool(venue and _PREPRINT_VENUE.search(venue))


def _year_of(value: object) -> int | None:
    """A YAML date, or a string that starts with a year (an invalid date still has one)."""
    if isinstance(value, datetime.date):
        return value.year
    match = _YEAR.match(value) if isinstance(value, str) else None
    return int(match.group(1)) if match else None
