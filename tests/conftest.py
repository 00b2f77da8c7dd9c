"""Shared fixtures: throwaway archives, real builds of the sample and the bundled archive, a
local web server for built sites, and headless Chromium (skipped, with the reason, when absent).

Two archives of many papers, kept apart on purpose:

- the *sample* archive, `tests/fixtures/sample/papers/`, belongs to the tests. Tests that need
  a realistic archive (searching for an author, a tag's papers, related papers) pin facts about
  it, so the suite passes whatever a fork keeps in `papers/`.
- the *bundled* archive is whatever `papers/` holds. Only tests marked `bundled` read it, and
  they take every expected count from the files there: they pass for the 79 example papers,
  for three papers of a fork, and for none.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from generator.index import ArchiveIndex, build_indexes
from generator.pipeline import Project, load_archive, load_project

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DIR = REPO_ROOT.parent / "shared"
SAMPLE_PAPERS = REPO_ROOT / "tests" / "fixtures" / "sample" / "papers"
BUNDLED_PAPERS = REPO_ROOT / "papers"
CHROMIUM = Path("/usr/bin/chromium")
PROJECT_FILES = ("mkdocs.yml", "pages", "theme_overrides")

MINIMAL_TAGS = """\
data-selection:
  title: Data selection
  description: Choosing which training examples to keep.
  keywords: [data selection, data pruning]
llm-inference:
  title: LLM inference
  description: Serving language models faster.
  keywords: [inference, serving]
"""

VALID_PAPER = """\
title: A Valid Paper
authors:
- Ada Lovelace
- Alan Turing
date: 2024-03-15
abstract: We select data.
tags:
- data-selection
"""


@pytest.fixture(autouse=True)
def _deterministic_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")


@pytest.fixture
def make_archive(tmp_path: Path) -> Callable[..., Project]:
    """Return a factory: `make_archive({"a.yaml": "..."})` -> a Project in tmp_path.

    Uses the repository's mkdocs.yml, pages/ and theme; `tags` replaces the vocabulary.
    """

    def make(papers: dict[str, str], tags: str = MINIMAL_TAGS) -> Project:
        root = tmp_path / "archive"
        (root / "papers").mkdir(parents=True)
        shutil.copy(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
        shutil.copytree(REPO_ROOT / "pages", root / "pages")
        shutil.copytree(REPO_ROOT / "theme_overrides", root / "theme_overrides")
        (root / "papers" / "_tags.yaml").write_text(tags, encoding="utf-8")
        for name, content in papers.items():
            (root / "papers" / name).write_text(content, encoding="utf-8")
        return load_project(root)

    return make


def copy_project(destination: Path, papers: Path = SAMPLE_PAPERS) -> Path:
    """Copy an archive to `destination`: the repository's config, pages and theme, and
    `papers` (the sample archive unless told; `BUNDLED_PAPERS` for the archive checks)."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy(source, destination / name)
    shutil.copytree(papers, destination / "papers")
    return destination


def published_paper_files(papers_dir: Path) -> list[Path]:
    """The paper files in `papers_dir` that get a page, read as plain YAML (not through the
    generator's loader, so the count it gives checks the loader)."""
    return [
        path
        for path in sorted(papers_dir.glob("[!_]*.yaml"))
        if (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("status") != "inbox"
    ]


def run_cli(
    *arguments: str, root: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m generator --root ROOT ...` in a subprocess, as a curator would."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def _build_copy(root: Path) -> Path:
    completed = run_cli("build", root=root)
    assert completed.returncode == 0, completed.stderr
    return root


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the sample archive once per test session; return the project root (site/ inside)."""
    return _build_copy(copy_project(tmp_path_factory.mktemp("sample") / "archive"))


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build a copy of the repository's own `papers/` once per session (for `bundled` tests)."""
    root = copy_project(tmp_path_factory.mktemp("bundled") / "archive", BUNDLED_PAPERS)
    return _build_copy(root)


@pytest.fixture(scope="session")
def sample_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The sample archive, copied but not built, for tests that only load it."""
    return load_project(copy_project(tmp_path_factory.mktemp("sample-sources") / "archive"))


class _PrefixedHandler(http.server.SimpleHTTPRequestHandler):
    """Serve a folder under a URL prefix (`/REPO/`), as GitHub Pages serves a project site."""

    prefix = "/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a 404 with the site's own 404.html, as GitHub Pages does."""
        not_found_page = Path(self.directory) / "404.html"
        if code == 404 and not_found_page.is_file():
            body = not_found_page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@contextlib.contextmanager
def serve_directory(directory: Path, prefix: str = "/") -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 under `prefix`; yield the base URL (ending in `/`)."""
    handler = type("Handler", (_PrefixedHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(directory))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built sample site served on 127.0.0.1 for the whole session (base URL, ending in /)."""
    with serve_directory(built_site / "site") as url:
        yield url


@pytest.fixture(scope="session")
def sample_index(built_site: Path) -> ArchiveIndex:
    """The indexes of the built sample archive, to know what its pages must show."""
    return build_indexes(load_archive(load_project(built_site))[0])


@pytest.fixture(scope="session")
def injection_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The injection corpus (tests/injection.py) built once per session; the site is in site/."""
    from tests.injection import build_injection_site

    return build_injection_site(tmp_path_factory.mktemp("injection") / "archive")


CHROMIUM_ARGUMENTS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
)


def launch_chromium(playwright):  # type: ignore[no-untyped-def]
    """Launch Debian's headless Chromium (never a browser Playwright downloads)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGUMENTS))


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Headless Debian Chromium driven by Playwright; skips with a reason when not installed."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser test needs Chromium at {CHROMIUM} (apt-get install chromium; .ci/run installs it)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser):  # type: ignore[no-untyped-def]
    """Return a factory of fresh browser contexts (Playwright's `new_context` options), each
    closed after the test, so no test sees another's storage and a failed one leaves none open."""
    contexts = []

    def open_context(**options):  # type: ignore[no-untyped-def]
        context = browser.new_context(**options)
        contexts.append(context)
        return context

    yield open_context
    for context in contexts:
        context.close()


def record_page_errors(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Collect what a reader should never meet on `page` (console errors, uncaught script
    errors, responses of 400 or more) into the returned list, as they happen."""
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and errors.append(f"{response.status} {response.url}")
        ),
    )
    return errors


@pytest.fixture
def shared_dir() -> Path:
    """`../shared` beside the clone (real-world inputs); CI always has it."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"needs the shared inputs folder at {SHARED_DIR}")
    return SHARED_DIR
