"""Live preview: MkDocs' live-reload server, with our generator (a `PreviewSource`) as
its build step. The only module that imports MkDocs' internals.

Invariant: a broken paper file reports its problems and leaves the last good pages on
screen; the preview never stops on a validation error. The first build, and one after
the configuration or the theme changed, is MkDocs' full build; a rebuild after an edit
renders only the pages the generator changed, into MkDocs' model of the site kept from
the last build (`KeptSite`), for the preview only, never for publishing. After every
rebuild the pages it wrote are those a full build would write, and the browser reloads
once they are all written. An edit to a paper is shown first on its own page, a first
look (`Regenerated.first_look`) placed in the lists as they were; a second rebuild,
queued at once, brings the rest of the site up to date.
Saved files are seen through the system's file events (inotify, FSEvents), or with
`poll` by checking every file twice a second, which also works on network and Docker
mounts that pass no events.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import signal
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import jinja2
from mkdocs.commands.build import _build_page, _build_theme_template, _populate_page
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer, _serve_url
from mkdocs.structure.files import File, Files, InclusionLevel, file_sort_key, set_exclusions
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from generator import collector
from generator.engines.mkdocs_build import MkDocsSteps
from generator.engines.mkdocs_pages import GeneratedPages
from generator.engines.mkdocs_progress import LAST, PageEvents, event_priority
from generator.engines.mkdocs_templates import CompiledTemplates, preview_theme
from generator.engines.mkdocs_watch import ChangesObserver
from generator.progress import Progress
from generator.settings import CONFIG_FILE

if TYPE_CHECKING:
    from generator.engines import PreviewSource, Regenerated, Report
    from generator.settings import Project

log = logging.getLogger("mkdocs")


def serve_forever(
    project: Project,
    dev_addr: str,
    source: PreviewSource,
    report: Report,
    poll: bool = False,
    progress: Progress | None = None,
) -> None:
    """Build once, showing its steps on `progress`, then serve on `dev_addr`, rebuilding
    with `source` and reloading on every saved change."""
    site_dir = Path(tempfile.mkdtemp(prefix="paper-archive-preview-"))
    host, _, port = dev_addr.rpartition(":")
    mount_path = urlsplit(project.site.url or "/").path
    serve_url = _serve_url(host, int(port), mount_path)
    preview = PreviewSite(project, site_dir, serve_url)
    first_build = [True]
    # Writing here makes the watcher call the builder again: how a rebuild queues another.
    queue_dir = Path(tempfile.mkdtemp(prefix="paper-archive-preview-queue-"))

    def builder() -> None:
        first = first_build[0]
        started = time.perf_counter()
        shown = (progress if first else None) or Progress()  # rebuilds report one line each
        # No collection while a curator waits; a full build switches it on (collector.py).
        with collector.switched(on=False):
            result = source.regenerate(first, shown)
            if result is None:
                return
            with MkDocsSteps(shown) as steps:
                preview.update(result, steps)
        first_build[0] = False
        report(
            f"Preview updated in {time.perf_counter() - started:.2f} s ({result.summary})", False
        )
        if first:
            for line in shown.summary_lines():
                report(line, False)
        if result.first_look:
            report(FOLLOWS, False)
            (queue_dir / "related-papers").write_text(str(time.time_ns()), encoding="utf-8")

    server = LiveReloadServer(
        builder=builder, host=host, port=int(port), root=str(site_dir), mount_path=mount_path
    )
    server.error_handler = lambda code: _error_page(site_dir, code)
    if not poll:
        # MkDocs polls, stat-ing every watched file twice a second: 10,000 paper files
        # cost a core's worth of time slices and up to half a second before a rebuild.
        server.observer = ChangesObserver()
    # Stopped by a service manager or a test (SIGTERM) as by Ctrl-C: clean up and save.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        with progress or Progress():
            builder()
        for watched in (*source.watched, queue_dir):
            if watched.exists():
                server.watch(str(watched))
        server.serve()
    except KeyboardInterrupt:
        log.info("Shutting down...")
    finally:
        server.shutdown()
        if not first_build[0]:
            source.close()
        shutil.rmtree(site_dir, ignore_errors=True)
        shutil.rmtree(queue_dir, ignore_errors=True)


class PreviewSite:
    """The preview's site folder, kept up to date with the generated pages (`update`)."""

    def __init__(self, project: Project, site_dir: Path, serve_url: str) -> None:
        self.project, self.site_dir, self.serve_url = project, site_dir, serve_url
        self.compiled = CompiledTemplates()
        self.kept: KeptSite | None = None
        # Generated files changed or removed since MkDocs last built (a failed build keeps them).
        self.unbuilt: set[str] = set()
        self.removed: set[str] = set()

    def update(self, result: Regenerated, steps: MkDocsSteps) -> None:
        """Build what the generator's run `result` changed: the changed pages into the kept
        model of the site, or every page when there is none or it cannot hold them."""
        for path in result.deleted:
            _remove_output(self.site_dir, path)
            self.unbuilt.discard(str(path))
            self.removed.add(str(path))
        for path in result.written:
            self.removed.discard(str(path))
            self.unbuilt.add(str(path))
        site, self.kept = self.kept, None  # kept again once this build succeeds
        if (
            site is None
            or not result.same_settings
            or not site.rebuild(self.unbuilt, self.removed, steps, result.first_look)
        ):
            site = None  # spent: let the next full build's collection free it (collector.py)
            config = preview_config(self.project, self.site_dir, self.serve_url, self.compiled)
            site = KeptSite.built(config, self.serve_url, steps)
        elif not result.first_look:
            collector.set_aside(everything=False)  # the indexes this run made again
        self.kept = site
        self.unbuilt.clear()
        self.removed.clear()


