"""Stage 4: groupings, orderings and citation keys, all deterministic."""

from __future__ import annotations

import dataclasses
import datetime

import pytest

from generator.index import build_indexes, co_authors, group_by_month, newest_first, with_edited
from generator.model import Archive, Paper, Tag

TAGS = (Tag("a", "A", "Tag a."), Tag("b", "B", "Tag b."), Tag("unused", "Unused", "No papers."))


def paper(
    paper_id: str,
    date: str,
    authors: tuple[str, ...] = ("Ann Lee",),
    tags: tuple[str, ...] = ("a",),
    added: str | None = None,
    title: str | None = None,
) -> Paper:
    return Paper(
        id=paper_id,
        title=title or f"Study of {paper_id}",
        authors=authors,
        date=datetime.date.fromisoformat(date),
        tags=tags,
        added=datetime.date.fromisoformat(added) if added else None,
    )


PAPERS = (
    paper("p1", "2024-03-01", ("Ann Lee", "Bo Wu"), ("a", "b"), added="2025-01-01"),
    paper("p2", "2024-03-01", ("Bo Wu",), ("b",), added="2025-02-01"),
    paper("p3", "2023-12-31", ("Cy Ames", "Ann Lee", "Bo Wu")),
)


def test_papers_are_newest_first_and_ties_sorted_by_id() -> None:
    assert [p.id for p in newest_first(reversed(PAPERS))] == ["p1", "p2", "p3"]


def test_indexes_group_by_tag_year_and_author() -> None:
    index = build_indexes(Archive(papers=PAPERS, tags=TAGS))
    assert {slug: [p.id for p in papers] for slug, papers in index.by_tag.items()} == {
        "a": ["p1", "p3"],
        "b": ["p1", "p2"],
        "unused": [],
    }
    assert {year: [p.id for p in papers] for year, papers in index.by_year.items()} == {
        2024: ["p1", "p2"],
        2023: ["p3"],
    }
    assert list(index.by_year) == [2024, 2023]
    assert [a.name for a in index.authors] == ["Cy Ames", "Ann Lee", "Bo Wu"]
    assert [p.id for p in index.by_author["bo-wu"]] == ["p1", "p2", "p3"]
    assert [p.id for p in index.recently_added] == ["p2", "p1", "p3"]


def test_co_authors_are_counted_and_sorted() -> None:
    index = build_indexes(Archive(papers=PAPERS, tags=TAGS))
    bo_wu = next(author for author in index.authors if author.name == "Bo Wu")
    assert [(a.name, n) for a, n in co_authors(bo_wu, index)] == [("Ann Lee", 2), ("Cy Ames", 1)]


LOVELACE = "0000-0002-1825-0097"
OTHER_LOVELACE = "0000-0001-5109-3700"


def with_orcid(base: Paper, name: str, orcid: str) -> Paper:
    return dataclasses.replace(base, orcid=((name, orcid),))


def test_one_orcid_under_two_spellings_is_one_author_named_as_most_papers_spell_it() -> None:
    papers = (
        with_orcid(paper("p1", "2024-05-01", ("A. Lovelace", "Bo Wu")), "A. Lovelace", LOVELACE),
        with_orcid(paper("p2", "2023-01-01", ("Ada Lovelace",)), "Ada Lovelace", LOVELACE),
        with_orcid(paper("p3", "2022-01-01", ("Ada Lovelace",)), "Ada Lovelace", LOVELACE),
    )
    index = build_indexes(Archive(papers=papers, tags=TAGS))
    (ada,) = [author for author in index.authors if author.orcid == LOVELACE]
    assert (ada.name, ada.slug, ada.has_page) == ("Ada Lovelace", "ada-lovelace", True)
    assert ada.other_names == ("A. Lovelace",)
    assert [p.id for p in index.by_author[ada.slug]] == ["p1", "p2", "p3"]
    assert index.bylines["p1"][0] is ada
    assert [a.name for a in index.authors] == ["Ada Lovelace", "Bo Wu"]


def test_of_equally_frequent_spellings_the_newest_papers_names_the_author() -> None:
    papers = (
        with_orcid(paper("old", "2020-01-01", ("Ada Lovelace",)), "Ada Lovelace", LOVELACE),
        with_orcid(paper("new", "2024-01-01", ("A. Lovelace",)), "A. Lovelace", LOVELACE),
    )
    index = build_indexes(Archive(papers=papers, tags=TAGS))
    assert [(a.name, a.slug) for a in index.authors] == [("A. Lovelace", "a-lovelace")]


