"""Curator commands for triage: `inbox`, `new`, `tags suggest`, `stats`, and the helpers every
curator command shares (the imports live in `importing.py`).

Invariant: `new` goes through `importers.intake` like every import (duplicate check, in-memory
validation, never overwrite); `tags suggest` writes only with `--write` and only the `tags` line.
Library errors arrive as `PaperArchiveError` and leave here as `Error: ...` with exit 1.
"""

from __future__ import annotations

import datetime
from collections import Counter

import click

from generator import pipeline
from generator.errors import ArchiveError, PaperRejected
from generator.importers.candidate import Batch, Candidate, arxiv_id
from generator.importers.intake import plan_import, write_plan
from generator.importers.known import KnownPapers
from generator.load import load_paper_files, load_vocabulary_file
from generator.model import InboxItem, Problem, Severity, Tag
from generator.reporting import current_project, echo, reporting_errors
from generator.tagging import insert_tags, suggest_tags, untagged
from generator.validate import validate_paper, validate_vocabulary

DRY_RUN = click.option("--dry-run", is_flag=True, help="Show what would be created; write nothing.")


@click.command()
@reporting_errors
def inbox() -> None:
    """List papers marked `status: inbox`, what each still lacks and what is wrong in it.

    These are the inbox's only report: a build or `check` never fails because of them.
    """
    project = current_project()
    vocabulary = _vocabulary(project)
    documents, _ = load_paper_files(project.papers_dir, project.root)
    today = datetime.date.today()
    count = 0
    for document in documents:
        item, problems = validate_paper(document, vocabulary, today)
        if not isinstance(item, InboxItem):
            continue
        count += 1
        echo(f"{document.path}  {item.title}")
        if item.missing:
            echo(f"    lacks: {', '.join(item.missing)}")
        for problem in sorted(problems):
            click.echo(f"    {problem}")  # a problem: printed with -q too
        if not item.missing and not problems:
            echo("    complete: remove 'status: inbox' to publish it")
    click.echo(f"{count} paper(s) in the inbox")


@click.command()
@click.option("--title", help="Title as printed on the paper (asked for when missing).")
@click.option(
    "--author", "authors", multiple=True, help="An author's full name; repeat in byline order."
)
@click.option("--date", "date_text", help="Date of the first public version, YYYY-MM-DD.")
@click.option(
    "--tag", "tags", multiple=True, help="A tag slug from papers/_tags.yaml; repeat for several."
)
@click.option("--abstract", help="The abstract (Markdown, $...$ for math).")
@click.option("--arxiv", help="arXiv id, e.g. 2403.10717.")
@click.option("--doi", help="DOI, e.g. 10.1145/3580305.")
@click.option("--venue", help="Where it was published, e.g. 'ICLR 2024'.")
@click.option(
    "--no-input",
    is_flag=True,
    help="Never prompt; missing fields stay missing (the paper goes to the inbox).",
)
@DRY_RUN
@reporting_errors
def new(
    title: str | None,
    authors: tuple[str, ...],
    date_text: str | None,
    tags: tuple[str, ...],
    abstract: str | None,
    arxiv: str | None,
    doi: str | None,
    venue: str | None,
    no_input: bool,
    dry_run: bool,
) -> None:
    """Create one paper file from flags or prompts; its id comes from the title.

    With authors, a date, an abstract and tags it is published; otherwise it waits in the
    inbox, and the message says what it lacks.
    """
    if not title:
        if no_input:
            raise click.UsageError("--title is required with --no-input")
        title = click.prompt("Title")
    if not no_input:
        authors = authors or _split(
            click.prompt(
                "Authors (comma-separated; empty: fill in later)", default="", show_default=False
            )
        )
        date_text = date_text or click.prompt(
            "Date of the first version, YYYY-MM-DD (empty: fill in later)",
            default="",
            show_default=False,
        )
        tags = tags or _split(
            click.prompt(
                "Tags (comma-separated slugs; empty: inbox)", default="", show_default=False
            )
        )
        abstract = abstract or click.prompt(
            "Abstract (empty: inbox)", default="", show_default=False
        )
    try:
        date = datetime.date.fromisoformat(date_text) if date_text else None
    except ValueError:
        raise click.BadParameter(
            f"{date_text!r} is not a date written YYYY-MM-DD", param_hint="--date"
        ) from None
    candidate = Candidate(
        title=" ".join(title.split()),
        source="new",
        authors=authors,
        date=date,
        abstract=abstract or None,
        arxiv=(arxiv_id(arxiv) or arxiv) if arxiv else None,  # a bad id is reported by validation
        doi=doi,
        venue=venue,
        tags=tags,
    )
    project = current_project()
    today = datetime.date.today()
    known = KnownPapers.from_archive(project.papers_dir, project.root)
    plan = plan_import(
        Batch(1, (candidate,)),
        known,
        project.papers_dir,
        project.root,
        added=today,
        today=today,
        vocabulary=_vocabulary(project),
        repair=False,
    )
    if plan.duplicates:
        duplicate = plan.duplicates[0]
        raise PaperRejected(
            f"already in the archive: {duplicate.matched} ({duplicate.reason}); nothing written"
        )
    if plan.skipped:
        raise PaperRejected(f"{plan.skipped[0].reason}; nothing written")
    paper = plan.new[0]
    if not dry_run:
        write_plan(plan)
    state = (
        f"in the inbox: {'; '.join(paper.waiting)}"
        if paper.fields.get("status") == "inbox"
        else "published on the next build"
    )
    click.echo(f"{'Would create' if dry_run else 'Created'} {paper.shown} ({state})")
    for possible in plan.possible:
        others = ", ".join(f"{path} ({reason})" for path, reason in possible.matched)
        click.echo(f"  possible duplicate: same title as {others}")


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


