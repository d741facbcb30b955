"""A columnar store of the two tables that grows batch by batch and survives being killed.

Layout::

    STORE/parts/<key>/events.parquet      the contract's events table, for one batch
    STORE/parts/<key>/documents.parquet   its documents, each with its ``content_hash``
    STORE/tmp/                            batches being written

A batch is written into a fresh folder under ``tmp/`` and renamed into
``parts/`` in one ``os.replace``: a batch is in the store whole or not at all,
and its events can never be present without its documents. There is no
separate index to fall out of step: the documents already ingested are the
``content_hash`` column of the parts present. ``<key>`` is derived from the
batch's content hashes, so the same documents always land in the same part.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from .schema import DOCUMENT_COLUMNS, EVENT_COLUMNS, events_frame, validate_documents

PARTS = "parts"
TMP = "tmp"
EVENTS = "events.parquet"
DOCUMENTS = "documents.parquet"
STORE_DOCUMENT_COLUMNS = DOCUMENT_COLUMNS | {"content_hash": "string"}
_ARROW = {"string": pa.large_string(), "Float64": pa.float64(), "Int64": pa.int64()}


def _schema(columns: dict[str, str]) -> pa.Schema:
    # fixed here rather than inferred per part, so parts written years apart still scan as one dataset
    return pa.schema([(name, _ARROW[dtype]) for name, dtype in columns.items()])


def prepare(store: str | os.PathLike) -> Path:
    """Create the store if needed and drop batches a killed run left half-written.

    One ingest writes to a store at a time: another run's batch in ``tmp/`` would be dropped too.
    """
    root = Path(store)
    shutil.rmtree(root / TMP, ignore_errors=True)
    (root / PARTS).mkdir(parents=True, exist_ok=True)
    return root


def content_hash(path: str | os.PathLike) -> str:
    """The document's identity in the store: the SHA-256 of its bytes."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _parts(store: str | os.PathLike, name: str) -> list[Path]:
    return sorted((Path(store) / PARTS).glob(f"*/{name}"))


def is_store(path: str | os.PathLike) -> bool:
    """A store is known by its layout: a folder holding ``parts/``."""
    return (Path(path) / PARTS).is_dir()


def event_files(store: str | os.PathLike) -> list[Path]:
    """The events Parquet files, for readers that scan them directly (DuckDB, Dask)."""
    return _parts(store, EVENTS)


def document_files(store: str | os.PathLike) -> list[Path]:
    return _parts(store, DOCUMENTS)


def known_hashes(store: str | os.PathLike) -> set[str]:
    """Content hashes of every document already in the store."""
    files = document_files(store)
    if not files:
        return set()
    dataset = ds.dataset(files, schema=_schema(STORE_DOCUMENT_COLUMNS), format="parquet")
    return set(dataset.to_table(columns=["content_hash"]).column("content_hash").to_pylist())


def part_key(hashes: Iterable[str]) -> str:
    return hashlib.sha256("\n".join(sorted(hashes)).encode()).hexdigest()[:24]


def _write(frame: pd.DataFrame, columns: dict[str, str], path: Path) -> None:
    pq.write_table(pa.Table.from_pandas(frame[list(columns)], schema=_schema(columns), preserve_index=False), path)
    # after a power cut the rename could otherwise reach the disk before the bytes it commits
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def write_part(store: str | os.PathLike, events: Iterable[Mapping], documents: Iterable[Mapping]) -> Path:
    """Add one batch: its event rows and its document rows, each document carrying ``content_hash``."""
    root = Path(store)
    docs = pd.DataFrame.from_records(list(documents), columns=list(STORE_DOCUMENT_COLUMNS)).astype(STORE_DOCUMENT_COLUMNS)
    validate_documents(docs)
    if docs["content_hash"].isna().any() or docs["content_hash"].duplicated().any():
        raise ValueError("every document of a batch needs its own content_hash")
    target = root / PARTS / part_key(docs["content_hash"])
    tmp = root / TMP / f"{target.name}-{uuid.uuid4().hex}"
    tmp.mkdir(parents=True)
    _write(events_frame(events), EVENT_COLUMNS, tmp / EVENTS)
    _write(docs, STORE_DOCUMENT_COLUMNS, tmp / DOCUMENTS)
    try:
        os.replace(tmp, target)
    except OSError:
        # the same documents were committed meanwhile (a concurrent run): theirs stands
        if not (target / DOCUMENTS).exists():
            raise
        shutil.rmtree(tmp)
    return target


def _read(files: list[Path], columns: dict[str, str], order: list[str]) -> pd.DataFrame:
    if not files:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    frame = ds.dataset(files, schema=_schema(columns), format="parquet").to_table().to_pandas().astype(columns)
    # parts are cut differently by different runs (cores, Dask workers): sort so the store reads the same
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def read_events(store: str | os.PathLike) -> pd.DataFrame:
    """The whole events table, in a fixed order (document, then position in it)."""
    return _read(event_files(store), EVENT_COLUMNS, ["doc_id", "char_start", "char_end", "event_id"])


def read_documents(store: str | os.PathLike) -> pd.DataFrame:
    """One row per ingested document: the contract's columns and ``content_hash``."""
    return _read(document_files(store), STORE_DOCUMENT_COLUMNS, ["doc_id", "content_hash"])
