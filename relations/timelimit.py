"""A time limit on one call, so that one pathological document cannot stall a run.

It uses the POSIX interval timer, which interrupts only a process's main
thread: the command line and the workers of the process pool. Elsewhere (the
dashboard's script thread, Dask's worker threads) the call runs unbounded in
time but still bounded in work: sentences are capped in length and every scan
is linear (see ``sentences.MAX_SENTENCE``).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TimeLimitExceeded(Exception):
    """The call took longer than its limit."""


def _can_interrupt() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise TimeLimitExceeded in the block after ``seconds`` (None: no limit)."""
    if not seconds or not _can_interrupt():
        yield
        return

    def interrupt(signum, frame):
        raise TimeLimitExceeded(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
