"""A real `mkdocs build --strict` of the bundled archive (whatever `papers/` holds), then
facts about the site that hold for any archive: every count comes from the paper files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.pipeline import load_archive, load_project
from generator.search import read_index
from tests.conftest import BUNDLED_PAPERS, REPO_ROOT, published_paper_files

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def archive():  # type: ignore[no-untyped-def]
    return load_archive(load_project(REPO_ROOT))[0]


@pytest.mark.bundled
def test_bundled_archive_loads_every_published_paper_file(archive) -> None:  # type: ignore[no-untyped-def]
    assert sorted(paper.id for paper in archive.papers) == [
        path.stem for path in published_paper_files(BUNDLED_PAPERS)
    ]
    vocabulary = {tag.slug for tag in archive.tags}
    assert all(paper.tags and set(paper.tags) <= vocabulary for paper in archive.papers)


@pytest.mark.bundled
def test_site_has_every_paper_page_with_authors_and_arxiv_link(bundled_site: Path, archive) -> None:  # type: ignore[no-untyped-def]
    site = bundled_site / "site"
    for paper in archive.papers:
        html = (site / "papers" / paper.id / "index.html").read_text(encoding="utf-8")
        assert paper.authors[0] in html
        if paper.arxiv:
            assert f'href="https://arxiv.org/abs/{paper.arxiv}"' in html
    pages = list((site / "papers").glob("*/index.html"))
    assert len(pages) == len(published_paper_files(BUNDLED_PAPERS))


@pytest.mark.bundled
def test_site_has_every_tag_year_and_index_page(bundled_site: Path, archive) -> None:  # type: ignore[no-untyped-def]
    site = bundled_site / "site"
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


@pytest.mark.bundled
def test_every_title_is_in_the_search_index(bundled_site: Path, archive) -> None:  # type: ignore[no-untyped-def]
    titles = {page["meta"]["title"] for page in read_index(bundled_site / "site")}  # Pagefind's
    for paper in archive.papers:
        assert paper.title in titles, paper.title


@pytest.mark.bundled
def test_site_loads_nothing_from_a_cdn(bundled_site: Path) -> None:
    for page in (bundled_site / "site").rglob("*.html"):
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
