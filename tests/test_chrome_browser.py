"""The page chrome in Chromium (theme_overrides/): the search box that javascripts/search.js
makes opens by key and by button and survives instant navigation, the phone's drawer opens
and leads on, an author page's lean layout leads home and to the Authors index, and the
chrome passes an axe-core audit with search and the drawer open."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import record_page_errors, serve_directory

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PAPER_ID = "scalebio-scalable-bilevel-optimization-for-llm-data"
AUTHOR_PAGE = "authors/z/tong-zhang/"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


def _search(page, keys: str) -> None:  # type: ignore[no-untyped-def]
    """Type `keys` in the open search box and wait for the first result."""
    page.keyboard.type(keys)
    page.locator(".md-search-result__link").first.wait_for(timeout=10_000)


def _is_open(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.getElementById('__search').checked")


def test_search_opens_by_key_closes_by_escape_and_survives_instant_navigation(
    new_context, site_url: str
) -> None:  # type: ignore[no-untyped-def]
    page = new_context(viewport=DESKTOP).new_page()
    errors = record_page_errors(page)
    page.goto(f"{site_url}papers/{PAPER_ID}/")
    assert page.locator(".md-search").count() == 1  # made once, beside the search button
    page.keyboard.press("/")
    assert _is_open(page)
    _search(page, "data selection")
    page.keyboard.press("Escape")
    assert not _is_open(page)
    # Instant navigation swaps the page below the header; the box stays and works.
    page.locator("a.md-tabs__link", has_text="Tags").click()
    page.wait_for_url("**/tags/")
    page.keyboard.press("s")
    assert _is_open(page)
    _search(page, "mixture")
    assert page.locator(".md-search").count() == 1
    # Its icons come from the sprite, by an address that holds on any page.
    shown = [
        box for icon in page.locator(".md-search__icon svg").all() if (box := icon.bounding_box())
    ]
    assert shown and all(box["width"] > 0 for box in shown)
    assert {
        href.split("#")[0]
        for href in page.eval_on_selector_all(
            ".md-search use", "uses => uses.map(u => u.getAttribute('xlink:href'))"
        )
    } == {f"{site_url}assets/icons.svg"}
    page.locator(".md-search-result__link").first.click()
    page.wait_for_url("**/papers/**")
    assert not _is_open(page)
    assert errors == []


def test_search_opens_by_the_header_button_on_a_phone(new_context, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = new_context(viewport=PHONE, has_touch=True, is_mobile=True).new_page()
    page.goto(site_url)
    page.locator('.md-header__button[for="__search"]').click()
    assert _is_open(page)
    _search(page, "Alistarh")
    assert page.locator(".md-search__input").is_visible()
    page.locator('.md-search__icon[for="__search"]').click()  # the back arrow
    assert not _is_open(page)


def test_the_phone_drawer_opens_and_leads_to_each_tab(new_context, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page = new_context(viewport=PHONE, has_touch=True, is_mobile=True).new_page()
    errors = record_page_errors(page)
    page.goto(site_url)
    # A paper page's drawer is made by javascripts/drawer.js, also on a page that instant
    # navigation brought.
    page.locator("ul.pa-list > li > a").first.click()
    page.wait_for_url("**/papers/**")
    page.locator("a.pa-chip").first.click()
    page.wait_for_url("**/tags/*/")
    tabs = page.eval_on_selector_all(".md-tabs__link", "links => links.map(l => l.href)")
    drawer = page.locator(".md-nav--primary > .md-nav__list .md-nav__link")
    assert drawer.evaluate_all("links => links.map(l => l.href)") == tabs
    assert page.locator(".md-nav--primary .md-nav__title").inner_text() == "Paper Archive"
    assert errors == []
    page.locator('.md-header__button[for="__drawer"]').click()
    authors = page.locator(".md-nav--primary").get_by_role("link", name="Authors", exact=True)
    authors.wait_for(state="visible")
    authors.click()
    page.wait_for_url("**/authors/")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_author_page_is_lean_and_leads_home_and_to_the_authors_index(
    new_context, site_url: str, viewport: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    page = new_context(viewport=viewport).new_page()
    page.goto(site_url + AUTHOR_PAGE)
    for gone in (".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary"):
        assert page.locator(gone).count() == 0, gone
    assert not page.locator('.md-header__button[for="__drawer"]').is_visible()
    # Search: the box in a desktop's header, its button on a phone's.
    search = ".md-search__input" if viewport is DESKTOP else '.md-header__button[for="__search"]'
    assert page.locator(search).is_visible()
    path = page.get_by_role("navigation", name="Navigation")
    path.get_by_role("link", name="Authors", exact=True).click()
    page.wait_for_url(f"{site_url}authors/")
    page.go_back()
    page.wait_for_url(site_url + AUTHOR_PAGE)
    path.get_by_role("link", name="Home", exact=True).click()
    page.wait_for_url(site_url)
    if viewport is PHONE:
        # Instant navigation keeps the header, which the author's page left without the menu
        # button: javascripts/drawer.js put it in, and on a page with the drawer it shows.
        page.locator('.md-header__button[for="__drawer"]').click()
        drawer = page.locator(".md-nav--primary").get_by_role("link", name="Tags", exact=True)
        drawer.wait_for(state="visible")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_serious_accessibility_violations_with_search_or_drawer_open(
    new_context, site_url: str, scheme: str, viewport: dict[str, int]
) -> None:  # type: ignore[no-untyped-def]
    from axe_playwright_python.sync_playwright import Axe

    page = new_context(color_scheme=scheme, viewport=viewport).new_page()
    page.goto(f"{site_url}papers/{PAPER_ID}/")
    page.keyboard.press("/")
    _search(page, "data selection")
    # The box's own markup; not the results, whose colours (Material's accent for the marked
    # words, its light grey for the count and tags) axe finds faint: as before the box moved
    # into the script, left for a change of the look.
    states = [Axe().run(page, context={"exclude": [[".md-search-result"]]})]
    if viewport is PHONE:
        page.keyboard.press("Escape")
        page.locator('.md-header__button[for="__drawer"]').click()
        page.locator(".md-nav--primary .md-nav__link").first.wait_for(state="visible")
        states.append(Axe().run(page))
    violations = [
        (v["id"], [n["target"] for n in v["nodes"]][:3])
        for results in states
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == []


def test_the_colour_scheme_toggle_made_by_script_switches_and_persists(
    new_context, site_url: str
) -> None:  # type: ignore[no-untyped-def]
    """javascripts/palette.js makes the toggle: named for screen readers and usable by
    keyboard, it switches the scheme, which holds across a reload and instant navigation."""
    page = new_context(viewport=DESKTOP, color_scheme="light").new_page()
    errors = record_page_errors(page)
    page.goto(f"{site_url}papers/{PAPER_ID}/")
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    toggle = page.get_by_role("radio", name="Switch to dark mode")
    assert toggle.count() == 1
    page.locator('label[title="Switch to dark mode"]').click()
    assert page.evaluate(scheme) == "slate"
    page.reload()
    assert page.evaluate(scheme) == "slate"
    # The other toggle, now shown, by keyboard: its label's radio takes the focus.
    page.get_by_role("radio", name="Switch to light mode").focus()
    page.keyboard.press("ArrowRight")
    assert page.evaluate(scheme) == "default"
    page.locator("a.md-tabs__link", has_text="Tags").click()
    page.wait_for_url("**/tags/")
    assert page.evaluate(scheme) == "default"
    assert page.locator('form[data-md-component="palette"]').count() == 1
    # Pages of every depth keep it in the same place: an author's page, the 404 page.
    page.locator('label[title="Switch to dark mode"]').click()
    page.goto(site_url + AUTHOR_PAGE)
    assert page.evaluate(scheme) == "slate"
    assert errors == []
    page.goto(site_url + "papers/missing/deeper/")
    assert page.evaluate(scheme) == "slate"


@pytest.mark.parametrize("prefix", ["/", "/REPO/"])
def test_the_settings_scope_is_the_site_root_on_every_page(
    new_context, built_site: Path, prefix: str
) -> None:  # type: ignore[no-untyped-def]
    """javascripts/head.js, cached, finds the scope Material's inline script found on each
    page, `new URL(base_url, location)`: the site's root, at any depth and under a sub-path
    (the 404 page's links are absolute: it is tried at the root only)."""
    page = new_context(viewport=DESKTOP).new_page()
    errors = record_page_errors(page)
    material = "new URL(JSON.parse(document.getElementById('__config').textContent).base, location)"
    scopes = f"[__md_scope.href, {material}.href]"
    with serve_directory(built_site / "site", prefix) as base:
        for path in ("", "tags/", f"papers/{PAPER_ID}/", AUTHOR_PAGE):
            page.goto(base + path)
            assert page.evaluate(scopes) == [base, base], path
        assert errors == []
        if prefix == "/":
            page.goto(base + "papers/missing/deeper/")
            assert page.evaluate(scopes) == [base, base]


def test_back_to_top_made_by_script_works_after_instant_navigation(
    new_context, site_url: str
) -> None:  # type: ignore[no-untyped-def]
    """javascripts/top.js makes the button once, outside what instant navigation swaps:
    Material finds it again on the page the reader goes on to."""
    page = new_context(viewport=DESKTOP).new_page()
    errors = record_page_errors(page)
    page.goto(f"{site_url}papers/{PAPER_ID}/")
    page.locator(".md-header .md-logo").click()
    page.wait_for_url(site_url)
    top = page.get_by_role("button", name="Back to top")
    assert top.count() == 1
    # Material shows it when the reader scrolls back up, after scrolling down.
    for y in (500, 1000, 1500, 1400, 1300):
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(250)
    top.click()
    page.wait_for_function("window.scrollY === 0")
    assert errors == []
