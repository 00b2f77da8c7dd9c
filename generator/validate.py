"""Stage 2, validate: turn parsed YAML into `Paper` and `Tag` values, or into problems.

Invariant: pure. Every problem in a file is reported (not just the first), each with
the file and the line of the key at fault; normalisation happens here and only here.
"""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from slugify import slugify

from generator.load import RawDocument
from generator.markup import bare_commands_in_math
from generator.model import (
    LINK_KINDS,
    InboxItem,
    Link,
    Paper,
    Problem,
    Severity,
    SourceLocation,
    Status,
    Tag,
)
from generator.orcid import parse_orcid


@dataclass(frozen=True)
class FieldSpec:
    """One key a paper file may hold; the README's schema table is checked against these."""

    name: str
    required: bool
    summary: str


PAPER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec(
        "title",
        True,
        r"Title as printed on the paper; `$...$` math shows as source, `\$` is a dollar.",
    ),
    FieldSpec(
        "authors",
        True,
        "List of full names, in byline order; two people with one name are listed twice.",
    ),
    FieldSpec(
        "et_al",
        False,
        '`true` when `authors` names only the first authors: pages add "et al.", BibTeX ends '
        "with `and others`.",
    ),
    FieldSpec(
        "orcid",
        False,
        "Author name to ORCID iD: one author per iD, linked to orcid.org.",
    ),
    FieldSpec("date", True, "First public version, `YYYY-MM-DD`."),
    FieldSpec(
        "abstract",
        False,
        "Markdown; inline LaTeX between `$...$`. Missing: the page says so and `check --strict` "
        "warns.",
    ),
    FieldSpec("tags", True, "One or more slugs from `papers/_tags.yaml`, most specific first."),
    FieldSpec(
        "arxiv",
        False,
        "arXiv id, quoted: `'2403.10717'` or `hep-th/9901001`; a `v2` suffix is dropped.",
    ),
    FieldSpec(
        "arxiv_category",
        False,
        "arXiv primary category such as `cs.LG` or `hep-th` (not a bare archive like `cs`); "
        "becomes BibTeX's `primaryClass`.",
    ),
    FieldSpec(
        "doi",
        False,
        "DOI such as `10.1145/3580305`, or a shortDOI such as `10/fvn296`; a `https://doi.org/` "
        "prefix is dropped.",
    ),
    FieldSpec("venue", False, "Where it was published, e.g. `ICLR 2024`."),
    FieldSpec(
        "links", False, f"Mapping of {', '.join(f'`{k}`' for k in LINK_KINDS)} to http(s) URLs."
    ),
    FieldSpec("organization", False, "Lab or company behind the paper."),
    FieldSpec("upvotes", False, "Integer ≥ 0 (e.g. from Hugging Face)."),
    FieldSpec(
        "added",
        False,
        'Date the paper joined the archive, `YYYY-MM-DD`; drives the feed and "recently added".',
    ),
    FieldSpec("notes", False, "The curator's Markdown commentary (no raw HTML)."),
    FieldSpec(
        "status",
        False,
        "`published` (default) or `inbox`: an inbox paper may lack tags and authors and stays off "
        "the site.",
    ),
)

_FIELD_NAMES = tuple(spec.name for spec in PAPER_FIELDS)
_ARXIV_NEW = re.compile(r"^\d{4}\.\d{4,5}$")
_ARXIV_OLD = re.compile(r"^[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}$")
_ARXIV_VERSION = re.compile(r"v\d+$")
_ARXIV_CATEGORY = re.compile(r"[a-z]+(?:-[a-z]+)*\.[A-Za-z]+(?:-[A-Za-z]+)*")
_ARXIV_ARCHIVE_CATEGORIES = frozenset(
    "astro-ph cond-mat gr-qc hep-ex hep-lat hep-ph hep-th math-ph nucl-ex nucl-th quant-ph"
    " acc-phys adap-org alg-geom ao-sci atom-ph bayes-an chao-dyn chem-ph cmp-lg comp-gas"
    " dg-ga funct-an mtrl-th patt-sol plasm-ph q-alg solv-int supr-con".split()
)
"""Archives that are categories themselves; `cs`, `math`, `stat` always need a subject class."""
_DOI = re.compile(r"^10\.\d{4,9}/\S+$|^10/[A-Za-z0-9]+$")
"""A DOI, or a shortDOI (`10/fvn296`, http://shortdoi.org), which doi.org resolves alike."""
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Used with fullmatch: `$` alone would accept a trailing newline (`"llm\n"`, a file name too).
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates (LRE..RLO, LRI..PDI): invisible, they make
# text display in another order than it is stored ("Trojan Source", CVE-2021-42574). The
# marks U+200E/U+200F stay: real right-to-left names need them and they reorder nothing.
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
EARLIEST_YEAR = 1900


