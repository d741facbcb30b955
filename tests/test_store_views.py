"""The dashboard over a store: DuckDB's answers are the in-memory views' answers, and the app opens a store."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from corpus import write_corpus
from streamlit.testing.v1 import AppTest

from relations import store, store_views, views
from relations.ingest import ingest

APP = Path(__file__).resolve().parents[1] / "dashboard.py"

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
]


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("store_views")
    ingest([write_corpus(folder / "corpus", 24)], folder / "store", workers=1, batch_size=10)
    return folder / "store"


@pytest.fixture(scope="module")
def mentions(root: Path) -> pd.DataFrame:
    """The in-memory path's table: the whole store read by pandas, each report its own event (as the store views show it)."""
    events = store.read_events(root)
    return views.prepare(events.assign(merged_id=events["event_id"]))


@pytest.fixture
def con(root: Path):
    con = store_views.connect(root)
    yield con
    con.close()


def test_the_corpus_gives_the_filters_something_to_choose_from(mentions: pd.DataFrame) -> None:
    assert len(mentions) > 60
    assert {"en", "sv", "nb"} <= set(mentions["language"])
    assert mentions["_start"].isna().any() and mentions["_start"].notna().any()
    for filters in FILTERS[1:]:
        assert 0 < len(views.apply_filters(mentions, filters)) < len(mentions), filters


@pytest.mark.parametrize("filters", FILTERS, ids=views.describe)
def test_duckdb_keeps_the_rows_pandas_keeps_in_the_same_order(con, mentions: pd.DataFrame, filters: views.Filters) -> None:
    expected = views.table_view(views.apply_filters(mentions, filters))
    got = views.table_view(store_views.rows(con, filters))
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, check_categorical=False)  # categories: those present


def test_only_the_rows_shown_are_read(con, mentions: pd.DataFrame) -> None:
    got = store_views.rows(con, views.Filters(), limit=7)
    # the whole order, then its head: first_by_date's partial sort breaks ties across the cut its own way
    assert got["event_id"].tolist() == views.first_by_date(mentions, len(mentions))["event_id"].head(7).tolist()


@pytest.mark.parametrize("filters", FILTERS, ids=views.describe)
def test_the_headline_is_counted_in_sql(con, mentions: pd.DataFrame, filters: views.Filters) -> None:
    assert store_views.headline(con, filters) == views.headline(views.apply_filters(mentions, filters))


@pytest.mark.parametrize("filters", FILTERS[:4], ids=views.describe)
def test_the_pair_summary_is_aggregated_in_sql(con, mentions: pd.DataFrame, filters: views.Filters) -> None:
    expected = views.pair_summary(views.apply_filters(mentions, filters))
    got = store_views.pair_summary(con, filters)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


@pytest.mark.parametrize("freq", ["M", "Q"])
def test_activity_is_counted_in_sql(con, mentions: pd.DataFrame, freq: str) -> None:
    expected = views.activity(mentions, freq).astype({"event_type": "string"})
    got = store_views.activity(con, views.Filters(), freq)
    pd.testing.assert_frame_equal(got.sort_values(["period", "event_type"]).reset_index(drop=True), expected, check_dtype=False)


def test_a_busy_timeline_is_counted_per_period_in_sql(con, mentions: pd.DataFrame) -> None:
    dated = mentions[mentions["_start"].notna()]
    figure = store_views.timeline_figure(con, views.Filters(), point_limit=10, lane_limit=3)
    drawn = sum(sum(trace.customdata) for trace in figure.data)
    busiest = dated["pair"].value_counts().sort_index().sort_values(ascending=False, kind="stable").head(3)
    assert drawn == busiest.sum()
    assert {y for trace in figure.data for y in trace.y} == {views.pair_label(p) for p in busiest.index}
    assert "3 busiest of 23 pairs" in figure.layout.title.text


def test_a_quiet_timeline_draws_each_event(con, mentions: pd.DataFrame) -> None:
    filters = views.Filters(pairs=("JPN-VNM",))
    figure = store_views.timeline_figure(con, filters)
    expected = views.timeline_figure(views.apply_filters(mentions, filters))
    assert [list(t.customdata) for t in figure.data] == [list(t.customdata) for t in expected.data]
    assert store_views.timeline_figure(con, views.Filters(docs=("seeds/none.txt",))) is None


def test_the_choices_are_the_distinct_values(con, mentions: pd.DataFrame) -> None:
    assert store_views.choices(con) == views.choices(mentions, None)


def test_a_store_is_known_by_its_layout_and_an_empty_one_is_refused(root: Path, tmp_path: Path) -> None:
    assert views.source_for(root).kind == "store"
    assert views.source_for(root.parent / "corpus").kind == "articles"
    with pytest.raises(views.DataError, match="holds no events yet"):
        store_views.connect(store.prepare(tmp_path / "empty"))


def test_the_app_opens_a_store(root: Path, mentions: pd.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RELATIONS_DATA", raising=False)
    monkeypatch.setattr(sys, "argv", ["dashboard.py", "--data", str(root)])
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception, at.exception
    assert at.metric[0].value == f"{len(mentions):,}"
    assert any("one row per report" in c.value for c in at.caption)
    (table,) = [d.value for d in at.dataframe if "when" in d.value.columns]
    assert len(table) == len(mentions)
    at.pills[0].set_value(["aid"]).run()
    assert not at.exception, at.exception
    aid = views.apply_filters(mentions, views.Filters(types=("aid",)))
    assert at.metric[0].value == f"{len(aid):,}"
    (table,) = [d.value for d in at.dataframe if "when" in d.value.columns]
    assert table["event_id"].tolist() == views.table_view(aid)["event_id"].tolist()
