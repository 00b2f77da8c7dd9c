"""RIS and CSL-JSON: the paper's BibTeX entry in the two formats reference managers import.

RIS is what EndNote, Mendeley and Zotero import from a file; CSL-JSON is what citeproc
(Zotero, Pandoc, Quarto) formats citations from. Both carry what the BibTeX entry carries
(`bibtex.format_bibtex`: title, authors, the entry's year, venue, arXiv id, DOI, URL) plus
the tags as keywords; neither carries the abstract, so a paper's files stay small
(papers.json has every field).

Invariant: pure and deterministic; records list their fields in a fixed order, and the
year is `bibtex.publication_year`, so the key, the entry, the plain citation and these
files never disagree. A RIS value is one line whatever the paper's text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.bibtex_format import entry_type, publication_year
from generator.index import ArchiveIndex
from generator.model import Paper

_RIS_TYPES = {"article": "JOUR", "inproceedings": "CPAPER"}
_CSL_TYPES = {"article": "article-journal", "inproceedings": "paper-conference"}


@dataclass(frozen=True)
class Reference:
    """One paper in both formats, made once for its own files and the archive's."""

    ris: str
    """RIS record, `TY` to `ER`, ending with a newline."""
    csl: str
    """CSL-JSON item: one JSON object on one line."""


def references(index: ArchiveIndex, papers: Iterable[Paper] | None = None) -> dict[str, Reference]:
    """Return the `Reference` of each of `papers` (by default all), by id."""
    found = {}
    for paper in index.papers if papers is None else papers:
        key = index.citation_keys[paper.id]
        keywords = tuple(index.tag_of[slug].title for slug in paper.tags)
        found[paper.id] = Reference(
            ris_record(paper, key, keywords),
            json.dumps(csl_item(paper, key, keywords), ensure_ascii=False, separators=(",", ":")),
        )
    return found


def ris_record(paper: Paper, key: str, keywords: Iterable[str] = ()) -> str:
    """Return the paper's RIS record: tags in the order of the RIS specification."""
    kind = entry_type(paper)
    year = publication_year(paper)
    lines = [("TY", _RIS_TYPES.get(kind, "UNPB" if paper.arxiv else "GEN")), ("ID", key)]
    lines.append(("TI", paper.title_text))
    lines += [("AU", _ris_name(name)) for name in paper.authors]
    lines.append(("PY", str(year)))
    if year == paper.year:  # as BibTeX gives a month only then: one date, not two
        lines.append(("DA", paper.date.strftime("%Y/%m/%d/")))
    if paper.venue:
        lines.append(("T2", paper.venue))
    elif paper.arxiv:
        lines.append(("PB", "arXiv"))
    if paper.arxiv:
        lines.append(("AN", f"arXiv:{paper.arxiv}"))
    if paper.doi:
        lines.append(("DO", paper.doi))
    url = _url(paper)
    if url:
        lines.append(("UR", url))
    lines += [("KW", keyword) for keyword in keywords]
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_one_line(value)}\n" for tag, value in lines)


def csl_item(paper: Paper, key: str, keywords: Iterable[str] = ()) -> dict[str, object]:
    """Return the paper's CSL-JSON item (CSL 1.0.2 variables)."""
    kind = entry_type(paper)
    year = publication_year(paper)
    date_parts = (
        [year, paper.date.month, paper.date.day] if year == paper.year else [year]
    )  # the first version's month and day belong to its year only
    item: dict[str, object] = {
        "id": key,
        "type": _CSL_TYPES.get(kind, "article"),
        "title": paper.title_text,
        "author": [_csl_name(name) for name in paper.authors],
        "issued": {"date-parts": [date_parts]},
    }
    if paper.venue:
        item["container-title"] = paper.venue
    elif paper.arxiv:
        item["publisher"] = "arXiv"  # a preprint, as Zotero writes one
    if paper.arxiv:
        item["number"] = f"arXiv:{paper.arxiv}"
    if paper.doi:
        item["DOI"] = paper.doi
    url = _url(paper)
    if url:
        item["URL"] = url
    keywords = list(keywords)
    if keywords:
        item["keyword"] = ", ".join(keywords)
    return item


def archive_ris(
    papers: Iterable[Paper], keys: Mapping[str, str], found: Mapping[str, Reference]
) -> str:
    """Return one RIS file of `papers`, sorted by citation key as `papers.bib` is."""
    return "\n".join(found[paper_id].ris for _, paper_id in _by_key(papers, keys))


def archive_csl_json(
    papers: Iterable[Paper], keys: Mapping[str, str], found: Mapping[str, Reference]
) -> str:
    """Return a CSL-JSON array of `papers`, sorted by citation key, one item per line."""
    items = ",\n".join(found[paper_id].csl for _, paper_id in _by_key(papers, keys))
    return f"[\n{items}\n]\n" if items else "[]\n"


def paper_csl_json(reference: Reference) -> str:
    """Return a CSL-JSON file of one paper: an array, as citeproc and Zotero read it."""
    return f"[\n{reference.csl}\n]\n"


def _by_key(papers: Iterable[Paper], keys: Mapping[str, str]) -> list[tuple[str, str]]:
    return sorted((keys[paper.id], paper.id) for paper in papers)


def _url(paper: Paper) -> str | None:
    """The entry's URL, as in BibTeX: the arXiv abstract page, else the PDF or project."""
    if paper.arxiv:
        return f"https://arxiv.org/abs/{paper.arxiv}"
    return paper.link("pdf") or paper.link("project")


def _split_name(name: str) -> tuple[str, str]:
    """Return (family, given): the family name is the last word, as the author index has it."""
    given, _, family = name.rpartition(" ")
    return family, given


def _ris_name(name: str) -> str:
    family, given = _split_name(name)
    return f"{family}, {given}" if given else family


def _csl_name(name: str) -> dict[str, str]:
    family, given = _split_name(name)
    return {"family": family, "given": given} if given else {"literal": name}


def _one_line(value: str) -> str:
    """RIS is one tag per line: a value never holds a line break."""
    return " ".join(value.split())
