"""Duplicates beyond identifiers: same-titled works, richer copies, what an import adds to a file."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result

from generator.amend import add_fields
from generator.commands import main
from generator.importers.candidate import Batch, Candidate
from generator.importers.intake import plan_import
from generator.importers.known import KnownPapers
from generator.importers.matching import disagreement, family_name, identity_of_candidate
from generator.importers.merging import date_precision, merge_copies, richness
from generator.pipeline import Project, load_archive

TODAY = datetime.date(2026, 11, 28)
ADDED = datetime.date(2026, 11, 27)

# The two works titled "Kernel Methods for Deep Learning": a NeurIPS 2009 paper and
# a 2012 thesis, by the same first author. And three unrelated articles titled "Foreword".
KERNEL_METHODS = """\
@inproceedings{cho2009kernel,
  title = {Kernel Methods for Deep Learning},
  author = {Cho, Youngmin and Saul, Lawrence K.},
  booktitle = {Advances in Neural Information Processing Systems 22},
  year = {2009}
}
@phdthesis{cho2012thesis,
  title = {Kernel methods for deep learning},
  author = {Cho, Youngmin},
  school = {UC San Diego},
  year = {2012}
}
"""
FOREWORDS = """\
@article{smith2004, title = {Foreword}, author = {Smith, Ann}, journal = {J. A}, year = {2004}}
@article{jones2008, title = {Foreword}, author = {Jones, Bob}, journal = {J. B}, year = {2008}}
@article{lee2009, title = {Foreword}, author = {Lee, Cy}, journal = {J. C}, year = {2009}}
"""
# The same paper twice in one file: first a poor copy (3 of its authors, a wrong venue, no
# arXiv id, but an abstract), then a rich one (more authors, the arXiv id, a full date).
TWO_COPIES = """\
@article{poor,
  title = {Language Models (Mostly) Know What They Know},
  author = {Kadavath, Saurav and Conerly, Tom and Askell, Amanda},
  journal = {Some Wrong Venue},
  abstract = {We study whether language models can evaluate their own claims.},
  year = {2022}
}
@misc{rich,
  title = {Language models (mostly) know what they know},
  author = {Kadavath, Saurav and Conerly, Tom and Askell, Amanda and Henighan, Tom
            and Drain, Dawn and Perez, Ethan},
  eprint = {2207.05221},
  archivePrefix = {arXiv},
  primaryClass = {cs.CL},
  year = {2022},
  month = {jul}
}
"""
CURATED = """\
# Curated by hand: keep this comment.
title: Language Models (Mostly) Know What They Know
authors:
  - Saurav Kadavath   # first author
  - Tom Conerly
