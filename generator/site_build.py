"""Build the site from the generated pages: MkDocs, then Pagefind, then swap it in.

Invariant: the previous `site/` stays until a new one is complete and indexed.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sys
import time
from pathlib import Path

import yaml

from generator.errors import SiteBuildError
from generator.progress import Progress, mkdocs_progress_hook, run_mkdocs
from generator.search import index_site
from generator.settings import CONFIG_FILE, ConfigLoader, Project


def build_site(
    project: Project, as_of: datetime.date, strict: bool = True, progress: Progress | None = None
) -> float:
    """Run `mkdocs build` into a fresh folder and swap it in only when it succeeds.

    MkDocs reads `mkdocs.yml` through `_counted_config`, which reports its pages to
    `progress` as it builds them.
    """
    started = time.perf_counter()
    progress = progress or Progress()
    staging = project.root / "build" / "site.new"
    shutil.rmtree(staging, ignore_errors=True)
    command = [sys.executable, "-m", "mkdocs", "build", "--clean", "--config-file", "-"]
    command += ["--site-dir", str(staging)]
    if strict:
        command.append("--strict")
    completed = run_mkdocs(
        command, project.root, _build_environment(as_of), _counted_config(project), progress
    )
    if completed.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteBuildError(
            f"mkdocs build failed; the previous site is untouched.\n{completed.stderr.strip()}"
        )
    try:
        # Pagefind, before the swap: a published site always has its search.
        with progress.step("Pagefind indexing paper pages", "Pagefind") as indexing:
            searched = index_site(staging)
            indexing.detail = f"{searched.pages} pages in {searched.shards} index(es)"
    except SiteBuildError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, project.site_dir)
    return time.perf_counter() - started


def _counted_config(project: Project) -> str:
    """The configuration MkDocs reads on its standard input: `mkdocs.yml` (`INHERIT`), plus
    the hook that counts its pages (`mkdocs_progress.py`). The curator's file is left as
    every MkDocs or ProperDocs reads it. MkDocs replaces an inherited list, so the
    curator's own hooks are listed again, first; relative paths still resolve from the
    archive's folder, where MkDocs runs. JSON is YAML."""
    config_file = project.root / CONFIG_FILE
    hooks = [*_configured_hooks(config_file), mkdocs_progress_hook()]
    return json.dumps({"INHERIT": str(config_file), "hooks": hooks})


def _configured_hooks(config_file: Path) -> list[str]:
    """The hooks MkDocs would run: the nearest `hooks:` along the `INHERIT` chain."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=ConfigLoader) or {}
    if "hooks" in config or not config.get("INHERIT"):
        return list(config.get("hooks") or [])
    return _configured_hooks(config_file.parent / config["INHERIT"])


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
