"""Stage 4, index: group papers by tag, year, month and author, and assign citation keys.

Invariant: pure and linear in the number of papers (one pass per index, then sorts);
every ordering has an explicit key ending in the paper id, so output is deterministic.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.bibtex_format import assign_citation_keys
from generator.model import Archive, Paper, Tag
from generator.slugs import to_slug

RELATED_COUNT = 5
AUTHOR_PAGE_MIN = 2
"""Papers an author needs for a page and a feed of their own; the others are an entry on
their letter page. At 10,000 papers most authors of a real archive have one paper, and a
page costs some 10 KB of theme around a single line (docs/GUIDE.md: Authors)."""


@dataclass(frozen=True)
class Author:
    """A person of the byline names, with the URL fragment of their entry on the authors pages.

    One name is one author, unless paper files give ORCID iDs: one iD is one author whatever
    the spelling, and one name under two iDs is two authors.
    """

    name: str
    """The spelling most of their papers use (of equally many, the newest paper's)."""
    slug: str
    """Unique across the archive: `wei-li`, `wei-li-2` when two spellings slug alike, and
    `ada-lovelace-0000-0002-1825-0097` for an author with an iD whose name slugs like
    another author's."""
    family_name: str
    """Last word of the name: what the author list sorts and groups by."""
    letter: str
    """Authors page the author is listed on: `a` to `z`, or `other`."""
    has_page: bool
    """Has a page and a feed of their own (`AUTHOR_PAGE_MIN` papers or more)."""
    orcid: str | None = None
    """Their ORCID iD, when a paper file gives one."""
    other_names: tuple[str, ...] = ()
    """Other spellings their papers use under the same iD, most used first."""


@dataclass(frozen=True)
class Venue:
    """A venue series ("ICLR"), gathering its editions ("ICLR 2024", "ICLR 2025")."""

    name: str
    slug: str
    papers: tuple[Paper, ...]
    """Its papers, newest first."""


@dataclass(frozen=True)
class ArchiveIndex:
    """Every grouping the pages need, computed once from the validated archive."""

    papers: tuple[Paper, ...]
    """All published papers, newest first (date, then id)."""
    tags: tuple[Tag, ...]
    by_id: Mapping[str, Paper]
    by_tag: Mapping[str, tuple[Paper, ...]]
    """Tag slug to its papers, newest first; every vocabulary tag has an entry."""
    by_year: Mapping[int, tuple[Paper, ...]]
    """Year to its papers, newest first; years sorted newest first."""
    authors: tuple[Author, ...]
    """Every author, sorted by family name, then full name."""
    by_author: Mapping[str, tuple[Paper, ...]]
    """Author slug to their papers, newest first."""
    bylines: Mapping[str, tuple[Author, ...]]
    """Paper id to the `Author` of each of its `authors`, in byline order."""
    recently_added: tuple[Paper, ...]
    """Papers by `added` date, newest first (undated additions last)."""
    citation_keys: Mapping[str, str]
    """Paper id to its unique BibTeX key."""
    tag_of: Mapping[str, Tag]
    """Slug to vocabulary entry."""
    venues: tuple[Venue, ...]
    """Venue series, most papers first, then by name."""
    venue_of: Mapping[str, Venue]
    """Paper id to its venue series (papers without a venue are absent)."""
    related: Mapping[str, tuple[str, ...]]
    """Paper id to the ids of the most similar papers, most similar first."""


def build_indexes(
    archive: Archive, related: Mapping[str, tuple[str, ...]] | None = None
) -> ArchiveIndex:
    """Build every index of the published papers of `archive`.

    `related` is `related_papers(archive.papers)` when the caller already has it (the
    generator's cache); otherwise it is computed here.
    """
    if related is None:
        # Here, not at the top: numpy and scipy take 0.3 s to import, which a cached run saves.
        from generator.related import related_papers

        related = related_papers(archive.papers, RELATED_COUNT)
    papers = newest_first(archive.papers)
    by_tag: dict[str, list[Paper]] = {tag.slug: [] for tag in archive.tags}
    by_year: dict[int, list[Paper]] = defaultdict(list)
    for paper in papers:
        for slug in paper.tags:
            by_tag[slug].append(paper)
        by_year[paper.year].append(paper)
    by_author, bylines = _authors(papers)
    authors = tuple(
        sorted({author for byline in bylines.values() for author in byline}, key=_by_name)
    )
    venues = _venues(papers)
    return ArchiveIndex(
        papers=papers,
        tags=archive.tags,
        by_id={paper.id: paper for paper in papers},
        by_tag={slug: tuple(found) for slug, found in by_tag.items()},
        by_year={year: tuple(by_year[year]) for year in sorted(by_year, reverse=True)},
        authors=authors,
        by_author=by_author,
        bylines=bylines,
        recently_added=_recently_added(papers),
        citation_keys=assign_citation_keys(papers),
        tag_of={tag.slug: tag for tag in archive.tags},
        venues=venues,
        venue_of={paper.id: venue for venue in venues for paper in venue.papers},
        related=related,
    )


def with_edited(index: ArchiveIndex, edited: Mapping[str, Paper]) -> ArchiveIndex:
    """Return `index` with the `edited` papers swapped in wherever it holds them: what
    `build_indexes` returns when no edit changed what it groups, orders or slugs by
    (which the incremental module decides)."""
    if not edited:
        return index

    def swap(papers: tuple[Paper, ...]) -> tuple[Paper, ...]:
        return tuple(edited.get(paper.id, paper) for paper in papers)

    tags = {slug for paper in edited.values() for slug in paper.tags}
    slugs = {author.slug for paper_id in edited for author in index.bylines[paper_id]}
    years = {paper.year for paper in edited.values()}
    series = {index.venue_of[paper_id].name for paper_id in edited if paper_id in index.venue_of}
    venues = tuple(
        dataclasses.replace(venue, papers=swap(venue.papers)) if venue.name in series else venue
        for venue in index.venues
    )
    return dataclasses.replace(
        index,
        papers=swap(index.papers),
        by_id={**index.by_id, **edited},
        by_tag={
            slug: swap(found) if slug in tags else found for slug, found in index.by_tag.items()
        },
        by_year={
            year: swap(found) if year in years else found for year, found in index.by_year.items()
        },
        by_author={**index.by_author, **{slug: swap(index.by_author[slug]) for slug in slugs}},
        recently_added=swap(index.recently_added),
        venues=venues,
        venue_of={p.id: venue for venue in venues for p in venue.papers}
        if series
        else index.venue_of,
    )


def newest_first(papers: Iterable[Paper]) -> tuple[Paper, ...]:
    """Sort by date, newest first; papers of one day by id, so the order never wobbles."""
    return tuple(sorted(sorted(papers, key=lambda p: p.id), key=lambda p: p.date, reverse=True))


def group_by_month(papers: Iterable[Paper]) -> list[tuple[datetime.date, tuple[Paper, ...]]]:
    """Group newest-first papers into (first day of month, papers), newest month first."""
    months: dict[datetime.date, list[Paper]] = defaultdict(list)
    for paper in papers:
        months[paper.date.replace(day=1)].append(paper)
    return [(month, tuple(months[month])) for month in sorted(months, reverse=True)]


def co_authors(author: Author, index: ArchiveIndex) -> list[tuple[Author, int]]:
    """Return the people who wrote with `author`, most joint papers first, then by name."""
    counts: dict[Author, int] = defaultdict(int)
    for paper in index.by_author[author.slug]:
        for other in dict.fromkeys(index.bylines[paper.id]):
            if other != author:
                counts[other] += 1
    return sorted(
        counts.items(),
        key=lambda pair: (-pair[1], pair[0].family_name.casefold(), pair[0].name, pair[0].slug),
    )


def venue_series(venue: str) -> str:
    """Name the series of a venue: `ICLR 2024` -> `ICLR`, `AI Open (vol. 6, 2025)` -> `AI Open`."""
    text = re.sub(
        r"\b(?:19|20)\d{2}\b|\bvol\.?\s*\d+|\b\d+\(\d+\)", " ", venue, flags=re.IGNORECASE
    )
    text = re.sub(r"\([^)]*\)", " ", text)
    return " ".join(text.replace(",", " ").split()) or venue


def _unique_slugs(names: Iterable[str], fallback: str) -> dict[str, str]:
    """Slug each name in the given order; a name that slugs like an earlier one gets `-2`, `-3`."""
    names = list(names)
    return dict(zip(names, _numbered(to_slug(name) or fallback for name in names), strict=True))


def _numbered(bases: Iterable[str]) -> list[str]:
    """Return `bases` in order, a repeat of an earlier one suffixed `-2`, `-3`."""
    taken: dict[str, int] = {}
    slugs = []
    for base in bases:
        taken[base] = taken.get(base, 0) + 1
        slugs.append(base if taken[base] == 1 else f"{base}-{taken[base]}")
    return slugs


def _venues(papers: tuple[Paper, ...]) -> tuple[Venue, ...]:
    """Group newest-first papers by venue series."""
    series: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        if paper.venue:
            series[venue_series(paper.venue)].append(paper)
    slugs = _unique_slugs(sorted(series, key=lambda name: (name.casefold(), name)), "venue")
    venues = [Venue(name, slugs[name], tuple(found)) for name, found in series.items()]
    return tuple(sorted(venues, key=lambda v: (-len(v.papers), v.name.casefold(), v.name)))


def _authors(
    papers: tuple[Paper, ...],
) -> tuple[dict[str, tuple[Paper, ...]], dict[str, tuple[Author, ...]]]:
    """Group newest-first papers by person; return each author's papers by slug and each
    paper's byline as `Author`s.

    A person is an ORCID iD where the file gives one, else a name. A name a file gives no iD
    joins the author of that name's iD when the archive gives the name exactly one (most
    files will not repeat an iD), and stays an author of its own when it has two.
    """
    orcids_of: dict[str, set[str]] = defaultdict(set)
    for paper in papers:
        for name, orcid in paper.orcid:
            orcids_of[name].add(orcid)

    def person(paper: Paper, name: str) -> tuple[str, str]:
        orcid = paper.orcid_of(name)
        if orcid is None and len(orcids_of.get(name, ())) == 1:
            (orcid,) = orcids_of[name]
        return (orcid, "") if orcid else ("", name)

    people: dict[tuple[str, str], list[Paper]] = defaultdict(list)
    spellings: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for paper in papers:
        for name in dict.fromkeys(paper.authors):  # two people of one name: one list entry
            key = person(paper, name)
            if not people[key] or people[key][-1] is not paper:
                people[key].append(paper)
            spellings[key][name] = spellings[key].get(name, 0) + 1
    # Insertion order is newest first, and sorted() is stable: of equally frequent spellings,
    # the newest paper's comes first.
    ranked = {key: sorted(found, key=lambda name: -found[name]) for key, found in spellings.items()}
    named = {key: names[0] for key, names in ranked.items()}
    keys = sorted(people, key=lambda key: (*_by_name_of(named[key]), key[0]))
    slugs = _author_slugs([(named[key], key[0]) for key in keys])
    authors = {
        key: author_of(named[key], slug, len(people[key]), key[0] or None, tuple(ranked[key][1:]))
        for key, slug in zip(keys, slugs, strict=True)
    }
    by_author = {authors[key].slug: tuple(people[key]) for key in keys}
    bylines = {
        paper.id: tuple(authors[person(paper, name)] for name in paper.authors) for paper in papers
    }
    return by_author, bylines


def author_of(
    name: str, slug: str, papers: int, orcid: str | None = None, other_names: tuple[str, ...] = ()
) -> Author:
    """The `Author` spelled `name`, slugged `slug`, of `papers` papers: their family name,
    letter page, and whether they have a page of their own."""
    family_name = _family_name(name)
    initial = to_slug(family_name)[:1]
    letter = initial if initial.isalpha() else "other"
    has_page = papers >= AUTHOR_PAGE_MIN
    return Author(name, slug, family_name, letter, has_page, orcid, other_names)


def _author_slugs(people: list[tuple[str, str]]) -> list[str]:
    """Slug each (name, iD or '') in order. Of authors whose names slug alike, one with an iD
    gets it appended (it names them for good); the others get `-2`, `-3` as venues do."""
    bases = [to_slug(name) or "author" for name, _ in people]
    counts = Counter(bases)
    with_orcid = [
        bool(orcid) and counts[base] > 1 for base, (_, orcid) in zip(bases, people, strict=True)
    ]
    plain = iter(_numbered(base for base, own in zip(bases, with_orcid, strict=True) if not own))
    return [
        f"{base}-{orcid.lower()}" if own else next(plain)
        for base, (_, orcid), own in zip(bases, people, with_orcid, strict=True)
    ]


def _by_name(author: Author) -> tuple[str, ...]:
    return (*_by_name_of(author.name), author.orcid or "")


def _by_name_of(name: str) -> tuple[str, str, str]:
    return (_family_name(name).casefold(), name.casefold(), name)


def _family_name(name: str) -> str:
    return name.split()[-1] if name.split() else name


def _recently_added(papers: tuple[Paper, ...]) -> tuple[Paper, ...]:
    dated = [paper for paper in papers if paper.added is not None]
    undated = [paper for paper in papers if paper.added is None]
    return tuple(sorted(dated, key=lambda p: p.added, reverse=True)) + tuple(undated)  # type: ignore[arg-type, return-value]
