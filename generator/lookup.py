"""Id lookup: which page holds the paper with a given arXiv id, DOI or citation key.

A reader who pastes `2406.19976`, a DOI or `pan2024scalebio` into the search box, or opens
`SITE/abs/2406.19976`, needs one exact answer, which a word index cannot give: ids are
split into words and found in unrelated papers. The map is cut into `BUCKETS` small JSON
files (`ids/3f.json`) by a hash of the key, so a look-up downloads one file of
about 1/256th of the map, whatever the archive's size, and readers who never look an id up
download nothing.

Invariant: `lookup_keys` and `bucket_of` agree with `keysOf` and `bucketOf` in
theme_overrides/javascripts/lookup.js, so the key the browser computes from a pasted id names
the file that holds it. Pure: returns the files; the generator writes them with the pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import PurePosixPath

from generator.index import ArchiveIndex
from generator.model import Paper

LOOKUP_DIR = "ids"
BUCKETS = 256
"""Files the map is cut into; lookup.js names them by two hex digits of the key's hash."""
_ARXIV_DOI = re.compile(r"^10\.48550/arxiv\.(.+)$", re.IGNORECASE)
"""arXiv's own DOIs (`10.48550/arXiv.2406.19976`) name the arXiv id: looked up as one."""
_ARXIV_VERSION = re.compile(r"v\d+$")


def lookup_keys(paper: Paper, citation_key: str) -> list[str]:
    """Return the keys a paper is found by: `arxiv:<id>`, `doi:<doi>`, `key:<citation key>`.

    Lower-case (DOIs and arXiv ids are case-insensitive; readers type keys in any case);
    an arXiv id without its version, as the browser looks it up.
    """
    keys = []
    arxiv_doi = _ARXIV_DOI.match(paper.doi or "")
    arxiv = paper.arxiv or (arxiv_doi.group(1) if arxiv_doi else None)
    if arxiv:
        keys.append(f"arxiv:{_ARXIV_VERSION.sub('', arxiv.lower())}")
    if paper.doi:
        keys.append(f"doi:{paper.doi.lower()}")
    keys.append(f"key:{citation_key.lower()}")
    return keys


def bucket_of(key: str) -> str:
    """Name the file holding `key`: the low byte of its 32-bit FNV-1a hash, in hex."""
    value = 0x811C9DC5
    for byte in key.encode("utf-8"):
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{value % BUCKETS:02x}"


def lookup_files(
    index: ArchiveIndex, describe: Callable[[Paper], list[str]]
) -> dict[PurePosixPath, str]:
    """Return the `ids/<bucket>.json` files: key to `describe(paper)`.

    `describe` gives the page URL (relative to the site root) and what a search result
    shows of the paper, so the box can show it without another request. Two papers
    claiming one key (one DOI pasted into two files) both stay out of the map for that
    key rather than one of them winning silently; their other keys still find them.
    """
    claims: dict[str, list[Paper]] = {}
    for paper in index.papers:
        for key in lookup_keys(paper, index.citation_keys[paper.id]):
            claims.setdefault(key, []).append(paper)
    # Every bucket is written, empty ones too: a look-up never meets a missing file, which
    # browsers report as an error, and a missing file then means a site without the map.
    buckets: dict[str, dict[str, list[str]]] = {f"{n:02x}": {} for n in range(BUCKETS)}
    for key in sorted(claims):
        if len(claims[key]) == 1:
            buckets[bucket_of(key)][key] = describe(claims[key][0])
    return {
        PurePosixPath(f"{LOOKUP_DIR}/{name}.json"): json.dumps(
            entries, ensure_ascii=False, separators=(",", ":")
        )
        for name, entries in buckets.items()
    }
