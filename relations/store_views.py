"""The dashboard's views of a store, computed by DuckDB over its Parquet parts.

A store can hold millions of events: it is never read into pandas whole.
Filters become one SQL ``WHERE``; counts, the timeline's periods and the
per-pair summary are aggregated in SQL; only the rows shown (at most a
table's worth) come back as a frame, prepared like ``views.prepare`` does.

``merged_id`` is not stored (merging is a view of the whole table) and is not
recomputed here: a store is shown one row per report (mention), each standing
for itself, and the dashboard says so.
"""

from __future__ import annotations

import os
from dataclasses import replace

import duckdb
import pandas as pd
import plotly.graph_objects as go

from . import store, views
from .schema import EVENT_COLUMNS, EVENT_TYPES

# the same real dates as views.prepare: a month or year without an end covers the whole period
_EVENTS_VIEW = """
CREATE OR REPLACE VIEW events AS
SELECT *, _start_date AS _start,
    COALESCE(TRY_CAST(date_end AS DATE), CASE date_precision
        WHEN 'month' THEN last_day(_start_date)
        WHEN 'year' THEN make_date(year(_start_date), 12, 31)
        ELSE _start_date END) AS _end
FROM (SELECT *, TRY_CAST(date_start AS DATE) AS _start_date FROM read_parquet(?))
"""
# views.last_day: the day an event ends as the text tells it, date_end else its first day
_LAST_DAY = "CASE WHEN date_end IS NULL THEN _start ELSE _end END"
# the order the store reads in (store.read_events): ties in date keep it
_ORDER = "_start NULLS LAST, doc_id, char_start, char_end, event_id"
_PERIOD = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}


