"""Live preview: MkDocs' live-reload server, with our generator (a `PreviewSource`) as
its build step. The only module that imports MkDocs' internals.

Invariant: a broken paper file reports its problems and leaves the last good pages on
screen; the preview never stops on a validation error. Rebuilds are MkDocs' dirty builds
(only changed pages), which never delete anything, so the pages of deleted papers are
removed from the preview here. Dirty builds are for preview only, never for publishing.
An edit to the text related papers are found from is shown first, with the related
papers as they were; a second rebuild, queued at once, brings them up to date.
Saved files are seen through the system's file events (inotify, FSEvents), or with
`poll` by checking every file twice a second, which also works on network and Docker
mounts that pass no events.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import tempfile
import time
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import jinja2
import jinja2.bccache
import watchdog.observers
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer, _serve_url
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.theme import Theme
from watchdog import events

from generator.engines.mkdocs_build import MkDocsSteps
from generator.engines.mkdocs_pages import GeneratedPages
from generator.engines.mkdocs_progress import PageEvents
from generator.progress import Progress
from generator.settings import CONFIG_FILE

if TYPE_CHECKING:
    from generator.engines import PreviewSource, Report
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

    compiled = CompiledTemplates()

    def config(changed: set[str] | None, steps: MkDocsSteps):  # type: ignore[no-untyped-def]
        loaded = load_config(
            config_file=str(project.root / CONFIG_FILE), site_dir=str(site_dir), strict=False
        )
        loaded.site_url = serve_url
        preview_theme(loaded.theme, compiled)
        if changed is not None:
            loaded.plugins["paper-archive-preview"] = UnchangedPaperPagesLeftOut(changed)
        loaded.plugins["paper-archive-progress"] = PageEvents(steps.report)
        loaded.plugins["paper-archive-pages"] = GeneratedPages()
        return loaded

    mount_path = urlsplit(project.site.url or "/").path
    serve_url = _serve_url(host, int(port), mount_path)
    first_build = [True]
    # Generated files changed since MkDocs last built them all (a failed build keeps them).
    unbuilt: set[str] = set()
    # Writing here makes the watcher call the builder again: how a rebuild queues another.
    queue_dir = Path(tempfile.mkdtemp(prefix="paper-archive-preview-queue-"))

    def builder() -> None:
        first = first_build[0]
        started = time.perf_counter()
        shown = (progress if first else None) or Progress()  # rebuilds report one line each
        result = source.regenerate(first, shown)
        if result is None:
            return
        for path in result.deleted:
            _remove_output(site_dir, path)
        unbuilt.update(str(path) for path in result.written)
        # A hand-written page may link to paper pages by their `.md` names, which MkDocs
        # resolves among the files it is given: its rebuild is given them all.
        everything = first or any((project.pages_dir / path).is_file() for path in unbuilt)
        with MkDocsSteps(shown) as steps:
            changed = None if everything else unbuilt
            mkdocs_build(config(changed, steps), serve_url=serve_url, dirty=not first)
        first_build[0] = False
        unbuilt.clear()
        report(
            f"Preview updated in {time.perf_counter() - started:.2f} s ({result.summary})", False
        )
        if first:
            for line in shown.summary_lines():
                report(line, False)
        if result.again:
            report("Related papers are updated next.", False)
            (queue_dir / "related-papers").write_text(str(time.time_ns()), encoding="utf-8")

    server = LiveReloadServer(
        builder=builder, host=host, port=int(port), root=str(site_dir), mount_path=mount_path
    )
    server.error_handler = lambda code: _error_page(site_dir, code)
    logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_build_warning)
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


class ChangesObserver(watchdog.observers.Observer):  # type: ignore[misc,valid-type]
    """The system's file events, but only those that change something: to inotify,
    opening or reading a file is an event too, and each rebuild reads the vocabulary
    and the hand-written pages, which would start the next rebuild, forever."""

    def schedule(  # type: ignore[no-untyped-def,override]
        self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False
    ):
        return super().schedule(
            event_handler,
            path,
            recursive=recursive,
            event_filter=event_filter or CHANGES,
            follow_symlink=follow_symlink,
        )


CHANGES = [
    events.FileCreatedEvent,
    events.FileModifiedEvent,
    events.FileClosedEvent,
    events.FileMovedEvent,
    events.FileDeletedEvent,
    events.DirCreatedEvent,
    events.DirMovedEvent,
    events.DirDeletedEvent,
]
"""Every kind of event but opening and closing a file unchanged."""


class UnchangedPaperPagesLeftOut(BasePlugin):  # type: ignore[type-arg]
    """Leaves out of a rebuild the paper pages the regeneration did not change.

    A dirty build rebuilds only changed pages, but still makes and checks a page object
    for each of the 10,000: 0.8 s of each rebuild. Their HTML from the last build stays in
    the preview's folder (dirty builds delete nothing). The generated pages link to them
    by URL in HTML, which MkDocs does not resolve; a rebuild of a hand-written page, which
    may link to them by `.md` name, is given every file.
    """

    def __init__(self, changed: set[str]) -> None:
        self.changed = frozenset(changed)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        return Files(
            file
            for file in files
            if not file.src_uri.startswith("papers/")
            or not file.is_documentation_page()
            or file.src_uri in self.changed
        )


def _not_the_dirty_build_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build, and every rebuild of the preview is one."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled theme templates, in memory for the preview's life: MkDocs makes a new Jinja
    environment for every build, and compiling Material's templates again took 0.8 s of
    each rebuild. Jinja checks each template's source checksum, so an edited override is
    compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def preview_theme(theme: Theme, compiled: CompiledTemplates) -> None:
    """Make the environments `theme` creates share `compiled`, and list theme files
    without walking hidden folders (`ThemeFiles`)."""
    make_environment = theme.get_env

    def get_env() -> jinja2.Environment:
        environment = make_environment()
        environment.loader = ThemeFiles(theme.dirs)
        environment.bytecode_cache = compiled
        return environment

    theme.get_env = get_env  # type: ignore[method-assign]


class ThemeFiles(jinja2.FileSystemLoader):
    """A theme loader whose listing skips hidden folders. MkDocs lists a theme's files on
    every build to copy its static ones, and copies none from a hidden folder (its filter
    drops `.*` paths); Material's `.icons` holds 14,300 of its 14,500 files, and listing
    and filtering them took 0.2 s of each rebuild."""

    def list_templates(self) -> list[str]:
        found = set()
        for searchpath in self.searchpath:
            for folder, subfolders, names in os.walk(searchpath, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                relative = Path(folder).relative_to(searchpath).as_posix()
                found.update(name if relative == "." else f"{relative}/{name}" for name in names)
        return sorted(found)


def _remove_output(site_dir: Path, source: PurePosixPath) -> None:
    """Delete what MkDocs built from `source` (`papers/x.md` -> `papers/x/`, `feed.xml` as is)."""
    if source.suffix != ".md":
        (site_dir / source).unlink(missing_ok=True)
    elif source.name != "index.md":
        shutil.rmtree(site_dir / source.with_suffix(""), ignore_errors=True)


def _error_page(site_dir: Path, code: int) -> bytes | None:
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None
