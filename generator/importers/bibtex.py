"""BibTeX and BibLaTeX files (Zotero, Google Scholar, DBLP, hand-kept) -> candidates.

Invariant: parsing is bibtexparser 2's, through its middlewares (`@string` macros, field-key
case, `and`-separated names split into parts, LaTeX decoded to Unicode, month names), never
regexes over the file. Fields that are not LaTeX (url, doi, eprint, file) are read verbatim.
Every entry either becomes a candidate or is skipped with its key, line and reason.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Collection, Mapping

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.middlewares import (
    BlockMiddleware,
    LatexDecodingMiddleware,
    MonthIntMiddleware,
    NameParts,
    NormalizeFieldKeys,
    SeparateCoAuthors,
)
from bibtexparser.middlewares.names import parse_single_name_into_parts
from bibtexparser.model import Block, DuplicateBlockKeyBlock, Entry, ParsingFailedBlock

from generator.errors import UnreadableImport
from generator.importers.candidate import (
    Batch,
    Candidate,
    Skipped,
    arxiv_id,
    arxiv_id_in,
    bare_doi,
    paragraphs,
    single_line,
    split_results,
)
from generator.model import Link

# bibtexparser logs each unreadable block; the import summary already lists them with a reason.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())

_VERBATIM_FIELDS = frozenset({"url", "doi", "eprint", "file", "urldate", "isbn", "issn"})
"""Not LaTeX: decoding would turn the `~` of `~user/` URLs into a no-break space."""
_PERSON_FIELDS = ("author", "editor")
_LATEX_MARKUP = re.compile(r"[\\{}~$%&#^_]|--|``|''")
"""Text without these decodes to itself, so pylatexenc (slow) is not asked."""
_TEXT_SYMBOLS = {"textasciicircum": "^", "textasciitilde": "~", "textbar": "|"}
"""Zotero writes these for `^ ~ |` in abstracts; pylatexenc would give a modifier letter
(U+02C6), a no-break space and nothing."""
_TEXT_SYMBOL = re.compile(
    r"\{\\(textasciicircum|textasciitilde|textbar)\}|\\(textasciicircum|textasciitilde|textbar)(?:\{\}|(?![A-Za-z])\s?)"
)
_PLACEHOLDERS = {name: chr(0xE000 + i) for i, name in enumerate(_TEXT_SYMBOLS)}
_RESTORE = str.maketrans({_PLACEHOLDERS[name]: symbol for name, symbol in _TEXT_SYMBOLS.items()})
_NOT_A_VENUE = re.compile(r"^\s*(arxiv(\s+preprint|\s+e-prints)?|corr|preprint)\b", re.IGNORECASE)
_CATEGORY = re.compile(r"^[a-z-]+(?:\.[A-Za-z-]+)?$")
_YEAR = re.compile(r"^\s*(\d{4})(?!\d)")
_ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
_INHERITED_NEVER = frozenset({"title", "subtitle", "author", "ids", "crossref", "entryset", "key"})


class _SplitNamesLeniently(BlockMiddleware):
    """bibtexparser's name splitting, forgiving what hand-kept files contain: a trailing comma
    (`Ram{\\'o}n y {C}ajal, Santiago,` in d2l.bib) or a doubled `and and` (iclr2024 file)."""

    def transform_entry(self, entry: Entry, library: Library) -> Block:
        for bib_field in entry.fields:
            if bib_field.key in _PERSON_FIELDS and isinstance(bib_field.value, list):
                # `d\textquotesingle Alch\'{e}`: the control word eats the space after it,
                # but name splitting runs before decoding and would keep "d' Alché" apart.
                names = (
                    re.sub(
                        r"^and\s+", "", re.sub(r"\\textquotesingle(?:\{\}|\s*)", "'", name.strip())
                    )
                    for name in bib_field.value
                )
                bib_field.value = [
                    parse_single_name_into_parts(n, strict=False) for n in names if n
                ]
        return entry


class _DecodeLatexExceptVerbatim(LatexDecodingMiddleware):
    """bibtexparser's LaTeX decoding (math kept as `$...$`), skipping fields that are not LaTeX
    and decoding lists of split names too (bibtexparser 2.1 decodes only a single `NameParts`).

    Zotero escapes an abstract's math as `\\$x\\_i\\$`; decoding gives back `$x_i$`, which the
    archive's abstracts render as math, as the arXiv original meant.
    """

    def transform_entry(self, entry: Entry, library: Library) -> Block:
        verbatim = [f for f in entry.fields if f.key in _VERBATIM_FIELDS]
        entry.fields = [f for f in entry.fields if f.key not in _VERBATIM_FIELDS]
        for bib_field in entry.fields:
            if isinstance(bib_field.value, str):
                bib_field.value = _TEXT_SYMBOL.sub(
                    lambda m: _PLACEHOLDERS[m.group(1) or m.group(2)], bib_field.value
                )
            elif isinstance(bib_field.value, list):
                for name in bib_field.value:
                    if isinstance(name, NameParts):
                        for part in ("first", "von", "last", "jr"):
                            setattr(
                                name, part, [self._decode(word) for word in getattr(name, part)]
                            )
        result = super().transform_entry(entry, library)
        for bib_field in entry.fields:
            if isinstance(bib_field.value, str):
                bib_field.value = bib_field.value.translate(_RESTORE)
        entry.fields = entry.fields + verbatim
        return result

    def _decode(self, text: str) -> str:
        decoded, error = self._transform_python_value_string(text)
        return text if error else decoded

    def _transform_python_value_string(self, python_string: str) -> tuple[str, str]:
        """The parent's per-string hook, skipped for plain text (most words of most names)."""
        if not _LATEX_MARKUP.search(python_string):
            return python_string, ""
        return super()._transform_python_value_string(python_string)