def test_one_name_under_two_orcids_is_two_authors_with_the_ids_in_their_slugs() -> None:
    papers = (
        with_orcid(paper("p1", "2024-01-01", ("Ada Lovelace", "Bo Wu")), "Ada Lovelace", LOVELACE),
        with_orcid(paper("p2", "2023-01-01", ("Ada Lovelace",)), "Ada Lovelace", OTHER_LOVELACE),
        paper("p3", "2022-01-01", ("Ada Lovelace", "Bo Wu")),
    )
    index = build_indexes(Archive(papers=papers, tags=TAGS))
    assert [(a.name, a.slug, a.orcid) for a in index.authors] == [
        ("Ada Lovelace", "ada-lovelace", None),
        ("Ada Lovelace", "ada-lovelace-0000-0001-5109-3700", OTHER_LOVELACE),
        ("Ada Lovelace", "ada-lovelace-0000-0002-1825-0097", LOVELACE),
        ("Bo Wu", "bo-wu", None),
    ]
    assert [index.bylines[p.id][0].slug for p in papers] == [
        "ada-lovelace-0000-0002-1825-0097",
        "ada-lovelace-0000-0001-5109-3700",
        "ada-lovelace",  # no iD, and the name has two: it cannot be told which
    ]
    bo_wu = index.bylines["p1"][1]
    assert [(a.slug, n) for a, n in co_authors(bo_wu, index)] == [
        ("ada-lovelace", 1),
        ("ada-lovelace-0000-0002-1825-0097", 1),
    ]


def test_a_name_without_an_id_joins_the_one_id_the_archive_gives_that_name() -> None:
    papers = (
        with_orcid(paper("p1", "2024-01-01", ("Ada Lovelace",)), "Ada Lovelace", LOVELACE),
        paper("p2", "2023-01-01", ("Ada Lovelace", "Bo Wu")),
    )
    index = build_indexes(Archive(papers=papers, tags=TAGS))
    assert [(a.slug, a.orcid) for a in index.authors] == [
        ("ada-lovelace", LOVELACE),
        ("bo-wu", None),
    ]
    assert [p.id for p in index.by_author["ada-lovelace"]] == ["p1", "p2"]


def test_author_slugs_are_unique_even_when_names_slug_alike() -> None:
    index = build_indexes(
        Archive(
            papers=(
                paper("x", "2024-01-01", ("José Pérez",)),
                paper("y", "2024-01-02", ("Jose Perez",)),
            ),
            tags=TAGS,
        )
    )
    assert sorted(a.slug for a in index.authors) == ["jose-perez", "jose-perez-2"]
    assert {a.letter for a in index.authors} == {"p"}


def test_family_names_outside_a_to_z_go_to_other() -> None:
    index = build_indexes(Archive(papers=(paper("x", "2024-01-01", ("Zoë Ångström",)),), tags=TAGS))
    assert index.authors[0].letter == "a"  # letters are transliterated: Å files under A
    index = build_indexes(Archive(papers=(paper("x", "2024-01-01", ("Ann 42",)),), tags=TAGS))
    assert index.authors[0].letter == "other"


def test_citation_keys_are_unique_and_stable_when_papers_are_added() -> None:
    first = paper("first", "2024-01-01", ("Ann Lee",), title="The Mixture of Shards")
    later = paper("later", "2024-05-01", ("Ann Lee",), title="Mixture Models")
    keys = build_indexes(Archive(papers=(first,), tags=TAGS)).citation_keys
    assert keys == {"first": "lee2024mixture"}
    keys = build_indexes(Archive(papers=(later, first), tags=TAGS)).citation_keys
    assert keys == {"first": "lee2024mixture", "later": "lee2024mixtureb"}


def test_group_by_month_is_newest_first() -> None:
    groups = group_by_month(newest_first(PAPERS))
    assert [(month.isoformat(), [p.id for p in papers]) for month, papers in groups] == [
        ("2024-03-01", ["p1", "p2"]),
        ("2023-12-01", ["p3"]),
    ]


VENUED = (
    *PAPERS,
    dataclasses.replace(paper("p4", "2024-05-01", ("Di Ro",), ("a",)), venue="ICLR 2024"),
    dataclasses.replace(paper("p5", "2023-05-01", ("Ann Lee",), ("b",)), venue="ICLR 2023"),
)


@pytest.mark.parametrize(
    "edit",
    [
        {"abstract": "Now with an abstract."},
        {"notes": "Read in the club."},
        {"abstract": "Edited.", "notes": "Twice."},
    ],
)
@pytest.mark.parametrize("edited_id", ["p1", "p3", "p4"])
def test_an_edit_outside_the_indexed_fields_updates_the_index(
    edit: dict[str, str], edited_id: str
) -> None:
    before = build_indexes(Archive(papers=VENUED, tags=TAGS), related={})
    papers = tuple(dataclasses.replace(p, **edit) if p.id == edited_id else p for p in VENUED)
    archive = Archive(papers=papers, tags=TAGS)
    updated = with_edited(before, {edited_id: next(p for p in papers if p.id == edited_id)})
    assert updated == build_indexes(archive, related={})
    edited = next(p for p in papers if p.id == edited_id)
    assert updated is not None
    assert all(edited in found for tag, found in updated.by_tag.items() if tag in edited.tags)
