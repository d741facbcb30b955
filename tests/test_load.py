"""The load test, small: a few concurrent browser sessions open, filter and download with zero errors.

benchmarks/load_test.py (``make load``) runs the same with 20 sessions and
records the latencies in RELIABILITY.md; this keeps it working in ``make test``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import load_test

pytestmark = pytest.mark.browser


def test_concurrent_sessions_open_filter_and_download_without_errors():
    if not Path(load_test.CHROMIUM).exists():
        pytest.fail(f"{load_test.CHROMIUM} is missing: install Debian's chromium with `make browser`")

    report = load_test.run(sessions=2, budget=120)

    assert report["errors"] == []
    assert report["completed"] == 2
    for step in load_test.STEPS:
        assert report["steps"][step]["n"] == 2, step
        assert 0 < report["steps"][step]["p50_s"] <= report["steps"][step]["p95_s"] < 120
    assert 0 < report["cpu_s"]["server"] < report["cpu_s"]["machine"], "who spent the CPU: the server or the browsers"
    assert "download" in load_test.table(report) and "CPU seconds: server" in load_test.table(report)


def test_a_session_cut_short_by_the_budget_says_how_far_it_got():
    assert load_test.unfinished(3, {"open": 1.0}, 600) == {
        "session": 3,
        "times": {"open": 1.0},
        "error": "filter: not finished within the 600 s budget",
    }
