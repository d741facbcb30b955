"""The dashboard's app logic, run by streamlit's AppTest: what a user sees after each action."""

from __future__ import annotations

import html
import io
import json
import re
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest, app_test

import relations
from relations import output, views
from relations.schema import EVENT_COLUMNS

APP = Path(__file__).resolve().parents[1] / "dashboard.py"
NEW_ARTICLE = b"""HANOI, March 14, 2025 - Cambodian Prime Minister Hun Manet paid an official visit to Vietnam \
from March 12 to March 13, 2025, at the invitation of Vietnamese Prime Minister Pham Minh Chinh.

During the visit, the two prime ministers held talks in Hanoi on March 12 <img src=x onerror=alert(1)>.
"""


@pytest.fixture(scope="module")
def seeds(seeds_dir) -> relations.Extraction:
    return relations.parse(seeds_dir)


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """The files behind the download buttons: file id or URL -> the function that makes them on click."""
    made: dict = {}

    class Recording(MediaFileManager):
        def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
            file_id = super().add_deferred(data_callable, mimetype, coordinates, file_name, **kwargs)
            made[file_id] = data_callable
            return file_id

        def add(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
            url = super().add(path_or_data, mimetype, coordinates, file_name, is_for_static_download)
            made[url] = lambda: path_or_data
            return url

    monkeypatch.setattr(app_test, "MediaFileManager", Recording)
    return made


@pytest.fixture
def app(monkeypatch) -> AppTest:
    monkeypatch.delenv("RELATIONS_DATA", raising=False)
    monkeypatch.setattr(sys, "argv", ["dashboard.py"])  # pytest's own arguments are not the app's
    return AppTest.from_file(str(APP), default_timeout=120)


def plain(markdown: str) -> str:
    """What a reader sees of escaped markdown."""
    return re.sub(r"\\(.)", r"\1", markdown)


def run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception[0].message if at.exception else ""
    return at


def open_tab(at: AppTest, label: str) -> AppTest:
    """A click on a tab: only the open tab's content runs (and is sent)."""
    if at.session_state["tab"] != label:
        at.session_state["tab"] = label
        run(at)
    return at


def events_table(at: AppTest) -> pd.DataFrame:
    (table,) = [d.value for d in open_tab(at, "Events").dataframe if "when" in d.value.columns]
    return table


def documents_table(at: AppTest) -> pd.DataFrame:
    (table,) = [d.value for d in open_tab(at, "Documents").dataframe if "reason" in d.value.columns]
    return table


def metric(at: AppTest, label: str) -> str:
    (value,) = [m.value for m in at.metric if m.label == label]
    return value


def download_bytes(at: AppTest, made: dict, key: str) -> bytes:
    proto = at.download_button(key=key).proto
    return made[proto.deferred_file_id or proto.url]()


def download(at: AppTest, made: dict, key: str) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(download_bytes(at, made, key)), dtype="string", keep_default_na=False)


def choose_pair(at: AppTest, label: str, code: str) -> AppTest:
    pairs = at.multiselect(key="pairs")
    assert label in pairs.options
    pairs.set_value([code])
    return run(at)


def test_default_load_shows_the_seeds_events(app, seeds):
    run(app)
    assert metric(app, "Events") == f"{len(seeds.events):,}"
    assert metric(app, "Pairs") == str(seeds.events["pair"].nunique())
    assert set(events_table(app)["event_id"]) == set(seeds.events["event_id"])
    assert set(documents_table(app)["doc_id"]) == set(seeds.documents["doc_id"])
    assert not app.error
    assert "Mongolia – Vietnam" in app.multiselect(key="pairs").options


