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
- Pages are rendered and written by one process per core (at most `WRITERS`, as many as
  `parallel.worker_count` finds them worth), not one:
  MkDocs reads every page in one process, then, at the first page it writes, this hook
  forks; each process writes every n-th page, in MkDocs' order, and the copies exit
  after the last. The first process checks the anchors of every page, as MkDocs does,
  and waits for the copies before the build ends: a copy that fails (an error, or a
  warning in a strict build; its messages are printed as they come) fails the build. Each
  page is the same bytes whichever process writes it: a page's rendering reads only what
  every process holds from the reading pass.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import traceback
from collections.abc import Callable
from functools import partial
from typing import Any

from generator.parallel import worker_count

WRITERS = 4
"""Processes writing pages at most: each holds its own copy of what it touches."""
BUILD_MODULES = ("mkdocs.commands.build", "properdocs.commands.build")
"""Where MkDocs (and ProperDocs, its fork) keep the function that renders and writes a page."""


def on_files(files: Any, config: Any) -> None:
    docs_dir = os.path.join(os.path.abspath(config.docs_dir), "")
    for file in files:
        source = file.abs_src_path
        if source and source.startswith(docs_dir) and not file.is_documentation_page():
            file.copy_file = partial(_link_file, file)


def on_env(env: Any, config: Any, files: Any) -> None:
    env.cache = dict(env.cache or {})
    writers = worker_count(len(files.documentation_pages()), WRITERS)
    if writers > 1 and hasattr(os, "fork"):
        for name in BUILD_MODULES:
            module = sys.modules.get(name)
            if module is not None and not isinstance(module._build_page, _SharedWriting):
                module._build_page = _SharedWriting(module._build_page, writers)


def on_post_build(config: Any) -> None:
    for writing in _shared_writings():
        writing.wait(config.strict)


def on_build_error(error: Exception) -> None:
    for writing in _shared_writings():
        writing.stop()


def _shared_writings() -> list[_SharedWriting]:
    """The page writing `on_env` shared for this build, MkDocs' own put back for the next
    build in this process (the live preview's)."""
    found = []
    for name in BUILD_MODULES:
        module = sys.modules.get(name)
        if module is not None and isinstance(module._build_page, _SharedWriting):
            found.append(module._build_page)
            module._build_page = module._build_page.build_page
    return found


class _SharedWriting:
    """MkDocs' `_build_page`, called for every page in order, sharing the pages among
    `writers` processes: forks at the first, then each process writes every n-th."""

    def __init__(self, build_page: Callable[..., None], writers: int) -> None:
        self.build_page, self.writers = build_page, writers
        self.position = 0
        self.share = 0
        """Which of the processes this is: 0 the first, MkDocs' own."""
        self.copies: list[int] = []
        self.warnings: _Counter | None = None

    def __call__(self, page: Any, config: Any, doc_files: Any, *more: Any, **named: Any) -> None:
        position, self.position = self.position, self.position + 1
        if position == 0:
            self._fork()
        if position % self.writers == self.share:
            if self.share == 0:
                self.build_page(page, config, doc_files, *more, **named)
            else:
                try:
                    self.build_page(page, config, doc_files, *more, **named)
                except BaseException:
                    traceback.print_exc()
                    self._exit(1)
        if self.share and position == len(doc_files) - 1:
            assert self.warnings is not None
            self._exit(1 if config.strict and self.warnings.count else 0)

    def _fork(self) -> None:
        for share in range(1, self.writers):
            pid = os.fork()
            if pid == 0:
                self.share, self.copies = share, []
                self.warnings = _Counter()
                logging.getLogger("mkdocs").addHandler(self.warnings)
                return
            self.copies.append(pid)

    def _exit(self, status: int) -> None:
        """End a copy, its messages out, without the parent's clean-up (`os._exit`)."""
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)

    def wait(self, strict: bool) -> None:
        """Wait for the copies; fail the build if one failed."""
        from mkdocs.exceptions import PluginError

        failed = [pid for pid in self.copies if os.waitpid(pid, 0)[1] != 0]
        self.copies = []
        if failed:
            because = "errors or, in strict mode, warnings" if strict else "errors"
            raise PluginError(f"A process writing pages stopped on {because} (above).")

    def stop(self) -> None:
        """Stop the copies of a build that failed, so none writes on."""
        for pid in self.copies:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        self.copies = []


class _Counter(logging.Handler):
    """Counts the warnings and errors MkDocs logs in a copy."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


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
