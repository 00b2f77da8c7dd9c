"""Identifiers and text normalisation: the one definition of each rule, shared by validation
and the importers.

Invariant: pure string functions. An arXiv id, a DOI or a title means the same thing
whether a curator wrote it in a paper file or an importer read it from BibTeX, arXiv or
Hugging Face, so duplicate checks and validation can never disagree on what is one paper.
Validation is stricter about what it accepts in a paper file than an importer is about
what it recognises in an export, but both read the same grammar (`ARXIV_ID`, `DOI`).
"""

from __future__ import annotations

import re
import unicodedata

ARXIV_ID = r"\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}"
"""An arXiv id without its version: new style `2403.10717` or old style `hep-th/9901001`
(an old-style archive may carry a subject class, `math.GT/0309136`)."""
# What a paper file's `arxiv` may hold: the id, after an optional `arXiv:` and before an
# optional version (`v2`), which is dropped.
_ARXIV_FIELD = re.compile(rf"(?:arXiv:)?(?:arxiv:)?(?P<id>{ARXIV_ID})(?:v\d+)?")
# What an export may write: `arXiv:1606.01540`, `2204.07651v2 [cs.LG]`, any case of `arXiv:`.
_ARXIV_WHOLE = re.compile(rf"\s*(?i:arxiv:)?\s*(?P<id>{ARXIV_ID})(?:v\d+)?\s*(?:\[[^\]]*\])?\s*")
# `arXiv preprint arXiv:1606.01540`, `10.48550/arXiv.2204.07651`, `arxiv.org/abs/2204.07651v2`
_ARXIV_MENTION = re.compile(
    rf"(?i:arxiv)(?:(?i:\.org/(?:abs|pdf)/)|[:.]\s*|\s+)(?P<id>{ARXIV_ID})(?:v\d+)?(?![\d])"
)
_ARXIV_CATEGORY = re.compile(r"[a-z]+(?:-[a-z]+)*\.[A-Za-z]+(?:-[A-Za-z]+)*")
_ARXIV_ARCHIVE_CATEGORIES = frozenset(
    "astro-ph cond-mat gr-qc hep-ex hep-lat hep-ph hep-th math-ph nucl-ex nucl-th quant-ph"
    " acc-phys adap-org alg-geom ao-sci atom-ph bayes-an chao-dyn chem-ph cmp-lg comp-gas"
    " dg-ga funct-an mtrl-th patt-sol plasm-ph q-alg solv-int supr-con".split()
)
"""Archives that are categories themselves; `cs`, `math`, `stat` always need a subject class."""

DOI = re.compile(r"^10\.\d{4,9}/\S+$|^10/[A-Za-z0-9]+$")
"""A DOI, or a shortDOI (`10/fvn296`, http://shortdoi.org), which doi.org resolves alike."""
_DOI_RESOLVER = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)

# Used with fullmatch: `$` alone would accept a trailing newline (`"llm\n"`, a file name too).
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates (LRE..RLO, LRI..PDI): invisible, they make
# text display in another order than it is stored ("Trojan Source", CVE-2021-42574). The
# marks U+200E/U+200F stay: real right-to-left names need them and they reorder nothing.
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
_LATEX_COMMAND = re.compile(r"\\[A-Za-z]+\s*|\\.")


def arxiv_field_id(text: str) -> str | None:
    """Return the id a paper file's `arxiv` value names (`arXiv:2403.10717v2`), else None."""
    match = _ARXIV_FIELD.fullmatch(text.strip())
    return match.group("id") if match else None


def arxiv_id(text: str | None) -> str | None:
    """Return the id if `text` is one (`arXiv:1606.01540`, `2204.07651v2 [cs]`), else None."""
    match = _ARXIV_WHOLE.fullmatch(text or "")
    return match.group("id") if match else None


def arxiv_id_in(text: str | None) -> str | None:
    """Return an id that `text` names after the word arXiv, as journals, DOIs and URLs do."""
    match = _ARXIV_MENTION.search(text or "")
    return match.group("id") if match else None


def arxiv_key(value: str) -> str:
    """Compare arXiv ids as one paper: `arXiv:2401.00001v3` and `2401.00001` give one key."""
    return (arxiv_id(value) or value).lower()


def is_arxiv_category(text: str) -> bool:
    """True for an arXiv category (`cs.LG`, `math.OC`, `hep-th`); false for a bare `cs`."""
    return bool(_ARXIV_CATEGORY.fullmatch(text)) or text in _ARXIV_ARCHIVE_CATEGORIES


def bare_doi(doi: str | None) -> str | None:
    """Return the DOI without a resolver prefix (`https://doi.org/`, `doi:`), or None if empty."""
    bare = _DOI_RESOLVER.sub("", (doi or "").strip())
    return bare or None


def is_doi(text: str) -> bool:
    """True for a bare DOI (`10.1145/3580305`) or shortDOI (`10/fvn296`)."""
    return bool(DOI.match(text))


def doi_key(doi: str) -> str:
    """Compare DOIs as the validator stores them: no resolver prefix, case-insensitive."""
    return (bare_doi(doi) or "").lower()


def is_slug(text: str) -> bool:
    """True for a slug as tags and paper file names use: lower-case letters, digits, hyphens."""
    return bool(_SLUG.fullmatch(text))


def title_key(title: str) -> str:
    """Reduce a title to letters and digits, so case, punctuation, accents and LaTeX don't matter.

    `Z{\\"u}rich`, `Zürich` and `ZURICH` all give `zurich`; `Pre-training` equals `Pretraining`.
    """
    text = unicodedata.normalize("NFKD", _LATEX_COMMAND.sub("", title))
    return "".join(c for c in text.casefold() if c.isalnum() and not unicodedata.combining(c))


def collapse_whitespace(text: str | None) -> str:
    """NFC-normalise and collapse all whitespace (exports wrap lines at ~80 columns) to a space.

    For text read from an export: control characters are kept, so that validation, which
    removes them, can still say it did.
    """
    return " ".join(unicodedata.normalize("NFC", text or "").split())


def collapse_paragraphs(text: str | None) -> str:
    """Collapse whitespace inside paragraphs but keep blank-line breaks, which Markdown needs."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n"))
    return "\n\n".join(line for line in (collapse_whitespace(block) for block in blocks) if line)


def clean_line(text: str) -> str:
    """The stored form of a one-line field: no control characters, whitespace collapsed."""
    return " ".join(drop_controls(text).split())


def clean_paragraphs(text: str) -> str:
    """The stored form of a Markdown field: paragraphs kept, control characters and outer
    blank lines dropped."""
    lines = drop_controls(text.replace("\r\n", "\n")).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n").strip()


def drop_controls(text: str) -> str:
    """NFC-normalise and remove control and bidirectional control characters."""
    if text.isascii():  # already NFC, no bidirectional controls: most fields, checked fast
        return _CONTROL.sub("", text)
    return _BIDI_CONTROL.sub("", _CONTROL.sub("", unicodedata.normalize("NFC", text)))


def bidi_controls_in(text: str) -> list[str]:
    """The distinct bidirectional controls `text` holds (which `drop_controls` removes), sorted."""
    if text.isascii():
        return []
    return sorted(set(_BIDI_CONTROL.findall(text)))
