"""Incremental generation: each stage's work reused from the last run where its inputs are
the same, so an edit redoes only what it changes.

The one place that knows the cache (cache.py): every key, digest and reuse decision is
here, around the pure stages, which know nothing of it. `stages.py` wraps each stage,
`memos.py` keeps per-paper exports and page keys, and `first_look.py` is the live
preview's first look at an edit. Invariant: a run with the cache writes the same bytes as
one without (tests/test_incremental.py edits every field of `Paper`, the vocabulary and a
hand-written page, and compares); a first look is followed by a run that does. What other
pages show of a paper (`shown_in_lists`) and what the indexes read of it
(`indexed_fields`) are listed with the page keys (pagekeys.py) and held to that test.
"""

from generator.cache import CACHE_FILE, GenerateCache
from generator.incremental.stages import Incremental, open_cache, save_cache

__all__ = ["CACHE_FILE", "GenerateCache", "Incremental", "open_cache", "save_cache"]
