"""Import commands: `add` (arXiv), `import bibtex`, `import hf` and `import-listing`.

Invariant: every import goes through `importers.intake` (duplicate check against the archive and
the batch, in-memory validation, never overwrite) and ends with one summary line; `--dry-run`
writes nothing, and a network failure raises before anything is written. The reading, planning
and writing are `generator.importers`'; this module only prints, asks and exits.
"""

from __future__ import annotations

import dataclasses
import datetime
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

import click
from tqdm import tqdm

from generator.commands.options import ADDED, DRY_RUN, current_project
from generator.commands.reporting import echo, reporting_errors
from generator.errors import PaperRejected
from generator.importers.arxiv import (
    ArxivClient,
    parse_arxiv_reference,
    read_feed_file,
    select_requested,
)
from generator.importers.bibtex import parse_bibtex
from generator.importers.candidate import Batch
from generator.importers.hf import listing_batch, parse_hf_papers
from generator.importers.intake import ImportPlan, Update, plan_import, write_plan
from generator.importers.known import Duplicate, KnownPapers
from generator.importers.updates import FileEdit, prepare_edits, write_edits

PROGRESS_THRESHOLD = 20
"""Batches smaller than this finish before a progress bar would be read."""
_T = TypeVar("_T")


def _run_import(
    batch: Batch,
    name: str,
    *,
    added: datetime.date | None,
    dry_run: bool,
    extra: Sequence[Duplicate] = (),
    known: KnownPapers | None = None,
    update_existing: bool = False,
    yes: bool = False,
) -> ImportPlan:
    """Plan `batch` against the archive, write it unless `dry_run`, print the summary.

    With `update_existing`, the fields the import would add to existing files are then
    shown as a diff and, once confirmed (or with `yes`), written into those files.
    """
    project = current_project()
    today = datetime.date.today()
    known = known or KnownPapers.from_archive(project.papers_dir, project.root)
    plan = plan_import(
        batch, known, project.papers_dir, project.root, added=added or today, today=today
    )
    plan = dataclasses.replace(plan, duplicates=(*extra, *plan.duplicates))
    written, clashes = ([], []) if dry_run else write_plan(plan, _progress)
    for paper in plan.new:
        echo(f"{'would add' if dry_run else 'added'} {paper.shown} ({paper.candidate.source})")
        for remark in paper.remarks:
            echo(f"  note: {remark}")
    for possible in plan.possible:
        others = ", ".join(f"{path} ({reason})" for path, reason in possible.matched)
        echo(
            f"possible duplicate {possible.added} ({possible.source}): same title as {others};"
            " both kept, delete one if they are the same work"
        )
    for duplicate in plan.duplicates:
        what = f"{duplicate.source} {duplicate.title!r}" if duplicate.title else duplicate.source
        where = f" (new in this import, from {duplicate.kept})" if duplicate.in_batch else ""
        echo(f"duplicate {what}: {duplicate.reason} as {duplicate.matched}{where}")
        if duplicate.not_kept:
            echo(f"  not kept: {', '.join(duplicate.not_kept)}")
    for update in plan.updates:
        echo(f"update {update.shown}: the import has {update.summary}")
    for skip in (*plan.skipped, *clashes):
        click.echo(f"skipped {skip.source}: {skip.reason}")
    added_count = len(plan.new) if dry_run else len(written)
    possible = f" {_count(len(plan.possible), 'possible duplicate')}," if plan.possible else ""
    click.echo(
        f"{name}: {_count(plan.seen, 'entry', 'entries')} seen,"
        f" {added_count} {'would be added' if dry_run else 'added'} to the inbox,"
        f" {_count(len(plan.duplicates), 'duplicate')},{possible}"
        f" {len(plan.skipped) + len(clashes)} skipped"
        + ("; dry run, nothing written" if dry_run else "")
    )
    if plan.updates and not update_existing:
        click.echo(
            f"{_count(len(plan.updates), 'existing file')} could gain fields from this import:"
            " run it again with --update-existing to see the change and apply it"
        )
    elif plan.updates:
        _update_existing(plan.updates, dry_run=dry_run, yes=yes)
    return plan


def _update_existing(updates: Sequence[Update], *, dry_run: bool, yes: bool) -> None:
    """Show each file's change as a diff, then write them all once confirmed."""
    changes: list[FileEdit] = []
    for edit in prepare_edits(updates):
        if isinstance(edit, FileEdit):
            click.echo(edit.diff, nl=False)
            changes.append(edit)
        else:
            click.echo(f"{edit.update.shown}: not edited, {edit.reason}")
    files = _count(len(changes), "existing file")
    if not changes:
        return
    if dry_run:
        click.echo(f"dry run: {files} would be updated")
    elif yes or click.confirm(f"Add these fields to {files}?", default=False):
        write_edits(changes)
        click.echo(f"updated {files}")
    else:
        click.echo("existing files left unchanged")


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def _progress(items: Iterable[_T]) -> Iterable[_T]:
    """A progress bar on stderr for long batches at a terminal; silent otherwise."""
    listed = list(items)
    quiet = len(listed) < PROGRESS_THRESHOLD or not sys.stderr.isatty()
    return tqdm(listed, desc="Writing", unit="paper", file=sys.stderr, disable=quiet, leave=False)


