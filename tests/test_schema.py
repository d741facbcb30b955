"""relations.schema: the contract's two tables, built typed and checked where they leave the package."""

from __future__ import annotations

import pandas as pd
import pytest

from relations.schema import (
    DOCUMENT_COLUMNS,
    EVENT_COLUMNS,
    SchemaError,
    documents_frame,
    events_frame,
    validate_documents,
    validate_events,
)

SENTENCE = "Vietnamese President Tran Van Minh paid a state visit to Laos from 10 to 12 March 2023."


def visit(**changes) -> dict:
    """One valid event record; ``changes`` make it invalid in one way."""
    row = {
        "event_id": "e1",
        "doc_id": "asia/laos.txt",
        "event_type": "visit",
        "country_a": "VNM",
        "country_b": "LAO",
        "pair": "LAO-VNM",
        "date_start": "2023-03-10",
        "date_end": "2023-03-12",
        "date_precision": "day",
        "status": "occurred",
        "amount": None,
        "currency": None,
        "count": None,
        "location": "Vientiane",
        "language": "en",
        "sentence": SENTENCE,
        "char_start": 0,
        "char_end": len(SENTENCE),
    }
    return row | changes


def aid(**changes) -> dict:
    return (
        visit(
            event_id="e2",
            event_type="aid",
            country_a="JPN",
            country_b="PHL",
            pair="JPN-PHL",
            date_start="2022-05-01",
            date_end=None,
            date_precision="month",
            amount=16_500_000_000.0,
            currency="JPY",
            location=None,
            sentence="Japan will provide 16.5 billion yen to the Philippines in May 2022.",
            char_start=90,
            char_end=157,
        )
        | changes
    )


def doc(**changes) -> dict:
    row = {"doc_id": "asia/laos.txt", "language": "en", "published": "2023-03-12", "n_events": 2, "status": "parsed", "reason": None}
    return row | changes


# --- building the tables -------------------------------------------------------


def test_events_frame_builds_the_typed_table_in_contract_order():
    frame = events_frame([visit(), aid(count=None)])

    assert list(frame.columns) == list(EVENT_COLUMNS)
    assert frame.dtypes.astype(str).to_dict() == EVENT_COLUMNS
    assert frame["amount"].tolist() == [pd.NA, 16_500_000_000.0]
    assert frame["date_end"].isna().tolist() == [False, True]
    assert frame.loc[0, "char_end"] == len(SENTENCE)


def test_events_frame_accepts_records_with_missing_optional_fields_and_fills_them_empty():
    row = visit()
    for optional in ("amount", "currency", "count", "location", "date_end"):
        del row[optional]

    frame = events_frame([row])

    assert frame[["amount", "currency", "count", "location", "date_end"]].isna().all(axis=None)


def test_an_empty_events_table_still_has_the_contract_columns():
    frame = events_frame([])

    assert frame.empty
    assert frame.dtypes.astype(str).to_dict() == EVENT_COLUMNS


def test_an_undated_event_has_unknown_precision_and_no_dates():
    frame = events_frame([visit(date_start=None, date_end=None, date_precision="unknown")])

    assert frame.loc[0, "date_precision"] == "unknown"
    assert frame["date_start"].isna().all()


def test_documents_frame_builds_the_typed_table():
    frame = documents_frame(
        [
            doc(),
            doc(doc_id="blank.txt", language=None, published=None, n_events=0, status="empty", reason="no text"),
            doc(doc_id="photo.txt", language=None, published=None, n_events=0, status="rejected", reason="not text: a PNG image"),
        ]
    )

    assert list(frame.columns) == list(DOCUMENT_COLUMNS)
    assert frame.dtypes.astype(str).to_dict() == DOCUMENT_COLUMNS
    assert frame["status"].tolist() == ["parsed", "empty", "rejected"]
    assert frame["n_events"].sum() == 2


