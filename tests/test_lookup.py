"""Finding a paper by its id: the map generator/lookup.py writes, the search box answering
a pasted arXiv id, URL, DOI or citation key with that paper first, and the routes for
links readers already have (`SITE/abs/ID`, `SITE/arxiv/?id=ID`), in headless Chromium."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.index import build_indexes
from generator.lookup import BUCKETS, LOOKUP_DIR, bucket_of, lookup_files, lookup_keys
from generator.model import Archive, Paper, Tag
from generator.pipeline import load_archive, load_project
from tests.conftest import MINIMAL_TAGS, copy_project, run_cli, serve_directory

SCALEBIO = "scalebio-scalable-bilevel-optimization-for-llm-data"
"""A paper of the sample archive: arXiv 2406.19976, citation key pan2025scalebio (ACL 2025)."""

# Id forms the sample archive has none of: an old-style arXiv id, DOIs, a shortDOI.
OLD_STYLE = """\
title: Strings on an Old-Style Identifier
authors: [Ada Lovelace]
date: 1999-01-04
arxiv: hep-th/9901001
doi: 10.1145/3580305
tags: [data-selection]
abstract: An old paper.
"""
SHORT_DOI = """\
title: A Paper Known by a Short DOI
authors: [Alan Turing]
date: 2021-05-01
doi: 10/fvn296
tags: [llm-inference]
abstract: A short DOI.
"""
ARXIV_DOI = """\
title: A Paper Cited by its arXiv DOI
authors: [Grace Hopper]
date: 2023-02-01
doi: 10.48550/arXiv.2302.00001
tags: [llm-inference]
abstract: An arXiv DOI.
"""
SUBPATH = "/REPO/"


def _paper(**fields: object) -> Paper:
    defaults: dict[str, object] = {
        "id": "p",
        "title": "T",
        "authors": ("A B",),
        "date": datetime.date(2024, 1, 1),
        "tags": ("t",),
    }
    return Paper(**{**defaults, **fields})  # type: ignore[arg-type]


def test_lookup_keys_are_lower_case_without_version_and_an_arxiv_doi_is_an_arxiv_id() -> None:
    paper = _paper(arxiv="hep-th/9901001", doi="10.1145/ABC.def")
    assert lookup_keys(paper, "Lovelace1999Strings") == [
        "arxiv:hep-th/9901001",
        "doi:10.1145/abc.def",
        "key:lovelace1999strings",
    ]
    assert lookup_keys(_paper(doi="10.48550/arXiv.2302.00001v2"), "k") == [
        "arxiv:2302.00001",
        "doi:10.48550/arxiv.2302.00001v2",
        "key:k",
    ]


def test_bucket_is_the_low_byte_of_fnv_1a() -> None:
    # FNV-1a 32-bit reference values: "" -> 0x811c9dc5, "a" -> 0xe40c292c, "foobar" -> 0xbf9cf968.
    assert [bucket_of(key) for key in ("", "a", "foobar")] == ["c5", "2c", "68"]


def test_every_bucket_is_written_and_holds_its_keys_and_a_contested_key_is_left_out() -> None:
    papers = (
        _paper(id="one", arxiv="2406.19976", doi="10.1/x", title="One"),
        _paper(id="two", doi="10.1/X", title="Two", date=datetime.date(2024, 2, 1)),
    )
    index = build_indexes(Archive(papers=papers, tags=(Tag("t", "T", ""),)))
    files = lookup_files(index, lambda paper: [f"papers/{paper.id}/", paper.title])
    assert len(files) == BUCKETS
    entries = {}
    for path, text in files.items():
        for key, record in json.loads(text).items():
            assert path.as_posix() == f"{LOOKUP_DIR}/{bucket_of(key)}.json"
            entries[key] = record
    keys = index.citation_keys
    assert entries == {  # one DOI in two files (case differs): found by neither, said nowhere
        "arxiv:2406.19976": ["papers/one/", "One"],
        f"key:{keys['one']}": ["papers/one/", "One"],
        f"key:{keys['two']}": ["papers/two/", "Two"],
    }


# Browser tests: the sample archive, and a small one for the id forms the sample lacks.


@pytest.fixture(scope="module")
def odd_ids_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three papers with an old-style arXiv id, DOIs and a shortDOI, built for `/REPO/`."""
    papers = tmp_path_factory.mktemp("odd-ids-papers")
    (papers / "_tags.yaml").write_text(MINIMAL_TAGS, encoding="utf-8")
    for name, text in {
        "old.yaml": OLD_STYLE,
        "short.yaml": SHORT_DOI,
        "adoi.yaml": ARXIV_DOI,
    }.items():
        (papers / name).write_text(text, encoding="utf-8")
    root = copy_project(tmp_path_factory.mktemp("odd-ids") / "archive", papers)
    completed = run_cli("build", root=root, env={"SITE_URL": f"https://example.org{SUBPATH}"})
    assert completed.returncode == 0, completed.stderr
    return root


