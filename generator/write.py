"""Stage 6, write: put rendered pages on disk. The only stage that writes files.

Invariant: a file is rewritten only when its bytes change (so `mkdocs serve --dirty` and
make-style tools see real changes only), each write is atomic (temp file + rename), and
files no page claims any more are removed. Nothing is written outside `out_dir`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.errors import OutputError

PageContent = str | bytes


@dataclass(frozen=True)
class WriteReport:
    """What `write_pages` did, for the summary line and for tests."""

    written: tuple[PurePosixPath, ...]
    unchanged: int
    deleted: tuple[PurePosixPath, ...]


def merge_pages(*sources: Mapping[PurePosixPath, PageContent]) -> dict[PurePosixPath, PageContent]:
    """Combine page sets, refusing two pages for one path (e.g. a hand-written `tags/index.md`)."""
    merged: dict[PurePosixPath, PageContent] = {}
    for source in sources:
        for path, content in source.items():
            if path in merged:
                raise OutputError(f"two pages would be written to {path}; rename the hand-written one")
            merged[path] = content
    return merged


def write_pages(pages: Mapping[PurePosixPath, PageContent], out_dir: Path) -> WriteReport:
    """Make `out_dir` hold exactly `pages`, touching only files whose content changed."""
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
    deleted = _delete_unclaimed(out_dir, set(pages))
    return WriteReport(tuple(written), unchanged, tuple(deleted))


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _delete_unclaimed(out_dir: Path, claimed: set[PurePosixPath]) -> list[PurePosixPath]:
    deleted = []
    for file in sorted(out_dir.rglob("*")):
        relative = PurePosixPath(file.relative_to(out_dir).as_posix())
        if (file.is_file() or file.is_symlink()) and relative not in claimed:
            file.unlink()
            deleted.append(relative)
    for folder in sorted((d for d in out_dir.rglob("*") if d.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return deleted
