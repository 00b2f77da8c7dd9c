"""Machine-readable copies of the archive: BibTeX, JSON, CSV and Atom feeds.

Invariant: pure functions of the index; every list has an explicit order and every
timestamp comes from the papers, so the same archive always gives the same bytes.
The JSON field order is `JSON_FIELDS`, documented in docs/GUIDE.md.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.bibtex_format import format_bibtex
from generator.index import ArchiveIndex
from generator.markup import plain_text
from generator.model import Paper, Tag
from generator.urls import url_for_paper

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
JSON_FIELDS = (
    "id", "title", "authors", "et_al", "date", "added", "abstract", "tags", "arxiv",
    "arxiv_category", "doi", "venue", "organization", "upvotes", "links", "notes", "orcid",
    "citation_key",
)  # fmt: skip
CSV_FIELDS = (
    "id",
    "url",
    "title",
    "authors",
    "date",
    "added",
    "venue",
    "tags",
    "arxiv",
    "doi",
    "citation_key",
)


def bibliography(papers: Iterable[Paper], index: ArchiveIndex, entries: Mapping[str, str]) -> str:
    """Return one BibTeX file for `papers` from their `entries` (by id), sorted by key."""
    keyed = sorted((index.citation_keys[paper.id], paper.id) for paper in papers)
    return "\n".join(entries[paper_id] for _, paper_id in keyed)


def bibtex_entries(index: ArchiveIndex, papers: Iterable[Paper] | None = None) -> dict[str, str]:
    """Format the BibTeX entry of each of `papers` (by default all), by id: once, for its
    page, papers.bib and its tags' files."""
    return {
        paper.id: format_bibtex(paper, index.citation_keys[paper.id])
        for paper in (index.papers if papers is None else papers)
    }


def paper_record(paper: Paper, index: ArchiveIndex) -> dict[str, object]:
    """Return every field of a paper as JSON-ready values, in `JSON_FIELDS` order."""
    record: dict[str, object] = {
        "id": paper.id,
        "title": paper.title,
        "authors": list(paper.authors),
        "et_al": paper.et_al,
        "date": paper.date.isoformat(),
        "added": paper.added.isoformat() if paper.added else None,
        "abstract": paper.abstract,
        "tags": list(paper.tags),
        "arxiv": paper.arxiv,
        "arxiv_category": paper.arxiv_category,
        "doi": paper.doi,
        "venue": paper.venue,
        "organization": paper.organization,
        "upvotes": paper.upvotes,
        "links": {link.kind: link.url for link in paper.links},
        "notes": paper.notes,
        "orcid": dict(paper.orcid),
        "citation_key": index.citation_keys[paper.id],
    }
    assert tuple(record) == JSON_FIELDS
    return record


@dataclass(frozen=True)
class PaperRow:
    """One paper as `papers.json` and `papers.csv` hold it: a JSON line and a CSV row, in
    UTF-8, so the files are joined from bytes (at 10,000 papers, joining `str` copies 84 MB
    where bytes copy 21)."""

    json: bytes
    csv: bytes


def paper_rows(
    index: ArchiveIndex, site_url: str, papers: Iterable[Paper] | None = None
) -> dict[str, PaperRow]:
    """The row of each of `papers` (by default all, newest first), by id."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    rows = {}
    for paper in index.papers if papers is None else papers:
        record = paper_record(paper, index)
        buffer.seek(0)
        buffer.truncate()
        cells = {**record, "url": site_url + url_for_paper(paper)}
        writer.writerow(_csv_cell(cells[field]) for field in CSV_FIELDS)
        rows[paper.id] = PaperRow(
            json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode(),
            buffer.getvalue().encode(),
        )
    return rows


def archive_json(site_url: str, rows: Iterable[PaperRow]) -> bytes:
    """Return `papers.json`: `{"site_url": ..., "papers": [...]}`, one paper per line.

    A paper's page is `site_url` + `papers/ID/`, so the file says the address once rather
    than in every row. One line per paper keeps the file readable and diffable, and lets
    the C encoder do the work (an indented dump runs json's Python encoder: seconds at
    10,000 papers); within a line, no spaces.
    """
    head = b'{"site_url":' + json.dumps(site_url, ensure_ascii=False).encode() + b',"papers":['
    lines = b",\n".join(row.json for row in rows)
    return head + (b"\n" + lines + b"\n" if lines else b"") + b"]}\n"


def archive_csv(rows: Iterable[PaperRow]) -> bytes:
    """Return `papers.csv` for spreadsheets; lists are joined with `; `."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(CSV_FIELDS)
    return buffer.getvalue().encode() + b"".join(row.csv for row in rows)


