"""Search with Pagefind: what the index holds, and the header search box in Chromium.

The index is built by `paper-archive build` (generator/search.py) from the paper pages;
the box is Material's, driven by theme_overrides/javascripts/search.js.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from generator import search
from generator.errors import SiteBuildError
from generator.index import venue_series
from generator.pipeline import load_archive, load_project
from generator.search import (
    INDEX_DIR,
    PAPER_PAGES,
    PROSE_ANCHOR,
    SETTINGS_FILE,
    UNUSED_BUNDLE_FILES,
    index_generated,
    index_site,
    read_index,
    search_view,
)
from tests.conftest import serve_directory

PAPER_PAGE = """\
<html><body><article class="md-content__inner md-typeset">
<div class="pa-paper-header">
<h1 class="pa-paper-title">Sparse &amp; Fast</h1>
<p class="pa-byline"><a href="../../authors/l/#ada-lovelace">Ada Lovelace</a>, <a href="#">Alan Turing</a></p>
<p class="pa-facts"><time datetime="2024-03-15">15 March 2024</time><span class="pa-venue">ICLR 2024</span><span class="pa-organization">Babbage Lab</span><span class="pa-upvotes">▲ 12</span></p>
<p class="pa-tags"><span class="pa-chips"><a class="pa-chip" href="../../tags/data-selection/">Data selection</a><a class="pa-chip" href="../../tags/llm-inference/">LLM inference</a></span></p>
<p class="pa-buttons"><a class="md-button" href="https://arxiv.org/abs/2403.10717">arXiv</a></p>
</div>
<h2 id="abstract">Abstract</h2>
<div class="pa-abstract">
<p>We select data <em>quickly</em>.</p>
</div>
<h2 id="cite">Cite</h2>
<p class="pa-citation">Lovelace and Turing (2024).</p>
</article></body></html>
"""


def test_search_view_keeps_what_readers_search_and_marks_metadata_and_filters() -> None:
    view = search_view(PAPER_PAGE)
    assert '<p class="pa-byline" data-pagefind-meta="authors"' in view
    assert 'data-pagefind-meta="date:2024-03-15"' in view
    assert 'data-pagefind-filter="year:2024" data-pagefind-ignore>' in view
    assert view.count('data-pagefind-filter="tag"') == 2
    assert '<span class="pa-upvotes" data-pagefind-ignore>' in view
    assert "</span> <span" in view  # venue and organisation stay two words
    assert '<span class="pa-venue" data-pagefind-filter="venue:ICLR">ICLR 2024</span>' in view
    assert f'<h2 id="{PROSE_ANCHOR}"></h2>' in view
    assert "We select data" in view
    for left_out in ("arXiv", "Cite", "pa-citation"):
        assert left_out not in view


def test_search_view_leaves_a_page_marked_up_by_its_template_alone() -> None:
    page = PAPER_PAGE.replace(
        '<div class="pa-paper-header">', '<div class="pa-paper-header" data-pagefind-body>'
    )
    assert search_view(page) is page


def _site_with(tmp_path: Path, pages: dict[str, str]) -> Path:
    site = tmp_path / "site"
    for name, html in pages.items():
        (site / "papers" / name).mkdir(parents=True)
        (site / "papers" / name / "index.html").write_text(html, encoding="utf-8")
    (site / "index.html").write_text("<html><body><h1>Home</h1></body></html>", encoding="utf-8")
    return site


def test_index_site_indexes_paper_pages_with_authors_year_and_tags(tmp_path: Path) -> None:
    site = _site_with(tmp_path, {"sparse": PAPER_PAGE})
    report = index_site(site)
    assert (report.pages, report.derived) == (1, 1)
    assert (site / INDEX_DIR / "pagefind.js").is_file()
    [page] = read_index(site)
    assert page["url"] == "/papers/sparse/"
    assert page["meta"] == {
        "title": "Sparse & Fast",
        "authors": "Ada Lovelace, Alan Turing",
        "date": "2024-03-15",
    }
    assert page["filters"] == {
        "tag": ["Data selection", "LLM inference"],
        "year": ["2024"],
        "venue": ["ICLR"],
    }
    assert "ICLR 2024 Babbage Lab" in page["content"]
    settings = json.loads((site / INDEX_DIR / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert settings == {
        "pages": 1,
        "shards": [],
        "filters": {
            "year": {"2024": 1},
            "venue": {"ICLR": 1},
            "tag": {"Data selection": 1, "LLM inference": 1},
        },
    }
    assert "15 March" not in page["content"] and "▲" not in page["content"]


def test_index_site_fails_rather_than_publish_a_search_that_cannot_see_the_papers(
    tmp_path: Path,
) -> None:
    site = _site_with(tmp_path, {"renamed": PAPER_PAGE.replace("pa-paper-header", "pa-head")})
    with pytest.raises(SiteBuildError, match='no <div class="pa-paper-header">'):
        index_site(site)
    assert not (site / INDEX_DIR).exists()


@pytest.mark.slow
@pytest.mark.bundled
def test_built_site_indexes_every_paper_and_ships_no_unused_search_files(
    bundled_site: Path,
) -> None:
    site = bundled_site / "site"
    archive = load_archive(load_project(bundled_site))[0]
    indexed = {page["url"]: page for page in read_index(site)}
    assert set(indexed) == {f"/papers/{paper.id}/" for paper in archive.papers}
    titles = {tag.slug: tag.title for tag in archive.tags}
    for paper in archive.papers:
        page = indexed[f"/papers/{paper.id}/"]
        assert page["meta"]["title"] == paper.title
        assert page["meta"]["authors"] == ", ".join(paper.authors)
        assert page["filters"]["year"] == [str(paper.date.year)]
        assert page["filters"]["tag"] == [titles[slug] for slug in paper.tags]
    assert not (site / "search" / "search_index.json").exists()
    assert (site / "javascripts" / "search.js").is_file()
    bundle = {path.name for path in (site / "pagefind").iterdir()}
    assert "search.json" in bundle  # an archive without papers has no index, only this
    assert {"pagefind.js", "pagefind-entry.json"} <= bundle or not archive.papers
    assert not bundle & set(UNUSED_BUNDLE_FILES)


@pytest.mark.slow
def test_the_index_made_from_the_generated_pages_is_that_of_the_built_pages(
    built_site: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    for page in (built_site / "site").glob(PAPER_PAGES):
        copy = site / page.relative_to(built_site / "site")
        copy.parent.mkdir(parents=True)
        shutil.copyfile(page, copy)
    assert index_site(site).pages == len(read_index(built_site / "site")) > 0
    assert read_index(site) == read_index(built_site / "site")
    settings = [path / INDEX_DIR / SETTINGS_FILE for path in (site, built_site / "site")]
    assert settings[0].read_bytes() == settings[1].read_bytes()


@pytest.mark.parametrize("memory", ["with room", "too small", "missing"])
def test_search_views_are_written_in_memory_where_there_is_room(
    built_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, memory: str
) -> None:
    folder = tmp_path / "memory"
    if memory != "missing":
        folder.mkdir()
    if memory == "too small":
        monkeypatch.setattr(search, "VIEW_ROOM", shutil.disk_usage(folder).free)
    monkeypatch.setattr(search, "MEMORY_FOLDER", folder)
    scratch: list[Path] = []
    run_pagefind = search._run_pagefind

    def recorded(source: Path, output: Path) -> None:
        scratch.append(source.parent)
        run_pagefind(source, output)

    monkeypatch.setattr(search, "_run_pagefind", recorded)
    index_generated(built_site / "build" / "docs", tmp_path / "site" / INDEX_DIR)
    assert scratch == [folder if memory == "with room" else Path(tempfile.gettempdir())]
    assert read_index(tmp_path / "site") == read_index(built_site / "site")
    assert not any(folder.glob("*")), "no views left behind"


@pytest.fixture(scope="module")
def archive(built_site: Path):  # type: ignore[no-untyped-def]
    return load_archive(load_project(built_site))[0]


@pytest.fixture(scope="module")
def site_url(built_site: Path) -> Iterator[str]:
    with serve_directory(built_site / "site") as url:
        yield url


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    assert page.errors == [], "console errors"
    context.close()


def _results(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The titles listed once the search for the last change has shown all its results."""
    page.locator('.md-search-result__list[aria-busy="false"]').wait_for(
        state="attached", timeout=10_000
    )
    return page.locator(".md-search-result__item h1").all_inner_texts()


