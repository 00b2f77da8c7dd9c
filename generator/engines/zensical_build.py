"""Zensical (the successor of Material for MkDocs, by its team) as an engine: it reads
`mkdocs.yml` and Material's `custom_dir` overrides and builds the same pages.

Invariant: the curator's `mkdocs.yml` is never written, and a build leaves nothing new in
the archive's folder. Zensical reads a configuration of its own that inherits `mkdocs.yml`
and sets the output folder, the classic look (`theme.variant: classic`, Material's;
Zensical's default is its "modern" one), its own search off, and one more stylesheet:
Material's rules for the header's search box (`material_search.css`, which Zensical's
classic stylesheet lacks), copied into the site after the build so that neither the
archive's folder nor an MkDocs build gains a file. It resolves paths from that
file's folder, and a `custom_dir` outside it makes it panic, so the file sits beside
`mkdocs.yml` for the length of the build. Zensical also keeps its cache (`.cache/`, rendered
Markdown by content digest) there: unless the folder held one before (Material's own plugins
keep theirs in `.cache/` too), it is moved to `build/zensical-cache/` after the build and
back before the next: two renames keep the archive's folder clean without deleting thousands
of files.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from generator.engines.mkdocs_build import MkDocsEngine
from generator.errors import SiteBuildError
from generator.progress import Progress
from generator.settings import CONFIG_FILE

if TYPE_CHECKING:
    from generator.engines import PreviewSource, Report
    from generator.settings import Project

BUILD_CONFIG = ".paper-archive-zensical.yml"
"""The configuration Zensical reads, in the archive's folder while it builds."""
CACHE_FOLDER = ".cache"
"""Where Zensical keeps its cache, beside its configuration."""
KEPT_CACHE = Path("build") / "zensical-cache"
"""Where its cache waits between builds, relative to the archive."""
SEARCH_STYLESHEET = Path(__file__).with_name("material_search.css")
"""Material's rules for the search box our `partials/search.html` shares with it."""
SEARCH_STYLESHEET_URL = "assets/stylesheets/classic/material-search.css"
"""Where the site has it, beside Zensical's classic stylesheets."""


class ZensicalEngine:
    """`zensical build` into a given folder, in Material's classic look."""

    name, label = "zensical", "Zensical"
    live_preview = False
    unpublished = (
        "search.json",  # its search's settings, for an index it was told not to make
        "assets/stylesheets/modern",  # the look not chosen
    )

    def build(
        self,
        project: Project,
        site_dir: Path,
        environment: Mapping[str, str],
        strict: bool,
        progress: Progress,
    ) -> None:
        """Run `python -m zensical build` into `site_dir` (its one step has no count:
        Zensical runs no MkDocs hooks to report pages by)."""
        config_file = project.root / BUILD_CONFIG
        cache, kept = project.root / CACHE_FOLDER, project.root / KEPT_CACHE
        ours = not cache.exists()  # else the folder's own, which Zensical adds to
        if ours and kept.is_dir():
            kept.rename(cache)
        config_file.write_text(_build_config(site_dir), encoding="utf-8")
        # Not `--clean`: it empties `.cache/`, which may be another tool's.
        command = [sys.executable, "-m", "zensical", "build"]
        command += ["--config-file", str(config_file)]
        if strict:
            command.append("--strict")
        try:
            with progress.step("Zensical building the site", "Zensical"):
                completed = subprocess.run(
                    command,
                    cwd=project.root,
                    env=dict(environment),
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if completed.returncode != 0 or not (site_dir / "index.html").is_file():
                    raise SiteBuildError(
                        "zensical build failed; the previous site is untouched.\n"
                        + (completed.stderr + completed.stdout).strip()
                    )
                stylesheet = site_dir / SEARCH_STYLESHEET_URL
                stylesheet.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(SEARCH_STYLESHEET, stylesheet)
        finally:
            config_file.unlink(missing_ok=True)
            if ours and cache.is_dir():
                shutil.rmtree(kept, ignore_errors=True)
                cache.rename(kept)

    def serve(
        self,
        project: Project,
        dev_addr: str,
        source: PreviewSource,
        report: Report,
        poll: bool = False,
        progress: Progress | None = None,
    ) -> None:
        """Preview with MkDocs: Zensical's own server rebuilds from `docs_dir` and
        cannot run our generator when a paper file is saved."""
        report(
            "Zensical has no live preview that regenerates the pages:"
            " previewing with MkDocs (the same pages, in Material's look).",
            False,
        )
        MkDocsEngine("mkdocs", "MkDocs").serve(project, dev_addr, source, report, poll, progress)


def _build_config(site_dir: Path) -> str:
    """The configuration Zensical reads: the curator's, plus the output folder, the
    classic look, its own search off (the site searches with Pagefind) and Material's
    search box rules. Zensical merges mappings from `INHERIT` key by key and appends
    lists. JSON is YAML."""
    return json.dumps(
        {
            "INHERIT": CONFIG_FILE,
            "site_dir": str(site_dir),
            "theme": {"variant": "classic"},
            # Added to the curator's plugins: Zensical indexes every page for its own
            # search unless told not to, and refuses a page with more than 16,384 words
            # in one field (an author of hundreds of papers, at 10,000 papers).
            "plugins": [{"search": {"enabled": False}}],
            # Zensical appends it to the curator's `extra_css`: there is no place between
            # its stylesheet and theirs, so a curator's search box rule of equal weight
            # loses here where it wins under MkDocs.
            "extra_css": [SEARCH_STYLESHEET_URL],
        }
    )
