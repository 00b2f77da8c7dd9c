"""Engines: each installed engine builds the sample archive through `paper-archive build
--engine NAME` into a site whose internal links all resolve, with its search; ProperDocs
builds byte for byte what MkDocs builds; the README's engines table says what these tests
find; nothing outside `generator/engines/` imports an engine; a missing engine says how to
install it; and a reader can search the site Zensical builds, whose search box and
results look as Material's (headless Chromium).
"""

from __future__ import annotations

import ast
import importlib.metadata
import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.commands import main
from generator.engines import ENGINES, SETTING, configured_engine_name
from generator.errors import SettingsError
from generator.links import check_site_links
from generator.settings import CONFIG_FILE, Project, load_project
from tests.conftest import (
    REPO_ROOT,
    VALID_PAPER,
    copy_project,
    published_paper_files,
    run_cli,
    serve_directory,
)

pytestmark = pytest.mark.slow
GENERATOR_TAG = re.compile(rb'<meta name="generator" content="([^"]*)">')
ENGINE_PACKAGES = {"mkdocs", "material", "properdocs", "zensical"}
"""Top-level packages only `generator/engines/` may import."""
PAPER = "svd-free-low-rank-adaptive-gradient-optimization-for-large"


def _imported_packages(path: Path) -> set[str]:
    """Top-level names of every module `path` imports (`import x.y`, `from x import y`)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_outside_the_engines_imports_an_engine() -> None:
    engines_dir = REPO_ROOT / "generator" / "engines"
    outside = [
        path
        for path in sorted((REPO_ROOT / "generator").rglob("*.py"))
        if engines_dir not in path.parents
    ]
    assert len(outside) > 20  # the scan sees the package
    importing = {
        path.relative_to(REPO_ROOT).as_posix(): sorted(_imported_packages(path) & ENGINE_PACKAGES)
        for path in outside
        if _imported_packages(path) & ENGINE_PACKAGES
    }
    assert importing == {}
    # The scan does find engine imports where they belong.
    assert "mkdocs" in _imported_packages(engines_dir / "mkdocs_preview.py")


def _mkdocs_command_build(module: str, root: Path, site_dir: Path) -> None:
    """Build `root`'s generated pages with `python -m module build` (mkdocs, properdocs)."""
    command = [sys.executable, "-m", module, "build", "--strict", "-f", CONFIG_FILE]
    command += ["--site-dir", str(site_dir)]
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    completed = subprocess.run(
        command, cwd=root, capture_output=True, text=True, env=environment, check=False
    )
    assert completed.returncode == 0, f"{module} build failed:\n{completed.stderr}"


def _files(site_dir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(site_dir).as_posix(): path.read_bytes()
        for path in site_dir.rglob("*")
        if path.is_file()
    }


def _installed(engine: str) -> None:
    if importlib.util.find_spec(engine) is None:
        pytest.skip(f"the {engine} engine is not installed (pip install 'paper-archive[{engine}]')")


def test_properdocs_builds_the_same_site_as_mkdocs(built_site: Path, tmp_path: Path) -> None:
    _installed("properdocs")
    assert (built_site / "build" / "docs" / "index.md").is_file()  # by `paper-archive build`
    _mkdocs_command_build("mkdocs", built_site, tmp_path / "mkdocs")
    _mkdocs_command_build("properdocs", built_site, tmp_path / "properdocs")
    made_by_mkdocs, made_by_properdocs = (
        _files(tmp_path / "mkdocs"),
        _files(tmp_path / "properdocs"),
    )
    assert sorted(made_by_properdocs) == sorted(made_by_mkdocs)
    different = [
        name
        for name, content in made_by_mkdocs.items()
        if GENERATOR_TAG.sub(b"", content) != GENERATOR_TAG.sub(b"", made_by_properdocs[name])
    ]
    assert different == []
    engines = GENERATOR_TAG.search(made_by_properdocs["index.html"])
    assert (
        engines
        and b"ProperDocs 1.6.7" in engines.group(1)
        and b"mkdocs-material-9.8.1" in engines.group(1)
    )


@pytest.fixture(scope="module", params=list(ENGINES))
def engine_site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    """The sample archive built by `paper-archive build --engine NAME`: NAME, its root."""
    _installed(request.param)
    root = copy_project(tmp_path_factory.mktemp(request.param) / "archive")
    completed = run_cli("build", "--engine", request.param, root=root)
    assert completed.returncode == 0, completed.stderr
    assert f", {request.param} " in completed.stdout  # the final line times the engine
    return request.param, root


