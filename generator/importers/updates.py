"""Edits that an import offers to files already in the archive (`--update-existing`).

Invariant: a file is only extended: `amend.add_fields` fills fields it lacks and changes no
other byte (CRLF kept). A file that cannot be read, or whose layout `add_fields` does not
extend, is left alone with the reason. Nothing is written before `write_edits`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.amend import add_fields
from generator.importers.intake import Update


@dataclass(frozen=True)
class FileEdit:
    """One archive file with the fields an import adds to it, not yet written."""

    update: Update
    after: str
    """The whole new text of the file."""
    diff: str
    """The change as a unified diff, each line ending in a newline."""


@dataclass(frozen=True)
class Unedited:
    """An archive file the import would extend but cannot, and why."""

    update: Update
    reason: str


def prepare_edits(updates: Sequence[Update]) -> list[FileEdit | Unedited]:
    """Read each file and work out its edit, in the order of `updates`."""
    edits: list[FileEdit | Unedited] = []
    for update in updates:
        try:
            before = update.path.read_bytes().decode("utf-8")  # bytes: keep CRLF as it is
        except (OSError, UnicodeDecodeError) as error:
            edits.append(Unedited(update, f"it cannot be read now ({error})"))
            continue
        after = add_fields(before, update.additions)
        if after is None:
            reason = f"its layout is not one this tool extends; add {update.summary} by hand"
            edits.append(Unedited(update, reason))
            continue
        diff = difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            f"a/{update.shown}",
            f"b/{update.shown}",
        )
        text = "".join(line if line.endswith("\n") else line + "\n" for line in diff)
        edits.append(FileEdit(update, after, text))
    return edits


def write_edits(edits: Iterable[FileEdit]) -> None:
    """Write each edited file."""
    for edit in edits:
        edit.update.path.write_text(edit.after, encoding="utf-8", newline="")
