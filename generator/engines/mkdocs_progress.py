"""MkDocs counts its own pages for the progress display (progress.py), so counts are
MkDocs' and never guessed.

Used two ways. `paper-archive build` gives MkDocs this file as a hook (mkdocs_build.py lists it
under `hooks:` in the configuration it passes on standard input, which inherits the
curator's `mkdocs.yml`, so that file stays what any MkDocs or ProperDocs reads): the
module's own `on_*` functions then write each report as a line to the pipe named by the
environment variable `PROGRESS_FD`. The live preview builds in its own process and adds
a `PageEvents` that hands reports straight to its `MkDocsSteps`.

Reports (`kind value`): `pages M` once the pages are known; `read k` as they are read and
converted from Markdown; `env` when all are; `written k` as they are rendered and written;
`slowest SECONDS PATH` for each written page that is among the slowest so far. Counts are
sent every hundredth of the pages at most: 10,000 pages cost 200 short writes. On the pipe
each line starts with the id of the process that sends it: pages may be written by more
than one (mkdocs_speedups.py), each counting its own.
"""

from __future__ import annotations

import heapq
import os
import time
from collections.abc import Callable
from typing import Any, TypeVar

from generator.progress import SLOWEST_SHOWN

PROGRESS_FD = "PAPER_ARCHIVE_PROGRESS_FD"
"""Environment variable naming the pipe the page reports are written to."""
Event = TypeVar("Event", bound=Callable[..., None])
FIRST, LAST = 100, -100
"""Event priorities: a page's clock starts before other plugins' work and stops after it."""


def event_priority(priority: int) -> Callable[[Event], Event]:
    """Mark an event's priority as MkDocs' `event_priority` does (ProperDocs reads the same
    attribute), so this module imports neither engine and works under both."""

    def mark(event: Event) -> Event:
        event.mkdocs_priority = priority  # type: ignore[attr-defined]
        return event

    return mark


class PageEvents:
    """Counts pages through MkDocs' two passes and times each page (both passes, other
    plugins' work included), calling `report(kind, value)` with what it found. An MkDocs
    plugin by shape: MkDocs registers each `on_*` method of what it is given."""

    def __init__(self, report: Callable[[str, str], None]) -> None:
        self.report = report
        self.pages = 0
        self.every = 1
        self.done = 0
        self.seconds: dict[str, float] = {}
        self.slowest: list[float] = []
        """The times of the slowest pages written so far, a heap of `SLOWEST_SHOWN`."""
        self.started = 0.0

    def on_nav(self, nav: Any, config: Any, files: Any) -> None:
        self.pages = len(files.documentation_pages())
        self.every = max(1, self.pages // 100)
        self.done = 0
        self.seconds, self.slowest = {}, []
        self.report("pages", str(self.pages))

    @event_priority(FIRST)
    def on_pre_page(self, page: Any, config: Any, files: Any) -> None:
        self.started = time.perf_counter()

    @event_priority(LAST)
    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> None:
        self._count(page, "read")

    def on_env(self, env: Any, config: Any, files: Any) -> None:
        self.done = 0
        self.report("env", "")

    @event_priority(FIRST)
    def on_page_context(self, context: Any, page: Any, config: Any, nav: Any) -> None:
        self.started = time.perf_counter()

    @event_priority(LAST)
    def on_post_page(self, output: str, page: Any, config: Any) -> None:
        seconds = self._count(page, "written")
        # Sent as found, not at the end: a process writing a share of the pages has no end.
        if len(self.slowest) < SLOWEST_SHOWN or seconds > self.slowest[0]:
            heapq.heappush(self.slowest, seconds)
            if len(self.slowest) > SLOWEST_SHOWN:
                heapq.heappop(self.slowest)
            self.report("slowest", f"{seconds:.4f} {page.file.src_uri}")

    def _count(self, page: Any, kind: str) -> float:
        """Count the page; return its time so far (both passes)."""
        path = page.file.src_uri
        seconds = self.seconds.get(path, 0.0) + time.perf_counter() - self.started
        self.seconds[path] = seconds
        self.done += 1
        if self.done % self.every == 0 or self.done == self.pages:
            self.report(kind, str(self.done))
        return seconds


def _write_to_pipe(kind: str, value: str) -> None:
    """Write one report to the pipe the build gave MkDocs; without one, report nothing."""
    descriptor = os.environ.get(PROGRESS_FD)
    if descriptor is not None:
        os.write(int(descriptor), f"{os.getpid()} {kind} {value}\n".encode())


_hooked = PageEvents(_write_to_pipe)
# As a hook, the module itself is MkDocs' plugin: these are the events it registers.
on_nav = _hooked.on_nav
on_pre_page = _hooked.on_pre_page
on_page_content = _hooked.on_page_content
on_env = _hooked.on_env
on_page_context = _hooked.on_page_context
on_post_page = _hooked.on_post_page
