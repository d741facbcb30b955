"""The one door: paths in, the events table and the documents table out."""

from __future__ import annotations

import os
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from itertools import groupby

import pandas as pd

from . import dates, documents, engine, events, language, sentences, timelimit
from .lexicon import lexicon, supported_languages
from .matching import Phrasebook, fold_document
from .merge import merged_events, with_merged_ids
from .schema import documents_frame, events_frame

# seconds one document may take (0: no limit); a news article takes milliseconds
TIME_LIMIT = 60.0
# characters of a text whose phrases parse_window reads ahead (some ms), outside its time limit
READ_AHEAD_CHARACTERS = 100_000
# documents of one language whose phrases are read ahead together: enough to keep the automaton warm,
# few enough that what they hold stays in the caches too (a window's 256 at once ran slower)
READ_AHEAD = 32


@dataclass(frozen=True)
class Extraction:
    """The result of reading a set of documents: the contract's two tables."""

    events: pd.DataFrame
    documents: pd.DataFrame


@dataclass(frozen=True)
class DocumentResult:
    document: dict
    events: list[dict]


def parse(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    *,
    max_bytes: int = documents.MAX_BYTES,
    language: str | None = None,
    workers: int | None = 1,
    time_limit: float | None = TIME_LIMIT,
) -> Extraction:
    """Read files and folders (recursively) into the events and documents tables.

    ``workers`` processes parse in parallel (None: all cores); the tables are the same for any number.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    results = engine.parse_inputs(documents.inputs(paths), workers=workers, max_bytes=max_bytes, language=language, time_limit=time_limit)
    return tables(results)


def extract(paths: str | os.PathLike | Iterable[str | os.PathLike], **options) -> pd.DataFrame:
    """The events table of the contract for files and folders."""
    return parse(paths, **options).events


def merged(source: str | os.PathLike | Iterable[str | os.PathLike] | pd.DataFrame, **options) -> pd.DataFrame:
    """One row per real event (``relations.events``): the mentions of files and folders, or of an events table, merged."""
    mentions = source if isinstance(source, pd.DataFrame) else parse(source, **options).events
    return merged_events(mentions)


def tables(results: Iterable[DocumentResult]) -> Extraction:
    """The two tables of a set of results; every mention carries its merged_id, computed over the whole set."""
    results = list(results)
    return Extraction(
        events=with_merged_ids(events_frame(row for r in results for row in r.events)),
        documents=documents_frame(r.document for r in results),
    )


def parse_bytes(
    doc_id: str, data: bytes, suffix: str = ".txt", *, max_bytes: int = documents.MAX_BYTES, language: str | None = None
) -> DocumentResult:
    """One document given as bytes (an upload), parsed like a file."""
    return parse_loaded(documents.from_bytes(doc_id, data, suffix, max_bytes), language)


def parse_text(doc_id: str, text: str, *, language: str | None = None) -> DocumentResult:
    """One document given as text."""
    return parse_loaded(documents.Loaded(doc_id, documents.normalise(text)), language)


def language_of(loaded: documents.Loaded, forced_language: str | None = None) -> str | None:
    """The language ``parse_loaded`` reads a document in: the one forced, else the one detected; None with no text."""
    if forced_language:
        return forced_language
    if loaded.text is None or not loaded.text.strip():
        return None
    return language.detect(loaded.text, supported_languages())


def parse_window(
    window: list[documents.Loaded], forced_language: str | None = None, time_limit: float | None = TIME_LIMIT
) -> list[DocumentResult]:
    """Loaded documents parsed each as ``parse_loaded`` parses it, in an order that runs faster; results in theirs.

    Languages are identified for all first, then the documents are parsed language by language, the
    phrase lists of a few read back to back before the rest of their parsing: the identifier's tables,
    then one language's automaton and lists, stay in the processor's caches from one document to the
    next, where a mixed archive would switch at nearly every document (the synthetic corpus's 16
    languages, mixed: 1.3x the rate on one core).
    """
    codes = [language_of(loaded, forced_language) for loaded in window]
    parsed: dict[int, DocumentResult] = {}
    for code, group in groupby(sorted(range(len(window)), key=lambda i: codes[i] or ""), key=lambda i: codes[i]):
        group = list(group)
        book = lexicon(code).phrasebook if code in supported_languages() else None
        for at in range(0, len(group), READ_AHEAD):
            some = group[at : at + READ_AHEAD]
            if book:
                _read_ahead(book, [window[i].text for i in some])
            parsed.update((i, parse_loaded(window[i], code or forced_language, time_limit)) for i in some)
        if book:
            book.read_ahead(())
    return [parsed[i] for i in range(len(window))]


def _read_ahead(book: Phrasebook, texts: list[str | None]) -> None:
    # an article's length: a long text (rare) is read at its turn, under its time limit
    folded = [fold_document(t) for t in texts if t and len(t) <= READ_AHEAD_CHARACTERS]
    # what fails here fails again in its document's own parse, which reports it
    with suppress(Exception):
        book.read_ahead(folded)


def parse_loaded(loaded: documents.Loaded, forced_language: str | None = None, time_limit: float | None = TIME_LIMIT) -> DocumentResult:
    doc = {"doc_id": loaded.doc_id, "language": None, "published": None, "n_events": 0, "status": "rejected", "reason": loaded.reason}
    if loaded.text is None:
        return DocumentResult(doc, [])
    text = loaded.text
    if not text.strip():
        return DocumentResult(doc | {"status": "empty", "reason": "no text"}, [])
    code = language_of(loaded, forced_language)
    if code is None:
        return DocumentResult(doc | {"status": "empty", "reason": "no words to read"}, [])
    doc["language"] = code
    if code not in supported_languages():
        doc["reason"] = f"language not supported: {code} (supported: {', '.join(supported_languages())})"
        return DocumentResult(doc, [])
    try:
        with timelimit.time_limit(time_limit):
            rows, published = _events(loaded.doc_id, text, code)
    except timelimit.TimeLimitExceeded as err:
        doc["reason"] = f"time limit: {err} to parse (raise it with --time-limit)"
        return DocumentResult(doc, [])
    except Exception as err:  # a bug must cost one document, never the run
        doc["reason"] = f"could not be parsed: {type(err).__name__}: {err}"
        return DocumentResult(doc, [])
    doc.update(
        published=published, n_events=len(rows), status="parsed" if rows else "empty", reason=None if rows else "no bilateral event found"
    )
    return DocumentResult(doc, rows)


def _events(doc_id: str, text: str, code: str) -> tuple[list[dict], str | None]:
    lex = lexicon(code)
    mentions = dates.scan(text, lex)
    found = dates.published_date(text, lex, mentions)
    published = found.value if found else None
    split = sentences.split(text, lex)
    doc = events.read(text, lex, split, found, mentions)
    rows = []
    for e in events.extract_events(doc):
        start, end = e.value.iso()
        rows.append(
            {
                "event_id": events.event_id(doc_id, e),
                "doc_id": doc_id,
                "event_type": e.type,
                "country_a": e.a,
                "country_b": e.b,
                "pair": e.pair,
                "date_start": start,
                "date_end": end,
                "date_precision": e.value.precision if start else "unknown",
                "status": e.status,
                "amount": e.amount,
                "currency": e.currency,
                "count": e.count,
                "location": e.location,
                "language": code,
                "sentence": e.sentence.text,
                "char_start": e.sentence.start,
                "char_end": e.sentence.end,
            }
        )
    pub = None
    if published and published.start:
        pub = published.start.isoformat()[: {"day": 10, "month": 7, "year": 4}[published.precision]]
    return rows, pub
