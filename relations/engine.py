"""The parallel engine: documents in, results out, on every core, in input order.

``extract`` and ``ingest`` both go through ``ordered_map``. Work is sent in
chunks (one task per document would spend more time pickling than parsing)
and at most a few chunks per worker are in flight, so memory stays flat however
long the input is. Results come back in input order, so the output of a run
does not depend on which worker was fastest.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from itertools import islice
from typing import TypeVar

from . import documents, extract

T = TypeVar("T")
R = TypeVar("R")

# documents parsed language by language (parse_chunk); their text is held meanwhile, hence a bound on it too
WINDOW_DOCUMENTS = 256
WINDOW_CHARACTERS = 4_000_000
# documents per task: a window, a third of a second of parsing, against a few ms of pickling
CHUNK = WINDOW_DOCUMENTS
IN_FLIGHT_PER_WORKER = 4  # enough queued work that no worker waits for the parent


def default_workers() -> int:
    """All the cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _context() -> multiprocessing.context.BaseContext:
    # a forked worker starts at once with everything this process has loaded (the
    # language data above all), but forking a process that runs threads (a
    # dashboard, a Dask client) can deadlock the child: then a fork server
    if threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["relations.extract"])
    return ctx


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _die_with_parent() -> None:
    """Pool initializer: a worker ends when the process that started it ends.

    A killed ingest would otherwise leave its workers parsing on, for nobody.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def ordered_map(func: Callable[[T], R], items: Iterable[T], *, workers: int | None = None) -> Iterator[R]:
    """``map(func, items)`` over a process pool, lazily, results in input order.

    ``func`` must be picklable (a module-level function or a partial of one).
    With one worker everything runs in this process: no pool, no pickling.
    """
    workers = workers or default_workers()
    if workers <= 1:
        yield from map(func, items)
        return
    pending: deque[Future[R]] = deque()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_die_with_parent)
    try:
        for item in items:
            pending.append(pool.submit(func, item))
            if len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        # a consumer that stops early (or an error) must not wait for queued work
        pool.shutdown(wait=True, cancel_futures=True)


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    source = iter(items)
    while chunk := list(islice(source, size)):
        yield chunk


def parse_chunk(
    chunk: list[documents.Input],
    max_bytes: int = documents.MAX_BYTES,
    language: str | None = None,
    time_limit: float | None = None,
) -> list[extract.DocumentResult]:
    """Load and parse some documents, results in the chunk's order; runs in a worker, whose language data stays loaded.

    They are parsed a window at a time (``extract.parse_window``): in an order that keeps one
    language's data in the processor's caches.
    """
    limit = extract.TIME_LIMIT if time_limit is None else time_limit
    return [result for window in _windows(chunk, max_bytes) for result in extract.parse_window(window, language, limit)]


def _windows(chunk: list[documents.Input], max_bytes: int) -> Iterator[list[documents.Loaded]]:
    """The chunk's documents loaded, a window at a time: so many documents, or so much text, whichever comes first."""
    window: list[documents.Loaded] = []
    size = 0
    for item in chunk:
        window.append(documents.load(item, max_bytes))
        size += len(window[-1].text or "")
        if len(window) == WINDOW_DOCUMENTS or size >= WINDOW_CHARACTERS:
            yield window
            window, size = [], 0
    if window:
        yield window


def parse_inputs(
    items: Iterable[documents.Input],
    *,
    workers: int | None = None,
    max_bytes: int = documents.MAX_BYTES,
    language: str | None = None,
    time_limit: float | None = None,
) -> Iterator[extract.DocumentResult]:
    """One result per input, in input order, parsed on ``workers`` processes."""
    task = partial(parse_chunk, max_bytes=max_bytes, language=language, time_limit=time_limit)
    for results in ordered_map(task, chunked(items, CHUNK), workers=workers):
        yield from results


def dask_map(func: Callable[[T], R], items: Iterable[T], address: str) -> Iterator[R]:
    """``map(func, items)`` on the workers of a Dask cluster, results as they finish.

    At most a few tasks per worker are submitted ahead, so a long input never
    sits in the scheduler's memory. Order is not kept: use it for tasks whose
    effect (a part in a store) does not depend on it.
    """
    from distributed import Client, as_completed

    with Client(address) as client:
        ahead = max(1, len(client.scheduler_info()["workers"])) * IN_FLIGHT_PER_WORKER
        source = iter(items)
        running = as_completed([client.submit(func, item, pure=False) for item in islice(source, ahead)])
        for future in running:
            yield future.result()
            future.release()
            for item in islice(source, 1):
                running.add(client.submit(func, item, pure=False))
