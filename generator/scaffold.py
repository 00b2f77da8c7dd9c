"""Start an archive of your own: write a new one (`init`), or empty the bundled example one.

Invariants: nothing a curator wrote is ever overwritten or deleted. `init_archive` creates
only files that do not exist yet (exclusive create), and refuses a folder that already holds
something unless told to add to it. `plan_example_removal` deletes only the bundled example
papers that are byte-for-byte as shipped (by the SHA-256 list `papers/_examples.sha256`);
a paper of the curator's, or an example they edited, is kept and named.

What `init` writes is the package's `skeleton/` folder: symbolic links to the repository's
own settings, vocabulary, About page, theme and Pages workflow (a wheel stores the files they
point to), so a new archive starts from exactly the files this repository builds with.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from generator.errors import FolderNotEmpty, NoExampleList
from generator.load import paper_file_names

DISTRIBUTION = "paper-archive"
EXAMPLES_FILE = "_examples.sha256"
"""In `papers/`: one `SHA256  NAME.yaml` line per bundled example paper."""
REQUIREMENTS_FILE = "requirements.txt"
# Package data globs skip hidden names, so the skeleton stores these without their dot.
DOTTED_NAMES = {"gitignore": ".gitignore", "github": ".github"}
# A folder holding only these is still empty enough to start an archive in (`git init` first).
IGNORED_ENTRIES = frozenset({".git"})


@dataclass(frozen=True)
class InitReport:
    """What `init_archive` did, as archive-relative paths."""

    written: tuple[PurePosixPath, ...]
    kept: tuple[PurePosixPath, ...]
    """Files that already existed and were left exactly as they were."""


@dataclass(frozen=True)
class ExampleRemoval:
    """The paper files of an archive sorted by what `remove-examples` does with them."""

    examples: tuple[str, ...]
    """Bundled examples exactly as shipped: deleted."""
    edited: tuple[str, ...]
    """Bundled examples whose content changed since: kept."""
    own: tuple[str, ...]
    """Paper files that are not bundled examples: kept."""


def skeleton_files() -> dict[PurePosixPath, bytes]:
    """Return every file `init` writes but requirements.txt, by path in the new archive."""
    root = resources.files("generator") / "skeleton"
    return {
        PurePosixPath(DOTTED_NAMES.get(parts[0], parts[0]), *parts[1:]): entry.read_bytes()
        for parts, entry in sorted(_walk(root, ()), key=lambda item: item[0])
    }


def _walk(
    folder: Traversable, parts: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], Traversable]]:
    """Yield (path parts, file) for every file under `folder`, in any order."""
    for entry in folder.iterdir():
        if entry.is_dir():
            yield from _walk(entry, (*parts, entry.name))
        else:
            yield (*parts, entry.name), entry


def tool_requirement(version: str, source_url: str | None, direct_url: str | None) -> str:
    """Return the requirement line that installs this very paper-archive.

    A Git install records its commit (PEP 610 `direct_url.json`): pin that. A wheel or a
    local checkout cannot be fetched by CI, so pin the release tag `v<version>` of the
    project's `Source` repository instead.
    """
    origin = json.loads(direct_url) if direct_url else {}
    vcs = origin.get("vcs_info", {})
    if vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return f"{DISTRIBUTION} @ git+{origin['url']}@{vcs['commit_id']}"
    if source_url:
        return f"{DISTRIBUTION} @ git+{source_url}@v{version}"
    return f"{DISTRIBUTION}=={version}"


def installed_requirement() -> str:
    """Return `tool_requirement` for the paper-archive that is running."""
    distribution = metadata.distribution(DISTRIBUTION)
    urls = dict(
        (label.strip(), url.strip())
        for label, _, url in (
            entry.partition(",") for entry in distribution.metadata.get_all("Project-URL") or []
        )
    )
    return tool_requirement(
        distribution.version, urls.get("Source"), distribution.read_text("direct_url.json")
    )


def requirements_text(requirement: str) -> str:
    """Return a new archive's requirements.txt: the one line that installs the tool."""
    return (
        "# The paper-archive this archive builds with: `make build` installs it into .venv when\n"
        "# no paper-archive is on PATH, and so does the Pages workflow. Written by\n"
        "# `paper-archive init`; change the pin to move to another version.\n"
        f"{requirement}\n"
    )