def test_choosing_mongolia_vietnam_leaves_only_that_pair(app, seeds):
    choose_pair(run(app), "Mongolia – Vietnam", "MNG-VNM")
    table = events_table(app)
    assert set(table["pair"]) == {"Mongolia – Vietnam"}
    expected = seeds.events[seeds.events["pair"] == "MNG-VNM"]
    assert set(table["event_id"]) == set(expected["event_id"])
    visit = table[(table["type"] == "Visit") & (table["date"] == pd.Timestamp("2024-09-30"))]
    assert len(visit) == 1 and visit["when"].iloc[0].startswith("30 September 2024")
    assert visit["direction"].iloc[0] == "Vietnam → Mongolia"
    timeline = json.loads(open_tab(app, "Timeline").get("plotly_chart")[0].proto.spec)
    drawn = [t for t in timeline["data"] if t["name"] == "Visit" and visit["event_id"].iloc[0] in t["customdata"]]
    assert drawn, "the visit is on the timeline"
    assert drawn[0]["y"] == ["Visit"], "one pair: a lane per event type"
    assert app.query_params["pair"] == "MNG-VNM", "the URL tells the view"


# small tables go with the page (a file built on click is not tied to a session: under load streamlit
# could drop it before the browser fetched it); large ones are built on click
@pytest.mark.parametrize("built", ["with the page", "on click"])
def test_download_holds_exactly_the_filtered_rows(app, seeds, downloads, monkeypatch, built):
    monkeypatch.setattr(views, "EAGER_CSV_ROWS", 10**6 if built == "with the page" else 0)
    choose_pair(run(app), "Mongolia – Vietnam", "MNG-VNM")
    app.pills(key="types").set_value(["visit", "aid"])
    run(app)
    events = seeds.events
    expected = events[(events["pair"] == "MNG-VNM") & events["event_type"].isin(["visit", "aid"])]
    assert bool(app.download_button(key="download_filtered").proto.deferred_file_id) == (built == "on click")
    csv = download(app, downloads, "download_filtered")
    assert list(csv.columns) == [*EVENT_COLUMNS, "merged_id"]
    assert sorted(csv["event_id"]) == sorted(expected["event_id"])
    assert len(csv) == len(expected) == len(events_table(app))
    assert sorted(download(app, downloads, "download_all")["event_id"]) == sorted(events["event_id"])
    assert sorted(download(app, downloads, "download_documents")["doc_id"]) == sorted(seeds.documents["doc_id"])


def test_query_parameters_restore_filters(app, seeds):
    app.query_params.update({"pair": "MNG-VNM", "type": ["visit"], "undated": "0"})
    run(app)
    assert app.multiselect(key="pairs").value == ["MNG-VNM"]
    assert app.pills(key="types").value == ["visit"]
    assert app.checkbox(key="undated").value is False
    events = seeds.events
    expected = events[(events["pair"] == "MNG-VNM") & (events["event_type"] == "visit") & events["date_start"].notna()]
    assert set(events_table(app)["event_id"]) == set(expected["event_id"])
    assert app.query_params == {"pair": "MNG-VNM", "type": "visit", "undated": "0"}


def test_typing_part_of_a_document_name_keeps_its_events_and_goes_in_the_link(app, seeds):
    run(app)
    name = seeds.documents["doc_id"].iloc[1]
    app.text_input(key="doc_contains").input(name[:6].upper())
    run(app)
    expected = seeds.events[seeds.events["doc_id"].str.startswith(name[:6])]
    assert 0 < len(expected) < len(seeds.events)
    shown = events_table(app)["event_id"]
    assert set(shown) <= set(expected["event_id"]) and len(shown) == expected["merged_id"].nunique()
    assert app.query_params["doc_contains"] == name[:6].upper()


def test_a_link_with_values_the_data_lacks_is_explained(app, seeds):
    app.query_params.update({"pair": "XXX-YYY", "from": "yesterday"})
    run(app)
    notes = " ".join(plain(c.value) for c in app.caption)
    assert "Ignored from the link" in notes and "XXX" in notes and "yesterday" in notes
    assert metric(app, "Events") == f"{len(seeds.events):,}"


def test_an_empty_view_says_so_in_words(app):
    app.query_params.update({"pair": "LAO-VNM", "from": "2019-01-01", "to": "2019-12-31", "undated": "0"})
    run(app)
    assert "No events for Laos – Vietnam in 2019." in [plain(i.value) for i in app.info]
    assert metric(app, "Events") == "0"


