"""Spread a large batch of pure work over the machine's cores, in forked processes.

Why fork: the children start with the parent's loaded archive, indexes and render plans
already in memory (copy-on-write), so only the work's small results are pickled back. The
work must not depend on other threads, since a forked child has only the calling one; so
children are forked before the parent starts any thread of its own, and callers pass
`workers=1` where other threads may hold locks (the live preview's server).

Invariant: the result is what `[work(share) for share in shares]` would return, in order,
and an exception in any share is raised here, so callers need not know work was split.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

MIN_ITEMS_PER_WORKER = 500
"""Below this, forking (tens of ms) costs more than a second core saves."""


def worker_count(items: int, limit: int | None = None) -> int:
    """Return how many processes `items` pieces of work are worth on this machine."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, limit or cores or 1, items // MIN_ITEMS_PER_WORKER))


def split(items: Sequence[Item], parts: int) -> list[list[Item]]:
    """Deal `items` into `parts` interleaved shares, so large and small pieces mix evenly."""
    return [list(items[part::parts]) for part in range(parts)]


def map_forked(work: Callable[[Item], Result], shares: Sequence[Item]) -> list[Result]:
    """Return `[work(share) for share in shares]`, the first share here, the others forked."""
    with contextlib.ExitStack() as children:
        # Bound now: a lambda closing over the loop variable would see only the last share.
        waits = [children.enter_context(forked(functools.partial(work, s))) for s in shares[1:]]
        results = [work(shares[0])] if shares else []
        return results + [wait() for wait in waits]


@contextlib.contextmanager
def forked(work: Callable[[], Result]) -> Iterator[Callable[[], Result]]:
    """Run `work()` in a forked child while the `with` block goes on; yield a function
    that waits for its result. Leaving the block stops a child whose result went unread."""
    if not hasattr(os, "fork"):
        result = work()
        yield lambda: result
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_run_child, args=(work, sender), daemon=True)
    child.start()
    sender.close()
    try:
        yield lambda: _receive(child, receiver)
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _run_child(work: Callable[[], Result], sender: Connection) -> None:
    try:
        outcome: tuple[bool, object] = (True, work())
    except BaseException as error:  # handed to the parent, which raises it
        outcome = (False, error)
    try:
        sender.send(outcome)
    except Exception as error:  # an exception or result pickle cannot carry: say what it was
        sender.send((False, ChildProcessError(f"a worker's outcome could not be sent: {error}")))
    sender.close()


def _receive(child: multiprocessing.process.BaseProcess, receiver: Connection) -> Result:
    try:
        succeeded, value = receiver.recv()
    except EOFError:
        child.join()
        raise ChildProcessError(
            f"a worker process died (exit code {child.exitcode}) before finishing its share"
        ) from None
    if not succeeded:
        raise value  # type: ignore[misc]
    return value  # type: ignore[return-value]
