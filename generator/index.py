"""Stage 4, index: group papers by tag, year, month and author, and assign citation keys.

Invariant: pure and linear in the number of papers (one pass per index, then sorts);
every ordering has an explicit key ending in the paper id, so output is deterministic.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.bibtex import assign_citation_keys
from generator.model import Archive, Paper, Tag
from generator.slugs import to_slug

RELATED_COUNT = 5
AUTHOR_PAGE_MIN = 2
"""Papers an author needs for a page and a feed of their own; the others are an entry on
their letter page. At 10,000 papers most authors of a real archive have one paper, and a
page costs some 15 KB of theme around a single line (README: Authors)."""


@dataclass(frozen=True)
class Author:
    """A byline name with the URL fragment of its entry on the authors pages."""

    name: str
    slug: str
    """Unique across the archive (`wei-li`, `wei-li-2` when two spellings slug alike)."""
    family_name: str
    """Last word of the name: what the author list sorts and groups by."""
    letter: str
    """Authors page the author is listed on: `a` to `z`, or `other`."""
    has_page: bool
    """Has a page and a feed of their own (`AUTHOR_PAGE_MIN` papers or more)."""


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
    """Author name to their papers, newest first."""
    author_of: Mapping[str, Author]
    """Name to `Author`."""
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
    digests: Mapping[str, str]
    """Paper id to a digest of its file (`Archive.digests`): page keys for the cache."""


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
    by_author: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        for slug in paper.tags:
            by_tag[slug].append(paper)
        by_year[paper.year].append(paper)
        for name in dict.fromkeys(paper.authors):  # two people of one name: one list entry
            by_author[name].append(paper)
    authors = _authors(by_author)
    venues = _venues(papers)
    return ArchiveIndex(
        papers=papers,
        tags=archive.tags,
        by_id={paper.id: paper for paper in papers},
        by_tag={slug: tuple(found) for slug, found in by_tag.items()},
        by_year={year: tuple(by_year[year]) for year in sorted(by_year, reverse=True)},
        authors=authors,
        by_author={author.name: tuple(by_author[author.name]) for author in authors},
        author_of={author.name: author for author in authors},
        recently_added=_recently_added(papers),
        citation_keys=assign_citation_keys(papers),
        tag_of={tag.slug: tag for tag in archive.tags},
        venues=venues,
        venue_of={paper.id: venue for venue in venues for paper in venue.papers},
        related=related,
        digests=archive.digests,
    )


def indexed_fields(paper: Paper) -> tuple[object, ...]:
    """What `build_indexes` reads of a paper: its groups, orders, slugs and citation key."""
    return (paper.id, paper.date, paper.added, paper.title, paper.authors, paper.tags, paper.venue)


def reindexed(index: ArchiveIndex, archive: Archive) -> ArchiveIndex | None:
    """Return `build_indexes(archive)`, made from `index` of the archive before an edit
    that changed no paper's `indexed_fields` (notes, abstract, links): the edited papers
    swapped in where the index holds them. None after any other edit.

    Why: the live preview regenerates after every save, and building the indexes of
    10,000 papers anew took a quarter of its time.
    """
    if archive.tags != index.tags or len(archive.papers) != len(index.by_id):
        return None
    edited: dict[str, Paper] = {}
    for paper in archive.papers:
        before = index.by_id.get(paper.id)
        if before is paper:
            continue
        if before is None or indexed_fields(before) != indexed_fields(paper):
            return None
        edited[paper.id] = paper
    if not edited:
        return dataclasses.replace(index, digests=archive.digests)

    def swap(papers: tuple[Paper, ...]) -> tuple[Paper, ...]:
        return tuple(edited.get(paper.id, paper) for paper in papers)

    tags = {slug for paper in edited.values() for slug in paper.tags}
    names = {name for paper in edited.values() for name in paper.authors}
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
        by_author={**index.by_author, **{name: swap(index.by_author[name]) for name in names}},
        recently_added=swap(index.recently_added),
        venues=venues,
        venue_of={p.id: venue for venue in venues for p in venue.papers}
        if series
        else index.venue_of,
        digests=archive.digests,
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


def co_authors(name: str, index: ArchiveIndex) -> list[tuple[Author, int]]:
    """Return the people who wrote with `name`, most joint papers first, then by name."""
    counts: dict[str, int] = defaultdict(int)
    for paper in index.by_author[name]:
        for other in dict.fromkeys(paper.authors):
            if other != name:
                counts[other] += 1
    return sorted(
        ((index.author_of[other], count) for other, count in counts.items()),
        key=lambda pair: (-pair[1], pair[0].family_name.casefold(), pair[0].name),
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
    taken: dict[str, int] = {}
    slugs = {}
    for name in names:
        base = to_slug(name) or fallback
        taken[base] = taken.get(base, 0) + 1
        slugs[name] = base if taken[base] == 1 else f"{base}-{taken[base]}"
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


def _authors(by_author: Mapping[str, list[Paper]]) -> tuple[Author, ...]:
    """Make one `Author` per distinct name, with slugs made unique in sorted order."""
    names = sorted(
        by_author, key=lambda name: (_family_name(name).casefold(), name.casefold(), name)
    )
    slugs = _unique_slugs(names, "author")
    authors = []
    for name in names:
        slug = slugs[name]
        family_name = _family_name(name)
        initial = to_slug(family_name)[:1]
        letter = initial if initial.isalpha() else "other"
        has_page = len(by_author[name]) >= AUTHOR_PAGE_MIN
        authors.append(Author(name, slug, family_name, letter, has_page))
    return tuple(authors)


def _family_name(name: str) -> str:
    return name.split()[-1] if name.split() else name


def _recently_added(papers: tuple[Paper, ...]) -> tuple[Paper, ...]:
    dated = [paper for paper in papers if paper.added is not None]
    undated = [paper for paper in papers if paper.added is None]
    return tuple(sorted(dated, key=lambda p: p.added, reverse=True)) + tuple(undated)  # type: ignore[arg-type, return-value]
