"""The pipeline, in order: load -> validate -> model -> index -> render -> write -> MkDocs.

Invariant: this is the only module that calls the stages in sequence. Everything is
loaded and validated before anything is written, and a failure at any step leaves the
generated pages and the previous `site/` as they were.
"""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml
from yaml_env_tag import construct_env_tag

from generator.errors import ArchiveError, SiteBuildError
from generator.index import build_indexes
from generator.load import load_paper_files, load_vocabulary_file
from generator.model import Archive, InboxItem, Paper, Problem, Severity
from generator.render import SiteInfo, render_pages
from generator.search import index_site
from generator.validate import validate_archive, validate_paper, validate_vocabulary
from generator.write import WriteReport, merge_pages, replace_pages, write_pages

CONFIG_FILE = "mkdocs.yml"


@dataclass(frozen=True)
class Project:
    """Where things live, read from `mkdocs.yml` so the two tools never disagree."""

    root: Path
    papers_dir: Path
    """The curator's YAML files and `_tags.yaml`."""
    pages_dir: Path
    """Hand-written pages (About), copied into the generated tree as they are."""
    docs_dir: Path
    """Generated Markdown: MkDocs' `docs_dir`, git-ignored."""
    site_dir: Path
    site: SiteInfo
    """Name, description and public address (`site_url`, from `SITE_URL` when set): the one
    place feeds, JSON-LD and Open Graph take absolute URLs from, as canonical links and
    the sitemap do."""


@dataclass(frozen=True)
class GenerateResult:
    """What one `generate` run did."""

    archive: Archive
    warnings: list[Problem]
    report: WriteReport
    page_count: int
    seconds: float


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: `!ENV` as MkDocs resolves it, other tags (`!!python/name`) as None."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
# MkDocs' own `!ENV` constructor, so `site_url: !ENV [SITE_URL, ...]` means the same to both tools.
_ConfigLoader.add_constructor("!ENV", construct_env_tag)


def load_project(root: Path) -> Project:
    """Read the paths and the site's name and description from `root/mkdocs.yml`."""
    config = yaml.load((root / CONFIG_FILE).read_text(encoding="utf-8"), Loader=_ConfigLoader) or {}
    return Project(
        root=root,
        papers_dir=root / "papers",
        pages_dir=root / "pages",
        docs_dir=root / config.get("docs_dir", "docs"),
        site_dir=root / config.get("site_dir", "site"),
        site=SiteInfo(
            name=config.get("site_name", "Paper archive"),
            description=config.get("site_description", ""),
            url=_with_trailing_slash(config.get("site_url") or ""),
        ),
    )


def _with_trailing_slash(url: str) -> str:
    """Normalise as MkDocs does, so `SITE_URL=https://user.github.io/repo` is a folder."""
    return url if not url or url.endswith("/") else f"{url}/"


def load_archive(
    project: Project, today: datetime.date | None = None, strict: bool = False
) -> tuple[Archive, list[Problem]]:
    """Load and validate every file; return the archive and its warnings.

    Raises `ArchiveError` with every error (and warning) of every file when any error
    exists, or when any warning does and `strict` is set.
    """
    today = today or datetime.date.today()
    problems: list[Problem] = []
    vocabulary_document = load_vocabulary_file(project.papers_dir, project.root)
    tags: tuple = ()
    if isinstance(vocabulary_document, Problem):
        problems.append(vocabulary_document)
    else:
        tags, vocabulary_problems = validate_vocabulary(vocabulary_document)
        problems += vocabulary_problems
    documents, load_problems = load_paper_files(project.papers_dir, project.root)
    problems += load_problems
    vocabulary = {tag.slug: tag for tag in tags}
    papers: list[Paper | InboxItem] = []
    for document in documents:
        paper, paper_problems = validate_paper(document, vocabulary, today)
        problems += paper_problems
        if paper is not None:
            papers.append(paper)
    problems += validate_archive(p for p in papers if isinstance(p, Paper))
    problems.sort()
    if any(problem.severity is Severity.ERROR for problem in problems) or (strict and problems):
        raise ArchiveError(problems, strict=strict)
    published = tuple(p for p in papers if isinstance(p, Paper))
    inbox = tuple(p for p in papers if isinstance(p, InboxItem))
    return Archive(papers=published, tags=tags, inbox=inbox), problems


def load_hand_written_pages(pages_dir: Path) -> dict[PurePosixPath, bytes]:
    """Read the tracked hand-written pages (and their images) to copy into the site."""
    if not pages_dir.is_dir():
        return {}
    return {
        PurePosixPath(path.relative_to(pages_dir).as_posix()): path.read_bytes()
        for path in sorted(pages_dir.rglob("*"))
        if path.is_file()
    }


def generate(
    project: Project,
    today: datetime.date | None = None,
    in_place: bool = False,
    strict: bool = False,
) -> GenerateResult:
    """Validate the archive and write its Markdown pages into `docs_dir`.

    By default the new pages are prepared beside the old ones and swapped in whole, so a
    failed or killed run leaves the previous pages; the live preview writes `in_place`,
    because MkDocs' file watcher follows the folder it started with.
    """
    started = time.perf_counter()
    archive, warnings = load_archive(project, today, strict)
    pages = render_pages(build_indexes(archive), project.site)
    write = write_pages if in_place else replace_pages
    report = write(merge_pages(pages, load_hand_written_pages(project.pages_dir)), project.docs_dir)
    return GenerateResult(archive, warnings, report, len(pages), time.perf_counter() - started)


def build_date(archive: Archive) -> datetime.date:
    """Date the site is "as of": the latest addition or publication in the archive.

    Derived from the input (not the clock), so two builds of one archive are identical.
    """
    dates = [paper.added or paper.date for paper in archive.papers]
    return max(dates, default=datetime.date(2000, 1, 1))


def build_site(project: Project, as_of: datetime.date, strict: bool = True) -> float:
    """Run `mkdocs build` into a fresh folder and swap it in only when it succeeds."""
    started = time.perf_counter()
    staging = project.root / "build" / "site.new"
    shutil.rmtree(staging, ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--site-dir", str(staging)]
    if strict:
        command.append("--strict")
    completed = subprocess.run(
        command, cwd=project.root, capture_output=True, text=True, env=_build_environment(as_of)
    )
    if completed.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteBuildError(
            f"mkdocs build failed; the previous site is untouched.\n{completed.stderr.strip()}"
        )
    try:
        index_site(staging)  # Pagefind, before the swap: a published site always has its search
    except SiteBuildError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, project.site_dir)
    return time.perf_counter() - started


def _build_environment(as_of: datetime.date) -> dict[str, str]:
    """Pin what makes output vary between machines: the locale and the build date.

    A `SOURCE_DATE_EPOCH` already set (reproducible-builds convention) wins.
    """
    environment = dict(os.environ)
    midnight = datetime.datetime.combine(as_of, datetime.time(), tzinfo=datetime.UTC)
    environment.setdefault("SOURCE_DATE_EPOCH", str(int(midnight.timestamp())))
    environment["LC_ALL"] = "C.UTF-8"
    return environment


def _swap_in(staging: Path, site_dir: Path) -> None:
    """Replace `site_dir` by `staging` with two renames, so readers never see half a site."""
    previous = staging.with_name("site.old")
    shutil.rmtree(previous, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(previous)
    staging.rename(site_dir)
    shutil.rmtree(previous, ignore_errors=True)