def init_archive(target: Path, requirement: str, add_to_existing: bool = False) -> InitReport:
    """Write a complete archive into `target`, creating it if needed; overwrite nothing.

    Raises `FolderNotEmpty` when `target` holds anything (but `.git`) and `add_to_existing`
    is false: then nothing is written.
    """
    files = {
        **skeleton_files(),
        PurePosixPath(REQUIREMENTS_FILE): requirements_text(requirement).encode("utf-8"),
    }
    if target.exists() and not target.is_dir():
        raise FolderNotEmpty(f"{target} is a file; give a folder for the new archive")
    entries = target.iterdir() if target.is_dir() else iter(())
    present = sorted(entry.name for entry in entries if entry.name not in IGNORED_ENTRIES)
    if present and not add_to_existing:
        shown = ", ".join(present[:5]) + (", ..." if len(present) > 5 else "")
        raise FolderNotEmpty(
            f"{target} is not empty ({shown}); give a new or empty folder, or use --force to"
            " add the missing archive files and keep every existing one as it is"
        )
    written: list[PurePosixPath] = []
    kept: list[PurePosixPath] = []
    for relative, content in files.items():
        path = target.joinpath(*relative.parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("xb") as stream:
                stream.write(content)
        except FileExistsError:
            kept.append(relative)
        else:
            written.append(relative)
    return InitReport(tuple(written), tuple(kept))


def content_hash(content: bytes) -> str:
    """SHA-256 of a paper file with CRLF read as LF, so a Windows checkout matches too."""
    return hashlib.sha256(content.replace(b"\r\n", b"\n")).hexdigest()


def examples_list(papers_dir: Path) -> str:
    """Return the text of `_examples.sha256` naming every paper file now in `papers_dir`."""
    lines = [
        f"{content_hash((papers_dir / name).read_bytes())}  {name}"
        for name in paper_file_names(papers_dir)
    ]
    return (
        "# The bundled example papers, as shipped: `paper-archive remove-examples` deletes the\n"
        "# files listed here whose content is unchanged, and keeps every other paper file.\n"
        + "".join(f"{line}\n" for line in lines)
    )


def parse_examples_list(text: str) -> dict[str, str]:
    """Read `_examples.sha256` into file name -> hash; comments and blank lines are skipped."""
    hashes = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            digest, _, name = line.strip().partition("  ")
            hashes[name.strip()] = digest
    return hashes


def plan_example_removal(papers_dir: Path) -> ExampleRemoval:
    """Sort the paper files into unchanged examples, edited examples and the curator's own."""
    listing = papers_dir / EXAMPLES_FILE
    if not listing.is_file():
        raise NoExampleList(
            f"no {EXAMPLES_FILE} in {papers_dir.name}/: there are no bundled examples to"
            " remove (they were removed already, or this archive never had them)"
        )
    hashes = parse_examples_list(listing.read_text(encoding="utf-8"))
    examples, edited, own = [], [], []
    for name in paper_file_names(papers_dir):
        if name not in hashes:
            own.append(name)
        elif content_hash((papers_dir / name).read_bytes()) == hashes[name]:
            examples.append(name)
        else:
            edited.append(name)
    return ExampleRemoval(tuple(examples), tuple(edited), tuple(own))


def remove_examples(papers_dir: Path, removal: ExampleRemoval) -> tuple[str, ...]:
    """Delete the planned examples still unchanged, then the list; return the names deleted.

    Each file is hashed again just before it goes: one edited since the plan was shown stays.
    """
    hashes = parse_examples_list((papers_dir / EXAMPLES_FILE).read_text(encoding="utf-8"))
    deleted = []
    for name in removal.examples:
        path = papers_dir / name
        if path.is_file() and content_hash(path.read_bytes()) == hashes.get(name):
            path.unlink()
            deleted.append(name)
    (papers_dir / EXAMPLES_FILE).unlink()
    return tuple(deleted)
