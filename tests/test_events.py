"""How a document's events take their dates from one another, read through parse_text."""

from __future__ import annotations

from relations import parse_text


def events(text: str) -> list[dict]:
    return parse_text("case.txt", text, language="en").events


def test_a_meeting_told_after_a_dated_visit_takes_the_visit_date():
    rows = events(
        "Vietnam and Laos deepen ties\n"
        "Vietnamese President visited Laos on 12 March 2024. "
        "He held talks with the Lao President in Vientiane."
    )
    meeting = [r for r in rows if r["event_type"] == "meeting"]
    assert meeting and all(r["pair"] == "LAO-VNM" and r["date_start"] == "2024-03-12" for r in meeting)


def test_a_dated_visit_of_another_pair_lends_no_date():
    rows = events(
        "Vietnam, Laos and Japan\n"
        "Vietnamese President visited Laos on 12 March 2024. "
        "Japanese and Thai ministers held talks in Tokyo."
    )
    assert not [r for r in rows if r["event_type"] == "meeting" and r["pair"] != "LAO-VNM" and r["date_start"] == "2024-03-12"]