def _readme_engines() -> dict[str, tuple[str, str]]:
    """The README's engines table: `--engine` name -> (engine cell, status cell)."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Engines\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 4 and re.fullmatch(r"`[a-z]+`", cells[1]):
            rows[cells[1].strip("`")] = (cells[0], cells[2])
    return rows


def test_each_installed_engine_builds_the_sample_archive(engine_site: tuple[str, Path]) -> None:
    engine, root = engine_site
    site = root / "site"
    report = check_site_links(site, load_project(root).site.url)
    assert report.broken == (), report.broken
    assert report.checked > 1000
    papers = published_paper_files(root / "papers")
    assert len(list(site.glob("papers/*/index.html"))) == len(papers)
    for page in ("index.html", "tags/index.html", "about/index.html", "404.html"):
        assert (site / page).is_file(), page
    # A paper page lists its sections in the table of contents, with or without our hooks.
    paper_page = next(site.glob("papers/*/index.html")).read_text(encoding="utf-8")
    contents = paper_page[paper_page.index('data-md-component="toc"') :]
    for section in ("#abstract", "#cite"):
        assert re.search(
            rf'href="{section}"[^>]*class="md-nav__link"|class="md-nav__link"[^>]*href="{section}"',
            contents,
        ), section
    assert (site / "pagefind" / "pagefind.js").is_file()
    # No engine's own search index: the site searches with Pagefind.
    for unused in (*ENGINES[engine].unpublished, "search.json", "search/search_index.json"):
        assert not (site / unused).exists(), unused
    # Nothing left in the archive's folder (an engine's configuration, a cache).
    assert sorted(path.name for path in root.iterdir()) == [
        "build",
        "mkdocs.yml",
        "pages",
        "papers",
        "site",
        "theme_overrides",
    ]

    made_by = GENERATOR_TAG.search((site / "index.html").read_bytes())
    assert made_by and engine.encode() in made_by.group(1).lower()
    # The README says so, with the version that built it.
    name, status = _readme_engines()[engine]
    assert status.startswith(("**default**", "**supported**")), status
    version = importlib.metadata.version("mkdocs" if engine == "mkdocs" else engine)
    assert version in name


@pytest.mark.browser
def test_the_icons_the_theme_s_scripts_make_show_under_each_engine(
    engine_site: tuple[str, Path], new_context
) -> None:  # type: ignore[no-untyped-def]
    """javascripts/palette.js and search.js put icons in the header: from the sprite, or, where
    the header's icons are inline (Zensical), from the copies the page holds in a template."""
    engine, root = engine_site
    page = new_context(viewport={"width": 1280, "height": 800}).new_page()
    with serve_directory(root / "site") as base:
        page.goto(f"{base}papers/{PAPER}/")
        page.wait_for_load_state("networkidle")
        widths = page.evaluate(
            """() => [...document.querySelectorAll(
              "form[data-md-component=palette] label svg, .md-search__icon svg")]
              .filter((svg) => svg.checkVisibility()).map((svg) => svg.getBBox().width)"""
        )
    assert len(widths) >= 2 and all(width > 0 for width in widths), (engine, widths)


def test_the_readme_lists_every_engine_and_no_other() -> None:
    assert sorted(_readme_engines()) == sorted(ENGINES)
    assert _readme_engines()["mkdocs"][1].startswith("**default**")


