"""A curator's own archive: none, one or a few papers, an inbox that never blocks, and the
archive's own words from its settings. Real strict builds of fixture archives, link-checked."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner, Result
from mkdocs.utils.meta import get_data

from generator.commands import main
from generator.errors import ArchiveError, SettingsError
from generator.index import build_indexes
from generator.links import check_site_links
from generator.model import Archive, Tag
from generator.pipeline import Project, load_archive, load_project
from generator.render import SiteInfo, render_pages
from tests.conftest import VALID_PAPER, run_cli

INBOX_PAPERS = {
    "bare.yaml": "title: Bare\nstatus: inbox\n",
    # An inbox file's errors and warnings are the inbox's business too.
    "broken.yaml": "title: Broken\nstatus: inbox\ndate: soon\ndoi: not-a-doi\nvenu: ICLR\n",
}
TAG = Tag("data-selection", "Data selection", "Choosing which training examples to keep.")


def invoke(project: Project, *arguments: str) -> Result:
    return CliRunner().invoke(main, ["--root", str(project.root), *arguments])


def built_page(project: Project, url: str) -> str:
    return (project.site_dir / url / "index.html").read_text(encoding="utf-8")


def build_strict_and_check_links(project: Project) -> str:
    """Build with the default (strict) command; assert no warning and no broken link.

    `-q` leaves only problems on standard error, so an empty one means no warning."""
    completed = run_cli("-q", "build", root=project.root)
    assert (completed.returncode, completed.stderr) == (0, ""), completed.stderr
    report = check_site_links(project.site_dir, project.site.url)
    assert report.broken == () and report.checked > 100
    links = run_cli("links", root=project.root)
    assert links.returncode == 0, links.stderr
    return completed.stdout


@pytest.mark.slow
def test_an_empty_archive_builds_strict_and_says_how_to_add_the_first_paper(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({})
    summary = build_strict_and_check_links(project)
    assert summary.startswith("Built 0 papers, 2 tag pages,")
    home = built_page(project, "")
    assert re.findall(r"<title>[^<]*</title>", home) == ["<title>Paper Archive</title>"]
    assert "No papers yet" in home and "Recently added" not in home
    for command in ("paper-archive add", "paper-archive new", "paper-archive import bibtex"):
        assert f"<code>{command}" in home
    for url in ("stats", "timeline", "authors", "venues", "tags/data-selection"):
        assert 'class="pa-subtle">No ' in built_page(project, url), url
    feed = ElementTree.parse(project.site_dir / "feed.xml").getroot()
    assert feed.findall("{http://www.w3.org/2005/Atom}entry") == []
    assert json.loads((project.site_dir / "papers.json").read_text())["papers"] == []
    search = json.loads((project.site_dir / "pagefind" / "search.json").read_text())
    assert search == {"pages": 0, "shards": [], "filters": {}}


@pytest.mark.slow
def test_a_one_paper_archive_builds_strict_with_every_page(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({"a-valid-paper.yaml": VALID_PAPER})
    summary = build_strict_and_check_links(project)
    assert summary.startswith("Built 1 papers, 2 tag pages,")
    home = built_page(project, "")
    assert "No papers yet" not in home and "A Valid Paper" in home
    stats = built_page(project, "stats")
    assert "1 month with at least one paper" in stats
    assert "No paper names a venue yet." in stats and "Alan Turing" in stats
    assert "No papers with this tag yet." in built_page(project, "tags/llm-inference")
    assert "A Valid Paper" in built_page(project, "timeline/2024")
    search = json.loads((project.site_dir / "pagefind" / "search.json").read_text())
    assert search["pages"] == 1


def test_every_page_renders_for_no_papers() -> None:
    pages = render_pages(
        build_indexes(Archive(papers=(), tags=(TAG,))), SiteInfo("Reading Club", "Our papers.")
    )
    assert {str(path) for path in pages} >= {
        "index.md",
        "stats.md",
        "timeline/index.md",
        "authors/index.md",
        "venues/index.md",
        "tags/index.md",
        "tags/data-selection.md",
        "feed.xml",
        "feed-data-selection.xml",
        "papers.bib",
        "papers.json",
        "papers.csv",
    }
    home = str(pages[PurePosixPath("index.md")])
    assert "<h1>Reading Club</h1>" in home and "Our papers." in home
    assert "Papers added per month" not in home  # no sparkline of nothing


def test_inbox_papers_never_block_check_or_a_strict_load(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({"good.yaml": VALID_PAPER, **INBOX_PAPERS})
    archive, warnings = load_archive(project, strict=True)
    assert warnings == []
    assert [item.id for item in archive.inbox] == ["bare", "broken"]
    check = invoke(project, "check", "--strict")
    assert check.exit_code == 0, check.output
    assert check.output.startswith("Checked 1 papers and 2 tags (2 in the inbox)")
    inbox = invoke(project, "inbox")
    assert inbox.output.splitlines() == [
        "papers/bare.yaml  Bare",
        "    lacks: authors, date, abstract, tags",
        "papers/broken.yaml  Broken",
        "    lacks: authors, abstract, tags",
        "    papers/broken.yaml:3: 'date' must be a date written YYYY-MM-DD, got 'soon' (text)",
        "    papers/broken.yaml:4: 'doi' 'not-a-doi' is not a DOI like '10.1145/3580305'",
        "    papers/broken.yaml:5: warning: unknown key 'venu' is ignored; did you mean 'venue'?",
        "2 paper(s) in the inbox",
    ]


def test_an_imported_library_leaves_the_strict_check_passing(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({"good.yaml": VALID_PAPER})
    exports = Path(__file__).parent / "fixtures" / "import" / "bibtex" / "exports.bib"
    imported = invoke(project, "import", "bibtex", str(exports))
    assert imported.exit_code == 0, imported.output
    archive, warnings = load_archive(project, strict=True)
    assert warnings == [] and len(archive.papers) == 1 and archive.inbox
    assert invoke(project, "check", "--strict").exit_code == 0


@pytest.mark.slow
def test_real_bibtex_libraries_wait_in_the_inbox_without_blocking_the_build(
    make_archive: Callable[..., Project], shared_dir: Path
) -> None:
    project = make_archive({"good.yaml": VALID_PAPER})
    for library in sorted((shared_dir / "real-world" / "bibtex").glob("*.bib")):
        imported = invoke(project, "import", "bibtex", str(library))
        assert imported.exit_code == 0, imported.output
    build_strict_and_check_links(project)
    archive, _ = load_archive(project, strict=True)
    assert len(archive.papers) == 1 and len(archive.inbox) > 1000
    assert invoke(project, "inbox", "-q").output == f"{len(archive.inbox)} paper(s) in the inbox\n"


@pytest.mark.parametrize(
    ("published", "message"),
    [
        (
            VALID_PAPER.replace("abstract: We select data.\n", ""),
            "papers/paper.yaml:1: warning: no abstract yet; the page will say so",
        ),
        (VALID_PAPER + "venu: ICLR\n", "papers/paper.yaml:9: warning: unknown key 'venu'"),
    ],
)
def test_strict_mode_still_fails_on_a_published_papers_warnings(
    make_archive: Callable[..., Project], published: str, message: str
) -> None:
    project = make_archive({"paper.yaml": published, **INBOX_PAPERS})
    _, warnings = load_archive(project)
    assert [str(warning) for warning in warnings if str(warning).startswith(message)]
    with pytest.raises(ArchiveError):
        load_archive(project, strict=True)
    result = invoke(project, "check", "--strict")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(message) and len(lines) == 2
    assert lines[-1] == "Error: 1 warning(s) in strict mode; nothing was written"


@pytest.mark.slow
def test_what_new_calls_published_builds_strict(make_archive: Callable[..., Project]) -> None:
    project = make_archive({})
    flags = ["--author", "Ada Lovelace", "--date", "2024-05-01", "--tag", "data-selection"]
    no_abstract = invoke(project, "new", "--no-input", "--title", "Untold", *flags)
    assert no_abstract.output == "Created papers/untold.yaml (in the inbox: lacks abstract)\n"
    complete = ["--title", "Told", "--abstract", "We select data.", *flags]
    told = invoke(project, "new", "--no-input", *complete)
    assert told.output == "Created papers/told.yaml (published on the next build)\n"
    summary = build_strict_and_check_links(project)
    assert summary.startswith("Built 1 papers,")
    assert (project.site_dir / "papers" / "told" / "index.html").is_file()
    assert not (project.site_dir / "papers" / "untold").exists()


UPVOTED = VALID_PAPER + "upvotes: 12\n"


@pytest.mark.parametrize(
    ("extra", "badge"),
    [
        ("", None),
        ("extra:\n  upvotes_label: Upvotes on Hugging Face\n", "Upvotes on Hugging Face"),
        ("extra:\n  upvotes_label: Votes in our reading club\n", "Votes in our reading club"),
    ],
)
def test_upvotes_are_shown_only_when_the_settings_say_how(
    make_archive: Callable[..., Project], extra: str, badge: str | None
) -> None:
    project = make_archive({"a-valid-paper.yaml": UPVOTED})
    config = project.root / "mkdocs.yml"
    text = re.sub(r"\nextra:\n(  .*\n)+", "\n", config.read_text(encoding="utf-8"))
    config.write_text(text + extra, encoding="utf-8")
    project = load_project(project.root)
    assert project.site.upvotes_label == badge
    archive, _ = load_archive(project)
    pages = render_pages(build_indexes(archive), project.site)
    page = str(pages[PurePosixPath("papers/a-valid-paper.md")])
    shown = re.findall(r'<span class="pa-upvotes" title="([^"]*)">▲ 12</span>', page)
    assert shown == ([badge] if badge else [])


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            "extra:\n  upvotes_label: [1]\n",
            "mkdocs.yml: 'extra.upvotes_label' must be text (the badge's label), got [1];"
            " remove it to hide upvotes",
        ),
        (
            "extra:\n  compress_downloads: large\n",
            "mkdocs.yml: 'extra.compress_downloads' must be true (gzip papers.bib and the other"
            " archive-wide downloads) or false (keep them plain), got 'large'; remove it to"
            " gzip them past 2,000 papers",
        ),
        ("extra: yes\n", "mkdocs.yml: 'extra' must be a mapping of settings"),
        ("site_name: [unclosed\n", "mkdocs.yml:2: not valid YAML ("),
        ("- a list\n", "mkdocs.yml: must be a mapping of settings such as 'site_name:'"),
    ],
)
def test_settings_of_the_wrong_shape_are_named(tmp_path: Path, settings: str, message: str) -> None:
    (tmp_path / "mkdocs.yml").write_text(settings, encoding="utf-8")
    with pytest.raises(SettingsError) as raised:
        load_project(tmp_path)
    assert str(raised.value).startswith(message)


def test_the_site_name_and_description_come_from_the_settings(
    make_archive: Callable[..., Project],
) -> None:
    project = make_archive({"a-valid-paper.yaml": VALID_PAPER})
    config = project.root / "mkdocs.yml"
    text = re.sub(
        r"site_name: .*\nsite_description: >-\n(  .*\n)+",
        "site_name: Reading Club\nsite_description: What we read on Fridays.\n",
        config.read_text(encoding="utf-8"),
    )
    config.write_text(text, encoding="utf-8")
    project = load_project(project.root)
    archive, _ = load_archive(project)
    home = str(render_pages(build_indexes(archive), project.site)[PurePosixPath("index.md")])
    assert get_data(home)[1]["title"] == "Reading Club"  # as MkDocs reads the front matter
    assert "<h1>Reading Club</h1>" in home
    assert '<p class="pa-lede">What we read on Fridays.</p>' in home


@pytest.mark.slow
def test_the_home_page_title_is_the_site_name_once(built_site: Path) -> None:
    name = load_project(built_site).site.name
    home = (built_site / "site" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<title>[^<]*</title>", home)[0] == f"<title>{name}</title>"
