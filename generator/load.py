"""Stage 1, load: read paper files from disk and parse their YAML, keeping line numbers.

Invariant: nothing here judges a paper's content; it only turns bytes into Python
values plus a key -> line map, or into a `Problem` that names the file and line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from generator.model import Problem

MAX_FILE_BYTES = 1_000_000
"""Largest paper file accepted; a real abstract and notes fit in a few kilobytes."""

WHOLE_FILE = 1
"""Line given to a problem with the whole file (empty, too big, a link): editors jump to it."""

VOCABULARY_FILE = "_tags.yaml"

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PaperLoader(_Loader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader (C speed when libyaml is present) without timestamp resolution.

    Dates stay strings so validation can say `'date' 2024-02-30 is not a real date`
    with a line number, instead of PyYAML raising from deep inside construction.
    """


PaperLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class RawDocument:
    """A parsed YAML file: its data as written, and where each key sits."""

    path: PurePosixPath
    """Path shown in messages, relative to the archive root."""
    data: object
    lines: dict[str, int] = field(default_factory=dict)
    """`title` -> 3, `authors[1]` -> 5, `links.code` -> 12 (1-based)."""

    @property
    def stem(self) -> str:
        """File name without `.yaml`: the paper's id."""
        return self.path.stem


def display_path(path: Path, root: Path) -> PurePosixPath:
    """Return `path` relative to `root` when it lies inside, for messages."""
    try:
        return PurePosixPath(path.absolute().relative_to(root.absolute()).as_posix())
    except ValueError:
        return PurePosixPath(path.as_posix())


def list_paper_files(papers_dir: Path) -> list[Path]:
    """Return the paper files of `papers_dir` (not the `_`-prefixed ones), sorted by name."""
    return [papers_dir / name for name in paper_file_names(papers_dir)]


def paper_file_names(papers_dir: Path) -> list[str]:
    """Return the names of the paper files of `papers_dir`, sorted: strings, not Paths,
    which cost a tenth of a second to make and a third to sort at 10,000 files."""
    if not papers_dir.is_dir():
        return []
    return sorted(
        entry.name
        for entry in os.scandir(papers_dir)
        if entry.name.endswith(".yaml") and not entry.name.startswith("_")
    )


def load_paper_files(papers_dir: Path, root: Path) -> tuple[list[RawDocument], list[Problem]]:
    """Read and parse every paper file; return documents and problems found on the way."""
    documents: list[RawDocument] = []
    problems: list[Problem] = []
    resolved_dir = papers_dir.resolve()
    for path in list_paper_files(papers_dir):
        content = read_paper_file(path, resolved_dir, root)
        result = content if isinstance(content, Problem) else parse_paper_file(path, content, root)
        (problems if isinstance(result, Problem) else documents).append(result)
    return documents, problems + misnamed_paper_files(papers_dir, root)


def read_paper_file(path: Path, resolved_dir: Path, root: Path) -> bytes | Problem:
    """Read one paper file's bytes; refuse a link leading out of `resolved_dir`."""
    if path.is_symlink() and not path.resolve().is_relative_to(resolved_dir):
        return Problem(
            display_path(path, root),
            WHOLE_FILE,
            "is a link to a file outside papers/; copy the file in instead",
        )
    return path.read_bytes()


def parse_paper_file(path: Path, content: bytes, root: Path) -> RawDocument | Problem:
    """Parse one paper file's bytes, naming it relative to `root` in any problem."""
    return parse_yaml_document(display_path(path, root), content)


def misnamed_paper_files(papers_dir: Path, root: Path) -> list[Problem]:
    """Name each `*.yml` file: it would be silently skipped, so say how to rename it."""
    return [
        Problem(
            display_path(path, root),
            WHOLE_FILE,
            f"paper files end in .yaml; rename it to {path.stem}.yaml",
        )
        for path in sorted(papers_dir.glob("*.yml"))
    ]


def load_vocabulary_file(papers_dir: Path, root: Path) -> RawDocument | Problem:
    """Read and parse the tag vocabulary, `papers/_tags.yaml`."""
    path = papers_dir / VOCABULARY_FILE
    shown = display_path(path, root)
    if not path.is_file():
        return Problem(shown, 0, "tag vocabulary is missing; create it with one entry per tag")
    return parse_yaml_document(shown, path.read_bytes())