# --- what validate_events rejects ------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([visit(event_type="state visit")], "unknown event_type"),
        ([visit(country_b="LA")], "country_b is not ISO alpha-3"),
        ([visit(country_a="vnm", pair="LAO-vnm")], "country_a is not ISO alpha-3"),
        ([visit(country_a="Vietnam")], "country_a is not ISO alpha-3"),
        ([visit(country_b="VNM", pair="VNM-VNM")], "two different countries"),
        ([visit(pair="VNM-LAO")], "pair is not the sorted codes"),
        ([visit(pair="LAO_VNM")], "pair is not the sorted codes"),
        ([visit(pair="KHM-VNM")], "pair is not the sorted codes"),
        ([visit(date_precision="unknown")], "date_start must be empty exactly when precision is unknown"),
        ([visit(date_start=None, date_end=None)], "date_start must be empty exactly when precision is unknown"),
        ([visit(date_precision="week")], "unknown date_precision"),
        ([visit(date_start="10/03/2023")], "date_start is not an ISO date"),
        ([visit(date_start="2023-03-12", date_end="2023-03-10")], "date_end before date_start"),
        ([visit(status="rumoured")], "unknown status"),
        ([visit(sentence="")], "evidence sentence"),
        ([visit(char_start=10, char_end=10)], "evidence offsets are empty"),
        ([visit(), aid(event_id="e1")], "event_id is not unique"),
        ([visit(event_type="meeting")], "a meeting or signing has no direction"),
        ([visit(event_type="signing")], "a meeting or signing has no direction"),
    ],
    ids=[
        "unknown-event-type",
        "two-letter-code",
        "lower-case-code",
        "country-name",
        "same-country-twice",
        "pair-not-sorted",
        "pair-bad-separator",
        "pair-of-other-countries",
        "unknown-precision-with-a-date",
        "precision-without-a-date",
        "unknown-precision-name",
        "date-not-iso",
        "end-before-start",
        "unknown-status",
        "empty-sentence",
        "empty-offsets",
        "duplicate-event-id",
        "meeting-in-reverse-order",
        "signing-in-reverse-order",
    ],
)
def test_events_frame_rejects(rows, message):
    with pytest.raises(SchemaError, match=message):
        events_frame(rows)


def test_the_error_names_how_many_rows_and_shows_the_first():
    good, bad = visit(), aid(event_type="loan")

    with pytest.raises(SchemaError) as err:
        events_frame([good, bad, aid(event_id="e3", event_type="loan")])

    assert "unknown event_type: 2 row(s)" in str(err.value)
    assert "'event_id': 'e2'" in str(err.value)


def test_validate_events_checks_a_frame_built_elsewhere():
    frame = events_frame([visit(), aid()])
    validate_events(frame)  # a valid table passes silently

    edited = frame.copy()
    edited.loc[1, "country_b"] = "JPN"
    with pytest.raises(SchemaError, match="two different countries"):
        validate_events(edited)

    renamed = frame.rename(columns={"pair": "dyad"})
    with pytest.raises(SchemaError, match="columns differ from the contract"):
        validate_events(renamed)


def test_extra_columns_after_the_contract_ones_are_welcome():
    frame = events_frame([visit()])
    frame["confidence"] = 0.9

    validate_events(frame)


def test_a_schema_error_is_a_value_error():
    with pytest.raises(ValueError):
        events_frame([visit(event_type="")])


# --- what validate_documents rejects -------------------------------------------------


def test_a_rejected_document_needs_a_reason():
    for reason in (None, ""):
        with pytest.raises(SchemaError, match="a rejected document needs a reason"):
            documents_frame([doc(status="rejected", n_events=0, reason=reason)])


def test_a_rejected_document_has_no_events():
    with pytest.raises(SchemaError, match="a rejected document has no events"):
        documents_frame([doc(status="rejected", reason="too large")])


def test_a_document_status_is_one_of_three():
    with pytest.raises(SchemaError, match="unknown document status"):
        documents_frame([doc(status="skipped")])


def test_validate_documents_checks_a_frame_built_elsewhere():
    frame = documents_frame([doc(), doc(doc_id="photo.txt", n_events=0, status="rejected", reason="not text: a PNG image")])
    validate_documents(frame)

    frame.loc[1, "reason"] = pd.NA
    with pytest.raises(SchemaError, match="needs a reason"):
        validate_documents(frame)


@pytest.mark.parametrize(
    "row",
    [
        visit(date_end="2023-3-12"),
        visit(date_end="2023-03-12T00:00"),
        visit(date_start="2023-02-30", date_end=None),
        visit(date_start="2023-03-10", date_end=None, date_precision="month"),
        visit(date_start="2023-03-01", date_end=None, date_precision="year"),
    ],
    ids=["end-not-zero-padded", "end-with-time", "impossible-day", "month-not-on-the-first", "year-not-on-january-first"],
)
def test_events_frame_rejects_dates_the_contract_does_not_allow(row):
    with pytest.raises(SchemaError):
        events_frame([row])
