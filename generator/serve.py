"""Live preview, the engine-neutral half: our generator as an engine's preview runs it on
every saved change (the engine's half serves the pages: `engines/`).

Invariant: a broken paper file reports its problems and returns nothing, so the engine
keeps the last good pages on screen; the preview never stops on a validation error. The
cache stays in memory between runs and is saved once, when the preview stops. An edit
to a paper is shown first on its paper's own page (incremental/first_look.py), with the
related papers and lists as they were; the engine runs again at once
(`Regenerated.first_look`) to bring the rest up to date, and the settled site is a full build's.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

from generator.engines import Regenerated, Report, engine_named
from generator.errors import ArchiveError
from generator.pipeline import CONFIG_FILE, Project, generate, open_cache, save_cache
from generator.progress import Progress


class GeneratorSource:
    """The pipeline as a `PreviewSource`: regenerates `project`'s pages, reporting its
    problems to `report`.

    The archive-wide downloads stay plain in a preview, whatever the settings: every edit
    changes them, and compressing them again would cost seconds a save at 10,000 papers,
    for files a preview's reader never downloads (`build` compresses them).
    """

    def __init__(self, project: Project, report: Report) -> None:
        plain = dataclasses.replace(project.site, compress_downloads=False)
        self.project, self.report = dataclasses.replace(project, site=plain), report
        self.cache = open_cache(project)
        self.catching_up = False
        settings = (project.root / CONFIG_FILE, project.root / "theme_overrides")
        self.watched: tuple[Path, ...] = (project.papers_dir, project.pages_dir, *settings)
        self.settings = SettingsWatch(settings)

    def regenerate(self, first: bool, progress: Progress) -> Regenerated | None:
        """Write the pages again; on errors report them and return None."""
        try:
            result = generate(
                self.project,
                cache=self.cache,
                # Forking is safe only before the server's threads start.
                workers=None if first else 1,
                # Show an edit first; the rest of the site follows in a run of its own.
                first_look=not first and not self.catching_up,
                progress=progress,
            )
        except ArchiveError as error:
            for problem in error.problems:
                self.report(str(problem), True)
            self.report("Not rebuilt: fix the errors above and save again.", True)
            self.catching_up = False
            return None
        for problem in result.warnings:
            self.report(str(problem), True)
        self.catching_up = result.first_look
        written, deleted = result.report.written, result.report.deleted
        return Regenerated(
            written=tuple(written),
            deleted=tuple(deleted),
            summary=(
                f"generate {result.seconds:.2f} s: {len(written)} page(s) changed,"
                f" {len(deleted)} removed"
            ),
            first_look=result.first_look,
            same_settings=self.settings.unchanged(),
        )

    def close(self) -> None:
        """Save the cache, for the next run to start from."""
        save_cache(self.project, self.cache)


class SettingsWatch:
    """Whether the files an engine reads its configuration and theme from (`paths`: files
    and folders) changed since the last look, by size and modification time: while they
    did not, a live preview's engine may keep its model of the site."""

    def __init__(self, paths: Sequence[Path]) -> None:
        self.paths, self._last = paths, [("", 0, 0)]

    def unchanged(self) -> bool:
        """True when every file is as the last call found it (never on the first call)."""
        found = [os.fspath(path) for path in self.paths if path.is_file()]
        found += [f"{at}/{name}" for path in self.paths for at, _, names in os.walk(path)
                  for name in names]  # fmt: skip
        now = [(name, s.st_size, s.st_mtime_ns) for name in sorted(found) for s in [os.stat(name)]]
        same, self._last = now == self._last, now
        return same


def serve_forever(
    project: Project,
    dev_addr: str,
    engine_name: str,
    report: Report,
    poll: bool = False,
    progress: Progress | None = None,
) -> None:
    """Preview `project` live on `dev_addr` with the engine `engine_name` until interrupted."""
    engine = engine_named(engine_name)
    engine.serve(project, dev_addr, GeneratorSource(project, report), report, poll, progress)
