"""Progress of a long run: one reporter that the CLI makes and the orchestration calls.

At a terminal each step is a live tqdm bar with its count, rate and estimate. Elsewhere (CI,
logs) each finished step is one plain line with its counts and time, with no carriage return
or escape code. Quiet, nothing. The pipeline's pure stages never see the reporter: pipeline.py
opens a step around each stage and counts in chunks, and an engine reports its own steps
(MkDocs counts its pages: `engines/mkdocs_progress.py`).

Invariant: reporting costs nothing measurable. Counts arrive in chunks, never one call per
item of a hot loop, and a bar is redrawn at most ten times a second.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections.abc import Sequence
from types import TracebackType
from typing import TextIO

from tqdm import tqdm

REDRAW_SECONDS = 0.1
"""A bar is redrawn at most this often, however fast its count moves."""
SLOWEST_SHOWN = 10
"""Pages listed by `-v` as MkDocs' slowest."""
COUNT_EVERY = 100
"""Items a loop handles between two counts it reports."""


_UNCOUNTED = "{desc}{postfix} [{elapsed}]"
"""How a step without a count shows: its name, its detail once done, and its time."""


class _Bar(tqdm):  # type: ignore[type-arg]
    """A tqdm bar without tqdm's monitor thread: the pipeline forks worker processes while a
    bar is open, and a forked child must not inherit another thread (parallel.py)."""

    monitor_interval = 0


class Progress:
    """Reports the steps of one run to `stream`: live bars when it is a terminal, one
    plain line per finished step otherwise; nothing with `verbosity` below 0 (`-q`) or
    no stream. Remembers each step's time and MkDocs' slowest pages for the summary.

    Used as a context, it closes the bars of steps a failure left open, so the error
    that follows starts on a line of its own.
    """

    def __init__(self, stream: TextIO | None = None, verbosity: int = 0) -> None:
        self.stream = stream if verbosity >= 0 else None
        self.verbosity = verbosity
        self.live = self.stream is not None and self.stream.isatty()
        self.times: list[tuple[str, float]] = []
        """(short label, seconds) of each finished step, in order."""
        self.slowest: list[tuple[float, str]] = []
        """(seconds, source path) of the pages MkDocs took longest over, slowest first."""
        self.open_steps: list[Step] = []

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exception: object) -> None:
        for step in list(self.open_steps):
            step.abandon()

    def step(self, name: str, label: str, total: int | None = None, unit: str = "") -> Step:
        """Start a step: `total` counts `unit`s (plural: "pages") towards a known end."""
        return Step(self, name, label, total, unit)

    def summary_lines(self) -> list[str]:
        """The lines that follow a command's final line: each step's time; with `-v`,
        the slowest pages."""
        if self.verbosity < 0 or not self.times:
            return []
        lines = ["Steps: " + ", ".join(f"{label} {seconds:.2f} s" for label, seconds in self.times)]
        if self.verbosity > 0 and self.slowest:
            lines.append("Slowest pages in MkDocs:")
            lines += [f"  {seconds:.3f} s  {path}" for seconds, path in self.slowest]
        return lines


class Step:
    """One step of a run, open until `end` (or the end of a `with` block)."""

    def __init__(
        self, progress: Progress, name: str, label: str, total: int | None, unit: str
    ) -> None:
        self.progress, self.name, self.label = progress, name, label
        self.total = total or None  # nothing to count: shown as a step without a count
        self.unit = unit
        self.count = 0
        self.detail = ""
        """What the finished step says after its name (default: the count)."""
        self._bar: _Bar | None = None
        self._started = time.perf_counter()
        progress.open_steps.append(self)
        if progress.live:
            self._bar = _Bar(
                total=self.total,
                desc=name,
                unit=f" {unit}" if unit else "",
                file=progress.stream,
                mininterval=REDRAW_SECONDS,
                leave=True,
                dynamic_ncols=True,
                bar_format=None if self.total else _UNCOUNTED,
            )

    def expect(self, total: int) -> None:
        """Set the step's `total`, once it is known."""
        self.total = total or None
        if self._bar is not None:
            self._bar.total = self.total
            self._bar.bar_format = None if self.total else _UNCOUNTED
            self._bar.refresh()

    def advance_to(self, count: int) -> None:
        """Show that `count` of the step's `total` are done."""
        if self._bar is not None and count != self.count:
            self._bar.update(count - self.count)
        self.count = count

    def shared_count(self, parts: int) -> SharedCount:
        """A count that `parts` forked processes add to, each its own share."""
        return SharedCount(self, parts)

    def end(self) -> None:
        """Finish the step: record its time and show its line."""
        seconds = time.perf_counter() - self._started
        self.progress.open_steps.remove(self)
        self.progress.times.append((self.label, seconds))
        detail = self.detail or (f"{self.count} of {self.total} {self.unit}" if self.total else "")
        if self._bar is not None:  # a bar shows its count itself
            self._bar.set_postfix_str(self.detail, refresh=False)
            self._bar.close()
        elif self.progress.stream is not None:
            shown = f"{self.name}: {detail}" if detail else self.name
            self.progress.stream.write(f"{shown} ({seconds:.2f} s)\n")
            self.progress.stream.flush()

    def abandon(self) -> None:
        """Close the step's bar without a line, for a step that failed."""
        self.progress.open_steps.remove(self)
        if self._bar is not None:
            self._bar.leave = False
            self._bar.close()

    def __enter__(self) -> Step:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.end()
        else:
            self.abandon()


class SharedCount:
    """A step's count over forked processes: each share writes how many of its items are
    done into its own slot of shared memory (no lock needed), and the parent, as it
    reports its own share, shows the sum."""

    def __init__(self, step: Step, parts: int) -> None:
        self._step = step
        self._parent = os.getpid()
        shared = step.progress.stream is not None and parts > 1 and hasattr(os, "fork")
        self._slots: Sequence[int] = (
            multiprocessing.get_context("fork").RawArray("q", parts) if shared else [0] * parts
        )

    def set(self, part: int, done: int) -> None:
        """Record that share `part` has done `done` of its items."""
        self._slots[part] = done  # type: ignore[index]
        if os.getpid() == self._parent:
            self._step.advance_to(sum(self._slots))


def progress_to_stderr(verbosity: int) -> Progress:
    """The reporter for a command run by a person or a CI job, on standard error."""
    return Progress(sys.stderr, verbosity)