def test_a_missing_engine_says_how_to_install_it(
    make_archive: Callable[..., Project], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_archive({"a-valid-paper.yaml": VALID_PAPER})
    config = project.root / CONFIG_FILE
    config.write_text(
        config.read_text(encoding="utf-8").replace("extra:\n", f"extra:\n  {SETTING}: zensical\n"),
        encoding="utf-8",
    )
    monkeypatch.setitem(sys.modules, "zensical", None)  # as if not installed
    result = CliRunner().invoke(main, ["--root", str(project.root), "build"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: the zensical engine is not installed; install it with"
        " `pip install 'paper-archive[zensical]'` (or leave out `--engine zensical`"
        " and `extra.engine: zensical` to build with MkDocs)\n"
    )
    assert not project.docs_dir.exists()  # refused before anything was written


def test_the_engine_setting_is_read_from_extra(make_archive: Callable[..., Project]) -> None:
    config = make_archive({}).root / CONFIG_FILE
    assert configured_engine_name(config) == "mkdocs"
    original = config.read_text(encoding="utf-8")
    config.write_text(original.replace("extra:\n", "extra:\n  engine: zensical\n"))
    assert configured_engine_name(config) == "zensical"
    config.write_text(original.replace("extra:\n", "extra:\n  engine: hugo\n"))
    with pytest.raises(SettingsError) as raised:
        configured_engine_name(config)
    assert str(raised.value) == (
        "mkdocs.yml: 'extra.engine' must be one of mkdocs, properdocs, zensical, got 'hugo'"
    )


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample archive built with Zensical, served on 127.0.0.1; its address."""
    _installed("zensical")
    root = copy_project(tmp_path_factory.mktemp("zensical-browser") / "archive")
    # A cache folder the archive had before (Material's plugins keep theirs there) stays.
    (root / ".cache").mkdir()
    (root / ".cache" / "kept").write_text("a plugin's", encoding="utf-8")
    completed = run_cli("build", "--engine", "zensical", root=root)
    assert completed.returncode == 0, completed.stderr
    assert (root / ".cache" / "kept").read_text(encoding="utf-8") == "a plugin's"
    with serve_directory(root / "site") as url:
        yield url


@pytest.mark.browser
def test_a_reader_searches_the_zensical_site(browser, zensical_site: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("response", lambda answer: answer.status >= 400 and errors.append(answer.url))
    page.goto(zensical_site)
    assert page.locator("h1").first.inner_text()
    page.goto(f"{zensical_site}papers/{PAPER}/")
    assert "Dan Alistarh" in page.locator(".pa-byline").inner_text()
    page.goto(zensical_site)
    page.keyboard.press("/")
    page.locator(".md-search__input").fill("Alistarh")
    result = page.locator(f'.md-search-result__link[href*="papers/{PAPER}"]')
    result.first.wait_for(timeout=10_000)
    assert "SVD-Free Low-Rank Adaptive Gradient Optimization" in result.first.inner_text()
    result.first.click()
    page.wait_for_url(f"**/papers/{PAPER}/**")
    assert errors == []
    context.close()


SEARCH_PARTS = (
    ".md-header",
    ".md-search",
    ".md-search__inner",
    ".md-search__form",
    ".md-search__input",
    ".md-search__icon[for=__search]",
    ".md-search__options",
    ".md-search__output",
    ".md-search__scrollwrap",
    ".md-search-result__meta",
    ".pa-search-filters select",
    ".md-search-result__list",
    ".md-search-result__link",
    ".md-search-result__article",
    ".md-search-result__article h1",
    ".md-search-result mark",
)
"""The header, the search box and the first result, as partials/header.html and
javascripts/search.js make them."""
SEARCH_STYLES = (
    *("display", "position", "top", "float", "z-index", "opacity", "visibility"),
    *("font-size", "line-height", "font-weight", "color", "background-color"),
    *("padding-top", "padding-right", "padding-bottom", "padding-left"),
    *("margin-top", "margin-bottom", "border-radius", "box-shadow"),
    *("overflow-y", "max-height", "list-style-type"),
)
"""Computed styles to compare: not the widths, which Zensical's `scrollbar-gutter:
stable` (its whole page, not the search) narrows by a scroll bar's width."""
MEASURE = """([parts, styles]) => Object.fromEntries(parts.map((part) => {
  const element = document.querySelector(part);
  if (!element) return [part, null];
  const computed = getComputedStyle(element);
  return [part, Object.fromEntries(styles.map((name) => [name, computed.getPropertyValue(name)]))];
}))"""


def _search_box(browser, url: str, phone: bool, scheme: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The header's height and the search parts' computed styles, closed and then open
    with the results for "data selection" (motion reduced: no style mid-transition)."""
    viewport = {"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
    context = browser.new_context(viewport=viewport, color_scheme=scheme, reduced_motion="reduce")
    page = context.new_page()
    page.goto(url)
    header = page.locator(".md-header").bounding_box()
    closed = page.evaluate(MEASURE, [SEARCH_PARTS, SEARCH_STYLES])
    if phone:
        page.locator(".md-header__button[for=__search]").click()
    else:
        page.keyboard.press("/")
    page.locator(".md-search__input").fill("data selection")
    page.locator(".md-search-result__link").first.wait_for(timeout=10_000)
    form = page.locator(".md-search__form").bounding_box()
    opened = page.evaluate(MEASURE, [SEARCH_PARTS, SEARCH_STYLES])
    context.close()
    assert header is not None and form is not None
    return {
        "header height": header["height"],
        "form height": form["height"],
        "closed": closed,
        "open": opened,
    }


@pytest.mark.browser
@pytest.mark.parametrize(("phone", "scheme"), [(False, "light"), (True, "dark")])
def test_the_zensical_search_box_looks_as_in_material(  # type: ignore[no-untyped-def]
    browser, site_url: str, zensical_site: str, phone: bool, scheme: str
) -> None:
    material = _search_box(browser, site_url, phone, scheme)
    zensical = _search_box(browser, zensical_site, phone, scheme)
    assert material["header height"] == 48  # one bar (on a desktop, the tabs are below it)
    assert all(material["open"].values())  # every part is there to compare
    assert zensical == material
