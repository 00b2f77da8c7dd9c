"""The live preview's first look at an edit (generator/incremental/first_look.py): only the
edited paper's own files, placed in the last run's indexes; the run after it writes what a
run from nothing writes."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.incremental.first_look import provisional_index
from generator.index import build_indexes
from generator.model import Archive
from generator.pipeline import GenerateResult, generate, load_archive, load_project, open_cache
from tests.test_incremental import (
    EDITS,
    OTHER,
    SUBJECT,
    add_paper,
    change,
    from_nothing,
    generated,
    read_yaml,
    retitle_first_tag,
    sample_copy,
)

PAPER_EDITS = {
    name: edit
    for name, edit in EDITS.items()
    if not name.startswith(("vocabulary", "hand-written", "paper "))
}
"""The edits that change paper files, none added or deleted."""
RELATED = b"## Related papers"
NEW_NAME = change(SUBJECT, "authors", lambda names: [*names, "Quentin Newcomer-Xylo"])
NEW_VENUE = change(SUBJECT, "venue", lambda _: "Workshop on Untried Ideas 2031")
PLACED_AS_A_FULL_BUILD_PLACES = {
    "title": EDITS["title"],
    "abstract": EDITS["abstract"],
    "date": EDITS["date"],
    "tags": EDITS["tags"],
    "new author": NEW_NAME,
    "new venue": NEW_VENUE,
    "earlier year": change(SUBJECT, "date", lambda _: datetime.date(1999, 1, 1)),
}
"""Edits whose paper a first look places in the indexes exactly as a full build does: no
new slug or citation key clashes with another, no author gains or loses a page."""


def own_files(paper_id: str) -> set[str]:
    return {f"papers/{paper_id}.md", f"papers/{paper_id}.ris", f"papers/{paper_id}.csl.json"}


def paper_files(root: Path) -> dict[str, bytes]:
    """Each paper file's bytes, by paper id."""
    return {path.stem: path.read_bytes() for path in (root / "papers").glob("*.yaml")}


class Preview:
    """Generation as the live preview runs it: one cache in memory, a first look at each
    edit, then a run catching up."""

    def __init__(self, root: Path):
        self.project = load_project(root)
        self.cache = open_cache(self.project)
        generate(self.project, cache=self.cache, workers=1)

    def first_look(self) -> GenerateResult:
        return generate(self.project, cache=self.cache, workers=1, first_look=True)

    def catch_up(self) -> GenerateResult:
        return generate(self.project, cache=self.cache, workers=1)


def edited_in_preview(
    tmp_path: Path, edit: Callable[[Path], None]
) -> tuple[Path, Preview, set[str]]:
    """A copy of the sample archive, previewed, then changed by `edit`; with the preview
    and the ids of the papers whose files the edit changed."""
    root = sample_copy(tmp_path / "archive")
    preview = Preview(root)
    before = paper_files(root)
    edit(root / "papers")
    return root, preview, {name for name, text in paper_files(root).items() if before[name] != text}


@pytest.mark.parametrize("edit", list(PAPER_EDITS))
def test_a_first_look_writes_the_edited_papers_files_and_the_next_run_all_the_rest(
    tmp_path: Path, edit: str
) -> None:
    root, preview, edited = edited_in_preview(tmp_path, PAPER_EDITS[edit])
    first = preview.first_look()
    assert first.first_look
    assert {p.as_posix() for p in first.report.written} <= set().union(*map(own_files, edited))
    assert not first.report.deleted
    assert not preview.catch_up().first_look
    assert generated(root) == from_nothing(root, tmp_path / "fresh")


@pytest.mark.parametrize("edit", list(PLACED_AS_A_FULL_BUILD_PLACES))
def test_a_first_look_at_an_edit_shows_the_page_a_full_build_shows(
    tmp_path: Path, edit: str
) -> None:
    root, preview, _ = edited_in_preview(tmp_path, PLACED_AS_A_FULL_BUILD_PLACES[edit])
    assert preview.first_look().first_look
    shown_first = generated(root)
    preview.catch_up()
    settled = generated(root)
    for path in own_files(SUBJECT):
        # Related papers are the last run's in a first look (the catching up finds them).
        first, then = (pages[path].partition(RELATED)[0] for pages in (shown_first, settled))
        assert first == then, path


@pytest.mark.parametrize(
    "edit",
    [add_paper, lambda papers: (papers / f"{OTHER}.yaml").unlink(), retitle_first_tag],
    ids=["paper added", "paper deleted", "vocabulary"],
)
def test_no_first_look_when_papers_or_tags_come_or_go(
    tmp_path: Path, edit: Callable[[Path], None]
) -> None:
    """Pages come or go then, which the last run's indexes cannot place."""
    root = sample_copy(tmp_path / "archive")
    preview = Preview(root)
    edit(root / "papers")
    assert not preview.first_look().first_look
    preview.catch_up()
    assert generated(root) == from_nothing(root, tmp_path / "fresh")


def test_related_papers_as_a_first_look_left_them_are_found_by_the_next_run(
    tmp_path: Path,
) -> None:
    root = sample_copy(tmp_path / "archive")
    papers = root / "papers"
    related = build_indexes(load_archive(load_project(root))[0]).related
    subject = read_yaml(papers / f"{SUBJECT}.yaml")
    # A paper not yet related to the subject, given the subject's words: now it is.
    unrelated = next(paper for paper in sorted(related) if SUBJECT not in (paper, *related[paper]))
    preview = Preview(root)
    words = f"{subject['title']}. {subject['abstract']}"
    change(unrelated, "abstract", lambda abstract: f"{words} {abstract}")(papers)
    first = preview.first_look()
    assert f"papers/{unrelated}.md" in {path.as_posix() for path in first.report.written}
    fresh = from_nothing(root, tmp_path / "fresh")
    assert generated(root) != fresh  # the related lists are the last run's
    assert not preview.catch_up().first_look
    assert generated(root) == fresh


def test_an_unchanged_archive_gets_no_first_look(tmp_path: Path) -> None:
    root = sample_copy(tmp_path / "archive")
    result = Preview(root).first_look()
    assert not result.first_look and not result.report.written


def test_a_provisional_index_places_a_new_name_venue_and_key_as_a_full_index(
    tmp_path: Path,
) -> None:
    root = sample_copy(tmp_path / "archive")
    before = build_indexes(load_archive(load_project(root))[0], {})
    NEW_NAME(root / "papers")
    NEW_VENUE(root / "papers")
    EDITS["title"](root / "papers")
    archive: Archive = load_archive(load_project(root))[0]
    edited = {p.id: p for p in archive.papers if p.id == SUBJECT}
    full = build_indexes(archive, {})
    placed = provisional_index(before, edited)
    assert placed.by_id[SUBJECT] is edited[SUBJECT]
    assert placed.bylines[SUBJECT] == full.bylines[SUBJECT]
    assert placed.citation_keys[SUBJECT] == full.citation_keys[SUBJECT]
    assert placed.venue_of[SUBJECT].slug == full.venue_of[SUBJECT].slug
    assert placed.bylines[OTHER] is before.bylines[OTHER]
