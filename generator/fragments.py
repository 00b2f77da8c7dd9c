"""HTML fragments that many pages repeat (paper entries, bylines, chips), each rendered once.

Invariant: a fragment depends only on the page's depth, never on the page itself, since
links climb to the site root first (`urls.relative_url`).
"""

from __future__ import annotations

from collections.abc import Iterable

import jinja2
from markupsafe import Markup

from generator.index import ArchiveIndex, Author, co_authors
from generator.model import Paper
from generator.urls import LinksFrom

CO_AUTHOR_COUNT = 100
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
