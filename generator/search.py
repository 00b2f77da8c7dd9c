"""Search: index the built paper pages with Pagefind, so a reader's browser downloads only
the few index chunks a query needs instead of one index of the whole archive.

Invariant: the built HTML is never modified and only `site_dir/pagefind/` is written. What
Pagefind indexes, shows and filters on is derived in memory from markup the paper template
already writes (title, byline, date, tag chips, abstract, notes); a page whose template
marks itself up for Pagefind (`data-pagefind-body`) is indexed as it is.
"""

from __future__ import annotations

import gzip
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path, PurePath
from threading import Event

from generator.errors import SiteBuildError
from generator.index import venue_series

INDEX_DIR = "pagefind"
"""The search bundle's folder in the site; `theme_overrides/javascripts/search.js` loads it."""
PAPER_PAGES = "papers/*/index.html"
GENERATED_PAPERS = "papers/*.md"
"""The generated Markdown of the paper pages in `docs_dir`, each built to `PAPER_PAGES`."""
SETTINGS_FILE = "search.json"
"""What search.js needs before the first search: how many pages are indexed (`pages`), the
extra indexes it merges in (`shards`, relative to `pagefind/`) and the filter values with
their counts (`filters`), which would otherwise cost every reader all of Pagefind's filter
files (55 KB at 10,000 papers)."""
SHARD_PAGES = 5000
"""Pages per index at most. Pagefind's indexer holds about 150 KB per paper page (1.5 GB
for 10,000 papers in one index); shards keep a build's memory flat as the archive grows,
and Pagefind merges them in the browser (`mergeIndex`) for a few KB more per search."""

MEMORY_FOLDER = Path("/dev/shm")
"""Linux's folder held in memory (tmpfs), where a shard's search views are written for
Pagefind to read once: thousands of small files, each of which costs a journaled create and
delete on disk, and the disk is what the build around the indexing writes to."""
VIEW_ROOM = 16_000
"""Bytes of memory folder to ask per page indexed: a view is a few KB. Where it has less
room (a container's 64 MB), the views go to the system's temporary folder."""

PROSE_ANCHOR = "abstract"
"""Id of an empty heading put before the abstract in the search view: search.js takes a
result's snippet from the words after it, so a title or author match doesn't repeat the byline."""

# What the paper template writes (generator/templates/paper.md.j2), and what it becomes.
_HEADER = '<div class="pa-paper-header">'
_PROSE = ('<div class="pa-abstract">', '<div class="pa-notes">')
_BUTTONS = re.compile(r'<p class="pa-buttons">.*?</p>', re.DOTALL)
_BYLINE = '<p class="pa-byline">'
_BYLINE_INDEXED = '<p class="pa-byline" data-pagefind-meta="authors" data-pagefind-weight="4">'
_DATE = re.compile(r'<time datetime="((\d{4})-\d{2}-\d{2})">')
_DATE_INDEXED = (
    r'<time datetime="\1" data-pagefind-meta="date:\1" data-pagefind-sort="date:\1"'
    r' data-pagefind-filter="year:\2" data-pagefind-ignore>'
)
_VENUE = re.compile(r'<(a|span) class="pa-venue"([^>]*)>([^<]*)</\1>')
_UPVOTES = '<span class="pa-upvotes"'
_SIDE_BY_SIDE = re.compile(r"</(span|time)><span")
_TAGS = '<p class="pa-tags">'
_CHIP = '<a class="pa-chip"'
_CHIP_INDEXED = _CHIP + ' data-pagefind-filter="tag" data-pagefind-weight="2"'
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)
"""Pagefind's ready-made interfaces, written into every index (420 KB each): search.js
is the site's interface and loads only `pagefind.js`, its worker, wasm and index files."""
# Front matter as MkDocs finds it (mkdocs/utils/meta.py).
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_DIV = re.compile(r"<(/?)div\b")
# A filter's value: `name:value` in the attribute, or else the element's text (a tag chip).
_FILTER_VALUE = re.compile(r'data-pagefind-filter="(\w+)(?::([^"]*)"|"[^>]*>([^<]*)<)')


