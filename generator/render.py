"""Stage 5, render: turn the indexes into Markdown pages, one Jinja template per page kind.

Invariant: pure; returns `{path in docs_dir: Markdown}`. Text from paper files reaches a
page only HTML-escaped and only inside raw HTML blocks (never as Markdown syntax), so a
title can neither inject markup nor restructure the page. Links between generated pages
are relative, so the site works at any sub-path.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from html import escape
from pathlib import PurePosixPath

import jinja2
from markupsafe import Markup

from generator.bibtex import publication_year
from generator.cache import digest
from generator.errors import UnexpectedError
from generator.export import (
    FEED_SIZE,
    PaperRow,
    archive_csv,
    archive_json,
    atom_feed,
    bibliography,
    bibtex_entries,
    by_addition,
    newest_by_tag,
    paper_rows,
)
from generator.index import ArchiveIndex, Author, Venue, co_authors, group_by_month
from generator.lookup import lookup_files
from generator.markup import render_markdown
from generator.model import MONTH_NAMES, Paper
from generator.pagemeta import front_matter, heading_id, page_fields, paper_fields
from generator.references import (
    Reference,
    archive_csl_json,
    archive_ris,
    paper_csl_json,
    references,
)
from generator.stats import additions_sparkline, stats

Pages = dict[PurePosixPath, str | bytes]

RECENT_COUNT = 10
PROLIFIC_COUNT = 30
CO_AUTHOR_COUNT = 100
"""Co-authors an author's page names; the rest are counted (their papers name them all)."""
AUTHOR_FEED_SIZE = 20
"""Entries of an author's feed: enough for a reader to see what is new since last time."""


@dataclass(frozen=True)
class SiteInfo:
    """What the site says about itself (from `mkdocs.yml`)."""

    name: str
    description: str
    url: str = "http://127.0.0.1:8000/"
    """Public address ending in `/` (`site_url`): absolute links in feeds and JSON-LD."""
    upvotes_label: str | None = None
    """What a paper's `upvotes` count (`extra.upvotes_label`); None: upvotes are not shown."""


def url_for_paper(paper: Paper) -> str:
    """Return the URL of a paper's page, relative to the site root: `papers/<id>/`."""
    return f"papers/{paper.id}/"


def url_for_tag(slug: str) -> str:
    """Return the URL of a tag's page: `tags/<slug>/`."""
    return f"tags/{slug}/"


def url_for_year(year: int) -> str:
    """Return the URL of a year's page: `timeline/<year>/`."""
    return f"timeline/{year}/"


def tag_feed_path(slug: str) -> str:
    """Return the Atom feed of a tag: `feed-<slug>.xml`, in the site root.

    Root, not `tags/`: Material reads every `<link rel="alternate">` in a page head as a
    translation and fetches `sitemap.xml` beside it, which only exists in the root.
    """
    return f"feed-{slug}.xml"


def url_for_venue(venue: Venue) -> str:
    """Return the URL of a venue series' page: `venues/<slug>/`."""
    return f"venues/{venue.slug}/"


def url_for_letter(letter: str) -> str:
    """Return the URL of the authors page for family names starting with `letter`."""
    return f"authors/{letter}/"


def url_for_author(author: Author) -> str:
    """Return the URL of an author's own page: `authors/<letter>/<slug>/`.

    Under the letter page, so no name can slug like a letter page; stable while the name
    (and so its slug) is. Only authors with `has_page` have one.
    """
    return f"authors/{author.letter}/{author.slug}/"


def author_feed_path(author: Author) -> str:
    """Return the Atom feed of an author with a page: `author-<slug>.xml`, in the site
    root for the reason `tag_feed_path` gives; the prefix keeps it apart from tag feeds."""
    return f"author-{author.slug}.xml"


HOME, TAG_INDEX, TIMELINE, AUTHOR_INDEX, VENUE_INDEX = (
    "",
    "tags/",
    "timeline/",
    "authors/",
    "venues/",
)
STATS = "stats/"
LOOKUP = "arxiv/"
"""The page `?id=2406.19976` sends to the paper (theme_overrides/javascripts/lookup.js)."""
_SECTION_INDEXES = frozenset((HOME, TAG_INDEX, TIMELINE, AUTHOR_INDEX, VENUE_INDEX))


