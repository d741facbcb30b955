"""Shared by the benchmarks: a noise-resistant timer."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def median_seconds(action: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``repeat`` runs: one slow run on a shared machine does not move it."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def app_seconds(data: Path, pairs: tuple[str, ...], repeat: int) -> dict[str, float]:
    """Server time of the dashboard (AppTest) on ``data``: first render, then a filter change."""
    from streamlit.testing.v1 import AppTest

    os.environ["RELATIONS_DATA"] = str(data)
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    start = time.perf_counter()
    app.run()
    first = time.perf_counter() - start
    if app.exception:
        raise RuntimeError(app.exception[0].message)
    changes = []
    for i in range(repeat):  # alternate two pairs: every run is a real change
        app.multiselect(key="pairs").set_value([pairs[i % 2]])
        start = time.perf_counter()
        app.run()
        changes.append(time.perf_counter() - start)
    return {"app: first render": first, "app: filter change": statistics.median(changes)}