def validate_vocabulary(document: RawDocument) -> tuple[tuple[Tag, ...], list[Problem]]:
    """Validate `papers/_tags.yaml`: a mapping of slug to `title`, `description`, `keywords`."""
    problems: list[Problem] = []
    data = document.data
    if not isinstance(data, dict) or not data:
        return (), [
            Problem(document.path, 0, "must be a mapping of tag slug to {title, description}")
        ]

    def report(key: str, message: str, severity: Severity = Severity.ERROR) -> None:
        problems.append(Problem(document.path, document.lines.get(key, 0), message, severity))

    tags: list[Tag] = []
    for slug, entry in data.items():
        slug = str(slug)
        if not _SLUG.fullmatch(slug):
            suggestion = slugify(slug)
            report(
                slug,
                f"tag {slug!r} must be a slug (lower-case letters, digits, hyphens)"
                + (f"; try '{suggestion}'" if suggestion else ""),
            )
            continue
        if not isinstance(entry, dict):
            report(slug, f"tag '{slug}' must be a mapping with 'title' and 'description'")
            continue
        title, description = entry.get("title"), entry.get("description")
        keywords = entry.get("keywords", [])
        if not isinstance(title, str) or not _single_line(title):  # not blank once cleaned
            report(
                f"{slug}.title" if "title" in entry else slug,
                f"tag '{slug}' needs a 'title' (text)",
            )
        if not isinstance(description, str) or not _single_line(description):
            report(
                f"{slug}.description" if "description" in entry else slug,
                f"tag '{slug}' needs a 'description' (one sentence)",
            )
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            report(f"{slug}.keywords", f"tag '{slug}': 'keywords' must be a list of phrases")
            keywords = []
        for unknown in sorted(set(entry) - {"title", "description", "keywords"}):
            report(
                f"{slug}.{unknown}",
                f"tag '{slug}': unknown key "
                f"'{unknown}'{_did_you_mean(unknown, ('title', 'description', 'keywords'))}",
            )
        for key, text in (("title", title), ("description", description)):
            warning = _bidi_warning(f"tag '{slug}': '{key}'", text)
            if warning:
                report(f"{slug}.{key}", warning, Severity.WARNING)
        if isinstance(title, str) and isinstance(description, str):
            tags.append(
                Tag(
                    slug,
                    _single_line(title),
                    _single_line(description),
                    tuple(_single_line(k).lower() for k in keywords),
                )
            )
    return tuple(sorted(tags)), problems


def validate_paper(
    document: RawDocument, vocabulary: Mapping[str, Tag], today: datetime.date
) -> tuple[Paper | InboxItem | None, list[Problem]]:
    """Validate one paper file; return the paper (None if any error) and all its problems.

    A file marked `status: inbox` becomes an `InboxItem`, even when it has errors: the
    fields it still lacks (the abstract too) are listed rather than reported, and its
    problems are for `paper-archive inbox` to show; `load_archive` never counts them.
    """
    checker = _PaperChecker(document, vocabulary, today)
    return checker.paper(), checker.problems


def validate_archive(papers: Iterable[Paper]) -> list[Problem]:
    """Find problems between papers: the same arXiv id or DOI in two files."""
    problems: list[Problem] = []
    papers = sorted(papers, key=lambda p: p.id)  # once: `papers` may be a one-pass generator
    for attribute in ("arxiv", "doi"):
        first_seen: dict[str, Paper] = {}
        for paper in papers:
            value = getattr(paper, attribute)
            if value is None:
                continue
            key = value.lower()
            if key in first_seen:
                other = first_seen[key].source.path
                problems.append(
                    Problem(
                        paper.source.path,
                        paper.source.line_of(attribute),
                        f"'{attribute}' {value} is already in {other}; keep one of the two files",
                    )
                )
            else:
                first_seen[key] = paper
    return problems


