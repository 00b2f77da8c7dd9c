"""RIS and CSL-JSON: parsed back by rispy and citeproc-py, agreeing with BibTeX's year."""

from __future__ import annotations

import dataclasses
import datetime
import json
from pathlib import PurePosixPath

import pytest
import rispy
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from generator.bibtex_format import format_bibtex, publication_year
from generator.index import ArchiveIndex, build_indexes
from generator.model import Archive, Paper, Tag
from generator.pipeline import Project, load_archive
from generator.references import (
    archive_csl_json,
    archive_ris,
    csl_item,
    paper_csl_json,
    references,
    ris_record,
)
from generator.render import SiteInfo, render_pages

# A style citeproc-py ships, so formatting needs no download.
STYLE = "harvard-cite-them-right"


@pytest.fixture(scope="module")
def index(sample_project: Project) -> ArchiveIndex:
    archive, _ = load_archive(sample_project)
    return build_indexes(archive)


def _references(index: ArchiveIndex):  # type: ignore[no-untyped-def]
    return references(index)


def test_the_archive_ris_file_parses_back_to_every_paper(index: ArchiveIndex) -> None:
    records = rispy.loads(archive_ris(index.papers, index.citation_keys, _references(index)))
    assert len(records) == len(index.papers) > 1
    by_key = {record["id"]: record for record in records}
    for paper in index.papers:
        record = by_key[index.citation_keys[paper.id]]
        assert record["title"] == paper.title_text
        assert [name.replace(", ", " ") for name in record["authors"]] == [
            " ".join([*name.split()[-1:], *name.split()[:-1]]) for name in paper.authors
        ]
        assert record["year"] == str(publication_year(paper))
        assert record["keywords"] == [index.tag_of[slug].title for slug in paper.tags]
        assert record.get("doi") == paper.doi
        assert record["type_of_reference"] in ("JOUR", "CPAPER", "UNPB", "GEN")


def test_the_archive_csl_json_is_read_and_formatted_by_citeproc(index: ArchiveIndex) -> None:
    text = archive_csl_json(index.papers, index.citation_keys, _references(index))
    items = json.loads(text)
    assert [item["id"] for item in items] == sorted(index.citation_keys.values())
    source = CiteProcJSON(items)
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(STYLE, validate=False), source, formatter.plain
    )
    for key in sorted(index.citation_keys.values()):
        bibliography.register(Citation([CitationItem(key)]))
    formatted = [str(entry) for entry in bibliography.bibliography()]
    assert len(formatted) == len(index.papers)
    by_key = {paper_key: paper for paper_key, paper in _papers_by_key(index).items()}
    for item in items:
        paper = by_key[item["id"]]
        assert item["issued"]["date-parts"][0][0] == publication_year(paper)
        assert item["type"] in ("article", "article-journal", "paper-conference")
        # the harvard style starts an entry with the first author's family name and the year
        family = paper.authors[0].split()[-1]
        assert any(
            entry.startswith(family) and f"({publication_year(paper)})" in entry
            for entry in formatted
        ), paper.id


def _papers_by_key(index: ArchiveIndex) -> dict[str, Paper]:
    return {index.citation_keys[paper.id]: paper for paper in index.papers}


HOSTILE_TITLE = 'Line one\nTY  - JOUR\rER  - "quoted" \\$5 & <b>bold</b> $O(n^2)$'


def _paper(**fields: object) -> Paper:
    base: dict[str, object] = {
        "id": "x",
        "title": "ScaleBiO: Scalable Bilevel Optimization",
        "authors": ("Rui Pan", "Plato", "Íñigo Goiri"),
        "date": datetime.date(2024, 6, 28),
        "tags": ("t",),
        "arxiv": "2406.19976",
    }
    return Paper(**{**base, **fields})  # type: ignore[arg-type]


def test_a_hostile_title_stays_one_ris_value_and_one_json_string() -> None:
    paper = _paper(title=HOSTILE_TITLE)
    (record,) = rispy.loads(ris_record(paper, "pan2024line", ["A\nB"]))
    assert record["title"] == " ".join(paper.title_text.split())
    assert record["keywords"] == ["A B"]
    index = build_indexes(Archive(papers=(paper,), tags=(Tag("t", "T", "A tag."),)), {"x": ()})
    (item,) = json.loads(paper_csl_json(references(index)["x"]))
    assert item["title"] == paper.title_text


def test_references_are_made_for_the_papers_asked_for_with_the_tag_titles_as_keywords() -> None:
    paper, other = _paper(), dataclasses.replace(_paper(), id="y")
    tags = (Tag("t", "Tee", "A tag."),)
    index = build_indexes(Archive(papers=(paper, other), tags=tags), {"x": (), "y": ()})
    made = references(index, [other])
    assert list(made) == ["y"] and made["y"] == references(index)["y"]
    assert made["y"].ris.endswith("KW  - Tee\nER  - \n")


@pytest.mark.parametrize(
    ("venue", "ris_type", "csl_type", "year", "date"),
    [
        (None, "UNPB", "article", 2024, [2024, 6, 28]),
        ("ACL 2025", "CPAPER", "paper-conference", 2025, [2025]),
        ("Journal of Machine Learning Research", "JOUR", "article-journal", 2024, [2024, 6, 28]),
    ],
)
def test_types_and_the_year_agree_with_the_bibtex_entry(
    venue: str | None, ris_type: str, csl_type: str, year: int, date: list[int]
) -> None:
    paper = _paper(venue=venue)
    bibtex = format_bibtex(paper, "key")
    assert f"year = {{{year}}}" in bibtex
    (record,) = rispy.loads(ris_record(paper, "key"))
    assert (record["type_of_reference"], record["year"]) == (ris_type, str(year))
    assert ("date" in record) == (len(date) == 3)
    item = csl_item(paper, "key")
    assert (item["type"], item["issued"]) == (csl_type, {"date-parts": [date]})
    assert item["author"] == [
        {"family": "Pan", "given": "Rui"},
        {"literal": "Plato"},
        {"family": "Goiri", "given": "Íñigo"},
    ]
    assert record["authors"] == ["Pan, Rui", "Plato", "Goiri, Íñigo"]


def test_each_paper_has_its_files_linked_from_its_page() -> None:
    paper = _paper(id="scalebio", venue="ACL 2025")
    other = dataclasses.replace(paper, id="other", title="Other", arxiv=None)
    archive = Archive(papers=(paper, other), tags=(Tag("t", "Tee", "A tag."),))
    pages = render_pages(
        build_indexes(archive, related={"scalebio": (), "other": ()}), SiteInfo("Site", "About.")
    )
    (record,) = rispy.loads(pages[PurePosixPath("papers/scalebio.ris")])
    assert record["id"] == "pan2025scalebio"
    (item,) = json.loads(pages[PurePosixPath("papers/scalebio.csl.json")])
    assert item["id"] == "pan2025scalebio"
    assert len(rispy.loads(pages[PurePosixPath("papers.ris")])) == 2
    assert [i["id"] for i in json.loads(pages[PurePosixPath("papers.csl.json")])] == [
        "pan2025other",
        "pan2025scalebio",
    ]
    page = pages[PurePosixPath("papers/scalebio.md")]
    assert 'href="../../papers/scalebio.ris" download="pan2025scalebio.ris">RIS</a>' in page
    assert 'href="../../papers/scalebio.csl.json" download="pan2025scalebio.json">' in page
