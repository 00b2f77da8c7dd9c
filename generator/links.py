"""Link check of a built site: every internal link, asset and `#anchor` must resolve.

Invariant: `check_site_links` only reads the site folder. It fetches nothing and writes
nothing; external URLs are collected, never requested, so the check runs offline in tests.
URLs are resolved as a browser would from each page's public address (`site_url` plus the
page's path), so a link that escapes a sub-path such as `/REPO/` is reported as broken.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

# Stand-in address when no site_url is known: root-relative links then resolve to the site root.
DEFAULT_ORIGIN = "http://site.invalid/"
IGNORED_SCHEMES = frozenset({"mailto", "tel", "javascript", "data", "blob", "about"})
URL_ATTRIBUTES = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "object": ("data",),
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)['"]?\s*\)""")
SITEMAP = "sitemap.xml"
SITEMAP_LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
SEARCH_INDEX = "search/search_index.json"
READ_AS_DATA = (SITEMAP, SEARCH_INDEX)


@dataclass(frozen=True, order=True)
class BrokenLink:
    """A URL in the site that points at no file, or at a page without its `#anchor`."""

    source: str
    """File the URL appears in, relative to the site folder (`papers/x/index.html`)."""
    url: str
    """The URL as written."""
    reason: str


@dataclass(frozen=True)
class LinkReport:
    """What one check found; `broken` and `external` are sorted, so output is stable."""

    files: int
    """HTML, CSS, sitemap and search-index files read."""
    checked: int
    """Internal URLs resolved (each occurrence counts)."""
    broken: tuple[BrokenLink, ...]
    external: tuple[str, ...]
    """Distinct http(s) URLs outside the site; listed, never fetched."""


class _PageParser(HTMLParser):
    """Collects the URLs a browser would follow or load, and every `id` (anchor target)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = URL_ATTRIBUTES.get(tag, ())
        for name, value in attrs:
            if value is None:
                continue
            if name == "id":
                self.ids.add(value)
            elif name == "srcset" and name in wanted:
                self.urls += [item.split()[0] for item in value.split(",") if item.strip()]
            elif name in wanted and value.strip():
                self.urls.append(value.strip())


def parse_html(text: str) -> tuple[list[str], set[str]]:
    """Return the URLs referenced by an HTML page and the ids it defines."""
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    return parser.urls, parser.ids


def check_site_links(site_dir: Path, site_url: str = "") -> LinkReport:
    """Check every internal URL and `#anchor` of the site in `site_dir`, as served at `site_url`.

    Reads HTML pages, stylesheets (`url(...)`), `sitemap.xml` and the search index, whose
    entries are the links search results lead to.
    """
    origin = _origin(site_url)
    files = {
        path.relative_to(site_dir).as_posix(): path
        for path in sorted(site_dir.rglob("*"))
        if path.is_file()
    }
    ids: dict[str, set[str]] = {}
    references = list(_references(files, origin, ids))
    broken: list[BrokenLink] = []
    external: set[str] = set()
    checked = 0
    for source, url, base in references:
        absolute = urljoin(base, url)
        parts = urlsplit(absolute)
        if parts.scheme in IGNORED_SCHEMES:
            continue
        if source == SITEMAP and not absolute.startswith(origin):
            # Search engines and instant navigation read these; they must name this site.
            broken.append(BrokenLink(source, url, f"not under site_url {origin}"))
            continue
        if not _same_origin(absolute, origin):
            if parts.scheme in ("http", "https"):
                external.add(absolute)
            continue
        checked += 1
        problem = _resolve(parts.path, parts.fragment, urlsplit(origin).path, files, ids)
        if problem:
            broken.append(BrokenLink(source, url, problem))
    read = sum(1 for name in files if name.endswith((".html", ".css")) or name in READ_AS_DATA)
    return LinkReport(read, checked, tuple(sorted(set(broken))), tuple(sorted(external)))


def _origin(site_url: str) -> str:
    """Return the site's public address ending in `/`; a stand-in host when none is set."""
    if not site_url:
        return DEFAULT_ORIGIN
    return site_url if site_url.endswith("/") else f"{site_url}/"


def _references(
    files: dict[str, Path], origin: str, ids: dict[str, set[str]]
) -> Iterator[tuple[str, str, str]]:
    """Yield (file, URL as written, URL it is relative to); fill `ids` with each page's ids."""
    for name, path in files.items():
        base = urljoin(origin, _url_path_of(name))
        if name.endswith(".html"):
            urls, ids[name] = parse_html(path.read_text(encoding="utf-8"))
            yield from ((name, url, base) for url in urls)
        elif name.endswith(".css"):
            css = path.read_text(encoding="utf-8")
            yield from ((name, url, base) for url in CSS_URL.findall(css))
    if SITEMAP in files:
        for loc in ElementTree.parse(files[SITEMAP]).iter(SITEMAP_LOC):
            yield SITEMAP, (loc.text or "").strip(), origin
    if SEARCH_INDEX in files:
        for document in json.loads(files[SEARCH_INDEX].read_text(encoding="utf-8"))["docs"]:
            # Locations are relative to the site root; "" is the home page.
            yield SEARCH_INDEX, document["location"] or "./", origin


def _url_path_of(name: str) -> str:
    """Return the URL a file is served at, relative to the site root (`papers/x/`)."""
    if name == "index.html" or name.endswith("/index.html"):
        return name.removesuffix("index.html")
    return name


def _same_origin(url: str, origin: str) -> bool:
    one, other = urlsplit(url), urlsplit(origin)
    return (one.scheme, one.netloc) == (other.scheme, other.netloc)


def _resolve(
    path: str, fragment: str, base_path: str, files: dict[str, Path], ids: dict[str, set[str]]
) -> str:
    """Return why a same-origin URL is broken, or "" when it resolves."""
    if not f"{path}/".startswith(base_path):
        return f"outside the site's base path {base_path}"
    relative = unquote(path[len(base_path) :])  # "" for both /REPO and /REPO/
    target = _file_for(relative, files)
    if target is None:
        return "no such file"
    anchor = unquote(fragment)
    if anchor and target in ids and anchor not in ids[target]:
        return f"no id {anchor!r} in {target}"
    return ""


def _file_for(relative: str, files: dict[str, Path]) -> str | None:
    """Map a URL path to the file a static server answers with (folders serve index.html)."""
    normalised = str(PurePosixPath("/", relative)).lstrip("/")
    candidates = [f"{normalised}/index.html".lstrip("/")]
    if relative and not relative.endswith("/"):
        candidates.insert(0, normalised)
    return next((candidate for candidate in candidates if candidate in files), None)
