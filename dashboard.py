"""The relations dashboard: `streamlit run dashboard.py [-- --data PATH]`.

Layout and widgets only; what is shown is computed in ``relations/views.py``.
Data: a folder of articles, an events file or a store (`relations ingest`) from
`--data` or RELATIONS_DATA, by default the bundled seeds; uploads in the sidebar
are added to articles and events files. A store is queried in place by DuckDB
(``relations/store_views.py``), never loaded whole.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from relations import store_views, views
from relations.documents import from_bytes
from relations.extract import DocumentResult, parse_bytes
from relations.output import to_csv_bytes
from relations.schema import EVENT_TYPES, STATUSES

SEEDS = Path(__file__).resolve().parent / "seeds"
# the date pickers must reach any year an article may name, not only the last ten
DATE_BOUNDS = {"min_value": date(1900, 1, 1), "max_value": date(2100, 12, 31)}
MAX_REPORT_COLUMNS = 3  # reports side by side; more wrap to the next row
WIDGET_DEFAULTS = {
    "pairs": [],
    "country": None,
    "types": [],
    "date_from": None,
    "date_to": None,
    "statuses": [],
    "languages": [],
    "docs": [],
    "doc_contains": "",
    "undated": True,
}


# --------------------------------------------------------------------------- cached work
# Parsing is keyed on content hashes: a filter change reruns the script, never the parser.


@st.cache_data(show_spinner=False, max_entries=32)
def content_key(path: str, kind: str, signature: tuple) -> str:
    # the signature (names, sizes, times) is cheap; hashing the bytes happens only when it changes
    return views.fingerprint(views.Source(Path(path), kind))


@st.cache_resource(show_spinner="Reading the articles…", max_entries=4)
def base_dataset(path: str, kind: str, key: str) -> views.Dataset:
    # a resource, not data: a million-row frame is shared, not unpickled on every rerun
    return views.load(views.Source(Path(path), kind))


@st.cache_data(show_spinner=False, max_entries=64)
def upload_members(keys: tuple[tuple[str, str], ...], _uploads: tuple[views.Upload, ...]) -> list[views.Member]:
    return views.expand_uploads(_uploads)


@st.cache_data(show_spinner=False, max_entries=4096)
def parse_member(doc_id: str, digest: str, _member: views.Member) -> DocumentResult:
    return parse_bytes(doc_id, _member.data, _member.suffix)


@st.cache_resource(show_spinner=False, max_entries=8)
def with_uploads(base_key: str, upload_keys: tuple, _base: views.Dataset, _results: tuple[DocumentResult, ...]) -> views.Dataset:
    return views.combine(_base, _results)


@st.cache_resource(show_spinner=False, max_entries=4)
def shown_rows(view: tuple, _data: views.Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    # view = (data key, filters, every report?): sessions showing the same view share one filter and merge,
    # the unfiltered one (a million mentions merged) above all; few entries, as a broad filter keeps most rows;
    # nobody mutates what is returned
    _, filters, every_report = view
    mentions = views.apply_filters(_data.events, filters)
    return mentions, mentions if every_report else views.merged_view(mentions)


T = TypeVar("T")


@st.cache_resource(show_spinner=False, max_entries=128)  # ~8 parts of ~16 views; each part is bounded (TABLE_LIMIT, POINT_LIMIT)
def _shared(part: str, key: tuple, _build: Callable[[], object]) -> object:
    return _build()


def shared(part: str, key: tuple, build: Callable[[], T]) -> T:
    """``build()`` once per part and view for every session: under 20 readers the figures and
    tables of one view were rebuilt for each of them. Shared objects are never mutated
    (st.plotly_chart copies the figure, st.dataframe converts the frame)."""
    return _shared(part, key, build)  # type: ignore[return-value]


@st.cache_resource(show_spinner=False, max_entries=16)  # each entry is at most views.EAGER_CSV_ROWS rows of CSV
def _csv(part: str, key: tuple, _build: Callable[[], bytes]) -> bytes:
    return _build()


def csv_download(part: str, key: tuple, rows: int, build: Callable[[], bytes]) -> bytes | Callable[[], bytes]:
    """A download's data: the bytes themselves up to views.EAGER_CSV_ROWS rows, built once per view for every session;
    above, a callable streamlit runs on click. A file built on click is not tied to any session, so while
    20 readers rerun streamlit may drop it before the browser fetches it (a canceled download under load);
    a file passed as bytes stays while its button is shown. Above the bound, the cost of building on every
    view is what matters more."""
    return _csv(part, key, build) if rows <= views.EAGER_CSV_ROWS else build


@st.cache_data(show_spinner=False, max_entries=256)
def base_text(path: str, kind: str, key: str, doc_id: str) -> str | None:
    return views.document_text(views.Source(Path(path), kind), doc_id)


@st.cache_resource(show_spinner=False, max_entries=4)
def store_connection(path: str, parts: tuple[str, ...]) -> duckdb.DuckDBPyConnection:
    # keyed on the parts present: a new ingest reconnects; each run takes its own cursor (connections are not thread-safe)
    return store_views.connect(path)


@st.cache_data(show_spinner=False, max_entries=4)
def store_choices(path: str, parts: tuple[str, ...]) -> views.Choices:
    return store_views.choices(store_connection(path, parts).cursor())


# --------------------------------------------------------------------------- data


def data_source() -> views.Source:
    try:
        return views.source_for(views.environment_data_path(SEEDS))
    except views.DataError as err:
        st.error(str(err))
        st.stop()


def load_base(source: views.Source) -> tuple[views.Dataset, str]:
    try:
        key = content_key(str(source.path), source.kind, views.signature(source))
        return base_dataset(str(source.path), source.kind, key), key
    except views.DataError as err:
        st.error(str(err))
        st.stop()


def upload_section() -> tuple[list[views.Member], list[DocumentResult]]:
    st.header("Add articles")
    files = st.file_uploader(
        "Articles (.txt, .md, .html) or a .zip of them",
        type=[s.lstrip(".") for s in views.UPLOAD_SUFFIXES],
        accept_multiple_files=True,
        key="uploads",
        help="Read in memory and added to the view; nothing is stored.",
    )
    if not files:
        return [], []
    uploads = tuple(views.Upload(f.name, f.getvalue()) for f in files)
    members = upload_members(tuple((u.name, views.digest(u.data)) for u in uploads), uploads)
    bar = st.progress(0.0, text="Parsing the uploads…")
    results = []
    for i, member in enumerate(members, 1):
        results.append(parse_member(member.doc_id, member.digest, member) if member.data is not None else views.rejected(member))
        bar.progress(i / len(members), text=f"Parsed {i} of {len(members)}: {views.md_escape(member.doc_id)}")
    bar.empty()
    report_uploads(results)
    return members, results


def report_uploads(results: list[DocumentResult]) -> None:
    parsed = [r for r in results if r.document["status"] == "parsed"]
    if parsed:
        n_events = sum(len(r.events) for r in parsed)
        st.success(f"{len(parsed)} of {len(results)} uploaded document(s) added: {n_events} event(s).")
    for result in results:
        doc = result.document
        if doc["status"] == "parsed":
            continue
        verdict = "not added" if doc["status"] == "rejected" else "no events"
        line = f"**{views.md_escape(doc['doc_id'])}** — {verdict}: {views.md_escape(str(doc['reason']))}"
        (st.warning if doc["status"] == "rejected" else st.info)(line)


# --------------------------------------------------------------------------- filters and the URL


def current_query() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}  # noqa: SIM118 - a proxy, not a dict


def widget_values(filters: views.Filters) -> dict:
    return {
        "pairs": list(filters.pairs),
        "country": filters.country,
        "types": list(filters.types),
        "date_from": filters.date_from,
        "date_to": filters.date_to,
        "statuses": list(filters.statuses),
        "languages": list(filters.languages),
        "docs": list(filters.docs),
        "doc_contains": filters.doc_contains,
        "undated": filters.include_undated,
    }


def filters_from_widgets() -> views.Filters:
    state = st.session_state
    return views.Filters(
        pairs=tuple(state["pairs"]),
        country=state["country"],
        types=tuple(state["types"] or ()),
        date_from=state["date_from"],
        date_to=state["date_to"],
        statuses=tuple(state["statuses"] or ()),
        languages=tuple(state["languages"]),
        docs=tuple(state["docs"]),
        doc_contains=(state["doc_contains"] or "").strip(),
        include_undated=bool(state["undated"]),
    )


def prepare_widget_state(available: views.Choices) -> None:
    """First run: the filters come from the URL. Every run: no widget holds a value the data lacks."""
    if "_url_notes" not in st.session_state:
        filters, notes = views.decode_query(current_query(), available)
        st.session_state.update(widget_values(filters))
        st.session_state["_url_notes"] = notes
    for key, default in WIDGET_DEFAULTS.items():
        st.session_state.setdefault(key, default)
    for key, options in (("pairs", available.pairs), ("languages", available.languages), ("docs", available.docs)):
        kept = [v for v in st.session_state[key] if v in options]
        if kept != st.session_state[key]:
            st.session_state[key] = kept
    if st.session_state["country"] not in (None, *available.countries):
        st.session_state["country"] = None


def clear_filters() -> None:
    st.session_state.update(WIDGET_DEFAULTS)


def filter_section(available: views.Choices) -> views.Filters:
    prepare_widget_state(available)
    st.header("Filters")
    for note in st.session_state["_url_notes"]:
        st.caption(f"Ignored from the link: {views.md_escape(note)}")
    st.multiselect(
        "Country pair",
        available.pairs,
        format_func=views.pair_label,
        key="pairs",
        placeholder="All pairs — type a country to search",
    )
    st.selectbox(
        "All pairs of one country",
        available.countries,
        format_func=views.country_name,
        key="country",
        index=None,
        placeholder="Any country",
    )
    st.pills("Event types", EVENT_TYPES, selection_mode="multi", format_func=views.type_label, key="types", help="None chosen: all types.")
    left, right = st.columns(2)
    left.date_input("From", value=None, key="date_from", format="YYYY-MM-DD", **DATE_BOUNDS)
    right.date_input("To", value=None, key="date_to", format="YYYY-MM-DD", **DATE_BOUNDS)
    st.pills("Status", STATUSES, selection_mode="multi", format_func=views.STATUS_LABELS.get, key="statuses", help="None chosen: both.")
    st.multiselect("Language", available.languages, format_func=views.language_name, key="languages", placeholder="All languages")
    st.multiselect("Source document", available.docs, key="docs", placeholder="All documents")
    st.text_input("Document name contains", key="doc_contains", placeholder="e.g. 2019/", help="Any case; the text as typed, no wildcards.")
    st.checkbox("Include undated events", key="undated")
    st.button("Clear filters", on_click=clear_filters)
    filters = filters_from_widgets()
    target = views.encode_query(filters)
    if current_query() != target:  # the URL always tells the view, so it can be bookmarked
        st.query_params.from_dict(target)
    return filters


# --------------------------------------------------------------------------- main area


def headline_section(events: pd.DataFrame, mentions: pd.DataFrame, filters: views.Filters, view: tuple) -> None:
    figures = shared("headline", view, lambda: views.headline(events, mentions))
    columns = st.columns([1, 1, 1, 2.4, 1])
    columns[0].metric("Events", f"{figures.events:,}")
    columns[1].metric("Pairs", f"{figures.pairs:,}")
    columns[2].metric("Documents", f"{figures.documents:,}")
    columns[3].metric("Date span", figures.span)
    columns[4].metric("Undated", f"{figures.undated:,}")
    # the words carry values from the data (languages, names): shown literally, never as markdown
    shown = views.md_escape(views.describe(filters)) if filters != views.Filters() else "all events"
    merged = "" if events is mentions else f", each once however many reports tell it ({len(mentions):,} reports)"
    st.caption(f"Showing {shown}{merged}.")


def download_section(events: pd.DataFrame, data: views.Dataset, filters: views.Filters, view: tuple) -> None:
    name = "-".join(filters.pairs) if len(filters.pairs) == 1 else "filtered"
    left, middle, right = st.columns(3)
    left.download_button(
        "Download CSV",
        data=csv_download("filtered", view, len(events), lambda: to_csv_bytes(views.export(events))),
        file_name=f"relations-events-{name}.csv",
        mime="text/csv",
        on_click="ignore",
        help=f"The {len(events):,} reports (one row each, with its merged_id) of the events the filters show.",
        key="download_filtered",
    )
    middle.download_button(
        "Download full table",
        data=csv_download("all", view[:1], len(data.events), lambda: to_csv_bytes(views.export(data.events))),
        file_name="relations-events-all.csv",
        mime="text/csv",
        on_click="ignore",
        help=f"All {len(data.events):,} events, whatever the filters.",
        key="download_all",
    )
    has_report = data.documents is not None
    right.download_button(
        "Download documents report",
        data=csv_download("documents", view[:1], len(data.documents), lambda: to_csv_bytes(data.documents)) if has_report else b"",
        file_name="relations-documents.csv",
        mime="text/csv",
        on_click="ignore",
        disabled=not has_report,
        help="Every input with its status and the reason for each rejection." if has_report else "An events file has no documents report.",
        key="download_documents",
    )


def timeline_tab(events: pd.DataFrame, filters: views.Filters, view: tuple) -> list[str]:
    """The timeline and the undated events beside it; returns the clicked event ids."""
    chart, side = st.columns([3, 2])
    clicked: list[str] = []
    with chart:
        if events["_start"].notna().any():
            figure = shared("timeline", view, lambda: views.timeline_figure(events))
            selection = st.plotly_chart(figure, key="timeline", on_select="rerun", selection_mode="points", config={"displaylogo": False})
            clicked = [_point_id(p) for p in selection.selection.points if _point_id(p)]
            st.caption("Click an event to read its evidence below. Hollow and hatched: planned.")
        else:
            st.info(f"{views.md_escape(views.empty_message(filters, dated=True))} The undated ones are listed at the right.")
    with side:
        st.subheader("Undated")
        undated = shared("undated", view, lambda: views.undated_view(events))
        if undated.empty:
            st.caption("No undated events in this view.")
        else:
            st.dataframe(
                undated,
                hide_index=True,
                placeholder="",
                row_height=96,
                column_order=["type", "direction", "sentence"],
                column_config={"sentence": st.column_config.TextColumn("evidence sentence", width="large")},
            )
    return clicked


def _point_id(point: dict) -> str | None:
    data = point.get("customdata")
    data = data[0] if isinstance(data, list) and data else data
    return data if isinstance(data, str) else None


def pairs_tab(events: pd.DataFrame, view: tuple) -> None:
    st.subheader("Per pair")
    st.dataframe(
        shared("pairs", view, lambda: views.pair_summary(events)),
        hide_index=True,
        column_config={
            "pair": st.column_config.TextColumn("pair", pinned=True),
            "first": st.column_config.DateColumn("first event", format="D MMM YYYY"),
            "last": st.column_config.DateColumn("last event", format="D MMM YYYY"),
            "visits each way": st.column_config.TextColumn("visits each way", width="large"),
            "aid each way": st.column_config.TextColumn("aid each way", width="large"),
        },
    )
    st.caption("Click a column header to sort.")
    st.subheader("Activity over time")
    freq = st.segmented_control("Per", ["M", "Q"], format_func={"M": "month", "Q": "quarter"}.get, key="period", default="M") or "M"
    figure = shared(f"activity {freq}", view, lambda: activity_or_none(events, freq))
    if figure is None:
        st.caption("No dated events to count.")
    else:
        st.plotly_chart(figure, key="activity", config={"displaylogo": False})


def activity_or_none(events: pd.DataFrame, freq: str) -> go.Figure | None:
    table = views.activity(events, freq)
    return None if table.empty else views.activity_figure(table, freq)


def events_tab(events: pd.DataFrame, view: tuple) -> list[str]:
    """The events table; returns the id of the row chosen in it."""
    table = shared("table", view, lambda: views.table_view(events))
    if len(events) > len(table):
        st.caption(f"The first {len(table):,} of {len(events):,} events by date; the CSV download has them all.")
    selection = st.dataframe(
        table,
        hide_index=True,
        key="events_table",
        on_select="rerun",
        selection_mode="single-row",
        height=560,
        row_height=76,  # above 4rem, streamlit wraps long text
        placeholder="",
        column_order=[c for c in table.columns if c != "event_id"],
        column_config={
            "date": st.column_config.DateColumn("date", format="YYYY-MM-DD", help="The first day; sort by it."),
            "when": st.column_config.TextColumn("when", help="The date as precisely as the text gives it."),
            "amount": st.column_config.NumberColumn("amount", format="localized"),
            "count": st.column_config.NumberColumn("documents signed", format="%d"),
            "sentence": st.column_config.TextColumn("evidence sentence", width="large"),
        },
    )
    return [table["event_id"].iloc[i] for i in selection.selection.rows if i < len(table)]


def documents_tab(data: views.Dataset, data_key: tuple) -> None:
    if data.documents is None:
        st.info("The data is an events file: it has no documents report, and no document text to show evidence in.")
        return
    counts = data.documents["status"].value_counts()
    st.caption(" · ".join(f"{counts.get(s, 0):,} {s}" for s in ("parsed", "empty", "rejected")))
    st.dataframe(
        shared("documents", data_key, lambda: views.documents_view(data.documents)),
        hide_index=True,
        placeholder="",
        column_config={
            "n_events": st.column_config.NumberColumn("events found"),
            "reason": st.column_config.TextColumn("reason", width="large"),
        },
    )


def remember_clicks(source: str, ids: list[str]) -> None:
    """A new click on the chart or the table chooses the event whose evidence is shown."""
    seen_key = f"_seen_{source}"
    if ids and ids != st.session_state.get(seen_key):
        st.session_state["evidence"] = ids[0]
    st.session_state[seen_key] = ids


def evidence_section(events: pd.DataFrame, mentions: pd.DataFrame, text_for: Callable[[str], str | None], view: tuple) -> None:
    """The chosen event and every report of it side by side, each sentence marked in its document."""
    st.subheader("Evidence")
    if st.session_state.get("evidence") not in set(events["event_id"]):
        st.session_state["evidence"] = None
    labels = shared("choices", view, lambda: views.evidence_choices(events, None))
    if st.session_state["evidence"] not in (None, *labels):  # chosen beyond the first events: this session's own list
        labels = views.evidence_choices(events, st.session_state["evidence"])
    chosen = st.selectbox(
        "Event",
        list(labels),
        format_func=labels.get,
        key="evidence",
        index=None,
        placeholder="Click an event on the timeline or a row in the Events tab, or pick one here",
    )
    if chosen is None:
        return
    row = events.loc[events["event_id"] == chosen].iloc[0].to_dict()
    reports = views.reports_of(mentions, row["merged_id"])
    st.html(views.event_heading(row, reports))
    columns = st.columns(min(len(reports), MAX_REPORT_COLUMNS))
    for i, report in enumerate(reports.to_dict("records")):
        with columns[i % len(columns)]:
            report_evidence(report, text_for)


def report_evidence(report: dict, text_for: Callable[[str], str | None]) -> None:
    text = text_for(report["doc_id"])
    span = views.evidence_span(text, report["sentence"], int(report["char_start"]), int(report["char_end"])) if text else None
    heading = views.report_heading(report)
    if span is None:
        st.html(heading + views.evidence_html(report["sentence"], 0, len(report["sentence"])))
        why = "an events file has no document texts" if text is None else "the document no longer holds it (changed since?)"
        st.caption(f"Showing the evidence sentence alone: {why}.")
        return
    st.html(heading + views.evidence_html(text, *span, context=400))
    with st.expander("The whole document"):
        st.html(views.evidence_html(text, *span))


def text_lookup(base: views.Dataset, base_key: str, members: list[views.Member]) -> Callable[[str], str | None]:
    """The document text of an event: from the upload's bytes, or from the data folder."""
    uploaded = {m.doc_id: m for m in members if m.data is not None}

    def text_for(doc_id: str) -> str | None:
        if doc_id in uploaded:
            return from_bytes(doc_id, uploaded[doc_id].data, uploaded[doc_id].suffix).text
        return base_text(str(base.source.path), base.source.kind, base_key, doc_id)

    return text_for


