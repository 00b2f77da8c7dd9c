"""The live preview's theme templates: compiled once for the preview's life, and listed
without Material's hidden icon folders. Used by `mkdocs_preview.py`.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import jinja2.bccache
from mkdocs.theme import Theme


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled theme templates, in memory for the preview's life: MkDocs makes a new Jinja
    environment for every build, and compiling Material's templates again took 0.8 s of
    each rebuild. Jinja checks each template's source checksum, so an edited override is
    compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._code:
            bucket.bytecode_from_string(self._code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def preview_theme(theme: Theme, compiled: CompiledTemplates) -> None:
    """Make the environments `theme` creates share `compiled`, and list theme files
    without walking hidden folders (`ThemeFiles`)."""
    make_environment = theme.get_env

    def get_env() -> jinja2.Environment:
        environment = make_environment()
        environment.loader = ThemeFiles(theme.dirs)
        environment.bytecode_cache = compiled
        return environment

    theme.get_env = get_env  # type: ignore[method-assign]


class ThemeFiles(jinja2.FileSystemLoader):
    """A theme loader whose listing skips hidden folders. MkDocs lists a theme's files on
    every build to copy its static ones, and copies none from a hidden folder (its filter
    drops `.*` paths); Material's `.icons` holds 14,300 of its 14,500 files, and listing
    and filtering them took 0.2 s of each rebuild."""

    def list_templates(self) -> list[str]:
        found = set()
        for searchpath in self.searchpath:
            for folder, subfolders, names in os.walk(searchpath, followlinks=self.followlinks):
                subfolders[:] = [name for name in subfolders if not name.startswith(".")]
                relative = Path(folder).relative_to(searchpath).as_posix()
                found.update(name if relative == "." else f"{relative}/{name}" for name in names)
        return sorted(found)
