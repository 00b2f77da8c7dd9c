"""The Stats page's charts and the home sparkline, measured in headless Chromium on a phone
and a desktop: tag bars proportional to their counts, axis labels readable and apart, the
sparkline of a one-day import counting publication months, and no serious axe finding."""

from __future__ import annotations

import itertools

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SMALL_PHONE = {"width": 360, "height": 740}
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = pytest.mark.parametrize(
    "viewport", [SMALL_PHONE, PHONE, DESKTOP], ids=["phone-360", "phone-390", "desktop"]
)
READABLE_PX = 11


@pytest.fixture
def page_at(new_context):  # type: ignore[no-untyped-def]
    def open_page(url: str, viewport: dict[str, int], scheme: str = "light"):  # type: ignore[no-untyped-def]
        page = new_context(viewport=viewport, color_scheme=scheme).new_page()
        page.goto(url)
        return page

    return open_page


@VIEWPORTS
def test_tag_bars_are_proportional_to_their_counts(page_at, site_url: str, viewport) -> None:  # type: ignore[no-untyped-def]
    page = page_at(f"{site_url}stats/", viewport)
    rows = page.evaluate(
        """() => [...document.querySelectorAll('ul.pa-bars--wide li')].map(li => ({
            count: Number(li.querySelector('.pa-count').textContent),
            width: li.querySelector('.pa-bars__bar')?.getBoundingClientRect().width ?? 0,
        }))"""
    )
    assert len(rows) > 5
    longest = max(row["width"] for row in rows)
    most = max(row["count"] for row in rows)
    room = page.locator("ul.pa-bars--wide").bounding_box()["width"]
    assert longest >= room * 0.4, f"the longest bar is {longest:.0f} px of {room:.0f}"
    for row in rows:
        assert row["width"] == pytest.approx(longest * row["count"] / most, abs=1.0), rows
    assert len({row["count"] for row in rows}) > 2  # the sample archive's counts differ


@VIEWPORTS
def test_month_chart_labels_are_readable_and_apart(page_at, site_url: str, viewport) -> None:  # type: ignore[no-untyped-def]
    page = page_at(f"{site_url}stats/", viewport)
    labels = page.evaluate(
        """() => [...document.querySelectorAll('svg.pa-chart text')]
            .filter(t => getComputedStyle(t).display !== 'none')
            .map(t => {
                const box = t.getBoundingClientRect();
                return {text: t.textContent, cls: t.getAttribute('class'),
                        size: parseFloat(getComputedStyle(t).fontSize),
                        left: box.left, right: box.right, top: box.top, bottom: box.bottom};
            })"""
    )
    years = [label for label in labels if "tick--x" in label["cls"]]
    counts = [label for label in labels if "tick--y" in label["cls"]]
    assert len(years) >= 2 and all(label["text"].isdigit() for label in years)
    assert len(counts) >= 2 and counts[0]["text"] == "0"
    assert any(label["text"] == "papers" for label in labels)
    assert min(label["size"] for label in labels) >= READABLE_PX
    chart = page.locator("svg.pa-chart").bounding_box()
    column = page.locator("ul.pa-bars--wide").bounding_box()  # the page's text column
    assert chart and column and chart["width"] == pytest.approx(column["width"], abs=1)
    for label in labels:
        assert chart["x"] <= label["left"] and label["right"] <= chart["x"] + chart["width"], label
        assert label["bottom"] - label["top"] >= READABLE_PX, label
    for left, right in itertools.pairwise(years):
        assert right["left"] - left["right"] >= 8, (left, right)
    for lower, upper in itertools.pairwise(counts):
        assert lower["top"] - upper["bottom"] >= 2, (lower, upper)


def test_the_table_behind_the_month_chart_opens(page_at, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = page_at(f"{site_url}stats/", PHONE)
    page.get_by_text("Papers per year, as a table").click()
    table = page.locator("details.pa-chart-data table")
    assert table.is_visible()
    rows = table.locator("tbody tr")
    years = [rows.nth(i).locator("th").inner_text() for i in range(rows.count())]
    total = sum(int(rows.nth(i).locator("td").inner_text()) for i in range(rows.count()))
    assert years == sorted(years, reverse=True) and len(years) > 3
    papers = page.locator(".pa-stats strong").first.inner_text()
    assert total == int(papers)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_home_sparkline_counts_publication_months_after_a_one_day_import(
    page_at, site_url: str, viewport
) -> None:  # type: ignore[no-untyped-def]
    """Every sample paper has the same `added` date, so additions would be a single spike."""
    page = page_at(site_url, viewport)
    spark = page.locator("svg.pa-sparkline")
    assert spark.is_visible()
    assert spark.get_attribute("aria-label", timeout=1000).startswith(  # type: ignore[union-attr]
        "Papers per month of publication"
    )
    assert "(peak " in page.locator(".pa-additions").inner_text()
    heights = page.evaluate(
        """() => new Set([...document.querySelector('svg.pa-sparkline polyline').points]
            .map(p => p.y)).size"""
    )
    assert heights > 2  # a line with a shape, not one spike


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_stats_page_with_its_table_open_has_no_serious_accessibility_violation(
    page_at, site_url: str, scheme: str, viewport
) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    page = page_at(f"{site_url}stats/", viewport, scheme)
    page.get_by_text("Papers per year, as a table").click()
    page.wait_for_load_state("networkidle")
    violations = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []
