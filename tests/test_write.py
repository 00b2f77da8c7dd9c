"""Stage 6: only changed files are written, stale ones removed, nothing outside the folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

import pytest

from generator.errors import OutputError
from generator.write import merge_pages, write_pages, write_streams

P = PurePosixPath


def test_writes_new_pages_and_reports_them(tmp_path: Path) -> None:
    report = write_pages({P("index.md"): "home", P("papers/a.md"): "a"}, tmp_path)
    assert report.written == (P("index.md"), P("papers/a.md"))
    assert (tmp_path / "papers" / "a.md").read_text() == "a"


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    write_pages({P("a.md"): "same", P("b.md"): "old"}, tmp_path)
    os.utime(tmp_path / "a.md", (1, 1))
    report = write_pages({P("a.md"): "same", P("b.md"): "new"}, tmp_path)
    assert report.written == (P("b.md"),)
    assert report.unchanged == 1
    assert (tmp_path / "a.md").stat().st_mtime == 1


def test_pages_no_longer_claimed_are_deleted_with_empty_folders(tmp_path: Path) -> None:
    write_pages({P("papers/gone.md"): "x", P("index.md"): "y"}, tmp_path)
    report = write_pages({P("index.md"): "y"}, tmp_path)
    assert report.deleted == (P("papers/gone.md"),)
    assert not (tmp_path / "papers").exists()


@pytest.mark.parametrize("path", ["../escape.md", "/etc/passwd"])
def test_refuses_paths_outside_the_output_folder(tmp_path: Path, path: str) -> None:
    with pytest.raises(OutputError, match="outside the output folder"):
        write_pages({P(path): "x"}, tmp_path / "out")
    assert not (tmp_path / "escape.md").exists()


def test_refuses_two_pages_for_one_path() -> None:
    with pytest.raises(OutputError, match=r"two pages would be written to about\.md"):
        merge_pages({P("about.md"): "generated"}, {P("about.md"): b"hand-written"})


def test_bytes_are_written_as_they_are(tmp_path: Path) -> None:
    write_pages({P("img/logo.png"): b"\x89PNG\r\n"}, tmp_path)
    assert (tmp_path / "img" / "logo.png").read_bytes() == b"\x89PNG\r\n"


def test_kept_files_are_neither_read_nor_deleted_and_others_go(tmp_path: Path) -> None:
    write_pages({P("a.md"): "cached", P("b.md"): "old"}, tmp_path)
    os.utime(tmp_path / "a.md", (1, 1))
    report = write_pages({P("c.md"): "new"}, tmp_path, keep=frozenset({P("a.md")}))
    assert report.written == (P("c.md"),) and report.deleted == (P("b.md"),)
    assert report.unchanged == 1
    assert (tmp_path / "a.md").read_text() == "cached"
    assert (tmp_path / "a.md").stat().st_mtime == 1


def test_a_path_outside_the_folder_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    write_pages({P("a.md"): "good"}, tmp_path)
    with pytest.raises(OutputError):
        write_pages({P("a.md"): "changed", P("../evil.md"): "x"}, tmp_path)
    assert (tmp_path / "a.md").read_text() == "good"
    assert not (tmp_path.parent / "evil.md").exists()


def test_a_failed_write_reaches_the_caller_and_streams_are_read_as_written(
    tmp_path: Path,
) -> None:
    (tmp_path / "taken").write_text("a file where a folder is needed")
    made: list[str] = []

    def stream() -> Iterator[tuple[PurePosixPath, str]]:
        for name in ("a.md", "taken/b.md", "c.md"):
            made.append(name)
            yield P(name), name

    with pytest.raises(OSError):
        write_streams([P("a.md"), P("taken/b.md"), P("c.md")], [stream()], tmp_path)
    assert made == ["a.md", "taken/b.md"]  # one page at a time: c.md was never made
    assert (tmp_path / "a.md").read_text() == "a.md"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]