date: 2022-07-11
tags: []
notes: Read this one.
status: inbox
"""


def invoke(project: Project, *arguments: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["--root", str(project.root), *arguments], input=input)


def import_bib(project: Project, text: str, *options: str, input: str | None = None) -> Result:
    bib = project.root / "refs.bib"
    bib.write_text(text, encoding="utf-8")
    return invoke(
        project, "import", "bibtex", str(bib), "--added", "2026-11-27", *options, input=input
    )


def paper_files(project: Project) -> list[str]:
    return sorted(path.name for path in project.papers_dir.glob("[!_]*.yaml"))


def candidate(
    title: str, authors: tuple[str, ...] = (), year: int | None = None, **more: object
) -> Candidate:
    date = datetime.date(year, 1, 1) if year else None
    return Candidate(title, f"test {title} {year}", authors=authors, date=date, **more)  # type: ignore[arg-type]


def plan(project: Project, *candidates: Candidate):  # type: ignore[no-untyped-def]
    known = KnownPapers.from_archive(project.papers_dir, project.root)
    return plan_import(
        Batch(len(candidates), candidates),
        known,
        project.papers_dir,
        project.root,
        added=ADDED,
        today=TODAY,
    )


# ---- rule 6: a title alone does not make a duplicate ----------------------------------------


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("Ada Lovelace", "lovelace"),
        ("Lovelace, Ada", "lovelace"),
        ("Guy L. Steele Jr.", "steele"),
        ("JÖRG MÜLLER", "muller"),
        ("Y. Cho", "cho"),
    ],
)
def test_family_names_compare_without_case_accents_or_suffixes(name: str, family: str) -> None:
    assert family_name(name) == family


@pytest.mark.parametrize(
    ("one", "other", "reason"),
    [
        (
            candidate("T", ("Youngmin Cho",), 2009),
            candidate("T", ("Y. Cho",), 2012),
            "years 2009 and 2012",
        ),
        (
            candidate("T", ("A. Smith",), 2004),
            candidate("T", ("B. Jones",), 2004),
            "first authors A. Smith and B. Jones",
        ),
        (
            candidate("T", ("Ann Smith",), 2015, arxiv="1501.00001"),
            candidate("T", ("A. Smith",), 2019),
            None,
        ),
        (
            candidate("T", ("Ann Smith",), 2015, venue="CoRR"),
            candidate("T", ("A. Smith",), 2019),
            None,
        ),
        (candidate("T", ("Jörg Müller",), 2020), candidate("T", ("J. Muller",), 2021), None),
        (candidate("T", (), 2001), candidate("T", ("A. Smith",), 2001), None),
        (candidate("T", ("A. Smith",)), candidate("T", ("A. Smith",), 2019), None),
        (
            candidate("T", arxiv="1501.00001"),
            candidate("T", arxiv="1501.00002"),
            "arXiv ids 1501.00001 and 1501.00002",
        ),
    ],
)
def test_same_titled_records_disagree_only_on_what_both_state(
    one: Candidate, other: Candidate, reason: str | None
) -> None:
    assert disagreement(identity_of_candidate(one), identity_of_candidate(other)) == reason


def test_two_works_with_one_title_are_both_added_and_named_as_possible_duplicates(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({})
    result = import_bib(project, KERNEL_METHODS)
    assert result.exit_code == 0, result.output
    assert paper_files(project) == [
        "kernel-methods-for-deep-learning-2.yaml",
        "kernel-methods-for-deep-learning.yaml",
    ]
    assert (
        "possible duplicate papers/kernel-methods-for-deep-learning-2.yaml"
        " (refs.bib:7 @phdthesis{cho2012thesis}): same title as"
        " papers/kernel-methods-for-deep-learning.yaml (years 2012 and 2009);"
        " both kept, delete one if they are the same work"
    ) in result.output.splitlines()
    assert result.output.splitlines()[-1] == (
        "refs.bib: 2 entries seen, 2 added to the inbox, 0 duplicates, 1 possible duplicate,"
        " 0 skipped"
    )
    again = import_bib(project, KERNEL_METHODS)
    assert again.output.splitlines()[-1] == (
        "refs.bib: 2 entries seen, 0 added to the inbox, 2 duplicates, 0 skipped"
    )


def test_three_forewords_stay_three_papers_and_the_archive_copy_is_named(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive(
        {"foreword.yaml": "title: Foreword\nauthors: [Dee Old]\ndate: 1999-05-01\nstatus: inbox\n"}
    )
    result = plan(
        project,
        candidate("Foreword", ("Ann Smith",), 2004),
        candidate("Foreword", ("Bob Jones",), 2008),
        candidate("FOREWORD", ("Ann Smith",), 2005),
    )
    assert [str(paper.shown) for paper in result.new] == [
        "papers/foreword-2.yaml",
        "papers/foreword-3.yaml",
    ]
    assert [(d.source, str(d.matched), d.reason) for d in result.duplicates] == [
        ("test FOREWORD 2005", "papers/foreword-2.yaml", "same title")
    ]
    assert [(str(p.added), [(str(m), r) for m, r in p.matched]) for p in result.possible] == [
        (
            "papers/foreword-2.yaml",
            [("papers/foreword.yaml", "first authors Ann Smith and Dee Old; years 2004 and 1999")],
        ),
        (
            "papers/foreword-3.yaml",
            [
                (
                    "papers/foreword.yaml",
                    "first authors Bob Jones and Dee Old; years 2008 and 1999",
                ),
                (
                    "papers/foreword-2.yaml",
                    "first authors Bob Jones and Ann Smith; years 2008 and 2004",
                ),
            ],
        ),
    ]


def test_identifiers_decide_alone_whatever_authors_and_years_say(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive(
        {"a.yaml": "title: Old Name\nauthors: [Ann Smith]\ndate: 2001-01-01\narxiv: '0101.00001'\n"}
    )
    result = plan(project, candidate("New Name", ("Bob Jones",), 2020, arxiv="0101.00001"))
    assert [(str(d.matched), d.reason) for d in result.duplicates] == [
        ("papers/a.yaml", "same arXiv id 0101.00001")
    ]
    assert result.new == () and result.possible == ()


# ---- rule 7: the richer copy wins; nothing of the poorer one is dropped silently ------------


def test_richness_ranks_identifiers_then_authors_then_the_rest() -> None:
    bare = {"title": "T", "authors": ["A", "B", "C"], "abstract": "x", "venue": "V"}
    with_id = {"title": "T", "authors": ["A"], "doi": "10.1000/x"}
    assert richness(with_id) > richness(bare)
    assert richness({**bare, "authors": ["A", "B", "C", "D"]}) > richness(bare)
    assert richness({**bare, "date": datetime.date(2022, 7, 11)}) > richness(
        {**bare, "date": datetime.date(2022, 1, 1)}
    )
    assert [
        date_precision(d) for d in (None, datetime.date(2022, 1, 1), datetime.date(2022, 7, 1))
    ] == [0, 1, 2]


def test_merging_fills_gaps_but_never_overwrites_and_lists_what_it_left() -> None:
    poor = {
        "title": "T",
        "authors": ["A"],
        "venue": "Wrong",
        "abstract": "Text.",
        "links": {"code": "https://c"},
    }
    rich = {
        "title": "T",
        "authors": ["A", "B"],
        "arxiv": "2207.05221",
        "venue": "Right",
        "links": {"pdf": "https://p"},
    }
    merged = merge_copies([poor, rich], lambda key, value: True)
    assert merged.kept == 1
    assert merged.fields == {
        **rich,
        "abstract": "Text.",
        "links": {"pdf": "https://p", "code": "https://c"},
    }
    assert merged.filled == (("abstract", 0), ("links", 0))
    assert merged.not_kept == {0: ("1 author (A)", "venue 'Wrong'")}
    refused = merge_copies([poor, rich], lambda key, value: key != "abstract")
    assert "abstract" not in refused.fields and refused.not_kept[0][-1] == "a different abstract"


def test_same_paper_twice_in_one_file_keeps_the_richer_copy(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({})
    result = import_bib(project, TWO_COPIES)
    assert result.exit_code == 0, result.output
    (name,) = paper_files(project)
    lines = result.output.splitlines()
    assert lines[:3] == [
        f"added papers/{name} (refs.bib:8 @misc{{rich}})",
        "  note: filled 'abstract' from refs.bib:1 @article{poor},"
        " 'venue' from refs.bib:1 @article{poor} (another copy in this import)",
        "duplicate refs.bib:1 @article{poor} 'Language Models (Mostly) Know What They Know':"
        f" same title as papers/{name} (new in this import, from refs.bib:8 @misc{{rich}})",
    ]
    assert lines[3] == (
        "  not kept: title 'Language Models (Mostly) Know What They Know',"
        " 3 authors (Saurav Kadavath, Tom Conerly, Amanda Askell), date 2022-01-01"
    )
    archive, _ = load_archive(project, today=TODAY)
    assert len(archive.inbox) == 1
    written = project.papers_dir / name
    text = written.read_text(encoding="utf-8")
    assert "arxiv: '2207.05221'" in text and "- Ethan Perez" in text and "date: 2022-07-01" in text
    assert "abstract: >-\n  We study whether" in text and "venue: Some Wrong Venue" in text


# ---- against the archive: report what an import would add, add it only on request ---------


def test_summary_lists_what_an_import_would_add_to_an_archive_file(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({"curated.yaml": CURATED})
    result = import_bib(project, TWO_COPIES)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-3:] == [
        "update papers/curated.yaml: the import has 4 more authors, abstract, arxiv,"
        " arxiv_category, venue",
        "refs.bib: 2 entries seen, 0 added to the inbox, 2 duplicates, 0 skipped",
        "1 existing file could gain fields from this import: run it again with"
        " --update-existing to see the change and apply it",
    ]
    assert (project.papers_dir / "curated.yaml").read_text(encoding="utf-8") == CURATED


def test_update_existing_shows_the_change_asks_and_adds_only_those_fields(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({"curated.yaml": CURATED})
    path = project.papers_dir / "curated.yaml"
    dry = import_bib(project, TWO_COPIES, "--update-existing", "--dry-run")
    assert (
        "+  - Tom Henighan\n" in dry.output
        and "dry run: 1 existing file would be updated" in dry.output
    )
    declined = import_bib(project, TWO_COPIES, "--update-existing", input="n\n")
    assert "Add these fields to 1 existing file? [y/N]: n" in declined.output
    assert "existing files left unchanged" in declined.output
    assert path.read_text(encoding="utf-8") == CURATED
    applied = import_bib(project, TWO_COPIES, "--update-existing", "--yes")
    assert applied.exit_code == 0, applied.output
    assert applied.output.splitlines()[-1] == "updated 1 existing file"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        CURATED.replace(
            "  - Tom Conerly\n",
            "  - Tom Conerly\n  - Amanda Askell\n"
            "  - Tom Henighan\n  - Dawn Drain\n  - Ethan Perez\n",
        )
    )
    assert text.endswith(
        "status: inbox\nabstract: >-\n  We study whether language models can evaluate their own"
        " claims.\narxiv: '2207.05221'\narxiv_category: cs.CL\nvenue: Some Wrong Venue\n"
    )
    archive, _ = load_archive(project, today=TODAY)
    assert [paper.title for paper in archive.inbox] == [
        "Language Models (Mostly) Know What They Know"
    ]
    again = import_bib(project, TWO_COPIES, "--update-existing", "--yes")
    assert "update " not in again.output and path.read_text(encoding="utf-8") == text


def test_completing_a_truncated_byline_clears_its_et_al_mark(
    make_archive: Callable[..., Project],
) -> None:
    truncated = CURATED.replace("tags: []\n", "et_al: true\ntags: []\n")
    project = make_archive({"curated.yaml": truncated})
    result = import_bib(project, TWO_COPIES)
    assert "update papers/curated.yaml: the import has 4 more authors, the whole byline" in (
        result.output
    )
    applied = import_bib(project, TWO_COPIES, "--update-existing", "--yes")
    assert applied.exit_code == 0, applied.output
    text = (project.papers_dir / "curated.yaml").read_text(encoding="utf-8")
    assert "  - Ethan Perez\ndate: 2022-07-11\net_al: false\ntags: []\n" in text
    archive, _ = load_archive(project, today=TODAY)
    assert [item.path.name for item in archive.inbox] == ["curated.yaml"]


def test_add_fields_keeps_every_byte_and_refuses_shapes_it_cannot_prove() -> None:
    crlf = "title: T\r\nauthors:\r\n- A\r\n# trailing comment\r\nlinks:\r\n    pdf: https://p\r\n"
    assert add_fields(
        crlf,
        {
            "authors": ["A", "B"],
            "links": {"pdf": "https://p", "code": "https://c"},
            "doi": "10.1000/x",
        },
    ) == (
        "title: T\r\nauthors:\r\n- A\r\n- B\r\n# trailing comment\r\nlinks:\r\n    pdf: https://p\r\n"
        "    code: https://c\r\ndoi: 10.1000/x\r\n"
    )
    assert add_fields("title: T\ndoi: ''  # unknown\nnotes: n", {"doi": "10.1000/x"}) == (
        "title: T\ndoi: 10.1000/x\nnotes: n"
    )
    assert add_fields("title: T\nauthors: [A]\n", {"authors": ["A", "B"]}) is None
    assert add_fields("title: T\nauthors:\n- Z\n", {"authors": ["A", "B"]}) is None
    assert add_fields("title: [broken\n", {"doi": "10.1000/x"}) is None


def test_an_identifier_another_file_holds_is_not_filled_in_but_reported(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({"holder.yaml": "title: Elsewhere\ndoi: 10.1000/x\nstatus: inbox\n"})
    result = plan(
        project,
        candidate("Fresh", ("Ann Smith",), 2020, arxiv="2001.00001"),
        candidate("Fresh", ("Ann Smith",), 2020, arxiv="2001.00001", doi="10.1000/X"),
    )
    (new,) = result.new
    assert new.fields.get("doi") is None
    assert [(d.reason, d.not_kept) for d in result.duplicates] == [
        ("same arXiv id 2001.00001", ("doi '10.1000/X'",))
    ]
    richer = plan(
        project,
        candidate("Fresh", ("Ann Smith",), 2020, arxiv="2001.00001"),
        candidate("Fresh", ("Ann Smith", "Bob Jones"), 2020, arxiv="2001.00001", doi="10.1000/X"),
    )
    assert richer.new[0].fields["authors"] == ["Ann Smith", "Bob Jones"]
    assert richer.new[0].remarks == ("left out doi '10.1000/X': another file has it",)
