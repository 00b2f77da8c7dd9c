"""The `paper-archive` command: the only place that prints, exits, or shows tracebacks.

Library code raises typed exceptions (`PaperArchiveError`); each is turned here into
`Error: ...` on stderr and exit status 1. `--debug` re-raises for a full traceback.
"""

from __future__ import annotations

import datetime
import logging
import sys
import time
from pathlib import Path

import click

from generator import build as pipeline
from generator.curate import inbox, new, stats, tags
from generator.engines import ENGINES, SETTING, configured_engine_name, engine_named
from generator.engines.site import build_site
from generator.importing import add, import_group, import_listing_file
from generator.links import links
from generator.load import display_path
from generator.progress import Progress, progress_to_stderr
from generator.reporting import (
    VERBOSE,
    add_output_options,
    current_project,
    print_problems,
    reporting_errors,
    verbosity,
)
from generator.starting import init, remove_examples_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=".",
    show_default=True,
    help="Archive folder holding mkdocs.yml and papers/.",
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of short messages.")
@click.version_option(package_name="paper-archive")
@click.pass_context
def main(context: click.Context, root: Path, debug: bool) -> None:
    """Build a searchable static site from one YAML file per paper."""
    context.ensure_object(dict).update(root=root.resolve(), debug=debug)


@main.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too (as CI does).")
@reporting_errors
def check(strict: bool) -> None:
    """Validate every paper file and the tag vocabulary; write nothing."""
    started = time.perf_counter()
    archive, warnings = pipeline.load_archive(current_project(), strict=strict, workers=None)
    print_problems(warnings)
    click.echo(
        f"Checked {len(archive.papers)} papers and {len(archive.tags)} tags"
        f" ({len(archive.inbox)} in the inbox) in {time.perf_counter() - started:.2f} s: no errors"
    )


@main.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too (as CI does).")
@reporting_errors
def generate(strict: bool) -> None:
    """Validate, then write the site's Markdown pages into the generated folder.

    Quick enough to show no progress; `-v` adds each step's time after the final line.
    """
    progress = Progress(verbosity=verbosity())  # times the steps, shows nothing
    result = pipeline.generate(current_project(), strict=strict, progress=progress)
    print_problems(result.warnings)
    report = result.report
    click.echo(
        f"Generated {result.page_count} pages for {len(result.archive.papers)} papers"
        f" in {result.seconds:.2f} s ({len(report.written)} written,"
        f" {report.unchanged} unchanged, {len(report.deleted)} removed)"
    )
    if verbosity() >= VERBOSE:
        for line in progress.summary_lines():
            click.echo(line)


@main.command()
@click.option("--strict/--no-strict", default=True, show_default=True, help="Fail on any warning.")
@click.option(
    "--engine",
    type=click.Choice(list(ENGINES)),
    default=None,
    help=f"What builds the HTML (default: `extra.{SETTING}` in mkdocs.yml, else mkdocs);"
    " zensical needs `pip install 'paper-archive[zensical]'`.",
)
@reporting_errors
def build(strict: bool, engine: str | None) -> None:
    """Generate the pages, then build the site with MkDocs (or --engine) into site/
    (swapped in whole).

    Each step shows its progress on standard error: a live bar at a terminal, one line
    with its counts and time elsewhere; `-q` shows none.
    """
    project = current_project()
    chosen = engine_named(engine or configured_engine_name(project.root / pipeline.CONFIG_FILE))
    with progress_to_stderr(verbosity()) as progress:
        result = pipeline.generate(project, strict=strict, progress=progress)
        print_problems(result.warnings)
        as_of = pipeline.build_date(result.archive)
        seconds = build_site(project, as_of, chosen, strict=strict, progress=progress)
    click.echo(
        f"Built {len(result.archive.papers)} papers, {len(result.archive.tags)} tag pages,"
        f" {result.page_count} pages in all, in {result.seconds + seconds:.2f} s"
        f" (generate {result.seconds:.2f} s, {chosen.name} {seconds:.2f} s)"
        f" into {display_path(project.site_dir, project.root)}/"
    )
    for line in progress.summary_lines():
        click.echo(line)


@main.command("import-listing")
@click.argument("listing", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option(
    "--year",
    type=int,
    default=datetime.date.today().year,
    show_default="this year",
    help="Year of dates shown without one.",
)
@click.option(
    "--added",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date the papers joined the archive (default: today).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be created; write nothing.")
@reporting_errors
def import_listing(
    listing: Path, year: int, added: datetime.datetime | None, dry_run: bool
) -> None:
    """Create inbox paper files from a copied Hugging Face Daily Papers listing."""
    import_listing_file(listing, year, added.date() if added else None, dry_run)


@main.command()
@click.option(
    "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on."
)
@click.option(
    "--poll",
    is_flag=True,
    help="Check files for changes twice a second instead of waiting for the system's file"
    " events: for network and Docker mounts, which pass no events.",
)
@reporting_errors
def serve(dev_addr: str, poll: bool) -> None:
    """Preview the site live: saving a paper file regenerates its pages and reloads the browser.

    The preview is MkDocs', whichever engine builds the site: Zensical's own server cannot
    regenerate the pages when a paper file is saved (`extra.engine: zensical` previews
    with MkDocs, in Material's look).
    """
    from generator.serve import serve_forever

    if verbosity() >= VERBOSE:  # MkDocs' own progress messages (it logs them at INFO)
        logging.basicConfig(level=logging.INFO, format="%(name)s: %(message)s")
    project = current_project()
    serve_forever(
        project,
        dev_addr,
        configured_engine_name(project.root / pipeline.CONFIG_FILE),
        lambda text, error: click.echo(text, err=error),
        poll,
        progress_to_stderr(verbosity()),
    )


main.add_command(links)

# Curator commands (issue 3): arXiv `add`, `import bibtex|hf`, `inbox`, `new`, `tags`, `stats`.
for _command in (add, import_group, inbox, new, tags, stats):
    main.add_command(_command)

main.add_command(init)
main.add_command(remove_examples_command)

add_output_options(main)  # last: every command registered above gets -q and -v

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
