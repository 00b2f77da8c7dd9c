"""The one path every importer shares: candidates -> duplicate check -> validated new files.

Invariant: nothing already in `papers/` is ever overwritten or edited here; what duplicates
could add to an archive file is only proposed (`Update`, applied by `amend` on request).
Every file or addition that a plan proposes has been formatted, parsed back and validated in
memory first, so what is written always loads. Imported papers are `status: inbox` with
`tags: []`: the validator lets them lack tags, authors and a date, and keeps them off the
site until a curator completes them (`paper-archive inbox` lists what each lacks).
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
)
from generator.importers.known import Duplicate, KnownPapers
from generator.importers.merging import additions_for, describe_additions, merge_copies
from generator.load import (
    RawDocument,
    display_path,
    parse_yaml_document,
)
from generator.model import InboxItem, Paper, Problem, Severity, Tag
from generator.paperfile import format_paper_file, write_new_paper_file
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
class PossibleDuplicate:
    """A paper added although other files have its title, because they disagree on who or when."""

    title: str
    source: str
    added: PurePosixPath
    """The file this import writes."""
    matched: tuple[tuple[PurePosixPath, str], ...]
    """Each same-titled file (in the archive or new in this import) and why it is another
    work: `first authors Youngmin Cho and Lawrence Saul`, `years 2009 and 2012`."""


@dataclass(frozen=True)
class Update:
    """Fields that duplicates in an import would add to an archive file; written only on request."""

    path: Path
    shown: PurePosixPath
    additions: dict[str, object] = field(compare=False)
    """Each added key with the whole value it would have (an extended list, say)."""
    summary: str
    """`arxiv, doi, 33 more authors`."""


@dataclass(frozen=True)
class ImportPlan:
    """What an import would do: nothing is written until `write_plan` (or `apply_update`)."""

    seen: int
    new: tuple[NewPaper, ...]
    duplicates: tuple[Duplicate, ...]
    skipped: tuple[Skipped, ...]
    possible: tuple[PossibleDuplicate, ...] = ()
    updates: tuple[Update, ...] = ()


def paper_fields(candidate: Candidate, added: datetime.date) -> dict[str, object]:
    """Return the file's fields: inbox unless the candidate is complete and tagged."""
    complete = bool(candidate.tags and candidate.authors and candidate.date)
    fields: dict[str, object] = {
        "title": candidate.title,
        "authors": [name for name in candidate.authors if name],  # a name twice is two people
        "et_al": candidate.et_al or None,
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

    Copies of one paper within the batch become one file, made from the richest copy with
    its gaps filled from the others (`merging`); copies of an archive paper become an
    `Update` listing what they would add to its file. With `repair`, an optional field that
    would fail validation (a malformed DOI, a date before 1900) is left out with a remark
    instead of losing the whole paper.
    """
    groups: dict[PurePosixPath, list[_Copy]] = {}
    """Copies of each paper new in this batch, under the file it gets; the first is the one
    that was new (`duplicate` None)."""
    of_archive: dict[PurePosixPath, list[_Copy]] = {}
    clashes: dict[PurePosixPath, tuple[tuple[PurePosixPath, str], ...]] = {}
    for index, candidate in enumerate(batch.candidates):
        duplicate = known.match(candidate)
        if duplicate and duplicate.in_batch:
            groups[duplicate.matched].append(_Copy(index, candidate, duplicate))
            known.remember(duplicate.matched, candidate)
        elif duplicate:
            of_archive.setdefault(duplicate.matched, []).append(_Copy(index, candidate, duplicate))
        else:
            shown = display_path(papers_dir / f"{known.free_stem(candidate.title)}.yaml", root)
            clashes[shown] = known.clashes(candidate)
            groups[shown] = [_Copy(index, candidate, None)]
            known.remember(shown, candidate)
    check = _Checker(known, vocabulary or {}, today, repair, added)
    new: list[NewPaper] = []
    duplicates = [copy for copies in of_archive.values() for copy in copies]
    skipped = list(batch.skipped)
    for shown, copies in groups.items():
        result = check.combine(papers_dir / shown.name, shown, copies)
        if isinstance(result, str):
            skipped += [Skipped(copy.candidate.source, result) for copy in copies]
        else:
            new.append(result[0])
            duplicates += result[1]
    written = {paper.shown for paper in new}
    possible = [
        PossibleDuplicate(paper.candidate.title, paper.candidate.source, paper.shown, matched)
        for paper in new
        if (
            matched := tuple(
                (path, reason)
                for path, reason in clashes[paper.shown]
                if path in written or path not in groups
            )
        )
    ]
    updates = [
        update
        for shown, copies in of_archive.items()
        if (update := check.update(papers_dir / shown.name, shown, copies))
    ]
    return ImportPlan(
        batch.seen,
        tuple(new),
        tuple(copy.duplicate for copy in sorted(duplicates) if copy.duplicate),
        tuple(skipped),
        tuple(possible),
        tuple(updates),
    )


@dataclass(frozen=True, order=True)
class _Copy:
    """A candidate in input order, with the known paper it duplicates (None if it was new)."""

    index: int
    candidate: Candidate = field(compare=False)
    duplicate: Duplicate | None = field(compare=False)


@dataclass(frozen=True)
class _Checker:
    """Turns copies of one paper into validated fields: a new file's, or an archive file's gains."""

    known: KnownPapers
    vocabulary: Mapping[str, Tag]
    today: datetime.date
    repair: bool
    added: datetime.date

    def combine(
        self, path: Path, shown: PurePosixPath, copies: list[_Copy]
    ) -> tuple[NewPaper, list[_Copy]] | str:
        """The new file for these copies and the copies it replaces, or why it cannot be."""
        checked = [(copy, self.fields(copy.candidate, shown)) for copy in copies]
        valid = [(copy, result) for copy, result in checked if not isinstance(result, str)]
        if not valid:
            return str(checked[0][1])
        if len(valid) == 1:
            ((copy, (fields, dropped, waiting)),) = valid
            return NewPaper(
                path, shown, fields, copy.candidate, copy.candidate.remarks + dropped, waiting
            ), []
        merged = merge_copies(
            [fields for _, (fields, _, _) in valid],
            lambda key, value: self.usable(key, value, shown),
        )
        final = _validated_fields(merged.fields, shown, self.vocabulary, self.today, self.repair)
        if isinstance(final, str):  # not expected: each copy passed alone
            return final
        kept, (_, kept_dropped, _) = valid[merged.kept]
        sources = [copy.candidate.source for copy, _ in valid]
        filled = [f"'{key}' from {sources[index]}" for key, index in merged.filled]
        remarks = (
            *kept.candidate.remarks,
            *kept_dropped,
            *final[1],
            *([f"filled {', '.join(filled)} (another copy in this import)"] if filled else []),
            *[
                f"left out {lost}: another file has it"
                for lost in merged.not_kept.get(merged.kept, ())
            ],
        )
        matched = next(copy.duplicate for copy, _ in valid if copy.duplicate)
        replaced = [
            _Copy(
                copy.index,
                copy.candidate,
                Duplicate(
                    copy.candidate.title,
                    copy.candidate.source,
                    shown,
                    (copy.duplicate or matched).reason,
                    in_batch=True,
                    kept=kept.candidate.source,
                    not_kept=(*dropped, *merged.not_kept.get(number, ())),
                ),
            )
            for number, (copy, (_, dropped, _)) in enumerate(valid)
            if number != merged.kept
        ]
        return NewPaper(path, shown, final[0], kept.candidate, remarks, final[2]), replaced

    def update(self, path: Path, shown: PurePosixPath, copies: list[_Copy]) -> Update | None:
        """What `copies` would add to the archive file `shown`, if anything."""
        existing = self.known.data.get(shown, {})

        def usable(key: str, value: object) -> bool:
            return self.usable(key, value, shown)

        quick = [paper_fields(copy.candidate, self.added) for copy in copies]
        if not additions_for(existing, quick, usable):
            return None  # most re-imported copies add nothing: no need to validate them
        results = [self.fields(copy.candidate, shown) for copy in copies]
        checked = [result[0] for result in results if not isinstance(result, str)]
        additions = additions_for(existing, checked, usable)
        if not additions:
            return None
        return Update(path, shown, additions, describe_additions(existing, additions))

    def fields(
        self, candidate: Candidate, shown: PurePosixPath
    ) -> tuple[dict[str, object], tuple[str, ...], tuple[str, ...]] | str:
        """The candidate's file fields as validated (and repaired), or why it cannot be."""
        fields = paper_fields(candidate, self.added)
        return _validated_fields(fields, shown, self.vocabulary, self.today, self.repair)

    def usable(self, key: str, value: object, shown: PurePosixPath) -> bool:
        """An identifier is filled in only where no other file has it (`check` would refuse)."""
        if key not in ("arxiv", "doi") or not isinstance(value, str):
            return True
        return self.known.owner(key, value) in (None, shown)


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
