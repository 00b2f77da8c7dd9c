"""The generator's cache (generator/cache.py): a cached run writes the same bytes as a run
from nothing, after every kind of edit a curator makes, and skips what did not change."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pytest
import yaml

from generator.build import generate, load_project, open_cache
from generator.cache import CACHE_FILE
from tests.conftest import copy_project

SCALEBIO = "scalebio-scalable-bilevel-optimization-for-llm-data"
MOE_SURVEY = "a-survey-on-inference-optimization-techniques-for-mixture-of"


def generated(root: Path) -> dict[str, bytes]:
    docs = load_project(root).docs_dir
    return {
        path.relative_to(docs).as_posix(): path.read_bytes()
        for path in sorted(docs.rglob("*"))
        if path.is_file()
    }


def from_nothing(root: Path, scratch: Path) -> dict[str, bytes]:
    """Generate a copy of `root`'s sources with no cache and no earlier pages."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    for name in ("mkdocs.yml", "papers", "pages", "theme_overrides"):
        source = root / name
        if source.is_dir():
            shutil.copytree(source, scratch / name)
        else:
            shutil.copy(source, scratch / name)
    generate(load_project(scratch))
    return generated(scratch)


def spy(monkeypatch: pytest.MonkeyPatch, name: str, record: Callable[..., object]) -> list[object]:
    """Wrap `generator.build.<name>`; return the list of what `record` makes of each call."""
    import generator.build as build

    calls: list[object] = []
    original = getattr(build, name)

    def spying(*arguments, **keywords):  # type: ignore[no-untyped-def]
        calls.append(record(*arguments, **keywords))
        return original(*arguments, **keywords)

    monkeypatch.setattr(build, name, spying)
    return calls


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_paper(papers: Path) -> None:
    source = (papers / f"{MOE_SURVEY}.yaml").read_text(encoding="utf-8")
    copy = source.replace("arxiv: '2412.14219'", "arxiv: '2412.99999'").replace(
        "title: A Survey on", "title: Another Survey on"
    )
    (papers / "another-survey.yaml").write_text(copy, encoding="utf-8")


EDITS: dict[str, Callable[[Path], None]] = {
    "abstract": lambda papers: replace_in(
        papers / f"{SCALEBIO}.yaml", "abstract: ", "abstract: Revised. "
    ),
    "title": lambda papers: replace_in(
        papers / f"{MOE_SURVEY}.yaml", "title: A Survey", "title: The Survey"
    ),
    "author renamed": lambda papers: replace_in(
        papers / f"{MOE_SURVEY}.yaml", "- Peng Tang", "- Peng Tang-Zhou"
    ),
    "tags": lambda papers: replace_in(
        papers / f"{MOE_SURVEY}.yaml", "- model-compression\n", "- benchmark\n"
    ),
    "date": lambda papers: replace_in(
        papers / f"{MOE_SURVEY}.yaml", "date: 2024-12-18", "date: 2023-01-05"
    ),
    "notes": lambda papers: replace_in(
        papers / f"{MOE_SURVEY}.yaml",
        "added: 2025-11-13",
        "notes: Read *this* first.\nadded: 2025-11-13",
    ),
    "vocabulary": lambda papers: replace_in(
        papers / "_tags.yaml", "title: Benchmarks", "title: Benchmarks & suites"
    ),
    "added date": lambda papers: replace_in(
        papers / f"{MOE_SURVEY}.yaml", "added: 2025-11-13", "added: 2025-11-27"
    ),
    "hand-written page added": lambda papers: (papers.parent / "pages" / "reading.md").write_text(
        "# Reading list\n", encoding="utf-8"
    ),
    "hand-written page removed": lambda papers: (papers.parent / "pages" / "reading.md").unlink(),
    "paper added": add_paper,
    "paper deleted": lambda papers: (papers / f"{SCALEBIO}.yaml").unlink(),
}


UPDATING_THE_INDEX = {"abstract", "notes", "hand-written page added", "hand-written page removed"}
"""Edits after which `index.reindexed` updates the last run's indexes: no paper's
`indexed_fields` changed."""


@pytest.fixture
def generated_copy(tmp_path: Path) -> Path:
    """A copy of the bundled archive, generated once (pages and cache)."""
    root = copy_project(tmp_path / "archive")
    generate(load_project(root))
    return root


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("incremental") / "archive")
    generate(load_project(root))
    return root


@pytest.mark.parametrize("edit", list(EDITS))
def test_after_each_kind_of_edit_the_cached_run_writes_what_a_fresh_run_writes(
    project: Path, tmp_path: Path, edit: str
) -> None:
    EDITS[edit](project / "papers")
    generate(load_project(project))
    assert (project / CACHE_FILE).is_file()
    assert generated(project) == from_nothing(project, tmp_path / "fresh")