def source_path(url: str) -> PurePosixPath:
    """Return the Markdown file MkDocs turns into `url` (`tags/` <- `tags/index.md`)."""
    return PurePosixPath(f"{url}index.md" if url in _SECTION_INDEXES else f"{url[:-1]}.md")


def relative_url(source: str, target: str, fragment: str = "") -> str:
    """Return the link from the page at URL `source` to the page at URL `target`.

    Always climbs to the site root first (`../../tags/llm/`): a few bytes longer than the
    shortest path, but plain string work, which matters at 10,000 pages, and correct under
    any sub-path the site is published at.
    """
    url = "../" * source.count("/") + target or "./"
    return f"{url}#{fragment}" if fragment else url


class LinksFrom:
    """URLs as seen from one page; templates call `to.paper(p)`, `to.tag(slug)`, ..."""

    def __init__(self, source: str):
        self.source = source
        self.depth = source.count("/")
        """Folders below the root: every link from pages of one depth is the same."""

    def paper(self, paper: Paper) -> str:
        return relative_url(self.source, url_for_paper(paper))

    def tag(self, slug: str) -> str:
        return relative_url(self.source, url_for_tag(slug))

    def year(self, year: int) -> str:
        return relative_url(self.source, url_for_year(year))

    def letter(self, letter: str) -> str:
        return relative_url(self.source, url_for_letter(letter))

    def author(self, author: Author) -> str:
        """Link to the author's page, or to their entry on the letter page if they have none."""
        if author.has_page:
            return relative_url(self.source, url_for_author(author))
        return self.author_entry(author)

    def author_entry(self, author: Author) -> str:
        """Link to the author's entry on their letter page (`authors/s/#jane-smith`)."""
        return relative_url(self.source, url_for_letter(author.letter), author.slug)

    def tag_index(self) -> str:
        return relative_url(self.source, TAG_INDEX)

    def timeline(self) -> str:
        return relative_url(self.source, TIMELINE)

    def author_index(self) -> str:
        return relative_url(self.source, AUTHOR_INDEX)

    def venue(self, venue: Venue) -> str:
        return relative_url(self.source, url_for_venue(venue))

    def venue_index(self) -> str:
        return relative_url(self.source, VENUE_INDEX)

    def stats(self) -> str:
        return relative_url(self.source, STATS)

    def file(self, path: str) -> str:
        """Link to a download or feed (`papers.bib`, `tags/x.xml`) beside the pages."""
        return "../" * self.depth + path


