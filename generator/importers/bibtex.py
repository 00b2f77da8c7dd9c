"""BibTeX and BibLaTeX files (Zotero, Google Scholar, DBLP, hand-kept) -> candidates.

Invariant: parsing is bibtexparser 2's, through its middlewares (`@string` macros, field-key
case, `and`-separated names split into parts, the fields a paper shows decoded to Unicode with
formulas kept, month names), never regexes over the file. Every entry either becomes a
candidate or is skipped with its key, line and reason.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Collection, Mapping

import bibtexparser
from bibtexparser.middlewares import (
    MonthIntMiddleware,
    NameParts,
    NormalizeFieldKeys,
    SeparateCoAuthors,
)
from bibtexparser.model import DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

from generator.errors import UnreadableImport
from generator.identifiers import (
    ARXIV_ID,
    arxiv_id,
    arxiv_id_in,
    bare_doi,
    collapse_paragraphs,
    collapse_whitespace,
    is_arxiv_category,
)
from generator.importers.bibtex_decode import (
    UNDECODABLE,
    VENUE_FIELDS,
    DecodeLatexProse,
    SplitNamesLeniently,
)
from generator.importers.candidate import Batch, Candidate, Skipped, byline_remarks, split_results
from generator.model import Link

# bibtexparser logs each unreadable block; the import summary already lists them with a reason.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

_NOT_A_VENUE = re.compile(r"^\s*(arxiv(\s+preprint|\s+e-prints)?|corr|preprint)\b", re.IGNORECASE)
_YEAR = re.compile(r"^\s*(\d{4})(?!\d)")
_ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_INHERITED_NEVER = frozenset(
    {"title", "subtitle", "author", "ids", "crossref", "entryset", "key", UNDECODABLE}
)
_ET_AL = re.compile(r"\s*(?:\bet\.?\s*al\.?|\bothers)\s*$", re.IGNORECASE)
"""`and others` (BibTeX's own), `and et al.`, `and et al` (Google Scholar, hand-kept)."""
_SCHOLARLY_TYPES = frozenset(
    "article inproceedings conference incollection inbook book mvbook bookinbook suppbook"
    " collection mvcollection suppcollection proceedings mvproceedings reference mvreference"
    " inreference phdthesis mastersthesis thesis techreport report unpublished preprint".split()
)
_WEB_TYPES = frozenset("misc online electronic www webpage".split())
"""Entry types that hold papers and web pages alike: a paper when it has an id or a venue."""
_THESIS_TYPES = frozenset("phdthesis mastersthesis thesis techreport report".split())
_DOI_IN_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/(10[./]\S+)$", re.IGNORECASE)
_EPRINT_NOTE = re.compile(rf"\\?_?eprint\s*[:=]\s*(?:arxiv:)?\s*({ARXIV_ID})", re.IGNORECASE)
"""Better BibTeX keeps fields BibTeX lacks in the note: `annotation = {\\_eprint: 1810.07348}`."""
_ARXIV_CLASS = re.compile(r"\barxiv\s*\[([A-Za-z.-]+)\]", re.IGNORECASE)
"""Zotero's journal for a preprint: `arXiv [cs.CL]`."""


def parse_bibtex(text: str, name: str, all_types: bool = False) -> Batch:
    """Read every entry of a .bib file; `name` prefixes each entry's place in messages.

    Unless `all_types`, entries that are not papers (web pages, software, images, and
    `@misc` without an arXiv id, DOI or venue) are skipped, saying why.
    """
    library = bibtexparser.parse_string(
        text.replace("\r\n", "\n"),
        append_middleware=[
            NormalizeFieldKeys(),
            SeparateCoAuthors(),
            SplitNamesLeniently(),
            DecodeLatexProse(),
            MonthIntMiddleware(),
        ],
    )
    by_key = {entry.key.lower(): entry for entry in library.entries}
    candidates, skipped = split_results(
        _entry_candidate(entry, by_key, name, all_types) for entry in library.entries
    )
    failed = [
        skip for skip in (_failed_entry(block, name) for block in library.failed_blocks) if skip
    ]
    if not library.entries and not failed:
        raise UnreadableImport(f"{name}: no BibTeX entries found (expected @article{{key, ...}})")
    every_skip = sorted([*skipped, *failed], key=_line_of)
    return Batch(len(library.entries) + len(failed), tuple(candidates), tuple(every_skip))


def _entry_candidate(
    entry: Entry, by_key: Mapping[str, Entry], name: str, all_types: bool
) -> Candidate | Skipped:
    """Map one entry's fields to a candidate, or say what it lacks."""
    fields = _field_values(entry)
    parent = by_key.get(_text(fields.get("crossref")).lower())
    if parent is not None:  # BibTeX crossref: the child inherits what it lacks, title -> booktitle
        inherited = _field_values(parent)
        fields = {
            **{k: v for k, v in inherited.items() if k not in _INHERITED_NEVER},
            **fields,
        }
        fields.setdefault("booktitle", inherited.get("title"))
    source = f"{name}:{(entry.start_line or 0) + 1} @{entry.entry_type}{{{entry.key}}}"
    kind = entry.entry_type.lower()
    if not all_types and kind not in _SCHOLARLY_TYPES | _WEB_TYPES:
        return Skipped(source, f"not a paper (@{kind}); import with --all-types to take it")
    title = collapse_whitespace(_text(fields.get("title")))
    subtitle = collapse_whitespace(_text(fields.get("subtitle")))
    if title and subtitle:
        title = f"{title}: {subtitle}"
    authors, truncated = _names(fields.get("author"))
    date, date_remark, date_problem = _entry_date(fields)
    problems = []
    if not title:
        problems.append("no title")
    if not authors:
        problems.append("no authors (only editors)" if fields.get("editor") else "no authors")
    if date_problem:
        problems.append(date_problem)
    if problems:
        return Skipped(source, ", ".join(problems))
    arxiv = _entry_arxiv(fields)
    doi = _entry_doi(fields)
    venue = _entry_venue(kind, fields)
    if not all_types and kind in _WEB_TYPES and not (arxiv or doi or venue):
        return Skipped(
            source,
            f"not a paper (@{kind} without an arXiv id, DOI or venue);"
            " import with --all-types to take it",
        )
    remarks = [
        *([date_remark] if date_remark else []),
        *byline_remarks(authors),
        *_text_list(fields.get(UNDECODABLE)),
    ]
    return Candidate(
        title=title,
        source=source,
        authors=authors,
        date=date,
        abstract=collapse_paragraphs(_text(fields.get("abstract"))) or None,
        arxiv=arxiv,
        arxiv_category=_entry_category(fields) if arxiv else None,
        doi=doi,
        venue=venue,
        links=_entry_links(_text(fields.get("url")).strip()),
        remarks=tuple(remarks),
        et_al=truncated,
    )


def _field_values(entry: Entry) -> dict[str, object]:
    return {bib_field.key: bib_field.value for bib_field in entry.fields}


def _text(value: object) -> str:
    """A field's value as text: names joined, numbers (month, year) as digits."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " and ".join(_text(item) for item in value)
    if isinstance(value, NameParts):
        return value.merge_first_name_first
    return str(value)


def _text_list(value: object) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def _names(value: object) -> tuple[tuple[str, ...], bool]:
    """Return names as `First von Last Jr` in byline order, and whether the byline is cut short.

    `and others` and `and et al.` stand for the people not named, never for a person; a name
    written twice is kept twice (two people may share one).
    """
    parts = value if isinstance(value, list) else []
    names = [collapse_whitespace(_text(part)) for part in parts]
    truncated = False
    kept: list[str] = []
    for name in names:
        shortened = _ET_AL.sub("", name)
        truncated = truncated or shortened != name
        if shortened:
            kept.append(shortened)
    return tuple(kept), truncated


def _entry_date(
    fields: Mapping[str, object],
) -> tuple[datetime.date | None, str | None, str | None]:
    """Return (date, remark, problem) from BibLaTeX `date` or from `year` + `month` (+ `day`)."""
    iso = _ISO_DATE.match(_text(fields.get("date")))
    if iso:
        year, month, day = (int(part) if part else None for part in iso.groups())
    else:
        year_text = _text(fields.get("year")).strip()
        year_match = _YEAR.match(year_text)
        if not year_match:
            return (
                None,
                None,
                f"year {year_text!r} is not a year" if year_text else "no year or date",
            )
        year, month, day = (
            int(year_match.group(1)),
            _month(fields.get("month")),
            _number(fields.get("day")),
        )
    assert year is not None
    for candidate in ((year, month, day), (year, month, None), (year, None, None)):
        try:
            date = datetime.date(candidate[0], candidate[1] or 1, candidate[2] or 1)
        except ValueError:
            continue
        remark = f"date from year only ({date.isoformat()})" if candidate[1] is None else None
        return date, remark, None
    return None, None, f"year {year} is not a year"


def _month(value: object) -> int | None:
    """MonthIntMiddleware has made names (`jun`, `June`) numbers; anything else is ignored."""
    number = _number(value)
    return number if number and 1 <= number <= 12 else None


def _number(value: object) -> int | None:
    text = _text(value).strip()
    return int(text) if text.isdigit() else None


def _entry_arxiv(fields: Mapping[str, object]) -> str | None:
    """Find the arXiv id where exports put it: eprint, journal, DBLP's CoRR volume, DOI, URL."""
    archive = _text(fields.get("archiveprefix") or fields.get("eprinttype")).strip().lower()
    if archive in ("", "arxiv"):
        found = arxiv_id(_text(fields.get("eprint")))
        if found:
            return found
    volume = _text(fields.get("volume")).strip()
    if _text(fields.get("journal")).strip().lower() == "corr" and volume.startswith("abs/"):
        found = arxiv_id(volume.removeprefix("abs/"))
        if found:
            return found
    places = ("journal", "journaltitle", "booktitle", "note", "howpublished", "publisher")
    for key in (*places, "doi", "url", "ee", "annotation", "annote"):
        found = arxiv_id_in(_text(fields.get(key)))
        if found:
            return found
    for key in ("note", "annotation", "annote", "addendum"):
        eprint = _EPRINT_NOTE.search(_text(fields.get(key)))
        if eprint:
            return eprint.group(1)
    # Zotero files a preprint under `journal = {arXiv}` and its id in a field it has to spare.
    if any(re.search(r"\barxiv\b", _text(fields.get(key)), re.IGNORECASE) for key in places):
        for key in ("isbn", "number", "eprint", "volume", "pages"):
            found = arxiv_id(_text(fields.get(key)))
            if found:
                return found
    return None


def _entry_category(fields: Mapping[str, object]) -> str | None:
    """The arXiv category from `primaryClass`, or from Zotero's `journal = {arXiv [cs.CL]}`."""
    candidates = [_text(fields.get("primaryclass")).strip()]
    for key in ("journal", "journaltitle", "howpublished", "publisher"):
        found = _ARXIV_CLASS.search(_text(fields.get(key)))
        candidates += [found.group(1)] if found else []
    return next((category for category in candidates if is_arxiv_category(category)), None)


def _entry_doi(fields: Mapping[str, object]) -> str | None:
    """The DOI, or one that DBLP's `ee` or a `url` gives as a doi.org link."""
    doi = bare_doi(_text(fields.get("doi")))
    if doi:
        return doi
    for key in ("ee", "url"):
        for link in _text(fields.get(key)).split():
            found = _DOI_IN_URL.match(link)
            if found:
                return found.group(1)
    return None


def _entry_venue(entry_type: str, fields: Mapping[str, object]) -> str | None:
    """Where it appeared: booktitle, journal(title), eventtitle, a thesis's school; never arXiv."""
    keys: Collection[str] = VENUE_FIELDS[:4]
    if entry_type in _THESIS_TYPES:
        keys = VENUE_FIELDS
    for key in keys:
        venue = collapse_whitespace(_text(fields.get(key)))
        if venue and not _NOT_A_VENUE.match(venue) and not arxiv_id_in(venue):
            return venue
    return None


def _entry_links(url: str) -> tuple[Link, ...]:
    """Keep a URL when its kind is clear (code host, PDF); arXiv and DOI URLs are ids already."""
    if not re.match(r"^https?://\S+$", url) or re.search(
        r"arxiv\.org|doi\.org", url, re.IGNORECASE
    ):
        return ()
    if re.match(r"^https?://(www\.)?(github\.com|gitlab\.com|bitbucket\.org)/", url, re.IGNORECASE):
        return (Link("code", url),)
    if re.search(r"\.pdf$|/pdf/|/pdf\?", url, re.IGNORECASE):
        return (Link("pdf", url),)
    return ()


def _failed_entry(block: ParsingFailedBlock, name: str) -> Skipped | None:
    """Describe an entry bibtexparser could not read (a failed `@string` is no entry)."""
    original = block.ignore_error_block
    line = (block.start_line or 0) + 1
    # BlockAbortedException keeps its text in `abort_reason`, not in str(error).
    reason = (
        getattr(block.error, "abort_reason", None) or str(block.error) or type(block.error).__name__
    )
    if isinstance(block, DuplicateBlockKeyBlock):
        entry_type = getattr(original, "entry_type", "?")
        return Skipped(
            f"{name}:{line} @{entry_type}{{{block.key}}}",
            "key used twice; the first entry was read",
        )
    if isinstance(original, Entry):
        return Skipped(
            f"{name}:{line} @{original.entry_type}{{{original.key}}}",
            f"could not be read: {reason}",
        )
    head = re.match(r"\s*@\s*(\w+)\s*[{(]\s*([^,\s]*)", block.raw or "")
    if not head or head.group(1).lower() in ("string", "comment", "preamble"):
        return None
    return Skipped(
        f"{name}:{line} @{head.group(1).lower()}{{{head.group(2)}}}", f"could not be read: {reason}"
    )


def _line_of(skipped: Skipped) -> int:
    match = re.search(r":(\d+) ", skipped.source)
    return int(match.group(1)) if match else 0
