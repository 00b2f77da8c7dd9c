"""What the archive (and the batch so far) already holds, and how a candidate matches it.

Invariant: read from raw YAML, never validated: an inbox file or one with errors still names
a paper the curator already has. An identifier (arXiv id, DOI) decides alone; a title only
when first author, year and arXiv id do not say otherwise (`matching`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from generator.identifiers import arxiv_key, doi_key, title_key
from generator.importers.candidate import Candidate
from generator.importers.matching import (
    Identity,
    disagreement,
    first_agreeing,
    identity_of_candidate,
    identity_of_data,
)
from generator.load import RawDocument, list_paper_files, load_paper_files
from generator.paperfile import paper_id_for


@dataclass(frozen=True)
class Duplicate:
    """A candidate already in the archive (or another copy of a paper new in the same batch)."""

    title: str
    source: str
    matched: PurePosixPath
    reason: str
    """`same arXiv id 2403.10717`, `same DOI ...`, `same title`."""
    in_batch: bool = False
    kept: str | None = None
    """In a batch: the source of the copy written instead (the richest of the copies)."""
    not_kept: tuple[str, ...] = ()
    """In a batch: this copy's values that the written file does not hold."""


class KnownPapers:
    """The archive's arXiv ids, DOIs and titles (with who and when), read from raw YAML.

    Raw, not validated: an inbox file or one with errors still names a paper the curator
    already has, and a second import must not add it again. An identifier match is a
    duplicate; a title match only when `matching.disagreement` finds nothing against it.
    """

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], PurePosixPath] = {}
        self._titles: dict[str, list[tuple[PurePosixPath, Identity]]] = {}
        self._in_batch: set[PurePosixPath] = set()
        self.data: dict[PurePosixPath, dict[str, object]] = {}
        """Each archive file's raw fields, for what an import could add to it."""
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
        self.data[document.path] = data
        arxiv = str(data["arxiv"]) if data.get("arxiv") is not None else None
        doi = data.get("doi")
        title = data.get("title")
        self._remember_keys(
            document.path,
            arxiv,
            doi if isinstance(doi, str) else None,
            title if isinstance(title, str) else None,
            identity_of_data(data),
        )

    def remember(self, path: PurePosixPath, candidate: Candidate) -> None:
        """Record a paper of this batch, written (or to be written) as `path`."""
        self._remember_keys(
            path, candidate.arxiv, candidate.doi, candidate.title, identity_of_candidate(candidate)
        )
        self._in_batch.add(path)

    def _remember_keys(
        self,
        path: PurePosixPath,
        arxiv: str | None,
        doi: str | None,
        title: str | None,
        identity: Identity,
    ) -> None:
        """First file wins an identifier, as in the archive check; titles keep every file."""
        for kind, value in (("arxiv", arxiv and arxiv_key(arxiv)), ("doi", doi and doi_key(doi))):
            if value:
                self._ids.setdefault((kind, value), path)
        if title and (key := title_key(title)):
            self._titles.setdefault(key, []).append((path, identity))
        self.stems.add(path.stem)

    def match(self, candidate: Candidate) -> Duplicate | None:
        """Return how `candidate` duplicates a known paper: same arXiv id, DOI, or title with
        nothing against it (first author, year, arXiv id)."""
        for kind, value, reason in (
            ("arxiv", candidate.arxiv, f"same arXiv id {candidate.arxiv}"),
            ("doi", candidate.doi, f"same DOI {candidate.doi}"),
        ):
            path = self.owner(kind, value) if value else None
            if path:
                return self._duplicate(candidate, path, reason)
        same_titled = self._titles.get(title_key(candidate.title), [])
        agreeing = first_agreeing(
            identity_of_candidate(candidate), [identity for _, identity in same_titled]
        )
        if agreeing is None:
            return None
        return self._duplicate(candidate, same_titled[agreeing][0], "same title")

    def clashes(self, candidate: Candidate) -> tuple[tuple[PurePosixPath, str], ...]:
        """The files with `candidate`'s title that `match` did not take, each with why not."""
        identity = identity_of_candidate(candidate)
        found: dict[PurePosixPath, str] = {}
        for path, other in self._titles.get(title_key(candidate.title), []):
            reason = disagreement(identity, other)
            if reason and path not in found:  # a batch file is listed once, by its first copy
                found[path] = reason
        return tuple(found.items())

    def owner(self, kind: str, value: str) -> PurePosixPath | None:
        """Return the file that holds this `arxiv` id or `doi`, if any."""
        key = arxiv_key(value) if kind == "arxiv" else doi_key(value)
        return self._ids.get((kind, key))

    def path_of_arxiv(self, identifier: str) -> PurePosixPath | None:
        """Return the file that already holds this arXiv id, if any."""
        return self.owner("arxiv", identifier)

    def free_stem(self, title: str) -> str:
        """Return a file stem for `title` that no file uses yet (`-2`, `-3` on a clash)."""
        base = paper_id_for(title)
        stem, number = base, 1
        while stem in self.stems:
            number += 1
            stem = f"{base}-{number}"
        return stem

    def _duplicate(self, candidate: Candidate, path: PurePosixPath, reason: str) -> Duplicate:
        in_batch = path in self._in_batch
        return Duplicate(candidate.title, candidate.source, path, reason, in_batch)
