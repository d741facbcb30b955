"""A columnar store of the two tables that grows batch by batch and survives being killed.

Layout::

    STORE/parts/<key>/events.parquet      the contract's events table, for one batch
    STORE/parts/<key>/documents.parquet   its documents, each with its ``content_hash``
    STORE/merged.parquet                  (event_id, merged_id) over all the parts it names
    STORE/tmp/                            batches and files being written
    STORE/.lock                           held by the one ingest writing to the store

A batch is staged in a fresh folder under ``tmp/`` and renamed into
``parts/`` in one ``os.replace``: a batch is in the store whole or not at all,
and its events can never be present without its documents. There is no
separate index to fall out of step: the documents already ingested are the
``content_hash`` column of the parts present. ``<key>`` is derived from the
batch's content hashes, so the same documents always land in the same part.

Workers stage batches; only the process holding the lock commits them. A
worker that outlives a killed ingest (an orphaned process, a Dask task still
running) can therefore only leave litter in ``tmp/``, never a part that the
next run would write again under another key.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from . import merge
from .schema import DOCUMENT_COLUMNS, EVENT_COLUMNS, events_frame, validate_documents

PARTS = "parts"
TMP = "tmp"
LOCK = ".lock"
EVENTS = "events.parquet"
DOCUMENTS = "documents.parquet"
MERGED = "merged.parquet"
STORE_DOCUMENT_COLUMNS = DOCUMENT_COLUMNS | {"content_hash": "string"}
MERGED_COLUMNS = {"event_id": "string", "merged_id": "string"}
# what merge.merged_ids reads: the blocking key, the dates, amounts and places, and the ids
MERGE_INPUT = (
    "event_id", "event_type", "country_a", "country_b",
    "date_start", "date_end", "date_precision", "amount", "currency", "location",
)
# rows merged at a time: the Python objects merging needs then exist for one batch of blocks, not for the
# whole store (a million events in one go peaked at 1.5 GB)
MERGE_BATCH = 100_000
_COVERS = b"relations:parts"  # the merged file's metadata key: the part keys it was computed over
_ARROW = {"string": pa.large_string(), "Float64": pa.float64(), "Int64": pa.int64()}


def _schema(columns: dict[str, str]) -> pa.Schema:
    # fixed here rather than inferred per part, so parts written years apart still scan as one dataset
    return pa.schema([(name, _ARROW[dtype]) for name, dtype in columns.items()])


class StoreBusy(RuntimeError):
    """Another process holds the store's lock: it is ingesting into it."""


_held: set[int] = set()  # descriptors of the locks this process holds


def _forget_locks_in_child() -> None:
    # a forked worker shares the parent's lock; closing its copy keeps the lock the parent's
    # alone, so that workers orphaned by a killed parent do not keep the store locked
    for fd in _held:
        os.close(fd)
    _held.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


@contextmanager
def locked(store: str | os.PathLike, *, wait: bool = False) -> Iterator[Path]:
    """Hold the store's write lock (creating the store's folder if needed); yields its absolute path.

    Without ``wait``, raise ``StoreBusy`` at once if another process holds it.
    The OS drops the lock when its holder dies, even by SIGKILL: no stale lock.
    """
    root = Path(store).absolute()
    root.mkdir(parents=True, exist_ok=True)
    fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreBusy(f"the store {root} is being written by another ingest{_holder(fd)}") from None
        _held.add(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)  # for the message of a run that finds it busy
        yield root
    finally:
        _held.discard(fd)
        os.close(fd)


def _holder(fd: int) -> str:
    pid = os.pread(fd, 32, 0).decode(errors="replace").strip()
    return f" (pid {pid})" if pid.isdigit() else ""


