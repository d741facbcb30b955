"""The parallel engine: any number of workers gives the same tables, in input order, lazily."""

from __future__ import annotations

import itertools
import operator
import os
import threading
from pathlib import Path

import pandas as pd
from corpus import write_corpus

from relations import engine, parse


def test_two_workers_give_the_same_tables_as_one(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "corpus", 40)
    one = parse(folder, workers=1)
    two = parse(folder, workers=2)
    assert len(one.documents) == 47 and len(one.events) > 100
    assert set(one.documents["status"]) == {"parsed", "rejected"}
    pd.testing.assert_frame_equal(one.events, two.events)
    pd.testing.assert_frame_equal(one.documents, two.documents)


def test_results_come_back_in_input_order_with_little_in_flight() -> None:
    # an endless input: only a map that submits a bounded window ahead can return
    first = list(itertools.islice(engine.ordered_map(operator.neg, itertools.count(), workers=2), 200))
    assert first == [-i for i in range(200)]


def test_a_process_running_threads_starts_its_workers_from_a_fork_server() -> None:
    stop = threading.Event()
    busy = threading.Thread(target=stop.wait)
    busy.start()
    try:
        assert engine._context().get_start_method() == "forkserver"
        assert list(engine.ordered_map(operator.neg, range(50), workers=2)) == [-i for i in range(50)]
    finally:
        stop.set()
        busy.join()
    assert engine._context().get_start_method() == "fork"


def test_one_worker_runs_in_this_process() -> None:
    assert set(engine.ordered_map(lambda _: os.getpid(), range(5), workers=1)) == {os.getpid()}


def test_chunks_cover_the_input_once() -> None:
    assert list(engine.chunked(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
