"""Exports and feeds: BibTeX that parses back, JSON with every field, CSV, valid Atom."""

from __future__ import annotations

import csv
import io
import json

import bibtexparser
import feedparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware

from generator.bibtex_format import format_bibtex, publication_year
from generator.export import (
    FEED_SIZE,
    JSON_FIELDS,
    archive_csv,
    archive_json,
    atom_feed,
    bibliography,
    bibtex_entries,
    by_addition,
    newest_by_tag,
    paper_rows,
)
from generator.index import ArchiveIndex, build_indexes
from generator.pipeline import Project, load_archive
from tests.conftest import published_paper_files

SITE_URL = "https://example.org/archive/"
VENUE_FIELDS = {"misc": None, "inproceedings": "booktitle", "article": "journal"}
"""BibTeX entry type -> the field holding the venue."""


@pytest.fixture(scope="module")
def index(sample_project: Project) -> ArchiveIndex:
    archive, _ = load_archive(sample_project)
    return build_indexes(archive)


def test_every_generated_bibtex_entry_parses_back_to_the_same_fields(index: ArchiveIndex) -> None:
    library = bibtexparser.parse_string(
        bibliography(index.papers, index, bibtex_entries(index)),
        append_middleware=[LatexDecodingMiddleware()],
    )
    assert not library.failed_blocks
    assert len(library.entries) == len(index.papers) > 1
    assert len({entry.key for entry in library.entries}) == len(index.papers), "unique keys"
    by_key = {entry.key: entry for entry in library.entries}
    kinds = set()
    for paper in index.papers:
        entry = by_key[index.citation_keys[paper.id]]
        assert entry["author"].split(" and ") == list(paper.authors)
        assert entry["year"] == str(publication_year(paper))
        if paper.arxiv:
            assert entry["eprint"] == paper.arxiv and entry["archivePrefix"] == "arXiv"
        # No venue: `misc`; a venue reads back from the one field its entry type names.
        venue_field = VENUE_FIELDS[entry.entry_type]
        assert (entry[venue_field] if venue_field else None) == paper.venue, paper.id
        assert {"journal", "booktitle"} & set(entry.fields_dict) == {venue_field} - {None}
        kinds.add(entry.entry_type)
        # once LaTeX is decoded (escapes, protective braces; `--` is TeX's en dash ligature)
        assert entry["title"] == paper.title.replace("--", "–")
    assert kinds == set(VENUE_FIELDS), "the sample archive has papers of every entry type"


def test_each_entry_alone_is_exactly_one_parseable_entry(index: ArchiveIndex) -> None:
    for paper in index.papers:
        library = bibtexparser.parse_string(format_bibtex(paper, index.citation_keys[paper.id]))
        assert len(library.entries) == 1 and not library.failed_blocks, paper.id


def test_json_export_has_every_field_in_a_stable_order(
    index: ArchiveIndex, sample_project: Project
) -> None:
    data = json.loads(archive_json(SITE_URL, paper_rows(index, SITE_URL).values()))
    assert data["site_url"] == SITE_URL  # a page is site_url + papers/ID/, said once
    assert len(data["papers"]) == len(published_paper_files(sample_project.papers_dir))
    assert all(tuple(record) == JSON_FIELDS for record in data["papers"])
    scalebio = next(
        r
        for r in data["papers"]
        if r["id"] == "scalebio-scalable-bilevel-optimization-for-llm-data"
    )
    assert scalebio["arxiv"] == "2406.19976" and scalebio["venue"] == "ACL 2025"
    assert scalebio["citation_key"] == "pan2025scalebio"
    assert archive_json(SITE_URL, paper_rows(index, SITE_URL).values()) == archive_json(
        SITE_URL, paper_rows(index, SITE_URL).values()
    )


def test_csv_export_opens_as_a_table(index: ArchiveIndex) -> None:
    rows = list(
        csv.DictReader(io.StringIO(archive_csv(paper_rows(index, SITE_URL).values()).decode()))
    )
    assert len(rows) == len(index.papers)
    first = rows[0]
    assert first["id"] == index.papers[0].id
    assert first["authors"] == "; ".join(index.papers[0].authors)


@pytest.mark.parametrize("size", [1, 3, 50])
def test_each_tag_feed_is_its_papers_sorted_newest_first(index: ArchiveIndex, size: int) -> None:
    feeds = newest_by_tag(by_addition(index.papers), index.tags, size)
    assert feeds == {tag.slug: by_addition(index.by_tag[tag.slug])[:size] for tag in index.tags}


def test_atom_feed_is_valid_and_capped_at_50(index: ArchiveIndex) -> None:
    feed_text = atom_feed(
        "Archive", "feed.xml", SITE_URL, by_addition(index.papers), index.papers[0].date
    )
    parsed = feedparser.parse(feed_text)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert len(parsed.entries) == FEED_SIZE
    entry = parsed.entries[0]
    assert entry.link.startswith(f"{SITE_URL}papers/")
    assert entry.authors and entry.summary


def test_feed_text_is_escaped() -> None:
    import datetime

    from generator.model import Paper

    paper = Paper(
        id="x",
        title="<b>&</b> ]]>",
        authors=("A <a@b>",),
        date=datetime.date(2024, 1, 1),
        tags=("t",),
        abstract="1 < 2 & 3",
    )
    parsed = feedparser.parse(atom_feed("T & U", "feed.xml", SITE_URL, [paper], paper.date))
    assert not parsed.bozo
    assert parsed.entries[0].title == "<b>&</b> ]]>"
    assert parsed.feed.title == "T & U"
