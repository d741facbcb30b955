"""The dashboard's pure functions: names, data sources, filters, URL state, figures, uploads, evidence."""

from __future__ import annotations

import io
import stat
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

import relations
from relations import output, views
from relations.schema import events_frame

XSS = "<img src=x onerror=alert(1)>"


def event(n: int, **fields) -> dict:
    """One contract row; only what a test cares about needs saying."""
    row = {
        "event_id": f"e{n}",
        "doc_id": "a.txt",
        "event_type": "meeting",
        "country_a": "LAO",
        "country_b": "VNM",
        "date_start": "2024-01-10",
        "date_end": None,
        "date_precision": "day",
        "status": "occurred",
        "amount": None,
        "currency": None,
        "count": None,
        "location": None,
        "language": "en",
        "sentence": f"Sentence {n}.",
        "char_start": 0,
        "char_end": 10,
    } | fields
    if row["date_precision"] == "unknown":
        row["date_start"] = None
    row["pair"] = "-".join(sorted((row["country_a"], row["country_b"])))
    return row


def frame(*rows: dict) -> pd.DataFrame:
    return views.prepare(events_frame(rows))


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return frame(
        event(1, event_type="visit", country_a="VNM", country_b="MNG", date_start="2024-09-30", date_end="2024-10-01", location="Ulan"),
        event(2, event_type="aid", country_a="VNM", country_b="MNG", date_start="2024-09-30", amount=5e5, currency="USD", doc_id="b.txt"),
        event(3, event_type="meeting", country_a="MNG", country_b="VNM", date_start="2024-11-01", date_precision="month", status="planned"),
        event(4, event_type="meeting", date_start="2019-03-05", language="sv", doc_id="c.txt"),
        event(5, event_type="signing", date_precision="unknown", doc_id="c.txt"),
        event(6, event_type="visit", country_a="VNM", country_b="PRK", date_start="2025-10-09", date_end="2025-10-11", language="sv"),
        event(7, event_type="visit", country_a="MNG", country_b="VNM", date_start="2023-11-01", date_precision="month"),
    )


# --------------------------------------------------------------------------- names


def test_pair_labels_use_the_names_readers_know():
    assert views.pair_label("LAO-VNM") == "Laos – Vietnam"
    assert views.pair_label("MNG-VNM") == "Mongolia – Vietnam"
    assert views.pair_label("PRK-VNM") == "North Korea – Vietnam"
    assert views.country_name("KHM") == "Cambodia"
    assert views.country_name("XXX") == "XXX", "an unknown code is shown as it is"


def test_pair_label_orders_names_alphabetically_not_by_code():
    # CHE < DEU by code, but Germany < Switzerland by name
    assert views.pair_label("CHE-DEU") == "Germany – Switzerland"
    assert views.pair_codes("CHE-DEU") == ("DEU", "CHE")


def test_markdown_escape_leaves_no_link_or_image():
    escaped = views.md_escape("![x](http://evil/p.png) **b** [l](javascript:x)")
    assert "![" not in escaped and "](" not in escaped and "**" not in escaped


# --------------------------------------------------------------------------- data sources


def test_data_path_from_argument_environment_or_default(tmp_path):
    default = tmp_path / "seeds"
    assert views.data_path(["--data", "x"], {}, default) == Path("x")
    assert views.data_path(["--data=y"], {"RELATIONS_DATA": "z"}, default) == Path("y")
    assert views.data_path([], {"RELATIONS_DATA": "z"}, default) == Path("z")
    assert views.data_path([], {}, default) == default


def test_a_missing_path_or_an_empty_folder_is_said_in_words(tmp_path):
    with pytest.raises(views.DataError, match="does not exist"):
        views.source_for(tmp_path / "nowhere")
    with pytest.raises(views.DataError, match="There are no documents in"):
        views.load(views.source_for(tmp_path))


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    return relations.parse(seeds_dir)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".jsonl", ".json"])
def test_an_events_file_reads_back_as_the_same_table(seeds, tmp_path, suffix):
    path = tmp_path / f"events{suffix}"
    output.write(seeds.events, path)
    source = views.source_for(path)
    assert source.kind == "events" and not source.has_documents
    pd.testing.assert_frame_equal(views.read_events_file(path), seeds.events, check_dtype=True)
    data = views.load(source)
    assert data.documents is None
    assert views.document_text(source, seeds.events["doc_id"].iloc[0]) is None


