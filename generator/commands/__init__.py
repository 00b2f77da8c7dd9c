"""The `paper-archive` command: the only place that prints, exits, or shows tracebacks.

Library code raises typed exceptions (`PaperArchiveError`); each is turned into
`Error: ...` on stderr and exit status 1 by `reporting.reporting_errors`. `--debug`
re-raises for a full traceback. The modules, one job each: `options` (what every command
shares), `reporting` (errors and output level), `site` (check, generate, build, serve,
links), `importing` (add, import, import-listing), `curating` (new, inbox, tags, stats),
`starting` (init, remove-examples).
"""

from __future__ import annotations

from pathlib import Path

import click

from generator.commands.curating import inbox, new, stats_command, tags
from generator.commands.importing import add, import_group, import_listing
from generator.commands.options import add_output_options
from generator.commands.site import build, check, generate, links, serve
from generator.commands.starting import init, remove_examples_command


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


for _command in (
    check,
    generate,
    build,
    import_listing,
    serve,
    links,
    add,
    import_group,
    inbox,
    new,
    tags,
    stats_command,
    init,
    remove_examples_command,
):
    main.add_command(_command)

add_output_options(main)  # last: every command registered above gets -q and -v
