"""How every command reports: errors become one `Error: ...` line and exit status 1, and
`-q`/`-v` decide how much else is printed.

Library code raises typed exceptions (`PaperArchiveError`); only commands print. Anything
else that escapes a command is a bug or a case the tool does not foresee: it is reported
in one line naming the file being processed, when known (`UnexpectedError`). `--debug`
on the group re-raises every error for a full traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

import click

from generator import pipeline
from generator.errors import ArchiveError, PaperArchiveError, UnexpectedError
from generator.model import Problem, Severity

QUIET, NORMAL, VERBOSE = -1, 0, 1
"""How much a command prints (`-q`, neither, `-v`); problems and the summary line always."""
DEBUG_HINT = "run with --debug for the traceback"


def reporting_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every error a command raises into one readable message and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = _settings().get("debug", False)
        try:
            return command(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # usage errors, --help, Ctrl-C: click reports them
        except ArchiveError as error:
            if debug:
                raise
            print_problems(error.problems)
            errors = sum(problem.severity is Severity.ERROR for problem in error.problems)
            warnings = len(error.problems) - errors
            counted = [f"{errors} error(s)"] if errors else []
            if error.strict and warnings:
                counted.append(f"{warnings} warning(s) in strict mode")
            raise click.ClickException(f"{' and '.join(counted)}; nothing was written") from None
        except UnexpectedError as error:
            if debug:
                raise
            raise click.ClickException(f"{_one_line(str(error))}; {DEBUG_HINT}") from None
        except PaperArchiveError as error:
            if debug:
                raise
            raise click.ClickException(str(error)) from None
        except Exception as error:
            if debug:
                raise
            message = _one_line(f"unexpected {type(error).__name__}: {error}")
            raise click.ClickException(f"{message}; {DEBUG_HINT}") from None

    return wrapper


def _one_line(text: str) -> str:
    return " ".join(text.split())


def print_problems(problems: Iterable[Problem]) -> None:
    """Print each problem as `papers/NAME.yaml:LINE: message` on stderr."""
    for problem in problems:
        click.echo(str(problem), err=True)


def echo(message: str) -> None:
    """Print a line of a command's ordinary output, which `-q` leaves out."""
    if verbosity() > QUIET:
        click.echo(message)


def echo_detail(message: str) -> None:
    """Print a line only `-v` asks for (each step's time, and the like)."""
    if verbosity() >= VERBOSE:
        click.echo(message)


def verbosity() -> int:
    """`QUIET`, `NORMAL` or `VERBOSE`, as `-q`/`-v` set it (before or after the command)."""
    return _settings().get("verbosity", NORMAL)


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


def _settings() -> dict[str, Any]:
    """What the group's options stored: `root`, `debug`, `verbosity`."""
    context = click.get_current_context(silent=True)
    return (context.find_root().obj or {}) if context else {}


def current_project() -> pipeline.Project:
    """The archive named by the group's `--root` option."""
    return pipeline.load_project(_settings()["root"])
