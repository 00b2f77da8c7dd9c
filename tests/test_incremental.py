"""Incremental generation (generator/incremental/): a cached run writes the same bytes as
a run from nothing, after every kind of edit a curator makes, and skips what did not change."""

from __future__ import annotations

import dataclasses
import datetime
import os
import shutil
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml

from generator.incremental import CACHE_FILE
from generator.model import Paper
from generator.pipeline import generate, load_project, open_cache
from generator.serve import SettingsWatch
from tests.conftest import SAMPLE_PAPERS, copy_project, published_paper_files

# The papers edited: the first two published files of the sample archive, whatever they are.
SUBJECT, OTHER = (path.stem for path in published_paper_files(SAMPLE_PAPERS)[:2])
KEPT_PAGE = "reading-list.md"
"""A hand-written page every archive here starts with, so removing one needs no earlier edit."""


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


def sample_copy(destination: Path) -> Path:
    """Copy the sample archive, with one more hand-written page."""
    root = copy_project(destination)
    (root / "pages" / KEPT_PAGE).write_text("# Reading list\n", encoding="utf-8")
    return root


def spy(monkeypatch: pytest.MonkeyPatch, name: str, record: Callable[..., object]) -> list[object]:
    """Wrap `<module>.<name>` (`pipeline.generate`'s or `incremental`'s); return the list of
    what `record` makes of each call."""
    import generator.incremental.stages as incremental
    import generator.pipeline as pipeline

    build = pipeline if hasattr(pipeline, name) else incremental
    calls: list[object] = []
    original = getattr(build, name)

    def spying(*arguments, **keywords):  # type: ignore[no-untyped-def]
        calls.append(record(*arguments, **keywords))
        return original(*arguments, **keywords)

    monkeypatch.setattr(build, name, spying)
    return calls