class Fragments:
    """HTML fragments repeated across pages, each rendered once per page depth.

    A paper appears on a dozen pages (tags, year, venue, each author, related lists) and an
    author in every co-author list; links climb to the root, so one rendering serves every
    page of the same depth. At 10,000 papers this is most of the rendering time saved.
    """

    def __init__(self, index: ArchiveIndex, environment: jinja2.Environment):
        self._index = index
        macros = environment.get_template("_macros.md.j2").module
        self._paper_item = macros.paper_item  # type: ignore[attr-defined]
        self._tag_chips = macros.tag_chips  # type: ignore[attr-defined]
        self._items: dict[tuple[str, int, bool], str] = {}
        self._authors: dict[tuple[str, str, int], str] = {}
        self._chips: dict[tuple[tuple[str, ...], int], Markup] = {}

    def item(self, paper: Paper, to: LinksFrom, why: str = "") -> Markup:
        """Return the paper's `<li>` entry: title link, authors, date, venue, tag chips;
        or, given `why` it is listed (escaped here), that instead of the chips."""
        entry = Markup(self._item(paper, to, chips=not why))
        if why:
            reason = Markup('\n<span class="pa-item__why">Shares: {}</span></li>').format(why)
            entry = Markup(entry.removesuffix("</li>")) + reason
        return entry

    def list(self, papers: Iterable[Paper], to: LinksFrom, chips: bool = True) -> Markup:
        """Return a `<ul class="pa-list">` of `papers`, one entry per line; without tag
        chips when not `chips` (author pages: a paper is listed once per author)."""
        entries = "".join(f"{self._item(paper, to, chips)}\n" for paper in papers)
        return Markup(f'<ul class="pa-list">\n{entries}</ul>')

    def byline(self, paper: Paper, to: LinksFrom) -> Markup:
        """Return the paper's authors as it spells them, each a link to the person (by ORCID
        iD where the file gives one), and `et al.` when the list is cut short."""
        people = zip(paper.authors, self._index.bylines[paper.id], strict=True)
        links = ", ".join(self._author(author, to, name) for name, author in people)
        return Markup(f"{links} et al." if paper.et_al else links)

    def chips(self, slugs: tuple[str, ...], to: LinksFrom) -> Markup:
        """Return the tags' chips: many papers share one combination of tags."""
        found = self._chips.get((slugs, to.depth))
        if found is None:
            found = self._chips[slugs, to.depth] = self._tag_chips(slugs, self._index, to)
        return found

    def co_authors(self, author: Author, to: LinksFrom) -> Markup:
        """Return `With A (2), B, C`: who wrote with `author`, most joint papers first, up to
        `CO_AUTHOR_COUNT` of them and how many more."""
        everyone = co_authors(author, self._index)
        links = [
            f"{self._author(other, to)} ({shared})" if shared > 1 else self._author(other, to)
            for other, shared in everyone[:CO_AUTHOR_COUNT]
        ]
        more = len(everyone) - len(links)
        if more:
            links.append(f"and {more} more")
        return Markup(f'<p class="pa-coauthors">With {", ".join(links)}</p>' if links else "")

    def _item(self, paper: Paper, to: LinksFrom, chips: bool = True) -> str:
        found = self._items.get((paper.id, to.depth, chips))
        if found is None:
            found = str(self._paper_item(paper, self._index, to, chips))
            self._items[paper.id, to.depth, chips] = found
        return found

    def _author(self, author: Author, to: LinksFrom, name: str | None = None) -> str:
        """Link to `author`, shown as `name` (a byline's spelling) or else their own name."""
        shown = author.name if name is None else name
        found = self._authors.get((author.slug, shown, to.depth))
        if found is None:
            found = Markup('<a href="{}">{}</a>').format(to.author(author), shown)
            self._authors[author.slug, shown, to.depth] = found
        return found


@dataclass(frozen=True)
class PagePlan:
    """A page not yet rendered: a digest of everything it shows, and how to render it."""

    inputs: str | None
    """Digest of the page's inputs (`PageInputs`); None for pages cheap enough to redo."""
    render: Callable[[], str | bytes]

    @classmethod
    def ready(cls, content: str | bytes) -> PagePlan:
        """A page already made (an export, a hand-written page)."""
        return cls(None, lambda: content)


Plans = dict[PurePosixPath, PagePlan]


def shown_in_lists(paper: Paper) -> tuple[object, ...]:
    """What pages other than its own show of a paper (lists, bylines, co-author lines).

    Author anchors and citation keys derive from these fields of all papers, so while no
    paper's fields change, an edit re-renders only the edited paper's own page.
    """
    return (
        paper.title,
        paper.date,
        paper.venue,
        paper.tags,
        paper.authors,
        paper.orcid,
        paper.et_al,
    )


