"""Ingest: files and folders into a store, on every core or on a Dask cluster.

The parent locks the store, lists the inputs, hashes each file and keeps only
documents the store does not hold yet; workers parse a batch each and stage it
in the store themselves, so parsed rows never travel back through the parent
and its memory stays flat. The parent commits each staged batch (a rename), and
at the end writes the merged ids of the whole store. A run that is killed keeps
every part it committed; the next run skips those documents and writes the rest.
"""

from __future__ import annotations

import math
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from . import documents, engine, store

BATCH_SIZE = 1000  # documents per part: a few seconds of one core, a part of a few hundred KB


@dataclass(frozen=True)
class Progress:
    done: int  # files handled: written to the store, or skipped as already there
    total: int
    events: int
    elapsed: float

    @property
    def rate(self) -> float:
        """Files per second so far."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the current rate."""
        return (self.total - self.done) / self.rate if self.rate else None


@dataclass
class Summary:
    files: int = 0
    skipped: int = 0  # already in the store (or the same content met earlier in this run)
    events: int = 0
    parts: int = 0
    statuses: Counter = field(default_factory=Counter)  # parsed / empty / rejected, for the documents written
    merged: bool = False  # merged.parquet was (re)written: the store's parts had changed since it was
    seconds: float = 0.0


@dataclass(frozen=True)
class BatchDone:
    staged: Path  # under the store's tmp/, for the parent to commit
    events: int
    statuses: Counter


def ingest_batch(
    batch: list[tuple[documents.Input, str]], root: Path, max_bytes: int = documents.MAX_BYTES, language: str | None = None
) -> BatchDone:
    """Parse a batch and stage it as one part; runs in a worker (a local process or a Dask worker)."""
    results = engine.parse_chunk([item for item, _ in batch], max_bytes, language)
    rows = [row for r in results for row in r.events]
    docs = [r.document | {"content_hash": key} for r, (_, key) in zip(results, batch, strict=True)]
    staged = store.stage_part(root, rows, docs)
    return BatchDone(staged, len(rows), Counter(d["status"] for d in docs))


def _identity(item: documents.Input) -> str:
    try:
        return store.content_hash(item.path)
    except OSError:
        # no bytes to hash: known by name, so a run does not report it again; readable later, it gets its hash
        return f"unreadable:{item.doc_id}"


def _batches(items: list[documents.Input], known: set[str], size: int, summary: Summary) -> Iterator[list[tuple[documents.Input, str]]]:
    batch: list[tuple[documents.Input, str]] = []
    for item in items:
        key = _identity(item)
        if key in known:
            summary.skipped += 1
            continue
        known.add(key)
        # absolute, so that a worker started elsewhere (a Dask worker) finds the file
        batch.append((documents.Input(item.path.absolute(), item.doc_id), key))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest(
    paths: str | os.PathLike | Iterable[str | os.PathLike],
    store_dir: str | os.PathLike,
    *,
    workers: int | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[Progress], None] | None = None,
    dask: str | None = None,
    max_bytes: int = documents.MAX_BYTES,
    language: str | None = None,
    wait: bool = False,
) -> Summary:
    """Add the documents under ``paths`` that ``store_dir`` does not hold yet.

    ``workers`` local processes parse (None: all cores), or the workers of the
    Dask scheduler at ``dask`` (e.g. ``tcp://host:8786``), which must see the
    same files and the store at the same paths (a shared file system).
    One ingest writes to a store at a time: while another holds it, raise
    ``store.StoreBusy``, or with ``wait`` wait for it to finish.
    """
    started = time.monotonic()
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    with store.locked(store_dir, wait=wait) as root:
        store.prepare(root)
        items = list(documents.inputs(paths))
        summary = Summary(files=len(items))
        workers = workers or engine.default_workers()
        # small inputs still give every worker a batch; large ones are cut at batch_size
        size = max(1, min(batch_size, math.ceil(len(items) / workers)))
        batches = _batches(items, store.known_hashes(root), size, summary)
        task = partial(ingest_batch, root=root, max_bytes=max_bytes, language=language)
        done = engine.dask_map(task, batches, dask) if dask else engine.ordered_map(task, batches, workers=workers)
        _commit(root, done, summary, progress, started)
        summary.merged = store.update_merged(root)
    summary.seconds = time.monotonic() - started
    return summary


def _commit(root: Path, done: Iterable[BatchDone], summary: Summary, progress: Callable[[Progress], None] | None, started: float) -> None:
    """Commit each batch a worker staged, counting it into ``summary`` and reporting progress."""
    if progress:
        progress(Progress(0, summary.files, 0, 0.0))
    written = 0
    for batch in done:
        store.commit(root, batch.staged)
        written += sum(batch.statuses.values())
        summary.parts += 1
        summary.events += batch.events
        summary.statuses.update(batch.statuses)
        if progress:
            progress(Progress(written + summary.skipped, summary.files, summary.events, time.monotonic() - started))
    if progress:  # the files skipped after the last batch
        progress(Progress(summary.files, summary.files, summary.events, time.monotonic() - started))
