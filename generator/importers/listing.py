"""Parse a Hugging Face Daily Papers listing copied from the web page as plain text.

The copied text is blocks separated by blank lines: a title, a one-line abstract, then
usually a meta block such as::

      • 5 authors          or    furiosa-ai FuriosaAI
    ·                            ·
    Mar 15, 2024                 Oct 6 2

Quirks handled: an entry may lack the meta block entirely (TreeSynth); an organisation
may stand where the author count does; the upvote count is glued to the date
(`Apr 18 3`); dates without a year belong to the listing's year.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from generator.model import MONTH_NAMES

MONTH_NUMBERS = {name[:3]: number for number, name in enumerate(MONTH_NAMES, 1)}
_DATE_LINE = re.compile(
    r"^(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?P<day>\d{1,2})"
    r"(?:, (?P<year>\d{4}))?(?: (?P<upvotes>\d+))?$"
)
_AUTHOR_COUNT = re.compile(r"^•\s*(?P<count>\d+) authors?$")
_SEPARATOR = "·"


@dataclass(frozen=True)
class ListingEntry:
    """One paper as the listing shows it: no author names, maybe no date."""

    title: str
    abstract: str
    date: datetime.date | None
    upvotes: int | None
    organization: str | None
    author_count: int | None
    line: int
    """Line of the title in the listing file."""


def parse_listing(text: str, year: int) -> list[ListingEntry]:
    """Return the listing's entries in order; `year` is the year of dates shown without one."""
    blocks = _blocks(text)
    start = next(
        (
            i + 1
            for i, (_, lines) in enumerate(blocks)
            if len(lines) == 1 and _DATE_LINE.match(lines[0])
        ),
        0,
    )
    entries: list[ListingEntry] = []
    position = start
    while position + 1 < len(blocks):
        (title_line, title_lines), (_, abstract_lines) = blocks[position], blocks[position + 1]
        position += 2
        meta: dict[str, object] = {
            "date": None,
            "upvotes": None,
            "organization": None,
            "author_count": None,
        }
        if position < len(blocks) and _SEPARATOR in blocks[position][1]:
            meta = _parse_meta(blocks[position][1], year)
            position += 1
        entries.append(
            ListingEntry(
                title=" ".join(title_lines),
                abstract=" ".join(abstract_lines),
                line=title_line,
                **meta,  # type: ignore[arg-type]
            )
        )
    return entries


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Split into (first line number, stripped lines) blocks separated by blank lines."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), 1):
        line = raw.strip()
        if line:
            if not current:
                blocks.append((number, current))
            current.append(line)
        else:
            current = []
    return blocks


def _parse_meta(lines: list[str], year: int) -> dict[str, object]:
    separator = lines.index(_SEPARATOR)
    before, after = lines[:separator], lines[separator + 1 :]
    meta: dict[str, object] = {
        "date": None,
        "upvotes": None,
        "organization": None,
        "author_count": None,
    }
    for line in before:
        count = _AUTHOR_COUNT.match(line)
        if count:
            meta["author_count"] = int(count.group("count"))
        else:  # "furiosa-ai FuriosaAI": the organisation's handle, then its display name
            handle, _, name = line.partition(" ")
            meta["organization"] = name.strip() or handle
    for line in after:
        date = _DATE_LINE.match(line)
        if date:
            meta["date"] = datetime.date(
                int(date.group("year") or year),
                MONTH_NUMBERS[date.group("month")],
                int(date.group("day")),
            )
            meta["upvotes"] = int(date.group("upvotes")) if date.group("upvotes") else None
    return meta
