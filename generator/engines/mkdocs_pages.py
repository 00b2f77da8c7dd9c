"""Generated pages reach MkDocs as the HTML they already are, never parsed as Markdown.

The generator writes each page's body as finished, escaped HTML (front matter marks it with
`GENERATED_KEY`), but for its section headings, which are Markdown (`## Cite { #cite }`) so
that an engine running no hooks (Zensical) still builds their table of contents; this hook
turns them into the `<h2 id>` they would become. Python-Markdown would read all of it again
with `html.parser` to find its raw HTML blocks, most of a build's time; this hook hands the
body over unread (MkDocs makes no Markdown converter for the page), then does for it the
three things MkDocs' Markdown pass would have done:

- the table of contents, from the headings the templates write (`<h2 id="...">`), with
  the `toc` extension's permalink added to each as `mkdocs.yml` configures it;
- the anchors the page holds, so links to them validate;
- link validation: every relative `href`/`src` must name a file of the site (else a warning,
  which `--strict` turns into a failed build), and links to `#anchors` are handed to
  MkDocs' own anchor check. MkDocs checks no link inside raw HTML, so this is stricter
  than the Markdown pass it replaces.

And once Material has rendered such a page, the indentation of its templates is dropped.

Hand-written pages (no `GENERATED_KEY`) go through Markdown as always. The regular
expressions read only what generator/templates write: attributes double-quoted, headings
with an `id` and text without nested headings. Used as a hook (`mkdocs_build.py` lists this
file under `hooks:`) and, in the live preview, as the plugin object `GeneratedPages`.
"""

from __future__ import annotations

import logging
import posixpath
import re
import sys
from functools import lru_cache, partial
from html import escape, unescape
from typing import Any
from urllib.parse import unquote, urlsplit

THEME_TEMPLATES = ("assets/icons.svg", "javascripts/head.js")
"""Cached files rendered from theme_overrides with the configuration: the header's icons
(partials/sprite.html), and what every page's head runs first (partials/javascripts/base.html)."""

GENERATED_KEY = "generated_html"
"""Front matter key of pages whose body is HTML written by the generator."""

