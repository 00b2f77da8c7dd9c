"""Rules for the fields that hold people, dates, tags, identifiers and links.

Invariant: pure. Each rule takes the raw YAML value, reports every problem it finds through
the file's `FieldReport`, and returns the value as stored (an empty value when it failed).
Identifier grammar lives in `generator.identifiers`, shared with the importers.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Protocol
from urllib.parse import urlsplit

from generator.identifiers import (
    arxiv_field_id,
    bare_doi,
    clean_line,
    is_arxiv_category,
    is_doi,
)
from generator.model import LINK_KINDS, Link, Tag
from generator.orcid import parse_orcid
from generator.validate.messages import bidi_warning, describe, did_you_mean

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EARLIEST_YEAR = 1900


class FieldReport(Protocol):
    """Where a rule reports, by the key at fault (`authors[2]`, `links.code`)."""

    def error(self, key: str, message: str) -> None:
        """Report an error: the paper is not published."""

    def warn(self, key: str, message: str) -> None:
        """Report a warning: fatal only with `--strict`."""

    def missing_field(self, key: str) -> None:
        """Report a required field that is absent (an inbox file lists it instead)."""


def check_authors(report: FieldReport, value: object) -> tuple[str, ...]:
    """The byline: a list of names, each cleaned; a name twice is kept twice."""
    if value is None or value == []:
        report.missing_field("authors")
        return ()
    if not isinstance(value, list):
        hint = (
            "; write one name per line, each starting with '- '" if isinstance(value, str) else ""
        )
        report.error("authors", f"'authors' must be a list of names, got {describe(value)}{hint}")
        return ()
    names: list[str] = []
    for position, name in enumerate(value):
        key = f"authors[{position}]"
        if not isinstance(name, str):
            report.error(key, f"author {position + 1} must be a name (text), got {describe(name)}")
            continue
        warning = bidi_warning(f"author {position + 1}", name)
        if warning:
            report.warn(key, warning)
        clean = clean_line(name)
        if not clean:
            report.error(key, f"author {position + 1} is blank")
        else:  # a name twice is two people (two "Wei Wang"s), never a copy to drop
            names.append(clean)
    return tuple(names)


def check_orcid(
    report: FieldReport, value: object, authors: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    """Author name to ORCID iD: each name one of the authors, each iD valid and one person's."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        report.error(
            "orcid",
            f"'orcid' must be a mapping of author name to ORCID iD, got {describe(value)}",
        )
        return ()
    pairs: list[tuple[str, str]] = []
    for name, identifier in value.items():
        key = f"orcid.{name}"
        clean = clean_line(str(name))
        if clean not in authors:
            report.error(
                key,
                f"'orcid': {clean!r} is not one of the 'authors'"
                f"{did_you_mean(clean, authors)}; write the name as 'authors' does",
            )
            continue
        orcid = parse_orcid(identifier) if isinstance(identifier, str) else None
        if orcid is None:
            report.error(
                key,
                f"'orcid' of {clean!r} must be an ORCID iD like 0000-0002-1825-0097 (its last"
                f" character a check digit), got {describe(identifier)}; copy it from"
                " orcid.org",
            )
        elif any(orcid == given for _, given in pairs):
            first = next(named for named, given in pairs if given == orcid)
            report.error(
                key,
                f"'orcid' of {clean!r} repeats the iD of {first!r}; one iD is one"
                " person: keep it for the right one",
            )
        else:
            pairs.append((clean, orcid))
    return tuple(pairs)


def check_date(
    report: FieldReport,
    data: dict,
    key: str,
    *,
    required: bool,
    today: datetime.date,
) -> datetime.date | None:
    """A real date written YYYY-MM-DD, from 1900 to tomorrow (time zones differ by a day)."""
    value = data.get(key)
    if value is None:
        if required:
            report.missing_field(key)
        return None
    text = str(value).strip()
    if isinstance(value, bool) or not _DATE.match(text):
        report.error(key, f"'{key}' must be a date written YYYY-MM-DD, got {describe(value)}")
        return None
    try:
        parsed = datetime.date.fromisoformat(text)
    except ValueError:
        report.error(key, f"'{key}' {text} is not a real date")
        return None
    if parsed.year < EARLIEST_YEAR:
        report.error(key, f"'{key}' {text} is before {EARLIEST_YEAR}; check the year")
    elif parsed > today + datetime.timedelta(days=1):
        report.error(key, f"'{key}' {text} is in the future")
    return parsed


