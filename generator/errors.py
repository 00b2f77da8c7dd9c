"""Exceptions the library raises; only `cli.py` turns them into messages and exit codes."""

from __future__ import annotations

from generator.model import Problem


class PaperArchiveError(Exception):
    """Base of every error the tool reports to a curator without a traceback."""


class ArchiveError(PaperArchiveError):
    """The archive cannot be built; `problems` says every reason, each with file and line."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in the archive")
        self.problems = problems


class OutputError(PaperArchiveError):
    """Two pages claim one output path, or a page would land outside the output folder."""


class SiteBuildError(PaperArchiveError):
    """MkDocs failed; the previous site is left in place."""
