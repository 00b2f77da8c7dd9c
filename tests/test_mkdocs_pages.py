"""The MkDocs hook for generated pages (generator/engines/mkdocs_pages.py): their HTML passes
through unparsed, yet the table of contents, permalinks and `--strict` link validation hold,
and a broken link in a generated page still fails the build."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from generator.engines import engine_named
from generator.engines.mkdocs_pages import _headings, without_indentation
from generator.engines.site import build_site
from generator.errors import SiteBuildError
from generator.pipeline import generate
from tests.conftest import VALID_PAPER

AS_OF = datetime.date(2024, 6, 1)
PERMALINKS = {"permalink": True}


def test_indentation_goes_but_whitespace_that_shows_stays() -> None:
    html = (
        "<div>\n    <p>one\n\n      two</p>\n  <pre>a\n    b</pre>\n"
        "  <p><code>x\n   y</code></p>\n  <script>\n  let s = `\n  `;</script>\n</div>"
    )
    assert without_indentation(html) == (
        "<div>\n<p>one\ntwo</p>\n<pre>a\n    b</pre>\n"
        "<p><code>x\n   y</code></p>\n<script>\n  let s = `\n  `;</script>\n</div>"
    )


def test_headings_give_a_nested_table_of_contents_and_permalinks() -> None:
    body = '<h1 id="y">2024</h1>\n<h2 id="m">May &amp; <em>June</em></h2>\n<h3>No id</h3>\n<h2 id="n">N</h2>'
    html, tokens = _headings(body, PERMALINKS)
    assert '<h2 id="m">May &amp; <em>June</em><a class="headerlink" href="#m"' in html
    assert "<h3>No id</h3>" in html
    assert [(t["id"], t["name"]) for t in tokens] == [("y", "2024")]
    assert [(t["id"], t["name"], t["level"]) for t in tokens[0]["children"]] == [
        ("m", "May &amp; June", 2),
        ("n", "N", 2),
    ]
    unlinked, _ = _headings(body, {"permalink": False})
    assert "headerlink" not in unlinked
    custom, _ = _headings(body, {"permalink": "#", "permalink_title": ""})
    assert '<a class="headerlink" href="#y">#</a></h1>' in custom


@pytest.fixture
def generated(make_archive):  # type: ignore[no-untyped-def]
    project = make_archive({"valid-paper.yaml": VALID_PAPER})
    generate(project, today=AS_OF)
    return project


def test_generated_pages_keep_their_table_of_contents_and_anchors(generated) -> None:  # type: ignore[no-untyped-def]
    build_site(generated, AS_OF, engine_named("mkdocs"))
    page = (generated.site_dir / "papers" / "valid-paper" / "index.html").read_text()
    toc = page[page.index('<nav class="md-nav md-nav--secondary"') :]
    toc = toc[: toc.index("</nav>")]
    assert re.findall(r'href="(#[^"]+)"', toc) == ["#abstract", "#cite"]
    assert '<h2 id="cite">Cite<a class="headerlink" href="#cite" title="Permanent link">' in page
    assert "\n  <" not in page.replace(page[page.index("<pre") : page.index("</pre>")], "")
    # A hand-written page is Markdown, converted as always.
    about = (generated.site_dir / "about" / "index.html").read_text()
    assert re.search(r"<h2 id=\"[^\"]+\">[^<]+<a class=\"headerlink\"", about)


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("../../tags/no-such-tag/", "contains a link '../../tags/no-such-tag/', but the target"),
        ("../../no-such-feed.xml", "contains a link '../../no-such-feed.xml', but the target"),
        ("../../tags/data-selection/#nowhere", "does not contain an anchor '#nowhere'"),
        ("#nowhere", "there is no such anchor on this page"),
    ],
)
def test_strict_build_fails_on_a_broken_link_in_a_generated_page(
    generated, link: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    source = generated.docs_dir / "papers" / "valid-paper.md"
    broken = f'<p><a href="{link}">broken</a></p>\n'
    source.write_text(source.read_text() + broken, encoding="utf-8")
    with pytest.raises(SiteBuildError) as failed:
        build_site(generated, AS_OF, engine_named("mkdocs"))
    assert "Doc file 'papers/valid-paper.md'" in str(failed.value)
    assert message in str(failed.value)
    assert not (generated.site_dir / "papers").exists()  # nothing published
    assert not (generated.root / "build" / "pagefind.new").exists()  # nor a search index left


def test_links_that_resolve_pass(generated) -> None:  # type: ignore[no-untyped-def]
    source = generated.docs_dir / "papers" / "valid-paper.md"
    fine = '<p><a href="../../authors/l/#ada-lovelace">t</a> <a href="#cite">c</a></p>\n'
    source.write_text(source.read_text() + fine, encoding="utf-8")
    build_site(generated, AS_OF, engine_named("mkdocs"))
    assert Path(generated.site_dir / "papers" / "valid-paper" / "index.html").is_file()
