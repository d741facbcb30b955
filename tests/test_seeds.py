"""The bundled seeds' key events, read the way a user reads the table."""

from __future__ import annotations

import pytest

import relations


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    return relations.parse(seeds_dir)


def rows(result, doc_prefix, **where):
    frame = result.events[result.events["doc_id"].str.startswith(doc_prefix)]
    for column, value in where.items():
        frame = frame[frame[column] == value]
    return frame


def test_every_seed_is_parsed(seeds):
    assert list(seeds.documents["status"]) == ["parsed"] * 5


def test_000_state_visit_to_mongolia_with_its_span(seeds):
    visit = rows(seeds, "000", event_type="visit", country_a="VNM", country_b="MNG", date_start="2024-09-30")
    assert len(visit) == 1, "one row per trip"
    assert visit.iloc[0]["date_end"] == "2024-10-01"
    assert visit.iloc[0]["date_precision"] == "day"


def test_000_aid_of_500000_usd_from_vietnam_to_mongolia(seeds):
    aid = rows(seeds, "000", event_type="aid")
    assert len(aid) == 1
    assert (aid.iloc[0]["country_a"], aid.iloc[0]["country_b"]) == ("VNM", "MNG")
    assert aid.iloc[0]["amount"] == 500_000
    assert aid.iloc[0]["currency"] == "USD"


def test_000_committee_meeting_is_planned_in_november_2024(seeds):
    planned = rows(seeds, "000", event_type="meeting", status="planned")
    assert list(planned["date_start"]) == ["2024-11-01"]
    assert list(planned["date_precision"]) == ["month"]


def test_001_state_visit_to_north_korea(seeds):
    visit = rows(seeds, "001", event_type="visit", country_a="VNM", country_b="PRK")
    assert list(zip(visit["date_start"], visit["date_end"], strict=True)) == [("2025-10-09", "2025-10-11")]


def test_002_meeting_of_lao_and_vietnamese_ministers_is_undated(seeds):
    meeting = rows(seeds, "002", event_type="meeting", pair="LAO-VNM")
    assert len(meeting) >= 1
    assert set(meeting["date_precision"]) == {"unknown"}
    assert meeting["date_start"].isna().all()


def test_004_meeting_on_26_february_published_6_march(seeds):
    doc = seeds.documents.set_index("doc_id").loc["004_5e448d6687292aab.txt"]
    assert doc["published"] == "2024-03-06"
    meeting = rows(seeds, "004", event_type="meeting", pair="LAO-VNM")
    assert "2024-02-26" in set(meeting["date_start"])


def test_every_row_carries_its_evidence(seeds, seeds_dir):
    for _, row in seeds.events.iterrows():
        text = relations.documents.load(relations.documents.Input(seeds_dir / row["doc_id"], row["doc_id"])).text
        assert text[row["char_start"] : row["char_end"]] == row["sentence"]