@pytest.mark.browser
@pytest.mark.slow
def test_search_filters_by_tag_and_year(page, site_url: str, archive) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("mixture")
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    everything = _results(page)
    page.select_option('[data-pa-search-filter="tag"]', "Mixture of experts")
    tagged = _results(page)
    expected = {p.title for p in archive.papers if "mixture-of-experts" in p.tags}
    assert set(tagged) <= expected and set(tagged) < set(everything)
    year = max(p.date.year for p in archive.papers if p.title in tagged)
    page.select_option('[data-pa-search-filter="year"]', str(year))
    assert set(_results(page)) == {
        p.title for p in archive.papers if p.title in tagged and p.date.year == year
    }
    page.fill(".md-search__input", "")  # a filter alone lists its papers
    assert len(_results(page)) == min(
        10, sum(1 for p in archive.papers if "mixture-of-experts" in p.tags and p.date.year == year)
    )


@pytest.mark.browser
@pytest.mark.slow
def test_result_shows_authors_year_tags_and_a_highlighted_snippet(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url + "tags/")
    page.keyboard.press("/")
    page.keyboard.type("orthogonal Alistarh")
    result = page.locator(".md-search-result__item").first
    result.wait_for(timeout=10_000)
    assert "Dan Alistarh" in result.locator(".pa-search-result__byline").inner_text()
    assert result.locator(".pa-search-result__byline").inner_text().endswith("· 2025")
    assert result.locator(".pa-search-result__byline mark").inner_text() == "Alistarh"
    assert "orthogonal" in result.locator("p mark").all_inner_texts()[-1].lower()
    assert result.locator(".md-tag").all_inner_texts() == ["Efficient training"]


