"""When Python's cyclic garbage collector runs, in the two long-lived workloads that make
millions of objects: a `generate` run, and the live preview, whose process keeps the
archive, its indexes and MkDocs' model of the site in memory between edits.

Left to itself, the collector runs when allocations say so, and a full collection scans
every object the process holds: half a second at 10,000 papers in the preview, seconds at
50,000. Those seconds belong where nobody waits for them, not in the middle of the
rebuild that shows a curator's edit.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused(pause: bool = True) -> Iterator[None]:
    """Pause the collector for the block (with `pause`), as it was before after it.

    Generating makes hundreds of thousands of objects that live to the end and almost no
    cycles, so collecting during it would scan the growing heap again and again for
    nothing; a preview rebuild is waited for, and makes little garbage."""
    enabled = gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collect_settled() -> None:
    """Collect everything now, when a preview's site is settled (no rebuild queued): the
    next rebuilds start with the collector's counts at zero, so the few objects a first
    look makes do not start a full collection during it."""
    gc.collect()
