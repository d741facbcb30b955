"""Merging the mentions of one real event: the rules on hand-made rows, and a corpus of invented reports."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relations
from relations.cli import main
from relations.merge import MERGED_COLUMNS, merged_events, merged_ids, with_merged_ids
from relations.schema import EVENT_COLUMNS, events_frame, validate_events

CORPUS = Path(__file__).resolve().parent / "merge_corpus"


def mention(event_id: str, **changes) -> dict:
    row = {
        "event_id": event_id,
        "doc_id": f"{event_id}.txt",
        "event_type": "visit",
        "country_a": "SWE",
        "country_b": "VNM",
        "pair": "SWE-VNM",
        "date_start": "2025-03-10",
        "date_end": None,
        "date_precision": "day",
        "status": "occurred",
        "amount": None,
        "currency": None,
        "count": None,
        "location": None,
        "language": "en",
        "sentence": "The prime minister visited Vietnam.",
        "char_start": 0,
        "char_end": 35,
    }
    return row | changes


def groups(*rows: dict) -> list[set[str]]:
    """The event ids merged together, as a list of sets (order-free)."""
    frame = events_frame(rows)
    ids = merged_ids(frame)
    by_key: dict[str, set[str]] = {}
    for event_id, key in zip(frame["event_id"], ids, strict=True):
        by_key.setdefault(key, set()).add(event_id)
    return sorted(by_key.values(), key=sorted)


def month(event_id: str, first_day: str, **changes) -> dict:
    return mention(event_id, date_start=first_day, date_precision="month", **changes)


def undated(event_id: str, **changes) -> dict:
    return mention(event_id, date_start=None, date_precision="unknown", **changes)


# --------------------------------------------------------------------------- rules


def test_overlapping_day_spans_are_one_event_and_a_day_inside_a_span_joins_it():
    assert groups(
        mention("span", date_start="2025-03-10", date_end="2025-03-12"),
        mention("inside", date_start="2025-03-11"),
        mention("overlap", date_start="2025-03-12", date_end="2025-03-13"),
    ) == [{"inside", "overlap", "span"}]


def test_separate_days_are_separate_events():
    assert groups(mention("march", date_start="2025-03-10"), mention("april", date_start="2025-04-14")) == [{"april"}, {"march"}]


def test_type_pair_and_direction_must_agree():
    assert groups(
        mention("visit"),
        mention("back", country_a="VNM", country_b="SWE"),
        mention("talks", event_type="meeting"),
        mention("other", country_b="LAO", pair="LAO-SWE"),
    ) == [{"back"}, {"other"}, {"talks"}, {"visit"}]


def test_a_month_joins_the_one_event_inside_it():
    assert groups(mention("day"), month("month", "2025-03-01")) == [{"day", "month"}]


def test_a_month_never_glues_two_events_together():
    assert groups(mention("early", date_start="2025-03-03"), mention("late", date_start="2025-03-24"), month("march", "2025-03-01")) == [
        {"early"},
        {"late"},
        {"march"},
    ]


def test_the_place_tells_which_event_a_coarse_report_belongs_to():
    rows = (
        mention("hanoi", date_start="2025-03-03", location="Hà Nội"),
        mention("hue", date_start="2025-03-24", location="Hue"),
        month("march", "2025-03-01", location="Ha Noi"),
    )
    assert groups(*rows) == [{"hanoi", "march"}, {"hue"}]


def test_months_and_years_without_a_finer_report_merge_by_period():
    assert groups(
        month("march", "2025-03-01"),
        month("march-again", "2025-03-01"),
        month("may", "2025-05-01"),
        mention("year", date_start="2025-01-01", date_precision="year"),
    ) == [{"march", "march-again"}, {"may"}, {"year"}]


def test_an_undated_report_joins_the_only_event_of_its_block():
    assert groups(mention("dated"), undated("undated")) == [{"dated", "undated"}]


def test_an_undated_report_never_glues_two_dated_events():
    assert groups(mention("march", date_start="2025-03-10"), mention("april", date_start="2025-04-14"), undated("undated")) == [
        {"april"},
        {"march"},
        {"undated"},
    ]


def test_undated_reports_with_nothing_dated_are_one_event():
    assert groups(undated("one"), undated("two")) == [{"one", "two"}]


def test_aid_merges_within_the_amount_tolerance_and_never_across_currencies():
    def aid(event_id: str, amount: float, currency: str) -> dict:
        return mention(event_id, event_type="aid", country_a="JPN", pair="JPN-VNM", amount=amount, currency=currency)

    assert groups(aid("five", 5e6, "USD"), aid("five-ish", 5.2e6, "USD"), aid("ten", 10e6, "USD"), aid("euros", 5e6, "EUR")) == [
        {"euros"},
        {"five", "five-ish"},
        {"ten"},
    ]


def test_merged_id_is_stable_when_a_less_precise_report_joins():
    before = merged_ids(events_frame([mention("agency", date_end="2025-03-12")]))
    after = merged_ids(events_frame([mention("agency", date_end="2025-03-12"), month("late", "2025-03-01"), undated("later")]))
    assert set(after) == set(before)


def test_merged_id_does_not_depend_on_row_order():
    rows = [mention("a", date_end="2025-03-12"), mention("b", date_start="2025-03-11"), month("c", "2025-03-01")]
    forward = dict(zip("abc", merged_ids(events_frame(rows)), strict=True))
    backward = dict(zip("cba", merged_ids(events_frame(rows[::-1])), strict=True))
    assert forward == backward


def test_the_most_precise_report_gives_the_date_and_conflicts_stay_visible():
    frame = events_frame(
        [
            month("coarse", "2025-03-01", language="fr"),
            mention("span", date_start="2025-03-10", date_end="2025-03-12", language="sv", location="Hanoi"),
            mention("other", date_start="2025-03-12", date_end="2025-03-13", language="en", doc_id="span.txt"),
        ]
    )
    (event,) = merged_events(frame).to_dict("records")
    assert (event["date_start"], event["date_end"], event["date_precision"]) == ("2025-03-12", "2025-03-13", "day")
    assert event["conflicts"] == "date: 2025-03-12–2025-03-13 / 2025-03-10–2025-03-12"
    assert event["n_sources"] == 2, "two documents, whatever the number of mentions"
    assert (event["doc_ids"], event["languages"]) == ("span.txt; coarse.txt", "en; sv; fr"), "the lead's source first"
    assert sorted(event["event_ids"].split("; ")) == ["coarse", "other", "span"]
    assert event["location"] == "Hanoi"


def test_a_report_that_it_happened_outweighs_one_that_it_would():
    frame = events_frame([mention("before", status="planned"), mention("after")])
    assert merged_events(frame)["status"].tolist() == ["occurred"]


def test_the_mention_table_keeps_the_contract_first_and_validates():
    frame = with_merged_ids(events_frame([mention("a"), mention("b")]))
    assert list(frame.columns) == [*EVENT_COLUMNS, "merged_id"]
    validate_events(frame)
    assert frame["merged_id"].nunique() == 1


def test_an_empty_table_merges_to_an_empty_table():
    merged = merged_events(events_frame([]))
    assert merged.empty and list(merged.columns) == list(MERGED_COLUMNS)


# --------------------------------------------------------------------------- any table


@st.composite
def reports(draw: st.DrawFn, event_id: str) -> dict:
    """A mention of few enough types, countries, days, amounts and places that blocks and events form."""
    kind = draw(st.sampled_from(["visit", "meeting", "aid"]))
    a, b = draw(st.sampled_from([("SWE", "VNM"), ("VNM", "SWE"), ("JPN", "VNM")]))
    if kind == "meeting":
        a, b = sorted((a, b))  # no direction: the contract's alphabetical order
    day = pd.Timestamp("2025-03-01") + pd.Timedelta(days=draw(st.integers(0, 40)))
    precision = draw(st.sampled_from(["day", "day", "month", "year", "unknown"]))
    start = {"day": day, "month": day.replace(day=1), "year": day.replace(month=1, day=1), "unknown": None}[precision]
    length = draw(st.integers(0, 3)) if precision == "day" else 0
    return mention(
        event_id,
        event_type=kind,
        country_a=a,
        country_b=b,
        pair="-".join(sorted((a, b))),
        date_start=start and start.strftime("%Y-%m-%d"),
        date_end=(start + pd.Timedelta(days=length)).strftime("%Y-%m-%d") if length else None,
        date_precision=precision,
        amount=draw(st.sampled_from([None, 5e6, 5.2e6, 10e6])) if kind == "aid" else None,
        currency=draw(st.sampled_from([None, "USD", "EUR"])) if kind == "aid" else None,
        location=draw(st.sampled_from([None, "Hà Nội", "ha noi", "Hue"])),
    )


tables = st.integers(0, 15).flatmap(lambda n: st.tuples(*(reports(f"e{i}") for i in range(n)))).map(events_frame)


def ids_by_event(frame: pd.DataFrame) -> dict[str, str]:
    return dict(zip(frame["event_id"], merged_ids(frame), strict=True))


@settings(max_examples=60, deadline=None)
@given(frame=tables, shuffle=st.randoms())
def test_merged_ids_depend_neither_on_row_order_nor_on_other_blocks(frame, shuffle):
    ids = ids_by_event(frame)
    assert ids_by_event(frame.iloc[shuffle.sample(range(len(frame)), len(frame))]) == ids
    some_blocks = frame[frame["country_a"] == "SWE"]
    assert ids_by_event(some_blocks) == {e: ids[e] for e in some_blocks["event_id"]}


@settings(max_examples=60, deadline=None)
@given(frame=tables)
def test_an_event_is_named_by_one_of_its_reports_as_that_report_would_be_on_its_own(frame):
    own = {event_id: merged_ids(frame.iloc[[i]])[0] for i, event_id in enumerate(frame["event_id"])}
    events: dict[str, list[str]] = {}
    for event_id, key in ids_by_event(frame).items():
        events.setdefault(key, []).append(event_id)
    for key, members in events.items():
        # a report left on its own (it overlaps several events) is named by its event_id instead
        assert key in {own[m] for m in members} or len(members) == 1


# --------------------------------------------------------------------------- the corpus


@pytest.fixture(scope="module")
def corpus() -> relations.Extraction:
    return relations.parse(sorted(CORPUS.glob("*.txt")))


def expected_groups() -> dict[tuple[str, str], int]:
    data = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
    return {tuple(m): n for n, event in enumerate(data["events"]) for m in event["mentions"]}


def pairwise_scores(predicted: dict, expected: dict) -> tuple[float, float]:
    """Precision and recall over pairs of mentions put in one event."""
    same_predicted = {frozenset(p) for p in combinations(predicted, 2) if predicted[p[0]] == predicted[p[1]]}
    same_expected = {frozenset(p) for p in combinations(expected, 2) if expected[p[0]] == expected[p[1]]}
    hits = len(same_predicted & same_expected)
    return hits / max(len(same_predicted), 1), hits / max(len(same_expected), 1)


def test_the_corpus_is_read_as_written(corpus):
    events = corpus.events
    assert (corpus.documents["status"] == "parsed").all()
    assert {"en", "fr", "sv", "es", "pt", "de", "it"} <= set(events["language"])
    assert sorted(zip(events["doc_id"], events["event_type"], strict=True)) == sorted(expected_groups())


def test_the_corpus_groups_as_expected_with_pairwise_precision_and_recall_of_at_least_095(corpus):
    events = corpus.events
    predicted = {(d, t): m for d, t, m in zip(events["doc_id"], events["event_type"], events["merged_id"], strict=True)}
    precision, recall = pairwise_scores(predicted, expected_groups())
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)


def test_the_look_alikes_stay_apart(corpus):
    ids = dict(zip(corpus.events["doc_id"], corpus.events["merged_id"], strict=True))
    assert ids["en_agency_visit.txt"] != ids["en_second_visit.txt"], "two visits a month apart"
    assert ids["en_aid_pledge.txt"] != ids["en_aid_delivery.txt"], "a pledge and its delivery"


def test_one_row_per_event_with_its_sources(corpus):
    merged = relations.events(corpus.events)
    assert len(merged) == 5 and list(merged.columns) == list(MERGED_COLUMNS)
    state_visit = merged[merged["date_end"] == "2025-03-12"].iloc[0]
    assert state_visit["n_sources"] == 5
    assert set(state_visit["languages"].split("; ")) == {"en", "fr", "sv", "es", "pt"}
    assert (state_visit["date_start"], state_visit["date_precision"]) == ("2025-03-10", "day"), "the month report does not override"
    pledge = merged[(merged["event_type"] == "aid") & (merged["date_start"] == "2025-05-02")].iloc[0]
    assert pledge["conflicts"] == "amount: 5,000,000 USD / 5,200,000 USD"


def test_events_reads_paths_as_well_as_tables(corpus):
    from_paths = relations.events(sorted(CORPUS.glob("*.txt")))
    pd.testing.assert_frame_equal(from_paths, relations.events(corpus.events))


def test_the_command_line_writes_merged_events(tmp_path, capsys):
    target = tmp_path / "merged.csv"
    assert main(["extract", *map(str, sorted(CORPUS.glob("*.txt"))), "--output", str(target), "--merged"]) == 0
    written = pd.read_csv(target)
    assert list(written.columns) == list(MERGED_COLUMNS) and len(written) == 5
    assert "5 merged events" in capsys.readouterr().out
