"""Stage 6, write: put rendered pages on disk. The only stage that writes pages.

Invariant: a file is rewritten only when its bytes change (so `mkdocs serve --dirty` and
make-style tools see real changes only), a file that existed is replaced atomically (temp
file + rename), a new one written in place, and files no page claims any more are
removed. Nothing is written outside `out_dir`. The folder as a whole is not swapped,
since MkDocs' live preview watches the folder it started with: a killed run leaves whole
files, some new, and no generator cache, so the next run checks every file again.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypeVar

from generator.errors import OutputError
from generator.parallel import map_forked
from generator.plans import PageContent

Page = TypeVar("Page")
"""Content, or a plan to make it: merging only looks at paths."""


@dataclass(frozen=True)
class WriteReport:
    """What `write_pages` did, for the summary line and for tests."""

    written: tuple[PurePosixPath, ...]
    unchanged: int
    deleted: tuple[PurePosixPath, ...]


def merge_pages(*sources: Mapping[PurePosixPath, Page]) -> dict[PurePosixPath, Page]:
    """Combine page sets, refusing two pages for one path (e.g. a hand-written `tags/index.md`)."""
    merged: dict[PurePosixPath, Page] = {}
    for source in sources:
        for path, content in source.items():
            if path in merged:
                raise OutputError(
                    f"two pages would be written to {path}; rename the hand-written one"
                )
            merged[path] = content
    return merged


def write_pages(
    pages: Mapping[PurePosixPath, PageContent],
    out_dir: Path,
    keep: frozenset[PurePosixPath] = frozenset(),
    present: frozenset[PurePosixPath] | None = None,
) -> WriteReport:
    """Make `out_dir` hold exactly `pages` plus `keep` (`write_streams`)."""
    return write_streams(pages, [pages.items()], out_dir, keep, present)


def write_streams(
    paths: Collection[PurePosixPath],
    streams: Sequence[Iterable[tuple[PurePosixPath, PageContent]]],
    out_dir: Path,
    keep: frozenset[PurePosixPath] = frozenset(),
    present: frozenset[PurePosixPath] | None = None,
) -> WriteReport:
    """Make `out_dir` hold exactly the pages at `paths` plus `keep`, touching only files
    whose content changed.

    The pages come from `streams`, each consumed in a process of its own (parallel.py):
    pages made as they are read (`render.render_each`) are each written at once, so
    memory holds one page at a time. `keep` names files known to be current already
    (the incremental module vouches for them): they are neither read nor deleted.
    `present`, when known, lists the files `out_dir` holds, which saves walking it; a
    page it does not list is written without looking for a file there first.
    """
    for path in paths:
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise OutputError(f"refusing to write {path}: outside the output folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    root = os.fspath(out_dir)
    present = _files_below(root) if present is None else present
    written = [
        path
        for share in map_forked(lambda pages: _write_share(pages, root, present), streams)
        for path in share
    ]
    deleted = sorted(present - keep.union(paths))
    _delete(out_dir, deleted)
    unchanged = len(paths) - len(written) + len(keep)
    return WriteReport(tuple(sorted(written, key=str)), unchanged, tuple(deleted))


def _write_share(
    pages: Iterable[tuple[PurePosixPath, PageContent]],
    root: str,
    present: frozenset[PurePosixPath],
) -> list[PurePosixPath]:
    """Write `pages`; return those whose bytes changed. Only those `present` lists can be
    unchanged: a first build writes every file without a look at the disk first."""
    folders = {root}
    written = []
    for path, content in pages:
        data = content.encode() if isinstance(content, str) else content
        # Plain strings and os calls, not Path objects: pathlib costs seconds at 10,000 pages.
        target = f"{root}/{path}"
        held = _held(target, data) if path in present else None
        if held is True:
            continue
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        if held is None:
            _write_new(target, data)
        else:
            _write_atomically(target, folder, data)
        written.append(path)
    return written


def _held(target: str, data: bytes) -> bool | None:
    """True when the regular file `target` already holds exactly `data`; None when there
    is no `target` at all."""
    try:
        status = os.stat(target, follow_symlinks=False)
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(status.st_mode) or status.st_size != len(data):
        return False
    with open(target, "rb") as handle:
        return handle.read() == data


def _write_new(target: str, data: bytes) -> None:
    """Write a file that did not exist, in place: cheaper than a temporary file and a
    rename, and as safe, since no reader had a previous version to lose. A run killed
    midway leaves no cache (incremental/), so the next compares every file's bytes."""
    try:
        handle = open(target, "xb")  # noqa: SIM115 (closed below, after a failed write too)
    except FileExistsError:  # appeared meanwhile: replace it as any other
        _write_atomically(target, os.path.dirname(target), data)
        return
    with handle:
        try:
            handle.write(data)
        except BaseException:
            os.unlink(target)
            raise


def _write_atomically(target: str, folder: str, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _files_below(root: str) -> frozenset[PurePosixPath]:
    """Every file (or link) below `root`, relative to it."""
    found = set()
    for folder, subfolders, files in os.walk(root):
        relative = os.path.relpath(folder, root)
        links = [name for name in subfolders if os.path.islink(os.path.join(folder, name))]
        for name in (*files, *links):
            found.add(PurePosixPath(name if relative == "." else f"{relative}/{name}"))
    return frozenset(found)


def _delete(out_dir: Path, paths: list[PurePosixPath]) -> None:
    """Delete `paths`, then the folders they leave empty."""
    for path in paths:
        (out_dir / path).unlink(missing_ok=True)
    for folder in sorted(
        {out_dir / parent for path in paths for parent in path.parents}, reverse=True
    ):
        if folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
