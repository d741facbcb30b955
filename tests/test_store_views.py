"""The dashboard over a store: DuckDB's answers are the in-memory views' answers, and the app opens a store."""

from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import test_dashboard
from corpus import article, write_corpus
from streamlit.testing.v1 import AppTest

from relations import store, store_views, views
from relations.ingest import ingest
from relations.output import to_csv_bytes
from relations.schema import EVENT_COLUMNS

APP = Path(__file__).resolve().parents[1] / "dashboard.py"
downloads = test_dashboard.downloads  # the fixture recording the download buttons' files

FILTERS = [
    views.Filters(),
    views.Filters(types=("visit", "signing")),
    views.Filters(country="THA"),
    views.Filters(languages=("sv", "nb")),
    views.Filters(statuses=("planned",)),
    views.Filters(date_from=date(2021, 6, 1), date_to=date(2023, 3, 31)),
    views.Filters(date_from=date(2022, 1, 1), include_undated=False),
    views.Filters(pairs=("JPN-VNM", "LAO-THA"), include_undated=False),
    views.Filters(docs=("article_003.txt",)),
    views.Filters(doc_contains="Article_00"),
]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("store_views")
    corpus = write_corpus(folder / "corpus", 24)
    for i in (3, 7):  # reprints: the same events in other documents, merged by the ingest
        (corpus / f"reprint_{i:03d}.txt").write_text(article(i) + "Reprinted with permission.\n", encoding="utf-8")
    ingest([corpus], folder / "store", workers=1, batch_size=10)
    return folder / "store"


@pytest.fixture(scope="module")
def mentions(root: Path) -> pd.DataFrame:
    """The in-memory path's table: the whole store read by pandas, with the merged ids the ingest wrote."""
    events = store.read_events(root)
    return views.prepare(events.merge(store.read_merged(root), on="event_id", how="left"))


@pytest.fixture
def con(root: Path):
    con = store_views.connect(root)
    yield con
    con.close()


# a temporary table of what the filters keep, or the Parquet parts queried in place: both must answer alike
@pytest.fixture(params=[store_views.MATERIALISE_LIMIT, 0], ids=["copied", "in-place"])
def limit(request: pytest.FixtureRequest) -> int:
    return request.param


def test_the_corpus_gives_the_filters_something_to_choose_from(mentions: pd.DataFrame) -> None:
    assert len(mentions) > 60
    assert {"en", "sv", "nb"} <= set(mentions["language"])
    assert mentions["_start"].isna().any() and mentions["_start"].notna().any()
    assert mentions["merged_id"].nunique() < len(mentions)  # some events are told by several reports
    for filters in FILTERS[1:]:
        assert 0 < len(views.apply_filters(mentions, filters)) < len(mentions), filters


def test_a_selection_is_copied_only_up_to_its_limit(con, mentions: pd.DataFrame) -> None:
    small = store_views.select(con, views.Filters(pairs=("JPN-VNM",)))
    assert small.table.startswith("_kept_") and small.count == len(views.apply_filters(mentions, views.Filters(pairs=("JPN-VNM",))))
    large = store_views.select(con, views.Filters(), limit=len(mentions) - 1)
    assert large.table == "events" and large.count == len(mentions)


def test_a_stale_selection_fails_instead_of_answering_for_other_filters(con) -> None:
    first = store_views.select(con, views.Filters(country="THA"))
    store_views.select(con, views.Filters(country="JPN"))
    with pytest.raises(duckdb.CatalogException):
        store_views.headline(first)


@pytest.mark.parametrize("filters", FILTERS, ids=views.describe)
def test_duckdb_keeps_the_rows_pandas_keeps_in_the_same_order(con, mentions: pd.DataFrame, filters: views.Filters, limit: int) -> None:
    expected = views.table_view(views.apply_filters(mentions, filters))
    got = views.table_view(store_views.rows(store_views.select(con, filters, limit=limit)))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_categorical=False)  # categories: those present


