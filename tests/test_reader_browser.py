"""Reader features in headless Chromium: copy BibTeX, follow feeds and downloads,
read JSON-LD, follow related papers, see the chart, and pass an axe-core audit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import feedparser
import pytest

from generator.bibtex import format_bibtex
from generator.build import load_archive, load_project
from generator.index import build_indexes
from tests.conftest import published_paper_files, serve_directory

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAPER_ID = "scalebio-scalable-bilevel-optimization-for-llm-data"


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    with serve_directory(built_site / "site") as url:
        yield url


@pytest.fixture(scope="module")
def index(built_site: Path):  # type: ignore[no-untyped-def]
    return build_indexes(load_archive(load_project(built_site))[0])


@pytest.fixture
def context(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    yield context
    context.close()


def test_copy_button_puts_the_exact_bibtex_on_the_clipboard(context, site_url: str, index) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(f"{site_url}papers/{PAPER_ID}/")
    page.locator("pre button[data-md-type=copy]").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    paper = index.by_id[PAPER_ID]
    assert copied == format_bibtex(paper, index.citation_keys[PAPER_ID]).rstrip("\n")


def test_feed_and_download_links_resolve(context, site_url: str, built_site: Path) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(f"{site_url}tags/data-selection/")
    feeds = page.locator('link[rel=alternate][type="application/atom+xml"]')
    hrefs = [feeds.nth(i).evaluate("link => link.href") for i in range(feeds.count())]
    assert hrefs == [f"{site_url}feed.xml", f"{site_url}feed-data-selection.xml"]
    for href in hrefs:
        response = page.request.get(href)
        assert response.ok
        assert feedparser.parse(response.body()).version == "atom10"
    page.goto(f"{site_url}stats/")
    for name in ("papers.json", "papers.bib", "papers.csv"):
        href = page.locator(f'a[href$="{name}"]').evaluate("link => link.href")
        assert href == f"{site_url}{name}"
        response = page.request.get(href)
        assert response.ok, name
    data = json.loads(page.request.get(f"{site_url}papers.json").body())
    assert len(data["papers"]) == len(published_paper_files(built_site / "papers"))


def test_json_ld_and_highwire_tags_name_the_paper(context, site_url: str, index) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(f"{site_url}papers/{PAPER_ID}/")
    paper = index.by_id[PAPER_ID]
    article = json.loads(page.locator('script[type="application/ld+json"]').text_content() or "")
    assert article["@type"] == "ScholarlyArticle"
    assert article["name"] == paper.title
    assert [a["name"] for a in article["author"]] == list(paper.authors)
    assert "https://arxiv.org/abs/2406.19976" in article["sameAs"]
    assert page.locator('meta[name="citation_title"]').get_attribute("content") == paper.title
    authors = page.locator('meta[name="citation_author"]')
    assert [authors.nth(i).get_attribute("content") for i in range(authors.count())] == list(
        paper.authors
    )
    assert (
        page.locator('meta[name="citation_publication_date"]').get_attribute("content")
        == "2024/06/28"
    )
    assert page.locator('meta[name="citation_arxiv_id"]').get_attribute("content") == "2406.19976"
    assert page.locator('meta[property="og:title"]').get_attribute("content") == paper.title


def test_related_papers_link_to_real_pages(context, site_url: str, index) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(f"{site_url}papers/{PAPER_ID}/")
    links = page.locator("ul.pa-related a.pa-item__title")
    assert links.count() == 5
    expected = [index.by_id[other].title for other in index.related[PAPER_ID]]
    assert [links.nth(i).inner_text() for i in range(5)] == expected
    links.first.click()
    page.wait_for_selector("h1.pa-paper-title")
    assert page.locator("h1.pa-paper-title").inner_text() == expected[0]


def test_stats_chart_is_visible(context, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(f"{site_url}stats/")
    chart = page.locator("svg.pa-chart")
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    assert chart.locator("rect.pa-chart__bar").count() > 10
    page.goto(site_url)
    assert page.locator("svg.pa-sparkline").is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", f"papers/{PAPER_ID}/", "tags/data-selection/", "stats/"])
def test_no_serious_accessibility_violations(
    browser, site_url: str, path: str, scheme: str
) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    violations = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    context.close()
    assert violations == []
