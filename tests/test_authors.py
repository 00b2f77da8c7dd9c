"""Author pages: a page and an Atom feed for each author of two or more papers, an entry
on the letter page for everyone (the anchor older links name), bylines linking to either."""

from __future__ import annotations

import dataclasses
import datetime
import re
import xml.etree.ElementTree as ET
from pathlib import PurePosixPath

import feedparser
import pytest

from generator.fragments import CO_AUTHOR_COUNT
from generator.index import build_indexes
from generator.model import Archive, Paper, Tag
from generator.render import SiteInfo, render_pages

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = SiteInfo("Test Archive", "Papers.", url="https://example.org/archive/")
TAGS = (Tag("a", "A", "Tag a."),)


def paper(paper_id: str, date: str, authors: tuple[str, ...]) -> Paper:
    return Paper(
        id=paper_id,
        title=f"Study of {paper_id}",
        authors=authors,
        date=datetime.date.fromisoformat(date),
        tags=("a",),
        abstract=f"The abstract of {paper_id}.",
    )


PAPERS = (
    paper("old", "2022-05-01", ("Bo Wu", "Ann Lee")),
    paper("new", "2024-03-01", ("Ann Lee", "Cy Ames", "Bo Wu")),
    paper("mid", "2023-01-10", ("Ann Lee",)),
)


@pytest.fixture(scope="module")
def pages() -> dict[PurePosixPath, str]:
    rendered = render_pages(build_indexes(Archive(papers=PAPERS, tags=TAGS)), SITE)
    return {path: str(content) for path, content in rendered.items()}


def test_only_authors_of_two_or_more_papers_have_a_page() -> None:
    index = build_indexes(Archive(papers=PAPERS, tags=TAGS))
    assert {a.name: a.has_page for a in index.authors} == {
        "Cy Ames": False,
        "Ann Lee": True,
        "Bo Wu": True,
    }


def test_an_author_of_two_papers_gets_a_page_of_them_newest_first_with_co_authors(
    pages: dict[PurePosixPath, str],
) -> None:
    page = pages[PurePosixPath("authors/w/bo-wu.md")]
    titles = re.findall(r'<li><a href="([^"]+)"', page)
    assert titles == ["../../../papers/new/", "../../../papers/old/"]
    co_authors = page[page.index('<p class="pa-coauthors">') :]
    assert re.findall(r'href="([^"]+)">([^<]+)</a>(?: \((\d+)\))?', co_authors) == [
        ("../../../authors/l/ann-lee/", "Ann Lee", "2"),
        ("../../../authors/a/#cy-ames", "Cy Ames", ""),
    ]
    assert 'href="../../../author-bo-wu.xml"' in page
    assert 'href="../../../authors/w/#bo-wu"' in page


def test_an_author_of_two_papers_gets_a_feed_of_them_newest_first(
    pages: dict[PurePosixPath, str],
) -> None:
    feed = ET.fromstring(pages[PurePosixPath("author-bo-wu.xml")])
    assert feed.findtext(f"{ATOM}title") == "Test Archive: Bo Wu"
    assert feed.findtext(f"{ATOM}updated") == "2024-03-01T00:00:00Z"
    links = {link.get("rel"): link.get("href") for link in feed.iter(f"{ATOM}link")}
    assert links["self"] == "https://example.org/archive/author-bo-wu.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}id") for entry in entries] == [
        "https://example.org/archive/papers/new/",
        "https://example.org/archive/papers/old/",
    ]
    # The feed names its author once, which its entries inherit; the page for the feed is
    # the author's; entries are lean (title, link, date): the paper page has the rest.
    assert [a.findtext(f"{ATOM}name") for a in feed.findall(f"{ATOM}author")] == ["Bo Wu"]
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href").endswith("authors/w/bo-wu/")
    assert [child.tag.removeprefix(ATOM) for child in entries[0]] == [
        "id",
        "title",
        "link",
        "updated",
    ]
    parsed = feedparser.parse(pages[PurePosixPath("author-bo-wu.xml")])
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.author == "Bo Wu"