def connect(root: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the view ``events`` over the store's parts present now."""
    files = [str(f) for f in store.event_files(root)]
    if not files:
        raise views.DataError(f"The store {root} holds no events yet: run `relations ingest PATH --store {root}` first.")
    con = duckdb.connect()
    con.execute(_EVENTS_VIEW.replace("?", "[" + ", ".join(_quote(f) for f in files) + "]"))
    return con


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def where(filters: views.Filters) -> tuple[str, list]:
    """``views.apply_filters`` as a SQL condition and its parameters."""
    clauses, params = [], []
    for column, wanted in filters.by_column():
        if wanted:
            clauses.append(f"coalesce(list_contains(?::VARCHAR[], {column}), false)")
            params.append(list(wanted))
    if filters.country:
        clauses.append("(coalesce(country_a = ?, false) OR coalesce(country_b = ?, false))")
        params += [filters.country, filters.country]
    in_range = ["_start IS NOT NULL"]
    if filters.date_from:
        in_range.append("_end >= ?")
        params.append(filters.date_from)
    if filters.date_to:
        in_range.append("_start <= ?")
        params.append(filters.date_to)
    dated = " AND ".join(in_range)
    clauses.append(f"(({dated}) OR _start IS NULL)" if filters.include_undated else f"({dated})")
    return " AND ".join(clauses), params


def choices(con: duckdb.DuckDBPyConnection) -> views.Choices:
    """The values each filter can take, from distinct values only."""

    def distinct(sql: str) -> list[str]:
        return [row[0] for row in con.execute(sql).fetchall() if row[0] is not None]

    countries = distinct("SELECT DISTINCT country_a FROM events UNION SELECT DISTINCT country_b FROM events")
    return views.Choices(
        pairs=tuple(sorted(distinct("SELECT DISTINCT pair FROM events"), key=views.pair_label)),
        countries=tuple(sorted(countries, key=views.country_name)),
        languages=tuple(sorted(distinct("SELECT DISTINCT language FROM events"))),
        docs=tuple(sorted(distinct("SELECT DISTINCT doc_id FROM events"))),
    )


def headline(con: duckdb.DuckDBPyConnection, filters: views.Filters) -> views.Headline:
    sql, params = where(filters)
    events, pairs, documents, undated, first, last = con.execute(
        f"SELECT count(*), count(DISTINCT pair), count(DISTINCT doc_id), count(*) - count(_start), min(_start), max({_LAST_DAY}) "
        f"FROM events WHERE {sql}",
        params,
    ).fetchone()
    return views.Headline(
        events=events,
        pairs=pairs,
        documents=documents,
        undated=undated,
        first=pd.Timestamp(first) if first is not None else None,
        last=pd.Timestamp(last) if last is not None else None,
    )


def rows(con: duckdb.DuckDBPyConnection, filters: views.Filters, limit: int = views.TABLE_LIMIT) -> pd.DataFrame:
    """The first ``limit`` rows the filters keep, by date (undated last), prepared for the views."""
    sql, params = where(filters)
    columns = ", ".join(EVENT_COLUMNS)
    frame = con.execute(f"SELECT {columns} FROM events WHERE {sql} ORDER BY {_ORDER} LIMIT {int(limit)}", params).df()
    frame = frame.astype(EVENT_COLUMNS)
    # each report stands for itself: see the module's note on merged_id
    return views.prepare(frame.assign(merged_id=frame["event_id"]))


def timeline_figure(
    con: duckdb.DuckDBPyConnection, filters: views.Filters, *, point_limit: int = views.POINT_LIMIT, lane_limit: int = views.LANE_LIMIT
) -> go.Figure | None:
    """``views.timeline_figure`` of the filtered events; above ``point_limit`` dated events, counted per period in SQL.

    None when no event has a date.
    """
    sql, params = where(filters)
    dated = f"{sql} AND _start IS NOT NULL"
    lane_counts = con.execute(f"SELECT pair, count(*) AS n FROM events WHERE {dated} GROUP BY pair", params).df()
    total = int(lane_counts["n"].sum())
    if total == 0:
        return None
    if total <= point_limit:
        dated_rows = rows(con, replace(filters, include_undated=False), total)
        return views.timeline_figure(dated_rows, point_limit=point_limit, lane_limit=lane_limit)
    span = con.execute(f"SELECT min(_start), max(_start) FROM events WHERE {dated}", params).fetchone()
    freq = views.bin_freq(pd.Series(pd.to_datetime(list(span))))
    notes = []
    if len(lane_counts) <= 1:
        lane_sql, lane_params = "event_type", []
    else:
        busiest = lane_counts.sort_values(["n", "pair"], ascending=[False, True])["pair"].head(lane_limit).tolist()
        if len(lane_counts) > len(busiest):
            notes.append(f"the {len(busiest)} busiest of {len(lane_counts)} pairs (choose pairs or a country for the others)")
        dated += " AND list_contains(?::VARCHAR[], pair)"
        lane_sql, lane_params = "pair", [busiest]
    counts = con.execute(
        f"SELECT event_type, status, {lane_sql} AS _lane, date_trunc('{_PERIOD[freq]}', _start) AS _bin, count(*) AS n "
        f"FROM events WHERE {dated} GROUP BY ALL ORDER BY ALL",
        params + lane_params,
    ).df()
    labels = views.TYPE_LABELS if lane_sql == "event_type" else {p: views.pair_label(p) for p in counts["_lane"].unique()}
    counts["_lane"] = counts["_lane"].map(labels)
    counts["_bin"] = pd.to_datetime(counts["_bin"])
    notes.append(f"{int(counts['n'].sum()):,} events, counted per {views.FREQ_WORDS[freq]}")
    present = set(counts["event_type"])
    lane_order = sorted(counts["_lane"].unique()) if lane_sql == "pair" else [views.TYPE_LABELS[t] for t in EVENT_TYPES if t in present]
    return views.finish_timeline(views.counts_figure(counts, freq), notes, lane_order)


def pair_summary(con: duckdb.DuckDBPyConnection, filters: views.Filters) -> pd.DataFrame:
    """``views.pair_summary`` of the filtered events, aggregated in SQL."""
    sql, params = where(filters)
    by_type = ", ".join(f"count(*) FILTER (WHERE event_type = '{t}') AS \"{t}\"" for t in EVENT_TYPES)
    table = con.execute(
        f"SELECT pair, count(*) AS events, {by_type}, min(_start) AS first, max({_LAST_DAY}) AS last, count(DISTINCT doc_id) AS documents "
        f"FROM events WHERE {sql} AND pair IS NOT NULL GROUP BY pair ORDER BY events DESC, pair",
        params,
    ).df()
    pairs = pd.Index(table["pair"])
    visits = con.execute(
        f"SELECT pair, country_a, count(*) FROM events WHERE {sql} AND event_type = 'visit' GROUP BY ALL", params
    ).fetchall()
    visit_counts = {(pair, giver): n for pair, giver, n in visits}
    aid = con.execute(
        f"SELECT pair, country_a, coalesce(currency, '(currency not given)'), sum(amount) FROM events "
        f"WHERE {sql} AND event_type = 'aid' AND amount IS NOT NULL GROUP BY ALL ORDER BY ALL",
        params,
    ).fetchall()
    aid_words: dict[tuple[str, str], list[str]] = {}
    for pair, giver, unit, amount in aid:
        aid_words.setdefault((pair, giver), []).append(f"{amount:,.0f} {unit}")
    table["visits each way"] = views.per_direction(pairs, lambda pair, giver: f"{visit_counts.get((pair, giver), 0):,}").to_numpy()
    table["aid each way"] = views.per_direction(
        pairs, lambda pair, giver: ", ".join(aid_words[(pair, giver)]) if (pair, giver) in aid_words else None
    ).to_numpy()
    table["pair"] = [views.pair_label(p) for p in pairs]
    for column in ("first", "last"):
        table[column] = pd.to_datetime(table[column])
    return table[["pair", "events", *EVENT_TYPES, "first", "last", "visits each way", "aid each way", "documents"]]


def activity(con: duckdb.DuckDBPyConnection, filters: views.Filters, freq: str = "M") -> pd.DataFrame:
    """``views.activity`` of the filtered events: dated events per period and type."""
    sql, params = where(filters)
    table = con.execute(
        f"SELECT date_trunc('{_PERIOD[freq]}', _start) AS period, event_type, count(*) AS events "
        f"FROM events WHERE {sql} AND _start IS NOT NULL GROUP BY ALL ORDER BY ALL",
        params,
    ).df()
    return table.assign(period=pd.to_datetime(table["period"]))


def store_signature(root: str | os.PathLike) -> tuple[str, ...]:
    """The parts present: a new ingest changes it, so the dashboard reconnects."""
    return tuple(f.parent.name for f in store.event_files(root))
