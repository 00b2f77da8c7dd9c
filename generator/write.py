"""Stage 6, write: put rendered pages on disk. The only stage that writes files.

Invariant: a file is rewritten only when its bytes change (so `mkdocs serve --dirty` and
make-style tools see real changes only), each write is atomic (temp file + rename), and
files no page claims any more are removed. Nothing is written outside `out_dir`. The
folder as a whole is not swapped: a killed run leaves whole files, some new, and no
generator cache (see cache.py), so the next run checks every file again.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
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
    pages: Mapping[PurePosixPath, PageContent],
    out_dir: Path,
    keep: frozenset[PurePosixPath] = frozenset(),
    present: frozenset[PurePosixPath] | None = None,
) -> WriteReport:
    """Make `out_dir` hold exactly `pages` plus `keep`, touching only files whose content changed.

    `keep` names files known to be current already (the generator's cache vouches for
    them): they are neither read nor deleted. `present`, when known (the cache's record of
    the last run), lists the files `out_dir` holds, which saves walking the folder.
    """
    for path in pages:
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise OutputError(f"refusing to write {path}: outside the output folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[PurePosixPath] = []
    unchanged = 0
    for path in sorted(pages):
        content = pages[path]
        data = content.encode("utf-8") if isinstance(content, str) else content
        target = out_dir / path
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            unchanged += 1
            continue
        _write_atomically(target, data)
        written.append(path)
    claimed = keep.union(pages)
    if present is None:
        present = frozenset(
            PurePosixPath(file.relative_to(out_dir).as_posix())
            for file in out_dir.rglob("*")
            if file.is_file() or file.is_symlink()
        )
    deleted = sorted(present - claimed)
    _delete(out_dir, deleted)
    return WriteReport(tuple(written), unchanged + len(keep), tuple(deleted))


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=".tmp-", suffix=target.suffix
    )
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _delete(out_dir: Path, paths: list[PurePosixPath]) -> None:
    """Delete `paths`, then the folders they leave empty."""
    for path in paths:
        (out_dir / path).unlink(missing_ok=True)
    for folder in sorted(
        {out_dir / parent for path in paths for parent in path.parents}, reverse=True
    ):
        if folder != out_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