def check_tags(
    report: FieldReport, value: object, vocabulary: Mapping[str, Tag]
) -> tuple[str, ...]:
    """Tag slugs from the vocabulary, each once, in the curator's order."""
    if value is None or value == []:
        report.missing_field("tags")
        return ()
    if not isinstance(value, list):
        report.error("tags", f"'tags' must be a list of tag slugs, got {describe(value)}")
        return ()
    slugs: list[str] = []
    for position, tag in enumerate(value):
        key = f"tags[{position}]"
        if not isinstance(tag, str):
            report.error(key, f"tag {position + 1} must be a tag slug, got {describe(tag)}")
        elif tag not in vocabulary:
            report.error(
                key,
                f"unknown tag '{tag}'{did_you_mean(tag, vocabulary)}; tags are defined "
                "in papers/_tags.yaml",
            )
        elif tag in slugs:
            report.error(key, f"tag '{tag}' is listed twice")
        else:
            slugs.append(tag)
    return tuple(slugs)


def check_arxiv(report: FieldReport, value: object) -> str | None:
    """An arXiv id, stored without `arXiv:` or a version."""
    if value is None:
        return None
    if isinstance(value, float | int) and not isinstance(value, bool):
        report.error(
            "arxiv",
            f"'arxiv' must be quoted text, e.g. arxiv: '{value}' (a bare number can lose "
            "trailing zeros)",
        )
        return None
    if not isinstance(value, str):
        report.error("arxiv", f"'arxiv' must be text, got {describe(value)}")
        return None
    identifier = arxiv_field_id(value)
    if identifier is None:
        report.error(
            "arxiv",
            f"'arxiv' {value!r} is not an arXiv id like '2403.10717' or 'hep-th/9901001'",
        )
    return identifier


def check_arxiv_category(report: FieldReport, value: object) -> str | None:
    """An arXiv category such as `cs.LG` or `hep-th`."""
    if value is None:
        return None
    if not isinstance(value, str) or not is_arxiv_category(value.strip()):
        report.error(
            "arxiv_category",
            f"'arxiv_category' must be an arXiv category like 'cs.LG' or 'hep-th',"
            f" got {describe(value)}",
        )
        return None
    return value.strip()


def check_doi(report: FieldReport, value: object) -> str | None:
    """A DOI or shortDOI, stored without a resolver prefix (`https://doi.org/`, `doi:`)."""
    if value is None:
        return None
    if not isinstance(value, str):
        report.error("doi", f"'doi' must be text, got {describe(value)}")
        return None
    doi = bare_doi(value) or ""
    if not is_doi(doi):
        report.error("doi", f"'doi' {value!r} is not a DOI like '10.1145/3580305'")
        return None
    return doi


def check_links(report: FieldReport, value: object) -> tuple[Link, ...]:
    """Known link kinds to http(s) URLs, in the order `LINK_KINDS` gives them."""
    if value is None:
        return ()
    if not isinstance(value, dict):
        report.error(
            "links",
            f"'links' must be a mapping such as 'code: https://...', got {describe(value)}",
        )
        return ()
    links: list[Link] = []
    for kind, url in value.items():
        key = f"links.{kind}"
        if kind not in LINK_KINDS:
            report.error(
                key,
                f"unknown link kind '{kind}'{did_you_mean(str(kind), LINK_KINDS)}; use one "
                f"of {', '.join(LINK_KINDS)}",
            )
        elif not isinstance(url, str) or not _is_web_url(url.strip()):
            report.error(key, f"link '{kind}' must be an http(s) URL, got {describe(url)}")
        else:
            links.append(Link(kind, url.strip()))
    return tuple(sorted(links, key=lambda link: LINK_KINDS.index(link.kind)))


def check_upvotes(report: FieldReport, value: object) -> int | None:
    """A whole number ≥ 0."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        report.error("upvotes", f"'upvotes' must be a whole number ≥ 0, got {describe(value)}")
        return None
    return value


def _is_web_url(url: str) -> bool:
    """Accept only absolute http(s) URLs with a host: never `javascript:`, `data:` or `file:`."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", url)