def test_a_file_that_is_not_an_events_table_is_explained(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(views.DataError, match="not an events table: the columns event_id"):
        views.load(views.source_for(path))


def test_fingerprint_follows_the_bytes(tmp_path):
    (tmp_path / "a.txt").write_text("one")
    source = views.source_for(tmp_path)
    first = views.fingerprint(source)
    assert views.fingerprint(source) == first
    (tmp_path / "a.txt").write_text("two")
    assert views.fingerprint(source) != first


def test_document_text_never_leaves_the_data_folder(tmp_path):
    (tmp_path / "a.txt").write_text("inside")
    (tmp_path.parent / "secret.txt").write_text("outside")
    source = views.source_for(tmp_path)
    assert views.document_text(source, "a.txt") == "inside"
    assert views.document_text(source, "../secret.txt") is None


def test_prepare_gives_month_and_year_dates_their_whole_period(sample):
    planned = sample.set_index("event_id").loc["e3"]
    assert planned["_start"] == pd.Timestamp("2024-11-01") and planned["_end"] == pd.Timestamp("2024-11-30")
    visit = sample.set_index("event_id").loc["e1"]
    assert visit["_end"] == pd.Timestamp("2024-10-01")
    year = frame(event(1, date_start="2020-01-01", date_precision="year"))
    assert year["_end"].iloc[0] == pd.Timestamp("2020-12-31")


def test_export_restores_the_contract_table(seeds):
    prepared = views.prepare(seeds.events)
    pd.testing.assert_frame_equal(views.export(prepared), seeds.events)


# --------------------------------------------------------------------------- filters


def ids(events: pd.DataFrame) -> set[str]:
    return set(events["event_id"])


def test_filter_by_pair_country_type_status_language_document(sample):
    apply = views.apply_filters
    assert ids(apply(sample, views.Filters(pairs=("MNG-VNM",)))) == {"e1", "e2", "e3", "e7"}
    assert ids(apply(sample, views.Filters(country="PRK"))) == {"e6"}
    assert ids(apply(sample, views.Filters(country="VNM"))) == ids(sample)
    assert ids(apply(sample, views.Filters(types=("visit",)))) == {"e1", "e6", "e7"}
    assert ids(apply(sample, views.Filters(statuses=("planned",)))) == {"e3"}
    assert ids(apply(sample, views.Filters(languages=("sv",)))) == {"e4", "e6"}
    assert ids(apply(sample, views.Filters(docs=("c.txt",)))) == {"e4", "e5"}
    assert ids(apply(sample, views.Filters())) == ids(sample)


def test_a_piece_of_the_document_name_is_matched_as_typed_in_any_case(sample):
    assert ids(views.apply_filters(sample, views.Filters(doc_contains="C.T"))) == {"e4", "e5"}
    assert ids(views.apply_filters(sample, views.Filters(doc_contains=".*"))) == set(), "no regular expression"
    assert views.describe(views.Filters(doc_contains="2019/")) == "events in documents whose name contains “2019/”"


def test_date_range_keeps_events_that_overlap_it(sample):
    # the visit runs 30 Sep - 1 Oct; the planned meeting covers November
    assert "e1" in ids(views.apply_filters(sample, views.Filters(date_from=date(2024, 10, 1), include_undated=False)))
    assert "e1" not in ids(views.apply_filters(sample, views.Filters(date_from=date(2024, 10, 2))))
    within = views.apply_filters(sample, views.Filters(date_from=date(2024, 11, 15), date_to=date(2024, 11, 20), include_undated=False))
    assert ids(within) == {"e3"}


def test_undated_events_stay_unless_excluded(sample):
    ranged = views.Filters(date_from=date(2030, 1, 1))
    assert ids(views.apply_filters(sample, ranged)) == {"e5"}, "a date range never hides an undated event silently"
    assert ids(views.apply_filters(sample, views.Filters(include_undated=False))) == ids(sample) - {"e5"}


AVAILABLE = views.Choices(pairs=("LAO-VNM", "MNG-VNM"), countries=("LAO", "MNG", "VNM"), languages=("en", "sv"), docs=("a,b.txt", "c.txt"))


def test_query_parameters_round_trip():
    filters = views.Filters(
        pairs=("MNG-VNM", "LAO-VNM"),
        country="VNM",
        types=("visit", "aid"),
        date_from=date(2024, 1, 1),
        date_to=date(2024, 12, 31),
        statuses=("planned",),
        languages=("sv",),
        docs=("a,b.txt",),
        doc_contains="2024, Hanoi",
        include_undated=False,
    )
    query = views.encode_query(filters)
    assert query["pair"] == ["MNG-VNM", "LAO-VNM"] and query["undated"] == ["0"] and query["doc"] == ["a,b.txt"]
    assert views.decode_query(query, AVAILABLE) == (filters, [])


def test_default_filters_leave_the_url_empty():
    assert views.encode_query(views.Filters()) == {}
    assert views.decode_query({}, AVAILABLE) == (views.Filters(), [])


def test_hand_written_links_are_understood_and_bad_values_reported():
    filters, notes = views.decode_query(
        {"pair": "vnm-lao,XXX-YYY", "type": "Visit", "from": "2024-02-30", "to": "2024-03-01", "country": "fra"}, AVAILABLE
    )
    assert filters.pairs == ("LAO-VNM",)
    assert filters.types == ("visit",)
    assert filters.date_from is None and filters.date_to == date(2024, 3, 1)
    assert filters.country is None
    assert any("XXX-YYY" in n for n in notes) and any("2024-02-30" in n for n in notes) and any("FRA" in n for n in notes)


def test_empty_views_say_what_was_asked_for():
    year = views.Filters(pairs=("LAO-VNM",), date_from=date(2019, 1, 1), date_to=date(2019, 12, 31))
    assert views.empty_message(year) == "No events for Laos – Vietnam in 2019."
    planned = views.Filters(types=("visit",), statuses=("planned",), country="MNG", date_to=date(2020, 5, 1))
    assert views.empty_message(planned) == "No planned visits involving Mongolia until 1 May 2020."
    assert views.empty_message(views.Filters(date_from=date(2024, 3, 2)), dated=True) == "No dated events from 2 March 2024 on."


# --------------------------------------------------------------------------- figures in words


def test_headline_figures(sample):
    figures = views.headline(sample)
    assert (figures.events, figures.pairs, figures.documents, figures.undated) == (7, 3, 3, 1)
    assert figures.span == "5 Mar 2019 – 11 Oct 2025"
    assert views.headline(sample.iloc[0:0]).span == "—"


def test_dates_are_written_as_precisely_as_known(sample):
    by_id = sample.set_index("event_id", drop=False)
    assert views.row_date_label(by_id.loc["e1"]) == "30 September 2024 – 1 October 2024"
    assert views.row_date_label(by_id.loc["e3"]) == "November 2024"
    assert views.row_date_label(by_id.loc["e5"]) == "undated"


def test_direction_for_visits_and_aid_only(sample):
    arrows = dict(zip(sample["event_id"], views.direction(sample), strict=True))
    assert arrows["e1"] == "Vietnam → Mongolia"
    assert arrows["e7"] == "Mongolia → Vietnam"
    assert arrows["e3"] == "Mongolia – Vietnam", "a meeting has no direction"


# --------------------------------------------------------------------------- timeline


def traces(fig: go.Figure, kind: str) -> list:
    return [t for t in fig.data if t.type == kind]


def test_timeline_has_a_lane_per_pair(sample):
    fig = views.timeline_figure(sample)
    assert list(fig.layout.yaxis.categoryarray) == ["Laos – Vietnam", "Mongolia – Vietnam", "North Korea – Vietnam"]
    drawn = {i for t in fig.data for i in t.customdata}
    assert drawn == ids(sample) - {"e5"}, "every dated event is drawn once; the undated one is listed beside"


def test_timeline_of_one_pair_has_a_lane_per_type_and_the_visit_as_a_bar(sample):
    fig = views.timeline_figure(views.apply_filters(sample, views.Filters(pairs=("MNG-VNM",))))
    assert list(fig.layout.yaxis.categoryarray) == ["Visit", "Meeting", "Aid"]
    (bar,) = traces(fig, "bar")
    assert list(bar.base) == ["2024-09-30"] and list(bar.customdata) == ["e1"]
    assert list(bar.x) == [2 * 24 * 3600 * 1000], "the bar covers 30 September and 1 October"
    assert bar.marker.color == views.TYPE_COLOURS["visit"]


def test_planned_events_look_different(sample):
    fig = views.timeline_figure(sample)
    planned = [t for t in fig.data if "planned" in t.name]
    occurred = [t for t in fig.data if t.name == "Meeting"]
    assert planned and planned[0].marker.symbol == "diamond-open"
    assert occurred[0].marker.symbol == "diamond"
    assert planned[0].marker.color == occurred[0].marker.color == views.TYPE_COLOURS["meeting"]


def test_hover_says_date_type_direction_place_amount_and_sentence_escaped():
    aid = {"event_type": "aid", "country_a": "VNM", "country_b": "MNG", "amount": 500_000.0, "currency": "USD"}
    rows = frame(event(1, location="Hanoi", sentence=f"Aid {XSS}.", **aid))
    (text,) = views.hover_text(rows)
    for part in ("Aid", "10 January 2024", "Vietnam → Mongolia", "in Hanoi", "500,000 USD", "&lt;img src=x onerror=alert(1)&gt;"):
        assert part in text
    assert "<img" not in text


def many(n: int, pairs: int = 3) -> pd.DataFrame:
    codes = ["LAO", "MNG", "PRK", "KHM", "THA"][:pairs]
    return frame(*(event(i, country_a=codes[i % pairs], date_start=f"20{10 + i % 10}-0{1 + i % 9}-1{i % 10}") for i in range(n)))


def test_many_events_are_counted_per_period_with_webgl():
    events = many(3000)
    fig = views.timeline_figure(events, point_limit=100)
    assert all(t.type in ("scatter", "scattergl") for t in fig.data)
    assert sum(sum(t.customdata) for t in fig.data) == 3000, "every event is counted once"
    assert "counted per" in fig.layout.title.text
    assert views.timeline_figure(many(1200, pairs=1), point_limit=5000).data[0].type == "scattergl"


def test_too_many_pairs_keep_the_busiest_lanes():
    fig = views.timeline_figure(many(60, pairs=5), lane_limit=2)
    assert len(fig.layout.yaxis.categoryarray) == 2
    assert "2 busiest of 5 pairs" in fig.layout.title.text


def test_period_starts():
    days = pd.Series(pd.to_datetime(["2024-09-30", "2024-10-06", "2024-08-15"]))
    assert list(views.period_start(days, "W").dt.strftime("%F")) == ["2024-09-30", "2024-09-30", "2024-08-12"]
    assert list(views.period_start(days, "M").dt.strftime("%F")) == ["2024-09-01", "2024-10-01", "2024-08-01"]
    assert list(views.period_start(days, "Q").dt.strftime("%F")) == ["2024-07-01", "2024-10-01", "2024-07-01"]


# --------------------------------------------------------------------------- tables


def test_pair_summary(sample):
    summary = views.pair_summary(sample).set_index("pair")
    mongolia = summary.loc["Mongolia – Vietnam"]
    assert (mongolia["events"], mongolia["visit"], mongolia["meeting"], mongolia["aid"], mongolia["signing"]) == (4, 2, 1, 1, 0)
    assert mongolia["first"] == pd.Timestamp("2023-11-01") and mongolia["last"] == pd.Timestamp("2024-11-01")
    assert mongolia["visits each way"] == "Mongolia → Vietnam: 1 · Vietnam → Mongolia: 1"
    assert mongolia["aid each way"] == "Vietnam → Mongolia: 500,000 USD"
    assert mongolia["documents"] == 2
    assert summary.loc["Laos – Vietnam", "aid each way"] == ""
    assert list(views.pair_summary(sample.iloc[0:0]).columns)[:2] == ["pair", "events"]


def test_aid_is_summed_per_currency_never_across():
    rows = frame(
        event(1, event_type="aid", country_a="VNM", country_b="LAO", amount=5.0, currency="USD"),
        event(2, event_type="aid", country_a="VNM", country_b="LAO", amount=7.0, currency="USD"),
        event(3, event_type="aid", country_a="VNM", country_b="LAO", amount=1000.0, currency="VND"),
        event(4, event_type="aid", country_a="LAO", country_b="VNM", amount=3.0, currency=None),
    )
    words = views.pair_summary(rows)["aid each way"].iloc[0]
    assert words == "Laos → Vietnam: 3 (currency not given) · Vietnam → Laos: 12 USD, 1,000 VND"


def test_activity_per_month_and_quarter(sample):
    monthly = views.activity(sample, "M")
    assert monthly["events"].sum() == 6, "the undated event has no month"
    september = monthly[monthly["period"] == pd.Timestamp("2024-09-01")]
    assert dict(zip(september["event_type"], september["events"], strict=True)) == {"visit": 1, "aid": 1}
    quarterly = views.activity(sample, "Q")
    assert quarterly.loc[quarterly["period"] == pd.Timestamp("2024-07-01"), "events"].sum() == 2
    fig = views.activity_figure(monthly)
    assert {t.name: t.marker.color for t in fig.data}["Visit"] == views.TYPE_COLOURS["visit"]


def test_event_table_is_in_date_order_with_undated_last_and_limited(sample):
    table = views.table_view(sample)
    assert list(table["event_id"]) == ["e4", "e7", "e1", "e2", "e3", "e6", "e5"]
    assert list(views.table_view(sample, limit=2)["event_id"]) == ["e4", "e7"]
    assert list(views.undated_view(sample)["event_id"]) == ["e5"]


# --------------------------------------------------------------------------- evidence


def test_evidence_is_escaped_and_marked():
    text = f"Intro.\nThey met in Hanoi {XSS} today.\nEnd."
    start = text.index("They")
    end = text.index("today.") + len("today.")
    page = views.evidence_html(text, start, end)
    assert "<img" not in page
    assert "<mark" in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.index("<mark") < page.index("They met") < page.index("</mark>")


def test_evidence_excerpt_is_cut_at_words():
    text = " ".join(f"word{i}" for i in range(400))
    start = text.index("word200")
    page = views.evidence_html(text, start, start + len("word200"), context=50)
    assert page.count("word") < 30 and "… word" in page and "word200</mark>" in page


def test_evidence_span_is_found_again_when_offsets_moved():
    assert views.evidence_span("abc They met.", "They met.", 4, 13) == (4, 13)
    assert views.evidence_span("xx abc They met.", "They met.", 4, 13) == (7, 16)
    assert views.evidence_span("nothing here", "They met.", 0, 9) is None


def test_evidence_choices_include_the_chosen_event(sample):
    choices = views.evidence_choices(sample, "e5", limit=2)
    assert list(choices) == ["e5", "e4", "e7"]
    assert choices["e4"].startswith("5 March 2019 · Meeting · Laos – Vietnam")


def test_event_heading_escapes_the_document_name():
    row = frame(event(1, doc_id=f"{XSS}.txt")).iloc[0].to_dict()
    assert "<img" not in views.event_heading(row)


# --------------------------------------------------------------------------- uploads


def archive(*members: tuple[str | zipfile.ZipInfo, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return buffer.getvalue()


def reasons(members: list[views.Member]) -> dict[str, str | None]:
    return {m.doc_id: m.reason for m in members}


def test_uploads_and_zip_members_become_documents():
    members = views.expand_uploads(
        [views.Upload("a.txt", b"one"), views.Upload("b.zip", archive(("x/c.md", b"two"), ("d.html", b"<p>three</p>")))]
    )
    assert [(m.doc_id, m.data) for m in members] == [
        ("upload/a.txt", b"one"),
        ("upload/b.zip/x/c.md", b"two"),
        ("upload/b.zip/d.html", b"<p>three</p>"),
    ]
    assert members[1].suffix == ".md"


def symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def mark_encrypted(data: bytes, name: str) -> bytes:
    """Set the 'encrypted' flag of one member (zipfile cannot write encrypted archives)."""
    out = bytearray(data)
    for signature, flags, name_length, header in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        at = out.find(signature)
        while at >= 0:
            length = int.from_bytes(out[at + name_length : at + name_length + 2], "little")
            if out[at + header : at + header + length] == name.encode():
                out[at + flags] |= 0x1
            at = out.find(signature, at + 4)
    return bytes(out)


def test_zip_refuses_what_could_harm_each_with_its_reason():
    data = archive(
        ("../evil.txt", b"x"),
        ("/etc/passwd.txt", b"x"),
        ("C:/windows.txt", b"x"),
        (symlink("link.txt"), b"/etc/passwd"),
        ("secret.txt", b"x"),
        ("bomb.txt", b"\0" * (2 * 1024 * 1024)),
        ("fine.txt", b"a fine article"),
    )
    data = mark_encrypted(data, "secret.txt")
    found = reasons(views.unzip(views.Upload("u.zip", data)))
    assert "leads out" in found["upload/u.zip/../evil.txt"]
    assert "absolute path" in found["upload/u.zip/etc/passwd.txt"]
    assert "absolute path" in found["upload/u.zip/C:/windows.txt"]
    assert "symbolic link" in found["upload/u.zip/link.txt"]
    assert "encrypted" in found["upload/u.zip/secret.txt"]
    assert "zip bomb" in found["upload/u.zip/bomb.txt"]
    assert found["upload/u.zip/fine.txt"] is None


def test_zip_limits_on_members_and_sizes():
    limits = views.ZipLimits(members=2, total_bytes=10, member_bytes=8)
    (too_many,) = views.unzip(views.Upload("m.zip", archive(("a", b"1"), ("b", b"2"), ("c", b"3"))), limits)
    assert too_many.doc_id == "upload/m.zip" and "too many files" in too_many.reason
    big = reasons(views.unzip(views.Upload("s.zip", archive(("a", b"123456789"), ("b", b"12345678"))), limits))
    assert "too large" in big["upload/s.zip/a"] and big["upload/s.zip/b"] is None
    total = views.ZipLimits(total_bytes=10, member_bytes=8)
    spilled = reasons(views.unzip(views.Upload("t.zip", archive(("a", b"12345678"), ("b", b"12345678"), ("c", b"1"))), total))
    assert spilled["upload/t.zip/a"] is None and spilled["upload/t.zip/b"] is None
    assert "more than 10 bytes" in spilled["upload/t.zip/c"]


def test_a_zip_header_that_lies_about_its_size_is_caught():
    data = bytearray(archive(("a.txt", b"x" * 100)))
    # shrink the declared size in the central directory: the member still inflates to 100 bytes
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (4).to_bytes(4, "little")
    (member,) = views.unzip(views.Upload("lie.zip", bytes(data)), views.ZipLimits(member_bytes=50))
    assert member.data is None and "damaged" in member.reason


def test_a_broken_zip_is_one_rejected_upload():
    (member,) = views.expand_uploads([views.Upload("bad.zip", b"PK\x03\x04 not really")])
    assert member.doc_id == "upload/bad.zip" and "not a readable ZIP archive" in member.reason


def test_duplicate_uploads_are_told_apart_or_refused():
    members = views.expand_uploads([views.Upload("a.txt", b"one"), views.Upload("a.txt", b"two"), views.Upload("b.txt", b"one")])
    assert [(m.doc_id, m.reason) for m in members] == [
        ("upload/a.txt", None),
        ("upload/a (2).txt", None),
        ("upload/b.txt", "the same content as upload/a.txt"),
    ]


def test_uploaded_files_beyond_the_limit_are_each_refused_unread():
    uploads = [views.Upload(f"{n}.txt", f"article {n}".encode()) for n in range(3)]
    uploads.append(views.Upload("more.zip", archive(("inner.txt", b"in the archive"))))
    members = views.expand_uploads([*uploads, views.Upload("0.txt", b"same name, past the limit")], max_files=2)
    assert [m.doc_id for m in members] == ["upload/0.txt", "upload/1.txt", "upload/2.txt", "upload/more.zip", "upload/0 (2).txt"]
    assert [m.data for m in members[:2]] == [b"article 0", b"article 1"]
    for member in members[2:]:
        assert member.data is None
        assert member.reason == "too many files: the limit is 2 uploaded files per session (a .zip counts as one)"


def test_the_upload_limit_counts_files_not_archive_members():
    many = [views.Upload(f"{n}.txt", f"article {n}".encode()) for n in range(views.MAX_UPLOAD_FILES + 1)]
    refused = [m.doc_id for m in views.expand_uploads(many) if m.data is None]
    assert refused == [f"upload/{views.MAX_UPLOAD_FILES}.txt"]
    three = archive(*((f"{n}.txt", f"member {n}".encode()) for n in range(3)))
    members = views.expand_uploads([views.Upload("a.zip", three)], max_files=1)
    assert [m.reason for m in members] == [None, None, None], "a zip's members are bounded by ZipLimits, not by the file count"


def test_a_renamed_duplicate_keeps_its_format():
    members = views.expand_uploads([views.Upload("a.html", b"<p>one</p>"), views.Upload("a.html", b"<p>two</p>")])
    assert [m.suffix for m in members] == [".html", ".html"]


def test_combine_adds_the_uploaded_documents_and_events(seeds, seeds_dir):
    base = views.make_dataset(seeds, views.source_for(seeds_dir))
    upload = relations.parse_bytes("upload/new.txt", (seeds_dir / "000_e77de1bcc8b9c7fe.txt").read_bytes())
    refused = views.rejected(views.Member("upload/x.zip/../y.txt", None, "refused: a path that leads out of the archive (..)"))
    data = views.combine(base, [upload, refused])
    assert len(data.events) == len(base.events) + len(upload.events)
    assert set(data.documents["doc_id"]) == set(base.documents["doc_id"]) | {"upload/new.txt", "upload/x.zip/../y.txt"}
    assert data.documents.set_index("doc_id").loc["upload/x.zip/../y.txt", "status"] == "rejected"
    assert "upload/new.txt" in data.choices.docs
    pd.testing.assert_frame_equal(views.export(data.events).iloc[: len(base.events)], seeds.events)


# --------------------------------------------------------------------------- merged events


@pytest.fixture(scope="module")
def reports() -> pd.DataFrame:
    """One state visit told three times (en span, fr day, sv month), a planned report of it, and another visit."""
    visit = {"event_type": "visit", "country_a": "VNM", "country_b": "MNG"}
    return frame(
        event(1, **visit, date_start="2024-09-30", date_end="2024-10-01", doc_id="en.txt"),
        event(2, **visit, date_start="2024-10-01", language="fr", doc_id="fr.txt", sentence=XSS, char_end=len(XSS)),
        event(3, **visit, date_start="2024-09-01", date_precision="month", language="sv", doc_id="sv.txt", status="planned"),
        event(4, **visit, date_start="2025-03-02", doc_id="en.txt"),
    )


def test_merged_view_draws_each_event_once_led_by_its_most_precise_report(reports):
    merged = views.merged_view(reports)
    assert sorted(merged["event_id"]) == ["e1", "e4"]
    assert merged.set_index("event_id")["_sources"].to_dict() == {"e1": 3, "e4": 1}
    assert views.headline(merged, reports).documents == 3
    assert views.table_view(merged)["sources"].tolist() == [3, 1]


def test_merged_view_of_nothing_is_empty(reports):
    assert views.merged_view(reports.iloc[0:0]).empty


def test_merged_view_follows_the_filters(reports):
    swedish_only = views.apply_filters(reports, views.Filters(languages=("sv",)))
    (row,) = views.merged_view(swedish_only).to_dict("records")
    assert (row["event_id"], row["_sources"], row["status"]) == ("e3", 1, "planned"), "what the filter keeps leads"


def test_a_planned_report_does_not_make_an_event_that_happened_planned(reports):
    assert set(views.merged_view(reports)["status"]) == {"occurred"}


def test_reports_of_an_event_lead_first_with_escaped_headings(reports):
    merged_id = reports.loc[reports["event_id"] == "e1", "merged_id"].iloc[0]
    told = views.reports_of(reports, merged_id)
    assert told["event_id"].tolist() == ["e1", "e2", "e3"]
    heading = views.event_heading(told.iloc[0].to_dict(), told)
    assert "reported in 3 documents (en, fr, sv)" in heading
    assert views.report_heading(told.iloc[1].to_dict()) == "<p><code>fr.txt</code> · French (fr) · 1 October 2024</p>"


def test_an_upload_reporting_a_known_event_joins_it(reports):
    base = views.make_dataset(views.export(reports), views.Source(Path("."), "events"))
    told_again = relations.parse_text(
        "upload/mn.txt",
        "ULAN BATOR, October 2, 2024 - Vietnam's president paid a state visit to Mongolia from September 30 to October 1, 2024.",
        language="en",
    )
    assert [e["event_type"] for e in told_again.events] == ["visit"]
    combined = views.combine(base, [told_again])
    assert len(views.merged_view(combined.events)) == 2
    assert combined.events["merged_id"].nunique() == 2