class PageInputs:
    """Digests of what each costly page shows, so an unchanged page need not be rendered.

    A paper's file digest stands for everything about it; its `listing` digest for what
    other pages show of it (title, date, venue, tags, authors with their anchors). Every
    digest also covers the site's settings and the tag vocabulary, which chips show.
    """

    def __init__(self, index: ArchiveIndex, site: SiteInfo):
        self._index = index
        self._common = digest(repr((site, index.tags)).encode())
        self._listings: dict[str, str] = {}

    def listing(self, paper: Paper) -> str:
        """Digest of the paper as lists, bylines and co-author lines show it."""
        found = self._listings.get(paper.id)
        if found is None:
            authors = self._index.bylines[paper.id]
            anchors = [(author.slug, author.letter, author.has_page) for author in authors]
            shown = (*shown_in_lists(paper), anchors)
            found = self._listings[paper.id] = digest(repr(shown).encode())
        return found

    def paper(self, paper: Paper) -> str:
        """Digest of a paper page: its file, key, venue page and related papers."""
        index = self._index
        venue = index.venue_of.get(paper.id)
        related = [(other, self.listing(index.by_id[other])) for other in index.related[paper.id]]
        return self._of(
            self._content(paper),
            index.citation_keys[paper.id],
            self.listing(paper),
            venue.slug if venue else None,
            related,
        )

    def listing_page(self, *about: object, papers: Iterable[Paper]) -> str:
        """Digest of a page listing `papers`, with `about` naming the page."""
        return self._of(about, [self.listing(paper) for paper in papers])

    def download(self, *about: object, papers: Iterable[Paper]) -> str:
        """Digest of a download or feed of `papers`: all of each paper, and its key."""
        keys = self._index.citation_keys
        return self._of(about, [(self._content(paper), keys[paper.id]) for paper in papers])

    def _content(self, paper: Paper) -> str:
        # An archive made in memory (tests, tools) has no file digests: the paper stands in.
        return self._index.digests.get(paper.id) or digest(repr(paper).encode())

    def _of(self, *parts: object) -> str:
        return digest(repr((self._common, parts)).encode())


def render_pages(index: ArchiveIndex, site: SiteInfo) -> Pages:
    """Render every generated page of the archive, plus its feeds and exports."""
    return {path: plan.render() for path, plan in plan_pages(index, site).items()}


def plan_pages(
    index: ArchiveIndex,
    site: SiteInfo,
    entries: Mapping[str, str] | None = None,
    rows: Mapping[str, PaperRow] | None = None,
    only_papers: Collection[str] | None = None,
    found: Mapping[str, Reference] | None = None,
) -> Plans:
    """Plan every page of the archive; pages render only when a plan's `render` is called.

    `entries` (`bibtex_entries`), `rows` (`paper_rows`) and `found` (`references`) are
    passed by a caller that already has them (the generator's cache). A caller that knows
    no paper changed in what other pages show of it (`PageInputs.listing`) passes
    `only_papers`: then only those papers' pages (and their RIS and CSL-JSON files) are
    planned, with the feeds, downloads and unkeyed pages, and none of the pages that list
    papers (tags, years, authors, venues).
    """
    environment = _environment()
    entries = bibtex_entries(index) if entries is None else entries
    found = references(index) if found is None else found
    fragments = Fragments(index, environment)
    inputs = PageInputs(index, site)
    plans: Plans = {}

    def render(
        url: str,
        template: str,
        meta: dict[str, object],
        source: object = "papers/",
        **context: object,
    ) -> str:
        context["front_matter"] = Markup(front_matter(source, meta))
        return environment.get_template(template).render(
            index=index, to=LinksFrom(url), fragments=fragments, **context
        )

    def plan(inputs: str | None, url: str, *arguments: object, **context: object) -> None:
        plans[source_path(url)] = PagePlan(
            inputs,
            functools.partial(render, url, *arguments, **context),  # type: ignore[arg-type]
        )

    def paper_page(paper: Paper) -> str:
        to_root = LinksFrom(url_for_paper(paper)).file("")
        try:
            tags = [index.tag_of[slug] for slug in paper.tags]
            return render(
                url_for_paper(paper),
                "paper.md.j2",
                paper_fields(paper, tags, site.url),
                paper.source.path,
                paper=paper,
                upvotes_label=site.upvotes_label,
                buttons=paper_buttons(paper),
                abstract_html=Markup(render_markdown(paper.abstract)) if paper.abstract else None,
                notes_html=Markup(render_markdown(paper.notes)) if paper.notes else None,
                bibtex=Markup(entries[paper.id]),
                reference_files=[
                    (label, to_root + path, index.citation_keys[paper.id] + suffix)
                    for label, path, suffix in _reference_files(paper)
                ],
                citation=plain_citation(paper),
                related=[
                    (index.by_id[other], _shared(paper, index.by_id[other], index))
                    for other in index.related.get(paper.id, ())
                ],
            )
        except Exception as error:  # a bug: name the paper file (other pages: write.py)
            raise UnexpectedError.wrapping(paper.source.path, error) from error

    for paper in index.papers:
        if only_papers is None or paper.id in only_papers:
            plans[source_path(url_for_paper(paper))] = PagePlan(
                inputs.paper(paper), functools.partial(paper_page, paper)
            )
            ris, csl = (PurePosixPath(path) for _, path, _ in _reference_files(paper))
            reference = found[paper.id]
            plans[ris] = PagePlan(inputs.download("ris", papers=[paper]), lambda r=reference: r.ris)
            plans[csl] = PagePlan(
                inputs.download("csl", papers=[paper]), functools.partial(paper_csl_json, reference)
            )
    if only_papers is None:
        _plan_tags(plan, index, inputs)
        _plan_timeline(plan, index, inputs)
        plans.update(_plan_authors(plan, index, inputs, site))
        _plan_venues(plan, index, inputs)
    plan(
        None,
        STATS,
        "stats.md.j2",
        page_fields("Stats", "The archive in numbers: papers per month, tag, venue and author."),
        **stats(index),
    )
    plan(
        None,
        HOME,
        "home.md.j2",
        page_fields(site.name, site.description, hide=["navigation", "toc"]),
        site=site,
        recent_count=RECENT_COUNT,
        popular_tags=[
            t
            for t in _by_size(index.tags, index.by_tag, key=lambda t: t.slug)
            if index.by_tag[t.slug]
        ],
        additions=additions_sparkline(index),
    )
    plan(
        None,
        LOOKUP,
        "lookup.md.j2",
        page_fields("Find a paper by its id", "Go to a paper by its arXiv id, DOI or key."),
    )
    plans.update(_plan_exports(index, site, entries, rows, inputs))
    keys = index.citation_keys
    plans[PurePosixPath("papers.ris")] = PagePlan(
        None, functools.partial(archive_ris, index.papers, keys, found)
    )
    plans[PurePosixPath("papers.csl.json")] = PagePlan(
        None, functools.partial(archive_csl_json, index.papers, keys, found)
    )
    plans.update(
        {path: PagePlan.ready(text) for path, text in lookup_files(index, _lookup_record).items()}
    )
    return plans


