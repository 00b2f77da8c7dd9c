"""BibTeX entries: keys, types, escaping, and a parse back through bibtexparser."""

from __future__ import annotations

import datetime

import bibtexparser
import pytest

from generator.bibtex_format import (
    assign_citation_keys,
    citation_key_base,
    entry_type,
    escape_bibtex,
    format_bibtex,
)
from generator.formatting import plain_citation
from generator.model import Paper


def make(**fields: object) -> Paper:
    base: dict[str, object] = {
        "id": "x",
        "title": "Backdoor Secrets Unveiled",
        "authors": ("Soumyadeep Pal", "Sijia Liu"),
        "date": datetime.date(2024, 3, 15),
        "tags": ("a",),
    }
    return Paper(**{**base, **fields})  # type: ignore[arg-type]


def parse_single(text: str) -> dict[str, str]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, library.failed_blocks
    (entry,) = library.entries
    return {
        "ENTRYTYPE": entry.entry_type,
        "ID": entry.key,
        **{f.key: f.value for f in entry.fields},
    }


def test_key_is_family_name_year_and_first_real_title_word() -> None:
    assert citation_key_base(make()) == "pal2024backdoor"
    assert (
        citation_key_base(
            make(title="On the Design of LLM-Based Algorithms", authors=("Yanxi Chen",))
        )
        == "chen2024design"
    )
    assert citation_key_base(make(authors=("Íñigo Goiri",))) == "goiri2024backdoor"


@pytest.mark.parametrize(
    ("venue", "kind"),
    [
        (None, "misc"),
        ("ICLR 2024", "inproceedings"),
        ("Journal of Computational Geometry 4(1), 2013", "article"),
    ],
)
def test_entry_type_follows_the_venue(venue: str | None, kind: str) -> None:
    assert entry_type(make(venue=venue)) == kind


def test_arxiv_paper_is_misc_with_eprint_and_primary_class() -> None:
    entry = parse_single(
        format_bibtex(make(arxiv="2403.10717", arxiv_category="cs.LG"), "pal2024backdoor")
    )
    assert entry == {
        "ENTRYTYPE": "misc",
        "ID": "pal2024backdoor",
        "title": "Backdoor Secrets Unveiled",
        "author": "Soumyadeep Pal and Sijia Liu",
        "year": "2024",
        "month": "mar",
        "eprint": "2403.10717",
        "archivePrefix": "arXiv",
        "primaryClass": "cs.LG",
        "url": "https://arxiv.org/abs/2403.10717",
    }


def test_specials_are_escaped_math_kept_acronyms_protected_accents_unicode() -> None:
    title = "LLMs & 100% of $\\sim$30B #1_best {odd} ~x^2 for Zürich"
    entry = parse_single(
        format_bibtex(
            make(title=title, venue="NeurIPS 2024", authors=("José Hernández-Lobato",)), "k"
        )
    )
    assert (
        entry["title"]
        == r"{LLMs} \& 100\% of $\sim$30B \#1\_best \{odd\} \textasciitilde{}x\textasciicircum{}2 for Zürich"
    )
    assert entry["booktitle"] == "NeurIPS 2024"
    assert entry["author"] == "José Hernández-Lobato"


def test_unbalanced_math_is_escaped_as_prose() -> None:
    assert escape_bibtex("a $x}$ b") == r"a \$x\textbraceright \$ b"


def test_lone_braces_become_macros_so_classic_bibtex_stays_balanced() -> None:
    assert escape_bibtex("a { b") == r"a \textbraceleft  b"
    assert escape_bibtex("{ok}") == r"\{ok\}"


@pytest.mark.parametrize(
    ("venue", "year"), [(None, 2024), ("ACL 2025", 2025), ("ICLR 2024", 2024), ("NeurIPS", 2024)]
)
def test_key_entry_and_plain_citation_give_one_year(venue: str | None, year: int) -> None:
    paper = make(title="ScaleBiO: Scalable Bilevel Optimization", authors=("Rui Pan",), venue=venue)
    key = citation_key_base(paper)
    assert key == f"pan{year}scalebio"
    assert parse_single(format_bibtex(paper, key))["year"] == str(year)
    assert plain_citation(paper).startswith(f"Rui Pan ({year}). ScaleBiO")


def test_a_paper_added_later_never_takes_a_key_even_when_older() -> None:
    first = make(id="first", date=datetime.date(2024, 6, 1), added=datetime.date(2024, 7, 1))
    older = make(id="older", date=datetime.date(2024, 1, 1), added=datetime.date(2025, 1, 1))
    assert assign_citation_keys([first]) == {"first": "pal2024backdoor"}
    assert assign_citation_keys([older, first]) == {
        "first": "pal2024backdoor",
        "older": "pal2024backdoorb",
    }
