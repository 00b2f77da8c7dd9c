"""Reader features in headless Chromium: copy BibTeX and the plain citation, follow feeds
and downloads (RIS and CSL-JSON too), read JSON-LD, follow related papers and linked
addresses, step through years, see the chart, tap targets of 24 px on a phone, and pass an
axe-core audit on desktop and phone, light and dark."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import pytest
import rispy

from generator.bibtex_format import format_bibtex, publication_year
from generator.formatting import plain_citation
from generator.markup import plain_text
from tests.conftest import published_paper_files

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAPER_ID = "scalebio-scalable-bilevel-optimization-for-llm-data"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def context(new_context):  # type: ignore[no-untyped-def]
    return new_context(permissions=["clipboard-read", "clipboard-write"])


def test_copy_button_puts_the_exact_bibtex_on_the_clipboard(
    context, site_url: str, sample_index
) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(f"{site_url}papers/{PAPER_ID}/")
    page.locator("pre button[data-md-type=copy]").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    paper = sample_index.by_id[PAPER_ID]
    assert copied == format_bibtex(paper, sample_index.citation_keys[PAPER_ID]).rstrip("\n")


def test_copy_button_puts_the_plain_citation_on_the_clipboard(
    context, site_url: str, sample_index
) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(f"{site_url}papers/{PAPER_ID}/")
    button = page.get_by_role("button", name="Copy the citation")
    button.click()
    paper = sample_index.by_id[PAPER_ID]
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == plain_citation(paper)
    assert f"({publication_year(paper)})" in copied
    assert f"{publication_year(paper)}" in sample_index.citation_keys[PAPER_ID]


def test_ris_and_csl_json_of_a_paper_download_and_parse(
    context, site_url: str, sample_index
) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(f"{site_url}papers/{PAPER_ID}/")
    key = sample_index.citation_keys[PAPER_ID]
    ris = page.get_by_role("link", name="RIS", exact=True)
    assert ris.get_attribute("download") == f"{key}.ris"
    with page.expect_download() as download:
        ris.click()
    (record,) = rispy.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert record["id"] == key and record["title"] == sample_index.by_id[PAPER_ID].title_text
    csl = page.get_by_role("link", name="CSL-JSON", exact=True)
    (item,) = json.loads(page.request.get(csl.evaluate("link => link.href")).body())
    assert item["id"] == key
    assert item["issued"]["date-parts"][0][0] == publication_year(sample_index.by_id[PAPER_ID])


def test_addresses_in_abstracts_are_links_that_open_the_address(
    context, site_url: str, sample_index
) -> None:  # type: ignore[no-untyped-def]
    with_address = [p for p in sample_index.papers if p.abstract and "https://" in p.abstract]
    assert with_address, "the sample archive has abstracts with web addresses"
    paper = with_address[0]
    page = context.new_page()
    page.goto(f"{site_url}papers/{paper.id}/")
    links = page.locator(".pa-abstract a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    expected = [
        re.sub(r"[.,;:!?*_~]+$", "", url) for url in re.findall(r"https://\S+", paper.abstract)
    ]
    assert hrefs and all(href in expected for href in hrefs)
    assert links.first.inner_text() == hrefs[0]
    assert links.first.get_attribute("rel") == "nofollow noopener"


def test_year_pages_step_to_older_and_newer_years(context, site_url: str, sample_index) -> None:  # type: ignore[no-untyped-def]
    years = list(sample_index.by_year)
    if len(years) < 3:
        pytest.skip("needs three years of papers")
    page = context.new_page()
    page.goto(f"{site_url}timeline/{years[1]}/")
    page.get_by_role("navigation", name="Other years", exact=True).get_by_role(
        "link", name=f"← {years[2]}"
    ).click()
    page.wait_for_url(f"**/timeline/{years[2]}/")
    assert page.locator("h1").inner_text().startswith(str(years[2]))
    page.get_by_role("navigation", name="Other years", exact=True).get_by_role(
        "link", name=f"{years[1]} →"
    ).click()
    page.wait_for_url(f"**/timeline/{years[1]}/")
    assert page.locator("h1").inner_text().startswith(str(years[1]))


def test_tap_targets_on_a_phone_are_at_least_24_pixels(new_context, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = new_context(viewport=PHONE, has_touch=True, is_mobile=True).new_page()
    sizes = []
    for path in (f"papers/{PAPER_ID}/", "tags/data-selection/", "stats/", ""):
        page.goto(site_url + path)
        sizes += page.eval_on_selector_all(
            ".pa-byline a, a.pa-chip, ul.pa-list > li > a, .pa-subtle a, .pa-downloads a, "
            ".pa-additions a, .pa-ranking a, .pa-copy, .pa-reference-files a, "
            "select[data-pa-search-filter]",
            "els => els.map(e => [e.textContent.trim() || e.className, e.getBoundingClientRect().height])",
        )
    assert len(sizes) > 20
    assert [(name, height) for name, height in sizes if height < 24] == []


def test_the_header_icon_buttons_have_names(context, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(site_url)
    assert page.locator('label[for="__drawer"].md-header__button').get_attribute("aria-label")
    assert page.locator('label[for="__search"].md-header__button').get_attribute("aria-label")
    assert page.locator("head > title").count() == 1
    assert page.title() == page.locator(".md-header__topic").first.inner_text()


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
    for name in ("papers.json", "papers.bib", "papers.csv", "papers.ris", "papers.csl.json"):
        href = page.locator(f'a[href$="{name}"]').evaluate("link => link.href")
        assert href == f"{site_url}{name}"
        response = page.request.get(href)
        assert response.ok, name
    data = json.loads(page.request.get(f"{site_url}papers.json").body())
    assert len(data["papers"]) == len(published_paper_files(built_site / "papers"))
    ris = rispy.loads(page.request.get(f"{site_url}papers.ris").text())
    csl = json.loads(page.request.get(f"{site_url}papers.csl.json").body())
    assert len(ris) == len(csl) == len(data["papers"])


def test_highwire_tags_name_the_paper_and_its_abstract_after_instant_navigation(
    context, site_url: str, sample_index
) -> None:  # type: ignore[no-untyped-def]
    """Zotero's connector reads the page as shown: `citation_abstract`, added from the
    abstract on the page, is the paper's own and alone, also after Material swaps in the
    page of a related paper."""
    page = context.new_page()
    page.goto(f"{site_url}papers/{PAPER_ID}/")
    paper = sample_index.by_id[PAPER_ID]
    abstracts = (
        "() => [...document.querySelectorAll('meta[name=citation_abstract]')].map(m => m.content)"
    )
    assert page.evaluate(abstracts) == [" ".join(plain_text(paper.abstract).split())]
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
    related = page.locator("ul.pa-related > li > a").first
    other = sample_index.by_id[(related.get_attribute("href") or "").rstrip("/").rsplit("/")[-1]]
    related.click()
    page.wait_for_url(f"**/papers/{other.id}/")
    page.wait_for_function(
        f"expected => JSON.stringify(({abstracts})()) === JSON.stringify([expected])",
        arg=" ".join(plain_text(other.abstract).split()),
    )


def test_related_papers_link_to_real_pages(context, site_url: str, sample_index) -> None:  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(f"{site_url}papers/{PAPER_ID}/")
    links = page.locator("ul.pa-related > li > a")
    expected = [sample_index.by_id[other].title for other in sample_index.related[PAPER_ID]]
    assert [links.nth(i).inner_text() for i in range(links.count())] == expected
    reasons = page.locator("ul.pa-related > li > span + span")
    assert reasons.count() == len(expected) > 0
    assert reasons.first.inner_text().startswith("Shares: ")
    # The entries carry no classes: the list's styles them by their place, title, then
    # authors and venue, then why, each smaller and fainter than the title.
    title, meta, why = page.evaluate(
        """() => [...document.querySelector("ul.pa-related > li").children].map((e) => {
          const style = getComputedStyle(e);
          return [style.fontWeight, style.fontSize, style.color, style.letterSpacing];
        })"""
    )
    root = float(page.evaluate("getComputedStyle(document.documentElement).fontSize")[:-2])
    assert title[0] == "600"
    assert meta[1:3] == [f"{0.72 * root:g}px", why[2]] and meta[2] != title[2]
    assert why[1] == f"{0.68 * root:g}px" and why[3] != "normal"
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


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    [
        "",
        f"papers/{PAPER_ID}/",
        "tags/data-selection/",
        "stats/",
        "authors/z/tong-zhang/",
        "authors/z/",
    ],
)
def test_no_serious_accessibility_violations(
    new_context, site_url: str, path: str, scheme: str, viewport: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    page = new_context(color_scheme=scheme, viewport=viewport).new_page()
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    violations = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []
