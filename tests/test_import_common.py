"""The shared intake path: duplicates, file names, in-memory validation, never overwriting."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from generator.importers.arxiv import read_feed_file
from generator.importers.bibtex import parse_bibtex
from generator.importers.candidate import Batch, Candidate
from generator.importers.hf import parse_hf_papers
from generator.importers.intake import KnownPapers, paper_fields, plan_import, write_plan
from generator.pipeline import Project, load_archive
from tests.conftest import VALID_PAPER

FIXTURES = Path(__file__).parent / "fixtures" / "import"
TODAY = datetime.date(2026, 11, 28)
ADDED = datetime.date(2026, 11, 27)


def plan(project: Project, *candidates: Candidate, repair: bool = True):  # type: ignore[no-untyped-def]
    known = KnownPapers.from_archive(project.papers_dir, project.root)
    batch = Batch(len(candidates), candidates)
    return plan_import(
        batch, known, project.papers_dir, project.root, added=ADDED, today=TODAY, repair=repair
    )


def paper(title: str, **fields: object) -> Candidate:
    return Candidate(title=title, source=f"test {title}", **fields)  # type: ignore[arg-type]


def test_duplicates_of_the_archive_by_arxiv_doi_and_title(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive(
        {
            "with-arxiv.yaml": VALID_PAPER + "arxiv: '2403.10717v2'\n",
            "with-doi.yaml": VALID_PAPER.replace("A Valid Paper", "Another")
            + "doi: https://doi.org/10.1145/ABC\n",
            "in-the-inbox.yaml": "title: 'Inbox: Still Untagged!'\nstatus: inbox\n",
            "invalid.yaml": "title: Broken But Known\ndate: 2024-02-30\n",
        }
    )
    result = plan(
        project,
        paper("Completely Different", arxiv="2403.10717"),
        paper("Also Different", doi="10.1145/abc"),
        paper("inbox still untagged"),
        paper("BROKEN but known"),
        paper("Genuinely New"),
    )
    assert [(d.title, str(d.matched), d.reason) for d in result.duplicates] == [
        ("Completely Different", "papers/with-arxiv.yaml", "same arXiv id 2403.10717"),
        ("Also Different", "papers/with-doi.yaml", "same DOI 10.1145/abc"),
        ("inbox still untagged", "papers/in-the-inbox.yaml", "same title"),
        ("BROKEN but known", "papers/invalid.yaml", "same title"),
    ]
    assert [str(n.shown) for n in result.new] == ["papers/genuinely-new.yaml"]


def test_duplicates_within_one_batch_name_the_file_this_run_adds(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({})
    result = plan(
        project,
        paper("Same Paper", arxiv="2401.00001"),
        paper("Same paper, other venue", arxiv="2401.00001v3"),
        paper("same PAPER"),
    )
    assert [str(n.shown) for n in result.new] == ["papers/same-paper.yaml"]
    assert [(str(d.matched), d.reason, d.in_batch) for d in result.duplicates] == [
        ("papers/same-paper.yaml", "same arXiv id 2401.00001v3", True),
        ("papers/same-paper.yaml", "same title", True),
    ]


def test_a_taken_file_name_gets_a_number_and_is_never_overwritten(
    make_archive: Callable[..., Project],
) -> None:
    curated = VALID_PAPER.replace("A Valid Paper", "A Curated Title")
    project = make_archive({"new-idea.yaml": curated, "new-idea-2.yaml": "not: [valid yaml\n"})
    result = plan(project, paper("New Idea"))
    assert [str(n.shown) for n in result.new] == ["papers/new-idea-3.yaml"]
    write_plan(result)
    assert (project.papers_dir / "new-idea.yaml").read_text() == curated


def test_a_file_appearing_between_plan_and_write_is_left_alone(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({})
    result = plan(project, paper("Raced"), paper("Calm"))
    (project.papers_dir / "raced.yaml").write_text("title: Someone Else's\n", encoding="utf-8")
    written, clashes = write_plan(result)
    assert [str(p.shown) for p in written] == ["papers/calm.yaml"]
    assert [(c.source, c.reason) for c in clashes] == [
        ("test Raced", "papers/raced.yaml appeared meanwhile; left as it is")
    ]
    assert (project.papers_dir / "raced.yaml").read_text() == "title: Someone Else's\n"


def test_fields_that_would_not_validate_are_left_out_with_a_remark(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({})
    result = plan(
        project,
        paper(
            "Old Book",
            authors=("A. Author",),
            date=datetime.date(1894, 1, 1),
            doi="not a doi",
            remarks=("date from year only (1894-01-01)",),
        ),
    )
    (new,) = result.new
    assert "date" not in new.fields and "doi" not in new.fields
    assert new.remarks == (
        "date from year only (1894-01-01)",
        "left out 'date': 'date' 1894-01-01 is before 1900; check the year",
        "left out 'doi': 'doi' 'not a doi' is not a DOI like '10.1145/3580305'",
    )


def test_without_repair_an_invalid_field_skips_the_paper(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({})
    result = plan(project, paper("Future Paper", date=datetime.date(2030, 1, 1)), repair=False)
    assert result.new == ()
    assert [(s.source, s.reason) for s in result.skipped] == [
        ("test Future Paper", "'date' 2030-01-01 is in the future")
    ]


def test_imported_papers_are_inbox_unless_complete_and_tagged() -> None:
    bare = paper_fields(paper("Bare"), ADDED)
    assert (bare["status"], bare["tags"], bare["authors"], bare["added"]) == (
        "inbox",
        [],
        [],
        ADDED,
    )
    complete = paper_fields(
        paper("Done", authors=("A", "B", "A"), date=ADDED, tags=("data-selection",)), ADDED
    )
    assert "status" not in complete and complete["authors"] == ["A", "B", "A"]  # two people


def test_every_produced_file_validates_and_a_second_run_adds_nothing(
    make_archive: Callable[..., Project], shared_dir: Path
) -> None:
    project = make_archive({"existing.yaml": VALID_PAPER})
    bib = FIXTURES / "bibtex" / "exports.bib"
    batches = [
        parse_bibtex(bib.read_text(encoding="utf-8"), bib.name),
        read_feed_file(FIXTURES / "arxiv" / "two_papers_2026.xml"),
        parse_hf_papers(
            (FIXTURES / "hf" / "daily_papers.json").read_text(encoding="utf-8"), "daily_papers.json"
        ),
        read_feed_file(
            shared_dir / "real-world" / "arxiv_atom" / "arxivpy_q_testing_s0_m10_2026.json"
        ),
    ]
    added = []
    for batch in batches:
        written, _ = write_plan(plan(project, *batch.candidates))
        added += written
    assert len(added) == 7 + 2 + 2 + 10  # exports.bib: 8 candidates, one the same title twice
    archive, warnings = load_archive(project, today=TODAY)
    assert len(archive.papers) == 1 and len(archive.inbox) == len(added)
    assert all("unknown key" not in w.message for w in warnings)
    for batch in batches:
        again = plan(project, *batch.candidates)
        assert again.new == () and len(again.duplicates) == len(batch.candidates)
    written_text = (project.papers_dir / "mpc-zurich-latex-in-titles.yaml").read_text(
        encoding="utf-8"
    )
    assert written_text.startswith(
        "title: 'MPC & Zürich: LaTeX in Titles'\nauthors:\n- Jörg Müller\n"
    )
    assert "tags: []\narxiv: '2001.00001'\narxiv_category: cs.LG\n" in written_text
    assert written_text.endswith("added: 2026-11-27\nstatus: inbox\n")


def test_write_plan_reports_progress_through_the_given_wrapper(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({})
    seen: list[PurePosixPath] = []

    def progress(items):  # type: ignore[no-untyped-def]
        for item in items:
            seen.append(item.shown)
            yield item

    write_plan(plan(project, paper("One"), paper("Two")), progress)
    assert seen == [PurePosixPath("papers/one.yaml"), PurePosixPath("papers/two.yaml")]
