"""The archive's values: frozen dataclasses that every stage after validation shares.

Invariant: a `Paper` is already normalised (dates are `datetime.date`, whitespace
collapsed, ids slug-safe), so indexes and templates never re-check or re-normalise.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from enum import Enum
from functools import total_ordering
from pathlib import PurePosixPath

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
"""English month names, fixed here so output never depends on the machine's locale."""


class Severity(Enum):
    """How bad a problem is: errors stop the build, warnings only fail `--strict`."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one input file, reported as `path:line: message`."""

    path: PurePosixPath
    """File as shown to the curator (relative to the archive root)."""
    line: int
    """1-based line of the offending key; 0 when the whole file is at fault."""
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{where}: {prefix}{self.message}"


@dataclass(frozen=True)
class SourceLocation:
    """Where a paper came from, so later stages can still point at a file and line."""

    path: PurePosixPath
    lines: dict[str, int] = field(default_factory=dict)
    """Key (`title`, `authors[2]`, `links.code`) to its 1-based line."""

    def line_of(self, key: str) -> int:
        """Return the line of `key` (`authors[2]`), else of its top-level key, else 0."""
        top_level_key = re.split(r"[.\[]", key, maxsplit=1)[0]
        return self.lines.get(key) or self.lines.get(top_level_key, 0)


@total_ordering
@dataclass(frozen=True)
class Tag:
    """One entry of the controlled vocabulary (`papers/_tags.yaml`).

    ```yaml
    data-selection:
      title: Data selection
      description: Choosing which training examples to keep, weight or drop.
    ```
    """

    slug: str
    title: str
    description: str
    keywords: tuple[str, ...] = ()
    """Lower-case phrases that suggest this tag for an untagged paper."""

    def __lt__(self, other: Tag) -> bool:
        return self.slug < other.slug


class Status(Enum):
    """Whether a paper is on the public site or waiting in the curator's inbox."""

    PUBLISHED = "published"
    INBOX = "inbox"


LINK_KINDS = ("pdf", "code", "project", "data", "video", "slides", "blog", "demo", "model")
"""Allowed `links` keys, in the order their buttons appear."""


@dataclass(frozen=True)
class Link:
    """An external resource of a paper: a kind from `LINK_KINDS` and an http(s) URL."""

    kind: str
    url: str


@dataclass(frozen=True)
class Paper:
    """One paper file, validated: what every page, index and export is made from."""

    id: str
    """File stem of `papers/<id>.yaml`; also the page URL, so a title fix never breaks links."""
    title: str
    """As printed: `$...$` formulas as LaTeX source, `\\$` a literal dollar (BibTeX's way)."""
    authors: tuple[str, ...]
    """Full names in byline order; a name may appear twice (two people can share one)."""
    date: datetime.date
    """Date of the first public version."""
    tags: tuple[str, ...]
    """Vocabulary slugs, in the curator's order (most specific first)."""
    abstract: str | None = None
    """Markdown with inline `$...$` LaTeX; BibTeX imports often have none."""
    et_al: bool = False
    """`authors` names only the first authors; pages say "et al.", BibTeX `and others`."""
    orcid: tuple[tuple[str, str], ...] = ()
    """(name as written in `authors`, ORCID iD) pairs in the file's order: what tells two
    people of one name apart and joins two spellings of one person (`index.build_indexes`)."""
    arxiv: str | None = None
    """arXiv id without version suffix: `2403.10717` or `hep-th/9901001`."""
    arxiv_category: str | None = None
    """arXiv primary category (`cs.LG`), for BibTeX's `primaryClass`."""
    doi: str | None = None
    """DOI without the https://doi.org/ prefix."""
    venue: str | None = None
    links: tuple[Link, ...] = ()
    """External links in `LINK_KINDS` order."""
    organization: str | None = None
    upvotes: int | None = None
    added: datetime.date | None = None
    """Date the paper joined the archive."""
    notes: str | None = None
    """The curator's Markdown commentary."""
    source: SourceLocation = field(
        default_factory=lambda: SourceLocation(PurePosixPath()), compare=False, repr=False
    )
    """Provenance for error messages; two papers with equal content are equal wherever they live."""

    @property
    def year(self) -> int:
        """Year of the first public version."""
        return self.date.year

    def link(self, kind: str) -> str | None:
        """Return the URL of the link of `kind`, if the paper has one."""
        return next((link.url for link in self.links if link.kind == kind), None)

    def orcid_of(self, name: str) -> str | None:
        """Return the ORCID iD the file gives for the author `name`, if any."""
        return next((orcid for named, orcid in self.orcid if named == name), None)

    @property
    def title_text(self) -> str:
        """The title as pages, feeds and metadata show it: `\\$` is a dollar sign there, while
        formulas stay as written (the site renders no math in titles)."""
        return self.title.replace("\\$", "$")

    @property
    def author_keys(self) -> tuple[str, ...]:
        """`authors` as compared across papers: case and spacing do not tell people apart."""
        return tuple(" ".join(name.casefold().split()) for name in self.authors)

    def shared_with(self, other: Paper) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Return the tag slugs and author names this paper shares with `other`, in its order:
        what can make two papers related (`related.related_papers`)."""
        others = set(other.author_keys)
        return (
            tuple(slug for slug in self.tags if slug in other.tags),
            tuple(
                name
                for name, key in zip(self.authors, self.author_keys, strict=True)
                if key in others
            ),
        )


@dataclass(frozen=True)
class InboxItem:
    """A paper file marked `status: inbox`: kept off the site until the curator completes it."""

    id: str
    title: str
    missing: tuple[str, ...]
    """Fields it lacks before it can be published without a warning (`authors`, `tags`,
    `abstract`, ...)."""
    path: PurePosixPath


@dataclass(frozen=True)
class Archive:
    """Everything validated: the published papers plus the vocabulary they draw on."""

    papers: tuple[Paper, ...]
    """Published papers, sorted by id."""
    tags: tuple[Tag, ...]
    """The whole vocabulary, sorted by slug."""
    inbox: tuple[InboxItem, ...] = ()
    """Files marked `status: inbox`: listed with their problems by `paper-archive inbox`, not
    published, and never a reason for a build to fail."""
