"""The theme's chrome on every page (theme_overrides/): the header's icons come from one
cached sprite that follows the icons mkdocs.yml configures, what every page ran first from one
cached script that follows its palette, and no page carries what only Material's own search
reads, nor what a list's entries or an author's page can do without."""

from __future__ import annotations

import json
import re
from pathlib import Path

import material
import yaml

ICON_LINK = re.compile(r'<use xlink:href="((?:\.\./)*)assets/icons\.svg#([a-z0-9-]+)"/>')


def test_pages_link_their_icons_to_one_sprite_of_the_configured_icons(built_site: Path) -> None:
    site = built_site / "site"
    sprite = (site / "assets" / "icons.svg").read_text()
    symbols = dict(re.findall(r'<symbol id="([a-z0-9-]+)"[^>]*>(.*?)</symbol>', sprite))
    pages = [site / "index.html", *sorted(site.glob("papers/*/index.html"))[:3]]
    authors = sorted(site.glob("authors/*/*/index.html"))[:2]
    pages += authors
    for page in pages:
        html = page.read_text()
        header = html[html.index("<header") : html.index("</header>")]
        assert "<path" not in header, f"{page}: an inline icon"
        depth = len(page.relative_to(site).parts) - 1
        links = ICON_LINK.findall(html)
        assert {prefix for prefix, _ in links} == {"../" * depth}, page
        shown = {"logo", "search"} if page in authors else {"logo", "menu", "search"}
        assert shown <= {i for _, i in links}
        # What works only with JavaScript is made by script, not carried by every page.
        assert 'data-md-component="palette"' not in html, page
        assert 'data-md-component="top"' not in html, page
        assert ("Made with" in html) == (page == site / "index.html"), page
        assert {icon for _, icon in links} <= set(symbols), page
    # The search box's icons, which javascripts/search.js links to when it makes the box.
    script = (site / "javascripts" / "search.js").read_text()
    assert set(re.findall(r'icon\("([a-z-]+)"\)', script)) == {"search", "previous", "close"}
    assert {"search", "previous", "close"} <= set(symbols)
    # The palette toggles' and the back-to-top button's, which palette.js and top.js link to.
    assert "icons.svg#${id}" in (site / "javascripts" / "palette.js").read_text()
    assert "icons.svg#top" in (site / "javascripts" / "top.js").read_text()
    assert "top" in symbols
    theme = yaml.safe_load((built_site / "mkdocs.yml").read_text().replace("!ENV", ""))["theme"]
    icons = Path(material.__file__).parent / "templates" / ".icons"
    logo = (icons / f"{theme['icon']['logo']}.svg").read_text()
    assert symbols["logo"] in logo
    for number, option in enumerate(theme["palette"]):
        assert (
            symbols[f"palette-{number}"] in (icons / f"{option['toggle']['icon']}.svg").read_text()
        )


def test_material_settings_leave_out_its_own_search(built_site: Path) -> None:
    """Material's settings are javascripts/head.js's, not in every page."""
    site = built_site / "site"
    assert not any('id="__config"' in page.read_text() for page in site.rglob("*.html"))
    head = (site / "javascripts" / "head.js").read_text()
    settings = json.loads(re.search(r"^    \.\.\.(\{.*\}),$", head, re.MULTILINE).group(1))
    assert "search" not in settings
    assert not any(key.startswith("search.") for key in settings["translations"])
    assert settings["translations"]["clipboard.copy"]


def test_pages_leave_what_they_would_all_repeat_to_one_cached_script(built_site: Path) -> None:
    """Material's settings store and the palette's schemes are javascripts/head.js, rendered
    once from mkdocs.yml; the generator tag is on the home page only; list entries carry no
    classes; an author's page has no menu button, which its drawer script adds when needed."""
    site = built_site / "site"
    head = (site / "javascripts" / "head.js").read_text()
    assert "{{" not in head and "{%" not in head and "{#" not in head  # rendered
    assert 'new URL("..",document.currentScript.src)' in head
    schemes = json.loads(re.search(r"^__pa_palette=(.*);$", head, re.MULTILINE).group(1))
    theme = yaml.safe_load((built_site / "mkdocs.yml").read_text().replace("!ENV", ""))["theme"]
    fields = ("media", "scheme", "primary", "accent")
    assert schemes == [
        [*(option[field] for field in fields), option["toggle"]["name"]]
        for option in theme["palette"]
    ]
    pages = sorted(site.rglob("*.html"))
    authors = set(site.glob("authors/*/*/index.html"))
    assert len(pages) > 150 and len(authors) > 20
    for page in pages:
        html = page.read_text()
        depth = len(page.relative_to(site).parts) - 1
        root = "/" if page.name == "404.html" else "../" * depth
        assert html.count(f'<script src="{root}javascripts/head.js"></script>') == 1, page
        assert "__md_scope" not in html and "data-pa-palette" not in html, page
        assert f'<script src="{root}javascripts/palette.js"></script>' in html, page
        assert ('<meta name="generator"' in html) == (page == site / "index.html"), page
        assert "pa-item" not in html, page
        menu = '<label class="md-header__button md-icon" for="__drawer"' in html
        drawer = f'<script src="{root}javascripts/drawer.js" data-pa-menu="Navigation"></script>'
        assert (not menu, drawer in html) == ((page in authors),) * 2, page
