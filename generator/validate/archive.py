"""Checks between papers, once each file is valid on its own: no paper is in two files.

Invariant: pure; each clash is reported on the later file (by id), naming the first, so the
message is the same whichever order the files were read in.
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.model import Paper, Problem


def validate_archive(papers: Iterable[Paper]) -> list[Problem]:
    """Find problems between papers: the same arXiv id or DOI in two files."""
    problems: list[Problem] = []
    papers = sorted(papers, key=lambda p: p.id)  # once: `papers` may be a one-pass generator
    for attribute in ("arxiv", "doi"):
        first_seen: dict[str, Paper] = {}
        for paper in papers:
            value = getattr(paper, attribute)
            if value is None:
                continue
            key = value.lower()
            if key in first_seen:
                other = first_seen[key].source.path
                problems.append(
                    Problem(
                        paper.source.path,
                        paper.source.line_of(attribute),
                        f"'{attribute}' {value} is already in {other}; keep one of the two files",
                    )
                )
            else:
                first_seen[key] = paper
    return problems
