"""When Python's cyclic garbage collector runs, in the two long-lived workloads that make
millions of objects: a `generate` run, and the live preview, whose process keeps the
archive, its indexes and MkDocs' model of the site in memory between edits.

Left to itself, the collector runs when allocations say so, and a full collection scans
every object the process holds: half a second at 10,000 papers in the preview, seconds at
50,000, at whatever moment, a rebuild that shows a curator's edit included. So the
preview runs each rebuild with the collector paused but for a whole MkDocs build, and
afterwards sets aside (`set_aside`) what lives on; what the collector still scans, when
it runs between rebuilds, is what came since.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def switched(on: bool) -> Iterator[None]:
    """Run the block with the collector on or off (`on`), and as it was before after it.

    Off while generating: it makes hundreds of thousands of objects that live to the end
    and almost no cycles, so collecting during it would scan the growing heap again and
    again for nothing. Off for a preview's rebuild, which is waited for. On for a whole
    MkDocs build, even inside a paused rebuild: its garbage, mostly cycles, grows with the
    site (hundreds of MB at 50,000 papers)."""
    enabled = gc.isenabled()
    (gc.enable if on else gc.disable)()
    try:
        yield
    finally:
        (gc.enable if enabled else gc.disable)()


def set_aside(everything: bool) -> None:
    """Collect the garbage, then set aside what is left (`gc.freeze`): the collector's
    later runs scan only objects made since. With `everything`, what was set aside before
    is collected too: for the preview's full builds, whose model of the site replaces the
    last. Without, only what came since the last setting aside: for a preview run that
    built its indexes again, millions of objects that live until the next such run. An
    object set aside is still freed when nothing refers to it; one in a reference cycle
    waits for the next full build."""
    if everything:
        gc.unfreeze()
    gc.collect()
    gc.freeze()