def parse_bibtex(text: str, name: str) -> Batch:
    """Read every entry of a .bib file; `name` prefixes each entry's place in messages."""
    library = bibtexparser.parse_string(
        text.replace("\r\n", "\n"),
        append_middleware=[
            NormalizeFieldKeys(),
            SeparateCoAuthors(),
            _SplitNamesLeniently(),
            _DecodeLatexExceptVerbatim(),
            MonthIntMiddleware(),
        ],
    )
    by_key = {entry.key.lower(): entry for entry in library.entries}
    candidates, skipped = split_results(
        _entry_candidate(entry, by_key, name) for entry in library.entries
    )
    failed = [
        skip for skip in (_failed_entry(block, name) for block in library.failed_blocks) if skip
    ]
    if not library.entries and not failed:
        raise UnreadableImport(f"{name}: no BibTeX entries found (expected @article{{key, ...}})")
    every_skip = sorted([*skipped, *failed], key=_line_of)
    return Batch(len(library.entries) + len(failed), tuple(candidates), tuple(every_skip))


def _entry_candidate(entry: Entry, by_key: Mapping[str, Entry], name: str) -> Candidate | Skipped:
    """Map one entry's fields to a candidate, or say what it lacks."""
    fields = _field_values(entry)
    parent = by_key.get(_text(fields.get("crossref")).lower())
    if parent is not None:  # BibTeX crossref: the child inherits what it lacks, title -> booktitle
        inherited = _field_values(parent)
        fields = {**{k: v for k, v in inherited.items() if k not in _INHERITED_NEVER}, **fields}
        fields.setdefault("booktitle", inherited.get("title"))
    source = f"{name}:{(entry.start_line or 0) + 1} @{entry.entry_type}{{{entry.key}}}"
    # Braces left by decoding were escaped (`{\\{}MPC{\\}}`); in a title they meant "keep case".
    title = single_line(re.sub(r"[{}]", "", _text(fields.get("title"))))
    subtitle = single_line(re.sub(r"[{}]", "", _text(fields.get("subtitle"))))
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
    category = _text(fields.get("primaryclass")).strip()
    remarks = [
        remark
        for remark in (date_remark, "author list ends with 'and others'" if truncated else None)
        if remark
    ]
    return Candidate(
        title=title,
        source=source,
        authors=authors,
        date=date,
        abstract=paragraphs(_text(fields.get("abstract"))) or None,
        arxiv=arxiv,
        arxiv_category=category if arxiv and _CATEGORY.match(category) else None,
        doi=bare_doi(_text(fields.get("doi"))),
        venue=_entry_venue(entry.entry_type, fields),
        links=_entry_links(_text(fields.get("url")).strip()),
        remarks=tuple(remarks),
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


def _names(value: object) -> tuple[tuple[str, ...], bool]:
    """Return names as `First von Last Jr` in byline order, and whether `and others` ended them."""
    parts = value if isinstance(value, list) else []
    names = [single_line(_text(part)) for part in parts]
    truncated = bool(names) and names[-1].lower() == "others"
    return tuple(name for name in names if name and name.lower() != "others"), truncated


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
    for key in (
        "journal",
        "journaltitle",
        "booktitle",
        "note",
        "howpublished",
        "doi",
        "url",
        "publisher",
    ):
        found = arxiv_id_in(_text(fields.get(key)))
        if found:
            return found
    return None


def _entry_venue(entry_type: str, fields: Mapping[str, object]) -> str | None:
    """Where it appeared: booktitle, journal(title), eventtitle, a thesis's school; never arXiv."""
    keys: Collection[str] = ("booktitle", "journaltitle", "journal", "eventtitle")
    if entry_type in ("phdthesis", "mastersthesis", "thesis", "techreport", "report"):
        keys = (*keys, "school", "institution")
    for key in keys:
        venue = single_line(_text(fields.get(key)))
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