def test_a_cache_kept_in_memory_writes_what_a_fresh_run_writes_after_each_kind_of_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The live preview's way: one cache object through every edit, its indexes updated
    in place of being built anew when the edit allows (`index.reindexed`)."""
    root = copy_project(tmp_path / "archive")
    project = load_project(root)
    cache = open_cache(project)
    generate(project, cache=cache, workers=1)
    built = spy(monkeypatch, "build_indexes", lambda *_, **__: True)
    for name, edit in EDITS.items():
        built.clear()
        edit(root / "papers")
        generate(project, cache=cache, workers=1)
        assert bool(built) == (name not in UPDATING_THE_INDEX), name
        assert generated(root) == from_nothing(root, tmp_path / "fresh"), name


def test_an_unchanged_archive_renders_nothing_and_writes_nothing(generated_copy: Path) -> None:
    root = generated_copy
    before = {path: path.stat().st_mtime_ns for path in (root / "build" / "docs").rglob("*")}
    report = generate(load_project(root)).report
    assert report.written == () and report.deleted == ()
    assert {path: path.stat().st_mtime_ns for path in before} == before


def test_one_abstract_edit_rewrites_its_page_and_the_downloads_only(generated_copy: Path) -> None:
    root = generated_copy
    EDITS["abstract"](root / "papers")
    written = {path.as_posix() for path in generate(load_project(root)).report.written}
    assert f"papers/{SCALEBIO}.md" in written
    assert not {path for path in written if path.startswith(("tags/", "authors/", "timeline/"))}


def test_an_edit_no_other_page_shows_plans_only_that_papers_page(
    generated_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generated_copy
    EDITS["notes"](root / "papers")
    planned = spy(monkeypatch, "plan_pages", lambda *arguments: arguments[4])
    result = generate(load_project(root))
    assert planned == [frozenset({MOE_SURVEY})]
    assert result.page_count == len(generated(root))
    assert generated(root) == from_nothing(root, tmp_path / "fresh")


def test_related_papers_left_for_later_are_brought_up_to_date_by_the_next_run(
    generated_copy: Path,
    tmp_path: Path,
) -> None:
    root = generated_copy
    papers = root / "papers"
    survey = yaml.safe_load((papers / f"{MOE_SURVEY}.yaml").read_text(encoding="utf-8"))
    replace_in(papers / f"{SCALEBIO}.yaml", "abstract: ", f"abstract: {survey['title']}. ")
    first = generate(load_project(root), related_later=True)
    assert first.related_pending
    assert f"papers/{SCALEBIO}.md" in {path.as_posix() for path in first.report.written}
    fresh = from_nothing(root, tmp_path / "fresh")
    assert generated(root) != fresh  # the related lists are the last run's
    assert not generate(load_project(root)).related_pending
    assert generated(root) == fresh


def test_related_papers_are_not_left_for_later_when_a_paper_is_added(
    generated_copy: Path, tmp_path: Path
) -> None:
    root = generated_copy
    add_paper(root / "papers")
    assert not generate(load_project(root), related_later=True).related_pending
    assert generated(root) == from_nothing(root, tmp_path / "fresh")


def test_a_generated_page_changed_or_deleted_by_hand_is_written_again(generated_copy: Path) -> None:
    root = generated_copy
    docs = root / "build" / "docs"
    expected = generated(root)
    (docs / "papers" / f"{SCALEBIO}.md").write_text("edited by hand", encoding="utf-8")
    (docs / "tags" / "llm-inference.md").unlink()
    generate(load_project(root))
    assert generated(root) == expected


def test_an_edit_within_the_same_clock_tick_and_size_is_still_seen(tmp_path: Path) -> None:
    """A file saved twice in one modification-time tick, same size: only its bytes differ."""
    root = copy_project(tmp_path / "archive")
    paper = root / "papers" / f"{SCALEBIO}.yaml"
    os.utime(paper)  # saved just now,
    generate(load_project(root))  # and read moments later: a "racy" entry
    stat = paper.stat()
    replace_in(paper, "title: 'ScaleBiO: ", "title: 'ScaleBIO: ")
    os.utime(paper, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (paper.stat().st_size, paper.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    generate(load_project(root))
    page = (root / "build" / "docs" / "papers" / f"{SCALEBIO}.md").read_text(encoding="utf-8")
    assert "ScaleBIO: Scalable" in page


def test_a_damaged_cache_is_ignored(generated_copy: Path, tmp_path: Path) -> None:
    root = generated_copy
    expected = generated(root)
    (root / CACHE_FILE).write_bytes(b"not a pickle")
    EDITS["title"](root / "papers")
    generate(load_project(root))
    assert generated(root) == from_nothing(root, tmp_path / "fresh")
    assert generated(root) != expected


def test_a_new_site_address_reaches_every_page(
    generated_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generated_copy
    monkeypatch.setenv("SITE_URL", "https://example.org/archive/")
    generate(load_project(root))
    page = (root / "build" / "docs" / "papers" / f"{SCALEBIO}.md").read_text(encoding="utf-8")
    assert "https://example.org/archive/papers/" in page
    assert generated(root) == from_nothing(root, tmp_path / "fresh")


def test_the_cache_is_gone_while_pages_are_being_written(
    generated_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deleted before the first page changes, written after the last: a kill leaves none."""
    root = generated_copy
    EDITS["abstract"](root / "papers")
    seen = spy(monkeypatch, "write_pages", lambda *_, **__: (root / CACHE_FILE).exists())
    generate(load_project(root))
    assert seen == [False]
    assert (root / CACHE_FILE).is_file()
    assert PurePosixPath(CACHE_FILE.as_posix()).parts[0] == "build"
