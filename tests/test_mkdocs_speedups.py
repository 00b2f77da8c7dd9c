"""The MkDocs hook that makes builds cheaper (generator/engines/mkdocs_speedups.py):
a feed or export in the site is the file of `docs_dir`, a theme file is a copy, and a
regeneration that changes a file leaves the published site as it was; pages written by
several processes are the pages one writes, and a failure in any fails the build."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import mkdocs.commands.build
import pytest
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from pytest import MonkeyPatch

from generator import parallel
from generator.engines import engine_named
from generator.engines.mkdocs_build import _counted_config
from generator.engines.site import build_site
from generator.pipeline import generate
from generator.settings import Project, load_project
from tests.conftest import VALID_PAPER, copy_project

MKDOCS_BUILD_PAGE = mkdocs.commands.build._build_page

AS_OF = datetime.date(2024, 6, 1)


def test_generated_files_are_linked_and_a_regeneration_leaves_the_site_alone(  # type: ignore[no-untyped-def]
    make_archive,
) -> None:
    project = make_archive({"valid-paper.yaml": VALID_PAPER})
    generate(project, today=AS_OF)
    build_site(project, AS_OF, engine_named("mkdocs"))
    published = project.site_dir / "papers" / "valid-paper.ris"
    source = project.docs_dir / "papers" / "valid-paper.ris"
    assert published.samefile(source)
    theme_files = list((project.site_dir / "assets").rglob("*.js"))
    assert theme_files and all(path.stat().st_nlink == 1 for path in theme_files)

    before = published.read_bytes()
    paper = project.root / "papers" / "valid-paper.yaml"
    paper.write_text(paper.read_text(encoding="utf-8").replace("2024", "2023"), encoding="utf-8")
    generate(project, today=AS_OF)
    assert source.read_bytes() != before, "the regeneration changed the file"
    assert published.read_bytes() == before, "the published site did not change with it"


def built_in_process(project: Project, site: Path, cores: int, monkeypatch: MonkeyPatch) -> None:
    """`mkdocs build --strict` of `project` into `site` in this process, with the hooks
    `paper-archive build` gives it, on a machine of `cores` cores that shares any pages."""
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: set(range(cores)), raising=False)
    counted = project.root / "counted.yml"
    counted.write_text(_counted_config(project), encoding="utf-8")
    config = load_config(config_file=str(counted), site_dir=str(site), strict=True)
    mkdocs_build(config)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_pages_written_by_three_processes_are_the_pages_one_writes(
    tmp_path: Path, monkeypatch: MonkeyPatch
) -> None:
    project = load_project(copy_project(tmp_path / "archive"))
    generate(project)
    built_in_process(project, tmp_path / "one", 1, monkeypatch)
    built_in_process(project, tmp_path / "three", 3, monkeypatch)
    assert mkdocs.commands.build._build_page is MKDOCS_BUILD_PAGE, "MkDocs' own, put back"
    one, three = tree(tmp_path / "one"), tree(tmp_path / "three")
    assert len(one) > 100 and one == three


def test_a_page_that_fails_in_another_process_fails_the_build(
    tmp_path: Path, monkeypatch: MonkeyPatch
) -> None:
    project = load_project(copy_project(tmp_path / "archive"))
    generate(project)

    def failing_second(page: Any, config: Any, doc_files: Any, *more: Any, **named: Any) -> None:
        if page is doc_files[1].page:  # the first page of the second process
            raise RuntimeError(f"cannot render {page.file.src_uri}")
        MKDOCS_BUILD_PAGE(page, config, doc_files, *more, **named)

    monkeypatch.setattr(mkdocs.commands.build, "_build_page", failing_second)
    with pytest.raises(Abort):
        built_in_process(project, tmp_path / "site", 3, monkeypatch)
