"""How a document's events take their dates from one another, read through parse_text."""

from __future__ import annotations

from relations import parse_text
from relations.events import _by_sentence
from relations.matching import Match
from relations.sentences import Sentence


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


def test_items_are_grouped_by_the_sentence_holding_them_whole() -> None:
    sentences = [Sentence(0, 10, "x" * 10), Sentence(12, 20, "y" * 8)]
    inside, across, gap, second = Match(2, 5, "", 1), Match(8, 14, "", 2), Match(10, 12, "", 3), Match(12, 20, "", 4)
    # one spanning two sentences, or lying between them, belongs to none
    assert _by_sentence([inside, across, gap, second], sentences) == {0: [inside], 1: [second]}


def test_aid_without_a_money_figure_makes_no_event_and_with_one_it_does() -> None:
    # the money is read only where an aid word asks for it
    base = "Japan and Laos\nJapan will provide aid to Laos"
    assert not [r for r in events(base + ".") if r["event_type"] == "aid"]
    aid = [r for r in events(base + " worth 5 million USD.") if r["event_type"] == "aid"]
    assert aid and aid[0]["amount"] == 5e6 and aid[0]["currency"] == "USD"


def test_a_sentence_naming_no_country_takes_the_report_pair_ordered_as_its_type_wants() -> None:
    # the report's pair, Vietnam its more salient side: a signing has no direction, so the contract's alphabetical order
    rows = events(
        "Hanoi welcomes Lao leader\n"
        "Vietnam and Vietnamese officials welcomed the Lao president in Hanoi. Vietnam hosted talks. "
        "On 12 March 2024 the two sides signed seven cooperation documents."
    )
    signing = [r for r in rows if r["event_type"] == "signing"]
    assert [(r["country_a"], r["country_b"], r["count"]) for r in signing] == [("LAO", "VNM", 7)]
