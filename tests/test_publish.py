"""Publishing: the Pages workflow, `make deploy` to a real (bare) remote, and HTTP crawls of
the built site at a sub-path (`/REPO/`, as GitHub serves project sites) and at the root.

The crawls use their own HTML parsing (not generator/links.py), so they check that module's
verdict independently, over HTTP, as a browser would load the pages.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import urldefrag, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
import yaml

from generator.pipeline import load_archive, load_project
from tests.conftest import (
    REPO_ROOT,
    copy_project,
    published_paper_files,
    run_cli,
    serve_directory,
)

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "pages.yml"
SUBPATH_SITE_URL = "https://curator.github.io/REPO/"
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)""")
SITEMAP_LOC = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
# Material's search plugin, or Pagefind (which replaces it when mkdocs.yml has no `search`).
SEARCH_INDEXES = {"search/search_index.json", "pagefind/pagefind-entry.json"}


# --- The GitHub Actions workflow -------------------------------------------------------


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _steps_using(job: dict, action: str) -> list[dict]:
    return [step for step in job["steps"] if step.get("uses", "").startswith(f"{action}@")]


def _supported_pythons() -> list[str]:
    """The Python versions pyproject.toml's classifiers name, oldest first."""
    with (REPO_ROOT / "pyproject.toml").open("rb") as handle:
        classifiers = tomllib.load(handle)["project"]["classifiers"]
    found = [
        match.group(1)
        for classifier in classifiers
        if (match := re.fullmatch(r"Programming Language :: Python :: (3\.\d+)", classifier))
    ]
    return sorted(found, key=lambda version: int(version.split(".")[1]))


def _run_steps(job: dict) -> list[str]:
    return [step["run"].strip() for step in job["steps"] if "run" in step]


def test_workflow_is_valid_github_actions_syntax() -> None:
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(WORKFLOW),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr


def test_workflow_triggers_and_jobs() -> None:
    workflow = _workflow()
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert triggers["push"] == {"branches": ["main"]}
    assert "pull_request" in triggers and "workflow_dispatch" in triggers
    jobs = workflow["jobs"]
    assert list(jobs) == ["test", "build", "deploy"]
    assert jobs["test"]["if"] == "github.event_name == 'pull_request'"
    assert jobs["build"]["if"] == "github.event_name != 'pull_request'"
    assert jobs["deploy"]["needs"] == "build"  # so pull requests never deploy


def test_workflow_grants_pages_write_to_the_deploy_job_only() -> None:
    workflow = _workflow()
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert "permissions" not in jobs["test"]
    assert jobs["deploy"]["concurrency"] == {"group": "pages-deploy", "cancel-in-progress": False}
    assert jobs["deploy"]["environment"]["name"] == "github-pages"


def test_workflow_uses_current_majors_of_githubs_own_actions() -> None:
    uses = {
        step["uses"]
        for job in _workflow()["jobs"].values()
        for step in job["steps"]
        if "uses" in step
    }
    assert uses == {
        "actions/checkout@v7",
        "actions/cache@v6",
        "actions/setup-python@v7",
        "actions/configure-pages@v6",
        "actions/upload-pages-artifact@v5",
        "actions/deploy-pages@v5",
    }