def prepare(store: str | os.PathLike) -> Path:
    """Create the store if needed and drop what a killed run left half-written in ``tmp/``.

    Call it holding ``locked``: another run's batch in ``tmp/`` would be dropped too.
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
    _sync(path)


def _sync(path: Path) -> None:
    # after a power cut the rename could otherwise reach the disk before the bytes it commits
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def stage_part(store: str | os.PathLike, events: Iterable[Mapping], documents: Iterable[Mapping]) -> Path:
    """Write one batch under ``tmp/``, invisible to readers until ``commit``; runs in a worker."""
    root = Path(store)
    docs = pd.DataFrame.from_records(list(documents), columns=list(STORE_DOCUMENT_COLUMNS)).astype(STORE_DOCUMENT_COLUMNS)
    validate_documents(docs)
    if docs["content_hash"].isna().any() or docs["content_hash"].duplicated().any():
        raise ValueError("every document of a batch needs its own content_hash")
    staged = root / TMP / f"{part_key(docs['content_hash'])}-{uuid.uuid4().hex}"
    staged.mkdir(parents=True)
    _write(events_frame(events), EVENT_COLUMNS, staged / EVENTS)
    _write(docs, STORE_DOCUMENT_COLUMNS, staged / DOCUMENTS)
    return staged


def commit(store: str | os.PathLike, staged: Path) -> Path:
    """Make a staged batch a part of the store, in one rename; by the process holding the lock."""
    target = Path(store) / PARTS / staged.name.split("-")[0]
    try:
        os.replace(staged, target)
    except OSError:
        # the same documents are a part already (written earlier, outside an ingest): that one stands
        if not (target / DOCUMENTS).exists():
            raise
        shutil.rmtree(staged)
    return target


def write_part(store: str | os.PathLike, events: Iterable[Mapping], documents: Iterable[Mapping]) -> Path:
    """Add one batch: its event rows and its document rows, each document carrying ``content_hash``."""
    return commit(store, stage_part(store, events, documents))


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


# --------------------------------------------------------------------------- merged ids


def _part_keys(files: list[Path]) -> list[str]:
    return sorted(f.parent.name for f in files)


def merged_file(root: str | os.PathLike) -> Path | None:
    """``merged.parquet`` when it covers exactly the parts present; None when absent or stale."""
    path = Path(root) / MERGED
    try:
        metadata = pq.read_schema(path).metadata or {}
    except FileNotFoundError:
        return None
    covers = json.loads(metadata.get(_COVERS, b"null"))
    return path if covers == _part_keys(event_files(root)) else None


def _compute_merged(files: list[Path]) -> pd.DataFrame:
    if not files:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in MERGED_COLUMNS.items()})
    dtypes = {c: EVENT_COLUMNS[c] for c in MERGE_INPUT}
    # only the columns merging reads (the sentences are most of a part's bytes), kept in Arrow: compact
    table = ds.dataset(files, schema=_schema(dtypes), format="parquet").to_table()
    ids = np.empty(table.num_rows, dtype=object)
    for rows in _block_batches(table, MERGE_BATCH):
        ids[rows] = merge.merged_ids(table.take(rows).to_pandas().astype(dtypes))
    return pd.DataFrame({"event_id": table.column("event_id").to_pandas(), "merged_id": ids}).astype(MERGED_COLUMNS)


def _block_batches(table: pa.Table, size: int) -> Iterator[np.ndarray]:
    """Row positions of whole merge blocks, about ``size`` rows a batch, each batch in table order."""
    key = np.zeros(table.num_rows, dtype=np.int64)
    for column in merge.BLOCK_COLUMNS:
        codes = pc.dictionary_encode(table.column(column).combine_chunks())
        key = key * (len(codes.dictionary) + 1) + pc.fill_null(codes.indices, -1).to_numpy() + 1
    order = np.argsort(key, kind="stable")
    begin = 0
    for end in [*(np.flatnonzero(np.diff(key[order])) + 1), len(order)]:
        if end - begin >= size or end == len(order):
            # table order within a batch: merging sees each block's rows as it would in the whole table
            yield np.sort(order[begin:end])
            begin = end


def read_merged(root: str | os.PathLike) -> pd.DataFrame:
    """(event_id, merged_id) for every event of the store, from ``merged.parquet`` when it is current.

    When it is not (an ingest is running, or was killed before writing it), the
    ids are computed from the parts present, which takes seconds for a million events.
    """
    path = merged_file(root)
    if path is None:
        return _compute_merged(event_files(root))
    return pq.read_table(path, schema=_schema(MERGED_COLUMNS)).to_pandas().astype(MERGED_COLUMNS)


def update_merged(root: str | os.PathLike) -> bool:
    """Write ``merged.parquet`` for the parts present unless it is current; whether it was written.

    By the process holding the lock: the file is replaced whole, never seen half-written.
    """
    root = Path(root)
    if merged_file(root) is not None:
        return False
    files = event_files(root)
    table = pa.Table.from_pandas(_compute_merged(files), schema=_schema(MERGED_COLUMNS), preserve_index=False)
    table = table.replace_schema_metadata({_COVERS: json.dumps(_part_keys(files)).encode()})
    tmp = root / TMP / f"{MERGED}-{uuid.uuid4().hex}"
    tmp.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, tmp)
    _sync(tmp)
    os.replace(tmp, root / MERGED)
    return True
