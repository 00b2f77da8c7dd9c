"""The one path every importer shares: candidates -> duplicate check -> validated new files.

Invariant: nothing already in `papers/` is ever overwritten or edited. Every file that a
plan proposes has been formatted, parsed back and validated in memory first, so what is
written always loads. Imported papers are `status: inbox` with `tags: []`: the validator
lets them lack tags, authors and a date, and keeps them off the site until a curator
completes them (`paper-archive inbox` lists what each lacks).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from generator.importers.candidate import (
    Batch,
    Candidate,
    Skipped,
    arxiv_id,
    doi_key,
    title_key,
)
from generator.load import (
    RawDocument,
    display_path,
    list_paper_files,
    load_paper_files,
    parse_yaml_document,
)
from generator.model import InboxItem, Paper, Problem, Severity, Tag
from generator.paperfile import format_paper_file, paper_id_for, write_new_paper_file
from generator.validate import validate_paper

_NEVER_DROPPED = ("title", "status", "added")
"""Fields a failed check cannot be repaired by leaving out (the rest may be absent in the inbox)."""


@dataclass(frozen=True)
class NewPaper:
    """A file the plan will create, with what the curator should know about it."""

    path: Path
    shown: PurePosixPath
    """`papers/<id>.yaml`, as messages show it."""
    fields: dict[str, object] = field(compare=False)
    candidate: Candidate = field(compare=False)
    remarks: tuple[str, ...] = ()
    waiting: tuple[str, ...] = ()
    """Why it goes to the inbox (`lacks tags, abstract`, a warning); empty when published."""


@dataclass(frozen=True)
class Duplicate:
    """A candidate already in the archive (or earlier in the same batch)."""

    title: str
    source: str
    matched: PurePosixPath
    reason: str
    """`same arXiv id 2403.10717`, `same DOI ...`, `same title`."""
    in_batch: bool = False


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do: nothing is written until `write_plan`."""

    seen: int
    new: tuple[NewPaper, ...]
    duplicates: tuple[Duplicate, ...]
    skipped: tuple[Skipped, ...]


class KnownPapers:
    """The archive's arXiv ids, DOIs and title keys, read from raw YAML.

    Raw, not validated: an inbox file or one with errors still names a paper the curator
    already has, and a second import must not add it again.
    """

    def __init__(self) -> None:
        self._keys: dict[tuple[str, str], PurePosixPath] = {}
        self._in_batch: set[PurePosixPath] = set()
        self.stems: set[str] = set()

    @classmethod
    def from_archive(cls, papers_dir: Path, root: Path) -> KnownPapers:
        """Index every paper file in `papers_dir`, valid or not."""
        known = cls()
        documents, _ = load_paper_files(papers_dir, root)
        for document in documents:
            known._add_document(document)
        known.stems.update(path.stem for path in list_paper_files(papers_dir))
        known.stems.update(path.stem for path in papers_dir.glob("*.yml"))
        return known

    def _add_document(self, document: RawDocument) -> None:
        data = document.data if isinstance(document.data, dict) else {}
        arxiv = str(data["arxiv"]) if data.get("arxiv") is not None else None
        doi = data.get("doi")
        title = data.get("title")
        self.remember(
            document.path,
            arxiv=arxiv,
            doi=doi if isinstance(doi, str) else None,
            title=title if isinstance(title, str) else None,
        )

    def remember(
        self,
        path: PurePosixPath,
        arxiv: str | None,
        doi: str | None,
        title: str | None,
        in_batch: bool = False,
    ) -> None:
        """Record a paper's identifying keys (first file wins, as in the archive check)."""
        for kind, value in (
            ("arxiv", arxiv and _arxiv_key(arxiv)),
            ("doi", doi and doi_key(doi)),
            ("title", title and title_key(title)),
        ):
            if value:
                self._keys.setdefault((kind, value), path)
        if in_batch:
            self._in_batch.add(path)
        self.stems.add(path.stem)

    def match(self, candidate: Candidate) -> Duplicate | None:
        """Return how `candidate` duplicates a known paper: same arXiv id, DOI, or title."""
        checks = (
            (
                "arxiv",
                candidate.arxiv and _arxiv_key(candidate.arxiv),
                f"same arXiv id {candidate.arxiv}",
            ),
            ("doi", candidate.doi and doi_key(candidate.doi), f"same DOI {candidate.doi}"),
            ("title", title_key(candidate.title), "same title"),
        )
        for kind, value, reason in checks:
            if value and (kind, value) in self._keys:
                path = self._keys[(kind, value)]
                return Duplicate(
                    candidate.title, candidate.source, path, reason, path in self._in_batch
                )
        return None

    def path_of_arxiv(self, identifier: str) -> PurePosixPath | None:
        """Return the file that already holds this arXiv id, if any."""
        return self._keys.get(("arxiv", _arxiv_key(identifier)))

    def free_stem(self, title: str) -> str:
        """Return a file stem for `title` that no file uses yet (`-2`, `-3` on a clash)."""
        base = paper_id_for(title)
        stem, number = base, 1
        while stem in self.stems:
            number += 1
            stem = f"{base}-{number}"
        return stem


