"""How bench.py measures one version of the tool: child processes timed with their peak
memory, the live preview timed per kind of edit, and a reader's first search in Chromium.

A version is a `Code`: the interpreter and PYTHONPATH that run it, and the tree its project
files come from. Every command runs in a fresh child process, so nothing one step loads or
caches helps the next, and versions measured in one run cannot share anything but the disk.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bench_archive import EDITS, apply_edit, edited_paper

from tests.conftest import launch_chromium, serve_directory

BENCH_ENVIRONMENT = {
    "SOURCE_DATE_EPOCH": "1762992000",
    "LC_ALL": "C.UTF-8",
    "NO_MKDOCS_2_WARNING": "1",
}
PREVIEW_PAUSE_S = 3.0
"""Before each edit: the watcher settles, as it would for a curator between two saves."""
QUERY_RUNS = 3
"""Fresh browser contexts per search measurement; the median latency is reported."""
TYPING_DELAY_MS = 120
"""Between keystrokes: a fast typist (about 100 words a minute)."""
INDEX_ONLY = (
    "import sys; from pathlib import Path; from generator.search import index_site;"
    " index_site(Path(sys.argv[1]))"
)


@dataclass(frozen=True)
class Code:
    """One version of the tool: how to run it and where its project files come from."""

    label: str
    tree: Path
    """Its source tree: generator/, mkdocs.yml, pages/, theme_overrides/, papers/_tags.yaml."""
    python: str
    """The interpreter with its dependencies installed."""

    def environment(self) -> dict[str, str]:
        """The environment its commands run in: its own code first on the import path."""
        return {**os.environ, **BENCH_ENVIRONMENT, "PYTHONPATH": str(self.tree)}

    def cli(self, root: Path, *arguments: str) -> list[str]:
        """`paper-archive --root ROOT ...` as this version."""
        return [self.python, "-m", "generator", "--root", str(root), *arguments]


@dataclass
class Run:
    """One child process: wall time, peak resident memory, and what it printed."""

    seconds: float
    max_rss_mb: float
    output: str
    cpu_seconds: float
    """User and system time of the child and every process it waited for: on a shared
    machine, whose cores are lent to others at times, steadier than the wall time."""


def run(command: list[str], cwd: Path, environment: dict[str, str]) -> Run:
    """Run `command`; fail loudly on error. Peak memory covers the child's own children.

    The disk's pending writes are flushed first (as `hyperfine --prepare sync` would), so a
    step is not charged for writing back what the step before it wrote: file creation on
    this disk stalls while the kernel writes back thousands of files just made.
    """
    os.sync()
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{text}")
    return Run(seconds, usage.ru_maxrss / 1024, text, usage.ru_utime + usage.ru_stime)


@dataclass
class PreviewEdit:
    """One edit saved while `paper-archive serve` runs."""

    to_page: float
    """Seconds from saving the file to the preview serving the edited paper's page with it."""
    regenerate: float | None
    """The preview's own regeneration (generate and MkDocs), as it printed it."""
    pages: int | None
    """Pages the generator rewrote for the edit."""


