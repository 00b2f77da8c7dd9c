"""Hugging Face papers API JSON and the copied Daily Papers listing -> candidates.

Invariant: reads only what the API documents by example (see ../shared/real-world/SOURCES.md,
section 3): `/api/daily_papers` is an array of `{paper: {...}, title, publishedAt, ...}`,
`/api/papers/<id>` one `paper` object. `paper.id` is the arXiv id, `paper.publishedAt` the
arXiv v1 date, and hidden authors (removed on the site) are left out.
"""

from __future__ import annotations

import datetime
import json

from generator.errors import UnreadableImport
from generator.identifiers import arxiv_id, collapse_whitespace
from generator.importers.candidate import Batch, Candidate, Skipped, split_results
from generator.importers.latex import decode_accents
from generator.importers.listing import ListingEntry, parse_listing
from generator.model import Link


def parse_hf_papers(content: str, name: str) -> Batch:
    """Read a daily-papers array, one paper object, or one daily-papers item."""
    try:
        data = json.loads(content)
    except ValueError as error:
        raise UnreadableImport(f"{name}: not JSON ({error})") from None
    if isinstance(data, dict):
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise UnreadableImport(
            f"{name}: expected a Hugging Face papers API response (a list or an object)"
        )
    candidates, skipped = split_results(
        _item_candidate(item, f"{name} item {position}") for position, item in enumerate(items, 1)
    )
    return Batch(len(items), tuple(candidates), tuple(skipped))


def listing_batch(text: str, year: int, name: str) -> Batch:
    """Read a copied Daily Papers listing: titles, abstracts, dates; no author names."""
    entries = parse_listing(text, year)
    return Batch(len(entries), tuple(_listing_candidate(entry, name) for entry in entries))


def _listing_candidate(entry: ListingEntry, name: str) -> Candidate:
    remarks = ("the listing shows no date",) if entry.date is None else ()
    return Candidate(
        title=collapse_whitespace(entry.title),
        source=f"{name}:{entry.line}",
        date=entry.date,
        abstract=collapse_whitespace(entry.abstract) or None,
        organization=entry.organization,
        upvotes=entry.upvotes,
        remarks=remarks,
    )


def _item_candidate(item: object, source: str) -> Candidate | Skipped:
    """Map one daily-papers item (or bare paper object) to a candidate."""
    if not isinstance(item, dict):
        return Skipped(source, "not an object")
    paper = item.get("paper") if isinstance(item.get("paper"), dict) else item
    assert isinstance(paper, dict)
    title = decode_accents(
        collapse_whitespace(_string(paper.get("title")) or _string(item.get("title")))
    )
    identifier = arxiv_id(_string(paper.get("id")))
    label = f"{source} ({identifier})" if identifier else source
    if not title:
        return Skipped(label, "no title")
    authors = tuple(
        decode_accents(collapse_whitespace(_string(author.get("name"))))
        for author in paper.get("authors") or []
        if isinstance(author, dict)
        and not author.get("hidden")
        and _string(author.get("name")).strip()
    )
    links = tuple(
        Link(kind, url.strip())
        for kind, url in (
            ("code", _string(paper.get("githubRepo"))),
            ("project", _string(paper.get("projectPage"))),
        )
        if url.strip().startswith(("https://", "http://"))
    )
    upvotes = paper.get("upvotes", item.get("upvotes"))
    return Candidate(
        title=title,
        source=f"arXiv {identifier}" if identifier else label,
        authors=authors,
        date=_date(paper.get("publishedAt")),
        abstract=decode_accents(collapse_whitespace(_string(paper.get("summary")))) or None,
        arxiv=identifier,
        links=links,
        organization=_organization(item.get("organization") or paper.get("organization")),
        upvotes=upvotes
        if isinstance(upvotes, int) and not isinstance(upvotes, bool) and upvotes >= 0
        else None,
        remarks=() if identifier else (f"'{_string(paper.get('id'))}' is not an arXiv id",),
    )


def _string(value: object) -> str:
    return value if isinstance(value, str) else ""


def _date(value: object) -> datetime.date | None:
    """`2024-10-22T17:59:30.000Z` -> 2024-10-22 (the arXiv v1 day, UTC)."""
    try:
        return datetime.date.fromisoformat(_string(value)[:10])
    except ValueError:
        return None


def _organization(value: object) -> str | None:
    """`{"name": "google", "fullname": "Google"}` -> Google; a plain string is kept as it is."""
    if isinstance(value, dict):
        value = value.get("fullname") or value.get("name")
    return collapse_whitespace(value) or None if isinstance(value, str) else None
