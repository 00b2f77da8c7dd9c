"""BibTeX for one paper: a stable citation key and a correctly escaped entry.

Invariant: every entry is valid BibTeX whose braces balance, whatever the paper's text:
`& % # _ { } \\ ~ ^` are escaped, `$math$` is kept as written, accents stay Unicode
(biber and modern BibTeX read UTF-8) and acronyms in titles are brace-protected.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Collection, Iterable, Iterator

from generator.model import MONTH_NAMES, Paper
from generator.slugs import to_slug

_TITLE_STOPWORDS = frozenset(
    "a an the on of for in to and with via from by at is are towards toward beyond using".split()
)
_JOURNAL_WORDS = re.compile(
    r"\b(journal|transactions|letters|review|magazine|vol\.)", re.IGNORECASE
)
_VENUE_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_MONTHS = [name[:3].lower() for name in MONTH_NAMES]
_INLINE_MATH = re.compile(r"(?<!\\)\$[^$]+(?<!\\)\$")
# Unescaped in a formula, these break LaTeX even in math mode (`%` comments out the rest of
# the line, closing brace included), so such a formula is escaped as prose instead.
_UNSAFE_IN_MATH = re.compile(r"(?<!\\)[%#&]")
# BibTeX splits a name list at the word "and" (any case): a name holding it is braced whole.
_AND_WORD = re.compile(r"(?:^|\s)and(?:\s|$)", re.IGNORECASE)
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
# In a title, as in an abstract, `\$` is a literal dollar already in LaTeX's spelling.
_SPECIAL_OR_DOLLAR = re.compile(r"\\\$|" + _SPECIAL_CHARACTERS.pattern)
# A word with a capital after its first letter (LLM, ScaleBiO, GPT-4, MoE) keeps its case.
_PROTECTED_WORD = re.compile(
    r"(?<![\w{])([A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*[A-Z0-9][A-Za-z0-9-]*|[A-Z]\d[\w-]*)"
)


def citation_key_base(paper: Paper) -> str:
    """Return `pal2024backdoor`: first author's family name, the entry's year
    (`publication_year`, so the key never disagrees with its `year` field), first real
    title word."""
    family = paper.authors[0].split()[-1] if paper.authors else "anonymous"
    words = [w for w in to_slug(paper.title, separator=" ").split() if w not in _TITLE_STOPWORDS]
    first_word = words[0] if words else "paper"
    return f"{to_slug(family, separator='')}{publication_year(paper)}{first_word}"


def assign_citation_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """Give each paper id a key unique in the archive: `wang2024mos`, then `wang2024mosb`.

    The paper added first (by `added`, or its date when it has none; then date, then id)
    keeps the bare key, so adding a paper, even an older one, never changes the key of
    one already cited. A key is made from the paper's own fields, though: it changes when
    they do (a venue of a later year, a corrected first author).
    """
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for paper in sorted(papers, key=lambda p: (p.added or p.date, p.date, p.id)):
        key = keys[paper.id] = unique_key(citation_key_base(paper), taken)
        taken.add(key)
    return keys


def unique_key(base: str, taken: Collection[str]) -> str:
    """`base`, or `base` with the first suffix (`b`, `c` ...) that makes a key not `taken`."""
    suffixes = _key_suffixes()
    key = base
    while key in taken:
        key = base + next(suffixes)
    return key


def _key_suffixes() -> Iterator[str]:
    """Yield `b` ... `z`, then `aa`, `ab` ...: letters only, so the 26th paper of a Wang in
    2024 on "Large ..." gets a valid key rather than `wang2024large{`."""
    yield from string.ascii_lowercase[1:]
    for length in itertools.count(2):
        for letters in itertools.product(string.ascii_lowercase, repeat=length):
            yield "".join(letters)


def entry_type(paper: Paper) -> str:
    """Return `article` for journals, `inproceedings` for other venues, else `misc`."""
    if paper.venue is None:
        return "misc"
    return "article" if _JOURNAL_WORDS.search(paper.venue) else "inproceedings"


def publication_year(paper: Paper) -> int:
    """Year to cite: the venue's (`ACL 2025`) when it names one, else the first version's."""
    match = _VENUE_YEAR.search(paper.venue or "")
    return int(match.group(0)) if match else paper.year


def format_bibtex(paper: Paper, key: str) -> str:
    """Return the paper's BibTeX entry, fields in a fixed order, ending with a newline."""
    kind = entry_type(paper)
    year = publication_year(paper)
    names = [_escape_name(name) for name in paper.authors] + (["others"] if paper.et_al else [])
    fields: list[tuple[str, str]] = [
        ("title", escape_bibtex(paper.title, protect_case=True, literal_dollars=True)),
        ("author", " and ".join(names)),
        ("year", str(year)),
    ]
    if year == paper.year:
        fields.append(("month", _MONTHS[paper.date.month - 1]))
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
    url = (
        f"https://arxiv.org/abs/{paper.arxiv}"
        if paper.arxiv
        else paper.link("pdf") or paper.link("project")
    )
    if url:
        fields.append(("url", escape_bibtex(url)))
    # `month` is a BibTeX macro (jan, feb, ...), written bare; every other value is braced.
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
    )
    return f"@{kind}{{{key},\n{body}\n}}\n"


def escape_bibtex(text: str, protect_case: bool = False, literal_dollars: bool = False) -> str:
    """Escape BibTeX specials outside `$...$`; with `protect_case`, brace acronyms; with
    `literal_dollars` (titles), keep `\\$` as the dollar it already is."""
    pieces: list[str] = []
    position = 0
    for math in _INLINE_MATH.finditer(text):
        pieces.append(_escape_prose(text[position : math.start()], protect_case, literal_dollars))
        formula = math.group(0)
        safe = braces_balanced(formula) and not _UNSAFE_IN_MATH.search(formula)
        pieces.append(formula if safe else _escape_prose(formula, False, literal_dollars))
        position = math.end()
    pieces.append(_escape_prose(text[position:], protect_case, literal_dollars))
    return "".join(pieces)


def _escape_name(name: str) -> str:
    """Escape one author; `{Research and Development Team}` stays one name, not two."""
    escaped = escape_bibtex(name)
    return f"{{{escaped}}}" if _AND_WORD.search(name) else escaped


def _escape_prose(text: str, protect_case: bool, literal_dollars: bool) -> str:
    # Classic BibTeX counts `\{` as a brace too, so a lone brace becomes a brace-free macro.
    lone_braces = (
        {} if braces_balanced(text) else {"{": r"\textbraceleft ", "}": r"\textbraceright "}
    )
    specials = _SPECIAL_OR_DOLLAR if literal_dollars else _SPECIAL_CHARACTERS
    escaped = specials.sub(
        lambda m: lone_braces.get(m.group(0)) or _SPECIALS.get(m.group(0), r"\$"), text
    )
    return _PROTECTED_WORD.sub(r"{\1}", escaped) if protect_case else escaped


def braces_balanced(text: str) -> bool:
    """True when braces nest properly (a formula with a stray brace is escaped as prose)."""
    if "{" not in text and "}" not in text:
        return True
    depth = 0
    for character in re.sub(r"\\[{}]", "", text):
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth < 0:
            return False
    return depth == 0
