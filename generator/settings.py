"""Project settings: where an archive's files live and what its site says about itself.

Invariant: read from `mkdocs.yml` only, so the generator and MkDocs never disagree about
a path or the site's address.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml_env_tag import construct_env_tag

from generator.errors import NotAnArchive, SettingsError

CONFIG_FILE = "mkdocs.yml"
COMPRESS_ABOVE = 2_000
"""Papers past which the archive-wide downloads are gzip-compressed unless
`extra.compress_downloads` says otherwise. Plain, they take some 3.7 KB a paper (most of
it `papers.json`'s abstracts) of the 1 GB GitHub Pages allows a site, gzipped under 1 KB;
below this, plain files (under 8 MB together) open in a browser and import unpacked."""


@dataclass(frozen=True)
class SiteInfo:
    """What the site says about itself (from `mkdocs.yml`)."""

    name: str
    description: str
    url: str = "http://127.0.0.1:8000/"
    """Public address ending in `/` (`site_url`): absolute links in feeds."""
    upvotes_label: str | None = None
    """What a paper's `upvotes` count (`extra.upvotes_label`); None: upvotes are not shown."""
    compress_downloads: bool | None = None
    """Whether the archive-wide downloads are gzip-compressed (`extra.compress_downloads`);
    None: as `downloads_compressed` decides from the archive's size."""

    def downloads_compressed(self, papers: int) -> bool:
        """Whether an archive of `papers` published papers writes `papers.bib.gz` and the
        other archive-wide files compressed: as the setting says, else past `COMPRESS_ABOVE`.
        The one place this is decided, so the files and the page linking them agree."""
        return (
            papers > COMPRESS_ABOVE if self.compress_downloads is None else self.compress_downloads
        )


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
    place feeds take absolute URLs from, as canonical links and the sitemap do."""


class ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml: `!ENV` as MkDocs resolves it, other tags (`!!python/name`) as None."""


ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)
# MkDocs' own `!ENV` constructor, so `site_url: !ENV [SITE_URL, ...]` means the same to both tools.
ConfigLoader.add_constructor("!ENV", construct_env_tag)


def load_project(root: Path) -> Project:
    """Read the paths and the site's settings from `root/mkdocs.yml` (README: Settings)."""
    config = _read_config(root)
    extra = config.get("extra") or {}
    if not isinstance(extra, dict):
        raise SettingsError(f"{CONFIG_FILE}: 'extra' must be a mapping of settings")
    upvotes_label = extra.get("upvotes_label")
    if upvotes_label is not None and not isinstance(upvotes_label, str):
        raise SettingsError(
            f"{CONFIG_FILE}: 'extra.upvotes_label' must be text (the badge's label),"
            f" got {upvotes_label!r}; remove it to hide upvotes"
        )
    compress_downloads = extra.get("compress_downloads")
    if compress_downloads is not None and not isinstance(compress_downloads, bool):
        raise SettingsError(
            f"{CONFIG_FILE}: 'extra.compress_downloads' must be true (gzip papers.bib and the"
            f" other archive-wide downloads) or false (keep them plain), got"
            f" {compress_downloads!r}; remove it to gzip them past {COMPRESS_ABOVE:,} papers"
        )
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
            upvotes_label=upvotes_label or None,
            compress_downloads=compress_downloads,
        ),
    )


def _read_config(root: Path) -> dict:
    """Return `root/mkdocs.yml` as a mapping, or say why the folder is not an archive."""
    path = root / CONFIG_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotAnArchive(
            f"no {CONFIG_FILE} in {root}: not an archive;"
            f" create one with `paper-archive init {root}`"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path}: cannot be read ({error})") from None
    try:
        config = yaml.load(text, Loader=ConfigLoader) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or error
        raise SettingsError(f"{CONFIG_FILE}{line}: not valid YAML ({problem})") from None
    if not isinstance(config, dict):
        raise SettingsError(f"{CONFIG_FILE}: must be a mapping of settings such as 'site_name:'")
    return config


def _with_trailing_slash(url: str) -> str:
    """Normalise as MkDocs does, so `SITE_URL=https://user.github.io/repo` is a folder."""
    return url if not url or url.endswith("/") else f"{url}/"