def atom_feed(
    title: str,
    feed_path: str,
    site_url: str,
    papers: Sequence[Paper],
    updated: datetime.date,
    page: str = "",
    author: str | None = None,
) -> str:
    """Return an Atom 1.0 feed of `papers` (already in feed order), at most `FEED_SIZE`,
    for the page at `page` (a URL from the site root; the home page by default).

    An `author`'s feed is lean, since a paper is in one per author with a page: the feed
    names its author once, which its entries inherit (RFC 4287, 4.2.1), and an entry is
    its title, link and publication date (as `updated`). The paper page has the rest:
    co-authors, tags, abstract (Atom needs no summary when an entry links to it).
    """
    feed = ET.Element("feed", xmlns=ATOM)
    _text(feed, "id", f"{site_url}{feed_path}")
    _text(feed, "title", title)
    _text(feed, "updated", _timestamp(updated))
    ET.SubElement(
        feed, "link", rel="self", type="application/atom+xml", href=f"{site_url}{feed_path}"
    )
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=f"{site_url}{page}")
    if author is not None:
        _text(ET.SubElement(feed, "author"), "name", author)
    _text(feed, "generator", "paper-archive")
    for paper in papers[:FEED_SIZE]:
        url = f"{site_url}papers/{paper.id}/"
        entry = ET.SubElement(feed, "entry")
        _text(entry, "id", url)
        _text(entry, "title", paper.title_text)
        ET.SubElement(entry, "link", href=url)  # `rel="alternate"` is the default (4.2.7.2)
        if author is not None:
            _text(entry, "updated", _timestamp(paper.date))
            continue
        stamp = _timestamp(paper.added or paper.date)
        _text(entry, "published", stamp)
        _text(entry, "updated", stamp)
        for name in paper.authors:
            _text(ET.SubElement(entry, "author"), "name", name)
        for slug in paper.tags:
            ET.SubElement(entry, "category", term=slug)
        summary = plain_text(paper.abstract) if paper.abstract else "No abstract yet."
        _text(entry, "summary", summary)
    ET.indent(feed, space="")  # a line per element; indentation was a tenth of a feed
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _csv_cell(value: object) -> str:
    """Flatten a value for a cell; text a spreadsheet would run as a formula gets a `'`."""
    text = "; ".join(value) if isinstance(value, list) else "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def by_addition(papers: Iterable[Paper]) -> list[Paper]:
    """Order for feeds: most recently added first (publication date when never added)."""
    return sorted(
        sorted(papers, key=lambda p: p.id), key=lambda p: (p.added or p.date, p.date), reverse=True
    )


def newest_by_tag(
    newest_first: Sequence[Paper], tags: Iterable[Tag], size: int
) -> dict[str, list[Paper]]:
    """Return each tag's first `size` papers in feed order, from one pass over the whole
    archive in that order (`by_addition`): the order is total, so this is each tag's own
    papers sorted, without 30 more sorts at every preview rebuild."""
    feeds: dict[str, list[Paper]] = {tag.slug: [] for tag in tags}
    for paper in newest_first:
        for slug in paper.tags:
            feed = feeds[slug]
            if len(feed) < size:
                feed.append(paper)
    return feeds


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = text


def _timestamp(date: datetime.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"