# Titles shown after the last key: any from an older query would be a stale answer.
_SHOWN_AFTER_LAST_KEY = """
() => {
  window.shown = [];
  document.addEventListener("keydown", () => (window.shown = []), true);
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) window.shown.push(node.querySelector("h1").textContent);
    }
  }).observe(document.querySelector(".md-search-result__list"), { childList: true });
}
"""


@pytest.mark.browser
@pytest.mark.slow
def test_results_are_only_ever_those_of_the_last_query(page, site_url: str, archive) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    page.keyboard.press("/")
    page.evaluate(_SHOWN_AFTER_LAST_KEY)
    page.keyboard.type("mixture")  # searched as it is typed, answers still coming in...
    page.keyboard.press("Control+A")
    page.keyboard.type("Alistarh")  # ...when the query changes
    final = _results(page)
    assert final == [p.title for p in archive.papers if "Dan Alistarh" in p.authors]
    assert page.evaluate("window.shown") == final
    assert page.locator("[data-pa-search-status]").inner_text() == "1 matching paper"


@pytest.mark.browser
@pytest.mark.slow
def test_stop_words_change_nothing_but_are_not_searched_or_marked(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("mixture of experts")
    with_stop_word = _results(page)
    count = page.locator("[data-pa-search-status]").inner_text()
    marked = {
        text.lower() for text in page.locator(".md-search-result__item mark").all_inner_texts()
    }
    assert with_stop_word and "of" not in marked and {"mixture", "experts"} <= marked
    page.fill(".md-search__input", "mixture experts")
    assert _results(page) == with_stop_word
    assert page.locator("[data-pa-search-status]").inner_text() == count
    page.fill(".md-search__input", "the")  # the last word is searched: it may be unfinished
    assert _results(page)


@pytest.mark.browser
@pytest.mark.slow
def test_keyboard_opens_moves_through_and_closes_search(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    assert not page.locator("#__search").is_checked()
    page.keyboard.press("s")
    assert page.locator("#__search").is_checked()
    page.keyboard.type("mixture")
    page.locator(".md-search-result__item").nth(1).wait_for(timeout=10_000)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.locator(".md-search-result__link").nth(1)
    assert second.evaluate("link => link === document.activeElement")
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    page.keyboard.press("/")
    page.keyboard.press("Enter")  # the first result
    page.wait_for_url("**/papers/**")
    assert not page.locator("#__search").is_checked()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    ("scheme", "background"), [("light", "rgb(255, 255, 255)"), ("dark", "rgb(30, 33, 41)")]
)
def test_results_take_the_themes_colours(
    browser, site_url: str, scheme: str, background: str
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("mixture")
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    colour = page.evaluate(
        "getComputedStyle(document.querySelector('.md-search__scrollwrap')).backgroundColor"
    )
    select = page.evaluate(
        "getComputedStyle(document.querySelector('.pa-search-filters select')).backgroundColor"
    )
    assert colour == select == background
    context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_an_index_in_shards_searches_and_filters_as_one(
    browser, built_site: Path, tmp_path: Path, archive
) -> None:  # type: ignore[no-untyped-def]
    site = tmp_path / "site"
    shutil.copytree(built_site / "site", site)
    shutil.rmtree(site / INDEX_DIR)
    assert index_site(site, shard_pages=30).shards == 3  # the sample's 79 papers
    assert len(read_index(site)) == len(archive.papers)
    tagged = [p for p in archive.papers if "mixture-of-experts" in p.tags]
    with serve_directory(site, "/REPO/") as url:
        page = browser.new_page()
        page.goto(url)
        page.keyboard.press("/")
        page.select_option('[data-pa-search-filter="tag"]', "Mixture of experts")
        assert sorted(_results(page)) == sorted(p.title for p in tagged)  # from all three shards
        option = page.locator('[data-pa-search-filter="tag"] option', has_text="Mixture of experts")
        assert option.inner_text() == f"Mixture of experts ({len(tagged)})"
        page.select_option('[data-pa-search-filter="tag"]', "")
        page.fill(".md-search__input", "Alistarh")
        page.locator('.md-search-result__link[href*="papers/svd-free-low-rank"]').click()
        page.wait_for_url(
            f"{url}papers/svd-free-low-rank-adaptive-gradient-optimization-for-large/"
        )
        page.close()


VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _newest_first(titles: list[str], archive) -> bool:  # type: ignore[no-untyped-def]
    dates = {paper.title: paper.date for paper in archive.papers}
    shown = [dates[title] for title in titles]
    return shown == sorted(shown, reverse=True)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_a_search_url_opens_and_reloads_to_the_same_results(
    browser, site_url: str, archive, viewport: str
) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    url = f"{site_url}tags/?{urlencode({'q': 'data', 'tag': 'Data selection', 'sort': 'newest'})}"
    page.goto(url)
    shown = _results(page)
    tagged = {p.title for p in archive.papers if "data-selection" in p.tags}
    assert shown and set(shown) <= tagged and _newest_first(shown, archive)
    assert page.locator("#__search").is_checked()
    assert page.input_value(".md-search__input") == "data"
    assert page.input_value('[data-pa-search-filter="tag"]') == "Data selection"
    assert page.input_value("[data-pa-search-sort]") == "newest"
    page.reload()
    assert _results(page) == shown
    assert page.url == url
    context.close()


@pytest.mark.browser
@pytest.mark.slow
def test_back_and_forward_step_through_earlier_searches(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("mixture")
    first = _results(page)
    page.wait_for_timeout(1100)  # a pause: the next query is a new history entry
    page.keyboard.press("Control+A")
    page.keyboard.type("bilevel")
    second = _results(page)
    page.wait_for_url(f"{site_url}?q=bilevel")  # once the keys pause
    assert first != second
    for step, query, shown in (
        (page.go_back, "mixture", first),
        (page.go_forward, "bilevel", second),
    ):
        step()
        page.wait_for_function(f"document.querySelector('.md-search__input').value === '{query}'")
        assert _results(page) == shown
        assert page.locator("#__search").is_checked()
    page.locator(".md-search-result__link").first.click()
    page.wait_for_url("**/papers/**")
    page.go_back()  # from the paper back to its search
    page.wait_for_url(f"{site_url}?q=bilevel")
    page.wait_for_function("document.getElementById('__search').checked")
    assert _results(page) == second
    page.keyboard.press("Escape")  # closing the search takes it out of the URL
    assert page.url == site_url


@pytest.mark.browser
@pytest.mark.slow
def test_venue_filter_and_newest_first_sort(page, site_url: str, archive) -> None:  # type: ignore[no-untyped-def]
    iclr = [p for p in archive.papers if p.venue and venue_series(p.venue) == "ICLR"]
    page.goto(site_url)
    page.keyboard.press("/")
    option = page.locator('[data-pa-search-filter="venue"] option', has_text="ICLR (")
    assert option.first.inner_text() == f"ICLR ({len(iclr)})"
    page.keyboard.type("data")
    _results(page)
    everywhere = page.locator("[data-pa-search-status]").inner_text()
    page.select_option('[data-pa-search-filter="venue"]', "ICLR")
    in_venue = _results(page)
    assert in_venue and set(in_venue) <= {p.title for p in iclr}
    count = page.locator("[data-pa-search-status]").inner_text()
    assert int(count.split()[0]) < int(everywhere.split()[0])
    page.select_option("[data-pa-search-sort]", "newest")
    newest = _results(page)
    assert sorted(newest) == sorted(in_venue) and _newest_first(newest, archive)
    assert page.url == f"{site_url}?q=data&venue=ICLR&sort=newest"
    page.fill(".md-search__input", "")  # the venue alone: its papers, newest first
    listed = _results(page)
    assert len(listed) == min(10, len(iclr)) and _newest_first(listed, archive)


# Type into the box as a key would, and count the results on screen right after the input
# event is handled, before any search could answer.
_RESULTS_RIGHT_AFTER_TYPING = """
(text) => {
  const input = document.querySelector(".md-search__input");
  input.value += text;
  input.dispatchEvent(new Event("input", { bubbles: true }));
  return document.querySelectorAll(".md-search-result__item").length;
}
"""


@pytest.mark.browser
@pytest.mark.slow
def test_typing_clears_the_results_of_the_previous_query_at_once(page, site_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("mixture")
    assert _results(page)
    assert page.evaluate(_RESULTS_RIGHT_AFTER_TYPING, " o") == 0  # a letter: not searched yet
    assert page.locator("[data-pa-search-status]").inner_text() == ""
    page.fill(".md-search__input", "mixture")
    assert _results(page)
    assert page.evaluate(_RESULTS_RIGHT_AFTER_TYPING, "s") == 0  # searched, not answered yet
    assert _results(page)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focused_result_has_a_visible_ring(browser, site_url: str, scheme: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("mixture")
    page.locator(".md-search-result__item").nth(1).wait_for()
    page.keyboard.press("ArrowDown")
    ring = page.evaluate(
        """() => {
          const style = getComputedStyle(document.activeElement);
          const around = getComputedStyle(document.querySelector(".md-search__scrollwrap"));
          return [document.activeElement.classList.contains("md-search-result__link"), style.outlineStyle,
                  parseFloat(style.outlineWidth), style.outlineColor, around.backgroundColor];
        }"""
    )
    is_result, style, width, colour, background = ring
    assert is_result and style == "solid" and width >= 2
    assert colour not in (background, "rgba(0, 0, 0, 0)")
    context.close()
