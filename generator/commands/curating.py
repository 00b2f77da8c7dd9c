"""The curator's triage commands: `new` (one paper by hand), `inbox`, `tags suggest`, `stats`.

The work is done by `generator.curation`; this module only asks, prints and exits.
"""

from __future__ import annotations

import datetime

import click

from generator import pipeline
from generator.commands.options import DRY_RUN, current_project
from generator.commands.reporting import echo, reporting_errors
from generator.curation import (
    archive_counts,
    inbox_entries,
    new_candidate,
    plan_new_paper,
    tag_suggestions,
    write_suggested_tags,
)
from generator.importers.intake import write_plan


@click.command()
@reporting_errors
def inbox() -> None:
    """List papers marked `status: inbox`, what each still lacks and what is wrong in it.

    These are the inbox's only report: a build or `check` never fails because of them.
    """
    project = current_project()
    entries = inbox_entries(project.papers_dir, project.root, datetime.date.today())
    for entry in entries:
        echo(f"{entry.path}  {entry.item.title}")
        if entry.item.missing:
            echo(f"    lacks: {', '.join(entry.item.missing)}")
        for problem in entry.problems:
            click.echo(f"    {problem}")  # a problem: printed with -q too
        if not entry.item.missing and not entry.problems:
            echo("    complete: remove 'status: inbox' to publish it")
    click.echo(f"{len(entries)} paper(s) in the inbox")


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
    candidate = new_candidate(
        title,
        authors=authors,
        date=date,
        tags=tags,
        abstract=abstract,
        arxiv=arxiv,
        doi=doi,
        venue=venue,
    )
    project = current_project()
    plan = plan_new_paper(candidate, project.papers_dir, project.root, datetime.date.today())
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
    suggestions = tag_suggestions(project.papers_dir, project.root, limit)
    suggested = written = 0
    for suggestion in suggestions:
        if not suggestion.tags:
            echo(f"{suggestion.path}: no keyword matched; tag it by hand")
            continue
        suggested += 1
        reasons = "; ".join(f"{slug} ({', '.join(words)})" for slug, words in suggestion.tags)
        echo(f"{suggestion.path}: {reasons}")
        if not write:
            continue
        if write_suggested_tags(project.root / suggestion.path, suggestion.slugs):
            written += 1
        else:
            slugs = ", ".join(suggestion.slugs)
            click.echo(
                f"  not written: 'tags' has a form this tool does not edit; add {slugs} by hand"
            )
    tail = f"; wrote {written} file(s)" if write else "; nothing written (use --write)"
    click.echo(f"{len(suggestions)} untagged paper(s), {suggested} with suggestions{tail}")


@click.command("stats")
@reporting_errors
def stats_command() -> None:
    """Print how many published papers each tag, year and venue has."""
    archive, _ = pipeline.load_archive(current_project())
    click.echo(f"{len(archive.papers)} published paper(s), {len(archive.inbox)} in the inbox")
    for counts in archive_counts(archive):
        echo(f"\n{counts.heading}")
        for label, number in counts.rows:
            echo(f"  {number:>4}  {label}")
