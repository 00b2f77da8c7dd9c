"""Live preview: regenerate pages when a paper file changes; MkDocs serves and reloads.

Invariant: a broken paper file prints its problems and keeps the last good pages on
screen; the preview never stops on a validation error.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import click

from generator.build import Project, generate
from generator.errors import ArchiveError

POLL_SECONDS = 0.3


def serve_forever(project: Project, dev_addr: str) -> None:
    """Generate once, start `mkdocs serve --dirty`, then regenerate on every saved change."""
    _regenerate(project)
    # --livereload is explicit because Click >= 8.3 turns MkDocs 1.6's default off.
    # --dirty rebuilds only changed pages: fine for preview, never for publishing.
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dirty", "--dev-addr", dev_addr],
        cwd=project.root,
    )
    watched = _snapshot(project)
    try:
        while server.poll() is None:
            time.sleep(POLL_SECONDS)
            current = _snapshot(project)
            if current != watched:
                watched = current
                _regenerate(project)
    finally:
        server.terminate()
        server.wait()


def _regenerate(project: Project) -> None:
    try:
        result = generate(project)
    except ArchiveError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        click.echo("Not regenerated: fix the errors above and save again.", err=True)
        return
    for problem in result.warnings:
        click.echo(str(problem), err=True)
    click.echo(f"Regenerated in {result.seconds:.2f} s: {len(result.report.written)} page(s) changed, {len(result.report.deleted)} removed")


def _snapshot(project: Project) -> dict[Path, tuple[float, int]]:
    """Modification time and size of every source file: cheap enough to poll 10,000 files."""
    files = [*project.papers_dir.glob("*.yaml"), *project.pages_dir.rglob("*")]
    return {path: (stat.st_mtime, stat.st_size) for path in files if (stat := path.stat())}