@dataclass(frozen=True)
class SearchReport:
    """What `index_site` indexed, for the build summary and the tests."""

    pages: int
    derived: int
    """Pages whose Pagefind markup was derived here rather than written by the template."""
    shards: int


def index_site(site_dir: Path, shard_pages: int = SHARD_PAGES) -> SearchReport:
    """Write the Pagefind index of the built paper pages in `site_dir` into `site_dir/pagefind/`."""
    pages = {page.relative_to(site_dir): page for page in site_dir.glob(PAPER_PAGES)}
    return _index(pages, _read_html, site_dir / INDEX_DIR, shard_pages)


def index_generated(
    docs_dir: Path, bundle: Path, shard_pages: int = SHARD_PAGES, stop: Event | None = None
) -> SearchReport:
    """Write the Pagefind index of the paper pages into `bundle`, from the generated
    Markdown in `docs_dir` rather than the built site, so that it can run while an engine
    builds the site (on the other core).

    The body of a generated page is the HTML the built page holds: its search view, and so
    the index, is the same as the built pages'. Setting `stop` ends the indexing early
    (SiteBuildError): the build it ran beside failed.
    """
    pages = {
        PurePath(page.parent.name, page.stem, "index.html"): page
        for page in docs_dir.glob(GENERATED_PAPERS)
    }
    return _index(pages, _generated_body, bundle, shard_pages, stop)


def _index(
    pages: dict[PurePath, Path],
    read: Callable[[Path], str],
    bundle: Path,
    shard_pages: int,
    stop: Event | None = None,
) -> SearchReport:
    """Index `pages` (a built page's path in the site: the file `read` gives its HTML) into
    `bundle`.

    Each shard's pages (every n-th page, so shards are alike) go to a scratch folder that
    Pagefind's CLI reads, in memory where there is room (`_scratch_folder`). Its Python
    API is not used: it polls for each answer, 0.1 s a page.
    """
    paths = sorted(pages)
    # Pagefind refuses to write an index of nothing: an archive without papers gets only
    # the settings, whose `pages: 0` tells search.js there is nothing to search yet.
    count = math.ceil(len(paths) / shard_pages)
    derived = 0
    filters: dict[str, Counter[str]] = {}
    for number in range(count):
        shard = paths[number::count]
        with tempfile.TemporaryDirectory(
            prefix="pagefind-", dir=_scratch_folder(len(shard))
        ) as scratch:
            for path in shard:
                if stop is not None and stop.is_set():
                    raise SiteBuildError("search indexing stopped")
                derived += _write_search_view(pages[path], read, Path(scratch) / path, filters)
            _run_pagefind(Path(scratch), bundle / f"shard-{number}" if number else bundle)
    settings = {
        "pages": len(paths),
        "shards": [f"shard-{number}/" for number in range(1, count)],
        "filters": {name: dict(sorted(values.items())) for name, values in filters.items()},
    }
    bundle.mkdir(parents=True, exist_ok=True)
    (bundle / SETTINGS_FILE).write_text(json.dumps(settings, ensure_ascii=False), encoding="utf-8")
    return SearchReport(pages=len(paths), derived=derived, shards=count)


def _scratch_folder(pages: int) -> Path | None:
    """The memory folder when it has room for the views of `pages` pages, twice over;
    else None, the system's temporary folder."""
    try:
        free = shutil.disk_usage(MEMORY_FOLDER).free
    except OSError:
        return None
    usable = os.access(MEMORY_FOLDER, os.W_OK | os.X_OK)
    return MEMORY_FOLDER if usable and free > 2 * pages * VIEW_ROOM else None


