"""Incremental generation: each stage's work reused from the last run where its inputs are
the same, so an edit redoes only what it changes.

The one module that knows the cache (cache.py): every key, digest and reuse decision is
here, around the pure stages, which know nothing of it. Invariant: a run with the cache
writes the same bytes as one without (tests/test_incremental.py edits every field of
`Paper`, the vocabulary and a hand-written page, and compares). What other pages show of
a paper (`shown_in_lists`) and what the indexes read of it (`indexed_fields`) are listed
with the page keys (pagekeys.py) and held to that test.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import TypeVar

from generator import slugs
from generator.cache import (
    CACHE_FILE,
    FileMemo,
    GenerateCache,
    PageMemo,
    code_version,
    digest,
    forget_cache,
    read_cache,
    write_cache,
)
from generator.downloads import Exports, make_exports
from generator.index import RELATED_COUNT, ArchiveIndex, build_indexes, with_edited
from generator.model import Archive, Paper
from generator.pagekeys import PageKeys, indexed_fields, related_text, shown_in_lists
from generator.parallel import forked, worker_count
from generator.plans import Plans, Shows
from generator.progress import Step
from generator.reading import (
    Validated,
    Vocabulary,
    load_vocabulary,
    paper_reader,
    read_files,
    stat_paper_files,
    validate_file,
)
from generator.settings import Project, SiteInfo

Key = TypeVar("Key")
Made = TypeVar("Made")


def open_cache(project: Project) -> GenerateCache:
    """Read the generator's cache (an empty one when absent or stale)."""
    return read_cache(project.root / CACHE_FILE, code_version())


def save_cache(project: Project, cache: GenerateCache) -> None:
    """Save the cache for the next run; only ever after a `generate` that used it."""
    write_cache(project.root / CACHE_FILE, cache)


