"""How every command reports: library errors become `Error: ...` and exit status 1.

Library code raises typed exceptions (`PaperArchiveError`); only commands print. `--debug`
on the group re-raises for a full traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

import click

from generator import build as pipeline
from generator.errors import ArchiveError, PaperArchiveError
from generator.model import Problem, Severity


def reporting_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into readable messages and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = click.get_current_context().obj["debug"]
        try:
            return command(*args, **kwargs)
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
        except PaperArchiveError as error:
            if debug:
                raise
            raise click.ClickException(str(error)) from None

    return wrapper


def print_problems(problems: Iterable[Problem]) -> None:
    """Print each problem as `papers/NAME.yaml:LINE: message` on stderr."""
    for problem in problems:
        click.echo(str(problem), err=True)


def current_project() -> pipeline.Project:
    """The archive named by the group's `--root` option."""
    return pipeline.load_project(click.get_current_context().obj["root"])
