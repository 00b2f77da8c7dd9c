"""Stages 1 and 2, load and validate: read the archive's files and validate them into an
`Archive`, or say everything wrong with them at once.

Why forked: parsing YAML is most of a first run's load time, so many files are read by
several processes (parallel.py). Invariant: nothing here writes; the result of reading a
file depends on its bytes, the vocabulary and today's date only, which is what lets the
incremental module reuse it.
"""

from __future__ import annotations

import datetime
import functools
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypeVar

from generator.errors import ArchiveError, UnexpectedError
from generator.load import (
    display_path,
    misnamed_paper_files,
    paper_file_names,
    parse_paper_file,
    read_paper_file,
)
from generator.model import Archive, InboxItem, Paper, Problem, Severity, Tag
from generator.parallel import map_forked, split, worker_count
from generator.progress import COUNT_EVERY, Progress, Step
from generator.settings import Project
from generator.validate import read_vocabulary, validate_archive, validate_paper

Job = TypeVar("Job")
Read = TypeVar("Read")
Validated = tuple[Paper | InboxItem | None, tuple[Problem, ...]]
"""What validation made of one file: the paper (None when it has errors), its problems."""


@dataclass(frozen=True)
class Vocabulary:
    """The tags of `_tags.yaml`, and what is wrong with the file."""

    tags: tuple[Tag, ...]
    problems: tuple[Problem, ...]

    @functools.cached_property  # asked once per paper file
    def by_slug(self) -> dict[str, Tag]:
        return {tag.slug: tag for tag in self.tags}


def load_vocabulary(project: Project) -> Vocabulary:
    """Read and validate `papers/_tags.yaml`."""
    tags, problems = read_vocabulary(project.papers_dir, project.root)
    return Vocabulary(tuple(tags), tuple(problems))


def stat_paper_files(papers_dir: Path) -> list[tuple[str, os.stat_result]]:
    """Name and stat of each paper file, in name order."""
    folder = os.fspath(papers_dir)
    return [(name, _stat(f"{folder}/{name}")) for name in paper_file_names(papers_dir)]


def paper_reader(project: Project) -> Callable[[Path], bytes | Problem]:
    """Return a function giving the bytes of a paper file, or the problem that keeps them
    from being read. The papers folder is resolved here, once, not for every file."""
    inside, root = project.papers_dir.resolve(), project.root
    return lambda path: read_paper_file(path, inside, root)


def validate_file(
    project: Project, path: Path, content: bytes, vocabulary: Vocabulary, today: datetime.date
) -> Validated:
    """Parse and validate one paper file's `content`."""
    document = parse_paper_file(path, content, project.root)
    if isinstance(document, Problem):
        return None, (document,)
    result, problems = validate_paper(document, vocabulary.by_slug, today)
    return result, tuple(problems)


def read_files(
    project: Project,
    jobs: Sequence[Job],
    read: Callable[[Job], Read],
    path_of: Callable[[Job], Path],
    workers: int | None,
    step: Step,
) -> list[Read]:
    """Return `[read(job) for job in jobs]`, shared among up to `workers` forked processes
    when there are many, counted on `step`; an unforeseen failure names its file."""
    shares = split(list(jobs), worker_count(len(jobs), workers))
    step.expect(len(jobs))
    counted = step.shared_count(len(shares))

    def read_share(part: int) -> list[Read]:
        done: list[Read] = []
        for start in range(0, len(shares[part]), COUNT_EVERY):
            for job in shares[part][start : start + COUNT_EVERY]:
                try:
                    done.append(read(job))
                except Exception as error:  # a bug: name the file, for the one-line report
                    where = display_path(path_of(job), project.root)
                    raise UnexpectedError.wrapping(where, error) from error
            counted.set(part, len(done))
        return done

    results = map_forked(read_share, range(len(shares)))
    step.advance_to(len(jobs))  # the parent counts others' shares only during its own
    ordered: list = [None] * len(jobs)
    for part, done in enumerate(results):
        ordered[part :: len(shares)] = done  # dealt out by `split`: gather them back
    return ordered


def checked_archive(
    project: Project, vocabulary: Vocabulary, files: Iterable[Validated], strict: bool
) -> tuple[Archive, list[Problem]]:
    """Validate the archive as a whole; return it and its warnings.

    Raises `ArchiveError` with every error (and warning) of every file when any error
    exists, or when any warning does and `strict`. Files in the inbox are listed in the
    archive, and their problems left to `paper-archive inbox`.
    """
    problems = list(vocabulary.problems)
    papers: list[Paper | InboxItem] = []
    for result, file_problems in files:
        if not isinstance(result, InboxItem):  # the inbox is work in progress: `inbox`
            problems += file_problems  # lists its problems, and they never stop a build
        if result is not None:
            papers.append(result)
    problems += misnamed_paper_files(project.papers_dir, project.root)
    problems += validate_archive(p for p in papers if isinstance(p, Paper))
    problems.sort()
    if any(problem.severity is Severity.ERROR for problem in problems) or (strict and problems):
        raise ArchiveError(problems, strict=strict)
    published = tuple(p for p in papers if isinstance(p, Paper))
    inbox = tuple(p for p in papers if isinstance(p, InboxItem))
    return Archive(papers=published, tags=vocabulary.tags, inbox=inbox), problems


def load_archive(
    project: Project,
    today: datetime.date | None = None,
    strict: bool = False,
    workers: int | None = 1,
    reading: Step | None = None,
) -> tuple[Archive, list[Problem]]:
    """Load and validate every file; return the archive and its warnings (`checked_archive`).

    Up to `workers` processes read files (None: one per core), counted on `reading`.
    """
    today = today or datetime.date.today()
    vocabulary = load_vocabulary(project)
    paths = [project.papers_dir / name for name, _ in stat_paper_files(project.papers_dir)]
    read_bytes = paper_reader(project)

    def read(path: Path) -> Validated:
        content = read_bytes(path)
        if isinstance(content, Problem):
            return None, (content,)
        return validate_file(project, path, content, vocabulary, today)

    step = reading or Progress().step("Reading paper files", "reading")  # shown nowhere
    files = read_files(project, paths, read, lambda path: path, workers, step)
    return checked_archive(project, vocabulary, files, strict)


def load_hand_written_pages(pages_dir: Path) -> dict[PurePosixPath, bytes]:
    """Read the tracked hand-written pages (and their images) to copy into the site."""
    if not pages_dir.is_dir():
        return {}
    return {
        PurePosixPath(path.relative_to(pages_dir).as_posix()): path.read_bytes()
        for path in sorted(pages_dir.rglob("*"))
        if path.is_file()
    }


def _stat(path: str) -> os.stat_result:
    try:
        return os.stat(path)
    except OSError:  # a dangling link: read_paper_file names the problem
        return os.lstat(path)
