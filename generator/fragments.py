"""HTML fragments that many pages repeat (paper entries, bylines, chips), each rendered once.

Invariant: a fragment depends only on the page's depth, never on the page itself, since
links climb to the site root first (`urls.relative_url`).
"""

from __future__ import annotations

from collections.abc import Iterable

import jinja2
from markupsafe import Markup, escape

from generator.index import ArchiveIndex, Author, co_authors
from generator.model import Paper
from generator.urls import LinksFrom

CO_AUTHOR_COUNT = 50
"""Co-authors an author's page names; the rest are counted (their papers name them all)."""


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
        self._chips: dict[tuple[tuple[str, ...], int, bool], Markup] = {}

    def item(self, paper: Paper, to: LinksFrom, why: str) -> Markup:
        """Return the paper's `<li>` entry in a related list: title link, authors, year,
        venue, and `why` it is listed (escaped here)."""
        entry = self._item(paper, to, related=True)
        return Markup(f"{entry}\n<span>Shares: {escape(why)}</span></li>")

    def list(self, papers: Iterable[Paper], to: LinksFrom, omit: str | None = None) -> Markup:
        """Return a `<ul class="pa-list">` of `papers`, one entry per line: title link,
        authors, date, venue, tag chips; on a tag's page (`omit`, its slug) the chips leave
        that tag out, which would only name the page."""
        entries = []
        for paper in papers:
            slugs = tuple(slug for slug in paper.tags if slug != omit)
            chips = f"\n{self._chips_of(slugs, to, described=False)}" if slugs else ""
            entries.append(f"{self._item(paper, to)}{chips}</li>\n")
        return Markup(f'<ul class="pa-list">\n{"".join(entries)}</ul>')

    def byline(self, paper: Paper, to: LinksFrom) -> Markup:
        """Return the paper's authors as it spells them, each a link to the person (by ORCID
        iD where the file gives one), and `et al.` when the list is cut short."""
        people = zip(paper.authors, self._index.bylines[paper.id], strict=True)
        links = ", ".join(self._author(author, to, name) for name, author in people)
        return Markup(f"{links} et al." if paper.et_al else links)

    def chips(self, slugs: tuple[str, ...], to: LinksFrom) -> Markup:
        """Return a paper's own tag chips, each titled with the tag's description."""
        return self._chips_of(slugs, to, described=True)

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

    def _item(self, paper: Paper, to: LinksFrom, related: bool = False) -> str:
        """The paper's entry, left open for the chips or the reason (`paper_item`)."""
        key = (paper.id, to.depth, related)
        found = self._items.get(key)
        if found is None:
            found = self._items[key] = str(self._paper_item(paper, self._index, to, related))
        return found

    def _chips_of(self, slugs: tuple[str, ...], to: LinksFrom, described: bool) -> Markup:
        """Chips of `slugs`: many papers share one combination of tags. A list's go without
        the descriptions, since it repeats each tag for every paper it shows."""
        key = (slugs, to.depth, described)
        found = self._chips.get(key)
        if found is None:
            found = self._chips[key] = self._tag_chips(slugs, self._index, to, described)
        return found

    def _author(self, author: Author, to: LinksFrom, name: str | None = None) -> str:
        """Link to `author`, shown as `name` (a byline's spelling) or else their own name."""
        shown = author.name if name is None else name
        key = (author.slug, shown, to.depth)
        found = self._authors.get(key)
        if found is None:
            found = Markup('<a href="{}">{}</a>').format(to.author(author), shown)
            self._authors[key] = found
        return found
