"""`paper-archive serve`: saved edits, new and deleted files reach the preview; a broken
file is reported in the terminal while the preview keeps serving the last good pages.

Latency is measured by `make bench`, not asserted here: tests wait for what they expect
to see (a page, a log line), for up to a generous timeout, never for a fixed time."""

from __future__ import annotations

import datetime
import logging
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
import yaml
from mkdocs.config import load_config
from mkdocs.structure.files import Files
from watchdog.events import FileSystemEvent, FileSystemEventHandler

from generator.cache import CACHE_FILE
from generator.engines import Regenerated
from generator.engines.mkdocs_build import MkDocsSteps
from generator.engines.mkdocs_preview import FOLLOWS, PreviewSite
from generator.engines.mkdocs_templates import CompiledTemplates, preview_theme
from generator.engines.mkdocs_watch import ChangesObserver
from generator.paperfile import format_paper_file
from generator.progress import Progress
from generator.serve import GeneratorSource
from generator.settings import load_project
from tests.conftest import VALID_PAPER, copy_project, run_cli

pytestmark = pytest.mark.slow
PAPER = "scalebio-scalable-bilevel-optimization-for-llm-data"
OTHER_PAPER = "a-survey-on-inference-optimization-techniques-for-mixture-of"


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_for(condition, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


@pytest.fixture
def preview(
    tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[tuple[Path, str, Path, subprocess.Popen[bytes]]]:
    """A running preview of a copy of the bundled archive; `--poll` when the test is
    parametrized with `watching="poll"`."""
    polling = ["--poll"] if getattr(request, "param", "events") == "poll" else []
    root = copy_project(tmp_path / "archive")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "generator",
                "--root",
                str(root),
                "serve",
                "--dev-addr",
                f"127.0.0.1:{port}",
                *polling,
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}/"
        try:
            assert wait_for(lambda: fetch(base)[0] == 200, timeout=60), log.read_text()
            yield root, base, log, server
        finally:
            server.terminate()
            server.wait(timeout=10)


@pytest.mark.parametrize("preview", ["events", "poll"], indirect=True)
def test_edits_new_files_deletions_and_errors_reach_the_preview(
    preview: tuple[Path, str, Path, subprocess.Popen[bytes]],
) -> None:
    root, base, log, _ = preview
    paper_file = root / "papers" / f"{PAPER}.yaml"
    paper_file.write_text(
        paper_file.read_text().replace("title: 'ScaleBiO: ", "title: 'ScaleBiO, edited: ")
    )
    assert wait_for(lambda: "ScaleBiO, edited:" in fetch(f"{base}papers/{PAPER}/")[1]), (
        log.read_text()
    )
    # Left out of the rebuild, which changed nothing on it; still served as built.
    assert "Mixture of Experts" in fetch(f"{base}papers/{OTHER_PAPER}/")[1]

    # A new hand-written page links to a paper page by its Markdown name.
    (root / "pages" / "reading.md").write_text(f"# Reading\n\n[ScaleBiO](papers/{PAPER}.md)\n")
    assert wait_for(lambda: f'href="../papers/{PAPER}/"' in fetch(f"{base}reading/")[1]), (
        log.read_text()
    )

    (root / "papers" / "a-new-paper.yaml").write_text(
        VALID_PAPER.replace("data-selection", "data-mixture")
    )
    assert wait_for(lambda: "A Valid Paper" in fetch(f"{base}papers/a-new-paper/")[1]), (
        log.read_text()
    )

    (root / "papers" / "a-new-paper.yaml").unlink()
    assert wait_for(lambda: fetch(f"{base}papers/a-new-paper/")[0] == 404), log.read_text()

    paper_file.write_text(paper_file.read_text().replace("date: 2024-06-28", "date: 2024-02-30"))
    assert wait_for(
        lambda: (
            f"papers/{PAPER}.yaml:" in log.read_text() and "is not a real date" in log.read_text()
        )
    )
    assert "Traceback" not in log.read_text()
    status, page = fetch(f"{base}papers/{PAPER}/")
    assert status == 200 and "ScaleBiO, edited:" in page, "the last good page stays up"
    # The first build shows its steps (a pipe here: plain lines); rebuilds one line each.
    printed = log.read_text()
    assert printed.count("MkDocs writing pages: ") == printed.count("Steps: reading ") == 1
    assert "\r" not in printed


def test_reading_a_watched_file_is_not_a_change(tmp_path: Path) -> None:
    """Each rebuild reads the vocabulary and the hand-written pages; reading is an event to
    inotify too, and must not start another rebuild. Events arrive in order, so once the
    marker written after the reads is seen, any event of the reads would have been."""
    (tmp_path / "paper.yaml").write_text("title: A\n")
    seen: list[str] = []
    marker_seen = threading.Event()

    def record(event: FileSystemEvent) -> None:
        seen.append(f"{type(event).__name__} {Path(str(event.src_path)).name}")
        if Path(str(event.src_path)).name == "marker":
            marker_seen.set()

    handler = FileSystemEventHandler()
    handler.on_any_event = record  # type: ignore[method-assign]
    observer = ChangesObserver()
    observer.schedule(handler, str(tmp_path), recursive=True)
    observer.start()
    try:
        (tmp_path / "paper.yaml").read_bytes()
        (tmp_path / "marker").write_text("written after the reads")
        assert marker_seen.wait(timeout=30)
    finally:
        observer.stop()
        observer.join()
    assert [event for event in seen if not event.endswith(" marker")] == []


def test_each_saved_edit_rebuilds_the_preview_once_and_catches_up_once(
    preview: tuple[Path, str, Path, subprocess.Popen[bytes]],
) -> None:
    root, base, log, _ = preview
    rebuilds = lambda: log.read_text().count("Preview updated in")  # noqa: E731
    assert rebuilds() == 1, log.read_text()
    for path in [*(root / "papers").iterdir(), *(root / "pages").rglob("*.md")]:
        path.read_bytes()
    paper_file = root / "papers" / f"{PAPER}.yaml"
    # Each edit: a first look at the paper's page, then the rest of the site, no more.
    original = paper_file.read_text()
    for count, note in zip((3, 5), ("First reading note.", "Second reading note."), strict=True):
        paper_file.write_text(f"{original}notes: {note}\n")
        assert wait_for(lambda note=note: note in fetch(f"{base}papers/{PAPER}/")[1]), (
            log.read_text()
        )
        assert wait_for(lambda count=count: rebuilds() >= count), log.read_text()
        # Waited for on the page, not for a while: a rebuild started by the reads, or by
        # a rebuild's own reads, would show as one more.
        assert rebuilds() == count, log.read_text()


def test_stopping_the_preview_saves_a_cache_that_matches_its_pages(
    preview: tuple[Path, str, Path, subprocess.Popen[bytes]],
) -> None:
    root, base, log, server = preview
    paper_file = root / "papers" / f"{PAPER}.yaml"
    paper_file.write_text(paper_file.read_text().replace("abstract: ", "abstract: Previewed. "))
    assert wait_for(lambda: "Previewed." in fetch(f"{base}papers/{PAPER}/")[1]), log.read_text()
    # The edit is shown first; related papers follow in a rebuild of their own.
    assert wait_for(lambda: log.read_text().count("Preview updated in") == 3), log.read_text()
    assert FOLLOWS in log.read_text()
    server.terminate()
    assert server.wait(timeout=30) == 0, log.read_text()
    assert (root / CACHE_FILE).is_file()
    result = run_cli("generate", root=root)
    assert "(0 written, " in result.stdout, result.stdout


def test_rebuilds_reuse_compiled_templates_until_a_template_changes(tmp_path: Path) -> None:
    template = tmp_path / "page.html"
    template.write_text("one {{ x }}")
    compiled = CompiledTemplates()

    def environment() -> jinja2.Environment:
        theme = SimpleNamespace(
            dirs=[str(tmp_path)],
            get_env=lambda: jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path)),
        )
        preview_theme(theme, compiled)  # type: ignore[arg-type]
        return theme.get_env()

    assert environment().get_template("page.html").render(x=1) == "one 1"
    compiling = environment()
    compiling.compile = lambda *_, **__: pytest.fail("compiled again")  # type: ignore[method-assign]
    assert compiling.get_template("page.html").render(x=2) == "one 2"
    template.write_text("two {{ x }}")
    assert environment().get_template("page.html").render(x=3) == "two 3"


