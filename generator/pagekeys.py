"""What of a paper each memory of the incremental module is keyed by, and page keys:
digests of what each generated page shows, so an unchanged page is told from a changed
one without making it.

Apart from the incremental module, which decides when a key (or the last run's) is used,
because these are contracts with the stages: what pages show of a paper other than its own
(`shown_in_lists`), what the indexes read of it (`indexed_fields`), what related papers
are found from (`related_text`). A stage that reads more breaks the cache, which
tests/test_incremental.py catches by editing every field.
"""

from __future__ import annotations

from collections.abc import Mapping

from generator.cache import digest
from generator.index import ArchiveIndex
from generator.model import Paper
from generator.plans import PagePlan, Shows
from generator.settings import SiteInfo


def shown_in_lists(paper: Paper) -> tuple[object, ...]:
    """What pages other than its own show of a paper (lists, bylines, co-author lines,
    links to its page; author anchors and citation keys derive from these fields of all
    papers)."""
    return (
        paper.id,
        paper.title,
        paper.date,
        paper.venue,
        paper.tags,
        paper.authors,
        paper.orcid,
        paper.et_al,
    )


def indexed_fields(paper: Paper) -> tuple[object, ...]:
    """What `build_indexes` reads of a paper: its groups, orders, slugs and citation key."""
    return (
        paper.id,
        paper.date,
        paper.added,
        paper.title,
        paper.authors,
        paper.orcid,
        paper.tags,
        paper.venue,
    )


def related_text(paper: Paper) -> bytes:
    """What `related.related_papers` reads of a paper."""
    return "\x1f".join(
        (paper.title, paper.abstract or "", *paper.tags, "\x1e", *paper.authors)
    ).encode()


class PageKeys:
    """Digests of what each keyed page shows (`plans.Shows`), so an unchanged page need
    not be made. A paper's file digest stands for everything about it; its listing digest
    for what other pages show of it (`shown_in_lists`, and its authors' anchors). Every
    key also covers the site's settings and the vocabulary, which chips show."""

    def __init__(self, index: ArchiveIndex, site: SiteInfo, file_digests: Mapping[str, str]):
        self._index = index
        self._files = file_digests
        self.common = digest(repr((site, index.tags)).encode())
        """What every key covers: the site's settings and the vocabulary."""
        self._listings: dict[str, str] = {}

    def of(self, plan: PagePlan) -> str | None:
        """Return the key of a planned page; None for a page made again every run."""
        shows: Shows | None = plan.shows
        if shows is None:
            return None
        index = self._index
        if shows.kind == "paper":
            (paper,) = shows.papers
            venue = index.venue_of.get(paper.id)
            related = [(o, self._listing(index.by_id[o])) for o in index.related[paper.id]]
            parts: object = (
                self._content(paper), index.citation_keys[paper.id], self._listing(paper),
                venue.slug if venue else None, related,
            )  # fmt: skip
            return digest(repr((self.common, shows.kind, parts)).encode())
        if shows.kind == "listing":
            shown = [self._listing(paper) for paper in shows.papers]
        else:
            keys = index.citation_keys
            shown = [f"{self._content(p)}\x1e{keys[p.id]}" for p in shows.papers]
        # Joined, not repr'd: a tag page lists thousands. `repr` escapes the separators.
        return digest("\x1d".join((self.common, shows.kind, repr(shows.about), *shown)).encode())

    def _listing(self, paper: Paper) -> str:
        found = self._listings.get(paper.id)
        if found is None:
            authors = self._index.bylines[paper.id]
            anchors = [(author.slug, author.letter, author.has_page) for author in authors]
            shown = (*shown_in_lists(paper), anchors)
            found = self._listings[paper.id] = digest(repr(shown).encode())
        return found

    def _content(self, paper: Paper) -> str:
        return self._files[paper.id]
