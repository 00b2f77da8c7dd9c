"""The commands that start an archive of your own: `init` writes a new one, `remove-examples`
empties the bundled example archive of a fork or template copy.

The work is done by `generator.scaffold`; this module only asks, prints and exits.
"""

from __future__ import annotations

from pathlib import Path

import click

from generator.commands.options import current_project
from generator.commands.reporting import reporting_errors
from generator.scaffold import (
    EXAMPLES_FILE,
    init_archive,
    installed_requirement,
    plan_example_removal,
    remove_examples,
)

FIRST_PAPER = (
    "paper-archive new --title TITLE --author NAME --date YYYY-MM-DD --tag SLUG --abstract TEXT"
)


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--force",
    is_flag=True,
    help="Add the archive's files to a folder that already holds some; existing files are kept.",
)
@reporting_errors
def init(folder: Path, force: bool) -> None:
    """Create a new archive in FOLDER: settings, tag vocabulary, About page, theme, Makefile,
    Pages workflow, .gitignore, README and the requirements.txt that pins this paper-archive.
    """
    report = init_archive(folder, installed_requirement(), add_to_existing=force)
    for path in report.kept:
        click.echo(f"kept {path}: it exists already and was left as it is")
    click.echo(f"Created an archive in {folder} ({len(report.written)} files written)")
    click.echo(
        "Next: set site_name and site_description in mkdocs.yml, write pages/about.md,"
        " adapt papers/_tags.yaml, then add a paper and build:\n"
        f"  cd {folder}\n  {FIRST_PAPER}\n  make build"
    )


@click.command("remove-examples")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--dry-run", is_flag=True, help="Show what would be deleted; delete nothing.")
@reporting_errors
def remove_examples_command(yes: bool, dry_run: bool) -> None:
    """Delete the bundled example papers, to start your own archive from this one.

    Only examples exactly as shipped (listed in papers/_examples.sha256) are deleted. Your own
    papers, edited examples, papers/_tags.yaml, pages/ and mkdocs.yml are kept.
    """
    papers_dir = current_project().papers_dir
    removal = plan_example_removal(papers_dir)
    for name in removal.edited:
        click.echo(f"keep papers/{name}: an example you edited; delete it yourself if unwanted")
    for name in removal.own:
        click.echo(f"keep papers/{name}: not a bundled example")
    click.echo(
        f"{len(removal.examples)} example paper(s) to delete,"
        f" {len(removal.edited) + len(removal.own)} paper(s) kept;"
        " papers/_tags.yaml, pages/ and mkdocs.yml stay as they are"
    )
    if dry_run:
        click.echo("Nothing deleted (--dry-run)")
        return
    if not yes:
        click.confirm(f"Delete the examples and papers/{EXAMPLES_FILE}?", abort=True)
    deleted = remove_examples(papers_dir, removal)
    click.echo(f"Deleted {len(deleted)} example paper(s) and papers/{EXAMPLES_FILE}")
    click.echo(
        "Next: set site_name and site_description in mkdocs.yml, rewrite pages/about.md,"
        f" then add a paper and build:\n  {FIRST_PAPER}\n  make build"
    )
