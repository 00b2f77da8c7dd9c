"""Stage 5, render: turn the indexes into Markdown pages, one Jinja template per page kind.

Invariant: pure; returns `{path in docs_dir: Markdown}`. Text from paper files reaches a
page only HTML-escaped and only inside raw HTML blocks (never as Markdown syntax), so a
title can neither inject markup nor restructure the page. Links between generated pages
are relative, so the site works at any sub-path.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import PurePosixPath

import jinja2
from markupsafe import Markup

from generator.bibtex import format_bibtex
from generator.index import ArchiveIndex, Author, co_authors, group_by_month
from generator.markup import plain_text, render_markdown
from generator.model import Paper

Pages = dict[PurePosixPath, str]

MONTHS = ("January February March April May June July August September October November December").split()
RECENT_COUNT = 10
PROLIFIC_COUNT = 30
SUMMARY_LENGTH = 160


@dataclass(frozen=True)
class SiteInfo:
    """What the home page says about the archive (from `mkdocs.yml`)."""

    name: str
    description: str


def url_for_paper(paper: Paper) -> str:
    """Return the URL of a paper's page, relative to the site root: `papers/<id>/`."""
    return f"papers/{paper.id}/"


def url_for_tag(slug: str) -> str:
    """Return the URL of a tag's page: `tags/<slug>/`."""
    return f"tags/{slug}/"


def url_for_year(year: int) -> str:
    """Return the URL of a year's page: `timeline/<year>/`."""
    return f"timeline/{year}/"


def url_for_letter(letter: str) -> str:
    """Return the URL of the authors page for family names starting with `letter`."""
    return f"authors/{letter}/"


HOME, TAG_INDEX, TIMELINE, AUTHOR_INDEX = "", "tags/", "timeline/", "authors/"
_SECTION_INDEXES = frozenset((HOME, TAG_INDEX, TIMELINE, AUTHOR_INDEX))


def source_path(url: str) -> PurePosixPath:
    """Return the Markdown file MkDocs turns into `url` (`tags/` <- `tags/index.md`)."""
    return PurePosixPath(f"{url}index.md" if url in _SECTION_INDEXES else f"{url[:-1]}.md")


def relative_url(source: str, target: str, fragment: str = "") -> str:
    """Return the link from the page at URL `source` to the page at URL `target`.

    Always climbs to the site root first (`../../tags/llm/`): a few bytes longer than the
    shortest path, but plain string work, which matters at 10,000 pages, and correct under
    any sub-path the site is published at.
    """
    url = "../" * source.count("/") + target or "./"
    return f"{url}#{fragment}" if fragment else url


class LinksFrom:
    """URLs as seen from one page; templates call `to.paper(p)`, `to.tag(slug)`, ..."""

    def __init__(self, source: str):
        self.source = source

    def paper(self, paper: Paper) -> str:
        return relative_url(self.source, url_for_paper(paper))

    def tag(self, slug: str) -> str:
        return relative_url(self.source, url_for_tag(slug))

    def year(self, year: int) -> str:
        return relative_url(self.source, url_for_year(year))

    def letter(self, letter: str) -> str:
        return relative_url(self.source, url_for_letter(letter))

    def author(self, author: Author) -> str:
        return relative_url(self.source, url_for_letter(author.letter), author.slug)

    def tag_index(self) -> str:
        return relative_url(self.source, TAG_INDEX)

    def timeline(self) -> str:
        return relative_url(self.source, TIMELINE)

    def author_index(self) -> str:
        return relative_url(self.source, AUTHOR_INDEX)


def render_pages(index: ArchiveIndex, site: SiteInfo) -> Pages:
    """Render every generated page of the archive."""
    environment = _environment()
    letters = _authors_by_letter(index)
    pages: Pages = {}

    def render(url: str, template: str, **context: object) -> None:
        pages[source_path(url)] = environment.get_template(template).render(index=index, to=LinksFrom(url), **context)

    for paper in index.papers:
        _render_paper(render, paper, index)
    render(TAG_INDEX, "tag_index.md.j2", tags_by_count=sorted(index.tags, key=lambda t: -len(index.by_tag[t.slug])))
    for tag in index.tags:
        render(url_for_tag(tag.slug), "tag.md.j2", tag=tag, papers=index.by_tag[tag.slug])
    busiest = max((len(papers) for papers in index.by_year.values()), default=1)
    render(TIMELINE, "timeline_index.md.j2", busiest=busiest)
    for year, papers in index.by_year.items():
        render(url_for_year(year), "year.md.j2", year=year, count=len(papers), months=group_by_month(papers))
    prolific = sorted(index.authors, key=lambda a: -len(index.by_author[a.name]))[:PROLIFIC_COUNT]
    render(AUTHOR_INDEX, "author_index.md.j2", letters=letters, prolific=prolific)
    for letter, authors in letters:
        render(
            url_for_letter(letter),
            "author_letter.md.j2",
            letter=letter,
            letters=letters,
            authors=authors,
            co_authors=lambda name: co_authors(name, index),
        )
    popular = sorted(index.tags, key=lambda t: -len(index.by_tag[t.slug]))
    render(HOME, "home.md.j2", site=site, recent_count=RECENT_COUNT, popular_tags=[t for t in popular if index.by_tag[t.slug]])
    return pages