def test_the_preview_copies_the_same_theme_files_as_mkdocs(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "archive")
    (root / "build" / "docs").mkdir(parents=True)
    config = load_config(config_file=str(root / "mkdocs.yml"))

    def static_theme_files() -> list[str]:
        files = Files([])
        files.add_files_from_theme(config.theme.get_env(), config)
        return [file.src_uri for file in files]

    as_mkdocs_lists = static_theme_files()
    preview_theme(config.theme, CompiledTemplates())
    assert static_theme_files() == as_mkdocs_lists
    assert "assets/favicon.svg" in as_mkdocs_lists  # from theme_overrides
    (root / "theme_overrides" / "assets" / "added.js").write_text("// new\n")
    assert "assets/added.js" in static_theme_files()


def _edited(path: Path, change: Callable[[dict], None]) -> None:
    fields = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(fields)
    path.write_text(format_paper_file(fields), encoding="utf-8")


PREVIEW_EDITS: dict[str, Callable[[Path], None]] = {
    "abstract": lambda root: _edited(
        root / "papers" / f"{PAPER}.yaml", lambda f: f.update(abstract=f"{f['abstract']} More.")
    ),
    "title": lambda root: _edited(
        root / "papers" / f"{PAPER}.yaml", lambda f: f.update(title=f"{f['title']} Edited")
    ),
    "tags": lambda root: _edited(
        root / "papers" / f"{PAPER}.yaml", lambda f: f.update(tags=["data-mixture"])
    ),
    "author": lambda root: _edited(
        root / "papers" / f"{PAPER}.yaml",
        lambda f: f.update(authors=[*f["authors"], "Jiacheng Liu", "Ada Newname"]),
    ),
    "date, into a year new to the archive": lambda root: _edited(
        root / "papers" / f"{PAPER}.yaml", lambda f: f.update(date=datetime.date(1999, 5, 4))
    ),
    "a new paper": lambda root: (root / "papers" / "a-new-paper.yaml").write_text(VALID_PAPER),
    "a deleted paper": lambda root: (root / "papers" / f"{OTHER_PAPER}.yaml").unlink(),
    "a hand-written page": lambda root: (root / "pages" / "about.md").write_text(
        f"# About\n\nStart with [ScaleBiO](papers/{PAPER}.md#cite).\n"
    ),
}


