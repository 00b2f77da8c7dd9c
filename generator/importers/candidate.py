"""What every importer produces: candidates (papers not yet written) and the entries it skipped.

Invariant: a `Candidate` holds plain, already-decoded text (no LaTeX escapes, whitespace
collapsed), so the shared intake path treats arXiv, BibTeX and Hugging Face input alike.
Identifiers and titles are recognised and compared by `generator.identifiers`.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from generator.model import Link


@dataclass(frozen=True)
class Candidate:
    """One paper read from an outside source, before it becomes `papers/<id>.yaml`.

    Only `title` and `source` are always known: a copied listing has no author names,
    a BibTeX entry rarely has an abstract. The intake path decides what is written.
    """

    title: str
    source: str
    """Where it came from, for messages: `refs.bib:12 @article{vaswani2017}`, `2403.10717`."""
    authors: tuple[str, ...] = ()
    date: datetime.date | None = None
    """Date of the first public version (arXiv v1), when the source gives one."""
    abstract: str | None = None
    arxiv: str | None = None
    """arXiv id without version."""
    arxiv_category: str | None = None
    doi: str | None = None
    venue: str | None = None
    links: tuple[Link, ...] = ()
    organization: str | None = None
    upvotes: int | None = None
    tags: tuple[str, ...] = ()
    """Vocabulary slugs; importers leave this empty so the paper lands in the inbox."""
    remarks: tuple[str, ...] = ()
    """What the curator should know, e.g. `date from year only (2019-01-01)`."""
    et_al: bool = False
    """The source names only the first authors (`and others`, `et al.`)."""


@dataclass(frozen=True)
class Skipped:
    """An input entry that cannot become a paper, with the reason shown to the curator."""

    source: str
    reason: str


@dataclass(frozen=True)
class Batch:
    """Everything one importer read from one input: usable candidates and skipped entries."""

    seen: int
    """Entries found in the input (papers, errors and unusable ones alike)."""
    candidates: tuple[Candidate, ...]
    skipped: tuple[Skipped, ...] = ()


def byline_remarks(authors: Iterable[str]) -> list[str]:
    """Say which names a byline holds twice: kept, as two people may share a name."""
    counts = Counter(authors)
    return [
        f"'{name}' appears {count} times in the byline; all kept (people can share a name)"
        for name, count in counts.items()
        if count > 1
    ]


def split_results(results: Iterable[Candidate | Skipped]) -> tuple[list[Candidate], list[Skipped]]:
    """Separate what an importer could use from what it skipped, keeping input order."""
    candidates: list[Candidate] = []
    skipped: list[Skipped] = []
    for result in results:
        if isinstance(result, Candidate):
            candidates.append(result)
        else:
            skipped.append(result)
    return candidates, skipped
