"""The live preview's first look at an edit: the edited papers' own pages, made against
the last run's indexes, before a run that builds the indexes and every list again.

Part of the incremental module (its package docstring). At 50,000 papers, building the
indexes takes seconds (grouping authors, assigning citation keys), and an edit to what
lists show of a paper changes dozens of large pages; a curator who saves a file wants its
page first. So a first look places each edited paper in the indexes as they were
(`provisional_index`): its authors as the archive knows them, a name new to it under the
slug a full build gives a new name; its citation key, the same as before unless its base
changed, then the first one free; its venue series, a new one slugged likewise. Where a
full build places it otherwise (a second paper gives an author a page of their own, a
clash among new slugs or keys), the run queued right after, which builds everything
again, corrects the page: the settled site is always a full build's.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import defaultdict
from collections.abc import Collection, Mapping

from generator.bibtex_format import citation_key_base, unique_key
from generator.index import ArchiveIndex, Author, Venue, author_of, venue_series
from generator.model import Archive, Paper
from generator.slugs import to_slug


def edited_papers(before: ArchiveIndex, archive: Archive) -> dict[str, Paper]:
    """The papers of `archive` that are not `before`'s own (their files changed), by id;
    none when a paper came or went or the vocabulary changed: lists and pages come or go
    then, which only a full run makes."""
    if archive.tags != before.tags or len(archive.papers) != len(before.by_id):
        return {}
    edited = {}
    for paper in archive.papers:
        known = before.by_id.get(paper.id)
        if known is None:
            return {}
        if known is not paper:
            edited[paper.id] = paper
    return edited


def provisional_index(before: ArchiveIndex, edited: Mapping[str, Paper]) -> ArchiveIndex:
    """`before` with the `edited` papers (all of ids it holds) placed in it as far as their
    own pages need: the paper, its byline, citation key and venue. Its lists are
    `before`'s: a first look makes no page but the edited papers' own."""
    people = _People(before)
    keys = _Keys(before)
    venue_of = dict(before.venue_of)
    for paper_id, paper in edited.items():
        venue_of.pop(paper_id, None)
        if paper.venue:
            venue_of[paper_id] = _venue(paper, before)
    return dataclasses.replace(
        before,
        by_id={**before.by_id, **edited},
        bylines={
            **before.bylines,
            **{i: people.byline(p, before.by_id[i]) for i, p in edited.items()},
        },
        citation_keys={
            **before.citation_keys,
            **{i: keys.key(p, before.by_id[i]) for i, p in edited.items()},
        },
        venue_of=venue_of,
    )


class _People:
    """The authors `before` knows, found by name or ORCID iD (gathered on first use)."""

    def __init__(self, before: ArchiveIndex):
        self.before = before
        self._by_name: dict[str, list[Author]] | None = None
        self._by_orcid: dict[str, Author] = {}

    def byline(self, paper: Paper, known: Paper) -> tuple[Author, ...]:
        """`paper`'s authors: as in `known`'s byline for names spelt as there, with the same iD."""
        was = self.before.bylines[known.id]
        if (paper.authors, paper.orcid) == (known.authors, known.orcid):
            return was
        same = {
            name: author
            for name, author in zip(known.authors, was, strict=True)
            if paper.orcid_of(name) == known.orcid_of(name)
        }
        return tuple(
            same.get(name) or self._find(name, paper.orcid_of(name)) for name in paper.authors
        )

    def _find(self, name: str, orcid: str | None) -> Author:
        """The author of `name` (under `orcid`, when given) the archive knows, or a new one."""
        if self._by_name is None:
            self._by_name = defaultdict(list)
            for author in self.before.authors:
                for spelling in (author.name, *author.other_names):
                    self._by_name[spelling].append(author)
                if author.orcid:
                    self._by_orcid[author.orcid] = author
        if orcid:
            found = self._by_orcid.get(orcid)
        else:  # the full index joins a name without an iD to the one iD it has, if any
            known = self._by_name.get(name, [])
            found = next((a for a in known if a.orcid is None), known[0] if known else None)
        if found is not None:
            return found
        base = to_slug(name) or "author"
        taken = self.before.by_author
        slug = f"{base}-{orcid.lower()}" if orcid and base in taken else _free(base, taken)
        return author_of(name, slug, 1, orcid)


class _Keys:
    """Citation keys for edited papers, against the keys `before` gave the others."""

    def __init__(self, before: ArchiveIndex):
        self.before = before
        self._taken: set[str] | None = None

    def key(self, paper: Paper, known: Paper) -> str:
        """`known`'s key while the fields it is made from say the same, else the first free."""
        was = self.before.citation_keys[known.id]
        base = citation_key_base(paper)
        if base == citation_key_base(known):
            return was
        if self._taken is None:
            self._taken = set(self.before.citation_keys.values())
        return unique_key(base, self._taken - {was})


def _venue(paper: Paper, before: ArchiveIndex) -> Venue:
    """The venue series of `paper` (which has a venue) among `before`'s, or a new one."""
    series = venue_series(paper.venue or "")
    found = next((venue for venue in before.venues if venue.name == series), None)
    if found is not None:
        return found
    slug = _free(to_slug(series) or "venue", {venue.slug for venue in before.venues})
    return Venue(series, slug, (paper,))


def _free(base: str, taken: Collection[str]) -> str:
    """`base`, else the first of `base-2`, `base-3` ... not `taken`."""
    numbered = (f"{base}-{number}" for number in itertools.count(2))
    return next(slug for slug in itertools.chain([base], numbered) if slug not in taken)
