"""Link check (generator/links.py): small hand-made sites for each rule, then the real build."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.commands import main
from generator.links import BrokenLink, check_site_links
from generator.pipeline import load_project

PAGE = '<!doctype html><html><head>{head}</head><body><h1 id="top">Title</h1>{body}</body></html>'


def make_site(root: Path, files: dict[str, str]) -> Path:
    """Write `{path in site: body}`; `.html` bodies are wrapped in a minimal page."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.endswith(".html"):
            head, _, body = content.partition("|")
            content = PAGE.format(head=head, body=body)
        path.write_text(content, encoding="utf-8")
    return root


def test_good_relative_links_and_anchors_pass(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        {
            "index.html": '<link rel="stylesheet" href="style.css">'
            '|<a href="papers/a/#abstract">A</a><a href="#top">up</a>',
            "papers/a/index.html": '|<h2 id="abstract">Abstract</h2>'
            '<a href="../../">home</a><a href="../..">home</a>',
            "style.css": "body { background: url('img/bg.png') }",
            "img/bg.png": "",
        },
    )
    report = check_site_links(site)
    assert report.broken == ()
    assert report.checked == 6
    assert report.files == 3


def test_missing_page_and_missing_anchor_are_reported(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        {
            "index.html": '|<a href="papers/gone/">gone</a><a href="papers/a/#nope">a</a>'
            '<a href="#missing">here</a>',
            "papers/a/index.html": "|",
        },
    )
    assert check_site_links(site).broken == (
        BrokenLink("index.html", "#missing", "no id 'missing' in index.html"),
        BrokenLink("index.html", "papers/a/#nope", "no id 'nope' in papers/a/index.html"),
        BrokenLink("index.html", "papers/gone/", "no such file"),
    )


def test_folder_without_trailing_slash_resolves_to_its_index(tmp_path: Path) -> None:
    site = make_site(
        tmp_path, {"index.html": '|<a href="about">About</a>', "about/index.html": "|"}
    )
    assert check_site_links(site).broken == ()


def test_root_relative_link_that_escapes_the_sub_path_is_broken(tmp_path: Path) -> None:
    """The classic GitHub Pages failure: `/assets/...` on a site served at `/REPO/`."""
    site = make_site(
        tmp_path,
        {
            "404.html": '<link rel="stylesheet" href="/assets/main.css">'
            '<script src="/REPO/assets/app.js"></script>|',
            "index.html": "|",
            "assets/main.css": "",
            "assets/app.js": "",
        },
    )
    assert check_site_links(site, "https://curator.github.io/REPO/").broken == (
        BrokenLink("404.html", "/assets/main.css", "outside the site's base path /REPO/"),
    )
    assert check_site_links(site, "https://curator.github.io/").broken == (
        BrokenLink("404.html", "/REPO/assets/app.js", "no such file"),
    )


def test_canonical_links_srcset_sitemap_and_search_index_are_checked(tmp_path: Path) -> None:
    site_url = "https://curator.github.io/REPO/"
    sitemap = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{site_url}</loc></url><url><loc>{site_url}gone/</loc></url>"
        "<url><loc>http://127.0.0.1:8000/</loc></url></urlset>"
    )
    site = make_site(
        tmp_path,
        {
            "index.html": f'<link rel="canonical" href="{site_url}">'
            '|<img srcset="a.png 1x, b.png 2x">',
            "a.png": "",
            "sitemap.xml": sitemap,
            "search/search_index.json": json.dumps(
                {"docs": [{"location": ""}, {"location": "#nope"}]}
            ),
        },
    )
    assert check_site_links(site, site_url).broken == (
        BrokenLink("index.html", "b.png", "no such file"),
        BrokenLink("search/search_index.json", "#nope", "no id 'nope' in index.html"),
        BrokenLink("sitemap.xml", "http://127.0.0.1:8000/", f"not under site_url {site_url}"),
        BrokenLink("sitemap.xml", f"{site_url}gone/", "no such file"),
    )


def test_external_urls_are_listed_once_and_other_schemes_ignored(tmp_path: Path) -> None:
    site = make_site(
        tmp_path,
        {
            "index.html": '|<a href="https://arxiv.org/abs/1">x</a><a href="mailto:a@b.org">m</a>'
            '<a href="https://arxiv.org/abs/1">again</a><img src="data:image/png;base64,AA==">',
            "about/index.html": '|<a href="http://example.org/page">e</a>',
        },
    )
    report = check_site_links(site)
    assert report.external == ("http://example.org/page", "https://arxiv.org/abs/1")
    assert report.broken == ()


def write_project(root: Path, files: dict[str, str]) -> Path:
    """A project folder holding only what `links` reads: mkdocs.yml and the built site."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(
        "site_url: https://curator.github.io/REPO/\nsite_dir: site\n", encoding="utf-8"
    )
    make_site(root / "site", files)
    return root


def test_links_command_lists_broken_links_and_fails(tmp_path: Path) -> None:
    root = write_project(
        tmp_path / "archive", {"index.html": '|<a href="gone/">x</a><a href="#top">y</a>'}
    )
    result = CliRunner().invoke(main, ["--root", str(root), "links"])
    assert result.exit_code == 1
    assert result.stderr == (
        "site/index.html: gone/: no such file\n"
        "Error: 1 broken link(s) in 1 files, checked as served at https://curator.github.io/REPO/"
        " (site_url, from SITE_URL when set)\n"
    )


def test_links_command_needs_a_built_site(tmp_path: Path) -> None:
    root = tmp_path / "archive"
    root.mkdir()
    (root / "mkdocs.yml").write_text("site_dir: site\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--root", str(root), "links"])
    assert result.exit_code == 1
    assert "run `paper-archive build` first" in result.stderr


@pytest.mark.slow
@pytest.mark.bundled
def test_bundled_site_has_no_broken_links(bundled_site: Path) -> None:
    site = bundled_site / "site"
    report = check_site_links(site, load_project(bundled_site).site.url)
    assert report.broken == ()
    pages = list(site.rglob("*.html"))
    assert report.files > len(pages)  # the pages, stylesheets, sitemap and search index
    assert report.checked > 10 * len(pages)  # navigation, paper, tag, author links, assets


@pytest.mark.slow
def test_links_external_lists_urls_without_fetching_any(
    built_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the link check must not open network connections")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    result = CliRunner().invoke(main, ["--root", str(built_site), "links", "--external"])
    assert result.exit_code == 0, result.output
    urls = result.stdout.splitlines()
    assert urls == sorted(set(urls))
    assert all(url.startswith(("http://", "https://")) for url in urls)
    assert any(url.startswith("https://arxiv.org/abs/") for url in urls)
    assert not any(url.startswith(load_project(built_site).site.url) for url in urls)
    assert result.stderr.startswith("Checked ") and "none broken" in result.stderr
