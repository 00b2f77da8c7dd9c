"""Stage 5, render: plan every page of the archive, one Jinja template per page kind, and
make the pages asked for.

Invariant: pure; a page is made from the indexes and the site's settings only. Text from
paper files reaches a page only HTML-escaped and only inside raw HTML blocks (never as
Markdown syntax), so a title can neither inject markup nor restructure the page.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable, Iterator, Mapping
from html import escape
from pathlib import PurePosixPath

from markupsafe import Markup

from generator.downloads import (
    Exports,
    archive_files,
    make_exports,
    plan_downloads,
    plan_paper_downloads,
)
from generator.errors import PaperArchiveError, UnexpectedError
from generator.export import atom_feed
from generator.formatting import letter_label, paper_buttons, plain_citation, template_environment
from generator.fragments import Fragments
from generator.index import ArchiveIndex, Author, group_by_month
from generator.markup import render_markdown
from generator.model import Paper, Tag
from generator.pagemeta import front_matter, page_fields, paper_fields
from generator.plans import PageContent, PagePlan, Plans, Shows
from generator.settings import SiteInfo
from generator.stats_page import additions_sparkline, stats
from generator.urls import (
    AUTHOR_INDEX,
    HOME,
    LOOKUP,
    STATS,
    TAG_INDEX,
    TIMELINE,
    VENUE_INDEX,
    LinksFrom,
    author_feed_path,
    reference_files,
    source_path,
    tag_feed_path,
    url_for_author,
    url_for_letter,
    url_for_paper,
    url_for_tag,
    url_for_venue,
    url_for_year,
)

Pages = dict[PurePosixPath, PageContent]

RECENT_COUNT = 10
PROLIFIC_COUNT = 30
AUTHOR_FEED_SIZE = 10
"""Entries of an author's feed: enough for a reader to see what is new since last time."""


def render_pages(index: ArchiveIndex, site: SiteInfo) -> Pages:
    """Render every generated page of the archive, plus its feeds and exports."""
    plans = plan_pages(index, site, make_exports(index, site))
    return dict(render_each(plans, plans))


def render_each(
    plans: Mapping[PurePosixPath, PagePlan], paths: Iterable[PurePosixPath]
) -> Iterator[tuple[PurePosixPath, PageContent]]:
    """Make the pages at `paths`, one at a time, so memory holds one page while it is written."""
    for path in paths:
        try:
            yield path, plans[path].make()
        except PaperArchiveError:
            raise  # a paper's page names the paper file already
        except Exception as error:  # a bug: name the page, whose stamp names its source
            raise UnexpectedError.wrapping(f"{path} (a generated page)", error) from error


def plan_pages(
    index: ArchiveIndex,
    site: SiteInfo,
    exports: Exports,
    only_papers: Collection[str] | None = None,
) -> Plans:
    """Plan every page of the archive, its feeds and its downloads.

    A caller that knows no paper changed in what other pages show of it passes
    `only_papers`: then only those papers' own pages and files are planned, with the
    archive-wide pages and files, and none of the pages that list papers (tags, years,
    authors, venues).
    """
    plan = Planner(index, site)
    compressed = site.downloads_compressed(len(index.papers))
    for paper in index.papers:
        if only_papers is None or paper.id in only_papers:
            plan.paper(paper, exports.entries[paper.id])
    if only_papers is None:
        _plan_tags(plan, index)
        _plan_timeline(plan, index)
        _plan_authors(plan, index, site)
        _plan_venues(plan, index)
    plan.page(
        None,
        STATS,
        "stats.md.j2",
        page_fields("Stats", "The archive in numbers: papers per month, tag, venue and author."),
        **stats(index),
        downloads=archive_files(compressed),
        compressed_downloads=compressed,
    )
    plan.page(
        None,
        HOME,
        "home.md.j2",
        page_fields(site.name, site.description, hide=["navigation", "toc"]),
        site=site,
        recent_count=RECENT_COUNT,
        popular_tags=[t for t in _tags_by_size(index) if index.by_tag[t.slug]],
        additions=additions_sparkline(index),
    )
    plan.page(
        None,
        LOOKUP,
        "lookup.md.j2",
        page_fields("Find a paper by its id", "Go to a paper by its arXiv id, DOI or key."),
    )
    return plan.plans | plan_downloads(index, site, exports, compressed, only_papers)