@pytest.fixture(scope="module")
def odd_ids_url(odd_ids_root: Path) -> Iterator[str]:
    with serve_directory(odd_ids_root / "site", SUBPATH) as url:
        yield url


VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=sorted(VIEWPORTS))
def page(browser, request):  # type: ignore[no-untyped-def]
    """A page at each viewport that fails its test on a script error or a failed request
    other than those in `page.missing` (the URLs a test visits knowing they are 404s)."""
    context = browser.new_context(viewport=VIEWPORTS[request.param])
    page = context.new_page()
    errors: list[str] = []
    failed: list[str] = []
    page.missing = set()  # type: ignore[attr-defined]
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and not message.text.startswith("Failed to load resource")  # in `failed`
            and errors.append(message.text)
        ),
    )
    yield page
    context.close()
    assert errors == [], "console errors"
    assert set(failed) <= page.missing, "failed requests"


def _search(page, text: str) -> tuple[str, list[str], list[str]]:  # type: ignore[no-untyped-def]
    """Type `text` into the search box; return the status, result titles and their links."""
    if not page.locator("#__search").is_checked():
        button = page.locator('label.md-header__button[for="__search"]')
        if button.is_visible():  # a phone: the box opens from the header's button
            button.click()
        else:
            page.keyboard.press("/")
    page.fill(".md-search__input", text)
    page.locator('.md-search-result__list[aria-busy="false"]').wait_for(state="attached")
    links = page.locator(".md-search-result__link")
    hrefs = [links.nth(i).evaluate("link => link.href") for i in range(links.count())]
    titles = page.locator(".md-search-result__item h1").all_inner_texts()
    return page.locator("[data-pa-search-status]").inner_text(), titles, hrefs


SAMPLE_FORMS = [
    "2406.19976",
    "2406.19976v2",
    "arXiv:2406.19976",
    "arxiv:2406.19976v1",
    " arXiv: 2406.19976 ",
    "https://arxiv.org/abs/2406.19976",
    "https://arxiv.org/abs/2406.19976v3",
    "http://arxiv.org/pdf/2406.19976v2.pdf",
    "arxiv.org/pdf/2406.19976",
    "https://doi.org/10.48550/arXiv.2406.19976",
    "pan2025scalebio",
    "Pan2025ScaleBiO",
]


@pytest.mark.browser
@pytest.mark.slow
def test_every_form_of_an_id_finds_its_paper_first(page, site_url: str, built_site: Path) -> None:  # type: ignore[no-untyped-def]
    archive = load_archive(load_project(built_site))[0]
    [paper] = [p for p in archive.papers if p.id == SCALEBIO]
    page.goto(site_url)
    for form in SAMPLE_FORMS:
        status, titles, hrefs = _search(page, form)
        assert status.startswith("The paper with "), form
        assert titles[:1] == [paper.title], form
        assert hrefs[0] == f"{site_url}papers/{SCALEBIO}/", form
    page.locator(".md-search-result__link").first.click()
    page.wait_for_url(f"{site_url}papers/{SCALEBIO}/")


@pytest.mark.browser
@pytest.mark.slow
def test_an_id_not_in_the_archive_is_said_to_be_missing_and_a_word_is_still_searched(
    page, site_url: str
) -> None:  # type: ignore[no-untyped-def]
    page.goto(site_url)
    status, titles, _ = _search(page, "arXiv:2406.99999")
    assert (status, titles) == ("No paper with arXiv 2406.99999 in this archive", [])
    status, titles, _ = _search(page, "10.1000/nowhere")
    assert (status, titles) == ("No paper with DOI 10.1000/nowhere in this archive", [])
    # Shaped like a citation key but none: searched as words, as any other query.
    assert _search(page, "zzz2024")[0] == "No matching papers"