def parse_yaml_document(path: PurePosixPath, content: bytes) -> RawDocument | Problem:
    """Parse one YAML file's bytes, refusing what a paper file never needs.

    Refused: files over `MAX_FILE_BYTES`, bytes that are not UTF-8, several documents,
    duplicate keys, anchors and aliases (the "billion laughs" expansion), and any tag
    outside YAML's safe core schema (`!!python/object`).
    """
    if len(content) > MAX_FILE_BYTES:
        return Problem(
            path,
            WHOLE_FILE,
            f"file is {len(content):,} bytes; a paper file may be at most {MAX_FILE_BYTES:,}",
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        return Problem(
            path, line, f"is not UTF-8 (byte 0x{content[error.start]:02x}); save the file as UTF-8"
        )
    loader = PaperLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Problem(
                path, WHOLE_FILE, "file is empty; expected a mapping of fields such as 'title:'"
            )
        lines: dict[str, int] = {}
        problem = _check_nodes(path, node, lines)
        if problem:
            return _at_first_alias(problem, text)
        data = _constructed(loader, node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else WHOLE_FILE
        return Problem(path, line, f"YAML syntax error: {_explain_syntax_error(error, text)}")
    except yaml.reader.ReaderError as error:  # no mark: its position is a character index
        line = text[: error.position].count("\n") + 1
        return Problem(
            path,
            line,
            f"holds an invisible control character (U+{error.character:04X}) that YAML does not "
            "allow; delete it",
        )
    except yaml.YAMLError as error:
        return Problem(path, WHOLE_FILE, f"YAML error: {error}")
    finally:
        loader.dispose()
    return RawDocument(path, data, lines)


_ALIAS_MESSAGE = "YAML anchors and aliases are not supported; write the value out"
# `<<` merge keys resolve to this tag; harmless without aliases (refused), so left as before.
_ALLOWED_TAGS = frozenset(PaperLoader.yaml_constructors) | {"tag:yaml.org,2002:merge"}


def _check_nodes(path: PurePosixPath, root: yaml.Node, lines: dict[str, int]) -> Problem | None:
    """Walk the node graph once, in document order.

    Records the line of every key, and rejects aliases and duplicate keys on the way.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, key_path = stack.pop()
        children: list[tuple[yaml.Node, str]] = []
        if id(node) in seen:
            line = lines.get(key_path) or node.start_mark.line + 1
            return Problem(path, line, _ALIAS_MESSAGE)
        seen.add(id(node))
        problem = _refuse_tag(path, node)
        if problem:
            return problem
        if isinstance(node, yaml.MappingNode):
            keys_here: set[object] = set()
            for key_node, value_node in node.value:
                problem = _refuse_tag(path, key_node)
                if problem:
                    return problem
                key = str(key_node.value)
                if key in keys_here:
                    return Problem(
                        path, key_node.start_mark.line + 1, f"duplicate key '{key}'; keep one"
                    )
                keys_here.add(key)
                child = f"{key_path}.{key}" if key_path else key
                lines.setdefault(child, key_node.start_mark.line + 1)
                children.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            for position, item in enumerate(node.value):
                child = f"{key_path}[{position}]"
                lines.setdefault(child, item.start_mark.line + 1)
                children.append((item, child))
        stack.extend(reversed(children))
    return None


_STR_TAG, _SEQ_TAG, _MAP_TAG = (f"tag:yaml.org,2002:{kind}" for kind in ("str", "seq", "map"))


class _NotPlain(Exception):
    """A node `_plain_value` leaves to PyYAML's constructor."""


def _constructed(loader: PaperLoader, node: yaml.Node) -> object:
    """Return what `loader.construct_document(node)` returns, five times faster for the plain
    mappings, lists and scalars paper files hold; PyYAML's constructor builds the rest
    (`<<` merge keys, `!!set`, non-scalar keys, nesting deeper than Python recurses)."""
    try:
        return _plain_value(loader, node)
    except (_NotPlain, RecursionError):
        return loader.construct_document(node)


def _plain_value(loader: PaperLoader, node: yaml.Node) -> object:
    kind = type(node)
    if kind is yaml.ScalarNode:
        if node.tag == _STR_TAG:
            return node.value
        construct = loader.yaml_constructors.get(node.tag)
        if construct is None:
            raise _NotPlain
        return construct(loader, node)
    if kind is yaml.SequenceNode and node.tag == _SEQ_TAG:
        return [_plain_value(loader, item) for item in node.value]
    if kind is yaml.MappingNode and node.tag == _MAP_TAG:
        mapping = {}
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode:
                raise _NotPlain
            mapping[_plain_value(loader, key_node)] = _plain_value(loader, value_node)
        return mapping
    raise _NotPlain


def _at_first_alias(problem: Problem, text: str) -> Problem:
    """Point an alias problem at the first `*alias`, not at its anchor.

    Composed nodes only know where the anchored value starts; the alias's own line is in
    the event stream, read again here on this (rare) failure path only.
    """
    if problem.message != _ALIAS_MESSAGE:
        return problem
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            return Problem(problem.path, event.start_mark.line + 1, problem.message)
    return problem


def _explain_syntax_error(error: yaml.MarkedYAMLError, text: str) -> str:
    """Say what is wrong first, where the enclosing construct began second, then a likely fix."""
    mark = error.problem_mark
    lines = text.split("\n")
    if mark and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
        return "found a tab character; YAML indents with spaces only, so replace tabs by spaces"
    message = error.problem or error.context or "unreadable YAML"
    if error.problem and error.problem.startswith("but "):  # one sentence split in two
        message = f"{error.context} {error.problem}"
    elif error.problem and error.context:
        starts = error.context_mark.line + 1 if error.context_mark else 0
        where = (
            f" that starts on line {starts}" if mark and starts and starts != mark.line + 1 else ""
        )
        message += f" ({error.context}{where})"
    if error.problem == "mapping values are not allowed in this context":
        message += "; put a value that contains ': ' in quotes, e.g. title: 'BERT: Pre-training'"
    return message


def _refuse_tag(path: PurePosixPath, node: yaml.Node) -> Problem | None:
    """Refuse a tag the safe loader cannot build (`!!python/object`, `!custom`).

    Checked before construction, so the message names the tag instead of PyYAML's
    "could not determine a constructor".
    """
    if node.tag in _ALLOWED_TAGS:
        return None
    shown = node.tag.replace("tag:yaml.org,2002:", "!!", 1)
    return Problem(
        path,
        node.start_mark.line + 1,
        f"YAML tag '{shown}' is not allowed; a paper file holds only text, numbers, lists "
        "and mappings",
    )