def preview_config(
    project: Project, site_dir: Path, serve_url: str, compiled: CompiledTemplates
) -> MkDocsConfig:
    """`mkdocs.yml` as the preview builds it: into `site_dir`, for `serve_url`, with the
    compiled templates of earlier builds."""
    config = load_config(
        config_file=str(project.root / CONFIG_FILE), site_dir=str(site_dir), strict=False
    )
    config.site_url = serve_url
    preview_theme(config.theme, compiled)
    return config


class KeptSite:
    """MkDocs' model of the preview's site (configuration, files, navigation, theme
    environment), made by one full build and kept, so a rebuild renders only the pages
    whose source changed.

    MkDocs' own rebuild, even a dirty one, walks the 44,000 files of `docs_dir` at 10,000
    papers, makes a page object for each of the 17,000 pages and stats every file twice,
    to write the few whose source is newer: nearly all of a rebuild's time. Here a rebuild
    reads, renders and writes the changed pages and copies the changed files, with the
    navigation and every other file as the full build found them, and writes the sitemap
    again when pages come or go. Every page shows the navigation, so a change to it (a
    page it names comes or goes, one of its pages is retitled) makes the caller build in
    full again, as does another plugin than ours (it may read every file on each build).
    Only the pages in the navigation keep their Markdown (their titles come from it); the
    others keep their anchors, which links to them are checked against, not their text.
    """

    def __init__(
        self, config: MkDocsConfig, files: Files, nav: Navigation, env: jinja2.Environment
    ) -> None:
        self.config, self.files, self.nav, self.env = config, files, nav, env
        self.shown = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        """The pages the site shows, as each page's template is given them."""
        self.titles = {page.file.src_uri: page.title for page in nav.pages}
        """The navigation's pages, by source path: their titles, which every page shows."""
        self.named = None if config.nav is None else frozenset(_named(config.nav))
        """What `nav:` names; None when it is not set, and so lists every page."""
        plugins = list(config.plugins.values())
        self.events = next(p for p in plugins if isinstance(p, PageEvents))
        self.generated = next(p for p in plugins if isinstance(p, GeneratedPages))
        self.only_ours = all(isinstance(p, (PageEvents, GeneratedPages, _Keep)) for p in plugins)

    @classmethod
    def built(cls, config: MkDocsConfig, serve_url: str, steps: MkDocsSteps) -> KeptSite:
        """Build every page into the site folder, and keep what the build made: set aside
        from the collector's scans (collector.py), as it lives until the next full build."""
        keep = _Keep()
        config.plugins["paper-archive-progress"] = PageEvents(steps.report)
        config.plugins["paper-archive-pages"] = GeneratedPages()
        config.plugins["paper-archive-kept"] = keep
        # Not dirty: a dirty build into the served folder would leave the pages of an
        # edited theme or configuration as they were.
        with collector.switched(on=True):
            mkdocs_build(config, serve_url=serve_url, dirty=False)
        site = cls(config, keep.files, keep.nav, keep.env)
        site._release(file.page for file in site.files.documentation_pages() if file.page)
        collector.set_aside(everything=True)
        return site

    def rebuild(
        self, written: set[str], removed: set[str], steps: MkDocsSteps, first_look: bool = False
    ) -> bool:
        """Render the pages and copy the files at `written` (source paths), and forget
        those at `removed` (their output is gone already); False when the navigation or
        a plugin needs a full build instead (the model is then spent). The links of a
        `first_look`'s pages are not checked: they may name what the rebuild queued next
        makes (an edit's new author's entry on their letter page)."""
        with _links_unchecked(self.config, first_look):
            return self._rebuild(written, removed, steps)

    def _rebuild(self, written: set[str], removed: set[str], steps: MkDocsSteps) -> bool:
        files, config = self.files, self.config
        gone = [files.src_uris[path] for path in removed if path in files.src_uris]
        new = sorted(path for path in written if path not in files.src_uris)
        if not self.only_ours or any(self._in_nav(path) for path in (*removed, *new)):
            return False
        self.events.report = steps.report
        for file in gone:
            files.remove(file)
        if new:
            docs, site = config.docs_dir, config.site_dir
            added = [File(path, docs, site, config.use_directory_urls) for path in new]
            set_exclusions(added, config)
            files = self.files = Files(sorted([*files, *added], key=file_sort_key))
        if gone or new:
            self.generated.on_files(files, config)
            self.shown = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        changed = [files.src_uris[path] for path in sorted(written)]
        changed = [file for file in changed if InclusionLevel.is_in_serve(file.inclusion)]
        for file in changed:
            if not file.is_documentation_page():
                file.copy_file()
        pages = [self._page(file) for file in changed if file.is_documentation_page()]
        for page in pages:
            _populate_page(page, config, files)
        if any(page.title != self.titles.get(page.file.src_uri, page.title) for page in pages):
            return False
        for page in pages:
            excluded = page.file.inclusion.is_excluded()
            _build_page(page, config, self.shown, self.nav, self.env, excluded=excluded)
        for page in pages:
            page.validate_anchor_links(files=files, log_level=config.validation.links.anchors)
        if (gone or new) and SITEMAP in config.theme.static_templates:
            _build_theme_template(SITEMAP, self.env, files, config, self.nav)
        self._release(pages)
        return True

    def _in_nav(self, path: str) -> bool:
        return self.named is None or path in self.named

    def _page(self, file: File) -> Page:
        """The page to render `file` into: the navigation's own, else a new one."""
        if file.page is not None and file.src_uri in self.titles:
            return file.page
        return Page(None, file, self.config)

    def _release(self, pages: Iterable[Page]) -> None:
        """Let go of the text of the pages outside the navigation."""
        for page in pages:
            if page.file.src_uri not in self.titles:
                page.markdown = page.content = None


