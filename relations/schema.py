"""The two tables of the contract (docs/event-table.md), declared once.

Every function inside the package passes plain records around; the tables are
built and checked here, where they leave the package (``extract``'s return value
and the file writers), so a column can never silently change name or type.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

EVENT_TYPES = ("visit", "meeting", "signing", "aid")
# visitor -> host, donor -> recipient; the other types have no direction: their countries in alphabetical order
DIRECTED_TYPES = ("visit", "aid")
PRECISIONS = ("day", "month", "year", "unknown")
STATUSES = ("occurred", "planned")
DOC_STATUSES = ("parsed", "empty", "rejected")

# column -> pandas dtype; order is the order of the written files
EVENT_COLUMNS: dict[str, str] = {
    "event_id": "string",
    "doc_id": "string",
    "event_type": "string",
    "country_a": "string",
    "country_b": "string",
    "pair": "string",
    "date_start": "string",
    "date_end": "string",
    "date_precision": "string",
    "status": "string",
    "amount": "Float64",
    "currency": "string",
    "count": "Int64",
    "location": "string",
    "language": "string",
    "sentence": "string",
    "char_start": "Int64",
    "char_end": "Int64",
}

# the package's own columns after the contract's (which welcomes extra ones):
# merged_id groups the mentions of one real event (relations/merge.py)
EXTENSION_COLUMNS: dict[str, str] = {"merged_id": "string"}

DOCUMENT_COLUMNS: dict[str, str] = {
    "doc_id": "string",
    "language": "string",
    "published": "string",
    "n_events": "Int64",
    "status": "string",
    "reason": "string",
}


class SchemaError(ValueError):
    """A table that does not satisfy the contract."""


def _frame(rows: Iterable[Mapping], columns: dict[str, str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=list(columns))
    return frame.astype(columns)


def events_frame(rows: Iterable[Mapping]) -> pd.DataFrame:
    """Build the events table from records and check it."""
    frame = _frame(rows, EVENT_COLUMNS)
    validate_events(frame)
    return frame


def documents_frame(rows: Iterable[Mapping]) -> pd.DataFrame:
    """Build the documents table from records and check it."""
    frame = _frame(rows, DOCUMENT_COLUMNS)
    validate_documents(frame)
    return frame


def _require(ok: pd.Series | bool, message: str, frame: pd.DataFrame) -> None:
    if isinstance(ok, pd.Series):
        bad = frame[~ok.fillna(False).astype(bool)]
        if len(bad):
            raise SchemaError(f"{message}: {len(bad)} row(s), first: {bad.iloc[0].to_dict()}")
    elif not ok:
        raise SchemaError(message)


def validate_events(frame: pd.DataFrame) -> None:
    """Check the contract's invariants on an events table; raise SchemaError."""
    _require(list(frame.columns[: len(EVENT_COLUMNS)]) == list(EVENT_COLUMNS), "columns differ from the contract", frame)
    if frame.empty:
        return
    _require(frame["event_type"].isin(EVENT_TYPES), "unknown event_type", frame)
    _require(frame["date_precision"].isin(PRECISIONS), "unknown date_precision", frame)
    _require(frame["status"].isin(STATUSES), "unknown status", frame)
    for col in ("country_a", "country_b"):
        _require(frame[col].str.fullmatch(r"[A-Z]{3}"), f"{col} is not ISO alpha-3", frame)
    _require(frame["country_a"] != frame["country_b"], "an event needs two different countries", frame)
    a, b = frame["country_a"], frame["country_b"]
    expected_pair = (a.where(a < b, b) + "-" + b.where(a < b, a)).astype("string")
    _require(frame["pair"] == expected_pair, "pair is not the sorted codes", frame)
    _require(frame["event_type"].isin(DIRECTED_TYPES) | (a < b), "a meeting or signing has no direction: country_a < country_b", frame)
    undated = frame["date_precision"] == "unknown"
    _require(frame["date_start"].isna() == undated, "date_start must be empty exactly when precision is unknown", frame)
    for col in ("date_start", "date_end"):
        parsed = pd.to_datetime(frame[col], format="%Y-%m-%d", errors="coerce")
        ok = frame[col].isna() | (frame[col].str.fullmatch(r"\d{4}-\d{2}-\d{2}") & parsed.notna())
        _require(ok, f"{col} is not an ISO date", frame)
    _require((frame["date_precision"] != "month") | frame["date_start"].str.endswith("-01"), "a month starts on its first day", frame)
    _require((frame["date_precision"] != "year") | frame["date_start"].str.endswith("-01-01"), "a year starts on 1 January", frame)
    has_end = frame["date_end"].notna()
    _require(~has_end | (frame["date_end"] >= frame["date_start"]), "date_end before date_start", frame)
    _require(frame["sentence"].str.len() > 0, "every event needs its evidence sentence", frame)
    _require(frame["char_start"] < frame["char_end"], "evidence offsets are empty", frame)
    _require(~frame["event_id"].duplicated(), "event_id is not unique", frame)
    if "merged_id" in frame.columns:
        _require(frame["merged_id"].notna(), "every mention needs its merged_id", frame)


def validate_documents(frame: pd.DataFrame) -> None:
    """Check the contract's invariants on a documents table; raise SchemaError."""
    _require(list(frame.columns[: len(DOCUMENT_COLUMNS)]) == list(DOCUMENT_COLUMNS), "columns differ from the contract", frame)
    if frame.empty:
        return
    _require(frame["status"].isin(DOC_STATUSES), "unknown document status", frame)
    rejected = frame["status"] == "rejected"
    _require(~rejected | frame["reason"].fillna("").str.len().gt(0), "a rejected document needs a reason", frame)
    _require(~rejected | frame["n_events"].eq(0), "a rejected document has no events", frame)