def test_workflow_builds_for_the_pages_address_and_uploads_site() -> None:
    build = _workflow()["jobs"]["build"]
    (python,) = _steps_using(build, "actions/setup-python")
    assert python["with"]["cache"] == "pip"
    # The tool's repository has pyproject.toml; an archive made by `init` has requirements.txt.
    assert python["with"]["cache-dependency-path"].split() == [
        "pyproject.toml",
        "requirements.txt",
        "requirements/*.txt",
    ]
    assert python["with"]["python-version"] == _supported_pythons()[-1]
    (pages,) = _steps_using(build, "actions/configure-pages")
    (make_build,) = [step for step in build["steps"] if step.get("run") == "make build"]
    assert make_build["env"]["SITE_URL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}/"
    (upload,) = _steps_using(build, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "site"
    (deploy,) = _steps_using(_workflow()["jobs"]["deploy"], "actions/deploy-pages")
    assert (
        _workflow()["jobs"]["deploy"]["environment"]["url"]
        == f"${{{{ steps.{deploy['id']}.outputs.page_url }}}}"
    )


def test_workflow_tests_pull_requests_with_debian_chromium() -> None:
    test = _workflow()["jobs"]["test"]
    # Debian, so /usr/bin/chromium is a real binary; on each Python from 3.12 on.
    assert test["container"] == "python:${{ matrix.python }}-bookworm"
    assert test["strategy"]["matrix"]["python"] == [
        version for version in _supported_pythons() if int(version.split(".")[1]) >= 12
    ]
    (cache,) = _steps_using(test, "actions/cache")
    assert "${{ matrix.python }}" in cache["with"]["key"]
    assert (
        "hashFiles('pyproject.toml', 'requirements.txt', 'requirements/*.txt')"
        in cache["with"]["key"]
    )
    runs = _run_steps(test)
    assert any("apt-get install" in run and "chromium" in run for run in runs)
    assert runs.index("make build") < runs.index("make test")
    assert not _steps_using(test, "actions/deploy-pages")


# --- make deploy -----------------------------------------------------------------------


def _make_deploy(
    root: Path, *variables: str, dry_run: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run the repository's `make deploy` in `root` with this interpreter's tools.

    `-o` marks the venv stamp as done, so make never creates or pip-installs a venv here.
    """
    command = ["make", "-f", str(REPO_ROOT / "Makefile"), "-o", ".venv/.installed-run"]
    command += [
        f"BIN={Path(sys.executable).parent}",
        *(["-n"] if dry_run else []),
        "deploy",
        *variables,
    ]
    identity = {"GIT_AUTHOR_NAME": "Curator", "GIT_AUTHOR_EMAIL": "curator@example.org"}
    identity |= {"GIT_COMMITTER_NAME": "Curator", "GIT_COMMITTER_EMAIL": "curator@example.org"}
    return subprocess.run(
        command,
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **identity},
        check=False,
    )


def _git(*arguments: str, cwd: Path) -> str:
    return subprocess.run(
        ["git", *arguments], cwd=cwd, capture_output=True, text=True, check=True
    ).stdout


@pytest.fixture
def clone_with_bare_remote(tmp_path: Path) -> tuple[Path, Path]:
    """A committed copy of the sample archive whose `origin` is a local bare repository."""
    if not (shutil.which("make") and shutil.which("git")):
        pytest.skip("needs make and git")
    remote = tmp_path / "remote.git"
    _git("init", "--quiet", "--bare", str(remote), cwd=tmp_path)
    root = copy_project(tmp_path / "clone")
    _git("init", "--quiet", cwd=root)
    _git("add", ".", cwd=root)
    _git(
        "-c",
        "user.name=Curator",
        "-c",
        "user.email=curator@example.org",
        "commit",
        "-qm",
        "Archive",
        cwd=root,
    )
    _git("remote", "add", "origin", str(remote), cwd=root)
    return root, remote


@pytest.mark.slow
def test_make_deploy_pushes_the_built_site_to_gh_pages(
    clone_with_bare_remote: tuple[Path, Path],
) -> None:
    root, remote = clone_with_bare_remote
    completed = _make_deploy(root, f"SITE_URL={SUBPATH_SITE_URL}")
    assert completed.returncode == 0, completed.stdout + completed.stderr
    files = set(_git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split())
    archive, _ = load_archive(load_project(root))
    paper_pages = {f"papers/{paper.id}/index.html" for paper in archive.papers}
    assert len(paper_pages) == len(published_paper_files(root / "papers"))
    assert paper_pages <= files
    assert {"index.html", ".nojekyll", "404.html", "sitemap.xml"} <= files
    assert files & SEARCH_INDEXES, "no search index on the branch"
    built = {path.relative_to(root / "site").as_posix() for path in (root / "site").rglob("*")}
    assert files == {name for name in built if (root / "site" / name).is_file()} | {".nojekyll"}
    home = _git("show", "gh-pages:index.html", cwd=remote)
    assert f'<link rel="canonical" href="{SUBPATH_SITE_URL}">' in home
    assert _git("log", "--format=%s", "gh-pages", cwd=remote).startswith("Deploy site/ built from ")


def test_make_deploy_refuses_to_run_without_site_url(
    clone_with_bare_remote: tuple[Path, Path],
) -> None:
    root, remote = clone_with_bare_remote
    environment_without = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    completed = subprocess.run(
        ["make", "-f", str(REPO_ROOT / "Makefile"), "-o", ".venv/.installed-run", "deploy"],
        cwd=root,
        capture_output=True,
        text=True,
        env=environment_without,
        check=False,
    )
    assert completed.returncode != 0
    assert "make deploy: set the public address" in completed.stderr
    assert not (root / "site").exists()
    assert _git("branch", "--list", "gh-pages", cwd=remote) == ""


def test_make_deploy_remote_defaults_to_origin_and_is_overridable(
    clone_with_bare_remote: tuple[Path, Path],
) -> None:
    root, _ = clone_with_bare_remote
    default = _make_deploy(root, "SITE_URL=https://x.github.io/r/", dry_run=True).stdout
    assert "--no-jekyll --push --remote origin --branch gh-pages" in default
    chosen = _make_deploy(
        root, "SITE_URL=https://x.github.io/r/", "REMOTE=publish", dry_run=True
    ).stdout
    assert "git fetch --quiet publish gh-pages" in chosen
    assert "--remote publish --branch gh-pages" in chosen


# --- HTTP crawls -----------------------------------------------------------------------


class _Page(HTMLParser):
    """Every URL a browser would request from a page, plus Material's `__config` JSON."""

    ATTRIBUTES: ClassVar[frozenset[str]] = frozenset({"href", "src", "srcset", "poster", "data"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.canonical: str | None = None
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []
        self.config_text = ""
        self.has_search_form = False
        self.alternates: list[str] = []
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and values.get("rel") == "canonical":
            self.canonical = values["href"]
            return  # the public address, on another host: checked, not fetched
        if tag == "link" and values.get("rel") == "alternate":
            self.alternates.append(values["href"])
        if tag == "link" and values.get("rel") == "stylesheet":
            self.stylesheets.append(values["href"])
        if tag == "script" and "src" in values:
            self.scripts.append(values["src"])
        self._in_config = tag == "script" and values.get("id") == "__config"
        self.has_search_form |= tag == "form" and values.get("name") == "search"
        for name in self.ATTRIBUTES & values.keys():
            if name == "srcset":
                self.urls += [item.split()[0] for item in values[name].split(",") if item.strip()]
            else:
                self.urls.append(values[name])

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config_text += data

    def handle_endtag(self, tag: str) -> None:
        self._in_config = False


@dataclass(frozen=True)
class _Response:
    url: str
    """Final URL after redirects (a folder without `/` redirects): links resolve from it."""
    status: int
    content_type: str
    body: bytes


def _fetch(url: str) -> _Response:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return _Response(
                response.geturl(),
                response.status,
                response.headers.get_content_type(),
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return _Response(url, error.code, error.headers.get_content_type(), error.read())


def _parse(response: _Response) -> _Page:
    page = _Page()
    page.feed(response.body.decode("utf-8"))
    return page


@dataclass
class _Crawl:
    """Everything fetched from one served site; `broken` names each failing URL and its referrer."""

    base: str
    site_url: str
    fetched: dict[str, int] = field(default_factory=dict)
    broken: list[str] = field(default_factory=list)

    def run(self) -> _Crawl:
        queue = [(self.base, "(start)")]
        while queue:
            url, referrer = queue.pop()
            url = urldefrag(url).url
            if url in self.fetched or not _same_origin(url, self.base):
                continue
            response = _fetch(url)
            self.fetched[url] = response.status
            if response.status != 200:
                self.broken.append(f"{response.status} {url} (from {referrer})")
                continue
            queue += [(found, url) for found in self._references(response)]
        return self

    def _references(self, response: _Response) -> Iterator[str]:
        url = response.url
        if response.content_type == "text/html":
            page = _parse(response)
            yield from (urljoin(url, found) for found in page.urls)
            yield from _material_config_urls(url, page)
            expected = self.site_url + url.removeprefix(self.base)
            if page.canonical != expected:
                self.broken.append(f"canonical {page.canonical!r} != {expected!r} on {url}")
        elif response.content_type == "text/css":
            yield from (
                urljoin(url, found) for found in CSS_URL.findall(response.body.decode("utf-8"))
            )
        elif url.endswith("/sitemap.xml"):
            for loc in ElementTree.fromstring(response.body).iter(SITEMAP_LOC):
                if not (loc.text or "").startswith(self.site_url):
                    self.broken.append(f"sitemap URL {loc.text!r} is not under {self.site_url}")
                yield self.base + (loc.text or "").removeprefix(self.site_url)
        elif url.endswith("/search/search_index.json"):
            for document in json.loads(response.body)["docs"]:
                yield self.base + document["location"]  # where search results lead


def _material_config_urls(page_url: str, page: _Page) -> Iterator[str]:
    """What Material's JavaScript loads: the sitemap (instant navigation) and, when the page
    has Material's search form, the search worker and index (as its bundle.js decides)."""
    found = _material_config(page_url, page)
    if found is None:
        return
    config, source = found
    base = urljoin(source, config["base"])
    base = base if base.endswith("/") else f"{base}/"
    if "navigation.instant" in config["features"]:
        yield urljoin(base, "sitemap.xml")
    # Material 9 takes every <link rel="alternate"> (feeds too) for another language's copy
    # of the site and fetches "sitemap.xml" beside it, on every page (bundle.js, `ui`).
    for alternate in page.alternates:
        yield urljoin(urljoin(page_url, alternate), "sitemap.xml")
    if page.has_search_form:
        yield urljoin(page_url, config["search"])
        yield urljoin(base, "search/search_index.json")


def _material_config(page_url: str, page: _Page) -> tuple[dict, str] | None:
    """Material's settings as its script finds them, and the URL their `base` is relative
    to: in the page (Zensical), or made by the javascripts/head.js the page loads, whose
    `base` is the site's root, its folder's parent."""
    if page.config_text:
        return json.loads(page.config_text), page_url
    for src in page.scripts:
        if src.endswith("javascripts/head.js"):
            script = urljoin(page_url, src)
            return {**_settings_in_script(script), "base": ".."}, script
    return None


def _settings_in_script(url: str) -> dict:
    text = _fetch(url).body.decode("utf-8")
    found = re.search(r"^    \.\.\.(\{.*\}),$", text, re.MULTILINE)
    assert found is not None, f"no settings in {url}"
    return json.loads(found.group(1))


def _same_origin(url: str, base: str) -> bool:
    return urlsplit(url)[:2] == urlsplit(base)[:2]


@pytest.fixture(scope="module")
def subpath_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample archive built for a project site at `/REPO/`."""
    root = copy_project(tmp_path_factory.mktemp("subpath") / "archive")
    completed = run_cli("build", root=root, env={"SITE_URL": SUBPATH_SITE_URL})
    assert completed.returncode == 0, completed.stderr
    return root


def _crawl_and_report(root: Path, prefix: str, site_url: str) -> _Crawl:
    with serve_directory(root / "site", prefix) as base:
        crawl = _Crawl(base, site_url).run()
    print(f"crawled {len(crawl.fetched)} URLs under {prefix}")  # shown with -s; quoted in reviews
    return crawl


@pytest.mark.slow
def test_site_under_a_sub_path_has_no_broken_urls(subpath_root: Path) -> None:
    crawl = _crawl_and_report(subpath_root, "/REPO/", SUBPATH_SITE_URL)
    assert crawl.broken == []
    pages = sum(1 for _ in (subpath_root / "site").rglob("index.html"))
    assert len(crawl.fetched) > pages > 140  # every page, plus assets, worker, index, sitemap


@pytest.mark.slow
@pytest.mark.bundled
def test_site_at_the_root_has_no_broken_urls(bundled_site: Path) -> None:
    crawl = _crawl_and_report(bundled_site, "/", load_project(bundled_site).site.url)
    assert crawl.broken == []
    pages = sum(1 for _ in (bundled_site / "site").rglob("index.html"))
    assert len(crawl.fetched) > pages  # every page, plus assets, worker, index, sitemap


MISSING_URLS = ["nope", "papers/nope/", "papers/nope/deeper/", "a/b/c/d/e.html"]


def _assert_not_found_page_works(base: str, missing: str) -> None:
    response = _fetch(base + missing)
    assert response.status == 404
    page = _parse(response)
    assert "Paper Archive" in response.body.decode("utf-8")
    assert any("assets/stylesheets/main." in href for href in page.stylesheets)
    assert any("stylesheets/archive.css" in href for href in page.stylesheets)
    assert any("assets/javascripts/bundle." in src for src in page.scripts)
    loaded = [urljoin(response.url, url) for url in page.stylesheets + page.scripts]
    linked = [
        urljoin(response.url, url)
        for url in page.urls
        if _same_origin(urljoin(response.url, url), base)
    ]
    linked += list(_material_config_urls(response.url, page))
    failures = [(url, status) for url in loaded + linked if (status := _fetch(url).status) != 200]
    assert failures == []
    stylesheet = _fetch(urljoin(response.url, page.stylesheets[0]))
    assert stylesheet.content_type == "text/css"


@pytest.mark.slow
@pytest.mark.parametrize("missing", MISSING_URLS)
def test_not_found_page_is_styled_at_any_depth_under_a_sub_path(
    subpath_root: Path, missing: str
) -> None:
    with serve_directory(subpath_root / "site", "/REPO/") as base:
        _assert_not_found_page_works(base, missing)


@pytest.mark.slow
@pytest.mark.parametrize("missing", MISSING_URLS)
def test_not_found_page_is_styled_at_any_depth_at_the_root(built_site: Path, missing: str) -> None:
    with serve_directory(built_site / "site", "/") as base:
        _assert_not_found_page_works(base, missing)


def test_site_url_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "archive")
    monkeypatch.setenv("SITE_URL", "https://curator.github.io/papers")
    assert load_project(root).site.url == "https://curator.github.io/papers/"
    monkeypatch.delenv("SITE_URL")
    assert load_project(root).site.url == "http://127.0.0.1:8000/"


@pytest.mark.slow
@pytest.mark.browser
def test_404_page_and_navigation_work_in_a_browser_under_a_sub_path(
    subpath_root: Path,
    browser,  # type: ignore[no-untyped-def]
) -> None:
    """What only a browser shows: styles applied, and what JavaScript loads (instant
    navigation, search) requested from inside `/REPO/`."""
    page = browser.new_page()
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    # A request the browser itself aborts (leaving a page, or Chromium fetching the favicon
    # again when search.js writes the query into the address) is no broken URL.
    page.on(
        "requestfailed",
        lambda request: (
            None
            if request.failure == "net::ERR_ABORTED"
            else failed.append(f"failed {request.url}")
        ),
    )
    with serve_directory(subpath_root / "site", "/REPO/") as base:
        missing = base + "papers/nope/deeper/"
        page.goto(missing)
        page.wait_for_load_state("networkidle")
        header = page.evaluate("getComputedStyle(document.querySelector('.md-header')).background")
        assert "rgb(64, 81, 181)" in header  # Material's indigo: the stylesheet applied
        page.locator("a.md-tabs__link", has_text="Tags").click()
        page.wait_for_url(base + "tags/")
        page.locator("article a[href]").first.click()
        page.wait_for_load_state("networkidle")
        assert page.url.startswith(base)
        assert "404" not in page.locator("h1").first.inner_text()
        page.keyboard.press("/")  # search loads its index from inside /REPO/ too
        page.keyboard.type("mixture")
        page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
        page.close()  # while the server still answers what the page asked last
    assert failed == [f"404 {missing}"]
