"""What a reader does, in headless Chromium: search, open a tag page, open a paper page.

Every request must stay on 127.0.0.1 and no page may log a console error.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.conftest import record_page_errors

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def page(new_context):  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    page.errors = record_page_errors(page)  # type: ignore[attr-defined]
    page.foreign_requests = []  # type: ignore[attr-defined]

    def record(request) -> None:  # type: ignore[no-untyped-def]
        if urlsplit(request.url).hostname not in ("127.0.0.1", None) and not request.url.startswith(
            "data:"
        ):
            page.foreign_requests.append(request.url)

    page.on("request", record)
    yield page
    assert page.errors == [], "console errors"
    assert page.foreign_requests == [], "requests left 127.0.0.1"


def test_search_an_authors_surname_finds_the_paper(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    page.keyboard.press("/")
    page.locator(".md-search__input").fill("Alistarh")
    result = page.locator('.md-search-result__link[href*="papers/svd-free-low-rank"]')
    result.first.wait_for(timeout=10_000)
    assert "SVD-Free Low-Rank Adaptive Gradient Optimization" in result.first.inner_text()
    result.first.click()
    page.wait_for_url("**/papers/svd-free-low-rank-adaptive-gradient-optimization-for-large/**")
    assert "Dan Alistarh" in page.locator(".pa-byline").inner_text()


def test_tag_page_lists_its_papers_and_links_to_them(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "tags/")
    page.locator("a.pa-tag-card", has_text="Mixture of experts").click()
    page.wait_for_url("**/tags/mixture-of-experts/")
    items = page.locator("ul.pa-list > li")
    assert items.count() == 4
    items.first.locator(":scope > a").click()
    page.wait_for_selector("h1.pa-paper-title")
    assert "mixture-of-experts" in page.locator(".pa-tags").inner_html()


def test_paper_page_shows_its_parts_and_renders_math(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "papers/scalebio-scalable-bilevel-optimization-for-llm-data/")
    assert page.locator("h1.pa-paper-title").inner_text().startswith("ScaleBiO")
    assert page.locator(".pa-abstract math").count() == 2
    assert page.locator(".pa-abstract math").first.bounding_box()["width"] > 0  # type: ignore[index]
    assert (
        page.locator("a.md-button", has_text="arXiv").get_attribute("href")
        == "https://arxiv.org/abs/2406.19976"
    )
    assert page.locator("code", has_text="@inproceedings{pan2025scalebio").count() == 1
    page.locator("pre button[data-md-type=copy]").first.wait_for(
        timeout=5_000
    )  # Material's copy button
