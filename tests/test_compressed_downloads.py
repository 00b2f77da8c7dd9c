"""The archive-wide downloads of a large archive, gzip-compressed: when, under which names,
with which bytes, and that readers' tools read them as they read the plain files."""

from __future__ import annotations

import csv
import dataclasses
import gzip
import io
import json
import re
import shutil
from pathlib import Path, PurePosixPath

import bibtexparser
import pytest
import rispy
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from generator.index import ArchiveIndex, build_indexes
from generator.links import check_site_links
from generator.pipeline import Project, load_archive, load_project
from generator.render import SiteInfo, render_pages
from tests.conftest import copy_project, run_cli

PLAIN = ("papers.bib", "papers.ris", "papers.csl.json", "papers.json", "papers.csv")
COMPRESSED = tuple(f"{name}.gz" for name in PLAIN)
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00"
"""gzip's magic, deflate, no flags (so no file name), modification time 0."""


def test_downloads_are_compressed_past_2000_papers_unless_the_settings_say() -> None:
    automatic = SiteInfo("Archive", "")
    assert not automatic.downloads_compressed(2000)
    assert automatic.downloads_compressed(2001)
    assert SiteInfo("Archive", "", compress_downloads=True).downloads_compressed(1)
    assert not SiteInfo("Archive", "", compress_downloads=False).downloads_compressed(50_000)


@pytest.mark.parametrize(
    ("extra", "setting"),
    [
        ("", None),
        ("extra:\n  compress_downloads: true\n", True),
        ("extra: {compress_downloads: false}\n", False),
    ],
)
def test_the_setting_is_read_from_mkdocs_yml(
    tmp_path: Path, extra: str, setting: bool | None
) -> None:
    (tmp_path / "mkdocs.yml").write_text(f"site_name: Archive\n{extra}", encoding="utf-8")
    assert load_project(tmp_path).site.compress_downloads is setting


@pytest.fixture(scope="module")
def index(sample_project: Project) -> ArchiveIndex:
    archive, _ = load_archive(sample_project)
    return build_indexes(archive)


def test_only_the_archive_wide_files_are_compressed_to_the_plain_bytes(
    index: ArchiveIndex, sample_project: Project
) -> None:
    site = sample_project.site
    plain = render_pages(index, dataclasses.replace(site, compress_downloads=False))
    pages = render_pages(index, dataclasses.replace(site, compress_downloads=True))
    assert set(plain) - set(pages) == {PurePosixPath(name) for name in PLAIN}
    assert set(pages) - set(plain) == {PurePosixPath(name) for name in COMPRESSED}
    for name in PLAIN:
        data = pages[PurePosixPath(f"{name}.gz")]
        assert isinstance(data, bytes) and data.startswith(GZIP_HEADER), name
        expected = plain[PurePosixPath(name)]
        assert gzip.decompress(data) == (
            expected.encode() if isinstance(expected, str) else expected
        )
    # Made again, the same bytes; every other file (a paper's, a tag's, the feeds) as plain.
    assert render_pages(index, dataclasses.replace(site, compress_downloads=True)) == pages
    others = set(pages) & set(plain) - {PurePosixPath("stats.md")}
    assert {p.parts[0] for p in others if p.suffix in (".bib", ".ris")} == {"tags", "papers"}
    assert all(pages[path] == plain[path] for path in others)


def _downloads_list(stats_page: str) -> list[tuple[str, str]]:
    """(href, text after the link) of each item of the Stats page's downloads."""
    (listing,) = re.findall(r'<ul class="pa-downloads">(.*?)</ul>', stats_page, re.DOTALL)
    return re.findall(r'<li><a href="([^"]+)"[^>]*>[^<]*</a>([^:]*):', listing)


def _build(root: Path, compress: bool) -> None:
    """Build `root` strict, with `extra.compress_downloads` set to `compress`."""
    config = root / "mkdocs.yml"
    text = re.sub(r"\n  compress_downloads: \w+", "", config.read_text(encoding="utf-8"))
    config.write_text(
        text.replace("\nextra:\n", f"\nextra:\n  compress_downloads: {str(compress).lower()}\n"),
        encoding="utf-8",
    )
    completed = run_cli("-q", "build", root=root)
    assert (completed.returncode, completed.stderr) == (0, ""), completed.stderr


@pytest.mark.slow
def test_a_compressed_archive_builds_strict_reads_back_and_switches_cleanly(
    tmp_path: Path,
) -> None:
    root = copy_project(tmp_path / "archive")
    project = load_project(root)
    _build(root, compress=True)
    site, docs = project.site_dir, project.docs_dir
    archive, _ = load_archive(project)
    papers = len(archive.papers)
    for folder in (site, docs):
        assert [name for name in (*PLAIN, *COMPRESSED) if (folder / name).exists()] == list(
            COMPRESSED
        )
    compressed = {name: (site / name).read_bytes() for name in COMPRESSED}
    assert all(data.startswith(GZIP_HEADER) for data in compressed.values())
    unpacked = {name: gzip.decompress(compressed[f"{name}.gz"]) for name in PLAIN}

    # The readers' tools the plain files are tested with read the unpacked ones.
    library = bibtexparser.parse_string(unpacked["papers.bib"].decode())
    assert not library.failed_blocks and len(library.entries) == papers > 1
    assert len(rispy.loads(unpacked["papers.ris"].decode())) == papers
    items = json.loads(unpacked["papers.csl.json"])
    bibliography = CitationStylesBibliography(
        CitationStylesStyle("harvard-cite-them-right", validate=False),
        CiteProcJSON(items),
        formatter.plain,
    )
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    assert len(bibliography.bibliography()) == papers
    assert len(json.loads(unpacked["papers.json"])["papers"]) == papers
    assert len(list(csv.DictReader(io.StringIO(unpacked["papers.csv"].decode())))) == papers

    # The Stats page links the compressed files, says so, and every link resolves.
    stats_page = (site / "stats" / "index.html").read_text(encoding="utf-8")
    listed = _downloads_list(stats_page)
    assert listed[:5] == [(f"../{name}", " (gzip)") for name in COMPRESSED]
    assert listed[5] == ("../feed.xml", "")
    assert "<code>gunzip papers.bib.gz</code>" in stats_page
    report = check_site_links(site, project.site.url)
    assert report.broken == () and report.checked > 100

    # Built again from nothing: the same bytes.
    shutil.rmtree(root / "build")
    _build(root, compress=True)
    assert {name: (site / name).read_bytes() for name in COMPRESSED} == compressed

    # Switched off in the same project: plain files of the same content, and no .gz left.
    _build(root, compress=False)
    for folder in (site, docs):
        assert [name for name in (*PLAIN, *COMPRESSED) if (folder / name).exists()] == list(PLAIN)
        assert not list(folder.glob("**/papers*.gz"))
    assert {name: (site / name).read_bytes() for name in PLAIN} == unpacked
    stats_page = (site / "stats" / "index.html").read_text(encoding="utf-8")
    assert _downloads_list(stats_page)[:5] == [(f"../{name}", "") for name in PLAIN]
    assert "gzip" not in stats_page