def _updating(command: Callable[..., None]) -> Callable[..., None]:
    """`--update-existing` and `--yes`, shared by the commands that import from a source."""
    command = click.option(
        "--yes",
        "-y",
        is_flag=True,
        help="With --update-existing: edit the files without asking (the diff is still shown).",
    )(command)
    return click.option(
        "--update-existing",
        is_flag=True,
        help="Also add to files already in the archive the fields this import has and they"
        " lack (identifiers, missing authors, abstract...): shows the diff, asks first."
        " Only empty fields are filled; nothing the curator wrote changes.",
    )(command)


@click.command()
@click.argument("references", nargs=-1, metavar="ID_OR_URL...")
@click.option(
    "--from-file",
    "feed",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Read a saved arXiv API feed instead of asking arXiv: Atom XML, or a recorded"
    " {url, status_code, body} JSON response.",
)
@DRY_RUN
@ADDED
@_updating
@reporting_errors
def add(
    references: tuple[str, ...],
    feed: Path | None,
    dry_run: bool,
    added: datetime.datetime | None,
    update_existing: bool,
    yes: bool,
) -> None:
    """Add papers from arXiv by id or URL (2403.10717, arxiv.org/abs/..., hep-th/9901001).

    All ids go to arXiv in one query; each new paper lands in the inbox (status: inbox, tags: []).
    With --from-file and no ids, every entry of the feed is added.
    """
    if not references and feed is None:
        raise click.UsageError("give at least one arXiv id or URL, or --from-file FEED")
    ids = [parse_arxiv_reference(reference) for reference in references]
    project = current_project()
    known = KnownPapers.from_archive(project.papers_dir, project.root)
    already: list[Duplicate] = []
    if feed is not None:
        batch = read_feed_file(feed)
        batch = select_requested(batch, ids) if ids else batch
    else:  # ids already in the archive are not asked for again
        for identifier in ids:
            matched = known.path_of_arxiv(identifier)
            if matched:
                reason = f"same arXiv id {identifier}"
                already.append(Duplicate("", f"arXiv {identifier}", matched, reason))
        wanted = [i for i in ids if not known.path_of_arxiv(i)]
        batch = ArxivClient().fetch(wanted) if wanted else Batch(0, ())
    added_date = added.date() if added else None
    plan = _run_import(
        batch,
        feed.name if feed else "arXiv",
        added=added_date,
        dry_run=dry_run,
        extra=already,
        known=known,
        update_existing=update_existing,
        yes=yes,
    )
    if plan.skipped:
        count = _count(len(plan.skipped), "requested paper")
        raise click.ClickException(f"{count} not found on arXiv (see 'skipped' above)")
    if not plan.new and not plan.duplicates:
        raise click.ClickException("not found on arXiv: the feed holds no entries")


@click.group("import")
def import_group() -> None:
    """Import papers from files exported elsewhere (BibTeX, Hugging Face JSON)."""


@import_group.command("bibtex")
@click.argument(
    "bib_file", type=click.Path(dir_okay=False, exists=True, path_type=Path), metavar="FILE.bib"
)
@click.option(
    "--all-types",
    is_flag=True,
    help="Take every entry, not only papers (web pages, software, @misc without an id or venue).",
)
@DRY_RUN
@ADDED
@_updating
@reporting_errors
def import_bibtex(
    bib_file: Path,
    all_types: bool,
    dry_run: bool,
    added: datetime.datetime | None,
    update_existing: bool,
    yes: bool,
) -> None:
    """Import every usable entry of a BibTeX or BibLaTeX file (Zotero, Google Scholar, DBLP).

    Entries without a title, authors or a year are listed with their key and reason, and so
    are entries that are not papers (unless --all-types). A year without a month gives
    YYYY-01-01, and the summary says so.
    """
    batch = parse_bibtex(_read_text(bib_file), bib_file.name, all_types=all_types)
    _run_import(
        batch,
        bib_file.name,
        added=added.date() if added else None,
        dry_run=dry_run,
        update_existing=update_existing,
        yes=yes,
    )


@import_group.command("hf")
@click.argument(
    "json_file", type=click.Path(dir_okay=False, exists=True, path_type=Path), metavar="FILE.json"
)
@DRY_RUN
@ADDED
@_updating
@reporting_errors
def import_hf(
    json_file: Path,
    dry_run: bool,
    added: datetime.datetime | None,
    update_existing: bool,
    yes: bool,
) -> None:
    """Import a saved Hugging Face papers API response (/api/daily_papers or /api/papers/ID)."""
    batch = parse_hf_papers(_read_text(json_file), json_file.name)
    _run_import(
        batch,
        json_file.name,
        added=added.date() if added else None,
        dry_run=dry_run,
        update_existing=update_existing,
        yes=yes,
    )


@click.command("import-listing")
@click.argument("listing", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--year",
    type=int,
    default=datetime.date.today().year,
    show_default="this year",
    help="Year of dates shown without one.",
)
@ADDED
@DRY_RUN
@reporting_errors
def import_listing(
    listing: Path, year: int, added: datetime.datetime | None, dry_run: bool
) -> None:
    """Create inbox paper files from a copied Hugging Face Daily Papers listing."""
    _run_import(
        listing_batch(_read_text(listing), year, listing.name),
        listing.name,
        added=added.date() if added else None,
        dry_run=dry_run,
    )


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise PaperRejected(
            f"{path.name}: not UTF-8 (byte {error.start}); save it as UTF-8"
        ) from None