def test_only_the_rows_shown_are_read(con, mentions: pd.DataFrame, limit: int) -> None:
    got = store_views.rows(store_views.select(con, views.Filters(), limit=limit), limit=7)
    # the whole order, then its head: first_by_date's partial sort breaks ties across the cut its own way
    assert got["event_id"].tolist() == views.first_by_date(mentions, len(mentions))["event_id"].head(7).tolist()
    assert got["merged_id"].tolist() == views.first_by_date(mentions, len(mentions))["merged_id"].head(7).tolist()


@pytest.mark.parametrize("filters", FILTERS, ids=views.describe)
def test_the_headline_is_counted_in_sql(con, mentions: pd.DataFrame, filters: views.Filters, limit: int) -> None:
    kept = views.apply_filters(mentions, filters)
    got = store_views.headline(store_views.select(con, filters, limit=limit))
    # events: the merged events the reports tell; the rest is counted over the reports, as the page says
    assert got == replace(views.headline(kept), events=kept["merged_id"].nunique())


@pytest.mark.parametrize("filters", FILTERS[:4], ids=views.describe)
def test_the_pair_summary_is_aggregated_in_sql(con, mentions: pd.DataFrame, filters: views.Filters, limit: int) -> None:
    expected = views.pair_summary(views.apply_filters(mentions, filters))
    got = store_views.pair_summary(store_views.select(con, filters, limit=limit))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


@pytest.mark.parametrize("freq", ["M", "Q"])
def test_activity_is_counted_in_sql(con, mentions: pd.DataFrame, freq: str, limit: int) -> None:
    expected = views.activity(mentions, freq).astype({"event_type": "string"})
    got = store_views.activity(store_views.select(con, views.Filters(), limit=limit), freq)
    pd.testing.assert_frame_equal(got.sort_values(["period", "event_type"]).reset_index(drop=True), expected, check_dtype=False)


def test_a_busy_timeline_is_counted_per_period_in_sql(con, mentions: pd.DataFrame, limit: int) -> None:
    dated = mentions[mentions["_start"].notna()]
    figure = store_views.timeline_figure(store_views.select(con, views.Filters(), limit=limit), point_limit=10, lane_limit=3)
    drawn = sum(sum(trace.customdata) for trace in figure.data)
    busiest = dated["pair"].value_counts().sort_index().sort_values(ascending=False, kind="stable").head(3)
    assert drawn == busiest.sum()
    assert {y for trace in figure.data for y in trace.y} == {views.pair_label(p) for p in busiest.index}
    assert "3 busiest of 23 pairs" in figure.layout.title.text


def test_a_quiet_timeline_draws_each_event(con, mentions: pd.DataFrame, limit: int) -> None:
    filters = views.Filters(pairs=("JPN-VNM",))
    figure = store_views.timeline_figure(store_views.select(con, filters, limit=limit))
    expected = views.timeline_figure(views.apply_filters(mentions, filters))
    assert [list(t.customdata) for t in figure.data] == [list(t.customdata) for t in expected.data]
    assert store_views.timeline_figure(store_views.select(con, views.Filters(docs=("seeds/none.txt",)), limit=limit)) is None


def test_the_choices_are_the_distinct_values(con, mentions: pd.DataFrame) -> None:
    assert store_views.choices(con) == views.choices(mentions, None)


def test_the_document_choices_are_capped_in_name_order(con, mentions: pd.DataFrame) -> None:
    assert store_views.choices(con, doc_limit=5).docs == tuple(sorted(mentions["doc_id"].unique())[:5])


@pytest.mark.parametrize("text", ["ARTICLE_00", "seeds/", "%", "no such name"])
def test_document_names_are_searched_literally_in_any_case(con, mentions: pd.DataFrame, text: str, limit: int) -> None:
    filters = views.Filters(types=("visit",), doc_contains=text)
    names = mentions["doc_id"].astype("string").str.lower()
    expected = views.apply_filters(mentions[names.str.contains(text.lower(), regex=False)], filters)
    assert store_views.select(con, filters, limit=limit).count == len(expected)
    got = store_views.rows(store_views.select(con, filters, limit=limit))
    assert got["event_id"].tolist() == views.table_view(expected)["event_id"].tolist()