@click.group()
def tags() -> None:
    """Work with the tag vocabulary (papers/_tags.yaml)."""


@tags.command("suggest")
@click.option(
    "--write",
    is_flag=True,
    help="Write the suggested tags into each file (only the 'tags' line changes).",
)
@click.option("--limit", default=3, show_default=True, help="At most this many tags per paper.")
@reporting_errors
def tags_suggest(write: bool, limit: int) -> None:
    """Propose tags for untagged papers from the keywords declared in papers/_tags.yaml.

    Prints only, unless --write; a file whose tags cannot be edited safely is left alone.
    """
    project = current_project()
    vocabulary = sorted(_vocabulary(project).values())
    documents, _ = load_paper_files(project.papers_dir, project.root)
    candidates = untagged(documents)
    suggested = written = 0
    for document in candidates:
        suggestion = suggest_tags(document, vocabulary, limit)
        if not suggestion.tags:
            echo(f"{document.path}: no keyword matched; tag it by hand")
            continue
        suggested += 1
        reasons = "; ".join(f"{slug} ({', '.join(words)})" for slug, words in suggestion.tags)
        echo(f"{document.path}: {reasons}")
        if write:
            path = project.root / document.path
            updated = insert_tags(path.read_bytes().decode("utf-8"), suggestion.slugs)  # keep CRLF
            if updated is None:
                slugs = ", ".join(suggestion.slugs)
                click.echo(
                    f"  not written: 'tags' has a form this tool does not edit; add {slugs} by hand"
                )
            else:
                path.write_text(updated, encoding="utf-8", newline="")
                written += 1
    tail = f"; wrote {written} file(s)" if write else "; nothing written (use --write)"
    click.echo(f"{len(candidates)} untagged paper(s), {suggested} with suggestions{tail}")


@click.command()
@reporting_errors
def stats() -> None:
    """Print how many published papers each tag, year and venue has."""
    archive, _ = pipeline.load_archive(current_project())
    papers = archive.papers
    click.echo(f"{len(papers)} published paper(s), {len(archive.inbox)} in the inbox")
    _print_counts("By tag", Counter(slug for paper in papers for slug in paper.tags), by_year=False)
    _print_counts("By year", Counter(str(paper.year) for paper in papers), by_year=True)
    _print_counts(
        "By venue", Counter(paper.venue or "(no venue)" for paper in papers), by_year=False
    )


def _print_counts(heading: str, counts: Counter[str], by_year: bool) -> None:
    """Most frequent first (ties by name); years newest first."""
    echo(f"\n{heading}")
    order = (
        sorted(counts.items(), key=lambda item: item[0], reverse=True)
        if by_year
        else sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    )
    for label, number in order:
        echo(f"  {number:>4}  {label}")


def _vocabulary(project: pipeline.Project) -> dict[str, Tag]:
    """The tag vocabulary, or an `ArchiveError` saying what is wrong with it."""
    document = load_vocabulary_file(project.papers_dir, project.root)
    if isinstance(document, Problem):
        raise ArchiveError([document])
    tags, problems = validate_vocabulary(document)
    errors = [problem for problem in problems if problem.severity is Severity.ERROR]
    if errors:
        raise ArchiveError(errors)
    return {tag.slug: tag for tag in tags}