ODD_FORMS = {
    "hep-th/9901001": "Strings on an Old-Style Identifier",
    "arXiv:hep-th/9901001v2": "Strings on an Old-Style Identifier",
    "https://arxiv.org/abs/hep-th/9901001v1": "Strings on an Old-Style Identifier",
    "https://arxiv.org/pdf/hep-th/9901001.pdf": "Strings on an Old-Style Identifier",
    "10.1145/3580305": "Strings on an Old-Style Identifier",
    "doi:10.1145/3580305": "Strings on an Old-Style Identifier",
    "DOI: 10.1145/3580305.": "Strings on an Old-Style Identifier",
    "https://doi.org/10.1145/3580305": "Strings on an Old-Style Identifier",
    "https://dx.doi.org/10.1145%2F3580305": "Strings on an Old-Style Identifier",
    "10/fvn296": "A Paper Known by a Short DOI",
    "https://doi.org/10/FVN296": "A Paper Known by a Short DOI",
    "2302.00001": "A Paper Cited by its arXiv DOI",
    "10.48550/arxiv.2302.00001": "A Paper Cited by its arXiv DOI",
}


@pytest.mark.browser
@pytest.mark.slow
def test_old_style_arxiv_ids_dois_and_short_dois_find_their_paper(page, odd_ids_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(odd_ids_url)
    for form, title in ODD_FORMS.items():
        status, titles, hrefs = _search(page, form)
        assert status.startswith("The paper with "), form
        assert titles == [title], form
        assert hrefs[0].startswith(f"{odd_ids_url}papers/"), form


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(
    "path", ["abs/2406.19976", "abs/2406.19976v2", "pdf/2406.19976v1.pdf", "arxiv/?id=2406.19976"]
)
def test_an_arxiv_link_with_this_sites_host_lands_on_the_paper(
    page, site_url: str, path: str
) -> None:  # type: ignore[no-untyped-def]
    page.missing.add(site_url + path)  # the abs/pdf paths: GitHub Pages serves 404.html
    page.goto(site_url + path)
    page.wait_for_url(f"{site_url}papers/{SCALEBIO}/")
    assert page.locator("h1.pa-paper-title").is_visible()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("path", ["abs/2406.99999", "arxiv/?id=arXiv:2406.99999"])
def test_an_unknown_arxiv_id_says_it_is_not_in_the_archive(page, site_url: str, path: str) -> None:  # type: ignore[no-untyped-def]
    page.missing.add(site_url + path)  # the abs/pdf paths: GitHub Pages serves 404.html
    page.goto(site_url + path)
    status = page.locator("[data-pa-lookup-status]")
    status.filter(has_text="not in this archive").wait_for()
    assert status.inner_text() == (
        "The paper with arXiv 2406.99999 is not in this archive. "
        "It may be at https://arxiv.org/abs/2406.99999."
    )
    assert page.locator("[data-pa-lookup-status] a").get_attribute("href") == (
        "https://arxiv.org/abs/2406.99999"
    )


@pytest.mark.browser
@pytest.mark.slow
def test_routes_work_under_a_sub_path(page, odd_ids_url: str) -> None:  # type: ignore[no-untyped-def]
    page.missing.update(odd_ids_url + path for path in ("abs/hep-th/9901001v2", "papers/typo/"))
    page.goto(odd_ids_url + "abs/hep-th/9901001v2")  # GitHub Pages answers with 404.html
    page.wait_for_url(f"{odd_ids_url}papers/old/")
    page.goto(odd_ids_url + "arxiv/?id=https://doi.org/10/fvn296")
    page.wait_for_url(f"{odd_ids_url}papers/short/")
    page.goto(odd_ids_url + "papers/typo/")  # any other missing page stays a plain 404
    assert page.locator("h1").first.inner_text() == "404 - Not found"
    assert page.locator("[data-pa-lookup-status]").is_hidden()
