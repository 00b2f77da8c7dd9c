"""Author pages in Chromium, on a desktop and a 390x844 phone: a byline name reads as a
link, clicking it lands on the author's page (or their entry, for one paper), whose
feed a reader can follow."""

from __future__ import annotations

import feedparser
import pytest

from generator.index import ArchiveIndex, Author
from generator.model import Paper
from generator.urls import author_feed_path, url_for_author, url_for_paper

pytestmark = [pytest.mark.browser, pytest.mark.slow]
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def first_paper_by(index: ArchiveIndex, has_page: bool) -> tuple[Paper, str, Author]:
    """The newest paper with an author who has (or has not) a page, the name it gives them,
    and that author."""
    return next(
        (paper, name, author)
        for paper in index.papers
        for name, author in zip(paper.authors, index.bylines[paper.id], strict=True)
        if author.has_page is has_page
    )


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_clicking_an_author_on_a_paper_page_lands_on_their_page(  # type: ignore[no-untyped-def]
    new_context, site_url: str, sample_index: ArchiveIndex, viewport: str
) -> None:
    paper, name, author = first_paper_by(sample_index, has_page=True)
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    page.goto(site_url + url_for_paper(paper))
    page.locator(".pa-byline a", has_text=name).first.click()
    page.wait_for_url(f"**/{url_for_author(author)}")
    assert page.locator("h1").inner_text() == author.name
    listed = page.locator("ul.pa-list--lean > li > a")
    papers = sample_index.by_author[author.slug]
    assert [listed.nth(i).evaluate("a => a.href") for i in range(listed.count())] == [
        f"{site_url}{url_for_paper(p)}" for p in papers
    ]
    feed = page.locator(f'link[rel=alternate][href$="{author_feed_path(author)}"]')
    response = page.request.get(feed.evaluate("link => link.href"))
    parsed = feedparser.parse(response.body())
    assert parsed.version == "atom10"
    # Feeds link to the configured site address, not to this test server.
    assert [entry.link.split("/", 3)[3] for entry in parsed.entries] == [
        url_for_paper(p) for p in papers[: len(parsed.entries)]
    ]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_clicking_an_author_of_one_paper_lands_on_their_entry(  # type: ignore[no-untyped-def]
    new_context, site_url: str, sample_index: ArchiveIndex, viewport: str
) -> None:
    paper, name, author = first_paper_by(sample_index, has_page=False)
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    page.goto(site_url + url_for_paper(paper))
    page.locator(".pa-byline a", has_text=name).first.click()
    page.wait_for_url(f"**/authors/{author.letter}/#{author.slug}")
    entry = page.locator("li:target")
    assert entry.get_attribute("id") == author.slug
    assert entry.is_visible()
    entry.locator("a").click()
    page.wait_for_url(f"**/{url_for_paper(paper)}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_byline_names_read_as_links(new_context, site_url: str, sample_index, scheme: str) -> None:  # type: ignore[no-untyped-def]
    """Coloured apart from the text around them and underlined, before any hover."""
    paper, _, _ = first_paper_by(sample_index, has_page=True)
    page = new_context(color_scheme=scheme).new_page()
    page.goto(site_url + url_for_paper(paper))
    style = page.locator(".pa-byline a").first.evaluate(
        """link => {
            const own = getComputedStyle(link), around = getComputedStyle(link.parentElement);
            return [own.color, around.color, own.textDecorationLine];
        }"""
    )
    link_colour, text_colour, decoration = style
    assert link_colour != text_colour
    assert "underline" in decoration