def read_yaml(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def write_yaml(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def change(paper_id: str, key: str, new: Callable[[Any], Any]) -> Callable[[Path], None]:
    """An edit setting `key` of a paper to `new(its value)` (None when absent); the file
    is written back as plain YAML, so no edit depends on how the paper is worded."""

    def edit(papers: Path) -> None:
        path = papers / f"{paper_id}.yaml"
        data = read_yaml(path)
        data[key] = new(data.get(key))
        write_yaml(path, data)

    return edit


def other_tags(papers: Path) -> None:
    """Swap the subject's last tag for a vocabulary tag it does not have."""
    path = papers / f"{SUBJECT}.yaml"
    data = read_yaml(path)
    spare = next(slug for slug in read_yaml(papers / "_tags.yaml") if slug not in data["tags"])
    data["tags"] = [*data["tags"][:-1], spare]
    write_yaml(path, data)


def retitle_first_tag(papers: Path) -> None:
    vocabulary = read_yaml(papers / "_tags.yaml")
    first = next(iter(vocabulary.values()))
    first["title"] += " & more"
    write_yaml(papers / "_tags.yaml", vocabulary)


def add_paper(papers: Path) -> None:
    """Add a copy of the subject under another name, title and identifiers."""
    data = read_yaml(papers / f"{SUBJECT}.yaml")
    data["title"] = f"Another Look at {data['title']}"
    if "arxiv" in data:
        data["arxiv"] = "2401.99999"
    if "doi" in data:
        data["doi"] = f"{data['doi']}.copy"
    write_yaml(papers / "another-look.yaml", data)


def _authors_of(papers: Path) -> dict[str, list[str]]:
    """Each author of the published papers, with the ids of their papers in file order."""
    found: dict[str, list[str]] = {}
    for path in published_paper_files(papers):
        for name in read_yaml(path)["authors"]:
            found.setdefault(name, []).append(path.stem)
    return found


def second_paper_for_an_author(papers: Path) -> None:
    """Add the subject's last one-paper author to the other paper: they now have a page,
    and every page naming them links to it."""
    authors = _authors_of(papers)
    name = next(
        n
        for n in reversed(read_yaml(papers / f"{SUBJECT}.yaml")["authors"])
        if len(authors[n]) == 1
    )
    change(OTHER, "authors", lambda names: [*names, name])(papers)


def one_paper_left_for_an_author(papers: Path) -> None:
    """Take an author of two papers off the second, who has more authors: their page goes."""
    authors = _authors_of(papers)
    name, (_, second) = next(
        (name, ids)
        for name, ids in sorted(authors.items())
        if len(ids) == 2 and len(read_yaml(papers / f"{ids[1]}.yaml")["authors"]) > 1
    )
    change(second, "authors", lambda names: [n for n in names if n != name])(papers)


def orcid_for_an_author(papers: Path) -> None:
    """Give the subject's first author an ORCID iD: their page, their entry and, where they
    had other spellings or namesakes, every byline naming them may change."""
    name = read_yaml(papers / f"{SUBJECT}.yaml")["authors"][0]
    change(SUBJECT, "orcid", lambda _: {name: "0000-0002-1825-0097"})(papers)


EDITS: dict[str, Callable[[Path], None]] = {
    "abstract": change(SUBJECT, "abstract", lambda abstract: f"Revised. {abstract}"),
    "title": change(SUBJECT, "title", lambda title: f"Revised: {title}"),
    "author renamed": change(SUBJECT, "authors", lambda names: [*names[:-1], f"{names[-1]}-Zhou"]),
    "author's second paper": second_paper_for_an_author,
    "author's one paper left": one_paper_left_for_an_author,
    "orcid added": orcid_for_an_author,
    "tags": other_tags,
    "date": change(SUBJECT, "date", lambda date: datetime.date(date.year - 1, date.month, 1)),
    "notes": change(SUBJECT, "notes", lambda _: "Read *this* first."),
    "vocabulary": retitle_first_tag,
    "added date": change(
        SUBJECT,
        "added",
        lambda added: (added or datetime.date(2025, 1, 1)) + datetime.timedelta(14),
    ),
    "hand-written page added": lambda papers: (papers.parent / "pages" / "glossary.md").write_text(
        "# Glossary\n", encoding="utf-8"
    ),
    "hand-written page removed": lambda papers: (papers.parent / "pages" / KEPT_PAGE).unlink(),
    "paper added": add_paper,
    "paper deleted": lambda papers: (papers / f"{OTHER}.yaml").unlink(),
}


UPDATING_THE_INDEX = {"abstract", "notes", "hand-written page added", "hand-written page removed"}
"""Edits after which the last run's indexes are updated (`index.with_edited`): no paper's
`pagekeys.indexed_fields` changed."""


def rename_subject(papers: Path) -> None:
    """A new id: the file renamed, so every page naming the paper links elsewhere."""
    (papers / f"{SUBJECT}.yaml").rename(papers / f"{SUBJECT}-renamed.yaml")


def edit_hand_written_page(papers: Path) -> None:
    page = papers.parent / "pages" / KEPT_PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more paper.\n", encoding="utf-8")


FIELD_EDITS: dict[str, Callable[[Path], None]] = {
    "id": rename_subject,
    "title": EDITS["title"],
    "authors": EDITS["author renamed"],
    "date": EDITS["date"],
    "tags": other_tags,
    "abstract": EDITS["abstract"],
    "et_al": change(SUBJECT, "et_al", lambda _: True),
    "orcid": orcid_for_an_author,
    "arxiv": change(SUBJECT, "arxiv", lambda _: "2312.99999"),
    "arxiv_category": change(SUBJECT, "arxiv_category", lambda _: "cs.CL"),
    "doi": change(SUBJECT, "doi", lambda _: "10.1234/edited.5678"),
    "venue": change(SUBJECT, "venue", lambda _: "NeurIPS 2031"),
    "links": change(
        SUBJECT, "links", lambda links: {**(links or {}), "code": "https://example.org/c"}
    ),
    "organization": change(SUBJECT, "organization", lambda _: "Edited Lab"),
    "upvotes": change(SUBJECT, "upvotes", lambda upvotes: (upvotes or 0) + 4242),
    "added": EDITS["added date"],
    "notes": EDITS["notes"],
}
"""An edit of each field of `Paper` in a paper file, by field name."""
OTHER_SOURCES: dict[str, Callable[[Path], None]] = {
    "vocabulary": retitle_first_tag,
    "hand-written page": edit_hand_written_page,
}


def test_every_field_of_a_paper_has_an_edit() -> None:
    """A field added to `Paper` fails here until the every-field test below edits it."""
    fields = {field.name for field in dataclasses.fields(Paper) if field.name != "source"}
    assert set(FIELD_EDITS) == fields


@pytest.fixture(scope="module")
def generated_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive generated once (pages and cache); tests edit copies of it."""
    root = sample_copy(tmp_path_factory.mktemp("incremental") / "archive")
    generate(load_project(root))
    return root


@pytest.fixture
def generated_copy(generated_once: Path, tmp_path: Path) -> Path:
    """A copy of the generated sample archive of this test's own: no test sees another's
    edits, whatever the order they run in. Modification times are copied too, so the
    cache holds for the copy."""
    return shutil.copytree(generated_once, tmp_path / "archive", symlinks=True)


@pytest.mark.parametrize("edit", list(EDITS))
def test_after_each_kind_of_edit_the_cached_run_writes_what_a_fresh_run_writes(
    generated_copy: Path, tmp_path: Path, edit: str
) -> None:
    root = generated_copy
    EDITS[edit](root / "papers")
    generate(load_project(root))
    assert (root / CACHE_FILE).is_file()
    assert generated(root) == from_nothing(root, tmp_path / "fresh")


def test_a_cache_kept_in_memory_writes_what_a_fresh_run_writes_after_each_kind_of_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The live preview's way: one cache object through every edit, its indexes updated
    in place of being built anew when the edit allows (`index.with_edited`)."""
    root = sample_copy(tmp_path / "archive")
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
    assert f"papers/{SUBJECT}.md" in written
    assert not {
        path for path in written if path.startswith(("tags/", "authors/", "author-", "timeline/"))
    }


def test_an_edit_no_other_page_shows_plans_only_that_papers_page(
    generated_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = generated_copy
    EDITS["notes"](root / "papers")
    planned = spy(monkeypatch, "plan_pages", lambda *arguments: arguments[3])
    result = generate(load_project(root))
    assert planned == [frozenset({SUBJECT})]
    assert result.page_count == len(generated(root))
    assert generated(root) == from_nothing(root, tmp_path / "fresh")


def test_a_generated_page_changed_or_deleted_by_hand_is_written_again(generated_copy: Path) -> None:
    root = generated_copy
    docs = root / "build" / "docs"
    expected = generated(root)
    (docs / "papers" / f"{SUBJECT}.md").write_text("edited by hand", encoding="utf-8")
    (docs / "tags" / f"{read_yaml(root / 'papers' / f'{SUBJECT}.yaml')['tags'][0]}.md").unlink()
    generate(load_project(root))
    assert generated(root) == expected


def test_an_edit_within_the_same_clock_tick_and_size_is_still_seen(tmp_path: Path) -> None:
    """A file saved twice in one modification-time tick, same size: only its bytes differ."""
    root = copy_project(tmp_path / "archive")
    paper = root / "papers" / f"{SUBJECT}.yaml"
    os.utime(paper)  # saved just now,
    generate(load_project(root))  # and read moments later: a "racy" entry
    stat = paper.stat()
    text = paper.read_text(encoding="utf-8")
    start = text.index("title:") + len("title:")
    at = next(i for i in range(start, len(text)) if text[i].isascii() and text[i].isalpha())
    paper.write_text(text[:at] + text[at].swapcase() + text[at + 1 :], encoding="utf-8")
    os.utime(paper, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (paper.stat().st_size, paper.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    generate(load_project(root))
    page = (root / "build" / "docs" / "papers" / f"{SUBJECT}.md").read_text(encoding="utf-8")
    assert read_yaml(paper)["title"] in page


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
    # Feeds and papers.csv give absolute addresses (a paper page's are in MkDocs' canonical link).
    feed = (root / "build" / "docs" / "feed.xml").read_text(encoding="utf-8")
    assert "https://example.org/archive/papers/" in feed
    assert generated(root) == from_nothing(root, tmp_path / "fresh")


def test_the_cache_is_gone_while_pages_are_being_written(
    generated_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deleted before the first page changes, written after the last: a kill leaves none."""
    root = generated_copy
    EDITS["abstract"](root / "papers")
    seen = spy(monkeypatch, "write_streams", lambda *_, **__: (root / CACHE_FILE).exists())
    generate(load_project(root))
    assert seen == [False]
    assert (root / CACHE_FILE).is_file()
    assert PurePosixPath(CACHE_FILE.as_posix()).parts[0] == "build"


@pytest.mark.parametrize("edit", [*FIELD_EDITS, *OTHER_SOURCES])
def test_an_edit_of_every_field_and_source_writes_what_a_fresh_run_writes(
    generated_copy: Path, tmp_path: Path, edit: str
) -> None:
    """With the cache file (a new process each time), then with the cache kept in memory
    (the live preview's way, which also reuses the last run's indexes)."""
    root = generated_copy
    kept_root = shutil.copytree(root, tmp_path / "kept", symlinks=True)
    project = load_project(kept_root)
    cache = open_cache(project)
    generate(project, cache=cache, workers=1)
    FIELD_EDITS.get(edit, OTHER_SOURCES.get(edit))(root / "papers")  # type: ignore[misc]
    FIELD_EDITS.get(edit, OTHER_SOURCES.get(edit))(kept_root / "papers")  # type: ignore[misc]
    generate(load_project(root))
    generate(project, cache=cache, workers=1)
    fresh = from_nothing(root, tmp_path / "fresh")
    assert generated(root) == fresh
    assert generated(kept_root) == fresh


def test_compressed_downloads_follow_each_edit_and_a_switch_of_the_setting(
    tmp_path: Path,
) -> None:
    """The archive-wide files gzip-compressed (`extra.compress_downloads`), with a cache
    kept in memory: an unchanged run writes nothing, an edit what a fresh run writes, and
    a switch of the setting leaves no file of the other kind."""
    root = sample_copy(tmp_path / "archive")
    config = root / "mkdocs.yml"
    settings = config.read_text(encoding="utf-8")
    config.write_text(settings.replace("\nextra:\n", "\nextra:\n  compress_downloads: true\n"))
    project = load_project(root)
    cache = open_cache(project)
    generate(project, cache=cache, workers=1)
    assert {"papers.bib.gz", "papers.json.gz"} <= generated(root).keys()
    assert generate(project, cache=cache, workers=1).report.written == ()
    for edit in ("abstract", "title", "vocabulary", "paper added"):
        EDITS[edit](root / "papers")
        written = generate(project, cache=cache, workers=1).report.written
        assert any(path.suffix == ".gz" for path in written), edit
        assert generated(root) == from_nothing(root, tmp_path / "fresh"), edit
    config.write_text(settings, encoding="utf-8")  # automatic: plain, the sample being small
    generate(load_project(root), cache=cache, workers=1)
    files = generated(root)
    assert "papers.bib" in files and not [name for name in files if name.endswith(".gz")]
    assert files == from_nothing(root, tmp_path / "fresh")


def test_a_preview_sees_each_change_to_its_settings_and_theme(tmp_path: Path) -> None:
    config, theme = tmp_path / "mkdocs.yml", tmp_path / "theme_overrides"
    config.write_text("site_name: A\n")
    (theme / "partials").mkdir(parents=True)
    watch = SettingsWatch((config, theme))
    assert not watch.unchanged()  # a first look knows nothing before it
    assert watch.unchanged()
    config.write_text("site_name: B\n")
    assert not watch.unchanged()
    (theme / "partials" / "header.html").write_text("<header></header>")
    assert not watch.unchanged()
    (theme / "partials" / "header.html").unlink()
    assert not watch.unchanged()
    assert watch.unchanged()
