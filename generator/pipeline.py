"""The pipeline, in order: load -> validate -> index -> render -> write (-> engine).

Invariant: the only module that calls the stages in sequence, each once. Everything is
loaded and validated before anything is written, and a failure at any step leaves the
generated pages and the previous `site/` as they were. Reuse of the last run's work is
the incremental module's, which wraps the stages; an engine (`engines/`) builds the site.
"""

from __future__ import annotations

import datetime
import functools
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from generator import collector
from generator.downloads import Exports
from generator.incremental import GenerateCache, Incremental, open_cache, save_cache
from generator.index import ArchiveIndex
from generator.model import Archive, Problem
from generator.parallel import split, worker_count
from generator.plans import PagePlan, Plans
from generator.progress import Progress
from generator.reading import checked_archive, load_archive, load_hand_written_pages
from generator.render import plan_pages, plan_paper_pages, render_each
from generator.settings import CONFIG_FILE, Project, SiteInfo, load_project
from generator.write import WriteReport, merge_pages, write_streams

__all__ = [  # what the commands and the live preview call
    "CONFIG_FILE",
    "GenerateCache",
    "GenerateResult",
    "Project",
    "build_date",
    "generate",
    "load_archive",
    "load_project",
    "open_cache",
    "save_cache",
]


@dataclass(frozen=True)
class GenerateResult:
    """What one `generate` run did."""

    archive: Archive
    warnings: list[Problem]
    report: WriteReport
    page_count: int
    seconds: float
    first_look: bool = False
    """Only the edited papers' own pages were made, placed in the last run's indexes
    (incremental/first_look.py); run again to bring the rest of the site up to date. Their
    links may name pages and anchors only that run makes."""


def generate(
    project: Project,
    today: datetime.date | None = None,
    strict: bool = False,
    workers: int | None = None,
    cache: GenerateCache | None = None,
    first_look: bool = False,
    progress: Progress | None = None,
) -> GenerateResult:
    """Validate the archive and write its Markdown pages into `docs_dir`.

    Incremental (incremental/): what did not change since the last run is neither read,
    rendered nor written again, and the bytes written are the same as without it. Large
    batches of files to read or pages to render are shared among up to `workers` forked
    processes (None: one per core; parallel.py says when to pass 1).

    The live preview keeps the `cache` in memory (`open_cache`, `save_cache`), and passes
    `first_look`: then a run after an edit to papers may write only their own pages, and
    leave the rest to the next run (`GenerateResult.first_look`), so that the edit shows
    first. Steps are shown on `progress`.
    """
    started = time.perf_counter()
    progress = progress or Progress()
    with collector.switched(on=False):
        memory = open_cache(project) if cache is None else cache
        reuse = Incremental(project, memory)
        with progress.step("Reading and validating paper files", "reading", unit="files") as step:
            vocabulary, files = reuse.load(today or datetime.date.today(), workers, step)  # load
            archive, warnings = checked_archive(project, vocabulary, files, strict)  # validate
        with progress.step("Indexing and finding related papers", "indexes") as step:
            index, exports = reuse.index(archive, project.site, workers, first_look)
            step.detail = f"{len(archive.papers)} papers"
            if reuse.first_look:
                step.detail += " (a first look at the edited ones)"
            elif reuse.related_reused:
                step.detail += " (related papers as the last run found them)"
        with progress.step("Rendering and writing pages", "pages") as step:
            hand_written = load_hand_written_pages(project.pages_dir)
            plan = functools.partial(_plan_all, index, project.site, exports, hand_written)
            plans, current = reuse.plan(index, project.site, hand_written, plan)  # render
            due = [path for path in plans if path not in current]  # in planning order
            shares = split(due, worker_count(len(due), workers))
            present = frozenset(memory.pages) or None  # None: a first run looks
            report = write_streams(  # write
                due,
                [render_each(plans, share) for share in shares],
                project.docs_dir,
                current,
                present,
            )
            reuse.remember(plans, current)
            page_count = len(plans) + len(current.difference(plans))
            step.detail = (
                f"{len(report.written)} changed of {page_count}, {len(report.deleted)} removed"
            )
        if cache is None:
            save_cache(project, memory)
    seconds = time.perf_counter() - started
    return GenerateResult(archive, warnings, report, page_count, seconds, reuse.first_look)


def _plan_all(
    index: ArchiveIndex,
    site: SiteInfo,
    exports: Exports,
    hand_written: Mapping[PurePosixPath, bytes],
    only_papers: frozenset[str] | None,
    own_pages_only: bool = False,
) -> Plans:
    """Plan the generated pages (`render.plan_pages`) and the hand-written ones; or with
    `own_pages_only`, only the own pages of `only_papers` (a first look at an edit)."""
    if own_pages_only:
        return plan_paper_pages(index, site, exports, only_papers or ())
    copied = {path: PagePlan.ready(content) for path, content in hand_written.items()}
    return merge_pages(plan_pages(index, site, exports, only_papers), copied)


def build_date(archive: Archive) -> datetime.date:
    """Date the site is "as of": the latest addition or publication in the archive,
    derived from the input (not the clock), so two builds of one archive are identical."""
    dates = [paper.added or paper.date for paper in archive.papers]
    return max(dates, default=datetime.date(2000, 1, 1))
