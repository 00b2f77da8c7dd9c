"""The MkDocs hook that makes builds cheaper (generator/engines/mkdocs_speedups.py):
a feed or export in the site is the file of `docs_dir`, a theme file is a copy, and a
regeneration that changes a file leaves the published site as it was."""

from __future__ import annotations

import datetime

from generator.engines import engine_named
from generator.engines.site import build_site
from generator.pipeline import generate
from tests.conftest import VALID_PAPER

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
