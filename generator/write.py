"""Stage 6, write: put rendered pages on disk. The only stage that writes files.

Invariant: a file is rewritten only when its bytes change (so `mkdocs serve --dirty` and
make-style tools see real changes only), each write is atomic (temp file + rename), and
files no page claims any more are removed. Nothing is written outside `out_dir`. The
folder as a whole is not swapped: a killed run leaves whole files, some new, and no
generator cache (see cache.py), so the next run checks every file again.
"""

from __future__ import annotations

import os
import queue
import stat
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypeVar

from generator.errors import OutputError

PageContent = str | bytes
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
    pages: Mapping[PurePosixPath, PageContent | Callable[[], PageContent]],
    out_dir: Path,
    keep: frozenset[PurePosixPath] = frozenset(),
    present: frozenset[PurePosixPath] | None = None,
) -> WriteReport:
    """Make `out_dir` hold exactly `pages` plus `keep`, touching only files whose content changed.

    A page may be given as a function that renders it: it is called here, one page at a
    time, while a second thread writes the pages already made (disk writes release the
    GIL, so rendering and writing overlap; at 10,000 pages each takes seconds). `keep`
    names files known to be current already (the generator's cache vouches for them): they
    are neither read nor deleted. `present`, when known (the cache's record of the last
    run), lists the files `out_dir` holds, which saves walking the folder.
    """
    for path in pages:
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise OutputError(f"refusing to write {path}: outside the output folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    root = os.fspath(out_dir)
    writer = _Writer(root)
    try:
        # Plain strings and os calls, not Path objects: at 10,000 pages pathlib costs seconds.
        for name, path in sorted((str(path), path) for path in pages):
            content = pages[path]
            content = content() if callable(content) else content
            writer.put(
                path, f"{root}/{name}", content.encode() if isinstance(content, str) else content
            )
    finally:
        written = writer.finish()
    deleted = sorted((_files_below(root) if present is None else present) - keep.union(pages))
    _delete(out_dir, deleted)
    unchanged = len(pages) - len(written) + len(keep)
    return WriteReport(tuple(sorted(written, key=str)), unchanged, tuple(deleted))


class _Writer:
    """A thread writing (path, bytes) as they come; the queue bound caps memory held."""

    def __init__(self, root: str):
        self._queue: queue.Queue[tuple[PurePosixPath, str, bytes] | None] = queue.Queue(64)
        self._folders = {root}
        self._written: list[PurePosixPath] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="write_pages", daemon=True)
        self._thread.start()

    def put(self, path: PurePosixPath, target: str, data: bytes) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put((path, target, data))

    def finish(self) -> list[PurePosixPath]:
        """Wait for every queued page; raise the first write error, if any."""
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._written

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drain: the caller raises the first error
            path, target, data = item
            try:
                if not _holds(target, data):
                    folder = os.path.dirname(target)
                    if folder not in self._folders:
                        os.makedirs(folder, exist_ok=True)
                        self._folders.add(folder)
                    _write_atomically(target, folder, data)
                    self._written.append(path)
            except BaseException as error:  # handed to the caller's thread
                self._error = error


def _holds(target: str, data: bytes) -> bool:
    """True when the regular file `target` already holds exactly `data`."""
    try:
        status = os.stat(target, follow_symlinks=False)
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(status.st_mode) or status.st_size != len(data):
        return False
    with open(target, "rb") as handle:
        return handle.read() == data


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
