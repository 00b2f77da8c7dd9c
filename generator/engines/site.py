"""Publishing a site with any engine: build into a staging folder while Pagefind indexes
the paper pages, drop what the engine writes that nothing uses, move the index in, then
swap the folder in.

The index is made from the generated pages (`search.index_generated`), not the built ones,
so it runs beside the engine: the engine's build takes one core, Pagefind the other.

Invariant: `site_dir` is replaced whole or not at all. A failed build or index leaves the
previous site as it was, and a published site always has its search.
"""

from __future__ import annotations

import datetime
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING

from generator.errors import SiteBuildError
from generator.progress import Progress
from generator.search import INDEX_DIR, index_generated

if TYPE_CHECKING:
    from generator.engines import Engine
    from generator.settings import Project


def build_site(
    project: Project,
    as_of: datetime.date,
    engine: Engine,
    strict: bool = True,
    progress: Progress | None = None,
) -> float:
    """Build the site with `engine` into a fresh folder and swap it in only when the build
    and its search index succeed; return the seconds it took."""
    started = time.perf_counter()
    progress = progress or Progress()
    staging = project.root / "build" / "site.new"
    index = project.root / "build" / "pagefind.new"
    for scratch in (staging, index):
        shutil.rmtree(scratch, ignore_errors=True)
    stop = Event()
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pagefind") as indexer:
            indexed = indexer.submit(index_generated, project.docs_dir, index, stop=stop)
            try:
                engine.build(project, staging, _build_environment(as_of), strict, progress)
            except BaseException:
                stop.set()  # leaving the pool then waits for the indexer to stop
                raise
            _remove_unpublished(staging, engine.unpublished)
            with progress.step("Pagefind indexing paper pages", "Pagefind") as indexing:
                searched = indexed.result()
                index.rename(staging / INDEX_DIR)
                indexing.detail = f"{searched.pages} pages in {searched.shards} index(es)"
    except SiteBuildError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(index, ignore_errors=True)
    _swap_in(staging, project.site_dir)
    return time.perf_counter() - started


def _remove_unpublished(site_dir: Path, paths: tuple[str, ...]) -> None:
    for relative in paths:
        path = site_dir / relative
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def _build_environment(as_of: datetime.date) -> dict[str, str]:
    """Pin what makes output vary between machines: the locale and the build date.

    A `SOURCE_DATE_EPOCH` already set (reproducible-builds convention) wins.
    """
    environment = dict(os.environ)
    midnight = datetime.datetime.combine(as_of, datetime.time(), tzinfo=datetime.UTC)
    environment.setdefault("SOURCE_DATE_EPOCH", str(int(midnight.timestamp())))
    environment["LC_ALL"] = "C.UTF-8"
    return environment


def _swap_in(staging: Path, site_dir: Path) -> None:
    """Replace `site_dir` by `staging` with two renames, so readers never see half a site."""
    previous = staging.with_name("site.old")
    shutil.rmtree(previous, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    shutil.rmtree(previous, ignore_errors=True)
