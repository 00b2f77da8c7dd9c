"""When Python's cyclic garbage collector runs, in the two long-lived workloads that make
millions of objects: a `generate` run, and the live preview, whose process keeps the
archive, its indexes and MkDocs' model of the site in memory between edits.

Left to itself, the collector runs when allocations say so, and a full collection scans
every object the process holds: half a second at 10,000 papers in the preview, seconds at
50,000, at whatever moment, a rebuild that shows a curator's edit included. So the
preview sets aside what each of its full builds made (`set_aside`) and renders an edit's
pages with the collector paused; what the collector still scans is what came since.
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
    nothing; a preview's rendering of an edit's pages is waited for, and makes little
    garbage. Not for a whole MkDocs build: its garbage, mostly cycles, grows with the site
    (hundreds of MB at 50,000 papers)."""
    enabled = gc.isenabled()
    if pause:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def set_aside() -> None:
    """Collect every object's garbage, those set aside before included, then set aside what
    is left (`gc.freeze`): the collector's later runs scan only objects made since. For
    the live preview's full builds, whose archive, indexes and model of the site mostly
    live until the next: edits replace a few of them at a time, and a replaced object is
    still freed when nothing refers to it; one in a reference cycle waits for this call."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
