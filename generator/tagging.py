"""Tag suggestions for untagged papers, from the `keywords` each tag declares in `_tags.yaml`.

Invariant: pure, text in and text out. `insert_tags` changes nothing but the `tags` value and
proves it by parsing both versions; when it cannot prove that, it returns None and the
caller only prints the suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from generator.load import RawDocument, parse_yaml_document
from generator.model import Tag

TITLE_WEIGHT = 3
"""A keyword in the title says more about the paper than one in the abstract."""
_EMPTY_TAGS_LINE = re.compile(
    r"^tags:[ \t]*(?:\[[ \t]*\])?[ \t]*(?:#[^\r\n]*)?(?=\r?\n|\Z)", re.MULTILINE
)
_TAGS_KEY_LINE = re.compile(r"^tags[ \t]*:", re.MULTILINE)


@dataclass(frozen=True)
class Suggestion:
    """Tags proposed for one paper file, each with the keywords that matched."""

    path: PurePosixPath
    title: str
    tags: tuple[tuple[str, tuple[str, ...]], ...]
    """(slug, matched keywords), best first."""

    @property
    def slugs(self) -> list[str]:
        """The proposed slugs, best first."""
        return [slug for slug, _ in self.tags]


def untagged(documents: Iterable[RawDocument]) -> list[RawDocument]:
    """Return the paper files whose `tags` is missing or empty (inbox or not), by path."""
    found = [
        document
        for document in documents
        if isinstance(document.data, dict)
        and isinstance(document.data.get("title"), str)
        and not document.data.get("tags")
    ]
    return sorted(found, key=lambda document: document.path)


def suggest_tags(document: RawDocument, vocabulary: Sequence[Tag], limit: int = 3) -> Suggestion:
    """Score tags by their keywords in the title (x3) and the abstract; keep the best `limit`."""
    data = document.data if isinstance(document.data, dict) else {}
    title = _searchable(data.get("title"))
    abstract = _searchable(data.get("abstract"))
    scored: list[tuple[int, str, tuple[str, ...]]] = []
    for tag in vocabulary:
        matched = tuple(
            keyword
            for keyword in tag.keywords
            if _mentions(title, keyword) or _mentions(abstract, keyword)
        )
        score = sum(TITLE_WEIGHT if _mentions(title, keyword) else 1 for keyword in matched)
        if score:
            scored.append((-score, tag.slug, matched))
    best = sorted(scored)[:limit]
    return Suggestion(
        document.path,
        str(data.get("title", "")),
        tuple((slug, matched) for _, slug, matched in best),
    )


def insert_tags(text: str, tags: Sequence[str]) -> str | None:
    """Return `text` with `tags` as its tag list, every other byte unchanged; None if unsafe.

    Handles the shapes the tool writes (`tags: []`) and a file without a `tags` key
    (appended at the end). Anything else, such as a flow list with comments, is left to
    the curator.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    items = "".join(f"{newline}- {tag}" for tag in tags)
    if len(_TAGS_KEY_LINE.findall(text)) > 1:
        return None
    empty = _EMPTY_TAGS_LINE.search(text)
    if empty:
        updated = f"{text[: empty.start()]}tags:{items}{text[empty.end() :]}"
    elif _TAGS_KEY_LINE.search(text):
        return None
    else:
        separator = "" if not text or text.endswith("\n") else newline
        updated = f"{text}{separator}tags:{items}{newline}"
    return updated if _only_tags_changed(text, updated, list(tags)) else None


def _only_tags_changed(before: str, after: str, tags: list[str]) -> bool:
    """Parse both texts: the edit is safe only if every other key holds the same value."""
    old = parse_yaml_document(PurePosixPath("before.yaml"), before.encode("utf-8"))
    new = parse_yaml_document(PurePosixPath("after.yaml"), after.encode("utf-8"))
    if not isinstance(old, RawDocument) or not isinstance(new, RawDocument):
        return False
    if not isinstance(old.data, dict) or not isinstance(new.data, dict):
        return False
    others_before = {key: value for key, value in old.data.items() if key != "tags"}
    others_after = {key: value for key, value in new.data.items() if key != "tags"}
    return others_before == others_after and new.data.get("tags") == tags


def _searchable(value: object) -> str:
    return " ".join(value.lower().split()) if isinstance(value, str) else ""


def _mentions(text: str, keyword: str) -> bool:
    """Whole-word match, so `serving` does not fire inside `preserving`."""
    return bool(text) and re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", text) is not None
