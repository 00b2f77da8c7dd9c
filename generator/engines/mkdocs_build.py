"""MkDocs, and ProperDocs (its maintained fork, same command line and hooks), as engines:
`mkdocs build` in a process of its own, reporting its pages over a pipe as it goes.

Invariant: the curator's `mkdocs.yml` is read as every MkDocs reads it. The build is
given a configuration on its standard input that inherits it (`INHERIT`) and adds only the
hook that counts pages (`mkdocs_progress.py`). Nothing here imports MkDocs: the build runs
it, and the live preview (`mkdocs_preview.py`) is imported only when one starts.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from generator.engines import mkdocs_pages, mkdocs_speedups
from generator.engines.mkdocs_progress import PROGRESS_FD
from generator.errors import SiteBuildError
from generator.progress import SLOWEST_SHOWN, Progress
from generator.settings import CONFIG_FILE, ConfigLoader

if TYPE_CHECKING:
    from generator.engines import PreviewSource, Report
    from generator.settings import Project


class MkDocsEngine:
    """`mkdocs build` (or `properdocs build`: `module` names which) into a given folder."""

    live_preview = True
    unpublished: tuple[str, ...] = ()

    def __init__(self, module: str, label: str) -> None:
        self.name, self.label = module, label

    def build(
        self,
        project: Project,
        site_dir: Path,
        environment: Mapping[str, str],
        strict: bool,
        progress: Progress,
    ) -> None:
        """Run `python -m mkdocs build` into `site_dir`, showing its pages on `progress`."""
        command = [sys.executable, "-m", self.name, "build", "--clean", "--config-file", "-"]
        command += ["--site-dir", str(site_dir)]
        if strict:
            command.append("--strict")
        completed = run_mkdocs(
            command,
            project.root,
            environment,
            _counted_config(project),
            MkDocsSteps(progress, self.label),
        )
        if completed.returncode != 0:
            raise SiteBuildError(
                f"{self.name} build failed; the previous site is untouched.\n"
                f"{completed.stderr.strip()}"
            )

    def serve(
        self,
        project: Project,
        dev_addr: str,
        source: PreviewSource,
        report: Report,
        poll: bool = False,
        progress: Progress | None = None,
    ) -> None:
        """MkDocs' live-reload server, with our generator as its build step."""
        from generator.engines.mkdocs_preview import serve_forever

        serve_forever(project, dev_addr, source, report, poll, progress)


def _counted_config(project: Project) -> str:
    """The configuration MkDocs reads on its standard input: `mkdocs.yml` (`INHERIT`), plus
    the hooks that count its pages (`mkdocs_progress.py`), pass generated pages' HTML
    through unparsed (`mkdocs_pages.py`) and spare MkDocs work that changes nothing in its
    output (`mkdocs_speedups.py`). The curator's file is left as
    every MkDocs or ProperDocs reads it. MkDocs replaces an inherited list, so the
    curator's own hooks are listed again, first; relative paths still resolve from the
    archive's folder, where MkDocs runs. JSON is YAML."""
    config_file = project.root / CONFIG_FILE
    ours = [mkdocs_progress_hook(), mkdocs_pages.__file__, mkdocs_speedups.__file__]
    hooks = [*_configured_hooks(config_file), *ours]
    return json.dumps({"INHERIT": str(config_file), "hooks": hooks})


def _configured_hooks(config_file: Path) -> list[str]:
    """The hooks MkDocs would run: the nearest `hooks:` along the `INHERIT` chain."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=ConfigLoader) or {}
    if "hooks" in config or not config.get("INHERIT"):
        return list(config.get("hooks") or [])
    return _configured_hooks(config_file.parent / config["INHERIT"])


class MkDocsSteps:
    """Turns MkDocs' own reports (`mkdocs_progress.PageEvents`) into three steps: loading
    the configuration and theme, reading and converting the pages, writing them. Used
    as a context around the build; a build that fails, or is marked `failed`, shows no
    line for the step it stopped on."""

    def __init__(self, progress: Progress, label: str = "MkDocs") -> None:
        self.progress, self.label = progress, label
        self.pages = 0
        self.failed = False
        self._step = progress.step(f"{label} loading the configuration and theme", f"{label} start")
        self._done: dict[str, int] = {}

    def report(self, kind: str, value: str, sender: str = "") -> None:
        """Take one report: `pages M`, `read k`, `env`, `written k` or `slowest S PATH`,
        from the process `sender` (pages may be written by several, each counting its own)."""
        if kind == "pages":
            self.pages = int(value)
            self._next(f"{self.label} reading pages", f"{self.label} reading")
        elif kind == "env":
            self._next(f"{self.label} writing pages", f"{self.label} writing")
        elif kind in ("read", "written"):
            self._done[sender] = int(value)
            self._step.advance_to(sum(self._done.values()))
        elif kind == "slowest":
            seconds, path = value.split(" ", 1)
            found = [*self.progress.slowest, (float(seconds), path)]
            self.progress.slowest[:] = sorted(found, reverse=True)[:SLOWEST_SHOWN]

    def _next(self, name: str, label: str) -> None:
        self._step.end()
        self._step = self.progress.step(name, label, total=self.pages, unit="pages")
        self._done = {}

    def __enter__(self) -> MkDocsSteps:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exception: object) -> None:
        if kind is None and not self.failed:
            if self._done:  # every page is written; the last counts may not have been sent
                self._step.advance_to(self.pages)
            self._step.end()
        else:
            self._step.abandon()


def run_mkdocs(
    command: list[str],
    cwd: Path,
    environment: Mapping[str, str],
    config: str,
    steps: MkDocsSteps,
) -> subprocess.CompletedProcess[str]:
    """Run MkDocs (`command` reads its configuration, `config`, on standard input) and show
    the pages it reports over a pipe as it goes; return its exit status and error output.

    Error output goes to a file, not a pipe, so MkDocs never blocks on it while this
    process reads the reports; standard output is MkDocs' final Abort line, which its
    error output already explains.
    """
    reports, writer = os.pipe()
    with (
        open(reports, encoding="utf-8") as lines,
        steps,
        tempfile.TemporaryFile() as errors,
    ):
        try:
            process = subprocess.Popen(
                command,
                cwd=cwd,
                env={**environment, PROGRESS_FD: str(writer)},
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                pass_fds=(writer,),
            )
        finally:
            os.close(writer)  # MkDocs holds the only writing end: its exit ends `lines`
        assert process.stdin is not None
        with process.stdin:
            process.stdin.write(config.encode("utf-8"))
        for line in lines:
            sender, kind, value = [*line.rstrip("\n").split(" ", 2), ""][:3]
            steps.report(kind, value, sender)
        returncode = process.wait()
        steps.failed = returncode != 0
        errors.seek(0)
        error_text = errors.read().decode("utf-8", "replace")
    return subprocess.CompletedProcess(command, returncode, "", error_text)


def mkdocs_progress_hook() -> str:
    """Path of the MkDocs hook that reports pages to `run_mkdocs`."""
    return str(Path(__file__).with_name("mkdocs_progress.py"))
