"""The live preview's file watcher: the system's file events, filtered to real changes.
Used by `mkdocs_preview.py`.
"""

from __future__ import annotations

import watchdog.observers
from watchdog import events


class ChangesObserver(watchdog.observers.Observer):  # type: ignore[misc,valid-type]
    """The system's file events, but only those that change something: to inotify,
    opening or reading a file is an event too, and each rebuild reads the vocabulary
    and the hand-written pages, which would start the next rebuild, forever."""

    def schedule(  # type: ignore[no-untyped-def,override]
        self, event_handler, path, *, recursive=False, event_filter=None, follow_symlink=False
    ):
        return super().schedule(
            event_handler,
            path,
            recursive=recursive,
            event_filter=event_filter or CHANGES,
            follow_symlink=follow_symlink,
        )


CHANGES = [
    events.FileCreatedEvent,
    events.FileModifiedEvent,
    events.FileClosedEvent,
    events.FileMovedEvent,
    events.FileDeletedEvent,
    events.DirCreatedEvent,
    events.DirMovedEvent,
    events.DirDeletedEvent,
]
"""Every kind of event but opening and closing a file unchanged."""