def paper_fields(candidate: Candidate, added: datetime.date) -> dict[str, object]:
    """Return the file's fields: inbox unless the candidate is complete and tagged."""
    complete = bool(candidate.tags and candidate.authors and candidate.date)
    fields: dict[str, object] = {
        "title": candidate.title,
        "authors": list(dict.fromkeys(name for name in candidate.authors if name)),
        "date": candidate.date,
        "abstract": candidate.abstract,
        "tags": list(candidate.tags),
        "arxiv": candidate.arxiv,
        "arxiv_category": candidate.arxiv_category,
        "doi": candidate.doi,
        "venue": candidate.venue,
        "links": {link.kind: link.url for link in candidate.links},
        "organization": candidate.organization,
        "upvotes": candidate.upvotes,
        "added": added,
    }
    if not complete:
        fields["status"] = "inbox"
    return fields


def plan_import(
    batch: Batch,
    known: KnownPapers,
    papers_dir: Path,
    root: Path,
    *,
    added: datetime.date,
    today: datetime.date,
    vocabulary: Mapping[str, Tag] | None = None,
    repair: bool = True,
) -> ImportPlan:
    """Decide, for each candidate, whether it is new, a duplicate, or unusable.

    With `repair`, an optional field that would fail validation (a malformed DOI, a date
    before 1900) is left out with a remark instead of losing the whole paper.
    """
    new: list[NewPaper] = []
    duplicates: list[Duplicate] = []
    skipped = list(batch.skipped)
    for candidate in batch.candidates:
        duplicate = known.match(candidate)
        if duplicate:
            duplicates.append(duplicate)
            continue
        stem = known.free_stem(candidate.title)
        path = papers_dir / f"{stem}.yaml"
        shown = display_path(path, root)
        fields = paper_fields(candidate, added)
        result = _validated_fields(fields, shown, vocabulary or {}, today, repair)
        if isinstance(result, str):
            skipped.append(Skipped(candidate.source, result))
            continue
        fields, dropped, waiting = result
        known.remember(shown, candidate.arxiv, candidate.doi, candidate.title, in_batch=True)
        new.append(NewPaper(path, shown, fields, candidate, candidate.remarks + dropped, waiting))
    return ImportPlan(batch.seen, tuple(new), tuple(duplicates), tuple(skipped))


def write_plan(
    plan: ImportPlan, progress: Callable[[Iterable[NewPaper]], Iterable[NewPaper]] = iter
) -> tuple[list[NewPaper], list[Skipped]]:
    """Create the plan's files; one that appeared since planning is skipped, never overwritten."""
    written: list[NewPaper] = []
    clashes: list[Skipped] = []
    for paper in progress(plan.new):
        try:
            write_new_paper_file(paper.path, paper.fields)
        except FileExistsError:
            clashes.append(
                Skipped(paper.candidate.source, f"{paper.shown} appeared meanwhile; left as it is")
            )
        else:
            written.append(paper)
    return written, clashes


def _validated_fields(
    fields: dict[str, object],
    shown: PurePosixPath,
    vocabulary: Mapping[str, Tag],
    today: datetime.date,
    repair: bool,
) -> tuple[dict[str, object], tuple[str, ...], tuple[str, ...]] | str:
    """Validate the file exactly as it would be written; return fields, remarks and why it
    waits in the inbox (`NewPaper.waiting`), or why it cannot be written.

    A paper that would be published with a warning (no abstract) goes to the inbox
    instead: the strict build would refuse it, and what is called published must build.
    """
    fields = dict(fields)
    dropped: list[str] = []
    while True:  # ends: each round returns, removes one key, or moves a paper to the inbox
        document = parse_yaml_document(shown, format_paper_file(fields).encode("utf-8"))
        if isinstance(document, Problem):
            return document.message
        item, problems = validate_paper(document, vocabulary, today)
        errors = [problem for problem in problems if problem.severity is Severity.ERROR]
        if not errors and isinstance(item, Paper) and problems:
            fields["status"] = "inbox"
            continue
        if not errors:
            missing = item.missing if isinstance(item, InboxItem) else ()
            lacks = (f"lacks {', '.join(missing)}",) if missing else ()
            return fields, tuple(dropped), (*lacks, *(problem.message for problem in problems))
        key = _top_level_key_at(document, errors[0].line)
        if not repair or key is None or key in _NEVER_DROPPED:
            return "; ".join(problem.message for problem in errors)
        fields.pop(key)
        dropped.append(f"left out '{key}': {errors[0].message}")


def _arxiv_key(value: str) -> str:
    """`arXiv:2401.00001v3` and `2401.00001` are one paper."""
    return (arxiv_id(value) or value).lower()


def _top_level_key_at(document: RawDocument, line: int) -> str | None:
    """Return the top-level key whose value spans `line` of the formatted file."""
    starts = sorted(
        (key_line, key)
        for key, key_line in document.lines.items()
        if "." not in key and "[" not in key
    )
    owner = None
    for key_line, key in starts:
        if key_line <= line:
            owner = key
    return owner
