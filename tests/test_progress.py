"""Progress of `paper-archive build`: live bars with moving counts at a terminal (a real
pseudo-terminal), plain lines in a pipe, one line with `-q`, the slowest pages with `-v`;
and the reporter itself (progress.py) on a plain stream."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.parallel import map_forked
from generator.pipeline import Project
from generator.progress import Progress
from tests.conftest import run_cli

STEPS = [
    "Reading and validating paper files",
    "Indexing and finding related papers",
    "Rendering and writing pages",
    "MkDocs loading the configuration and theme",
    "MkDocs reading pages",
    "MkDocs writing pages",
    "Pagefind indexing paper pages",
]
FINAL_LINE = re.compile(
    r"Built (\d+) papers, \d+ tag pages, \d+ pages in all, in [\d.]+ s"
    r" \(generate [\d.]+ s, mkdocs [\d.]+ s\) into site/"
)
STEP_TIMES = re.compile(r"Steps: reading [\d.]+ s, indexes [\d.]+ s, .*, Pagefind [\d.]+ s")
PAPERS = 40


def _papers(count: int) -> dict[str, str]:
    """`count` valid papers, with authors and tags enough for a few hundred pages."""
    return {
        f"paper-{number:03d}.yaml": (
            f"title: Paper number {number} on data\n"
            f"authors:\n- Author {number}\n- Co Author {number % 7}\n"
            f"date: 20{10 + number % 15}-0{1 + number % 9}-15\n"
            f"abstract: We study data, case {number}.\n"
            f"tags:\n- {'data-selection' if number % 2 else 'llm-inference'}\n"
        )
        for number in range(count)
    }


@pytest.fixture
def archive(make_archive: Callable[..., Project]) -> Path:
    return make_archive(_papers(PAPERS)).root


def _run_at_a_terminal(*arguments: str, root: Path) -> str:
    """Run `python -m generator --root ROOT ...` on a 100-column pseudo-terminal; return
    everything it wrote there."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "--root", str(root), *arguments],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
    )
    os.close(terminal)
    written = bytearray()
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # Linux: the terminal closed with the process
            break
        if not chunk:
            break
        written += chunk
    os.close(controller)
    assert process.wait() == 0, written.decode("utf-8", "replace")
    return written.decode("utf-8")


@pytest.mark.slow
def test_at_a_terminal_each_step_shows_a_moving_count(archive: Path) -> None:
    shown = _run_at_a_terminal("build", root=archive)
    # Each redraw of a bar starts with a carriage return, after a line or the last redraw.
    redraws = [part for line in shown.split("\n") for part in line.split("\r") if part]
    for step in STEPS:
        assert any(redraw.startswith(step) for redraw in redraws), (step, shown)
    moving = False
    for step in ("MkDocs reading pages", "MkDocs writing pages"):
        counts = [
            tuple(map(int, found.groups()))
            for redraw in redraws
            if redraw.startswith(step) and (found := re.search(r" (\d+)/(\d+) \[", redraw))
        ]
        done, total = counts[-1]
        assert counts[0][0] == 0 and done == total > PAPERS, counts
        moving |= any(0 < count < total for count, _ in counts)
    assert moving, shown  # MkDocs' own counts, as it went
    assert f"{PAPERS}/{PAPERS}" in shown  # paper files read
    lines = shown.splitlines()
    assert FINAL_LINE.fullmatch(lines[-2]), lines[-2]
    assert STEP_TIMES.fullmatch(lines[-1]), lines[-1]


@pytest.mark.slow
def test_in_a_pipe_each_step_is_one_plain_line(archive: Path) -> None:
    completed = run_cli("build", root=archive)
    assert completed.returncode == 0, completed.stderr
    for text in (completed.stdout, completed.stderr):
        assert "\r" not in text and "\x1b" not in text
    lines = completed.stderr.splitlines()
    assert [line.split(":")[0].split(" (")[0] for line in lines] == STEPS
    assert all(re.fullmatch(r"[A-Z][^\r\x1b]* \(\d+\.\d\d s\)", line) for line in lines), lines
    assert f"Reading and validating paper files: {PAPERS} read, 0 unchanged" in lines[0]
    mkdocs_pages = re.search(r"MkDocs writing pages: (\d+) of (\d+) pages", completed.stderr)
    assert mkdocs_pages and mkdocs_pages[1] == mkdocs_pages[2]
    built, step_times = completed.stdout.splitlines()
    assert FINAL_LINE.fullmatch(built) and FINAL_LINE.fullmatch(built)[1] == str(PAPERS)
    assert STEP_TIMES.fullmatch(step_times), step_times

    # Nothing changed: nothing rendered again. (Files saved within the last seconds are
    # read again, as their time cannot tell an edit in the same tick: cache.py, `racy`.)
    again = run_cli("build", root=archive)
    read = re.search(r"paper files: (\d+) read, (\d+) unchanged \(", again.stderr)
    assert read and int(read[1]) + int(read[2]) == PAPERS, again.stderr
    assert "Indexing and finding related papers: 40 papers (related papers as the last run" in (
        again.stderr
    )
    assert re.search(r"Rendering and writing pages: 0 changed of \d+, 0 removed", again.stderr)