# --------------------------------------------------------------------------- page


def store_page(source: views.Source) -> None:
    """A store: every figure is a DuckDB query over its parts; only the rows shown are read."""
    path, parts = str(source.path), store_views.store_signature(source.path)
    try:
        available = store_choices(path, parts)
        con = store_connection(path, parts).cursor()
    except views.DataError as err:
        st.error(str(err))
        st.stop()
    st.caption(f"Data: the store {views.md_escape(path)}, queried in place")
    with st.sidebar:
        filters = filter_section(available)
        if len(available.docs) >= store_views.DOC_LIMIT:
            st.caption(f"Source document: only the first {len(available.docs):,} names, alphabetically, are offered.")
    selection = store_views.select(con, filters)  # one scan; every figure below reads what it kept
    figures = store_views.headline(selection)
    columns = st.columns([1, 1, 1, 2.4, 1])
    columns[0].metric("Events" if selection.merged else "Reports", f"{figures.events:,}")
    columns[1].metric("Pairs", f"{figures.pairs:,}")
    columns[2].metric("Documents", f"{figures.documents:,}")
    columns[3].metric("Date span", figures.span)
    columns[4].metric("Undated", f"{figures.undated:,}")
    shown = views.md_escape(views.describe(filters)) if filters != views.Filters() else "all events"
    if selection.merged:
        st.caption(
            f"Showing {shown}: {figures.events:,} events told by {selection.count:,} reports. "
            "Below, one row per report: the timeline, the per-pair figures and the table count reports."
        )
    else:
        st.caption(
            f"Showing {shown}, one row per report: the store's merged ids are not current (an ingest is running or was stopped), "
            "so an event told by several documents counts once per report."
        )
    st.download_button(
        "Download CSV",
        # on its own cursor and in batches: when built on click, this run's cursor is gone
        data=csv_download(
            "store", (path, parts, filters), selection.count,
            lambda: store_views.csv_bytes(store_views.select(store_connection(path, parts).cursor(), filters, limit=0)),
        ),
        file_name=f"relations-events-{'-'.join(filters.pairs) if len(filters.pairs) == 1 else 'filtered'}.csv",
        mime="text/csv",
        on_click="ignore",
        help=f"The {selection.count:,} reports the filters keep, one row each with its merged_id.",
        key="download_filtered",
    )
    if figures.events == 0:
        st.info(views.md_escape(views.empty_message(filters)))
        return
    timeline, pairs, table = st.tabs(["Timeline", "Per pair", "Events"])
    with timeline:
        figure = store_views.timeline_figure(selection)
        if figure is None:
            st.info(views.md_escape(views.empty_message(filters, dated=True)))
        else:
            st.plotly_chart(figure, key="timeline", config={"displaylogo": False})
    with pairs:
        st.subheader("Per pair")
        st.dataframe(store_views.pair_summary(selection), hide_index=True)
        freq = st.segmented_control("Per", ["M", "Q"], format_func={"M": "month", "Q": "quarter"}.get, key="period", default="M") or "M"
        activity = store_views.activity(selection, freq)
        if not activity.empty:
            st.plotly_chart(views.activity_figure(activity, freq), key="activity", config={"displaylogo": False})
    with table:
        rows = views.table_view(store_views.rows(selection))
        if selection.count > len(rows):
            st.caption(f"The first {len(rows):,} of {selection.count:,} reports by date.")
        st.dataframe(rows, hide_index=True, height=560, row_height=76, column_order=[c for c in rows.columns if c != "event_id"])


