"""What every importer produces: candidates (papers not yet written) and the entries it skipped.

Invariant: a `Candidate` holds plain, already-decoded text (no LaTeX escapes, whitespace
collapsed), so the shared intake path treats arXiv, BibTeX and Hugging Face input alike.
The helpers here are the one place that recognises arXiv ids and compares titles.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from generator.model import Link

# An arXiv id without its version: new style `2403.10717` or old style `hep-th/9901001`
# (an old-style archive may carry a subject class, `math.GT/0309136`).
ARXIV_ID = r"\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_WHOLE = re.compile(rf"\s*(?i:arxiv:)?\s*(?P<id>{ARXIV_ID})(?:v\d+)?\s*(?:\[[^\]]*\])?\s*")
# `arXiv preprint arXiv:1606.01540`, `10.48550/arXiv.2204.07651`, `arxiv.org/abs/2204.07651v2`
_ARXIV_MENTION = re.compile(
    rf"(?i:arxiv)(?:(?i:\.org/(?:abs|pdf)/)|[:.]\s*|\s+)(?P<id>{ARXIV_ID})(?:v\d+)?(?![\d])"
)
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\s*|\\.")


@dataclass(frozen=True)
class Candidate:
    """One paper read from an outside source, before it becomes `papers/<id>.yaml`.

    Only `title` and `source` are always known: a copied listing has no author names,
    a BibTeX entry rarely has an abstract. The intake path decides what is written.
    """

    title: str
    source: str
    """Where it came from, for messages: `refs.bib:12 @article{vaswani2017}`, `2403.10717`."""
    authors: tuple[str, ...] = ()
    date: datetime.date | None = None
    """Date of the first public version (arXiv v1), when the source gives one."""
    abstract: str | None = None
    arxiv: str | None = None
    """arXiv id without version."""
    arxiv_category: str | None = None
    doi: str | None = None
    venue: str | None = None
    links: tuple[Link, ...] = ()
    organization: str | None = None
    upvotes: int | None = None
    tags: tuple[str, ...] = ()
    """Vocabulary slugs; importers leave this empty so the paper lands in the inbox."""
    remarks: tuple[str, ...] = ()
    """What the curator should know, e.g. `date from year only (2019-01-01)`."""
    et_al: bool = False
    """The source names only the first authors (`and others`, `et al.`)."""


@dataclass(frozen=True)
class Skipped:
    """An input entry that cannot become a paper, with the reason shown to the curator."""

    source: str
    reason: str


@dataclass(frozen=True)
class Batch:
    """Everything one importer read from one input: usable candidates and skipped entries."""

    seen: int
    """Entries found in the input (papers, errors and unusable ones alike)."""
    candidates: tuple[Candidate, ...]
    skipped: tuple[Skipped, ...] = ()


def single_line(text: str | None) -> str:
    """Collapse all whitespace (arXiv wraps titles and abstracts at ~80 columns) to one space."""
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def paragraphs(text: str | None) -> str:
    """Collapse whitespace inside paragraphs but keep blank-line breaks, which Markdown needs."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n"))
    return "\n\n".join(line for line in (single_line(block) for block in blocks) if line)


def byline_remarks(authors: Iterable[str]) -> list[str]:
    """Say which names a byline holds twice: kept, as two people may share a name."""
    counts = Counter(authors)
    return [
        f"'{name}' appears {count} times in the byline; all kept (people can share a name)"
        for name, count in counts.items()
        if count > 1
    ]


def arxiv_id(text: str | None) -> str | None:
    """Return the id if `text` is one (`arXiv:1606.01540`, `2204.07651v2 [cs]`), else None."""
    match = _ARXIV_WHOLE.fullmatch(text or "")
    return match.group("id") if match else None


def arxiv_id_in(text: str | None) -> str | None:
    """Return an id that `text` names after the word arXiv, as journals, DOIs and URLs do."""
    match = _ARXIV_MENTION.search(text or "")
    return match.group("id") if match else None


def title_key(title: str) -> str:
    """Reduce a title to letters and digits, so case, punctuation, accents and LaTeX don't matter.

    `Z{\\"u}rich`, `Zürich` and `ZURICH` all give `zurich`; `Pre-training` equals `Pretraining`.
    """
    text = unicodedata.normalize("NFKD", _LATEX_COMMAND.sub("", title))
    return "".join(c for c in text.casefold() if c.isalnum() and not unicodedata.combining(c))


def bare_doi(doi: str | None) -> str | None:
    """Return the DOI without a resolver prefix (`https://doi.org/`, `doi:`), or None if empty."""
    bare = re.sub(
        r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", (doi or "").strip(), flags=re.IGNORECASE
    )
    return bare or None


def doi_key(doi: str) -> str:
    """Compare DOIs as the validator stores them: no resolver prefix, case-insensitive."""
    return (bare_doi(doi) or "").lower()


def arxiv_key(value: str) -> str:
    """Compare arXiv ids as one paper: `arXiv:2401.00001v3` and `2401.00001` give one key."""
    return (arxiv_id(value) or value).lower()


def split_results(results: Iterable[Candidate | Skipped]) -> tuple[list[Candidate], list[Skipped]]:
    """Separate what an importer could use from what it skipped, keeping input order."""
    candidates: list[Candidate] = []
    skipped: list[Skipped] = []
    for result in results:
        if isinstance(result, Candidate):
            candidates.append(result)
        else:
            skipped.append(result)
    return candidates, skipped
