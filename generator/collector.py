"""When Python's cyclic garbage collector runs, in the two long-lived workloads that make
millions of objects: a `generate` run, and the live preview, whose process keeps the
archive, its indexes and MkDocs' model of the site in memory between edits.

Left to itself, the collector runs when allocations say so, and a full collection scans
every object the process holds: half a second at 10,000 papers in the preview, seconds at
50,000, at whatever moment, a rebuild that shows a curator's edit included. So the
preview sets aside what its first build made (`set_aside`) and rebuilds with the
collector paused; what the collector still scans is what later rebuilds made.
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


def set_aside() -> None:
    """Collect the garbage of a long run, then set aside what is left (`gc.freeze`): the
    collector's later runs scan only objects made since. For the live preview's first
    build, whose archive, indexes and model of the site mostly live as long as the preview:
    rebuilds replace a few of them at a time, and a replaced object is still freed when
    nothing refers to it; only one in a reference cycle would stay, once, not per edit."""
    gc.collect()
    gc.freeze()
