"""Each stage's reuse of the last run's work, in the pipeline's order (`Incremental`).

Part of the incremental module (its package docstring says what it holds to).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import os
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath

from generator import collector, slugs
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
from generator.incremental.first_look import edited_papers, provisional_index
from generator.incremental.memos import KeptKeys, keyed, reused_exports
from generator.index import RELATED_COUNT, ArchiveIndex, build_indexes, with_edited
from generator.model import Archive, Paper
from generator.pagekeys import PageKeys, indexed_fields, related_text, shown_in_lists
from generator.parallel import forked, worker_count
from generator.plans import Plans
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


def open_cache(project: Project) -> GenerateCache:
    """Read the generator's cache (an empty one when absent or stale): millions of objects
    at 50,000 papers and no garbage, so without the collector scanning them as they come
    (collector.py), which would more than double the time. The live preview opens it
    before its first run, outside `generate`'s own pause."""
    with collector.switched(on=False):
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
        self._kept: tuple[str, KeptKeys] | None = None
        self._rebuilt = True
        self._first_look: frozenset[str] | None = None
        """The edited papers, when this run is a first look at them (`first_look.py`)."""
        self.related_reused = False
        """Related papers are the last run's (`index`): no text they are found from changed."""
        slugs.remember(cache.slugs)

    @property
    def first_look(self) -> bool:
        """This run is a first look at an edit (`index`): only the edited papers' own pages."""
        return self._first_look is not None

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
        self, archive: Archive, site: SiteInfo, workers: int | None, first_look: bool
    ) -> tuple[ArchiveIndex, Exports]:
        """Return the indexes and each paper's exports. With `first_look`, a run after
        edits to papers (none added or removed, the vocabulary and settings the same) is a
        first look at them (`first_look.py`): indexes enough for their own pages, and
        their exports alone."""
        cache = self.cache
        if first_look and cache.index is not None and cache.shown is not None:
            edited = edited_papers(cache.index, archive)
            if edited and cache.shown[0] == site:  # type: ignore[index]
                self._first_look = frozenset(edited)
                index = provisional_index(cache.index, edited)
                return index, make_exports(index, site, list(edited.values()))
        related_key = self._related_key(archive)
        known = cache.related[1] if cache.related and cache.related[0] == related_key else None
        self.related_reused = known is not None
        with _related_finder(archive, known, workers) as related:
            # Related papers may be found in a second process while this one builds the rest.
            reindexed = self._reindexed(archive)
            self._rebuilt = reindexed is None
            index = reindexed or build_indexes(archive, {})
            exports = reused_exports(cache, index, site, self.file_digests)
            index = dataclasses.replace(index, related=related())
        self._related = (related_key, index.related)
        self._index = index
        return index, exports

    def plan(
        self,
        index: ArchiveIndex,
        site: SiteInfo,
        hand_written: Mapping[PurePosixPath, bytes],
        plan_pages: Callable[..., Plans],
    ) -> tuple[Plans, frozenset[PurePosixPath]]:
        """Return the plans of the pages to make, and the pages on disk that are current.
        `plan_pages(only_papers, own_pages_only=False)` plans them (`pipeline._plan_all`).

        While no paper changed in what other pages show of it (nor the site, vocabulary or
        hand-written pages), only the pages of papers whose file or related papers changed
        are planned; then every other keyed page is kept as the last run wrote it. So too
        in a first look (`index`), which plans the edited papers' own pages alone, and is
        remembered as not having happened but for the pages it wrote.
        """
        cache = self.cache
        if self._first_look is not None:
            plans = plan_pages(self._first_look, own_pages_only=True)
            return plans, self._kept_as_they_are(plans)
        shown = (
            site,
            index.tags,
            sorted(hand_written),
            {p.id: shown_in_lists(p) for p in index.papers},
        )
        only = self._papers_to_plan(shown, index)
        self._shown = shown
        plans = plan_pages(only)
        page_keys = PageKeys(index, site, self.file_digests)
        self._keys, shows = keyed(plans, page_keys, index, cache.index, cache.keys)
        self._kept = (page_keys.common, shows)
        kept = set(cache.pages).difference(plans) if only is not None else set()
        current = kept | {path for path in plans if self._unchanged(path, self._keys[path])}
        return plans, self._kept_as_they_are(plans, current)

    def _kept_as_they_are(
        self, plans: Plans, current: set[PurePosixPath] | None = None
    ) -> frozenset[PurePosixPath]:
        """`current`, by default every page the last run made but those `plans` plan; and
        the cache, soon out of date, off the disk before pages change."""
        self.cache.live = False
        forget_cache(self.project.root / CACHE_FILE)
        if current is None:
            current = set(self.cache.pages).difference(plans)
        return frozenset(current)

    def remember(self, plans: Plans, current: frozenset[PurePosixPath]) -> None:
        """Keep what this run made for the next, once its pages are written: the pages made
        from `plans` and the `current` ones left as they were."""
        docs = os.fspath(self.project.docs_dir)
        made = {
            p: PageMemo.written(self._keys.get(p), f"{docs}/{p}") for p in plans if p not in current
        }
        self.cache.live = True
        if self._first_look is not None:  # the next run compares with the last full one
            self.cache.pages.update(made)  # in place: every other page is current
            return
        self.cache.pages = {path: self.cache.pages[path] for path in current} | made
        self.cache.digests = self.file_digests
        if self._related is not None:
            self.cache.related = self._related
        # A run that kept the last run's indexes slugged nothing they hold: keep their slugs.
        self.cache.slugs = slugs.used() if self._rebuilt else {**self.cache.slugs, **slugs.used()}
        self.cache.shown, self.cache.index = self._shown, self._index
        kept = self.cache.keys[1] if self.cache.keys is not None else {}
        common, shows = self._kept or ("", {})
        self.cache.keys = (common, {p: kept[p] for p in current if p in kept} | shows)

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

    def _papers_to_plan(self, shown: object, index: ArchiveIndex) -> frozenset[str] | None:
        """The ids of the papers whose own pages may have changed, when no other page can
        have; None when every page must be planned. A page left unplanned must be on disk
        as the last run wrote it: one changed or deleted by hand makes this run plan all."""
        cache = self.cache
        if cache.shown != shown or cache.related is None or not cache.pages:
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
