"""Pages not yet made: how to make each, and what of the archive it shows.

Invariant: a plan's `make` is pure and cheap to hold (a bound function and its values),
so an archive's every page can be planned, and only the changed ones made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Literal

from generator.model import Paper

PageContent = str | bytes


@dataclass(frozen=True)
class Shows:
    """What a page shows of the archive, which the incremental module keys the page by.

    - `paper`: a paper's own page: all of the paper, its key, venue and related papers;
    - `listing`: `papers` as lists of papers show them, plus `about` (what else it names);
    - `download`: all of each of `papers` and its citation key, plus `about`.
    """

    kind: Literal["paper", "listing", "download"]
    about: object
    papers: tuple[Paper, ...]

    @classmethod
    def paper(cls, paper: Paper) -> Shows:
        return cls("paper", None, (paper,))

    @classmethod
    def listing(cls, about: object, *papers: Paper) -> Shows:
        return cls("listing", about, papers)

    @classmethod
    def download(cls, about: object, *papers: Paper) -> Shows:
        return cls("download", about, papers)


@dataclass(frozen=True)
class PagePlan:
    """A page not yet made: the function that makes it, and what it shows (None: a page
    always made again, being cheap or hand-written)."""

    make: Callable[[], PageContent]
    shows: Shows | None = None

    @classmethod
    def ready(cls, content: PageContent) -> PagePlan:
        """A page already made (a hand-written page, the id map)."""
        return cls(lambda: content)


Plans = dict[PurePosixPath, PagePlan]