def main() -> None:
    st.set_page_config(page_title="relations — bilateral events", layout="wide")
    st.title("Bilateral relations")
    source = data_source()
    if source.kind == "store":
        store_page(source)
        return
    base, base_key = load_base(source)
    filter_box = st.sidebar.container()
    with st.sidebar:
        members, results = upload_section()
    upload_key = tuple((m.doc_id, m.digest, m.reason) for m in members)
    data = with_uploads(base_key, upload_key, base, tuple(results)) if results else base
    st.caption(f"Data: {views.md_escape(str(base.source.path))}" + (f" and {len(results)} uploaded document(s)" if results else ""))
    with filter_box:
        filters = filter_section(data.choices)
    show_mentions = st.toggle("Show every report", key="show_mentions", help="One row per report instead of one per event.")
    data_key = (base_key, upload_key)
    view = (data_key, filters, show_mentions)
    mentions, events = shown_rows(view, data)

    headline_section(events, mentions, filters, view)
    download_section(mentions, data, filters, view)
    if events.empty:
        st.info(views.md_escape(views.empty_message(filters)))
    # only the open tab runs and is sent: four tabs of charts and grids cost each browser seconds to draw
    timeline, pairs, table, docs = st.tabs(["Timeline", "Per pair", "Events", "Documents"], key="tab", on_change="rerun")
    if not events.empty:
        with timeline:
            # a hidden chart or table forgets its selection: so does remember_clicks, or the same click again would be ignored
            remember_clicks("timeline", timeline_tab(events, filters, view) if timeline.open else [])
        with pairs:
            if pairs.open:
                pairs_tab(events, view)
        with table:
            remember_clicks("table", events_tab(events, view) if table.open else [])
    with docs:
        if docs.open:
            documents_tab(data, data_key)
    if not events.empty:
        evidence_section(events, data.events, text_lookup(base, base_key, members), view)


main()
