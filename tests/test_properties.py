"""Properties over arbitrary text (hypothesis): what a curator types is what a reader sees,
every slug and key is URL-safe, unique and stable, and every BibTeX entry reads back.

Text strategies mix arbitrary Unicode with fragments that mean something to one of the
layers a value crosses (HTML, Markdown, Jinja, YAML, LaTeX, bidi), so the examples that
matter come up within the modest example counts that keep the suite fast.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from html import unescape
from html.parser import HTMLParser
from pathlib import PurePosixPath
from urllib.parse import quote

import bibtexparser
import markdown
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.bibtex_format import assign_citation_keys, braces_balanced, format_bibtex
from generator.engines.mkdocs_pages import GENERATED_KEY
from generator.engines.mkdocs_speedups import FrontMatterReader
from generator.importers.intake import KnownPapers
from generator.index import build_indexes
from generator.load import RawDocument
from generator.model import Archive, Paper, Severity, Tag
from generator.pagemeta import front_matter
from generator.paperfile import paper_id_for
from generator.render import SiteInfo, render_pages
from generator.validate import validate_paper, validate_vocabulary

FRAGMENTS = [
    *"<>&\"'`*_#[](){}|!$%^~\\:=-\n\t",
    *("&lt;", "&#60;", "&amp;", "</h1>", "</div>", "<div>", "<p>", "<!--", "-->", "<script>"),
    *("</script>", "{{ 7*7 }}", "{% raw %}", "{#", "# ", "---", "- ", "1. ", "> ", "    "),
    *("```", "{: .x}", "[x](javascript:alert(1))", "[r]: http://e.org", "<http://e.org>"),
    *("$x_i$", "$\\alpha$", "$%$", " and ", " AND ", "LLM", "{LLM}", "\\&", "é", "e\u0301"),
    *("\u202e", "\u2066", "\x00", "\x02", "\x03", "\x1b", "\x85", "\ufeff", "\u2028", "\xa0"),
    *("klzzwxh:0000", "Wang", "Zoë Müller", "日本語", "Ⅻ", "ﬁ"),
]
text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=10).map(
    "".join
)
PROPERTY = settings(max_examples=150, deadline=None)
TODAY = datetime.date(2026, 1, 1)
VOCABULARY = {"t": Tag("t", "Topic", "About a topic.")}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# As mkdocs.yml configures Python-Markdown for the generated pages.
MKDOCS_MARKDOWN = {
    "extensions": ["attr_list", "toc", "pymdownx.highlight", "pymdownx.superfences"],
    "extension_configs": {"toc": {"permalink": True}},
}
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def normalised(value: str) -> str:
    """What validation keeps of a one-line text: NFC, no control or bidi characters, single spaces."""
    kept = "".join(
        character
        for character in unicodedata.normalize("NFC", value)
        if character not in _BIDI
        and not (unicodedata.category(character) == "Cc" and character not in "\t\n\r")
    )
    return " ".join(kept.split())


def validated(fields: dict[str, object], stem: str = "p") -> Paper | None:
    """Validate fields as a paper file would hold them; None when they are not a valid paper."""
    data = {"date": "2024-03-15", "tags": ["t"], "abstract": "An abstract.", **fields}
    document = RawDocument(PurePosixPath(f"papers/{stem}.yaml"), data)
    paper, problems = validate_paper(document, VOCABULARY, TODAY)
    assert all(p.severity is Severity.WARNING for p in problems) or paper is None
    return paper if isinstance(paper, Paper) else None


class _TextOf(HTMLParser):
    """Collect the text of each element whose tag and class match, as a browser shows it."""

    VOID = frozenset("br hr img input link meta wbr".split())

    def __init__(self, tag: str, css_class: str):
        super().__init__(convert_charrefs=True)
        self.tag, self.css_class = tag, css_class
        self.depth = 0
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += tag not in self.VOID
        elif tag == self.tag and self.css_class in (dict(attrs).get("class") or "").split():
            self.depth = 1
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.found[-1] += data


def texts(html: str, tag: str, css_class: str) -> list[str]:
    parser = _TextOf(tag, css_class)
    parser.feed(html)
    parser.close()
    return parser.found


# ---- text survives render -> HTML ----------------------------------------------------------


@PROPERTY
@given(title=text, author=text, venue=text)
def test_any_title_author_and_venue_show_as_the_same_text(
    title: str, author: str, venue: str
) -> None:
    paper = validated({"title": title, "authors": [author], "venue": venue})
    assume(paper is not None)
    assert paper is not None
    assert (paper.title, paper.authors, paper.venue) == (
        normalised(title),
        (normalised(author),),
        normalised(venue) or None,  # an empty optional field is no field
    )
    pages = render_pages(
        build_indexes(Archive(papers=(paper,), tags=tuple(VOCABULARY.values()))),
        SiteInfo("Site", "About."),
    )
    body, meta = get_data(pages[PurePosixPath("papers/p.md")])  # as MkDocs reads a page
    html = markdown.Markdown(**MKDOCS_MARKDOWN).convert(body)  # type: ignore[arg-type]
    assert texts(html, "h1", "pa-paper-title") == [paper.title_text]  # `\$` shows as `$`
    assert texts(html, "p", "pa-byline") == [paper.authors[0]]
    assert texts(html, "a", "pa-venue") == ([paper.venue] if paper.venue else [])
    assert unescape(meta["title"]) == paper.title_text  # Material prints it raw into <title>


@PROPERTY
@given(value=st.one_of(text, st.text()), names=st.lists(text, max_size=3))
def test_front_matter_reads_back_as_written_whatever_the_text(value: str, names: list[str]) -> None:
    fields = {"title": value, "hide": ["toc"], "citation": {"authors": names, "abstract": value}}
    page = front_matter("papers/p.yaml", fields) + "\nbody\n"
    body, meta = get_data(page)  # as MkDocs reads a page, with PyYAML
    assert meta == {**fields, GENERATED_KEY: True}
    assert body == "body\n"
    with_json = FrontMatterReader(lambda doc: pytest.fail("read as YAML, not JSON"))
    assert with_json(page) == (body, meta)  # as `paper-archive build` has MkDocs read it


# ---- slugs and keys: stable, unique, URL-safe ----------------------------------------------


def url_safe(slug: str) -> bool:
    return bool(SLUG.fullmatch(slug)) and quote(slug, safe="") == slug


@PROPERTY
@given(title=text)
def test_paper_ids_from_titles_are_url_safe_stable_and_accepted_as_file_names(title: str) -> None:
    stem = paper_id_for(title)
    assert stem == paper_id_for(title)
    assert url_safe(stem) and len(stem) <= 60
    paper = validated({"title": "T", "authors": ["A"]}, stem)
    assert paper is not None and paper.id == stem


@PROPERTY
@given(titles=st.lists(st.one_of(text, st.sampled_from(["Paper", "paper!", "PAPER"])), max_size=12))
def test_fresh_paper_ids_never_reuse_a_taken_one(titles: list[str]) -> None:
    known = KnownPapers()
    stems = []
    for title in titles:
        stem = known.free_stem(title)
        known.stems.add(stem)
        stems.append(stem)
    assert len(set(stems)) == len(stems)
    assert all(url_safe(stem) for stem in stems)


@PROPERTY
@given(key=st.one_of(text, st.sampled_from(["llm", "llm\n", "LLM", "a--b", "-a", "日本語", "!!!"])))
def test_tag_slugs_are_url_safe_or_refused_with_a_slug_to_use(key: str) -> None:
    vocabulary = RawDocument(
        PurePosixPath("papers/_tags.yaml"), {key: {"title": "T", "description": "D."}}
    )
    tags, problems = validate_vocabulary(vocabulary)
    if tags:
        assert [t.slug for t in tags] == [key] and url_safe(key) and problems == []
        return
    (problem,) = problems
    suggestion = re.search(r"; try '(.*)'$", problem.message)
    if suggestion:
        assert url_safe(suggestion.group(1))


@PROPERTY
@given(names=st.lists(text, min_size=1, max_size=8), data=st.data())
def test_author_slugs_are_unique_url_safe_and_independent_of_file_order(
    names: list[str], data: st.DataObject
) -> None:
    papers = []
    for position, name in enumerate(names):
        paper = validated({"title": "T", "authors": [name]}, f"p{position}")
        if paper is not None:
            papers.append(paper)
    assume(papers)
    authors = build_indexes(Archive(papers=tuple(papers), tags=tuple(VOCABULARY.values()))).authors
    slugs = [author.slug for author in authors]
    assert len(set(slugs)) == len(slugs) == len({p.authors[0] for p in papers})
    assert all(url_safe(slug) for slug in slugs)
    assert all(re.fullmatch(r"[a-z]|other", author.letter) for author in authors)
    shuffled = tuple(data.draw(st.permutations(papers)))
    again = build_indexes(Archive(papers=shuffled, tags=tuple(VOCABULARY.values()))).authors
    assert {a.name: a.slug for a in again} == {a.name: a.slug for a in authors}


def _paper(number: int, title: str, author: str, date: datetime.date) -> Paper:
    return Paper(id=f"p{number}", title=title, authors=(author,), date=date, tags=("t",))


# Titles and names as validation leaves them: normalised, never blank.
one_line = text.map(normalised).filter(bool)


def papers_for_keys(year: int) -> st.SearchStrategy[list[tuple[str, str, datetime.date]]]:
    """(title, first author, date) of papers from `year`, often sharing a key base."""
    return st.lists(
        st.tuples(
            st.one_of(one_line, st.sampled_from(["Large Language Models", "Large models", "The"])),
            st.one_of(one_line, st.sampled_from(["Wei Wang", "Wang", "Zoë Müller"])),
            st.dates(datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
        ),
        min_size=1,
        max_size=12,
    )


@PROPERTY
@given(entries=papers_for_keys(2024), later=papers_for_keys(2025))
def test_citation_keys_are_unique_bibtex_words_and_adding_later_papers_keeps_them(
    entries: list[tuple[str, str, datetime.date]], later: list[tuple[str, str, datetime.date]]
) -> None:
    papers = [_paper(n, title, author, date) for n, (title, author, date) in enumerate(entries)]
    keys = assign_citation_keys(papers)
    assert len(set(keys.values())) == len(papers)
    assert all(re.fullmatch(r"[a-z0-9]+", key) for key in keys.values())
    assert assign_citation_keys(reversed(papers)) == keys
    newer = [  # dated after every existing paper: an addition to the archive
        _paper(len(papers) + n, title, author, date)
        for n, (title, author, date) in enumerate(later)
    ]
    grown = assign_citation_keys(papers + newer)
    assert {paper.id: grown[paper.id] for paper in papers} == keys


def test_a_crowded_citation_key_continues_with_letters() -> None:
    papers = [_paper(n, "Large models", "Wei Wang", datetime.date(2024, 1, 1)) for n in range(30)]
    keys = sorted(assign_citation_keys(papers).values(), key=lambda k: (len(k), k))
    assert keys[:2] == ["wang2024large", "wang2024largeb"]
    assert keys[-5:] == [f"wang2024large{s}" for s in ("z", "aa", "ab", "ac", "ad")]


# ---- BibTeX reads back ---------------------------------------------------------------------

# LaTeX turns `--`, `''`, two backquotes, `?``, `!`` into dashes and quotes on purpose; a
# curator typing them in a title gets the typeset character, so they are left out here.
_TEX_LIGATURE = re.compile(r"--|''|``|[?!]`")
# A name starts with a letter: bibtexparser (unlike BibTeX) misses the `and` before a name
# that starts with a backslash escape (`... and \{x`).
names = st.builds(lambda first, rest: first + rest, st.characters(categories=["L"]), text)


def _decoded(value: str) -> str:
    """pylatexenc reads `\\textasciicircum{}` as U+02C6 (modifier circumflex), not `^`."""
    return value.replace("\u02c6", "^")


@PROPERTY
@given(title=text, authors=st.lists(names, min_size=1, max_size=4), venue=st.none() | text)
def test_every_bibtex_entry_reads_back_as_the_same_title_authors_and_venue(
    title: str, authors: list[str], venue: str | None
) -> None:
    paper = validated({"title": title, "authors": authors, "venue": venue})
    assume(paper is not None)
    assert paper is not None
    assume(not _TEX_LIGATURE.search(f"{paper.title} {paper.authors} {paper.venue}"))
    # A lone brace is written `\textbraceleft` (classic BibTeX counts even `\{`), which
    # pylatexenc does not decode; tests/test_bibtex.py pins that case.
    assume(
        all(braces_balanced(value) for value in (paper.title, *paper.authors, paper.venue or ""))
    )
    entry_text = format_bibtex(paper, "key")
    library = bibtexparser.parse_string(entry_text, append_middleware=[LatexDecodingMiddleware()])
    assert library.failed_blocks == []
    (entry,) = library.entries
    assert entry.key == "key"
    assert _decoded(entry["title"]) == _decoded(paper.title_text)  # `\$` is a dollar in a title
    assert _decoded(entry["author"]) == _decoded(" and ".join(paper.authors))
    if paper.venue:
        venue_field = "journal" if entry.entry_type == "article" else "booktitle"
        assert _decoded(entry[venue_field]) == _decoded(paper.venue)
    (raw,) = bibtexparser.parse_string(entry_text, append_middleware=[SeparateCoAuthors()]).entries
    assert len(raw["author"]) == len(paper.authors)  # `and` inside a name does not split it
