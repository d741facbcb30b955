"""What the dashboard shows, as pure functions of the event table.

``dashboard.py`` only lays widgets out; everything it displays is computed
here, so it can be tested without a browser and timed without a server.
Nothing in this module mutates the frames it is given: the dashboard shares one
loaded dataset between sessions.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import re
import stat
import sys
import textwrap
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import documents as documents_mod
from . import store
from .extract import DocumentResult, Extraction, parse, tables
from .merge import lead_first, merged_ids
from .output import FORMATS as EVENT_FILE_SUFFIXES
from .schema import EVENT_COLUMNS, EVENT_TYPES, EXTENSION_COLUMNS, STATUSES, validate_events

# --------------------------------------------------------------------------- look

# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies
TYPE_COLOURS = {"visit": "#0072B2", "meeting": "#E69F00", "signing": "#009E73", "aid": "#D55E00"}
TYPE_SYMBOLS = {"visit": "circle", "meeting": "diamond", "signing": "square", "aid": "triangle-up"}
TYPE_LABELS = {"visit": "Visit", "meeting": "Meeting", "signing": "Signing", "aid": "Aid"}
STATUS_LABELS = {"occurred": "Occurred", "planned": "Planned"}

POINT_LIMIT = 5_000  # more dated events than this: the timeline draws counts per period
WEBGL_FROM = 1_000  # from this many markers on, WebGL keeps the browser responsive
LANE_LIMIT = 40  # pairs drawn in the timeline at once: the busiest
TABLE_LIMIT = 5_000  # rows sent to the browser in a table; the downloads have them all
CHOICE_LIMIT = 500  # events offered in the evidence picker

# the columns the dashboard adds to the contract's; dropped from every download
DERIVED = ("_start", "_end", "_label", "_precedence", "_sources")
# few distinct values in many rows: as categories, filters and group-bys run several times faster
CATEGORICAL = (
    "merged_id",
    "doc_id",
    "event_type",
    "country_a",
    "country_b",
    "pair",
    "date_precision",
    "status",
    "currency",
    "language",
    "_label",
)


# --------------------------------------------------------------------------- names


@lru_cache(maxsize=1024)
def country_name(code: str) -> str:
    """'VNM' -> 'Vietnam': the English short name a reader expects, else the code."""
    import pycountry
    from babel import Locale

    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return Locale("en").territories.get(country.alpha_2) or getattr(country, "common_name", None) or country.name


def pair_codes(pair: str) -> tuple[str, str]:
    """'LAO-VNM' -> ('LAO', 'VNM'), the two countries in label order (by name)."""
    a, b = pair.split("-", 1)
    return tuple(sorted((a, b), key=country_name))  # type: ignore[return-value]


@lru_cache(maxsize=4096)
def pair_label(pair: str) -> str:
    """'LAO-VNM' -> 'Laos – Vietnam': the two names in alphabetical order."""
    return " – ".join(country_name(code) for code in pair_codes(pair))


@lru_cache(maxsize=256)
def language_name(code: str) -> str:
    """'nb' -> 'Norwegian Bokmål (nb)'."""
    from babel import Locale

    name = Locale("en").languages.get(code)
    return f"{name} ({code})" if name else code


def type_label(event_type: str) -> str:
    return TYPE_LABELS.get(event_type, event_type)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~$:])")


def md_escape(text: str) -> str:
    """Text that Streamlit's markdown shows literally (file names, reasons)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


# --------------------------------------------------------------------------- data sources


class DataError(Exception):
    """The data cannot be shown; the message says why, in words."""


@dataclass(frozen=True)
class Source:
    """Where the data comes from. ``kind`` picks the loader: a Parquet store is one more kind."""

    path: Path
    # "articles" (a folder or one article), "events" (a file written by `relations extract`)
    # or "store" (written by `relations ingest`: queried in place by relations/store_views.py, never loaded whole)
    kind: str

    @property
    def has_documents(self) -> bool:
        return self.kind == "articles"


def environment_data_path(default: Path) -> Path:
    """The data path this process was given (see ``data_path``)."""
    return data_path(sys.argv[1:], os.environ, default)


def data_path(argv: Sequence[str], environ: Mapping[str, str], default: Path) -> Path:
    """`-- --data PATH` on the command line, else RELATIONS_DATA, else the bundled seeds."""
    for i, arg in enumerate(argv):
        if arg == "--data" and i + 1 < len(argv):
            return Path(argv[i + 1])
        if arg.startswith("--data="):
            return Path(arg.split("=", 1)[1])
    return Path(environ["RELATIONS_DATA"]) if environ.get("RELATIONS_DATA") else default


def source_for(path: Path) -> Source:
    """Tell a store or an events file from articles; refuse what is none of them."""
    if not path.exists():
        raise DataError(f"The data path {path} does not exist.")
    if store.is_store(path):
        return Source(path, "store")
    if path.is_file() and path.suffix.lower() in EVENT_FILE_SUFFIXES:
        return Source(path, "events")
    return Source(path, "articles")


def _files(source: Source) -> list[Path]:
    if source.path.is_dir():
        return sorted(p for p in source.path.rglob("*") if p.is_file())
    return [source.path]


def signature(source: Source) -> tuple:
    """Names, sizes and modification times: cheap to take on every rerun."""
    out = []
    for path in _files(source):
        info = path.stat()
        out.append((path.as_posix(), info.st_size, info.st_mtime_ns))
    return tuple(out)


def fingerprint(source: Source) -> str:
    """A hash of every input file's name and bytes: the key parsing is cached under."""
    hasher = hashlib.blake2b(digest_size=16)
    for path in _files(source):
        hasher.update(path.relative_to(source.path).as_posix().encode() if source.path.is_dir() else path.name.encode())
        with path.open("rb") as handle:
            for block in iter(lambda h=handle: h.read(1 << 20), b""):
                hasher.update(block)
    return hasher.hexdigest()