def measure_preview(code: Code, root: Path, run_number: int) -> dict[str, PreviewEdit]:
    """Start `paper-archive serve`, then save each kind of edit (`EDITS`) in turn once the
    preview is idle, and time each until the edited paper's page is served with it (the
    page is polled every 50 ms, as a reload would)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    page_url = f"http://127.0.0.1:{port}/papers/{edited_paper(root).stem}/"
    edits: dict[str, PreviewEdit] = {}
    with tempfile.TemporaryFile() as output:
        server = subprocess.Popen(
            code.cli(root, "serve", "--dev-addr", f"127.0.0.1:{port}"),
            cwd=root,
            env=code.environment(),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for(lambda: _fetch(page_url) is not None, server, output, timeout_s=3600)
            for number, kind in enumerate(EDITS):
                time.sleep(PREVIEW_PAUSE_S)
                # and wait until idle: a rebuild bringing related papers up to date follows
                # the one that showed the last edit.
                _wait_for(lambda n=number: _idle(output, n), server, output, timeout_s=600)
                before = _fetch(page_url) or ""
                rebuilds_before = len(_preview_updates(output))
                marker = f"Benchedit{run_number}x{number}x{time.time_ns()}"
                shown = apply_edit(root, kind, before, marker)
                saved = time.perf_counter()
                _wait_for(
                    lambda text=shown: text in (_fetch(page_url) or ""),
                    server,
                    output,
                    timeout_s=600,
                )
                to_page = time.perf_counter() - saved
                _wait_for(
                    lambda n=rebuilds_before: len(_preview_updates(output)) > n,
                    server,
                    output,
                    timeout_s=600,
                )
                updates = _preview_updates(output)[rebuilds_before]
                edits[kind] = PreviewEdit(to_page, *updates)
        finally:
            server.terminate()
            server.wait(timeout=600)  # saving the cache of a large archive takes a while
    return edits


_PREVIEW_UPDATED = re.compile(r"Preview updated in ([\d.]+) s(?: \(generate [\d.]+ s: (\d+) page)?")


def _preview_updates(output: IO[bytes]) -> list[tuple[float, int | None]]:
    """(seconds, pages the generator rewrote) of each rebuild the preview printed, in order."""
    return [
        (float(seconds), int(pages) if pages else None)
        for seconds, pages in _PREVIEW_UPDATED.findall(_printed(output))
    ]


def _idle(output: IO[bytes], edits_made: int) -> bool:
    """True once the preview finished a rebuild (MkDocs' included) for the first build,
    each edit, and each follow-up it announced."""
    # Every version's own words ("Lists and related papers are updated next.", ...).
    follow_ups = len(re.findall(r"papers(?: and downloads)? are updated next\.", _printed(output)))
    return len(_preview_updates(output)) >= 1 + edits_made + follow_ups


def _printed(output: IO[bytes]) -> str:
    output.seek(0)
    return output.read().decode("utf-8", "replace")


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (OSError, urllib.error.URLError):
        return None


def _wait_for(
    condition: Callable[[], bool],
    server: subprocess.Popen[bytes],
    output: IO[bytes],
    timeout_s: float,
) -> None:
    deadline = time.perf_counter() + timeout_s
    while not condition():
        if server.poll() is not None or time.perf_counter() > deadline:
            raise SystemExit(f"paper-archive serve failed:\n{_printed(output)}")
        time.sleep(0.05)


@dataclass
class SearchFigures:
    """One query typed by fresh readers: bytes fetched for search, latency after typing."""

    kilobytes: float
    latency_ms: float
    results: int = field(compare=False)


_RESULT_CLOCK = """
() => {
  window.__bench = { lastKey: 0, firstResult: 0 };
  document.addEventListener("keydown", () => {
    window.__bench.lastKey = performance.now();
    window.__bench.firstResult = 0;
  }, true);
  const list = document.querySelector(".md-search-result__list");
  new MutationObserver(() => {
    if (window.__bench.lastKey && !window.__bench.firstResult && list.children.length) {
      window.__bench.firstResult = performance.now();
    }
  }).observe(list, { childList: true });
}
"""
# What search alone costs a reader: Pagefind and the box's script and style; the rest of the
# page is the same whatever the search.
_SEARCH_URL = re.compile(r"/(pagefind|search)/|/(javascripts|stylesheets)/search\.")


def measure_search(site: Path, query: str, timeout_s: float = 120) -> SearchFigures:
    """Type `query` into the header search of a fresh reader; median of `QUERY_RUNS`.

    The disk is flushed first, as before each step (`run`): the site was just built, and
    the kernel writing back its gigabytes would compete with the server and the browser.
    """
    from playwright.sync_api import sync_playwright

    os.sync()
    kilobytes, latencies, results = [], [], 0
    with serve_directory(site) as base, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for _ in range(QUERY_RUNS):
            context = browser.new_context()
            page = context.new_page()
            responses: list = []
            # The page's requests and its workers'; bodies are read once the page is idle,
            # not inside Playwright's callback.
            context.on("response", lambda response, seen=responses: seen.append(response))
            page.goto(base, wait_until="load")
            page.evaluate(_RESULT_CLOCK)
            page.keyboard.press("/")
            page.keyboard.type(query, delay=TYPING_DELAY_MS)
            page.wait_for_function(
                "() => window.__bench.firstResult > 0"
                " && document.querySelector('.md-search-result__list').textContent.length > 0",
                timeout=timeout_s * 1000,
            )
            latencies.append(page.evaluate("window.__bench.firstResult - window.__bench.lastKey"))
            page.wait_for_load_state("networkidle")
            fetched = [
                len(r.body()) for r in responses if _SEARCH_URL.search(r.url) and r.status == 200
            ]
            kilobytes.append(sum(fetched) / 1024)
            results = page.locator(".md-search-result__item").count()
            context.close()
        browser.close()
    return SearchFigures(statistics.median(kilobytes), statistics.median(latencies), results)


def index_only(code: Code, site: Path) -> list[str]:
    """The command that runs Pagefind alone, as `code` runs it, on a built site."""
    return [code.python, "-c", INDEX_ONLY, str(site)]


def interpreter_imports(code: Code) -> Path:
    """Where `code`'s interpreter finds the `generator` package (it must be `code.tree`)."""
    found = subprocess.run(
        [code.python, "-c", "import generator; print(generator.__file__)"],
        env=code.environment(),
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    return Path(found).parent.parent