def _read_html(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def _generated_body(page: Path) -> str:
    """The body of a generated Markdown page, without its front matter, as MkDocs reads it."""
    source = page.read_text(encoding="utf-8")
    front_matter = _FRONT_MATTER.match(source)
    return source[front_matter.end() :].lstrip("\n") if front_matter else source


def _run_pagefind(source: Path, output: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(source), "--quiet"]
    command += ["--output-path", str(output), "--force-language", "en"]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        output_text = (completed.stderr or completed.stdout).strip()
        raise SiteBuildError(f"pagefind could not index the site:\n{output_text}")
    for name in UNUSED_BUNDLE_FILES:
        (output / name).unlink(missing_ok=True)


def _write_search_view(
    page: Path, read: Callable[[Path], str], target: Path, filters: dict[str, Counter[str]]
) -> int:
    """Write the search view of `page` to `target`, counting its filter values into
    `filters`; return 1 if the view was derived, else 0."""
    html = read(page)
    view = search_view(html)
    if view is not html and _HEADER not in view:
        # The template changed: fail, never publish a blind search.
        raise SiteBuildError(f"{page}: no {_HEADER} to index; update generator/search.py")
    for name, static, text in _FILTER_VALUE.findall(view):
        filters.setdefault(name, Counter())[unescape(static or text).strip()] += 1
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(view, encoding="utf-8")
    return int(view is not html)


def read_index(site_dir: Path) -> list[dict]:
    """Return what the index holds for each page (`url`, `content`, `meta`, `filters`).

    For tests and checks; the format is Pagefind 1.5's (gzip, a `pagefind_dcd` marker, JSON).
    """
    fragments = sorted((site_dir / INDEX_DIR).glob("**/fragment/*.pf_fragment"))
    pages = [
        json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        for path in fragments
    ]
    return sorted(pages, key=lambda page: page["url"])


def search_view(html: str) -> str:
    """Return what Pagefind should read of a built paper page.

    A page already marked up for Pagefind is returned unchanged. Otherwise: the paper's
    header (title, byline as `authors`, venue with its series as the `venue` filter, tag
    chips as `tag` filters; the date as
    `date`, `year` and sort key but not as words), then the abstract and notes. Buttons,
    citation and BibTeX are left out.
    """
    if "data-pagefind-body" in html:
        return html
    header = _BUTTONS.sub("", _element(html, _HEADER))
    header = header.replace(_BYLINE, _BYLINE_INDEXED, 1)
    header = _DATE.sub(_DATE_INDEXED, header, count=1)
    header = _VENUE.sub(_venue_indexed, header, count=1)
    header = header.replace(_UPVOTES, _UPVOTES + " data-pagefind-ignore")
    header = _SIDE_BY_SIDE.sub(r"</\1> <span", header)  # venue, organisation: separate words
    start = header.find(_TAGS)
    if start >= 0:
        end = header.find("</p>", start)
        chips = header[start:end].replace(_CHIP, _CHIP_INDEXED)
        header = header[:start] + chips + header[end:]
    prose = "\n".join(_element(html, opening) for opening in _PROSE)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>'
        f'{header}\n<h2 id="{PROSE_ANCHOR}"></h2>\n{prose}</body></html>'
    )


def _venue_indexed(match: re.Match[str]) -> str:
    """The venue element, filtered by series as the venue pages group it (`ICLR`, not
    `ICLR 2024`: the year is a filter of its own)."""
    name, rest, text = match.groups()
    series = escape(venue_series(unescape(text)))
    return f'<{name} class="pa-venue" data-pagefind-filter="venue:{series}"{rest}>{text}</{name}>'


def _element(html: str, opening: str) -> str:
    """Return the `<div>` that starts with `opening`, nested divs included, or ''."""
    start = html.find(opening)
    if start < 0:
        return ""
    depth = 0
    for match in _DIV.finditer(html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return html[start : html.index(">", match.end()) + 1]
    return ""