def test_an_upload_of_a_new_article_adds_its_events(app, seeds):
    expected = relations.parse_bytes("upload/cambodia.txt", NEW_ARTICLE)
    assert expected.events, "the new article must yield events for this test to mean anything"
    run(app).file_uploader(key="uploads").upload("cambodia.txt", NEW_ARTICLE, "text/plain")
    run(app)
    assert metric(app, "Events") == f"{len(seeds.events) + len(expected.events):,}"
    assert {e["event_id"] for e in expected.events} <= set(events_table(app)["event_id"])
    assert "Cambodia – Vietnam" in app.multiselect(key="pairs").options
    assert "upload/cambodia.txt" in set(documents_table(app)["doc_id"])
    assert any("1 of 1 uploaded document(s) added" in s.value for s in app.success)


def zip_of(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buffer.getvalue()


def test_rejected_uploads_are_explained(app, seeds):
    uploader = run(app).file_uploader(key="uploads")
    uploader.upload("report.txt", b"%PDF-1.7 binary", "text/plain")
    uploader.upload("![x](http://evil.example/p.png).txt", b"%PDF-1.5 other", "text/plain")
    uploader.upload("bundle.zip", zip_of(("../../etc/cron.txt", b"x"), ("ok.txt", NEW_ARTICLE)), "application/zip")
    run(app)
    warnings = " ".join(plain(w.value) for w in app.warning)
    assert "report" in warnings and "PDF document" in warnings
    assert "cron" in warnings and "leads out of the archive" in warnings
    assert "![x](http://evil.example/p.png).txt" in warnings, "a file name is shown as written"
    assert not any("![" in w.value or "](" in w.value for w in app.warning), "... never rendered as markdown"
    docs = documents_table(app).set_index("doc_id")
    assert docs.loc["upload/report.txt", "status"] == "rejected"
    assert "PDF" in docs.loc["upload/report.txt", "reason"]
    assert docs.loc["upload/bundle.zip/ok.txt", "status"] == "parsed", "the good member of an archive is still read"
    added = relations.parse_bytes("upload/bundle.zip/ok.txt", NEW_ARTICLE).events
    assert metric(app, "Events") == f"{len(seeds.events) + len(added):,}"


def test_choosing_an_event_shows_its_sentence_highlighted_and_escaped(app):
    upload = relations.parse_bytes("upload/cambodia.txt", NEW_ARTICLE)
    (talks,) = [e for e in upload.events if "onerror" in e["sentence"]]
    run(app).file_uploader(key="uploads").upload("cambodia.txt", NEW_ARTICLE, "text/plain")
    run(app).selectbox(key="evidence").set_value(talks["event_id"])
    run(app)
    page = " ".join(h.value for h in app.html)
    assert "<mark" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<img" not in page, "document text is never run as HTML"
    assert "held talks in Hanoi" in page.split("<mark", 1)[1].split("</mark>", 1)[0]


def test_two_reports_of_one_event_count_once_and_show_side_by_side(app, seeds):
    retold = NEW_ARTICLE.replace(b"HANOI, March 14, 2025 - ", b"PHNOM PENH, March 15, 2025 - ")
    events = relations.parse_bytes("upload/agency.txt", NEW_ARTICLE).events
    assert len(relations.parse_bytes("upload/paper.txt", retold).events) == len(events)
    uploader = run(app).file_uploader(key="uploads")
    uploader.upload("agency.txt", NEW_ARTICLE, "text/plain")
    uploader.upload("paper.txt", retold, "text/plain")
    run(app)
    assert metric(app, "Events") == f"{len(seeds.events) + len(events):,}", "each event once, however many reports"
    uploaded = events_table(app)[lambda t: t["document"].str.startswith("upload/")]
    assert len(uploaded) == len(events) and set(uploaded["sources"]) == {2}, "one row per event, led by one of its two reports"

    app.toggle(key="show_mentions").set_value(True)
    run(app)
    assert metric(app, "Events") == f"{len(seeds.events) + 2 * len(events):,}", "the toggle shows every report"

    app.selectbox(key="evidence").set_value(events[0]["event_id"])
    run(app)
    page = " ".join(h.value for h in app.html)
    assert "reported in 2 documents (en)" in page
    assert "<code>upload/agency.txt</code>" in page and "<code>upload/paper.txt</code>" in page
    assert page.count("<mark") >= 2, "each report's sentence marked in its own document"


def test_an_events_file_is_shown_without_documents(app, seeds, tmp_path, monkeypatch):
    path = tmp_path / "events.csv"
    output.write(seeds.events, path)
    monkeypatch.setenv("RELATIONS_DATA", str(path))
    run(app)
    assert metric(app, "Events") == f"{len(seeds.events):,}"
    assert any("no documents report" in i.value for i in open_tab(app, "Documents").info)
    assert app.download_button(key="download_documents").disabled
    first = seeds.events.iloc[0]
    app.selectbox(key="evidence").set_value(first["event_id"])
    run(app)
    assert any("evidence sentence alone: an events file has no document texts" in plain(c.value) for c in app.caption)
    assert html.escape(first["sentence"]) in " ".join(h.value for h in app.html)


def test_a_missing_data_path_is_explained(app, monkeypatch):
    monkeypatch.setenv("RELATIONS_DATA", "/nonexistent/articles")
    run(app)
    assert "The data path /nonexistent/articles does not exist." in [e.value for e in app.error]


def test_a_filter_change_never_parses_again(app, monkeypatch):
    calls = []
    parse = views.parse
    monkeypatch.setattr(views, "parse", lambda *a, **k: calls.append(a) or parse(*a, **k))
    st.cache_resource.clear()
    st.cache_data.clear()
    run(app)
    assert len(calls) == 1
    choose_pair(app, "Laos – Vietnam", "LAO-VNM")
    app.pills(key="statuses").set_value(["occurred"])
    run(app)
    assert len(calls) == 1


def test_only_the_open_tab_is_built_and_sent(app):
    run(app)
    assert len(app.get("plotly_chart")) == 1, "the timeline alone, not the activity chart of the Per pair tab"
    assert not [d for d in app.dataframe if {"when", "reason"} & set(d.value.columns)], "no events or documents table yet"
    assert len(events_table(app)) > 0
    assert not app.get("plotly_chart"), "the timeline is not drawn behind the Events tab"


def test_a_view_is_built_once_for_every_session_that_shows_it(app, monkeypatch):
    built = []
    timeline_figure = views.timeline_figure
    monkeypatch.setattr(views, "timeline_figure", lambda events, **k: built.append(len(events)) or timeline_figure(events, **k))
    st.cache_resource.clear()
    sessions = [app, AppTest.from_file(str(APP), default_timeout=120), AppTest.from_file(str(APP), default_timeout=120)]
    for session in sessions:
        session.query_params["pair"] = "MNG-VNM"
        run(session)
    assert len(built) == 1, "three readers of one link: one timeline built"
    specs = {session.get("plotly_chart")[0].proto.spec for session in sessions}
    assert len(specs) == 1 and "Visit" in specs.pop()
    choose_pair(sessions[0], "Laos – Vietnam", "LAO-VNM")
    assert len(built) == 2, "another view is built for itself"


def test_uploaded_files_beyond_the_limit_are_refused_by_name(app, seeds, monkeypatch):
    monkeypatch.setattr(views, "MAX_UPLOAD_FILES", 2)
    retold = NEW_ARTICLE.replace(b"HANOI, March 14, 2025 - ", b"PHNOM PENH, March 15, 2025 - ")
    uploader = run(app).file_uploader(key="uploads")
    uploader.upload("first.txt", NEW_ARTICLE, "text/plain")
    uploader.upload("second.txt", retold, "text/plain")
    uploader.upload("third.txt", b"A third article.", "text/plain")
    uploader.upload("fourth.zip", zip_of(("inner.txt", NEW_ARTICLE)), "application/zip")
    run(app)
    warnings = [plain(w.value) for w in app.warning]
    for name in ("third.txt", "fourth.zip"):
        assert any(name in w and "the limit is 2 uploaded files per session" in w for w in warnings), name
    assert any("2 of 4 uploaded document(s) added" in s.value for s in app.success)
    docs = documents_table(app).set_index("doc_id")
    assert list(docs.loc[["upload/third.txt", "upload/fourth.zip"], "status"]) == ["rejected", "rejected"]
    assert set(docs.loc[["upload/first.txt", "upload/second.txt"], "status"]) == {"parsed"}
