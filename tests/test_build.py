"""A real `mkdocs build --strict` of the bundled archive, then facts about the site."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.build import load_archive, load_project
from generator.search import read_index

pytestmark = pytest.mark.slow
REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def archive():  # type: ignore[no-untyped-def]
    return load_archive(load_project(REPO_ROOT))[0]


def test_bundled_archive_has_79_papers_and_a_15_to_30_tag_vocabulary(archive) -> None:  # type: ignore[no-untyped-def]
    assert len(archive.papers) == 79
    assert 15 <= len(archive.tags) <= 30
    assert all(1 <= len(paper.tags) <= 4 for paper in archive.papers)
    used = {slug for paper in archive.papers for slug in paper.tags}
    assert used == {tag.slug for tag in archive.tags}, "every tag in the vocabulary is used"


def test_site_has_every_paper_page_with_authors_and_arxiv_link(built_site: Path, archive) -> None:  # type: ignore[no-untyped-def]
    site = built_site / "site"
    for paper in archive.papers:
        html = (site / "papers" / paper.id / "index.html").read_text(encoding="utf-8")
        assert paper.authors[0] in html
        if paper.arxiv:
            assert f'href="https://arxiv.org/abs/{paper.arxiv}"' in html
    assert len(list((site / "papers").glob("*/index.html"))) == 79


def test_site_has_every_tag_year_and_index_page(built_site: Path, archive) -> None:  # type: ignore[no-untyped-def]
    site = built_site / "site"
    for tag in archive.tags:
        assert (site / "tags" / tag.slug / "index.html").is_file()
    for year in {paper.year for paper in archive.papers}:
        assert (site / "timeline" / str(year) / "index.html").is_file()
    for page in (
        "index.html",
        "tags/index.html",
        "timeline/index.html",
        "authors/index.html",
        "about/index.html",
        "404.html",
    ):
        assert (site / page).is_file(), page


def test_every_title_is_in_the_search_index(built_site: Path, archive) -> None:  # type: ignore[no-untyped-def]
    titles = {page["meta"]["title"] for page in read_index(built_site / "site")}  # Pagefind's
    for paper in archive.papers:
        assert paper.title in titles, paper.title


def test_site_loads_nothing_from_a_cdn(built_site: Path) -> None:
    for page in (built_site / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for marker in (
            "fonts.googleapis",
            "fonts.gstatic",
            "cdn.jsdelivr",
            "unpkg.com",
            "polyfill.io",
        ):
            assert marker not in html, f"{page} loads from {marker}"


def test_nav_holds_only_the_sections() -> None:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((REPO_ROOT / "mkdocs.yml").read_text(), Loader=Loader)
    sections = ["Home", "Tags", "Timeline", "Authors", "Venues", "Stats", "About"]
    assert [next(iter(item)) for item in config["nav"]] == sections
