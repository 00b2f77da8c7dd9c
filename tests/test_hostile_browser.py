"""The injection corpus in headless Chromium: every generated page is loaded and no payload runs.

Each payload in tests/hostile/injection/ sets `window.__pwned` if it ever runs as script.
A real browser is the judge of what parses as markup (a `</script>` inside JSON-LD, a quote
closing an attribute), which no string check on the HTML can settle.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import serve_directory
from tests.injection import ABSTRACT_TEXT, SITE_NAME, injection_cases, shown

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Run in each page: everything a payload could have left behind.
INSPECT_PAGE = """() => {
  const attributes = [...document.querySelectorAll("*")].flatMap((element) =>
    [...element.attributes].map((attribute) => [element, attribute]));
  // As the browser resolves it, so `JaVaScRiPt:` and `java\\tscript:` count too.
  const protocol = (value) => {
    try { return new URL(value, location.href).protocol; } catch (error) { return ""; }
  };
  return {
    pwned: typeof window.__pwned === "undefined" ? null : String(window.__pwned),
    handlers: attributes.filter(([, a]) => /^on/i.test(a.name))
      .map(([e, a]) => `${e.tagName} ${a.name}=${a.value}`),
    scriptUrls: attributes
      .filter(([, a]) => /^(href|src|action|formaction|xlink:href)$/i.test(a.name))
      .filter(([, a]) => ["javascript:", "vbscript:", "data:"].includes(protocol(a.value)))
      .map(([e, a]) => `${e.tagName} ${a.name}=${a.value}`),
  };
}"""


@pytest.fixture(scope="module")
def injection_url(injection_root: Path) -> Iterator[str]:
    with serve_directory(injection_root / "site") as url:
        yield url


@pytest.fixture
def page(new_context):  # type: ignore[no-untyped-def]
    """A fresh page that records script errors and dialogs (an `alert` would be a payload)."""
    page = new_context().new_page()
    page.incidents = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: page.incidents.append(f"page error: {error}"))
    page.on("dialog", lambda dialog: page.incidents.append(f"dialog: {dialog.message}"))
    return page


def test_no_payload_runs_on_any_generated_page(
    page, injection_url: str, injection_root: Path
) -> None:  # type: ignore[no-untyped-def]
    site = injection_root / "site"
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    stems = list(injection_cases())
    assert {f"papers/{stem}/index.html" for stem in stems} <= set(pages)
    assert {f"tags/{stem}/index.html" for stem in stems} <= set(pages)  # one tag per case
    problems: dict[str, object] = {}
    for relative in pages:
        page.goto(injection_url + relative.removesuffix("index.html"), wait_until="load")
        found = page.evaluate(INSPECT_PAGE)
        if any(found.values()):
            problems[relative] = found
    assert problems == {}
    assert page.incidents == []


@pytest.mark.parametrize("stem", list(injection_cases()))
def test_the_browser_reads_head_metadata_as_the_literal_text(
    page, injection_url: str, stem: str
) -> None:  # type: ignore[no-untyped-def]
    fields = injection_cases()[stem]
    title, authors = shown(fields["title"]), [shown(a) for a in fields["authors"]]
    page.goto(f"{injection_url}papers/{stem}/", wait_until="load")
    head = page.evaluate(
        """() => ({
          title: document.title,
          citationTitle: document.querySelector('meta[name="citation_title"]').content,
          ogTitle: document.querySelector('meta[property="og:title"]').content,
          authors: [...document.querySelectorAll('meta[name="citation_author"]')].map((m) => m.content),
          abstracts: [...document.querySelectorAll('meta[name="citation_abstract"]')].map((m) => m.content),
          heading: document.querySelector("h1.pa-paper-title").innerText,
        })"""
    )
    assert head["title"] == f"{title} - {SITE_NAME}"
    assert head["citationTitle"] == head["ogTitle"] == head["heading"] == title
    assert head["authors"] == authors
    # The abstract as one line of text, as the page shows it (`&lt;` is `<` in Markdown).
    (abstract,) = head["abstracts"]
    assert " ".join(ABSTRACT_TEXT[stem].split()) in abstract
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_search_results_show_payloads_as_text(page, injection_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(injection_url)
    page.keyboard.press("/")
    page.locator(".md-search__input").fill("pwned")
    # Results arrive one by one: wait for this one, which shows the tags as text.
    shown = page.locator(".md-search-result__link", has_text="<script>window.__pwned=1</script>")
    shown.first.wait_for(timeout=10_000)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.incidents == []


def test_instant_navigation_to_a_hostile_page_runs_nothing(page, injection_url: str) -> None:  # type: ignore[no-untyped-def]
    """Material swaps pages in without a reload; the swapped-in page must stay inert too."""
    page.goto(injection_url)
    page.locator("ul.pa-list > li > a", has_text="</script><script>").first.click()
    page.wait_for_url("**/papers/script-close/")
    page.locator("h1.pa-paper-title").wait_for()
    assert page.locator("h1.pa-paper-title").inner_text() == (
        "</script><script>window.__pwned=4</script>"
    )
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.incidents == []
