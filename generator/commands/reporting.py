"""How every command reports: errors become one `Error: ...` line and exit status 1, and
the `-q`/`-v` level decides how much else is printed.

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

from generator.commands.options import QUIET, VERBOSE, settings, verbosity
from generator.errors import ArchiveError, PaperArchiveError, UnexpectedError
from generator.model import Problem, Severity

DEBUG_HINT = "run with --debug for the traceback"


def reporting_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn every error a command raises into one readable message and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = settings().get("debug", False)
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
