"""Render the fixture archive (tests/fixtures/archive/) and, run as a module, store it as
the golden tree in tests/golden/. `make golden` runs this; review the diff before committing."""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path, PurePosixPath

from generator.index import build_indexes
from generator.pipeline import Project, load_archive
from generator.render import SiteInfo, render_pages

TESTS_DIR = Path(__file__).resolve().parent
FIXTURE_ROOT = TESTS_DIR / "fixtures" / "archive"
GOLDEN_DIR = TESTS_DIR / "golden"
FIXTURE_TODAY = datetime.date(2026, 1, 1)
FIXTURE_SITE = SiteInfo(
    name="Fixture Archive",
    description="Four papers for golden tests.",
    upvotes_label="Upvotes on Hugging Face",
)


def render_fixture_archive() -> dict[PurePosixPath, bytes]:
    """Render the generated pages of the fixture archive (no hand-written pages)."""
    project = Project(
        root=FIXTURE_ROOT,
        papers_dir=FIXTURE_ROOT / "papers",
        pages_dir=FIXTURE_ROOT / "pages",
        docs_dir=FIXTURE_ROOT / "unused",
        site_dir=FIXTURE_ROOT / "unused-site",
        site=FIXTURE_SITE,
    )
    archive, _ = load_archive(project, today=FIXTURE_TODAY)
    pages = render_pages(build_indexes(archive), FIXTURE_SITE)
    return {path: c.encode() if isinstance(c, str) else c for path, c in pages.items()}


def main() -> None:
    shutil.rmtree(GOLDEN_DIR, ignore_errors=True)
    pages = render_fixture_archive()
    for path, content in pages.items():
        target = GOLDEN_DIR / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    print(f"Wrote {len(pages)} golden pages to {GOLDEN_DIR.relative_to(TESTS_DIR.parent)}/")


if __name__ == "__main__":
    main()