def test_the_preview_rebuilds_each_edit_as_a_full_build_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After each edit settles, the preview's folder holds what a full build of the same
    pages writes, byte for byte, though only the changed pages were rendered again."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1762992000")
    root = copy_project(tmp_path / "archive")
    project = load_project(root)
    source = GeneratorSource(project, lambda text, error: pytest.fail(text) if error else None)
    serve_url = "http://127.0.0.1:8000/"
    preview = PreviewSite(project, tmp_path / "preview", serve_url)
    preview.update(_regenerated(source, first=True), MkDocsSteps(Progress()))
    assert preview.kept is not None
    # The theme's static templates, which every page loads, are rendered here too.
    assert "__pa_palette=[[" in (preview.site_dir / "javascripts" / "head.js").read_text()
    for number, (kind, edit) in enumerate(PREVIEW_EDITS.items()):
        edit(root)
        kept, result = preview.kept, _regenerated(source, first=False)
        assert result.same_settings and result.written, kind
        preview.update(result, MkDocsSteps(Progress()))
        while result.first_look:  # the rest of the site follows a first look at an edit
            result = _regenerated(source, first=False)
            preview.update(result, MkDocsSteps(Progress()))
        assert preview.kept is kept, f"{kind}: built in full"
        fresh = PreviewSite(project, tmp_path / f"fresh-{number}", serve_url)
        fresh.update(Regenerated((), (), ""), MkDocsSteps(Progress()))
        assert _tree(preview.site_dir) == _tree(fresh.site_dir), kind


