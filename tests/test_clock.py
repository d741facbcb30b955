"""No date comes from today: the same input gives the same rows in any year."""

from __future__ import annotations

import datetime as dt

import pandas.testing as pdt
import time_machine

import relations


def test_extract_gives_the_same_rows_with_the_clock_years_ahead(seeds_dir):
    now = relations.extract(seeds_dir)
    with time_machine.travel(dt.datetime(2041, 7, 4, 12, 0, tzinfo=dt.UTC), tick=False):
        assert dt.date.today().year == 2041  # the clock really moved
        later = relations.extract(seeds_dir)
    pdt.assert_frame_equal(now, later)


def test_a_yearless_date_without_evidence_stays_unknown():
    text = "The Lao and Vietnamese foreign ministers held talks on September 30 in the capital."
    result = relations.parse_text("note.txt", text, language="en")
    assert [(r["event_type"], r["date_precision"], r["date_start"]) for r in result.events] == [("meeting", "unknown", None)]
