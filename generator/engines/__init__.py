"""Engines: what turns the generated Markdown into HTML (MkDocs by default, ProperDocs,
Zensical), behind one interface, so the archive keeps building when one of them ends.

Invariant: this package is the only place that imports or runs an engine (`mkdocs`,
`material`, `properdocs`, `zensical`); the pipeline, the commands and the search see
only `Engine`. An engine builds into a folder it is given; staging, Pagefind and the
swap into `site_dir` are engine-neutral (`site.py`). Nothing here prints: messages go to
the caller's `report` callback, progress to its `Progress`.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol

import yaml

from generator.engines.mkdocs_build import MkDocsEngine
from generator.engines.zensical_build import ZensicalEngine
from generator.errors import SettingsError
from generator.settings import ConfigLoader

if TYPE_CHECKING:
    from generator.progress import Progress
    from generator.settings import Project

SETTING = "engine"
"""The key under `extra:` in `mkdocs.yml` that chooses the engine (MkDocs' strict build
accepts any key there, and passes it to templates, which ignore it)."""

Report = Callable[[str, bool], None]
"""Where a live preview's messages go: `report(text, is_error)` (the command prints them)."""


@dataclass(frozen=True)
class Regenerated:
    """What one run of the generator changed, as a live preview needs to know it."""

    written: tuple[PurePosixPath, ...]
    """Generated pages written (new or changed), relative to `docs_dir`."""
    deleted: tuple[PurePosixPath, ...]
    """Generated pages removed: their built pages must go from the preview too."""
    summary: str
    """One line saying what the run did, for the preview's "updated" line."""
    first_look: bool = False
    """The pages written show an edit first, placed in the last run's lists: run again at
    once to bring the rest up to date. Their links may name pages and anchors that only
    that run writes."""
    same_settings: bool = False
    """The engine's configuration and theme are as the last run found them: the pages
    `written` and `deleted` are all that changed."""


class PreviewSource(Protocol):
    """Our generator as a live preview calls it on every saved change."""

    watched: tuple[Path, ...]
    """Files and folders whose changes start a rebuild."""

    def regenerate(self, first: bool, progress: Progress) -> Regenerated | None:
        """Write the pages again, showing the steps on `progress`; None when the archive
        has errors (they were reported)."""

    def close(self) -> None:
        """Keep what the next run needs (the cache), once the preview stops."""


class Engine(Protocol):
    """A static site generator that reads `mkdocs.yml` and the generated `docs_dir`."""

    name: str
    """As `--engine` and `extra.engine` name it."""
    label: str
    """As messages name it (`MkDocs`)."""
    live_preview: bool
    """Whether `serve` previews with this engine itself (else with MkDocs' preview)."""
    unpublished: tuple[str, ...]
    """Paths the engine writes into the site that nothing there uses, removed before
    Pagefind indexes it."""

    def build(
        self,
        project: Project,
        site_dir: Path,
        environment: Mapping[str, str],
        strict: bool,
        progress: Progress,
    ) -> None:
        """Build the site into the empty `site_dir`; raise `SiteBuildError` on failure."""

    def serve(
        self,
        project: Project,
        dev_addr: str,
        source: PreviewSource,
        report: Report,
        poll: bool = False,
        progress: Progress | None = None,
    ) -> None:
        """Serve a live preview on `dev_addr` until interrupted, regenerating with
        `source` on every saved change."""


class EngineMissing(SettingsError):
    """The chosen engine is not installed; the message says how to install it."""


def engine_named(name: str) -> Engine:
    """Return the engine called `name`, checking that it is installed."""
    if name not in ENGINES:
        raise SettingsError(
            f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}"
            f" (`--engine` or `extra.{SETTING}` in mkdocs.yml)"
        )
    _require(name)
    return ENGINES[name]


def _require(name: str) -> None:
    """Raise `EngineMissing`, saying how to install it, when the engine's package is not."""
    if importlib.util.find_spec(name) is None:
        raise EngineMissing(
            f"the {name} engine is not installed; install it with"
            f" `pip install 'paper-archive[{name}]'` (or leave out `--engine {name}`"
            f" and `extra.{SETTING}: {name}` to build with MkDocs)"
        )


def configured_engine_name(config_file: Path) -> str:
    """The engine `extra.engine` in `config_file` (mkdocs.yml) names, or MkDocs."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=ConfigLoader) or {}
    extra = config.get("extra") if isinstance(config, dict) else None
    chosen = extra.get(SETTING) if isinstance(extra, dict) else None
    if chosen is None:
        return next(iter(ENGINES))
    if chosen not in ENGINES:
        raise SettingsError(
            f"{config_file.name}: 'extra.{SETTING}' must be one of"
            f" {', '.join(ENGINES)}, got {chosen!r}"
        )
    return str(chosen)


ENGINES: dict[str, Engine] = {
    "mkdocs": MkDocsEngine("mkdocs", "MkDocs"),
    "properdocs": MkDocsEngine("properdocs", "ProperDocs"),
    "zensical": ZensicalEngine(),
}
"""Every engine, by name; the first is the default."""