@pytest.mark.slow
def test_quiet_prints_one_line_and_verbose_the_slowest_pages(archive: Path) -> None:
    quiet = run_cli("-q", "build", root=archive)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == "" and FINAL_LINE.fullmatch(quiet.stdout.rstrip("\n"))

    verbose = run_cli("--verbose", "build", root=archive)
    assert verbose.returncode == 0, verbose.stderr
    printed = verbose.stdout.splitlines()
    assert FINAL_LINE.fullmatch(printed[0]) and STEP_TIMES.fullmatch(printed[1])
    assert printed[2] == "Slowest pages in MkDocs:"
    slowest = [re.fullmatch(r"  (\d+\.\d{3}) s  (\S+\.md)", line) for line in printed[3:]]
    assert len(slowest) == 10 and all(slowest), printed
    seconds = [float(found[1]) for found in slowest if found]
    assert seconds == sorted(seconds, reverse=True)
    assert all((archive / "build" / "docs" / found[2]).is_file() for found in slowest if found)


@pytest.mark.slow
def test_the_curators_own_hooks_still_run(archive: Path) -> None:
    """MkDocs replaces an inherited list: the counting hook must not displace the curator's."""
    (archive / "marker.py").write_text(
        "from pathlib import Path\n\n"
        "def on_post_build(config):\n"
        "    Path(config.site_dir, 'hooked.txt').write_text('ran')\n",
        encoding="utf-8",
    )
    config = archive / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "hooks:\n  - marker.py\n")
    completed = run_cli("build", root=archive)
    assert completed.returncode == 0, completed.stderr
    assert (archive / "site" / "hooked.txt").read_text() == "ran"
    assert "MkDocs writing pages: " in completed.stderr


def test_a_failed_build_shows_no_step_lines_but_its_problems(archive: Path) -> None:
    (archive / "papers" / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    completed = run_cli("build", root=archive)
    assert completed.returncode == 1
    assert not any(completed.stderr.startswith(step) for step in STEPS), completed.stderr
    assert completed.stderr.startswith("papers/broken.yaml:")


def test_plain_steps_say_what_they_did_and_quiet_says_nothing() -> None:
    stream = io.StringIO()
    progress = Progress(stream)
    with progress.step("Counting things", "counting", total=3, unit="things") as step:
        step.advance_to(3)
    with progress.step("Thinking", "thinking") as step:
        step.detail = "2 ideas"
    with pytest.raises(RuntimeError), progress.step("Failing", "failing"):
        raise RuntimeError("no line for a step that failed")
    lines = stream.getvalue().splitlines()
    assert [re.sub(r"\(\d+\.\d\d s\)", "(T)", line) for line in lines] == [
        "Counting things: 3 of 3 things (T)",
        "Thinking: 2 ideas (T)",
    ]
    assert [label for label, _ in progress.times] == ["counting", "thinking"]
    assert progress.summary_lines()[0].startswith("Steps: counting ")

    quiet_stream = io.StringIO()
    quiet = Progress(quiet_stream, verbosity=-1)
    with quiet.step("Counting things", "counting", total=3) as step:
        step.advance_to(3)
    assert quiet_stream.getvalue() == "" and quiet.summary_lines() == []


def test_forked_shares_add_up_to_one_count() -> None:
    progress = Progress(io.StringIO())
    step = progress.step("Reading", "reading", total=30, unit="files")
    counted = step.shared_count(3)

    def work(part: int) -> int:
        for done in range(1, 11):
            counted.set(part, done)
        return os.getpid()

    pids = map_forked(work, [0, 1, 2])
    assert len(set(pids)) == 3 or not hasattr(os, "fork")
    counted.set(0, 10)  # the parent sees the children's counts in shared memory
    assert step.count == 30