def read_events_file(path: Path) -> pd.DataFrame:
    """An events table written by `relations extract`, with the contract's dtypes."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            frame = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
        elif suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_json(path, lines=suffix == ".jsonl", orient="records", dtype=False)
    except (ValueError, OSError) as err:
        raise DataError(f"{path.name} could not be read as an events table: {err}") from err
    missing = [c for c in EVENT_COLUMNS if c not in frame.columns]
    if missing:
        raise DataError(f"{path.name} is not an events table: the columns {', '.join(missing)} are missing.")
    columns = list(EVENT_COLUMNS) + [c for c in frame.columns if c not in EVENT_COLUMNS]
    try:
        frame = frame[columns].astype(EVENT_COLUMNS | {c: t for c, t in EXTENSION_COLUMNS.items() if c in frame.columns})
        validate_events(frame)
    except (ValueError, TypeError) as err:
        raise DataError(f"{path.name} does not satisfy the events contract: {err}") from err
    return frame


@dataclass(frozen=True)
class Choices:
    """The values each filter can take in the loaded data."""

    pairs: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Dataset:
    """The loaded data: prepared events, the documents report when there is one."""

    events: pd.DataFrame
    documents: pd.DataFrame | None
    source: Source
    choices: Choices


def prepare(events: pd.DataFrame) -> pd.DataFrame:
    """The contract table plus the columns every view needs: real dates, the pair label, the merge (computed if the table lacks it)."""
    if "merged_id" not in events.columns:  # an events file written before merging existed
        events = events.assign(merged_id=merged_ids(events))
    events = with_precedence(events)
    start = pd.to_datetime(events["date_start"], format="%Y-%m-%d", errors="coerce")
    end = pd.to_datetime(events["date_end"], format="%Y-%m-%d", errors="coerce")
    end = end.fillna(_period_end(start, events["date_precision"]))
    labels = {pair: pair_label(pair) for pair in events["pair"].dropna().unique()}
    return _categorical(events.assign(_start=start, _end=end, _label=events["pair"].map(labels)))


def with_precedence(events: pd.DataFrame) -> pd.DataFrame:
    """Each mention's place in line to lead its merged event (0 first): the merged view picks the first one a filter keeps."""
    return events.assign(_precedence=pd.Series(np.arange(len(events)), index=lead_first(events).index))


def _categorical(events: pd.DataFrame) -> pd.DataFrame:
    return events.astype({c: "category" for c in CATEGORICAL if c in events.columns})