@contextlib.contextmanager
def _links_unchecked(config: MkDocsConfig, unchecked: bool) -> Iterator[None]:
    """While the block runs, when `unchecked`, links to missing pages and anchors are
    logged for debugging only, not warned of."""
    links = config.validation.links
    levels = (links.not_found, links.anchors)
    if unchecked:
        links.not_found = links.anchors = logging.DEBUG
    try:
        yield
    finally:
        links.not_found, links.anchors = levels


FOLLOWS = "The lists, related papers and downloads are updated next."
"""Printed after a first look at an edit, whose rebuild follows at once."""
SITEMAP = "sitemap.xml"
"""MkDocs' sitemap, rendered from the list of every page."""


class _Keep:
    """Keeps what a full build made: the files, the navigation and the theme environment,
    as the other plugins left them. An MkDocs plugin by shape."""

    files: Files
    nav: Navigation
    env: jinja2.Environment

    @event_priority(LAST)
    def on_nav(self, nav: Navigation, config: MkDocsConfig, files: Files) -> None:
        self.nav, self.files = nav, files

    @event_priority(LAST)
    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> None:
        self.env = env


def _named(nav: object) -> Iterator[str]:
    """The paths `mkdocs.yml`'s `nav` names, at any depth."""
    if isinstance(nav, str):
        yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _named(value)
    elif isinstance(nav, list):
        for item in nav:
            yield from _named(item)


def _remove_output(site_dir: Path, source: PurePosixPath) -> None:
    """Delete what MkDocs built from `source` (`papers/x.md` -> `papers/x/`, `feed.xml` as is)."""
    if source.suffix != ".md":
        (site_dir / source).unlink(missing_ok=True)
    elif source.name != "index.md":
        shutil.rmtree(site_dir / source.with_suffix(""), ignore_errors=True)


def _error_page(site_dir: Path, code: int) -> bytes | None:
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