def plan_paper_pages(
    index: ArchiveIndex, site: SiteInfo, exports: Exports, papers: Collection[str]
) -> Plans:
    """Plan the own pages and files of `papers` (ids) alone: what the live preview shows
    of an edit first, the rest following in a run of its own."""
    plan = Planner(index, site)
    shown = [index.by_id[paper_id] for paper_id in sorted(papers)]
    for paper in shown:
        plan.paper(paper, exports.entries[paper.id])
    return plan.plans | plan_paper_downloads(exports, shown)


class Planner:
    """Collects the plans of one archive's pages; each page is made by a `PageMaker`."""

    def __init__(self, index: ArchiveIndex, site: SiteInfo):
        self.make = PageMaker(index, site)
        self.plans: Plans = {}

    def page(
        self,
        shows: Shows | None,
        url: str,
        template: str,
        meta: dict[str, object],
        source: str | PurePosixPath = "papers/",
        **context: object,
    ) -> None:
        """Plan the page at `url` from `template`, with its front matter `meta` naming `source`."""
        render = functools.partial(self.make.page, url, template, meta, source, context)
        self.plans[source_path(url)] = PagePlan(render, shows)

    def paper(self, paper: Paper, entry: str) -> None:
        """Plan a paper's own page, its BibTeX `entry` shown on it."""
        self.plans[source_path(url_for_paper(paper))] = PagePlan(
            functools.partial(self.make.paper_page, paper, entry), Shows.paper(paper)
        )


class PageMaker:
    """Makes one archive's pages from their templates. Apart from the `Planner`, whose
    plans call it: plans and planner in one object would be a reference cycle, which
    keeps the whole archive alive for the garbage collector to trace and free."""

    def __init__(self, index: ArchiveIndex, site: SiteInfo):
        self.index = index
        self.site = site
        self.environment = template_environment()
        self.fragments = Fragments(index, self.environment)

    def page(
        self,
        url: str,
        template: str,
        meta: dict[str, object],
        source: str | PurePosixPath,
        context: dict[str, object],
    ) -> str:
        """Make the page at `url` from `template`, its front matter `meta` naming `source`."""
        return self.environment.get_template(template).render(
            index=self.index,
            to=LinksFrom(url),
            fragments=self.fragments,
            front_matter=Markup(front_matter(source, meta)),
            **context,
        )

    def paper_page(self, paper: Paper, entry: str) -> str:
        """Make a paper's own page, its BibTeX `entry` shown on it."""
        index, site = self.index, self.site
        to = LinksFrom(url_for_paper(paper))
        try:
            return self.page(
                url_for_paper(paper),
                "paper.md.j2",
                paper_fields(paper),
                paper.source.path,
                {
                    "paper": paper,
                    "upvotes_label": site.upvotes_label,
                    "buttons": paper_buttons(paper),
                    "abstract_html": Markup(render_markdown(paper.abstract))
                    if paper.abstract
                    else None,
                    "notes_html": Markup(render_markdown(paper.notes)) if paper.notes else None,
                    "bibtex": Markup(entry),
                    "reference_files": [
                        (label, to.file(path), index.citation_keys[paper.id] + suffix)
                        for label, path, suffix in reference_files(paper)
                    ],
                    "citation": plain_citation(paper),
                    "related": [
                        (index.by_id[other], _shared(paper, index.by_id[other], index))
                        for other in index.related.get(paper.id, ())
                    ],
                },
            )
        except Exception as error:  # a bug: name the paper file (other pages: `render_each`)
            raise UnexpectedError.wrapping(paper.source.path, error) from error


def _shared(paper: Paper, other: Paper, index: ArchiveIndex) -> str:
    """Say what makes `other` related to `paper`: `Data selection · Hamish Ivison`. Full
    names: one byline may hold four Zhangs."""
    tags, authors = paper.shared_with(other)
    return " · ".join([*(index.tag_of[slug].title for slug in tags), *authors])


def _plan_tags(plan: Planner, index: ArchiveIndex) -> None:
    plan.page(
        None,
        TAG_INDEX,
        "tag_index.md.j2",
        page_fields("Tags", "Every tag of the archive, with the number of papers under it."),
        "papers/_tags.yaml",
        tags_by_count=_tags_by_size(index),
    )
    for tag in index.tags:
        feed = {"href": tag_feed_path(tag.slug), "title": escape(f"{tag.title}: new papers")}
        papers = index.by_tag[tag.slug]
        plan.page(
            Shows.listing(("tag", tag), *papers),
            url_for_tag(tag.slug),
            "tag.md.j2",
            page_fields(tag.title, tag.description, feed=feed),
            "papers/_tags.yaml",
            tag=tag,
            papers=papers,
        )


