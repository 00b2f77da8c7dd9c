"""The work behind the curator's triage commands: `new`, `inbox`, `tags suggest`, `stats`.

Invariant: values in, values out; nothing here prints. `plan_new_paper` goes through
`importers.intake` like every import (duplicate check, in-memory validation, never
overwrite), and `write_suggested_tags` changes only a file's `tags` line. A problem the
curator must fix is raised as a `PaperArchiveError` for the command to report.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.errors import ArchiveError, PaperRejected
from generator.identifiers import arxiv_id, collapse_whitespace
from generator.importers.candidate import Batch, Candidate
from generator.importers.intake import ImportPlan, plan_import
from generator.importers.known import KnownPapers
from generator.load import load_paper_files
from generator.model import Archive, InboxItem, Problem, Severity, Tag
from generator.tagging import Suggestion, insert_tags, suggest_tags, untagged
from generator.validate import read_vocabulary, validate_paper


def vocabulary_of(papers_dir: Path, root: Path) -> dict[str, Tag]:
    """The tag vocabulary by slug, or an `ArchiveError` with every error in it."""
    tags, problems = read_vocabulary(papers_dir, root)
    errors = [problem for problem in problems if problem.severity is Severity.ERROR]
    if errors:
        raise ArchiveError(errors)
    return {tag.slug: tag for tag in tags}


@dataclass(frozen=True)
class InboxEntry:
    """One file marked `status: inbox`, with what it lacks and what is wrong in it."""

    path: PurePosixPath
    item: InboxItem
    problems: tuple[Problem, ...]
    """Sorted by line; they never stop a build, this is their only report."""


def inbox_entries(papers_dir: Path, root: Path, today: datetime.date) -> list[InboxEntry]:
    """Every inbox file, in file order."""
    vocabulary = vocabulary_of(papers_dir, root)
    documents, _ = load_paper_files(papers_dir, root)
    entries: list[InboxEntry] = []
    for document in documents:
        item, problems = validate_paper(document, vocabulary, today)
        if isinstance(item, InboxItem):
            entries.append(InboxEntry(document.path, item, tuple(sorted(problems))))
    return entries


def new_candidate(
    title: str,
    *,
    authors: tuple[str, ...],
    date: datetime.date | None,
    tags: tuple[str, ...],
    abstract: str | None,
    arxiv: str | None,
    doi: str | None,
    venue: str | None,
) -> Candidate:
    """The paper `new` describes, as an importer's candidate; a bad id is left to validation."""
    return Candidate(
        title=collapse_whitespace(title),
        source="new",
        authors=authors,
        date=date,
        abstract=abstract or None,
        arxiv=(arxiv_id(arxiv) or arxiv) if arxiv else None,
        doi=doi,
        venue=venue,
        tags=tags,
    )


def plan_new_paper(
    candidate: Candidate, papers_dir: Path, root: Path, today: datetime.date
) -> ImportPlan:
    """Plan the one file `new` writes; raise `PaperRejected` if it is a duplicate or invalid.

    Unlike an import, nothing is repaired: a value that would not validate rejects the paper.
    """
    known = KnownPapers.from_archive(papers_dir, root)
    plan = plan_import(
        Batch(1, (candidate,)),
        known,
        papers_dir,
        root,
        added=today,
        today=today,
        vocabulary=vocabulary_of(papers_dir, root),
        repair=False,
    )
    if plan.duplicates:
        duplicate = plan.duplicates[0]
        raise PaperRejected(
            f"already in the archive: {duplicate.matched} ({duplicate.reason}); nothing written"
        )
    if plan.skipped:
        raise PaperRejected(f"{plan.skipped[0].reason}; nothing written")
    return plan


def tag_suggestions(papers_dir: Path, root: Path, limit: int) -> list[Suggestion]:
    """A suggestion (possibly empty) for every untagged paper file, by path."""
    vocabulary = sorted(vocabulary_of(papers_dir, root).values())
    documents, _ = load_paper_files(papers_dir, root)
    return [suggest_tags(document, vocabulary, limit) for document in untagged(documents)]


def write_suggested_tags(path: Path, slugs: list[str]) -> bool:
    """Write `slugs` as the file's tags, every other byte (CRLF too) kept; False if unsafe."""
    updated = insert_tags(path.read_bytes().decode("utf-8"), slugs)
    if updated is None:
        return False
    path.write_text(updated, encoding="utf-8", newline="")
    return True


@dataclass(frozen=True)
class Counts:
    """How many published papers each label of one kind has, in the order to show them."""

    heading: str
    rows: tuple[tuple[str, int], ...]


def archive_counts(archive: Archive) -> tuple[Counts, ...]:
    """Published papers by tag and by venue (most first, ties by name), by year (newest first)."""
    papers = archive.papers
    return (
        _most_first("By tag", (slug for paper in papers for slug in paper.tags)),
        Counts(
            "By year",
            tuple(
                sorted(
                    Counter(str(paper.year) for paper in papers).items(),
                    key=lambda item: item[0],
                    reverse=True,
                )
            ),
        ),
        _most_first("By venue", (paper.venue or "(no venue)" for paper in papers)),
    )


def _most_first(heading: str, labels: Iterable[str]) -> Counts:
    counts = Counter(labels)
    return Counts(heading, tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))))
