"""One paper file's fields to a `Paper` (or an `InboxItem`), with every problem it has.

Invariant: pure. Every problem in a file is reported (not just the first), each with the
line of the key at fault; normalisation happens here and only here. The rules for single
fields live in `fields`; this module checks the file's shape and assembles the result.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from slugify import slugify

from generator.identifiers import clean_line, clean_paragraphs, is_slug
from generator.load import RawDocument
from generator.markup import bare_commands_in_math
from generator.model import InboxItem, Paper, Problem, Severity, SourceLocation, Status, Tag
from generator.validate.fields import (
    check_arxiv,
    check_arxiv_category,
    check_authors,
    check_date,
    check_doi,
    check_links,
    check_orcid,
    check_tags,
    check_upvotes,
)
from generator.validate.messages import bidi_warning, describe, did_you_mean
from generator.validate.schema import FIELD_NAMES


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


class _PaperChecker:
    """Collects every problem of one file while building its `Paper` (a `FieldReport`)."""

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
            self.error("", f"must be a mapping of fields such as 'title:', got {describe(data)}")
            return None
        if not is_slug(stem):
            self.error(
                "",
                "file name must be a slug (lower-case letters, digits, hyphens); rename it to "
                f"{slugify(stem) or 'paper'}.yaml",
            )
        for key in data:
            if str(key) not in FIELD_NAMES:
                self.warn(
                    str(key),
                    f"unknown key '{key}' is ignored{did_you_mean(str(key), FIELD_NAMES)}",
                )
        status = self.status(data.get("status", "published"))
        self.inbox = status is Status.INBOX
        title = self.required_text(data, "title")
        authors = check_authors(self, data.get("authors"))
        date = check_date(self, data, "date", required=True, today=self.today)
        abstract = self.optional_text(data, "abstract", multiline=True) or None
        if not abstract and self.inbox:
            self.missing.append("abstract")
        elif not abstract:
            self.warn(
                "abstract" if "abstract" in data else "", "no abstract yet; the page will say so"
            )
        for key in ("title", "abstract", "notes"):
            self.lost_backslashes(key, data.get(key))
        tags = check_tags(self, data.get("tags"), self.vocabulary)
        fields = {
            "et_al": self.flag(data, "et_al"),
            "orcid": check_orcid(self, data.get("orcid"), authors),
            "arxiv": check_arxiv(self, data.get("arxiv")),
            "arxiv_category": check_arxiv_category(self, data.get("arxiv_category")),
            "doi": check_doi(self, data.get("doi")),
            "venue": self.optional_text(data, "venue") or None,
            "links": check_links(self, data.get("links")),
            "organization": self.optional_text(data, "organization") or None,
            "upvotes": check_upvotes(self, data.get("upvotes")),
            "added": check_date(self, data, "added", required=False, today=self.today),
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
            self.error(key, f"'{key}' must be text, got {describe(value)}")
            return None
        warning = bidi_warning(f"'{key}'", value)
        if warning:
            self.warn(key, warning)
        return clean_paragraphs(value) if multiline else clean_line(value)

    def flag(self, data: dict, key: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false, got {describe(value)}")
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
            self.error("status", f"'status' must be 'published' or 'inbox', got {describe(value)}")
            return Status.PUBLISHED