class Incremental:
    """One `generate` run's reuse of `cache`, stage by stage, in the pipeline's order."""

    def __init__(self, project: Project, cache: GenerateCache):
        self.project = project
        self.cache = cache
        self.file_digests: dict[str, str] = {}
        """Paper id -> its id and its file's digest: what every per-paper memory is keyed by."""
        self._related: tuple[str, Mapping[str, tuple[str, ...]]] | None = None
        self._index: ArchiveIndex | None = None
        self._shown: object = None
        self._keys: dict[PurePosixPath, str | None] = {}
        self._shows: dict[PurePosixPath, tuple[Shows, str]] = {}
        self._planned = cache.keys
        self._rebuilt = True
        self._lists_later = False
        self._common = ""
        self.related_reused = False
        """Related papers are the last run's (`index`)."""
        slugs.remember(cache.slugs)

    def load(
        self, today: datetime.date, workers: int | None, step: Step
    ) -> tuple[Vocabulary, list[Validated]]:
        """Read and validate the paper files that changed since the last run; reuse the
        others' results, trusted while a file's size and modification time are the same."""
        cache, project = self.cache, self.project
        vocabulary = load_vocabulary(project)
        context = digest(repr((vocabulary.tags, today)).encode())
        if cache.context != context:
            cache.context, cache.files, cache.related_parts = context, {}, {}
        remembered, cache.files = cache.files, {}  # files deleted since are forgotten
        listed = stat_paper_files(project.papers_dir)
        stale = [
            (project.papers_dir / name, stat, remembered.get(name))
            for name, stat in listed
            if name not in remembered or not remembered[name].matches(stat)
        ]
        read_bytes = paper_reader(project)

        def read(job: tuple[Path, os.stat_result, FileMemo | None]) -> FileMemo:
            path, stat, memo = job
            content = read_bytes(path)
            if isinstance(content, bytes):
                content_digest = digest(content)
                if memo is not None and memo.digest == content_digest:
                    return FileMemo.of(stat, content_digest, memo.result, list(memo.problems))
                result, problems = validate_file(project, path, content, vocabulary, today)
                return FileMemo.of(stat, content_digest, result, list(problems))
            return FileMemo.of(stat, "", None, [content])

        read_now = read_files(project, stale, read, lambda job: job[0], workers, step)
        step.detail = f"{len(stale)} read, {len(listed) - len(stale)} unchanged"
        fresh = {path.name: memo for (path, _, _), memo in zip(stale, read_now, strict=True)}
        for name, _ in listed:
            cache.files[name] = fresh.get(name) or remembered[name]
        memos = cache.files.values()
        # The id is the file's name, not its bytes: a renamed file is another paper.
        self.file_digests = {
            m.result.id: f"{m.result.id}\x1f{m.digest}"
            for m in memos
            if isinstance(m.result, Paper)
        }
        return vocabulary, [(memo.result, memo.problems) for memo in memos]

    def index(
        self, archive: Archive, site: SiteInfo, workers: int | None, related_later: bool
    ) -> tuple[ArchiveIndex, Exports, bool]:
        """Return the indexes, each paper's exports, and whether pages were left for a run
        of their own (`related_later`, a preview showing an edit first): related papers as
        the last run found them (the texts they are found from changed, but no paper was
        added or removed), or the pages listing a paper whose listing changed."""
        cache = self.cache
        related_key = self._related_key(archive)
        known, pending = cache.related and cache.related[1], False
        if cache.related is None or cache.related[0] != related_key:
            same_papers = known is not None and known.keys() == {p.id for p in archive.papers}
            known, pending = (known, True) if related_later and same_papers else (None, False)
        self.related_reused = known is not None
        with _related_finder(archive, known, workers) as related:
            # Related papers may be found in a second process while this one builds the rest.
            reindexed = self._reindexed(archive)
            self._rebuilt = reindexed is None
            index = reindexed or build_indexes(archive, {})
            exports = self._exports(index, site)
            index = dataclasses.replace(index, related=related())
        if not pending:  # a stale map keeps its old key, so the next run finds them again
            self._related = (related_key, index.related)
        self._index = index
        self._lists_later = related_later and self._listing_edited(index)
        return index, exports, pending or self._lists_later

    def plan(
        self,
        index: ArchiveIndex,
        site: SiteInfo,
        hand_written: Mapping[PurePosixPath, bytes],
        plan_pages: Callable[[frozenset[str] | None], Plans],
    ) -> tuple[Plans, frozenset[PurePosixPath]]:
        """Return the plans of the pages to make, and the pages on disk that are current.

        While no paper changed in what other pages show of it (nor the site, vocabulary or
        hand-written pages), only the pages of papers whose file or related papers changed
        are planned; then every other keyed page is kept as the last run wrote it. So too
        when lists are left for later (`index`): then this run is remembered as not having
        happened but for the pages it wrote, so the next one plans and keys all.
        """
        cache = self.cache
        shown = (
            site,
            index.tags,
            sorted(hand_written),
            {p.id: shown_in_lists(p) for p in index.papers},
        )
        self._lists_later &= isinstance(cache.shown, tuple) and cache.shown[:3] == shown[:3]
        only = self._papers_to_plan(shown, index)
        self._shown = shown
        plans = plan_pages(only)
        self._keys = self._keyed(plans, PageKeys(index, site, self.file_digests), index)
        kept = set(cache.pages).difference(plans) if only is not None else set()
        current = kept | {path for path in plans if self._unchanged(path, self._keys[path])}
        cache.live = False
        forget_cache(self.project.root / CACHE_FILE)
        return plans, frozenset(current)

    def remember(self, plans: Plans, current: frozenset[PurePosixPath]) -> None:
        """Keep what this run made for the next, once its pages are written: the pages made
        from `plans` and the `current` ones left as they were."""
        docs = os.fspath(self.project.docs_dir)
        made = {
            p: PageMemo.written(self._keys.get(p), f"{docs}/{p}") for p in plans if p not in current
        }
        self.cache.pages = {path: self.cache.pages[path] for path in current} | made
        self.cache.digests = self.file_digests
        if self._related is not None:
            self.cache.related = self._related
        # A run that kept the last run's indexes slugged nothing they hold: keep their slugs.
        self.cache.slugs = slugs.used() if self._rebuilt else {**self.cache.slugs, **slugs.used()}
        self.cache.live = True
        if self._lists_later:  # the last full run's, which the next run compares against
            return
        self.cache.shown, self.cache.index = self._shown, self._index
        kept = self._planned[1] if self._planned is not None else {}
        self.cache.keys = (self._common, {p: kept[p] for p in current if p in kept} | self._shows)

    def _listing_edited(self, index: ArchiveIndex) -> bool:
        """True when the same papers as the last run's (kept in memory), under the same
        vocabulary, differ in what lists show of an edited one (`shown_in_lists`)."""
        before = self.cache.index
        if before is None or before.tags != index.tags or before.by_id.keys() != index.by_id.keys():
            return False
        edited = (p for p in index.papers if p is not before.by_id[p.id])
        return any(shown_in_lists(p) != shown_in_lists(before.by_id[p.id]) for p in edited)

    def _related_key(self, archive: Archive) -> str:
        """Digest of everything related papers are found from; each paper's part is kept
        by its file digest for the next run."""
        remembered, parts = self.cache.related_parts, {}
        for paper in archive.papers:
            file_digest = self.file_digests[paper.id]
            parts[file_digest] = remembered.get(file_digest) or digest(related_text(paper))
        self.cache.related_parts = parts
        joined = "\x1d".join(f"{p.id}\x1f{parts[self.file_digests[p.id]]}" for p in archive.papers)
        return digest(joined.encode())

    def _reindexed(self, archive: Archive) -> ArchiveIndex | None:
        """The last run's indexes (kept in memory by the live preview) with the edited
        papers swapped in, when no edit changed a paper's `indexed_fields`; else None."""
        index = self.cache.index
        if index is None or archive.tags != index.tags or len(archive.papers) != len(index.by_id):
            return None
        edited = {}
        for paper in archive.papers:
            before = index.by_id.get(paper.id)
            if before is paper:
                continue
            if before is None or indexed_fields(before) != indexed_fields(paper):
                return None
            edited[paper.id] = paper
        return with_edited(index, edited)

    def _exports(self, index: ArchiveIndex, site: SiteInfo) -> Exports:
        """Each paper's exports, those of papers unchanged in what they are made from reused."""
        cache, keys = self.cache, index.citation_keys
        entry_key = {p.id: (self.file_digests[p.id], keys[p.id]) for p in index.papers}
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

    def _papers_to_plan(self, shown: object, index: ArchiveIndex) -> frozenset[str] | None:
        """The ids of the papers whose own pages may have changed, when no other page can
        have; None when every page must be planned. A page left unplanned must be on disk
        as the last run wrote it: one changed or deleted by hand makes this run plan all."""
        cache = self.cache
        lists_changed = cache.shown != shown and not self._lists_later
        if lists_changed or cache.related is None or not cache.pages:
            return None
        for path, memo in cache.pages.items() if not cache.live else ():
            try:
                stat = os.stat(f"{self.project.docs_dir}/{path}")
            except OSError:
                return None
            if (stat.st_size, stat.st_mtime_ns) != (memo.size, memo.mtime_ns):
                return None
        related = cache.related[1]
        return frozenset(
            paper_id
            for paper_id, file_digest in self.file_digests.items()
            if cache.digests.get(paper_id) != file_digest
            or related.get(paper_id) != index.related[paper_id]
        )

    def _keyed(
        self, plans: Plans, keys: PageKeys, index: ArchiveIndex
    ) -> dict[PurePosixPath, str | None]:
        """Each planned page's key: the one the last run kept in memory gave it, where the
        page shows the same as then (`_shows_same`: all its key digested is the same), so
        an edit digests only the pages showing what it changed; else a digest."""
        last, before = self._planned, self.cache.index
        known = (
            last[1] if last is not None and before is not None and last[0] == keys.common else {}
        )
        moved = self._moved(index, before) if known else frozenset()
        self._common, self._shows = keys.common, {}
        made: dict[PurePosixPath, str | None] = {}
        for path, plan in plans.items():
            shows, old = plan.shows, known.get(path)
            if shows is None:
                made[path] = None
                continue
            if old and before and self._shows_same(old[0], shows, moved, index, before):
                key: str | None = old[1]
            else:
                key = keys.of(plan)
            if key is not None:
                self._shows[path] = (shows, key)
            made[path] = key
        return made

    @staticmethod
    def _shows_same(
        old: Shows, shows: Shows, moved: frozenset[str], index: ArchiveIndex, before: ArchiveIndex
    ) -> bool:
        """True when a page shows what it showed when keyed `old`: the same papers, each
        unchanged (the same object, or an equal one) and not `moved`, in the same order,
        with the same `about`; for a paper's own page, also its venue and related papers
        (the same objects) as the last run's indexes had them (a run that left a paper's
        page unplanned changed neither, `_papers_to_plan`)."""
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

    @staticmethod
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

    def _unchanged(self, path: PurePosixPath, key: str | None) -> bool:
        """True when the file at `path` was made from inputs of `key` and not touched since
        (in a live cache, as the last run left it: not looked at)."""
        memo = self.cache.pages.get(path)
        if memo is None or key is None or memo.inputs != key:
            return False
        if self.cache.live:
            return True
        try:
            stat = os.stat(f"{self.project.docs_dir}/{path}")  # str, not Path: 10,000 of them
        except OSError:
            return False
        return memo.matches(key, stat)


def _reused(
    papers: Sequence[Paper],
    key_of: Mapping[str, Key],
    known: Mapping[Key, Made],
    made: Mapping[str, Made],
) -> dict[Key, Made]:
    """The memory of one per-paper result for the next run: this run's papers' only."""
    return {key_of[p.id]: made[p.id] if p.id in made else known[key_of[p.id]] for p in papers}


def _related_finder(
    archive: Archive, known: Mapping[str, tuple[str, ...]] | None, workers: int | None
) -> contextlib.AbstractContextManager[Callable[[], Mapping[str, tuple[str, ...]]]]:
    """A context yielding a function returning the related-papers map: `known`, or one
    found in a forked process (large archives) while the block runs, or found when called."""
    if known is not None:
        return contextlib.nullcontext(lambda: known)

    def find() -> Mapping[str, tuple[str, ...]]:
        # Imported here: numpy and scipy take long to import, which a cached run saves.
        from generator.related import related_papers

        return related_papers(archive.papers, RELATED_COUNT)

    if worker_count(len(archive.papers), workers) > 1:
        return forked(find)
    return contextlib.nullcontext(find)