def test_an_author_of_one_paper_has_no_page_and_is_reachable_from_the_paper_page(
    pages: dict[PurePosixPath, str],
) -> None:
    assert PurePosixPath("authors/a/cy-ames.md") not in pages
    assert PurePosixPath("author-cy-ames.xml") not in pages
    byline = re.search(r'<p class="pa-byline">(.*)</p>', pages[PurePosixPath("papers/new.md")])
    assert byline is not None
    assert re.findall(r'href="([^"]+)">([^<]+)<', byline.group(1)) == [
        ("../../authors/l/ann-lee/", "Ann Lee"),
        ("../../authors/a/#cy-ames", "Cy Ames"),
        ("../../authors/w/bo-wu/", "Bo Wu"),
    ]
    entry = re.search(r'<li id="cy-ames">(.*)</li>', pages[PurePosixPath("authors/a.md")])
    assert entry is not None and 'href="../../papers/new/">Study of new</a>' in entry.group(1)


def test_letter_pages_keep_an_anchor_for_authors_with_a_page(
    pages: dict[PurePosixPath, str],
) -> None:
    entry = re.search(r'<li id="ann-lee">(.*)</li>', pages[PurePosixPath("authors/l.md")])
    assert entry is not None
    assert (
        entry.group(1)
        == '<a href="../../authors/l/ann-lee/">Ann Lee</a> <span class="pa-count">3</span>'
    )


def test_a_long_list_of_co_authors_is_cut_short_and_counted() -> None:
    crowd = tuple(f"Person {number:03d}" for number in range(CO_AUTHOR_COUNT + 5))
    papers = (paper("one", "2024-01-01", ("Bo Wu", *crowd)), paper("two", "2023-01-01", ("Bo Wu",)))
    rendered = render_pages(build_indexes(Archive(papers=papers, tags=TAGS)), SITE)
    page = str(rendered[PurePosixPath("authors/w/bo-wu.md")])
    line = page[page.index('<p class="pa-coauthors">') :]
    assert line.count("<a ") == CO_AUTHOR_COUNT
    assert line.rstrip().endswith(", and 5 more</p>")


def test_orcid_ids_join_spellings_split_homonyms_and_link_out() -> None:
    lovelace, other, eve = "0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X"
    written = {
        "p1": ("A. Lovelace", lovelace),
        "p2": ("Ada Lovelace", lovelace),
        "p3": ("Ada Lovelace", lovelace),
        "p4": ("Ada Lovelace", other),
        "p5": ("Ada Lovelace", other),
        "p6": ('Eve "<i>" Lovelace', eve),
    }
    papers = tuple(
        dataclasses.replace(
            paper(paper_id, f"{2030 - number}-01-01", (name, "Bo Wu")), orcid=((name, orcid),)
        )
        for number, (paper_id, (name, orcid)) in enumerate(written.items())
    )
    rendered = render_pages(build_indexes(Archive(papers=papers, tags=TAGS)), SITE)
    pages = {path: str(content) for path, content in rendered.items()}

    page = pages[PurePosixPath("authors/l/ada-lovelace-0000-0002-1825-0097.md")]
    assert re.findall(r"<h1>(.*)</h1>\n(.*)", page) == [
        ("Ada Lovelace", '<p class="pa-subtle">Also written A. Lovelace</p>')
    ]
    assert re.findall(r'<li><a href="([^"]+)"', page) == [
        "../../../papers/p1/",
        "../../../papers/p2/",
        "../../../papers/p3/",
    ]
    assert (
        '<a class="pa-orcid" href="https://orcid.org/0000-0002-1825-0097" rel="noopener"'
        ' aria-label="ORCID 0000-0002-1825-0097 of Ada Lovelace, on orcid.org">'
        "ORCID 0000-0002-1825-0097</a>"
    ) in page
    # The byline keeps the paper's spelling and links to the one person behind both.
    assert re.findall(r'<p class="pa-byline">(.*)</p>', pages[PurePosixPath("papers/p1.md")]) == [
        '<a href="../../authors/l/ada-lovelace-0000-0002-1825-0097/">A. Lovelace</a>, '
        '<a href="../../authors/w/bo-wu/">Bo Wu</a>'
    ]
    homonym = pages[PurePosixPath("authors/l/ada-lovelace-0000-0001-5109-3700.md")]
    assert re.findall(r'<li><a href="([^"]+)"', homonym) == [
        "../../../papers/p4/",
        "../../../papers/p5/",
    ]
    assert 'href="https://orcid.org/0000-0001-5109-3700"' in homonym
    letter = pages[PurePosixPath("authors/l.md")]
    assert letter.count('class="pa-orcid"') == 3
    assert (
        'aria-label="ORCID 0000-0002-1694-233X of Eve &#34;&lt;i&gt;&#34; Lovelace, on orcid.org"'
    ) in letter
    assert "<i>" not in letter