def is_arxiv_category(text: str) -> bool:
    """True for an arXiv category (`cs.LG`, `math.OC`, `hep-th`); false for a bare `cs`."""
    return bool(_ARXIV_CATEGORY.fullmatch(text)) or text in _ARXIV_ARCHIVE_CATEGORIES


class _PaperChecker:
    """Collects every problem of one file while building its `Paper`."""

    def __init__(self, document: RawDocument, vocabulary: Mapping[str, Tag], today: datetime.date):
        self.document = document
        self.vocabulary = vocabulary
        self.today = today
        self.problems: list[Problem] = []
        self.failed = False
        self.inbox = False
        self.missing: list[str] = []

    def error(self, key: str, message: str) -> None:
        self.failed = True
        self.problems.append(Problem(self.document.path, self.line(key), message))

    def missing_field(self, key: str) -> None:
        if self.inbox:
            self.missing.append(key)
        else:
            self.error("", f"missing required field '{key}'")

    def warn(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.document.path, self.line(key), message, Severity.WARNING))

    def line(self, key: str) -> int:
        """Line of `key`; line 1 for a missing key, so every message has a place to jump to."""
        return SourceLocation(self.document.path, self.document.lines).line_of(key) or 1

    def paper(self) -> Paper | InboxItem | None:
        data = self.document.data
        stem = self.document.stem
        if not isinstance(data, dict):
            self.error("", f"must be a mapping of fields such as 'title:', got {_describe(data)}")
            return None
        if not _SLUG.fullmatch(stem):
            self.error(
                "",
                "file name must be a slug (lower-case letters, digits, hyphens); rename it to "
                f"{slugify(stem) or 'paper'}.yaml",
            )
        for key in data:
            if str(key) not in _FIELD_NAMES:
                self.warn(
                    str(key),
                    f"unknown key '{key}' is ignored{_did_you_mean(str(key), _FIELD_NAMES)}",
                )
        status = self.status(data.get("status", "published"))
        self.inbox = status is Status.INBOX
        title = self.required_text(data, "title")
        authors = self.authors(data.get("authors"))
        date = self.date(data, "date", required=True)
        abstract = self.optional_text(data, "abstract", multiline=True) or None
        if not abstract and self.inbox:
            self.missing.append("abstract")
        elif not abstract:
            self.warn(
                "abstract" if "abstract" in data else "", "no abstract yet; the page will say so"
            )
        for key in ("title", "abstract", "notes"):
            self.lost_backslashes(key, data.get(key))
        tags = self.tags(data.get("tags"))
        fields = {
            "et_al": self.flag(data, "et_al"),
            "orcid": self.orcid(data.get("orcid"), authors),
            "arxiv": self.arxiv(data.get("arxiv")),
            "arxiv_category": self.arxiv_category(data.get("arxiv_category")),
            "doi": self.doi(data.get("doi")),
            "venue": self.optional_text(data, "venue") or None,
            "links": self.links(data.get("links")),
            "organization": self.optional_text(data, "organization") or None,
            "upvotes": self.upvotes(data.get("upvotes")),
            "added": self.date(data, "added", required=False),
            "notes": self.optional_text(data, "notes", multiline=True) or None,
        }
        if self.inbox:  # even with errors: an inbox file is listed, never published
            return InboxItem(stem, title or stem, tuple(self.missing), self.document.path)
        if self.failed:
            return None
        assert title is not None and date is not None
        return Paper(
            id=stem,
            title=title,
            authors=authors,
            date=date,
            abstract=abstract,
            tags=tags,
            source=SourceLocation(self.document.path, self.document.lines),
            **fields,  # type: ignore[arg-type]
        )

    def required_text(self, data: dict, key: str, multiline: bool = False) -> str | None:
        if key not in data or data[key] is None:
            if key == "title":  # even an inbox item needs a name to be listed by
                self.error("", "missing required field 'title'")
            else:
                self.missing_field(key)
            return None
        value = self.optional_text(data, key, multiline)
        if value == "":
            self.error(key, f"'{key}' must not be empty")
        return value

    def optional_text(self, data: dict, key: str, multiline: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(key, f"'{key}' must be text, got {_describe(value)}")
            return None
        warning = _bidi_warning(f"'{key}'", value)
        if warning:
            self.warn(key, warning)
        return _multi_line(value) if multiline else _single_line(value)

    def flag(self, data: dict, key: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false, got {_describe(value)}")
            return False
        return value

    def lost_backslashes(self, key: str, value: object) -> None:
        """Warn on `$textbf{x}$`: a command that lost its backslash renders as letters."""
        if isinstance(value, str):
            for name in bare_commands_in_math(value):
                self.warn(
                    key,
                    f"'{key}' has '{name}{{' inside $...$: the LaTeX command lost its"
                    f" backslash; write \\{name}{{",
                )

    def status(self, value: object) -> Status:
        try:
            return Status(value)
        except ValueError:
            self.error("status", f"'status' must be 'published' or 'inbox', got {_describe(value)}")
            return Status.PUBLISHED

    def authors(self, value: object) -> tuple[str, ...]:
        if value is None or value == []:
            self.missing_field("authors")
            return ()
        if not isinstance(value, list):
            hint = (
                "; write one name per line, each starting with '- '"
                if isinstance(value, str)
                else ""
            )
            self.error(
                "authors", f"'authors' must be a list of names, got {_describe(value)}{hint}"
            )
            return ()
        names: list[str] = []
        for position, name in enumerate(value):
            key = f"authors[{position}]"
            if not isinstance(name, str):
                self.error(
                    key, f"author {position + 1} must be a name (text), got {_describe(name)}"
                )
                continue
            warning = _bidi_warning(f"author {position + 1}", name)
            if warning:
                self.warn(key, warning)
            clean = _single_line(name)
            if not clean:
                self.error(key, f"author {position + 1} is blank")
            else:  # a name twice is two people (two "Wei Wang"s), never a copy to drop
                names.append(clean)
        return tuple(names)

    def orcid(self, value: object, authors: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.error(
                "orcid",
                f"'orcid' must be a mapping of author name to ORCID iD, got {_describe(value)}",
            )
            return ()
        pairs: list[tuple[str, str]] = []
        for name, identifier in value.items():
            key = f"orcid.{name}"
            clean = _single_line(str(name))
            if clean not in authors:
                self.error(
                    key,
                    f"'orcid': {clean!r} is not one of the 'authors'"
                    f"{_did_you_mean(clean, authors)}; write the name as 'authors' does",
                )
                continue
            orcid = parse_orcid(identifier) if isinstance(identifier, str) else None
            if orcid is None:
                self.error(
                    key,
                    f"'orcid' of {clean!r} must be an ORCID iD like 0000-0002-1825-0097 (its last"
                    f" character a check digit), got {_describe(identifier)}; copy it from"
                    " orcid.org",
                )
            elif any(orcid == given for _, given in pairs):
                first = next(named for named, given in pairs if given == orcid)
                self.error(
                    key,
                    f"'orcid' of {clean!r} repeats the iD of {first!r}; one iD is one"
                    " person: keep it for the right one",
                )
            else:
                pairs.append((clean, orcid))
        return tuple(pairs)

    def date(self, data: dict, key: str, required: bool) -> datetime.date | None:
        value = data.get(key)
        if value is None:
            if required:
                self.missing_field(key)
            return None
        text = str(value).strip()
        if isinstance(value, bool) or not _DATE.match(text):
            self.error(key, f"'{key}' must be a date written YYYY-MM-DD, got {_describe(value)}")
            return None
        try:
            parsed = datetime.date.fromisoformat(text)
        except ValueError:
            self.error(key, f"'{key}' {text} is not a real date")
            return None
        if parsed.year < EARLIEST_YEAR:
            self.error(key, f"'{key}' {text} is before {EARLIEST_YEAR}; check the year")
        elif parsed > self.today + datetime.timedelta(days=1):
            self.error(key, f"'{key}' {text} is in the future")
        return parsed

    def tags(self, value: object) -> tuple[str, ...]:
        if value is None or value == []:
            self.missing_field("tags")
            return ()
        if not isinstance(value, list):
            self.error("tags", f"'tags' must be a list of tag slugs, got {_describe(value)}")
            return ()
        slugs: list[str] = []
        for position, tag in enumerate(value):
            key = f"tags[{position}]"
            if not isinstance(tag, str):
                self.error(key, f"tag {position + 1} must be a tag slug, got {_describe(tag)}")
            elif tag not in self.vocabulary:
                self.error(
                    key,
                    f"unknown tag '{tag}'{_did_you_mean(tag, self.vocabulary)}; tags are defined "
                    "in papers/_tags.yaml",
                )
            elif tag in slugs:
                self.error(key, f"tag '{tag}' is listed twice")
            else:
                slugs.append(tag)
        return tuple(slugs)

    def arxiv(self, value: object) -> str | None:
        if value is None:
            return None
        if isinstance(value, float | int) and not isinstance(value, bool):
            self.error(
                "arxiv",
                f"'arxiv' must be quoted text, e.g. arxiv: '{value}' (a bare number can lose "
                "trailing zeros)",
            )
            return None
        if not isinstance(value, str):
            self.error("arxiv", f"'arxiv' must be text, got {_describe(value)}")
            return None
        identifier = _ARXIV_VERSION.sub(
            "", value.strip().removeprefix("arXiv:").removeprefix("arxiv:")
        )
        if not (_ARXIV_NEW.match(identifier) or _ARXIV_OLD.match(identifier)):
            self.error(
                "arxiv",
                f"'arxiv' {value!r} is not an arXiv id like '2403.10717' or 'hep-th/9901001'",
            )
            return None
        return identifier

    def arxiv_category(self, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not is_arxiv_category(value.strip()):
            self.error(
                "arxiv_category",
                f"'arxiv_category' must be an arXiv category like 'cs.LG' or 'hep-th',"
                f" got {_describe(value)}",
            )
            return None
        return value.strip()

    def doi(self, value: object) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str):
            self.error("doi", f"'doi' must be text, got {_describe(value)}")
            return None
        doi = re.sub(
            r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", value.strip(), flags=re.IGNORECASE
        )
        if not _DOI.match(doi):
            self.error("doi", f"'doi' {value!r} is not a DOI like '10.1145/3580305'")
            return None
        return doi

    def links(self, value: object) -> tuple[Link, ...]:
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.error(
                "links",
                f"'links' must be a mapping such as 'code: https://...', got {_describe(value)}",
            )
            return ()
        links: list[Link] = []
        for kind, url in value.items():
            key = f"links.{kind}"
            if kind not in LINK_KINDS:
                self.error(
                    key,
                    f"unknown link kind '{kind}'{_did_you_mean(str(kind), LINK_KINDS)}; use one "
                    f"of {', '.join(LINK_KINDS)}",
                )
            elif not isinstance(url, str) or not _is_web_url(url.strip()):
                self.error(key, f"link '{kind}' must be an http(s) URL, got {_describe(url)}")
            else:
                links.append(Link(kind, url.strip()))
        return tuple(sorted(links, key=lambda link: LINK_KINDS.index(link.kind)))

    def upvotes(self, value: object) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.error("upvotes", f"'upvotes' must be a whole number ≥ 0, got {_describe(value)}")
            return None
        return value


def _is_web_url(url: str) -> bool:
    """Accept only absolute http(s) URLs with a host: never `javascript:`, `data:` or `file:`."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", url)


def _single_line(text: str) -> str:
    """Collapse all whitespace to single spaces and drop control characters."""
    return " ".join(_drop_controls(text).split())


def _multi_line(text: str) -> str:
    """Keep paragraphs (Markdown needs them) but drop control characters and outer blank lines."""
    lines = _drop_controls(text.replace("\r\n", "\n")).split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n").strip()


def _drop_controls(text: str) -> str:
    """NFC-normalise and remove control and bidirectional control characters."""
    if text.isascii():  # already NFC, no bidirectional controls: most fields, checked fast
        return _CONTROL.sub("", text)
    return _BIDI_CONTROL.sub("", _CONTROL.sub("", unicodedata.normalize("NFC", text)))


def _bidi_warning(what: str, text: object) -> str | None:
    """Say which bidirectional controls `text` holds (they are removed), or None."""
    if not isinstance(text, str) or text.isascii():
        return None
    found = sorted(set(_BIDI_CONTROL.findall(text)))
    if not found:
        return None
    codes = ", ".join(f"U+{ord(character):04X}" for character in found)
    return f"{what} holds invisible text-direction characters ({codes}); they are removed"


def _describe(value: object) -> str:
    """Name a wrong value for a message: `'many' (text)`, `3 (a number)`, `a list`."""
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"{shown!r} (text)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int | float):
        return f"{value} (a number)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return type(value).__name__


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return `; did you mean 'venue'?` when one choice is close to `word`, else ''."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{matches[0]}'?" if matches else ""