def _plan_timeline(plan: Planner, index: ArchiveIndex) -> None:
    busiest = max((len(papers) for papers in index.by_year.values()), default=1)
    plan.page(
        None,
        TIMELINE,
        "timeline_index.md.j2",
        page_fields("Timeline", "Papers of the archive by year of first publication."),
        busiest=busiest,
    )
    years = list(index.by_year)  # newest first
    for position, (year, papers) in enumerate(index.by_year.items()):
        meta = page_fields(
            f"Papers of {year}", f"Papers of the archive first published in {year}, by month."
        )
        newer = years[position - 1] if position else None
        older = years[position + 1] if position + 1 < len(years) else None
        plan.page(
            Shows.listing(("year", year, older, newer), *papers),
            url_for_year(year),
            "year.md.j2",
            meta,
            year=year,
            older=older,
            newer=newer,
            count=len(papers),
            months=group_by_month(papers),
        )


def _plan_authors(plan: Planner, index: ArchiveIndex, site: SiteInfo) -> None:
    """Plan the authors index, the letter pages (an entry per author, the anchor old links
    name), and a page and a feed for each author with `has_page`."""
    letters = _authors_by_letter(index)
    prolific = sorted(index.authors, key=lambda a: -len(index.by_author[a.slug]))[:PROLIFIC_COUNT]
    plan.page(
        None,
        AUTHOR_INDEX,
        "author_index.md.j2",
        page_fields("Authors", "Everyone who wrote a paper in the archive."),
        letters=letters,
        prolific=prolific,
    )
    for letter, authors in letters:
        label = letter_label(letter)
        meta = page_fields(
            f"Authors: {label}",
            f"Authors of the archive whose family name starts with {label}.",
            hide=["toc"],
        )
        shown = [(a, len(index.by_author[a.slug])) for a in authors]
        # Only an author without a page of their own has their paper on the letter page.
        papers = (index.by_author[a.slug][0] for a in authors if not a.has_page)
        nav = [other for other, _ in letters]
        plan.page(
            Shows.listing(("letter", letter, nav, shown), *papers),
            url_for_letter(letter),
            "author_letter.md.j2",
            meta,
            letter=letter,
            letters=letters,
            authors=authors,
        )
    for author in index.authors:
        if not author.has_page:
            continue
        papers = index.by_author[author.slug]
        feed = author_feed_path(author)
        meta = page_fields(
            author.name,
            f"Papers by {author.name} in the archive, newest first, and their co-authors.",
            feed={"href": feed, "title": escape(f"{author.name}: papers")},
            template="author.html",
        )
        plan.page(
            Shows.listing(("author", author), *papers),
            url_for_author(author),
            "author.md.j2",
            meta,
            author=author,
            papers=papers,
        )
        # Newest by publication, as the page lists them: its entries show nothing else.
        plan.plans[PurePosixPath(feed)] = PagePlan(
            functools.partial(
                atom_feed,
                f"{site.name}: {author.name}",
                feed,
                site.url,
                papers[:AUTHOR_FEED_SIZE],
                papers[0].date,
                url_for_author(author),
                author.name,
            ),
            Shows.listing(("author feed", author), *papers[:AUTHOR_FEED_SIZE]),
        )


def _plan_venues(plan: Planner, index: ArchiveIndex) -> None:
    plan.page(
        None,
        VENUE_INDEX,
        "venue_index.md.j2",
        page_fields(
            "Venues", "Conferences, journals and workshops the archive's papers appeared at."
        ),
    )
    for venue in index.venues:
        meta = page_fields(venue.name, f"Papers of the archive published at {venue.name}.")
        plan.page(
            Shows.listing(("venue", venue.name, venue.slug), *venue.papers),
            url_for_venue(venue),
            "venue.md.j2",
            meta,
            venue=venue,
        )


def _tags_by_size(index: ArchiveIndex) -> list[Tag]:
    """The vocabulary, tags with the most papers first, then by slug."""
    return sorted(index.tags, key=lambda tag: (-len(index.by_tag[tag.slug]), tag.slug))


def _authors_by_letter(index: ArchiveIndex) -> list[tuple[str, list[Author]]]:
    letters: dict[str, list[Author]] = {}
    for author in index.authors:
        letters.setdefault(author.letter, []).append(author)
    return sorted(letters.items(), key=lambda item: (item[0] == "other", item[0]))
