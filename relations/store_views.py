"""The dashboard's views of a store, computed by DuckDB over its Parquet parts.

A store can hold millions of events: it is never read into pandas whole.
``select`` turns the filters into a ``Selection`` once per script run: when the
filters keep at most ``MATERIALISE_LIMIT`` reports they are copied into a temporary
DuckDB table by one scan, and every figure after that reads the table instead of
the Parquet parts; larger selections are queried in place. Counts, the timeline's
periods and the per-pair summary are aggregated in SQL; only the rows shown (at
most a table's worth) come back as a frame, prepared like ``views.prepare`` does,
and a download streams the rows out in batches.

``merged_id`` comes from the store's ``merged.parquet`` when it is current
(``store.merged_file``); without it each report stands for itself (its own
``event_id``) and the dashboard says so.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa

from . import store, views
from .output import to_csv_bytes
from .schema import EVENT_COLUMNS, EVENT_TYPES, EXTENSION_COLUMNS

# copying this many reports costs about one Parquet scan; the figures then read them without decoding Parquet again
MATERIALISE_LIMIT = 250_000
DOC_LIMIT = 1_000  # document names offered in the filter: a widget of a million names is no use
CSV_BATCH = 50_000  # rows per batch the download is written in

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
_MERGED_VIEW = "CREATE OR REPLACE VIEW merged AS SELECT event_id, merged_id FROM read_parquet(?)"
# views.last_day: the day an event ends as the text tells it, date_end else its first day
_LAST_DAY = "CASE WHEN date_end IS NULL THEN _start ELSE _end END"
# the order the table shows (by date, undated last); ties in date keep the store's order
_ORDER = "_start NULLS LAST, doc_id, char_start, char_end, event_id"
# the order the store reads in (store.read_events): the download's
_STORE_ORDER = "doc_id, char_start, char_end, event_id"
_PERIOD = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}
_EXPORT_COLUMNS = EVENT_COLUMNS | EXTENSION_COLUMNS
_KEPT = "_kept_"
_kept_names = itertools.count()


def connect(root: str | os.PathLike) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the view ``events`` over the store's parts present now (and ``merged`` when current)."""
    files = [str(f) for f in store.event_files(root)]
    if not files:
        raise views.DataError(f"The store {root} holds no events yet: run `relations ingest PATH --store {root}` first.")
    con = duckdb.connect()
    con.execute(_EVENTS_VIEW.replace("?", "[" + ", ".join(_quote(f) for f in files) + "]"))
    merged = store.merged_file(root)
    if merged is not None:
        con.execute(_MERGED_VIEW.replace("?", _quote(str(merged))))
    return con


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def is_merged(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store's merged ids were current when it was connected."""
    return con.sql("SELECT count(*) FROM duckdb_views() WHERE view_name = 'merged'").fetchall()[0][0] > 0


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
    if filters.doc_contains:
        # contains(), not LIKE: a % or _ in the text is a character, not a wildcard
        clauses.append("coalesce(contains(lower(doc_id), lower(?)), false)")
        params.append(filters.doc_contains)
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


def _with_merged(source: str, merged: bool) -> str:
    """``source`` (a table, or a query in brackets) with each report's merged_id; one the merged file lacks stands for itself."""
    if not merged:
        return f"(SELECT *, event_id AS merged_id FROM {source}) AS reports"
    return (
        f"(SELECT e.*, coalesce(m.merged_id, e.event_id) AS merged_id FROM {source} AS e "
        "LEFT JOIN merged AS m ON m.event_id = e.event_id) AS reports"
    )


@dataclass(frozen=True)
class Selection:
    """The ``count`` reports the filters keep: ``table`` WHERE ``condition``; a ``copied`` table holds their merged_id too."""

    con: duckdb.DuckDBPyConnection
    table: str
    condition: str
    params: tuple
    count: int
    merged: bool
    copied: bool

    def sql(self, columns: str, *, also: str = "", rest: str = "", merged: bool = False) -> str:
        """``SELECT columns FROM`` the selection ``WHERE`` its condition (``AND also``) ``rest``; its parameters come first."""
        condition = f"{self.condition} AND {also}" if also else self.condition
        source = _with_merged(self.table, self.merged) if merged and not self.copied else self.table
        return f"SELECT {columns} FROM {source} WHERE {condition} {rest}"

    def query(
        self, columns: str, *, also: str = "", rest: str = "", params: Sequence = (), merged: bool = False
    ) -> duckdb.DuckDBPyRelation:
        # a relation, not a cursor's result: its arrow reader streams batches without copying the rows first
        return self.con.sql(self.sql(columns, also=also, rest=rest, merged=merged), params=[*self.params, *params])


def select(con: duckdb.DuckDBPyConnection, filters: views.Filters, *, limit: int = MATERIALISE_LIMIT) -> Selection:
    """The reports ``filters`` keep; up to ``limit`` of them copied once into a temporary table.

    A connection holds one such table: selecting again drops the last one, so a
    stale selection fails loudly instead of answering for other filters.
    """
    sql, params = where(filters)
    merged = is_merged(con)
    count = con.sql(f"SELECT count(*) FROM events WHERE {sql}", params=params).fetchall()[0][0]
    if count > limit:
        return Selection(con, "events", sql, tuple(params), count, merged, copied=False)
    for (old,) in con.sql(
        "SELECT table_name FROM duckdb_tables() WHERE temporary AND starts_with(table_name, ?)", params=[_KEPT]
    ).fetchall():
        con.execute(f'DROP TABLE "{old}"')
    name = f"{_KEPT}{next(_kept_names)}"
    con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {_with_merged('events', merged)} WHERE {sql}", params)
    return Selection(con, name, "true", (), count, merged, copied=True)


def choices(con: duckdb.DuckDBPyConnection, doc_limit: int = DOC_LIMIT) -> views.Choices:
    """The values each filter can take, from distinct values only; the first ``doc_limit`` document names."""

    def distinct(sql: str) -> list[str]:
        return [row[0] for row in con.sql(sql).fetchall() if row[0] is not None]

    countries = distinct("SELECT DISTINCT country_a FROM events UNION SELECT DISTINCT country_b FROM events")
    return views.Choices(
        pairs=tuple(sorted(distinct("SELECT DISTINCT pair FROM events"), key=views.pair_label)),
        countries=tuple(sorted(countries, key=views.country_name)),
        languages=tuple(sorted(distinct("SELECT DISTINCT language FROM events"))),
        # DuckDB's default collation orders by code point, as Python's sorted does
        docs=tuple(distinct(f"SELECT DISTINCT doc_id FROM events WHERE doc_id IS NOT NULL ORDER BY doc_id LIMIT {int(doc_limit)}")),
    )


def headline(selection: Selection) -> views.Headline:
    """The figures above everything; ``events`` counts merged events when the store has them, else reports."""
    events = "count(DISTINCT merged_id)" if selection.merged else "count(*)"
    events, pairs, documents, undated, first, last = selection.query(
        f"{events}, count(DISTINCT pair), count(DISTINCT doc_id), count(*) - count(_start), min(_start), max({_LAST_DAY})",
        merged=selection.merged,
    ).fetchall()[0]
    return views.Headline(
        events=events,
        pairs=pairs,
        documents=documents,
        undated=undated,
        first=pd.Timestamp(first) if first is not None else None,
        last=pd.Timestamp(last) if last is not None else None,
    )


def rows(selection: Selection, limit: int = views.TABLE_LIMIT, *, dated_only: bool = False) -> pd.DataFrame:
    """The first ``limit`` reports by date (undated last, or left out), prepared for the views."""
    columns = ", ".join([*EVENT_COLUMNS, "merged_id"])
    first = {"also": "_start IS NOT NULL" if dated_only else "", "rest": f"ORDER BY {_ORDER} LIMIT {int(limit)}"}
    if selection.copied:
        frame = selection.query(columns, merged=True, **first).df()
    else:
        # the first rows, then their merged ids: joining a million reports to show five thousand would cost seconds
        shown = _with_merged(f"({selection.sql('*', **first)})", selection.merged)
        frame = selection.con.sql(f"SELECT {columns} FROM {shown} ORDER BY {_ORDER}", params=list(selection.params)).df()
    return views.prepare(frame.astype(_EXPORT_COLUMNS))


def timeline_figure(selection: Selection, *, point_limit: int = views.POINT_LIMIT, lane_limit: int = views.LANE_LIMIT) -> go.Figure | None:
    """``views.timeline_figure`` of the selection; above ``point_limit`` dated reports, counted per period in SQL.

    None when no report has a date.
    """
    dated = "_start IS NOT NULL"
    lane_counts = selection.query("pair, count(*) AS n, min(_start) AS first, max(_start) AS last", also=dated, rest="GROUP BY pair").df()
    total = int(lane_counts["n"].sum())
    if total == 0:
        return None
    if total <= point_limit:
        return views.timeline_figure(rows(selection, total, dated_only=True), point_limit=point_limit, lane_limit=lane_limit)
    span = pd.Series(pd.to_datetime([lane_counts["first"].min(), lane_counts["last"].max()]))
    freq = views.bin_freq(span)
    notes = []
    if len(lane_counts) <= 1:
        lane_sql, lane_params = "event_type", []
    else:
        busiest = lane_counts.sort_values(["n", "pair"], ascending=[False, True])["pair"].head(lane_limit).tolist()
        if len(lane_counts) > len(busiest):
            notes.append(f"the {len(busiest)} busiest of {len(lane_counts)} pairs (choose pairs or a country for the others)")
        dated += " AND list_contains(?::VARCHAR[], pair)"
        lane_sql, lane_params = "pair", [busiest]
    counts = selection.query(
        f"event_type, status, {lane_sql} AS _lane, date_trunc('{_PERIOD[freq]}', _start) AS _bin, count(*) AS n",
        also=dated,
        rest="GROUP BY ALL ORDER BY ALL",
        params=lane_params,
    ).df()
    labels = views.TYPE_LABELS if lane_sql == "event_type" else {p: views.pair_label(p) for p in counts["_lane"].unique()}
    counts["_lane"] = counts["_lane"].map(labels)
    counts["_bin"] = pd.to_datetime(counts["_bin"])
    notes.append(f"{int(counts['n'].sum()):,} events, counted per {views.FREQ_WORDS[freq]}")
    present = set(counts["event_type"])
    lane_order = sorted(counts["_lane"].unique()) if lane_sql == "pair" else [views.TYPE_LABELS[t] for t in EVENT_TYPES if t in present]
    return views.finish_timeline(views.counts_figure(counts, freq), notes, lane_order)


def pair_summary(selection: Selection) -> pd.DataFrame:
    """``views.pair_summary`` of the selection, aggregated in SQL."""
    by_type = ", ".join(f"count(*) FILTER (WHERE event_type = '{t}') AS \"{t}\"" for t in EVENT_TYPES)
    table = selection.query(
        f"pair, count(*) AS events, {by_type}, min(_start) AS first, max({_LAST_DAY}) AS last, count(DISTINCT doc_id) AS documents",
        also="pair IS NOT NULL",
        rest="GROUP BY pair ORDER BY events DESC, pair",
    ).df()
    pairs = pd.Index(table["pair"])
    visits = selection.query("pair, country_a, count(*)", also="event_type = 'visit'", rest="GROUP BY ALL").fetchall()
    visit_counts = {(pair, giver): n for pair, giver, n in visits}
    aid = selection.query(
        "pair, country_a, coalesce(currency, '(currency not given)'), sum(amount)",
        also="event_type = 'aid' AND amount IS NOT NULL",
        rest="GROUP BY ALL ORDER BY ALL",
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


def activity(selection: Selection, freq: str = "M") -> pd.DataFrame:
    """``views.activity`` of the selection: dated reports per period and type."""
    table = selection.query(
        f"date_trunc('{_PERIOD[freq]}', _start) AS period, event_type, count(*) AS events",
        also="_start IS NOT NULL",
        rest="GROUP BY ALL ORDER BY ALL",
    ).df()
    return table.assign(period=pd.to_datetime(table["period"]))


def csv_chunks(selection: Selection, batch: int = CSV_BATCH) -> Iterator[bytes]:
    """The selection as CSV (the contract's columns and merged_id, in the store's order), ``batch`` rows at a time.

    Each batch goes through ``output.to_csv_bytes``, the one CSV writer, so no formula cell escapes the neutraliser.
    """
    columns = ", ".join(_EXPORT_COLUMNS)
    reader = selection.query(columns, rest=f"ORDER BY {_STORE_ORDER}", merged=True).to_arrow_reader(batch)
    yield to_csv_bytes(pd.DataFrame({c: pd.Series(dtype=t) for c, t in _EXPORT_COLUMNS.items()}))  # the header
    for records in reader:
        yield to_csv_bytes(pa.Table.from_batches([records]).to_pandas().astype(_EXPORT_COLUMNS), header=False)


def csv_bytes(selection: Selection) -> bytes:
    """The whole download: streamlit's button takes bytes."""
    return b"".join(csv_chunks(selection))


def store_signature(root: str | os.PathLike) -> tuple[str, ...]:
    """The parts present and whether the merged ids are current: either changing makes the dashboard reconnect."""
    parts = tuple(f.parent.name for f in store.event_files(root))
    return (*parts, "merged") if store.merged_file(root) is not None else parts
