"""The site's URL scheme: where each page lives and how one page links to another.

Invariant: every URL is relative to the site root and ends in `/` (a folder); links
between pages are relative, so the site works at any sub-path.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from generator.index import Author, Venue
from generator.model import Paper


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
        """Link to a download or feed (`papers.bib`, `feed-llm.xml`) beside the pages."""
        return "../" * self.depth + path


def reference_files(paper: Paper) -> tuple[tuple[str, str, str], ...]:
    """(label, path from the site root, download suffix) of a paper's RIS and CSL-JSON."""
    return (
        ("RIS", f"papers/{paper.id}.ris", ".ris"),
        ("CSL-JSON", f"papers/{paper.id}.csl.json", ".json"),
    )
