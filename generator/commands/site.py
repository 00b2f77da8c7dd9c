"""The commands that check, generate, build, preview and link-check the site.

Each runs one pipeline step (or all of them) on the archive from `--root` and ends with one
summary line; problems go to standard error and any error exits 1.
"""

from __future__ import annotations

import logging
import time

import click

from generator import pipeline
from generator.commands.options import VERBOSE, current_project, verbosity
from generator.commands.reporting import echo_detail, print_problems, reporting_errors
from generator.engines import ENGINES, SETTING, configured_engine_name, engine_named
from generator.engines.site import build_site
from generator.links import check_site_links
from generator.load import display_path
from generator.progress import Progress, progress_to_stderr


@click.command()
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


@click.command()
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
    for line in progress.summary_lines():
        echo_detail(line)


@click.command()
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


@click.command()
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
    # MkDocs' server and the file watcher are imported only when a preview is asked for.
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


@click.command("links")
@click.option("--external", is_flag=True, help="Also list external URLs (they are never fetched).")
@reporting_errors
def links(external: bool) -> None:
    """Check the built site's internal links and #anchors; exit 1 listing broken ones."""
    project = current_project()
    if not (project.site_dir / "index.html").is_file():
        raise click.ClickException(
            f"no built site in {project.site_dir}: run `paper-archive build` first"
        )
    report = check_site_links(project.site_dir, project.site.url)
    for url in report.external if external else ():
        click.echo(url)
    for link in report.broken:
        click.echo(f"{project.site_dir.name}/{link.source}: {link.url}: {link.reason}", err=True)
    if report.broken:
        raise click.ClickException(
            f"{len(report.broken)} broken link(s) in {report.files} files,"
            f" checked as served at {project.site.url or '/'} (site_url, from SITE_URL when set)"
        )
    # With --external the summary goes to stderr, so the URL list pipes cleanly.
    click.echo(
        f"Checked {report.checked} internal links in {report.files} files: none broken;"
        f" {len(report.external)} external URLs {'listed' if external else 'not checked'}",
        err=external,
    )
