"""Stage 1, load: read paper files from disk and parse their YAML, keeping line numbers.

Invariant: nothing here judges a paper's content; it only turns bytes into Python
values plus a key -> line map, or into a `Problem` that names the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import yaml

from generator.model import Problem

MAX_FILE_BYTES = 1_000_000
"""Largest paper file accepted; a real abstract and notes fit in a few kilobytes."""

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
    return sorted(
        path for path in papers_dir.glob("*.yaml") if not path.name.startswith("_")
    )


def load_paper_files(papers_dir: Path, root: Path) -> tuple[list[RawDocument], list[Problem]]:
    """Read and parse every paper file; return documents and problems found on the way."""
    documents: list[RawDocument] = []
    problems: list[Problem] = []
    resolved_dir = papers_dir.resolve()
    for path in list_paper_files(papers_dir):
        shown = display_path(path, root)
        if path.is_symlink() and not path.resolve().is_relative_to(resolved_dir):
            problems.append(Problem(shown, 0, "is a link to a file outside papers/; copy the file in instead"))
            continue
        result = parse_yaml_document(shown, path.read_bytes())
        (problems if isinstance(result, Problem) else documents).append(result)
    for path in sorted(papers_dir.glob("*.yml")):
        problems.append(Problem(display_path(path, root), 0, f"paper files end in .yaml; rename it to {path.stem}.yaml"))
    return documents, problems


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
        return Problem(path, 0, f"file is {len(content):,} bytes; a paper file may be at most {MAX_FILE_BYTES:,}")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        return Problem(path, line, f"is not UTF-8 (byte 0x{content[error.start]:02x}); save the file as UTF-8")
    loader = PaperLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Problem(path, 0, "file is empty; expected a mapping of fields such as 'title:'")
        lines: dict[str, int] = {}
        problem = _check_nodes(path, node, lines)
        if problem:
            return problem
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        return Problem(path, line, f"YAML syntax error: {' '.join(filter(None, (error.context, error.problem)))}")
    except yaml.YAMLError as error:
        return Problem(path, 0, f"YAML error: {error}")
    finally:
        loader.dispose()
    return RawDocument(path, data, lines)


def _check_nodes(path: PurePosixPath, root: yaml.Node, lines: dict[str, int]) -> Problem | None:
    """Walk the node graph once, in document order: record key lines, reject aliases and duplicate keys."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, key_path = stack.pop()
        children: list[tuple[yaml.Node, str]] = []
        if id(node) in seen:
            line = lines.get(key_path) or node.start_mark.line + 1
            return Problem(path, line, "YAML anchors and aliases are not supported; write the value out")
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys_here: set[object] = set()
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in keys_here:
                    return Problem(path, key_node.start_mark.line + 1, f"duplicate key '{key}'; keep one")
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
