"""BibTeX for one paper: a stable citation key and a correctly escaped entry.

Invariant: every entry is valid BibTeX whose braces balance, whatever the paper's text:
`& % # _ { } \\ ~ ^` are escaped, `$math$` is kept as written, accents stay Unicode
(biber and modern BibTeX read UTF-8) and acronyms in titles are brace-protected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from slugify import slugify

from generator.model import Paper

_TITLE_STOPWORDS = frozenset(
    "a an the on of for in to and with via from by at is are towards toward beyond using".split()
)
_JOURNAL_WORDS = re.compile(r"\b(journal|transactions|letters|review|magazine|vol\.)", re.IGNORECASE)
_INLINE_MATH = re.compile(r"(?<!\\)\$[^$]+(?<!\\)\$")
_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_CHARACTERS = re.compile("|".join(re.escape(c) for c in _SPECIALS))
# A word with a capital after its first letter (LLM, ScaleBiO, GPT-4, MoE) keeps its case.
_PROTECTED_WORD = re.compile(r"(?<![\w{])([A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*[A-Z0-9][A-Za-z0-9-]*|[A-Z]\d[\w-]*)")


def citation_key_base(paper: Paper) -> str:
    """Return `pal2024backdoor`: first author's family name, year, first real title word."""
    family = paper.authors[0].split()[-1] if paper.authors else "anonymous"
    words = [w for w in slugify(paper.title, separator=" ").split() if w not in _TITLE_STOPWORDS]
    first_word = words[0] if words else "paper"
    return f"{slugify(family, separator='')}{paper.year}{first_word}"


def assign_citation_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """Give each paper id a key unique in the archive: `wang2024mos`, then `wang2024mosb`.

    The earliest paper (by date, then id) keeps the bare key, so adding a later paper
    never changes the key of one already cited.
    """
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for paper in sorted(papers, key=lambda p: (p.date, p.id)):
        base = citation_key_base(paper)
        key, suffix = base, ord("b")
        while key in taken:
            key, suffix = f"{base}{chr(suffix)}", suffix + 1
        taken.add(key)
        keys[paper.id] = key
    return keys


def entry_type(paper: Paper) -> str:
    """Return `article` for journals, `inproceedings` for other venues, else `misc`."""
    if paper.venue is None:
        return "misc"
    return "article" if _JOURNAL_WORDS.search(paper.venue) else "inproceedings"


def format_bibtex(paper: Paper, key: str) -> str:
    """Return the paper's BibTeX entry, fields in a fixed order, ending with a newline."""
    kind = entry_type(paper)
    fields: list[tuple[str, str]] = [
        ("title", escape_bibtex(paper.title, protect_case=True)),
        ("author", " and ".join(escape_bibtex(name) for name in paper.authors)),
        ("year", str(paper.year)),
        ("month", paper.date.strftime("%b").lower()),
    ]
    if kind == "article":
        fields.append(("journal", escape_bibtex(paper.venue or "")))
    elif kind == "inproceedings":
        fields.append(("booktitle", escape_bibtex(paper.venue or "")))
    if paper.arxiv:
        fields += [("eprint", paper.arxiv), ("archivePrefix", "arXiv")]
        if paper.arxiv_category:
            fields.append(("primaryClass", paper.arxiv_category))
    if paper.doi:
        fields.append(("doi", escape_bibtex(paper.doi)))
    url = f"https://arxiv.org/abs/{paper.arxiv}" if paper.arxiv else paper.link("pdf") or paper.link("project")
    if url:
        fields.append(("url", escape_bibtex(url)))
    # `month` is a BibTeX macro (jan, feb, ...), written bare; every other value is braced.
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields
    )
    return f"@{kind}{{{key},\n{body}\n}}\n"


def escape_bibtex(text: str, protect_case: bool = False) -> str:
    """Escape BibTeX specials outside `$...$`; with `protect_case`, brace acronyms."""
    pieces: list[str] = []
    position = 0
    for math in _INLINE_MATH.finditer(text):
        pieces.append(_escape_prose(text[position : math.start()], protect_case))
        pieces.append(math.group(0) if _balanced(math.group(0)) else _escape_prose(math.group(0), False))
        position = math.end()
    pieces.append(_escape_prose(text[position:], protect_case))
    return "".join(pieces)


def _escape_prose(text: str, protect_case: bool) -> str:
    escaped = _SPECIAL_CHARACTERS.sub(lambda m: _SPECIALS[m.group(0)], text)
    return _PROTECTED_WORD.sub(r"{\1}", escaped) if protect_case else escaped


def _balanced(text: str) -> bool:
    """True when braces nest properly (a formula with a stray brace is escaped as prose)."""
    depth = 0
    for character in re.sub(r"\\[{}]", "", text):
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth < 0:
            return False
    return depth == 0
