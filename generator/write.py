"""Stage 6, write: put rendered pages on disk. The only stage that writes files.

Invariant: a file is rewritten only when its bytes change (so `mkdocs serve --dirty` and
make-style tools see real changes only), each write is atomic (temp file + rename), and
files no page claims any more are removed. Nothing is written outside `out_dir`.
`replace_pages` goes further for builds: the whole folder changes at once or not at all.
"""

from __future__ import annotations

import os
import shutil
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
                raise OutputError(
                    f"two pages would be written to {path}; rename the hand-written one"
                )
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


def replace_pages(pages: Mapping[PurePosixPath, PageContent], out_dir: Path) -> WriteReport:
    """Like `write_pages`, but prepare a complete new folder first, then swap it in.

    The staging folder starts as hard links to the current files, so unchanged pages keep
    their modification times and cost no copying; changed pages get new files (renamed
    into place), which leaves the live folder's files untouched. A failure or a kill
    before the swap leaves `out_dir` exactly as it was.
    """
    staging = out_dir.with_name(f"{out_dir.name}.new")
    previous = out_dir.with_name(f"{out_dir.name}.old")
    recover_interrupted_swap(out_dir)
    shutil.rmtree(staging, ignore_errors=True)
    try:
        if out_dir.is_dir():
            shutil.copytree(out_dir, staging, copy_function=os.link, symlinks=True)
        report = write_pages(pages, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(previous, ignore_errors=True)
    if out_dir.exists():
        out_dir.rename(previous)
    staging.rename(out_dir)
    shutil.rmtree(previous, ignore_errors=True)
    return report


def recover_interrupted_swap(out_dir: Path) -> None:
    """Put back the last complete folder if a kill fell between the two renames of a swap."""
    previous = out_dir.with_name(f"{out_dir.name}.old")
    if not out_dir.exists() and previous.is_dir():
        previous.rename(out_dir)


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