def _reference_files(paper: Paper) -> tuple[tuple[str, str, str], ...]:
    """(label, path from the site root, download suffix) of a paper's RIS and CSL-JSON."""
    return (
        ("RIS", f"papers/{paper.id}.ris", ".ris"),
        ("CSL-JSON", f"papers/{paper.id}.csl.json", ".json"),
    )


def _shared(paper: Paper, other: Paper, index: ArchiveIndex) -> str:
    """Say what makes `other` related to `paper`: `Data selection · Hamish Ivison`. Full
    names: one byline may hold four Zhangs."""
    tags, authors = paper.shared_with(other)
    return " · ".join([*(index.tag_of[slug].title for slug in tags), *authors])


def _lookup_record(paper: Paper) -> list[str]:
    """What the search box shows of a paper found by its id: page, title, byline, date."""
    return [
        url_for_paper(paper),
        paper.title_text,
        short_authors(paper.authors, paper.et_al),
        paper.date.isoformat(),
    ]


def _plan_tags(plan, index: ArchiveIndex, inputs: PageInputs) -> None:  # type: ignore[no-untyped-def]
    plan(
        None,
        TAG_INDEX,
        "tag_index.md.j2",
        page_fields("Tags", "Every tag of the archive, with the number of papers under it."),
        "papers/_tags.yaml",
        tags_by_count=_by_size(index.tags, index.by_tag, key=lambda t: t.slug),
    )
    for tag in index.tags:
        feed = {"href": tag_feed_path(tag.slug), "title": escape(f"{tag.title}: new papers")}
        papers = index.by_tag[tag.slug]
        plan(
            inputs.listing_page("tag", tag, papers=papers),
            url_for_tag(tag.slug),
            "tag.md.j2",
            page_fields(tag.title, tag.description, feed=feed),
            "papers/_tags.yaml",
            tag=tag,
            papers=papers,
        )