def _regenerated(source: GeneratorSource, first: bool) -> Regenerated:
    result = source.regenerate(first, Progress())
    assert result is not None
    return result


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_an_edit_shows_on_its_paper_page_first_and_in_the_lists_right_after(
    tmp_path: Path,
) -> None:
    """A title edit is written to the paper's own page in one run, and to the pages that
    list the paper (tags, years, authors) in the next (`again`): the edit shows before
    every page is keyed. The settled site is a full build's (the test above)."""
    root = copy_project(tmp_path / "archive")
    project = load_project(root)
    source = GeneratorSource(project, lambda text, error: pytest.fail(text) if error else None)
    _regenerated(source, first=True)

    def showing(text: str) -> set[str]:
        docs = project.docs_dir
        pages = docs.rglob("*.md")
        return {p.relative_to(docs).as_posix() for p in pages if text in p.read_text("utf-8")}

    _edited(root / "papers" / f"{PAPER}.yaml", lambda f: f.update(title="Retitled Paper"))
    first = _regenerated(source, first=False)
    shown_first = showing("Retitled Paper")
    assert first.first_look and f"papers/{PAPER}.md" in shown_first
    second = _regenerated(source, first=False)
    assert not second.first_look and shown_first < showing("Retitled Paper")


def test_the_preview_keeps_the_archive_wide_downloads_plain(tmp_path: Path) -> None:
    """Every edit changes `papers.bib` and its kind: a preview does not compress them
    again on each save, even where the settings ask `build` to."""
    root = copy_project(tmp_path / "archive")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "extra:\n", "extra:\n  compress_downloads: true\n", 1
        ),
        encoding="utf-8",
    )
    project = load_project(root)
    assert project.site.downloads_compressed(1)
    source = GeneratorSource(project, lambda text, error: pytest.fail(text) if error else None)
    _regenerated(source, first=True)
    assert (project.docs_dir / "papers.bib").is_file()
    assert not list(project.docs_dir.glob("papers*.gz"))


def test_a_first_look_at_a_new_author_warns_of_no_link_the_next_rebuild_makes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The first look links a new author's entry on a letter page only the rebuild after
    it writes: no warning then, and none once it is written."""
    root = copy_project(tmp_path / "archive")
    project = load_project(root)
    source = GeneratorSource(project, lambda text, error: pytest.fail(text) if error else None)
    preview = PreviewSite(project, tmp_path / "preview", "http://127.0.0.1:8000/")
    preview.update(_regenerated(source, first=True), MkDocsSteps(Progress()))
    _edited(
        root / "papers" / f"{PAPER}.yaml",
        lambda f: f.update(authors=[*f["authors"], "Quinn Qzzyxian"]),
    )
    caplog.clear()
    first = _regenerated(source, first=False)
    assert first.first_look
    preview.update(first, MkDocsSteps(Progress()))
    page = (preview.site_dir / "papers" / PAPER / "index.html").read_text(encoding="utf-8")
    assert 'authors/q/#quinn-qzzyxian"' in page
    catching_up = _regenerated(source, first=False)
    assert not catching_up.first_look
    preview.update(catching_up, MkDocsSteps(Progress()))
    assert 'id="quinn-qzzyxian"' in (preview.site_dir / "authors" / "q" / "index.html").read_text()
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]
