"""The per-paper and per-page results a run keeps for the next: each paper's exports, and
each planned page's key with what the page showed.

Part of the incremental module (its package docstring): the keys are `pagekeys`'
contracts with the stages; here is when the last run's result stands for this run's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import TypeVar

from generator.cache import GenerateCache
from generator.downloads import Exports, make_exports
from generator.index import ArchiveIndex
from generator.model import Paper
from generator.pagekeys import PageKeys
from generator.plans import Plans, Shows
from generator.settings import SiteInfo

Key = TypeVar("Key")
Made = TypeVar("Made")

KeptKeys = dict[PurePosixPath, tuple[Shows, str]]
"""Each keyed page's `Shows` and key, as a run planned them (`GenerateCache.keys`)."""


def reused_exports(
    cache: GenerateCache, index: ArchiveIndex, site: SiteInfo, file_digests: Mapping[str, str]
) -> Exports:
    """Each paper's exports, those of papers unchanged in what they are made from reused
    from `cache`, which then holds this run's."""
    keys = index.citation_keys
    entry_key = {p.id: (file_digests[p.id], keys[p.id]) for p in index.papers}
    row_key = {pid: (*key, site.url) for pid, key in entry_key.items()}
    reference_key = {
        p.id: (*entry_key[p.id], tuple(index.tag_of[slug].title for slug in p.tags))
        for p in index.papers
    }
    stale = [
        p for p in index.papers
        if entry_key[p.id] not in cache.entries or row_key[p.id] not in cache.rows
        or reference_key[p.id] not in cache.references
    ]  # fmt: skip
    made = make_exports(index, site, stale)
    cache.entries = _reused(index.papers, entry_key, cache.entries, made.entries)
    cache.rows = _reused(index.papers, row_key, cache.rows, made.rows)
    cache.references = _reused(index.papers, reference_key, cache.references, made.references)
    return Exports(
        {p.id: cache.entries[entry_key[p.id]] for p in index.papers},
        {p.id: cache.rows[row_key[p.id]] for p in index.papers},
        {p.id: cache.references[reference_key[p.id]] for p in index.papers},
    )


def _reused(
    papers: Sequence[Paper],
    key_of: Mapping[str, Key],
    known: Mapping[Key, Made],
    made: Mapping[str, Made],
) -> dict[Key, Made]:
    """The memory of one per-paper result for the next run: this run's papers' only."""
    return {key_of[p.id]: made[p.id] if p.id in made else known[key_of[p.id]] for p in papers}


def keyed(
    plans: Plans,
    keys: PageKeys,
    index: ArchiveIndex,
    before: ArchiveIndex | None,
    last: tuple[str, KeptKeys] | None,
) -> tuple[dict[PurePosixPath, str | None], KeptKeys]:
    """Each planned page's key, and the keys to keep for the next run.

    A page keeps the key the `last` run kept in memory gave it where it shows the same as
    then (`_shows_same`: all its key digested is the same), so an edit digests only the
    pages showing what it changed; else its key is a digest (`keys`). `before` is the
    indexes of the run the kept keys are from.
    """
    known = last[1] if last is not None and before is not None and last[0] == keys.common else {}
    moved = _moved(index, before) if known and before else frozenset()
    kept: KeptKeys = {}
    made: dict[PurePosixPath, str | None] = {}
    for path, plan in plans.items():
        shows, old = plan.shows, known.get(path)
        if shows is None:
            made[path] = None
            continue
        if old and before and _shows_same(old[0], shows, moved, index, before):
            key: str | None = old[1]
        else:
            key = keys.of(plan)
        if key is not None:
            kept[path] = (shows, key)
        made[path] = key
    return made, kept


def _shows_same(
    old: Shows, shows: Shows, moved: frozenset[str], index: ArchiveIndex, before: ArchiveIndex
) -> bool:
    """True when a page shows what it showed when keyed `old`: the same papers, each
    unchanged (the same object, or an equal one) and not `moved`, in the same order,
    with the same `about`; for a paper's own page, also its venue and related papers
    (the same objects) as the last run's indexes had them (a run that left a paper's
    page unplanned changed neither)."""
    if (old.kind, old.about, old.papers) != (shows.kind, shows.about, shows.papers):
        return False
    if moved and any(paper.id in moved for paper in shows.papers):
        return False
    if shows.kind != "paper":
        return True
    (paper_id,) = (paper.id for paper in shows.papers)
    related = index.related[paper_id]
    venue, venue_before = index.venue_of.get(paper_id), before.venue_of.get(paper_id)
    return (
        (venue and venue.slug) == (venue_before and venue_before.slug)
        and related == before.related.get(paper_id)
        and all(index.by_id[o] is before.by_id.get(o) and o not in moved for o in related)
    )


def _moved(index: ArchiveIndex, old: ArchiveIndex) -> frozenset[str]:
    """The papers whose byline's anchors or citation key changed since `old`, the
    indexes the kept keys are from (runs that plan part of the pages change neither)."""
    moved = set()
    if index.bylines is not old.bylines:
        moved.update(i for i, byline in index.bylines.items() if old.bylines.get(i) != byline)
    if index.citation_keys is not old.citation_keys:
        keys = old.citation_keys
        moved.update(i for i, key in index.citation_keys.items() if keys.get(i) != key)
    return frozenset(moved)
