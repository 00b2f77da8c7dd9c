"""The live preview and Python's garbage collector (generator/collector.py): a rebuild
runs without automatic collections but for a whole MkDocs build, and what lives on after
a full build or a run that made the indexes again is collected once and set aside, so a
curator's next edit never waits for a scan of the archive."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cache import GenerateCache, read_cache
from generator.pipeline import generate, open_cache
from generator.settings import load_project
from tests.conftest import copy_project
from tests.test_serve import PAPER, fetch, wait_for

pytestmark = pytest.mark.slow

# Runs the preview as `python -m generator` does, reporting the collector's state as the
# generator runs, as an edit's pages are rendered into the kept site and as MkDocs builds
# the whole site; and each explicit collection, setting aside and taking back.
OBSERVED_PREVIEW = """
import gc, runpy, sys
from generator import serve
from generator.engines import mkdocs_preview

rebuild, collect, freeze = mkdocs_preview.KeptSite._rebuild, gc.collect, gc.freeze
build, regenerate, unfreeze = mkdocs_preview.mkdocs_build, serve.GeneratorSource.regenerate, gc.unfreeze

def observed_regenerate(source, *arguments):
    print(f"generate collector={gc.isenabled()}", flush=True)
    return regenerate(source, *arguments)

def observed_build(*arguments, **options):
    print(f"build collector={gc.isenabled()}", flush=True)
    return build(*arguments, **options)

def observed_rebuild(site, *arguments):
    print(f"rebuild collector={gc.isenabled()}", flush=True)
    return rebuild(site, *arguments)

def observed_collect(*arguments):
    print("collect", flush=True)
    return collect(*arguments)

def observed_freeze():
    print("freeze", flush=True)
    freeze()

def observed_unfreeze():
    print("unfreeze", flush=True)
    unfreeze()

mkdocs_preview.KeptSite._rebuild = observed_rebuild
mkdocs_preview.mkdocs_build = observed_build
serve.GeneratorSource.regenerate = observed_regenerate
gc.collect, gc.freeze, gc.unfreeze = observed_collect, observed_freeze, observed_unfreeze
sys.argv = ["generator", *sys.argv[1:]]
runpy.run_module("generator", run_name="__main__")
"""


def test_a_rebuild_runs_without_the_collector_and_what_lives_on_is_set_aside(
    tmp_path: Path,
) -> None:
    root = copy_project(tmp_path / "archive")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "serve.log"
    command = [sys.executable, "-c", OBSERVED_PREVIEW, "--root", str(root), "serve"]
    with log.open("w") as output:
        server = subprocess.Popen(
            [*command, "--dev-addr", f"127.0.0.1:{port}"], stdout=output, stderr=subprocess.STDOUT
        )
        try:
            page = f"http://127.0.0.1:{port}/papers/{PAPER}/"
            assert wait_for(lambda: fetch(page)[0] == 200, timeout=60), log.read_text()
            paper_file = root / "papers" / f"{PAPER}.yaml"
            paper_file.write_text(f"{paper_file.read_text()}notes: A note to show first.\n")
            assert wait_for(lambda: "A note to show first." in fetch(page)[1]), log.read_text()
            assert wait_for(lambda: log.read_text().count("\nfreeze") >= 2), log.read_text()
            # A changed configuration: a full build again, its model set aside in turn.
            with (root / "mkdocs.yml").open("a") as config:
                config.write("# edited\n")
            assert wait_for(lambda: log.read_text().count("\nfreeze") >= 3), log.read_text()
        finally:
            server.terminate()
            server.wait(timeout=10)
    observed = [
        line
        for line in log.read_text().splitlines()
        if line.startswith(("generate", "build", "rebuild", "collect", "freeze", "unfreeze"))
    ]
    assert observed == [
        "generate collector=False",  # the first build
        "build collector=True",  # MkDocs' own, whole
        "unfreeze",
        "collect",
        "freeze",
        "generate collector=False",  # the edited paper's page first
        "rebuild collector=False",
        "generate collector=False",  # the rest of the site, right after
        "rebuild collector=False",
        "collect",  # its indexes, made again, set aside with the rest since the first build
        "freeze",
        "generate collector=False",  # the changed configuration
        "build collector=True",
        "unfreeze",
        "collect",
        "freeze",
    ]


def test_generating_and_reading_the_cache_pause_the_collector_and_leave_it_as_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from generator.incremental import stages

    read_with_collector: list[bool] = []

    def observed_read(path: Path, version: str) -> GenerateCache:
        read_with_collector.append(gc.isenabled())
        return read_cache(path, version)

    monkeypatch.setattr(stages, "read_cache", observed_read)
    project = load_project(copy_project(tmp_path / "archive"))
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            generate(project)
            assert gc.isenabled() is enabled
            open_cache(project)  # as the live preview does, before its first run
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
    assert read_with_collector == [False] * 4