def _period_end(start: pd.Series, precision: pd.Series) -> pd.Series:
    """The last day a month- or year-precise date covers, so a date range can overlap it."""
    days = start.to_numpy(dtype="datetime64[D]")
    month_end = (days.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    year_end = (days.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    kind = precision.fillna("day").to_numpy(dtype=object)
    last = np.where(kind == "month", month_end, np.where(kind == "year", year_end, days))
    return pd.Series(pd.to_datetime(last), index=start.index)


def choices(events: pd.DataFrame, documents: pd.DataFrame | None) -> Choices:
    pairs = sorted(events["pair"].dropna().unique(), key=pair_label)
    countries = sorted(set(events["country_a"].dropna()) | set(events["country_b"].dropna()), key=country_name)
    docs = documents["doc_id"] if documents is not None else events["doc_id"]
    return Choices(
        pairs=tuple(pairs),
        countries=tuple(countries),
        languages=tuple(sorted(events["language"].dropna().unique())),
        docs=tuple(sorted(docs.dropna().unique())),
    )


def make_dataset(extraction: Extraction | pd.DataFrame, source: Source) -> Dataset:
    events, docs = (extraction.events, extraction.documents) if isinstance(extraction, Extraction) else (extraction, None)
    prepared = prepare(events)
    return Dataset(prepared, docs, source, choices(prepared, docs))


def load(source: Source) -> Dataset:
    """Parse the articles, or read the events file, into a dataset."""
    return _LOADERS[source.kind](source)


def _load_articles(source: Source) -> Dataset:
    result = parse(source.path)
    if result.documents.empty:
        raise DataError(f"There are no documents in {source.path}.")
    return make_dataset(result, source)


def _load_events_file(source: Source) -> Dataset:
    return make_dataset(read_events_file(source.path), source)


# one loader per kind of source that is read into memory whole
_LOADERS = {"articles": _load_articles, "events": _load_events_file}


def document_text(source: Source, doc_id: str) -> str | None:
    """The text the evidence offsets refer to; None when the source has no documents."""
    if not source.has_documents:
        return None
    root = source.path if source.path.is_dir() else source.path.parent
    path = (root / doc_id).resolve()
    if not path.is_relative_to(root.resolve()):  # a doc_id never leads out of the data folder
        return None
    return documents_mod.load(documents_mod.Input(path, doc_id)).text


# --------------------------------------------------------------------------- uploads

UPLOAD_SUFFIXES = (*sorted(documents_mod.TEXT_SUFFIXES), ".zip")


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class Member:
    """One document out of the uploads: its bytes, or why it was refused."""

    doc_id: str
    data: bytes | None
    reason: str | None = None

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.doc_id).suffix.lower()

    @property
    def digest(self) -> str:
        return digest(self.data or b"")


def digest(data: bytes) -> str:
    """The content hash uploads are cached under."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass(frozen=True)
class ZipLimits:
    members: int = 1_000
    total_bytes: int = 100 * 1024 * 1024
    member_bytes: int = documents_mod.MAX_BYTES
    ratio: float = 100.0  # text deflates ~4:1; 100:1 is a bomb ...
    ratio_from: int = 1024 * 1024  # ... once it is large enough to hurt


# files a session may upload (an archive counts as one; its members are bounded by ZipLimits):
# each is hashed and parsed on the shared server, so the count is bounded like a zip's members
MAX_UPLOAD_FILES = 200
EAGER_CSV_ROWS = 20_000  # a download of up to this many rows is built with the page, larger ones on click


def expand_uploads(uploads: Iterable[Upload], limits: ZipLimits = ZipLimits(), max_files: int | None = None) -> list[Member]:
    """Every uploaded file, archives opened, each exactly once: a document or a refusal.

    The files past ``max_files`` (default ``MAX_UPLOAD_FILES``) are each listed as refused, unread.
    """
    max_files = MAX_UPLOAD_FILES if max_files is None else max_files
    beyond = f"too many files: the limit is {max_files:,} uploaded files per session (a .zip counts as one)"
    members: list[Member] = []
    for n, upload in enumerate(uploads, 1):
        if n > max_files:
            members.append(Member(f"upload/{upload.name}", None, beyond))
        elif upload.name.lower().endswith(".zip"):
            members.extend(unzip(upload, limits))
        else:
            members.append(Member(f"upload/{upload.name}", upload.data))
    return _without_duplicates(members)


def _without_duplicates(members: list[Member]) -> list[Member]:
    """Two files of one name both stay, told apart; the same bytes twice are read once."""
    taken: set[str] = set()
    first_with: dict[str, str] = {}
    out = []
    for member in members:
        doc_id = _free_name(member.doc_id, taken)
        taken.add(doc_id)
        if member.data is not None and member.digest in first_with:
            out.append(Member(doc_id, None, f"the same content as {first_with[member.digest]}"))
            continue
        if member.data is not None:
            first_with[member.digest] = doc_id
        out.append(replace(member, doc_id=doc_id))
    return out


def _free_name(doc_id: str, taken: set[str]) -> str:
    """'upload/a.txt', else 'upload/a (2).txt', ...: the suffix stays last, it tells the format."""
    path, candidate, n = PurePosixPath(doc_id), doc_id, 2
    while candidate in taken:
        candidate = str(path.with_name(f"{path.stem} ({n}){path.suffix}"))
        n += 1
    return candidate


def unzip(upload: Upload, limits: ZipLimits = ZipLimits()) -> list[Member]:
    """The members of an uploaded archive, read in memory, refusing what could harm."""
    prefix = f"upload/{upload.name}"
    try:
        archive = zipfile.ZipFile(io.BytesIO(upload.data))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as err:
        return [Member(prefix, None, f"not a readable ZIP archive: {err}")]
    if len(infos) > limits.members:
        return [Member(prefix, None, f"too many files in the archive: {len(infos):,}, the limit is {limits.members:,}")]
    members, total = [], 0
    with archive:
        for info in infos:
            doc_id = f"{prefix}/{info.filename.lstrip('/')}"
            reason = _refusal(info, limits)
            if reason is None and total >= limits.total_bytes:
                reason = f"the archive unpacks to more than {limits.total_bytes:,} bytes"
            data = None if reason else _read_member(archive, info, limits)
            if isinstance(data, str):
                data, reason = None, data
            total += len(data or b"")
            members.append(Member(doc_id, data, reason))
    return members


def _refusal(info: zipfile.ZipInfo, limits: ZipLimits) -> str | None:
    name = info.filename.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return "refused: an absolute path in the archive"
    if ".." in PurePosixPath(name).parts:
        return "refused: a path that leads out of the archive (..)"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "refused: a symbolic link"
    if info.flag_bits & 0x1:
        return "refused: encrypted"
    if info.file_size > limits.member_bytes:
        return f"too large: {info.file_size:,} bytes, the limit is {limits.member_bytes:,}"
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size >= limits.ratio_from and ratio > limits.ratio:
        return f"refused: compressed {ratio:,.0f}:1, a zip bomb (the limit is {limits.ratio:,.0f}:1)"
    return None


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: ZipLimits) -> bytes | str:
    """The member's bytes, or a reason; never more than the limit is inflated, whatever the header claims."""
    try:
        with archive.open(info) as handle:
            data = handle.read(limits.member_bytes + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as err:
        return f"damaged or unsupported in the archive: {err}"
    if len(data) > limits.member_bytes:
        return f"too large: more than {limits.member_bytes:,} bytes, the limit is {limits.member_bytes:,}"
    return data


def rejected(member: Member) -> DocumentResult:
    """A refused upload, as the documents report shows it."""
    document = {"doc_id": member.doc_id, "language": None, "published": None, "n_events": 0, "status": "rejected"}
    return DocumentResult(document | {"reason": member.reason}, [])


def combine(base: Dataset, results: Sequence[DocumentResult]) -> Dataset:
    """The base data with the uploads' documents and events added."""
    if not results:
        return base
    added = tables(results)
    frames = [f for f in (base.events, prepare(added.events)) if not f.empty] or [base.events]
    events = pd.concat(frames, ignore_index=True)
    # an upload may report an event the base already has: the merge is redone over both
    events = _categorical(with_precedence(events.assign(merged_id=merged_ids(events))))  # categories differ: concat falls back to objects
    docs = added.documents if base.documents is None else pd.concat([base.documents, added.documents], ignore_index=True)
    return Dataset(events, docs, base.source, choices(events, docs))


# --------------------------------------------------------------------------- merged events


def merged_view(mentions: pd.DataFrame) -> pd.DataFrame:
    """One row per merged event among these mentions: the most precise one the filters kept leads.

    It keeps every column the views read, so each of them draws events or mentions alike;
    ``_sources`` counts the event's documents, and it occurred if any report says so.
    """
    # integer codes and bincounts: a group-by over a million merged ids would cost seconds per rerun
    event = _codes(mentions["merged_id"])
    order = np.argsort(mentions["_precedence"].to_numpy(), kind="stable")
    _, first = np.unique(event[order], return_index=True)
    lead = order[first]
    size = int(event.max()) + 1 if len(event) else 0
    documents = pd.DataFrame({"event": event, "doc": _codes(mentions["doc_id"])}).drop_duplicates()
    sources = np.bincount(documents["event"].to_numpy(), minlength=size)
    occurred = np.bincount(event, weights=(mentions["status"] == "occurred").to_numpy(dtype=float), minlength=size) > 0
    leads = mentions.iloc[lead]
    return leads.assign(
        _sources=sources[event[lead]],
        status=pd.Series(np.where(occurred[event[lead]], "occurred", "planned"), index=leads.index, dtype="category"),
    )


def _codes(column: pd.Series) -> np.ndarray:
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(dtype=np.int64)
    return pd.factorize(column)[0].astype(np.int64)


def reports_of(mentions: pd.DataFrame, merged_id: str) -> pd.DataFrame:
    """Every mention of one merged event, its lead first: the evidence panel shows them side by side."""
    rows = mentions[mentions["merged_id"] == merged_id]
    return rows.sort_values("_precedence", kind="stable")


def report_heading(row: Mapping) -> str:
    """One report of an event in one escaped line: document, language, its own date."""
    parts = [
        "<code>" + html.escape(str(row["doc_id"])) + "</code>",
        html.escape(language_name(str(row["language"]))),
        html.escape(row_date_label(row)),
    ]
    money = amount_label(row.get("amount"), row.get("currency"))
    if money:
        parts.append(html.escape(money))
    return "<p>" + " · ".join(parts) + "</p>"


# --------------------------------------------------------------------------- filters


@dataclass(frozen=True)
class Filters:
    """What the sidebar asks for; an empty choice means no restriction."""

    pairs: tuple[str, ...] = ()
    country: str | None = None
    types: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    statuses: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    docs: tuple[str, ...] = ()
    doc_contains: str = ""  # a piece of the document's name, in any case: a store has too many names to list
    include_undated: bool = True

    def by_column(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The choices that keep a row by one column's value (pandas and SQL read the same list)."""
        return (
            ("pair", self.pairs),
            ("event_type", self.types),
            ("status", self.statuses),
            ("language", self.languages),
            ("doc_id", self.docs),
        )


def apply_filters(events: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows the filters keep, in one vectorised mask."""
    keep = pd.Series(True, index=events.index)
    for column, wanted in filters.by_column():
        if wanted:
            keep &= events[column].isin(wanted).fillna(False)
    if filters.country:
        keep &= (events["country_a"] == filters.country).fillna(False) | (events["country_b"] == filters.country).fillna(False)
    if filters.doc_contains:
        names = events["doc_id"].astype("string").str.lower()
        keep &= names.str.contains(filters.doc_contains.lower(), regex=False).fillna(False).astype(bool)
    undated = events["_start"].isna()
    in_range = ~undated
    if filters.date_from:
        in_range &= events["_end"] >= pd.Timestamp(filters.date_from)
    if filters.date_to:
        in_range &= events["_start"] <= pd.Timestamp(filters.date_to)
    keep &= in_range | (undated & filters.include_undated)
    return events if keep.all() else events[keep]  # no filter: no copy of a million rows


# URL keys; list filters repeat their key (doc ids may hold commas)
_QUERY_LISTS = {"pairs": "pair", "types": "type", "statuses": "status", "languages": "lang", "docs": "doc"}


def encode_query(filters: Filters) -> dict[str, list[str]]:
    """The filters as URL query parameters; defaults are left out so links stay short."""
    out = {key: list(getattr(filters, name)) for name, key in _QUERY_LISTS.items() if getattr(filters, name)}
    if filters.country:
        out["country"] = [filters.country]
    if filters.doc_contains:
        out["doc_contains"] = [filters.doc_contains]
    if filters.date_from:
        out["from"] = [filters.date_from.isoformat()]
    if filters.date_to:
        out["to"] = [filters.date_to.isoformat()]
    if not filters.include_undated:
        out["undated"] = ["0"]
    return out


def decode_query(params: Mapping[str, str | Sequence[str]], available: Choices) -> tuple[Filters, list[str]]:
    """Filters from URL query parameters, and a note for each value the data cannot honour."""
    notes: list[str] = []

    def values(key: str) -> list[str]:
        raw = params.get(key, [])
        items = [raw] if isinstance(raw, str) else list(raw)
        split = key not in ("doc", "doc_contains")  # hand-written links may say pair=LAO-VNM,MNG-VNM
        return [v.strip() for item in items for v in (item.split(",") if split else [item]) if v.strip()]

    def known(found: Iterable[str], allowed: Sequence[str], what: str) -> tuple[str, ...]:
        kept = []
        for value in found:
            if value in allowed:
                kept.append(value)
            else:
                notes.append(f"{what} {value!r} is not in the data")
        return tuple(dict.fromkeys(kept))

    pairs = ["-".join(sorted(p.upper().split("-", 1))) if "-" in p else p for p in values("pair")]
    country = [c.upper() for c in values("country")][-1:]
    filters = Filters(
        pairs=known(pairs, available.pairs, "pair"),
        country=next(iter(known(country, available.countries, "country")), None),
        types=known([t.lower() for t in values("type")], EVENT_TYPES, "event type"),
        date_from=_date_param(values("from"), "from", notes),
        date_to=_date_param(values("to"), "to", notes),
        statuses=known([s.lower() for s in values("status")], STATUSES, "status"),
        languages=known([v.lower() for v in values("lang")], available.languages, "language"),
        docs=known(values("doc"), available.docs, "document"),
        doc_contains=(values("doc_contains") or [""])[-1],
        include_undated=(values("undated") or ["1"])[-1].lower() not in ("0", "false", "no", "hide"),
    )
    return filters, notes


def _date_param(found: list[str], key: str, notes: list[str]) -> date | None:
    if not found:
        return None
    try:
        return date.fromisoformat(found[-1])
    except ValueError:
        notes.append(f"{key} date {found[-1]!r} is not a date (YYYY-MM-DD)")
        return None


_PLURALS = {"visit": "visits", "meeting": "meetings", "signing": "signings", "aid": "aid events"}


def describe(filters: Filters) -> str:
    """The filter in words: 'planned visits for Laos – Vietnam in 2019'."""
    what = " or ".join(_PLURALS.get(t, t) for t in filters.types) if filters.types else "events"
    if len(filters.statuses) == 1:
        what = f"{filters.statuses[0]} {what}"
    parts = [what]
    if filters.pairs:
        parts.append("for " + ", ".join(pair_label(p) for p in filters.pairs))
    if filters.country:
        parts.append(f"involving {country_name(filters.country)}")
    span = _span_words(filters.date_from, filters.date_to)
    if span:
        parts.append(span)
    if filters.languages:
        parts.append("in " + ", ".join(language_name(code) for code in filters.languages))
    if filters.docs:
        parts.append(f"in the {len(filters.docs)} chosen document{'s' if len(filters.docs) > 1 else ''}")
    if filters.doc_contains:
        parts.append(f"in documents whose name contains “{filters.doc_contains}”")
    return " ".join(parts)


def empty_message(filters: Filters, *, dated: bool = False) -> str:
    """'No events for Laos – Vietnam in 2019' — what an empty view says instead of nothing."""
    return f"No {'dated ' if dated else ''}{describe(filters)}."


def _span_words(start: date | None, end: date | None) -> str:
    if start and end and start.year == end.year and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return f"in {start.year}"
    if start and end:
        return f"from {long_date(start)} to {long_date(end)}"
    if start:
        return f"from {long_date(start)} on"
    if end:
        return f"until {long_date(end)}"
    return ""


# --------------------------------------------------------------------------- figures in words


def long_date(day: date | pd.Timestamp) -> str:
    return f"{day.day} {day:%B %Y}"


def date_label(start: pd.Timestamp | None, end: pd.Timestamp | None, precision: str | None) -> str:
    """'30 September 2024 – 1 October 2024', 'November 2024', '2024' or 'undated'."""
    if start is None or pd.isna(start):
        return "undated"
    if precision == "year":
        return f"{start:%Y}"
    if precision == "month":
        return f"{start:%B %Y}"
    if end is not None and not pd.isna(end) and end > start:
        return f"{long_date(start)} – {long_date(end)}"
    return long_date(start)


def row_date_label(row: Mapping) -> str:
    """The date of one event row; its end only when the text gave one."""
    return date_label(row["_start"], row["_end"] if pd.notna(row["date_end"]) else None, row["date_precision"])


def last_day(events: pd.DataFrame) -> pd.Series:
    """The day each event ends as the text tells it: date_end, else its (first) date."""
    return events["_start"].where(events["date_end"].isna(), events["_end"])


def direction(frame: pd.DataFrame) -> pd.Series:
    """Who went to, or gave to, whom: 'Vietnam → Mongolia'; the pair for meetings and signings."""
    names = {code: country_name(code) for code in pd.unique(frame[["country_a", "country_b"]].to_numpy().ravel()) if isinstance(code, str)}
    arrow = frame["country_a"].map(names).astype("string") + " → " + frame["country_b"].map(names).astype("string")
    directed = frame["event_type"].isin(("visit", "aid")).fillna(False)
    return arrow.where(directed, frame["_label"].astype("string"))


def amount_label(amount: object, currency: object) -> str:
    if amount is None or pd.isna(amount):
        return ""
    unit = currency if isinstance(currency, str) and currency else "(currency not given)"
    return f"{amount:,.0f} {unit}"


@dataclass(frozen=True)
class Headline:
    events: int
    pairs: int
    documents: int
    undated: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None

    @property
    def span(self) -> str:
        if self.first is None:
            return "—"
        first, last = (f"{d.day} {d:%b %Y}" for d in (self.first, self.last))
        return first if first == last else f"{first} – {last}"


def headline(events: pd.DataFrame, mentions: pd.DataFrame | None = None) -> Headline:
    """The figures above everything: events, pairs, documents (those of ``mentions`` when the events are merged), date span, undated."""
    starts = events["_start"].dropna()
    return Headline(
        events=len(events),
        pairs=int(events["pair"].nunique()),
        documents=int((events if mentions is None else mentions)["doc_id"].nunique()),
        undated=int(events["_start"].isna().sum()),
        first=starts.min() if len(starts) else None,
        last=last_day(events).max() if len(starts) else None,
    )


# --------------------------------------------------------------------------- timeline


def lanes(dated: pd.DataFrame, limit: int = LANE_LIMIT) -> tuple[str, list[str], int]:
    """The lane column and its lanes (at most ``limit``, the busiest), and how many there were.

    One lane per pair; per event type when the view holds one pair.
    """
    if dated["pair"].nunique() <= 1:
        present = set(dated["event_type"])
        return "event_type", [type_label(t) for t in EVENT_TYPES if t in present], len(present)
    counts = dated["_label"].value_counts()
    counts = counts[counts > 0]  # a category column also counts the pairs filtered away
    return "_label", sorted(counts.index[:limit]), len(counts)


def _lane_values(events: pd.DataFrame, column: str) -> pd.Series:
    return events[column].map(TYPE_LABELS) if column == "event_type" else events[column]


def hover_text(events: pd.DataFrame) -> list[str]:
    """The hover of each event: date, type, direction, location, amount, sentence — all escaped."""
    out = []
    for row, arrow in zip(events.to_dict("records"), direction(events), strict=True):
        lines = [
            f"<b>{html.escape(type_label(row['event_type']))}</b> · {html.escape(str(row['status']))}",
            html.escape(row_date_label(row)),
            html.escape(str(arrow)),
        ]
        if isinstance(row["location"], str) and row["location"]:
            lines.append("in " + html.escape(row["location"]))
        money = amount_label(row["amount"], row["currency"])
        if money:
            lines.append(html.escape(money))
        sentence = textwrap.shorten(str(row["sentence"]), 300, placeholder=" …")
        lines.append("<i>" + "<br>".join(html.escape(part) for part in textwrap.wrap(sentence, 70)) + "</i>")
        out.append("<br>".join(lines))
    return out


def timeline_figure(events: pd.DataFrame, *, point_limit: int = POINT_LIMIT, lane_limit: int = LANE_LIMIT) -> go.Figure:
    """The timeline of the dated events: a lane per pair (or type), a colour and symbol per type."""
    has_date = events["_start"].notna()
    column, lane_order, n_lanes = lanes(events[["pair", "_label", "event_type"]][has_date], lane_limit)
    notes = []
    if n_lanes > len(lane_order):
        has_date &= _lane_values(events, column).isin(lane_order)
        notes.append(f"the {len(lane_order)} busiest of {n_lanes} pairs (choose pairs or a country for the others)")
    # counting needs four columns; copying every column of a million rows would cost more than the chart
    columns = slice(None) if has_date.sum() <= point_limit else ["pair", "_label", "event_type", "status", "_start"]
    dated = events.loc[has_date, columns]
    if len(dated) > point_limit:
        freq = bin_freq(dated["_start"])
        fig = _aggregate_timeline(dated, column, freq)
        notes.append(f"{len(dated):,} events, counted per {FREQ_WORDS[freq]}")
    else:
        fig = _event_timeline(dated, column)
    return finish_timeline(fig, notes, lane_order)


def finish_timeline(fig: go.Figure, notes: list[str], lane_order: list[str]) -> go.Figure:
    """The timeline's layout: its notes as a title, one row per lane in ``lane_order``."""
    fig.update_layout(
        title={"text": _sentence_case("; ".join(notes)), "x": 0, "font": {"size": 13}} if notes else None,
        height=min(900, 160 + 48 * max(len(lane_order), 1)),
        margin={"l": 10, "r": 10, "t": 60 if notes else 30, "b": 10},
        barmode="overlay",
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        hoverlabel={"align": "left"},
        clickmode="event+select",
    )
    fig.update_yaxes(categoryorder="array", categoryarray=lane_order, autorange="reversed", title=None)
    fig.update_xaxes(type="date", title=None)
    return fig


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _style(event_type: str, planned: bool) -> dict:
    name = type_label(event_type) + (" (planned)" if planned else "")
    return {"name": name, "legendgroup": name, "legendrank": EVENT_TYPES.index(event_type) * 2 + planned}


def _event_timeline(dated: pd.DataFrame, column: str) -> go.Figure:
    fig = go.Figure()
    spans = dated["_end"] > dated["_start"]
    span_rows = dated["date_end"].notna() & spans
    marker_trace = go.Scattergl if (~span_rows).sum() >= WEBGL_FROM else go.Scatter
    for (event_type, status), group in dated.groupby(["event_type", "status"], sort=False, observed=True):
        planned = status == "planned"
        colour = TYPE_COLOURS.get(event_type, "#777777")
        style = _style(event_type, planned)
        bars = group[span_rows.loc[group.index]]
        points = group[~span_rows.loc[group.index]]
        if len(bars):
            # a span covers its last day too: the bar ends at the end of date_end
            length = (bars["_end"] + pd.Timedelta(days=1) - bars["_start"]).dt.total_seconds() * 1000
            fig.add_trace(
                go.Bar(
                    orientation="h",
                    base=bars["_start"].dt.strftime("%Y-%m-%d").tolist(),
                    x=length.tolist(),
                    y=_lane_values(bars, column).tolist(),
                    width=0.3,
                    marker={
                        "color": colour,
                        "opacity": 0.5 if planned else 0.9,
                        "line": {"color": colour, "width": 2},
                        "pattern": {"shape": "/" if planned else "", "fgcolor": "white"},
                    },
                    customdata=bars["event_id"].tolist(),
                    hovertext=hover_text(bars),
                    hovertemplate="%{hovertext}<extra></extra>",
                    showlegend=points.empty,  # the legend shows the type's symbol when there is one
                    **style,
                )
            )
        if len(points):
            symbol = TYPE_SYMBOLS.get(event_type, "circle") + ("-open" if planned else "")
            fig.add_trace(
                marker_trace(
                    mode="markers",
                    x=points["_start"].tolist(),
                    y=_lane_values(points, column).tolist(),
                    marker={"color": colour, "symbol": symbol, "size": 13, "line": {"color": colour, "width": 2}},
                    customdata=points["event_id"].tolist(),
                    hovertext=hover_text(points),
                    hovertemplate="%{hovertext}<extra></extra>",
                    **style,
                )
            )
    return fig


FREQ_WORDS = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}
_FREQ_DAYS = {"W": 7, "M": 30.4, "Q": 91.3, "Y": 365.25}


def bin_freq(starts: pd.Series, bins: int = 150) -> str:
    """The finest of week, month, quarter, year that keeps a lane under ``bins`` markers."""
    days = max((starts.max() - starts.min()).days, 1)
    return next((freq for freq, size in _FREQ_DAYS.items() if days / size <= bins), "Y")


def period_start(starts: pd.Series, freq: str) -> pd.Series:
    """The first day of each date's week ('W', Monday), month ('M'), quarter ('Q') or year ('Y')."""
    days = starts.to_numpy(dtype="datetime64[D]")
    if freq == "W":  # 1970-01-01 was a Thursday
        first = days - ((days.astype("int64") + 3) % 7).astype("timedelta64[D]")
    elif freq == "Q":
        months = days.astype("datetime64[M]").astype("int64")
        first = (months - months % 3).astype("datetime64[M]").astype("datetime64[D]")
    else:
        first = days.astype(f"datetime64[{freq}]").astype("datetime64[D]")
    return pd.Series(pd.to_datetime(first), index=starts.index)


# d3 time formats: plotly formats the dates in the browser
_BIN_LABEL = {"W": "week of %-d %b %Y", "M": "%B %Y", "Q": "quarter from %b %Y", "Y": "%Y"}


def _aggregate_timeline(dated: pd.DataFrame, column: str, freq: str) -> go.Figure:
    binned = pd.DataFrame(
        {
            "event_type": dated["event_type"],
            "status": dated["status"],
            "_lane": _lane_values(dated, column),
            "_bin": period_start(dated["_start"], freq),
        }
    )
    return counts_figure(binned.groupby(["event_type", "status", "_lane", "_bin"], observed=True).size().rename("n").reset_index(), freq)


def counts_figure(counts: pd.DataFrame, freq: str) -> go.Figure:
    """Too many events to draw one by one: a marker per lane, type and period (columns
    event_type, status, _lane, _bin), sized by its count ``n``."""
    scale = 30 / np.sqrt(max(counts["n"].max(), 1))
    trace = go.Scattergl if len(counts) >= WEBGL_FROM else go.Scatter
    fig = go.Figure()
    for (event_type, status), group in counts.groupby(["event_type", "status"], sort=False):
        planned = status == "planned"
        colour = TYPE_COLOURS.get(event_type, "#777777")
        fig.add_trace(
            trace(
                mode="markers",
                x=group["_bin"].to_numpy(),
                y=group["_lane"].to_numpy(dtype=object),
                marker={
                    "color": colour,
                    "symbol": TYPE_SYMBOLS.get(event_type, "circle") + ("-open" if planned else ""),
                    "size": np.sqrt(group["n"].to_numpy(dtype=float)) * scale + 4,
                    "line": {"color": colour, "width": 1},
                },
                customdata=group["n"].to_numpy(),
                hovertemplate=(
                    f"<b>{html.escape(type_label(event_type))}</b> · {status}<br>%{{y}}<br>"
                    f"%{{x|{_BIN_LABEL[freq]}}}: %{{customdata:,}} events<extra></extra>"
                ),
                **_style(event_type, planned),
            )
        )
    return fig


# --------------------------------------------------------------------------- tables


def first_by_date(events: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The ``limit`` earliest events in date order, undated last — without sorting every row."""
    key = events["_start"].to_numpy(dtype="datetime64[ns]").view("int64").copy()
    key[events["_start"].isna().to_numpy()] = np.iinfo(np.int64).max
    if len(key) > limit:
        head = np.argpartition(key, limit - 1)[:limit]
        order = head[np.argsort(key[head], kind="stable")]
    else:
        order = np.argsort(key, kind="stable")
    return events.iloc[order]


def table_view(events: pd.DataFrame, limit: int = TABLE_LIMIT) -> pd.DataFrame:
    """The events a person reads: by date (undated last), names instead of codes, at most ``limit`` rows."""
    shown = first_by_date(events, limit)
    return pd.DataFrame(
        {
            "date": shown["_start"],
            "when": [row_date_label(row) for row in shown[["_start", "_end", "date_end", "date_precision"]].to_dict("records")],
            "type": shown["event_type"].map(TYPE_LABELS),
            "direction": direction(shown),
            "sentence": shown["sentence"],
            "status": shown["status"],
            "location": shown["location"],
            "amount": shown["amount"],
            "currency": shown["currency"],
            "count": shown["count"],
            "pair": shown["_label"],
            "language": shown["language"],
            "document": shown["doc_id"],
            **({"sources": shown["_sources"]} if "_sources" in shown.columns else {}),
            "event_id": shown["event_id"],
        }
    ).reset_index(drop=True)


def undated_view(events: pd.DataFrame, limit: int = TABLE_LIMIT) -> pd.DataFrame:
    """The events without a date, listed beside the timeline so none is dropped."""
    undated = events[events["_start"].isna()].head(limit)
    return pd.DataFrame(
        {
            "type": undated["event_type"].map(TYPE_LABELS),
            "direction": direction(undated),
            "status": undated["status"],
            "sentence": undated["sentence"],
            "event_id": undated["event_id"],
        }
    ).reset_index(drop=True)


def documents_view(documents: pd.DataFrame) -> pd.DataFrame:
    """Every input with its status and, for a rejection, the reason; rejected first."""
    order = {"rejected": 0, "empty": 1, "parsed": 2}
    return documents.sort_values(["status", "doc_id"], key=lambda s: s.map(order) if s.name == "status" else s).reset_index(drop=True)


def export(events: pd.DataFrame) -> pd.DataFrame:
    """The contract's columns (and any extra ones the source had) with the contract's dtypes, without the dashboard's own."""
    table = events.drop(columns=[c for c in DERIVED if c in events.columns])
    return table.astype({c: t for c, t in (EVENT_COLUMNS | EXTENSION_COLUMNS).items() if c in table.columns})


# --------------------------------------------------------------------------- per pair


def pair_summary(events: pd.DataFrame) -> pd.DataFrame:
    """One row per pair: counts by type, first and last event, visits and aid each way, documents."""
    if events.empty:
        return pd.DataFrame(columns=["pair", "events", *EVENT_TYPES, "first", "last", "visits each way", "aid each way", "documents"])
    grouped = events.groupby("pair", observed=True)
    by_type = events.groupby(["pair", "event_type"], observed=True).size().unstack(fill_value=0)
    by_type = by_type.reindex(columns=list(EVENT_TYPES), fill_value=0)
    out = pd.DataFrame(
        {
            "pair": [pair_label(p) for p in grouped.size().index],
            "events": grouped.size(),
        }
    ).join(by_type)
    out["first"] = grouped["_start"].min()
    out["last"] = last_day(events).groupby(events["pair"], observed=True).max()
    out["visits each way"] = _visits_each_way(events[events["event_type"] == "visit"], out.index)
    out["aid each way"] = _aid_each_way(events[(events["event_type"] == "aid") & events["amount"].notna()], out.index)
    out["documents"] = grouped["doc_id"].nunique()
    return out.reset_index(drop=True).sort_values("events", ascending=False, kind="stable").reset_index(drop=True)


def _visits_each_way(visits: pd.DataFrame, pairs: pd.Index) -> pd.Series:
    """'Mongolia → Vietnam: 0 · Vietnam → Mongolia: 2': the visitor is country_a."""
    counts = visits.groupby(["pair", "country_a"], observed=True).size()
    return per_direction(pairs, lambda pair, giver: f"{counts.get((pair, giver), 0):,}")


def _aid_each_way(aid: pd.DataFrame, pairs: pd.Index) -> pd.Series:
    """'Vietnam → Mongolia: 500,000 USD': sums per donor and currency, never across currencies."""
    currency = aid["currency"].astype("string").fillna("(currency not given)")
    sums = aid.assign(currency=currency).groupby(["pair", "country_a", "currency"], observed=True)["amount"].sum()
    words: dict[tuple[str, str], list[str]] = {}
    for (pair, giver, unit), amount in sums.items():
        words.setdefault((pair, giver), []).append(f"{amount:,.0f} {unit}")
    return per_direction(pairs, lambda pair, giver: ", ".join(words[(pair, giver)]) if (pair, giver) in words else None)


def per_direction(pairs: pd.Index, words) -> pd.Series:
    """For each pair, both directions in label order, each with what ``words(pair, from)`` says (None: left out)."""
    out = {}
    for pair in pairs:
        first, second = pair_codes(pair)
        parts = [(a, b, words(pair, a)) for a, b in ((first, second), (second, first))]
        out[pair] = " · ".join(f"{country_name(a)} → {country_name(b)}: {said}" for a, b, said in parts if said is not None)
    return pd.Series(out, dtype="string").reindex(pairs)


def activity(events: pd.DataFrame, freq: str = "M") -> pd.DataFrame:
    """Dated events per month ('M') or quarter ('Q') and type: the activity chart's data."""
    dated = events[events["_start"].notna()]
    if dated.empty:
        return pd.DataFrame(columns=["period", "event_type", "events"])
    binned = dated.assign(period=period_start(dated["_start"], freq))
    return binned.groupby(["period", "event_type"], observed=True).size().rename("events").reset_index()


def activity_figure(table: pd.DataFrame, freq: str = "M") -> go.Figure:
    """Stacked bars of events per period, in the timeline's colours."""
    fig = go.Figure()
    width = {"M": 28, "Q": 88}[freq] * 24 * 3600 * 1000 * 0.9
    for event_type in EVENT_TYPES:
        rows = table[table["event_type"] == event_type]
        if rows.empty:
            continue
        fig.add_trace(
            go.Bar(
                x=rows["period"].tolist(),
                y=rows["events"].tolist(),
                width=width,
                offset=0,
                name=type_label(event_type),
                marker_color=TYPE_COLOURS[event_type],
                hovertemplate="%{x|%b %Y}: %{y:,} " + type_label(event_type).lower() + "s<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", height=320, margin={"l": 10, "r": 10, "t": 10, "b": 10}, legend={"orientation": "h"})
    fig.update_xaxes(type="date")
    return fig


# --------------------------------------------------------------------------- evidence


def evidence_span(text: str, sentence: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the sentence stands in the text: at its offsets, or found again if the text moved."""
    if 0 <= start < end <= len(text) and text[start:end] == sentence:
        return start, end
    found = text.find(sentence)
    return (found, found + len(sentence)) if found >= 0 and sentence else None


def evidence_html(text: str, start: int, end: int, *, context: int | None = None) -> str:
    """The text with the evidence marked; every character of the document escaped, never run as HTML."""
    lo, hi = 0, len(text)
    if context is not None:
        lo = _word_start(text, max(0, start - context), start)
        hi = _word_end(text, end, min(len(text), end + context))
    before, marked, after = text[lo:start], text[start:end], text[end:hi]
    body = (
        ("… " if lo > 0 else "")
        + html.escape(before)
        + '<mark style="background:#ffe58f;padding:0 2px">'
        + html.escape(marked)
        + "</mark>"
        + html.escape(after)
        + (" …" if hi < len(text) else "")
    )
    return f'<div class="evidence" style="white-space:pre-wrap;line-height:1.5;max-height:28rem;overflow-y:auto">{body}</div>'


def _word_start(text: str, at: int, limit: int) -> int:
    """``at``, moved forward to the start of a word so the excerpt does not begin mid-word."""
    if at == 0:
        return 0
    space = text.find(" ", at, limit)
    return at if space < 0 else space + 1


def _word_end(text: str, limit: int, at: int) -> int:
    if at == len(text):
        return at
    space = text.rfind(" ", limit, at)
    return at if space < 0 else space


def event_heading(row: Mapping, reports: pd.DataFrame | None = None) -> str:
    """The chosen event in one escaped line: type, date, direction, place, amount, and its document or its reports."""
    frame = pd.DataFrame([row])
    parts = [
        f"<b>{html.escape(type_label(row['event_type']))}</b> ({html.escape(str(row['status']))})",
        html.escape(row_date_label(row)),
        html.escape(str(direction(frame).iloc[0])),
    ]
    if isinstance(row.get("location"), str) and row["location"]:
        parts.append("in " + html.escape(row["location"]))
    money = amount_label(row.get("amount"), row.get("currency"))
    if money:
        parts.append(html.escape(money))
    if reports is not None and reports["doc_id"].nunique() > 1:
        languages = ", ".join(sorted(reports["language"].astype(str).unique()))
        parts.append(html.escape(f"reported in {reports['doc_id'].nunique()} documents ({languages})"))
    else:
        parts.append("from <code>" + html.escape(str(row["doc_id"])) + "</code>")
    return "<p>" + " · ".join(parts) + "</p>"


def event_choice_label(row: Mapping) -> str:
    return f"{row_date_label(row)} · {type_label(row['event_type'])} · {row['_label']} · {row['doc_id']}"


def evidence_choices(events: pd.DataFrame, selected: str | None, limit: int = CHOICE_LIMIT) -> dict[str, str]:
    """Event id -> label for the evidence picker: the first events by date, and the chosen one."""
    rows = first_by_date(events, limit)
    if selected is not None and not rows["event_id"].eq(selected).any():
        rows = pd.concat([events[events["event_id"] == selected], rows])
    return {row["event_id"]: event_choice_label(row) for row in rows.to_dict("records")}