# A section heading as the templates write it, `## Text { #id }`: Markdown (attr_list), so an
# engine without this hook still lists it in the table of contents.
_MARKDOWN_HEADING = re.compile(r"^(#{2,6}) (.+?) \{ #([^\s}]+) \}$", re.MULTILINE)
_HEADING = re.compile(r'<h([1-6]) id="([^"]+)"([^>]*)>(.*?)</h\1>', re.DOTALL)
_IDS = re.compile(r'<[a-zA-Z][^>]*?\sid="([^"]+)"')
_LINKS = re.compile(r'<(?:a|img|link|script)\b[^>]*?\s(?:href|src)="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
# Elements whose whitespace shows (Material styles `code` and `kbd` as `pre-wrap`) or is code.
_KEEP_WHITESPACE = re.compile(
    r"(<(pre|code|kbd|textarea|script|style)\b.*?</\2>)", re.DOTALL | re.IGNORECASE
)
_INDENTATION = re.compile(r"\n\s+")

log = logging.getLogger("mkdocs.plugins.paper_archive")


class GeneratedPages:
    """Stashes a generated page's HTML before Markdown and gives it back after, with its
    table of contents, anchors and checked links. An MkDocs plugin by shape."""

    def __init__(self) -> None:
        self.stash: dict[str, str] = {}
        self.by_destination: dict[str, Any] = {}
        self.targets: dict[tuple[str, str], Any] = {}
        """The file a link's path names from a folder, as found: pages share most links."""

    def on_config(self, config: Any) -> None:
        """Render the theme's templates wherever the theme has them, even when `mkdocs.yml`
        predates their `static_templates` lines: without them every header icon would be
        silently blank, and every page's scripts would fail."""
        theme = config["theme"]
        for name in THEME_TEMPLATES:
            if any(posixpath.isfile(posixpath.join(folder, name)) for folder in theme.dirs):
                theme.static_templates.add(name)

    def on_files(self, files: Any, config: Any) -> None:
        self.by_destination = {file.dest_uri: file for file in files}
        self.stash, self.targets = {}, {}

    def on_page_markdown(self, markdown: str, page: Any, config: Any, files: Any) -> str:
        if not page.meta.get(GENERATED_KEY):
            return markdown
        self.stash[page.file.src_uri] = _MARKDOWN_HEADING.sub(_html_heading, markdown)
        page.render = partial(_render_without_markdown, page)
        return ""

    def on_page_content(self, html: str, page: Any, config: Any, files: Any) -> str:
        body = self.stash.pop(page.file.src_uri, None)
        if body is None:
            return html
        toc_config = (
            config.mdx_configs.get("toc", {}) if "toc" in config.markdown_extensions else None
        )
        body, tokens = _headings(body, toc_config)
        # The running engine's own `get_toc` (MkDocs' or ProperDocs'), which its page module
        # imports: this module imports neither, as mkdocs_progress.py does not.
        page.toc = sys.modules[type(page).__module__].get_toc(tokens)
        page.present_anchor_ids = set(_IDS.findall(body))
        links = page.links_to_anchors if page.links_to_anchors is not None else {}
        self._check_links(body, page, config, links)
        page.links_to_anchors = links
        return body

    def on_post_page(self, output: str, page: Any, config: Any) -> str:
        return without_indentation(output) if page.meta.get(GENERATED_KEY) else output

    def _check_links(self, body: str, page: Any, config: Any, links: dict) -> None:
        """Warn about each relative link that names no file of the site; record the
        `#anchor` links for MkDocs' anchor check, which runs once every page is read."""
        base = posixpath.dirname(page.file.dest_uri)
        for href in dict.fromkeys(_LINKS.findall(body)):
            link = _site_link(href)
            if link is None:
                continue
            url, path, anchor = link
            target = self._target(base, path) if path else page.file
            if target is None:
                log.log(
                    config.validation.links.not_found,
                    f"Doc file '{page.file.src_uri}' contains a link '{url}', "
                    "but the target is not found among documentation files.",
                )
            elif anchor:
                links.setdefault(target, {}).setdefault(anchor, url)

    def _target(self, base: str, path: str) -> Any:
        """The file `path`, relative to the folder `base`, names; None if none."""
        key = (base, path)
        if key not in self.targets:
            self.targets[key] = self._lookup(posixpath.join(base, path))
        return self.targets[key]

    def _lookup(self, joined: str) -> Any:
        path = posixpath.normpath(joined)
        if path.startswith("../") or path == "..":
            return None
        if joined.endswith("/") or path == ".":
            path = posixpath.join(path, "index.html").removeprefix("./")
        return self.by_destination.get(path) or self.by_destination.get(f"{path}/index.html")


@lru_cache(maxsize=1 << 16)
def _site_link(href: str) -> tuple[str, str, str] | None:
    """`href` unescaped, its path unquoted and its anchor; None for a link outside the site
    or root-relative (the link check's job). Cached: pages share most of their links."""
    url = unescape(href)
    scheme, netloc, path, _, anchor = urlsplit(url)
    if scheme or netloc or url.startswith("/"):
        return None
    return url, unquote(path), anchor


def _render_without_markdown(page: Any, config: Any, files: Any) -> None:
    """`Page.render` for a generated page, whose body waits in the stash: MkDocs' own would
    make a Markdown converter with every configured extension, afresh for each page, only
    to convert nothing, a tenth of a build's time. `on_page_content` fills in the rest."""
    page.content = ""


def _html_heading(match: re.Match[str]) -> str:
    level = len(match[1])
    return f'<h{level} id="{match[3]}">{match[2]}</h{level}>'


def without_indentation(html: str) -> str:
    """Drop each line's indentation and blank lines outside elements whose whitespace
    shows: a browser renders a newline followed by spaces as the newline alone.

    Material's templates indent every line; on a generated page that was a tenth of its bytes.
    """
    parts = _KEEP_WHITESPACE.split(html)
    # split() gives: text, element, its tag name, text, element, tag name, ...
    for number in range(0, len(parts), 3):
        parts[number] = _INDENTATION.sub("\n", parts[number])
    return "".join(part for number, part in enumerate(parts) if number % 3 != 2)


def _headings(body: str, toc_config: dict | None) -> tuple[str, list[dict]]:
    """Return `body` with the `toc` extension's permalinks added, and its TOC tokens."""
    flat: list[dict] = []
    permalink = _permalink(toc_config)

    def visit(match: re.Match[str]) -> str:
        level, anchor, attributes, inner = match.groups()
        flat.append({"level": int(level), "id": anchor, "name": _TAG.sub("", inner).strip()})
        if permalink is None:
            return match.group()
        return f'<h{level} id="{anchor}"{attributes}>{inner}{permalink(anchor)}</h{level}>'

    body = _HEADING.sub(visit, body)
    return body, _nested(flat)


def _permalink(toc_config: dict | None) -> Any:
    """The `toc` extension's permalink for an anchor, as `mkdocs.yml` configures it."""
    if not toc_config or not toc_config.get("permalink"):
        return None
    text = toc_config["permalink"]
    text = "&para;" if text is True else escape(str(text))
    css = escape(toc_config.get("permalink_class", "headerlink"))
    title = toc_config.get("permalink_title", "Permanent link")
    title_attribute = f' title="{escape(title)}"' if title else ""
    return lambda anchor: f'<a class="{css}" href="#{anchor}"{title_attribute}>{text}</a>'


def _nested(flat: list[dict]) -> list[dict]:
    """Nest headings as the `toc` extension does: each under the nearest higher level."""
    roots: list[dict] = []
    stack: list[dict] = []
    for token in flat:
        token["children"] = []
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else roots).append(token)
        stack.append(token)
    return roots


_hooked = GeneratedPages()
# As a hook, the module itself is MkDocs' plugin: these are the events it registers.
on_config = _hooked.on_config
on_files = _hooked.on_files
on_page_markdown = _hooked.on_page_markdown
on_page_content = _hooked.on_page_content
on_post_page = _hooked.on_post_page