def _plan_timeline(plan, index: ArchiveIndex, inputs: PageInputs) -> None:  # type: ignore[no-untyped-def]
    busiest = max((len(papers) for papers in index.by_year.values()), default=1)
    plan(
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
        plan(
            inputs.listing_page("year", year, older, newer, papers=papers),
            url_for_year(year),
            "year.md.j2",
            meta,
            year=year,
            older=older,
            newer=newer,
            count=len(papers),
            months=group_by_month(papers),
        )


def _plan_authors(plan, index: ArchiveIndex, inputs: PageInputs, site: SiteInfo) -> Plans:  # type: ignore[no-untyped-def]
    """Plan the authors index, the letter pages (an entry per author, the anchor old links
    name), and a page for each author with `has_page`; return the plans of their feeds."""
    letters = _authors_by_letter(index)
    prolific = sorted(index.authors, key=lambda a: -len(index.by_author[a.slug]))[:PROLIFIC_COUNT]
    plan(
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
        plan(
            inputs.listing_page("letter", letter, nav, shown, papers=papers),
            url_for_letter(letter),
            "author_letter.md.j2",
            meta,
            letter=letter,
            letters=letters,
            authors=authors,
        )
    feeds: Plans = {}
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
        plan(
            inputs.listing_page("author", author, papers=papers),
            url_for_author(author),
            "author.md.j2",
            meta,
            author=author,
            papers=papers,
        )
        # Newest by publication, as the page lists them: a lean feed shows nothing else.
        feeds[PurePosixPath(feed)] = PagePlan(
            inputs.listing_page("author feed", author, papers=papers[:AUTHOR_FEED_SIZE]),
            functools.partial(
                atom_feed,
                f"{site.name}: {author.name}",
                feed,
                site.url,
                papers[:AUTHOR_FEED_SIZE],
                papers[0].date,
                url_for_author(author),
                lean=True,
            ),
        )
    return feeds


def _plan_venues(plan, index: ArchiveIndex, inputs: PageInputs) -> None:  # type: ignore[no-untyped-def]
    plan(
        None,
        VENUE_INDEX,
        "venue_index.md.j2",
        page_fields(
            "Venues", "Conferences, journals and workshops the archive's papers appeared at."
        ),
    )
    for venue in index.venues:
        meta = page_fields(venue.name, f"Papers of the archive published at {venue.name}.")
        plan(
            inputs.listing_page("venue", venue.name, venue.slug, papers=venue.papers),
            url_for_venue(venue),
            "venue.md.j2",
            meta,
            venue=venue,
        )


def _plan_exports(
    index: ArchiveIndex,
    site: SiteInfo,
    entries: Mapping[str, str],
    rows: Mapping[str, PaperRow] | None,
    inputs: PageInputs,
) -> Plans:
    """Feeds and downloads, written beside the pages; MkDocs copies them as they are.

    The archive-wide files change with any paper and are cheap to join, so they are always
    made; a tag's feed and BibTeX file only when one of its papers changed.
    """
    updated = max(
        (paper.added or paper.date for paper in index.papers), default=datetime.date(2000, 1, 1)
    )
    rows = paper_rows(index, site.url) if rows is None else rows
    newest_first = by_addition(index.papers)
    tag_feeds = newest_by_tag(newest_first, index.tags, FEED_SIZE)
    plans: Plans = {  # made when written, like every page, so a failure names its file
        PurePosixPath("feed.xml"): PagePlan(
            None,
            functools.partial(
                atom_feed, f"{site.name}: new papers", "feed.xml", site.url, newest_first, updated
            ),
        ),
        PurePosixPath("papers.bib"): PagePlan(
            None, functools.partial(bibliography, index.papers, index, entries)
        ),
        PurePosixPath("papers.json"): PagePlan(
            None, functools.partial(archive_json, rows.values())
        ),
        PurePosixPath("papers.csv"): PagePlan(None, functools.partial(archive_csv, rows.values())),
    }
    for tag in index.tags:
        papers = index.by_tag[tag.slug]
        plans[PurePosixPath(f"tags/{tag.slug}.bib")] = PagePlan(
            inputs.download("bib", papers=papers),
            functools.partial(bibliography, papers, index, entries),
        )
        in_feed = tag_feeds[tag.slug]
        feed = tag_feed_path(tag.slug)
        plans[PurePosixPath(feed)] = PagePlan(
            inputs.download("feed", tag, updated, papers=in_feed),
            functools.partial(
                atom_feed, f"{site.name}: {tag.title}", feed, site.url, in_feed, updated
            ),
        )
    return plans


def _by_size(items, groups, key):  # type: ignore[no-untyped-def]
    """Sort items by the size of their group, largest first, then by `key`."""
    return sorted(items, key=lambda item: (-len(groups[key(item)]), key(item)))


def paper_buttons(paper: Paper) -> list[tuple[str, str]]:
    """Return (label, URL) of the paper's link buttons: arXiv first, then its links, then DOI."""
    buttons = []
    if paper.arxiv:
        buttons.append(("arXiv", f"https://arxiv.org/abs/{paper.arxiv}"))
        if not paper.link("pdf"):
            buttons.append(("PDF", f"https://arxiv.org/pdf/{paper.arxiv}"))
    labels = {"pdf": "PDF", "code": "Code", "project": "Project page"}
    buttons += [(labels.get(link.kind, link.kind.capitalize()), link.url) for link in paper.links]
    if paper.doi:
        buttons.append(("DOI", f"https://doi.org/{paper.doi}"))
    return buttons


def plain_citation(paper: Paper) -> str:
    """Return a one-line citation: `Pal, Yao, Wang et al. (2024). Title. ICLR 2024. arXiv:…`,
    of the year the BibTeX entry gives (`publication_year`)."""
    byline = short_authors(paper.authors, paper.et_al)
    parts = [f"{byline} ({publication_year(paper)}). {paper.title_text.rstrip('.')}."]
    if paper.venue:
        parts.append(f"{paper.venue}.")
    if paper.arxiv:
        parts.append(f"arXiv:{paper.arxiv}.")
    if paper.doi:
        parts.append(f"https://doi.org/{paper.doi}")
    return " ".join(parts)


def short_authors(authors: tuple[str, ...], et_al: bool = False) -> str:
    """Return up to four names in full; longer lists, or cut-short ones, end in `et al.`."""
    if len(authors) <= 4:
        return f"{', '.join(authors)} et al." if et_al else ", ".join(authors)
    return f"{', '.join(authors[:3])} et al."


def long_date(date) -> str:  # type: ignore[no-untyped-def]
    """Return `15 March 2024`, the same in every locale."""
    return f"{date.day} {MONTH_NAMES[date.month - 1]} {date.year}"


def month_name(date) -> str:  # type: ignore[no-untyped-def]
    """Return `March 2024`."""
    return f"{MONTH_NAMES[date.month - 1]} {date.year}"


def letter_label(letter: str) -> str:
    """Return `A` for `a`, and `Other` for family names that do not start with a-z."""
    return "Other" if letter == "other" else letter.upper()


def _authors_by_letter(index: ArchiveIndex) -> list[tuple[str, list[Author]]]:
    letters: dict[str, list[Author]] = {}
    for author in index.authors:
        letters.setdefault(author.letter, []).append(author)
    return sorted(letters.items(), key=lambda item: (item[0] == "other", item[0]))


_ENVIRONMENTS: list[jinja2.Environment] = []


def _environment() -> jinja2.Environment:
    """Load templates once per process; autoescape is on for every template."""
    if not _ENVIRONMENTS:
        environment = jinja2.Environment(
            loader=jinja2.PackageLoader("generator", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=False,
            auto_reload=False,  # templates are code: no stat of the file per page rendered
        )
        environment.filters.update(
            short_authors=short_authors,
            long_date=long_date,
            month_name=month_name,
            letter_label=letter_label,
            anchor=heading_id,
            tag_of=lambda slug, index: index.tag_of[slug],
            tag_feed_path=tag_feed_path,
            author_feed_path=author_feed_path,
        )
        _ENVIRONMENTS.append(environment)
    return _ENVIRONMENTS[0]
