"""Text the templates show: citations, bylines, dates, button labels; and the template
environment whose filters they are.

Invariant: the same text in every locale (month names are fixed in `model.MONTH_NAMES`).
"""

from __future__ import annotations

import datetime
import functools

import jinja2

from generator.bibtex_format import publication_year
from generator.model import MONTH_NAMES, Paper
from generator.pagemeta import heading_id
from generator.urls import author_feed_path, tag_feed_path


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
    """Return a one-line citation: `Pal, Yao, Wang et al. (2024). Title. ICLR 2024. arXiv:…`,
    of the year the BibTeX entry gives (`publication_year`)."""
    byline = short_authors(paper.authors, paper.et_al)
    parts = [f"{byline} ({publication_year(paper)}). {paper.title_text.rstrip('.')}."]
    if paper.venue:
        parts.append(f"{paper.venue}.")
    if paper.arxiv:
        parts.append(f"arXiv:{paper.arxiv}.")
    if paper.doi:
        parts.append(f"https://doi.org/{paper.doi}")
    return " ".join(parts)


def short_authors(authors: tuple[str, ...], et_al: bool = False) -> str:
    """Return up to four names in full; longer lists, or cut-short ones, end in `et al.`."""
    if len(authors) <= 4:
        return f"{', '.join(authors)} et al." if et_al else ", ".join(authors)
    return f"{', '.join(authors[:3])} et al."


def long_date(date: datetime.date) -> str:
    """Return `15 March 2024`, the same in every locale."""
    return f"{date.day} {MONTH_NAMES[date.month - 1]} {date.year}"


def month_name(date: datetime.date) -> str:
    """Return `March 2024`."""
    return f"{MONTH_NAMES[date.month - 1]} {date.year}"


def letter_label(letter: str) -> str:
    """Return `A` for `a`, and `Other` for family names that do not start with a-z."""
    return "Other" if letter == "other" else letter.upper()


@functools.cache
def template_environment() -> jinja2.Environment:
    """Return the templates' environment, loaded once per process; autoescape is on for
    every template."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        auto_reload=False,  # templates are code: no stat of the file per page rendered
    )
    environment.filters.update(
        short_authors=short_authors,
        long_date=long_date,
        month_name=month_name,
        letter_label=letter_label,
        anchor=heading_id,
        tag_of=lambda slug, index: index.tag_of[slug],
        tag_feed_path=tag_feed_path,
        author_feed_path=author_feed_path,
    )
    return environment
