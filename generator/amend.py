"""Add fields to an existing paper file without rewriting it (`import ... --update-existing`).

Invariant: pure, text in and text out. Every byte the curator wrote stays where it was:
comments, quoting, key order and line endings. A missing key is appended at the end of the
file, further authors after the last name, further link kinds after the last link, and an
empty value (`doi: ''`, `authors: []`) is replaced on its own line. The edit is proved by
parsing both versions: each added key holds exactly the value asked for and every other key
is unchanged; when that cannot be shown, `add_fields` returns None and the caller leaves
the file alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import PurePosixPath

from generator.load import RawDocument, parse_yaml_document
from generator.paperfile import format_paper_file

_EMPTY_VALUES = frozenset({"", "~", "null", "''", '""', "[]", "{}"})
_COMMENT = re.compile(r"[ \t]+#.*$|^#.*$")


def add_fields(text: str, additions: Mapping[str, object]) -> str | None:
    """Return `text` with `additions` (key -> new whole value) written in; None if unsafe."""
    before = _parse(text)
    if before is None:
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    appended: dict[str, object] = {}
    for key, value in additions.items():
        starts = [i for i, line in enumerate(lines) if _is_key_line(line, key)]
        if not starts:
            appended[key] = value
            continue
        if len(starts) > 1:
            return None
        edited = _edit_block(lines, starts[0], key, value, before.get(key), newline)
        if edited is None:
            return None
        lines = edited
    updated = "".join(lines)
    if appended:
        separator = "" if not updated or updated.endswith("\n") else newline
        updated += separator + _dumped(appended, newline)
    return updated if _only_added(before, _parse(updated), additions) else None


def _edit_block(
    lines: list[str], start: int, key: str, value: object, old: object, newline: str
) -> list[str] | None:
    """Replace an empty `key:` line, or extend the block list or mapping under it."""
    rest = _COMMENT.sub("", lines[start].rstrip("\r\n").split(":", 1)[1]).strip()
    if isinstance(old, bool) and isinstance(value, bool) and _block_end(lines, start) == start + 1:
        # A flag on one line (`et_al: true` once the byline is complete) is replaced whole.
        return [*lines[:start], _dumped({key: value}, newline), *lines[start + 1 :]]
    if rest not in _EMPTY_VALUES:
        return None  # a flow list or an inline value: not a shape this edit extends
    end = _block_end(lines, start)
    if end == start + 1:
        return [*lines[:start], _dumped({key: value}, newline), *lines[start + 1 :]]
    if isinstance(old, list) and isinstance(value, list) and value[: len(old)] == old:
        extra: object = value[len(old) :]
    elif isinstance(old, dict) and isinstance(value, dict):
        extra = {kind: item for kind, item in value.items() if kind not in old}
    else:
        return None
    dumped = _dumped({key: extra}, newline).splitlines(keepends=True)[1:]
    indent = _indent(lines[start + 1 : end])
    shift = _indent(dumped)
    items = [indent + line[len(shift) :] for line in dumped]
    last = lines[end - 1]
    if not last.endswith("\n"):
        lines = [*lines[: end - 1], last + newline, *lines[end:]]
    return [*lines[:end], *items, *lines[end:]]


def _block_end(lines: list[str], start: int) -> int:
    """Index after the last entry of the block under `lines[start]` (trailing blanks and
    comments stay after the insertion point, with whatever they introduce)."""
    end = start + 1
    for index in range(start + 1, len(lines)):
        line = lines[index]
        stripped = line.strip()
        if (line[:1] not in (" ", "\t", "-") and stripped) or line.startswith("---"):
            break
        if stripped and not stripped.startswith("#"):
            end = index + 1
    return end


def _indent(lines: list[str]) -> str:
    """The leading whitespace of the first entry line."""
    for line in lines:
        stripped = line.lstrip(" \t")
        if stripped.strip() and not stripped.startswith("#"):
            return line[: len(line) - len(stripped)]
    return ""


def _is_key_line(line: str, key: str) -> bool:
    return re.match(rf"{re.escape(key)}[ \t]*:(?:[ \t]|\r?\n|$)", line) is not None


def _dumped(fields: Mapping[str, object], newline: str) -> str:
    return format_paper_file(dict(fields)).replace("\n", newline)


def _parse(text: str) -> dict[str, object] | None:
    document = parse_yaml_document(PurePosixPath("paper.yaml"), text.encode("utf-8"))
    if not isinstance(document, RawDocument) or not isinstance(document.data, dict):
        return None
    return document.data


def _only_added(
    before: dict[str, object], after: dict[str, object] | None, additions: Mapping[str, object]
) -> bool:
    """Every key outside `additions` unchanged, every added key exactly as asked."""
    if after is None:
        return False
    unchanged = {key: value for key, value in before.items() if key not in additions}
    kept = {key: value for key, value in after.items() if key not in additions}
    return unchanged == kept and all(after.get(key) == value for key, value in additions.items())
