"""Exceptions the library raises; only the commands (`generator/commands/`) turn them into messages
and exit codes."""

from __future__ import annotations

from generator.model import Problem


class PaperArchiveError(Exception):
    """Base of every error the tool reports to a curator without a traceback."""


class NotAnArchive(PaperArchiveError):
    """The folder given as the archive has no `mkdocs.yml`."""


class SettingsError(PaperArchiveError):
    """`mkdocs.yml` cannot be read, or a setting this tool reads has the wrong type."""


class ArchiveError(PaperArchiveError):
    """The archive cannot be built; `problems` says every reason, each with file and line."""

    def __init__(self, problems: list[Problem], strict: bool = False):
        super().__init__(f"{len(problems)} problem(s) in the archive")
        self.problems = problems
        self.strict = strict
        """True when warnings alone stopped it (`--strict`)."""


class OutputError(PaperArchiveError):
    """Two pages claim one output path, or a page would land outside the output folder."""


class SiteBuildError(PaperArchiveError):
    """The engine (MkDocs, Zensical, ...) or Pagefind failed; the previous site is left in place."""


class UnreadableImport(PaperArchiveError):
    """An import file is not in the format its command reads (XML, JSON or BibTeX)."""


class NotAnArxivId(PaperArchiveError):
    """A reference given to `add` is neither an arXiv id nor an arXiv URL."""


class ArxivUnreachable(PaperArchiveError):
    """The arXiv API did not answer usefully (network error, timeout, HTTP error)."""


class PaperRejected(PaperArchiveError):
    """A paper given to `new` would not validate, or is already in the archive."""


class FolderNotEmpty(PaperArchiveError):
    """`init` was given a folder that already holds files (or is a file)."""


class NoExampleList(PaperArchiveError):
    """`remove-examples` found no `papers/_examples.sha256`: nothing is known to be an example."""


class UnexpectedError(PaperArchiveError):
    """Something the tool does not foresee (a bug) failed while it processed one file.

    Raised around the work on one file, so the one-line report can say which; the
    original exception is its `__cause__`, for `--debug`.
    """

    def __init__(self, place: str, problem: str):
        super().__init__(place, problem)  # both in `args`: it is pickled from worker processes
        self.place = place
        self.problem = problem

    @classmethod
    def wrapping(cls, place: object, error: Exception) -> UnexpectedError:
        """Return the error to raise `from error` for a failure while processing `place`."""
        return cls(str(place), f"{type(error).__name__}: {error}")

    def __str__(self) -> str:
        return f"{self.place}: unexpected {self.problem}"
