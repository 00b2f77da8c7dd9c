"""What every command shares before it runs: the group's settings (`--root`, `--debug`),
the output level (`-q`, `-v`), the archive it works on, and the options several commands take.

Invariant: the group stores its settings once, on the root context; every command reads
them here, so `-q`/`-v` before or after the command name mean the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from generator import pipeline

QUIET, NORMAL, VERBOSE = -1, 0, 1
"""How much a command prints (`-q`, neither, `-v`); problems and the summary line always."""

DRY_RUN = click.option("--dry-run", is_flag=True, help="Show what would be created; write nothing.")
ADDED = click.option(
    "--added",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date the papers joined the archive (default: today).",
)


def settings() -> dict[str, Any]:
    """What the group's options stored: `root`, `debug`, `verbosity`."""
    context = click.get_current_context(silent=True)
    return (context.find_root().obj or {}) if context else {}


def current_project() -> pipeline.Project:
    """The archive named by the group's `--root` option."""
    return pipeline.load_project(settings()["root"])


def verbosity() -> int:
    """`QUIET`, `NORMAL` or `VERBOSE`, as `-q`/`-v` set it (before or after the command)."""
    return settings().get("verbosity", NORMAL)


def add_output_options(command: click.Command) -> None:
    """Give `command` and every command below it `-q/--quiet` and `-v/--verbose`.

    On the group they go before the command (`paper-archive -q build`); on each command
    after it (`paper-archive build -q`), which is where a curator adds them to a line
    from the shell history. Both set the one level the whole invocation reads.
    """
    command.params += [
        click.Option(
            ["-q", "--quiet"],
            is_flag=True,
            expose_value=False,
            callback=_level_setter(QUIET),
            help="Print only problems and the final summary line.",
        ),
        click.Option(
            ["-v", "--verbose"],
            is_flag=True,
            expose_value=False,
            callback=_level_setter(VERBOSE),
            help="Print more detail, such as each step's time.",
        ),
    ]
    if isinstance(command, click.Group):
        for subcommand in command.commands.values():
            add_output_options(subcommand)


def _level_setter(level: int) -> Callable[[click.Context, click.Parameter, bool], None]:
    def set_level(context: click.Context, parameter: click.Parameter, value: bool) -> None:
        if value:
            context.find_root().ensure_object(dict)["verbosity"] = level

    return set_level