def _render_paper(render, paper: Paper, index: ArchiveIndex) -> None:  # type: ignore[no-untyped-def]
    render(
        url_for_paper(paper),
        "paper.md.j2",
        paper=paper,
        buttons=paper_buttons(paper),
        abstract_html=Markup(render_markdown(paper.abstract)) if paper.abstract else None,
        notes_html=Markup(render_markdown(paper.notes)) if paper.notes else None,
        bibtex=Markup(format_bibtex(paper, index.citation_keys[paper.id])),
        citation=plain_citation(paper),
    )


def paper_buttons(paper: Paper) -> list[tuple[str, str]]:
    """Return (label, URL) of the paper's link buttons: arXiv first, then its links, then DOI."""
    buttons = []
    if paper.arxiv:
        buttons.append(("arXiv", f"https://arxiv.org/abs/{paper.arxiv}"))
        if not paper.link("pdf"):
            buttons.append(("PDF", f"https://arxiv.org/pdf/{paper.arxiv}"))
    labels = {"pdf": "PDF", "code": "Code", "project": "Project page"}
    buttons += [(labels.get(link.kind, link.kind.capitalize()), link.url) for link in paper.links]
    if paper.doi:
        buttons.append(("DOI", f"https://doi.org/{paper.doi}"))
    return buttons


def plain_citation(paper: Paper) -> str:
    """Return a one-line citation: `Pal, Yao, Wang et al. (2024). Title. ICLR 2024. arXiv:…`."""
    parts = [f"{short_authors(paper.authors)} ({paper.year}). {paper.title.rstrip('.')}."]
    if paper.venue:
        parts.append(f"{paper.venue}.")
    if paper.arxiv:
        parts.append(f"arXiv:{paper.arxiv}.")
    if paper.doi:
        parts.append(f"https://doi.org/{paper.doi}")
    return " ".join(parts)


def short_authors(authors: tuple[str, ...]) -> str:
    """Return up to four names in full; longer lists as the first three and `et al.`."""
    if len(authors) <= 4:
        return ", ".join(authors)
    return f"{', '.join(authors[:3])} et al."


def plain_summary(markdown_text: str) -> str:
    """Return the first ~160 characters of Markdown as plain text, for meta descriptions."""
    text = plain_text(markdown_text)
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def yaml_html(text: str) -> Markup:
    """Quote HTML-escaped text as a YAML scalar: MkDocs and Material print meta values raw."""
    escaped = escape(text, quote=True)
    body = "".join(
        character if character.isprintable() and character not in '"\\' else _yaml_escape(character)
        for character in escaped
    )
    return Markup(f'"{body}"')


def _yaml_escape(character: str) -> str:
    code = ord(character)
    if character in '"\\':
        return f"\\{character}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def long_date(date) -> str:  # type: ignore[no-untyped-def]
    """Return `15 March 2024`, the same in every locale."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def month_name(date) -> str:  # type: ignore[no-untyped-def]
    """Return `March 2024`."""
    return f"{MONTHS[date.month - 1]} {date.year}"


def letter_label(letter: str) -> str:
    """Return `A` for `a`, and `Other` for family names that do not start with a-z."""
    return "Other" if letter == "other" else letter.upper()


def _authors_by_letter(index: ArchiveIndex) -> list[tuple[str, list[Author]]]:
    letters: dict[str, list[Author]] = {}
    for author in index.authors:
        letters.setdefault(author.letter, []).append(author)
    return sorted(letters.items(), key=lambda item: (item[0] == "other", item[0]))


_ENVIRONMENTS: list[jinja2.Environment] = []


def _environment() -> jinja2.Environment:
    """Load templates once per process; autoescape is on for every template."""
    if not _ENVIRONMENTS:
        environment = jinja2.Environment(
            loader=jinja2.PackageLoader("generator", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=False,
        )
        environment.filters.update(
            yaml_html=yaml_html,
            plain_summary=plain_summary,
            short_authors=short_authors,
            long_date=long_date,
            month_name=month_name,
            letter_label=letter_label,
            tag_of=lambda slug, index: index.tag_of[slug],
        )
        _ENVIRONMENTS.append(environment)
    return _ENVIRONMENTS[0]
