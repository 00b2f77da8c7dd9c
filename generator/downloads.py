"""Plan the files written beside the pages: feeds, BibTeX, JSON, CSV, RIS, CSL-JSON, id map.

Invariant: each paper's exports (`Exports`) are made once per run, by whoever holds them
(the incremental module reuses the last run's), and every file here is joined from them.
MkDocs copies these files into the site as they are. The archive-wide files of a large
archive are gzip-compressed (`SiteInfo.downloads_compressed`), as bulk data dumps are;
the files of one paper or one tag, which readers import directly, never are.
"""

from __future__ import annotations

import datetime
import functools
import gzip
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

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
from generator.formatting import short_authors
from generator.index import ArchiveIndex
from generator.lookup import lookup_files
from generator.model import Paper
from generator.plans import PageContent, PagePlan, Plans, Shows
from generator.references import (
    Reference,
    archive_csl_json,
    archive_ris,
    paper_csl_json,
    references,
)
from generator.settings import SiteInfo
from generator.urls import reference_files, tag_feed_path, url_for_paper

ARCHIVE_FILES = ("papers.bib", "papers.ris", "papers.csl.json", "papers.json", "papers.csv")
"""The files of the whole archive, in the order the Stats page lists them."""
GZIP_LEVEL = 6
"""gzip's own default: level 9 makes these files barely smaller (about 1%) and takes
markedly longer, paid again by every build after an edit, since these files change with
any paper (the live preview keeps them plain: serve.GeneratorSource)."""


@dataclass(frozen=True)
class Exports:
    """Each paper's own exports by id, shared by its page and every file that lists it."""

    entries: Mapping[str, str]
    """BibTeX entry (`export.bibtex_entries`)."""
    rows: Mapping[str, PaperRow]
    """`papers.json` and `papers.csv` row, in `index.papers` order (`export.paper_rows`)."""
    references: Mapping[str, Reference]
    """RIS and CSL-JSON records (`references.references`)."""


def make_exports(
    index: ArchiveIndex, site: SiteInfo, papers: Collection[Paper] | None = None
) -> Exports:
    """Make the exports of `papers` (by default every paper of `index`)."""
    return Exports(
        bibtex_entries(index, papers),
        paper_rows(index, site.url, papers),
        references(index, papers),
    )


def archive_files(compressed: bool) -> dict[str, str]:
    """The name each archive-wide file is published under, by its plain name:
    `papers.bib.gz` for `papers.bib` when `compressed`."""
    return {name: f"{name}.gz" if compressed else name for name in ARCHIVE_FILES}


def plan_downloads(
    index: ArchiveIndex,
    site: SiteInfo,
    exports: Exports,
    compressed: bool,
    only_papers: Collection[str] | None = None,
) -> Plans:
    """Plan the downloads and feeds; of the per-paper files, those of `only_papers` (all
    when None). The archive-wide files, gzip-compressed when `compressed`, change with
    any paper, so they are always planned; keyed by every paper, they are not made again
    (nor compressed) by a run that changed none. A tag's feed and BibTeX file are keyed
    by their papers."""
    updated = max(
        (paper.added or paper.date for paper in index.papers), default=datetime.date(2000, 1, 1)
    )
    entries, rows, found = exports.entries, list(exports.rows.values()), exports.references
    newest_first = by_addition(index.papers)
    feed = functools.partial(atom_feed, f"{site.name}: new papers", "feed.xml", site.url)
    plans: Plans = {
        PurePosixPath("feed.xml"): PagePlan(functools.partial(feed, newest_first, updated))
    }
    archive_wide: dict[str, Callable[[], PageContent]] = {
        "papers.bib": functools.partial(bibliography, index.papers, index, entries),
        "papers.ris": functools.partial(archive_ris, index.papers, index.citation_keys, found),
        "papers.csl.json": functools.partial(
            archive_csl_json, index.papers, index.citation_keys, found
        ),
        "papers.json": functools.partial(archive_json, site.url, rows),
        "papers.csv": functools.partial(archive_csv, rows),
    }
    for name, published in archive_files(compressed).items():
        make = functools.partial(_gzipped, archive_wide[name]) if compressed else archive_wide[name]
        plans[PurePosixPath(published)] = PagePlan(make, Shows.download(published, *index.papers))
    own = index.papers if only_papers is None else [p for p in index.papers if p.id in only_papers]
    plans.update(plan_paper_downloads(exports, own))
    tag_feeds = newest_by_tag(newest_first, index.tags, FEED_SIZE)
    for tag in index.tags:
        papers = index.by_tag[tag.slug]
        plans[PurePosixPath(f"tags/{tag.slug}.bib")] = PagePlan(
            functools.partial(bibliography, papers, index, entries),
            Shows.download("bib", *papers),
        )
        in_feed, path = tag_feeds[tag.slug], tag_feed_path(tag.slug)
        plans[PurePosixPath(path)] = PagePlan(
            functools.partial(
                atom_feed, f"{site.name}: {tag.title}", path, site.url, in_feed, updated
            ),
            Shows.download(("feed", tag, updated), *in_feed),
        )
    plans.update(
        {path: PagePlan.ready(text) for path, text in lookup_files(index, _lookup_record).items()}
    )
    return plans


def plan_paper_downloads(exports: Exports, papers: Iterable[Paper]) -> Plans:
    """Plan the RIS and CSL-JSON files of each of `papers`."""
    plans: Plans = {}
    for paper in papers:
        ris, csl = (PurePosixPath(path) for _, path, _ in reference_files(paper))
        reference = exports.references[paper.id]
        plans[ris] = PagePlan(functools.partial(_ris, reference), Shows.download("ris", paper))
        plans[csl] = PagePlan(
            functools.partial(paper_csl_json, reference), Shows.download("csl", paper)
        )
    return plans


def _gzipped(make: Callable[[], PageContent]) -> bytes:
    """`make`'s file gzip-compressed, the same bytes for the same content: the header
    holds no file name, and 0 for the time."""
    content = make()
    data = content.encode() if isinstance(content, str) else content
    return gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)


def _ris(reference: Reference) -> str:
    return reference.ris


def _lookup_record(paper: Paper) -> list[str]:
    """What the search box shows of a paper found by its id: page, title, byline, date."""
    return [
        url_for_paper(paper),
        paper.title_text,
        short_authors(paper.authors, paper.et_al),
        paper.date.isoformat(),
    ]
