"""What every MkDocs build does that `paper-archive build` does cheaper, in one place: the
build's output is the same, byte for byte. Used as a hook (mkdocs_build.py lists it).

- The generated files that are not pages (feeds, exports, reference-manager files: three
  per paper, some 30,000 at 10,000 papers) reach the site as hard links to `docs_dir`
  rather than copies, which wrote every byte again to the same disk. Safe because the
  generator never changes a file of `docs_dir` in place: it replaces a file that existed
  with a new one (generator/write.py: temporary file and rename), so a built site, the
  previous one included, keeps the bytes it was built with. Only files under `docs_dir`
  are linked (never the theme's, which belong to an installed package); a file that cannot
  be linked (another file system, a file already there) is copied as MkDocs always does.
- Jinja's template cache is a plain dictionary, as Jinja makes it for `cache_size=-1`,
  rather than its LRU cache of 400, which takes a lock and reorders a queue on every
  lookup: Material's templates look up a dozen partials per page, and a build renders
  every page with the same few dozen templates.
"""

from __future__ import annotations

import os
from functools import partial
from typing import Any


def on_files(files: Any, config: Any) -> None:
    docs_dir = os.path.join(os.path.abspath(config.docs_dir), "")
    for file in files:
        source = file.abs_src_path
        if source and source.startswith(docs_dir) and not file.is_documentation_page():
            file.copy_file = partial(_link_file, file)


def on_env(env: Any, config: Any, files: Any) -> None:
    env.cache = dict(env.cache or {})


def _link_file(file: Any, dirty: bool = False) -> None:
    """`File.copy_file` for a generated file: a hard link, else MkDocs' own copy."""
    if not dirty:
        output = file.abs_dest_path
        os.makedirs(os.path.dirname(output), exist_ok=True)
        try:
            os.link(file.abs_src_path, output)
            return
        except OSError:
            pass
    type(file).copy_file(file, dirty)
