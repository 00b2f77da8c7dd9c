"""Work shared among forked processes (generator/parallel.py): same results, same errors,
and a generate run that forks writes the same bytes as one that does not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator import parallel
from generator.parallel import map_forked, split, worker_count
from generator.pipeline import generate, load_project
from tests.conftest import copy_project
from tests.test_incremental import generated

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork() on this platform")


def test_split_deals_items_in_turn_and_keeps_every_one() -> None:
    assert split(list(range(7)), 3) == [[0, 3, 6], [1, 4], [2, 5]]
    assert split([], 2) == [[], []]


def test_worker_count_is_one_for_small_batches_and_never_above_the_limit() -> None:
    assert worker_count(parallel.MIN_ITEMS_PER_WORKER - 1) == 1
    assert worker_count(10**6, limit=1) == 1
    assert 1 <= worker_count(10**6) <= (os.cpu_count() or 1)


@needs_fork
def test_results_come_back_in_the_order_of_the_shares() -> None:
    shares = [[1, 2], [3], [4, 5, 6]]
    results = map_forked(lambda share: (os.getpid(), sum(share)), shares)
    assert [total for _, total in results] == [3, 3, 15]
    assert results[0][0] == os.getpid()  # the first share is done here
    assert len({pid for pid, _ in results}) == 3  # the others in children


@needs_fork
def test_an_exception_in_a_child_is_raised_in_the_parent() -> None:
    def work(share: int) -> int:
        if share == 2:
            raise FileNotFoundError(f"share {share} missing")
        return share

    with pytest.raises(FileNotFoundError, match="share 2 missing"):
        map_forked(work, [1, 2])


@needs_fork
def test_a_child_that_dies_is_reported() -> None:
    def work(share: int) -> int:
        if share:
            os._exit(3)
        return share

    with pytest.raises(ChildProcessError, match="exit code 3"):
        map_forked(work, [0, 1])


@needs_fork
def test_a_result_that_cannot_be_pickled_is_reported() -> None:
    with pytest.raises(ChildProcessError, match="could not be sent"):
        map_forked(lambda share: lambda: share, [0, 1])


@needs_fork
def test_generating_in_several_processes_writes_what_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone, shared = copy_project(tmp_path / "alone"), copy_project(tmp_path / "shared")
    generate(load_project(alone), workers=1)
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda _: {0, 1, 2}, raising=False)
    result = generate(load_project(shared), workers=None)
    assert generated(shared) == generated(alone)
    assert len(result.report.written) == len(generated(alone))
    assert len(result.archive.papers) == len(list((alone / "papers").glob("*.yaml"))) - 1