@pytest.mark.parametrize("filters", FILTERS, ids=views.describe)
def test_the_download_is_the_filtered_reports_in_the_store_order(con, mentions: pd.DataFrame, filters: views.Filters, limit: int) -> None:
    expected = to_csv_bytes(views.export(views.apply_filters(mentions, filters)))
    assert store_views.csv_bytes(store_views.select(con, filters, limit=limit)) == expected
    # written in batches of 7 rows: one header, the same bytes
    assert b"".join(store_views.csv_chunks(store_views.select(con, filters, limit=limit), batch=7)) == expected


def test_an_empty_download_is_its_header(con) -> None:
    got = store_views.csv_bytes(store_views.select(con, views.Filters(docs=("seeds/none.txt",))))
    assert got == (",".join([*EVENT_COLUMNS, "merged_id"]) + "\r\n").encode()


def test_the_download_neutralises_formula_cells(tmp_path: Path, mentions: pd.DataFrame) -> None:
    root = store.prepare(tmp_path / "hostile")
    event = mentions.iloc[0][list(EVENT_COLUMNS)].to_dict() | {"sentence": '=HYPERLINK("http://x")', "location": "+1-2"}
    store.write_part(root, [event], [{"doc_id": event["doc_id"], "status": "parsed", "n_events": 1, "content_hash": "h"}])
    con = store_views.connect(root)
    text = store_views.csv_bytes(store_views.select(con, views.Filters(), limit=0)).decode()
    assert "'=HYPERLINK" in text and ",'+1-2," in text
    assert ",=HYPERLINK" not in text


def test_without_current_merged_ids_each_report_stands_for_itself(root: Path, tmp_path: Path, mentions: pd.DataFrame) -> None:
    unmerged = tmp_path / "unmerged"
    shutil.copytree(root, unmerged, ignore=shutil.ignore_patterns(store.MERGED))
    assert store_views.store_signature(unmerged) == store_views.store_signature(root)[:-1]
    selection = store_views.select(store_views.connect(unmerged), views.Filters())
    assert not selection.merged
    assert store_views.headline(selection).events == len(mentions)
    got = store_views.rows(selection)
    assert (got["merged_id"] == got["event_id"]).all()


def test_a_store_is_known_by_its_layout_and_an_empty_one_is_refused(root: Path, tmp_path: Path) -> None:
    assert views.source_for(root).kind == "store"
    assert views.source_for(root.parent / "corpus").kind == "articles"
    with pytest.raises(views.DataError, match="holds no events yet"):
        store_views.connect(store.prepare(tmp_path / "empty"))


def test_the_app_opens_a_store(root: Path, mentions: pd.DataFrame, monkeypatch: pytest.MonkeyPatch, downloads: dict) -> None:
    monkeypatch.delenv("RELATIONS_DATA", raising=False)
    monkeypatch.setattr(sys, "argv", ["dashboard.py", "--data", str(root)])
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception, at.exception
    assert (at.metric[0].label, at.metric[0].value) == ("Events", f"{mentions['merged_id'].nunique():,}")
    assert any(f"told by {len(mentions):,} reports" in c.value for c in at.caption)
    (table,) = [d.value for d in at.dataframe if "when" in d.value.columns]
    assert len(table) == len(mentions)
    at.pills[0].set_value(["aid"]).run()
    assert not at.exception, at.exception
    aid = views.apply_filters(mentions, views.Filters(types=("aid",)))
    assert at.metric[0].value == f"{aid['merged_id'].nunique():,}"
    (table,) = [d.value for d in at.dataframe if "when" in d.value.columns]
    assert table["event_id"].tolist() == views.table_view(aid)["event_id"].tolist()
    assert test_dashboard.download_bytes(at, downloads, "download_filtered") == to_csv_bytes(views.export(aid))
