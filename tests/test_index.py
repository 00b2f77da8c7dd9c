"""Stage 4: groupings, orderings and citation keys, all deterministic."""

from __future__ import annotations

import datetime

from generator.index import build_indexes, co_authors, group_by_month, newest_first
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
    assert [p.id for p in index.by_author["Bo Wu"]] == ["p1", "p2", "p3"]
    assert [p.id for p in index.recently_added] == ["p2", "p1", "p3"]


def test_co_authors_are_counted_and_sorted() -> None:
    index = build_indexes(Archive(papers=PAPERS, tags=TAGS))
    assert [(a.name, n) for a, n in co_authors("Bo Wu", index)] == [("Ann Lee", 2), ("Cy Ames", 1)]


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
