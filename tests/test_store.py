"""The store: batches go in whole or not at all, and what is in it is read back as the contract's tables."""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
import os
from pathlib import Path

import pandas as pd
import pytest

from relations import merge, parse_text, store
from relations.schema import DOCUMENT_COLUMNS, EVENT_COLUMNS, events_frame

TEXT = (
    "Hanoi, March 5, 2024\n\n"
    "The Vietnamese Foreign Minister paid an official visit to Thailand from March 3 to March 5, 2024. "
    "During the visit, the two sides signed 3 cooperation documents."
)


def _batch(name: str) -> tuple[list[dict], list[dict]]:
    result = parse_text(name, TEXT)
    return result.events, [result.document | {"content_hash": f"hash-{name}"}]


def test_a_part_reads_back_as_the_contract_tables(tmp_path: Path) -> None:
    root = store.prepare(tmp_path / "store")
    events, docs = _batch("a.txt")
    store.write_part(root, events, docs)
    read = store.read_events(root)
    assert list(read.columns) == list(EVENT_COLUMNS)
    assert len(read) == len(events) == 2
    assert set(read["event_type"]) == {"visit", "signing"}
    pd.testing.assert_frame_equal(read, events_frame(events))
    documents = store.read_documents(root)
    assert list(documents.columns) == [*DOCUMENT_COLUMNS, "content_hash"]
    assert documents[["doc_id", "status", "n_events", "content_hash"]].values.tolist() == [["a.txt", "parsed", 2, "hash-a.txt"]]
    assert store.known_hashes(root) == {"hash-a.txt"}


def test_a_batch_without_events_still_records_its_documents(tmp_path: Path) -> None:
    root = store.prepare(tmp_path / "store")
    store.write_part(root, *_batch("a.txt"))
    quiet = parse_text("quiet.txt", "Nothing happened between any two countries today, the weather report said.")
    store.write_part(root, quiet.events, [quiet.document | {"content_hash": "hash-quiet"}])
    assert store.known_hashes(root) == {"hash-a.txt", "hash-quiet"}
    assert store.read_documents(root).set_index("doc_id").loc["quiet.txt", "status"] == "empty"
    assert set(store.read_events(root)["doc_id"]) == {"a.txt"}


def test_an_empty_store_reads_as_empty_tables(tmp_path: Path) -> None:
    root = store.prepare(tmp_path / "store")
    assert store.read_events(root).empty and list(store.read_events(root).columns) == list(EVENT_COLUMNS)
    assert store.read_documents(root).empty
    assert store.known_hashes(root) == set()


def test_the_same_documents_always_land_in_the_same_part(tmp_path: Path) -> None:
    root = store.prepare(tmp_path / "store")
    first = store.write_part(root, *_batch("a.txt"))
    again = store.write_part(root, *_batch("a.txt"))
    assert first == again and first.name == store.part_key(["hash-a.txt"])
    assert len(store.read_events(root)) == 2 and len(store.event_files(root)) == 1


def test_a_batch_killed_before_its_rename_leaves_nothing_visible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = store.prepare(tmp_path / "store")
    store.write_part(root, *_batch("a.txt"))

    def killed(*_args: object) -> None:
        raise KeyboardInterrupt("killed between writing the files and committing them")

    monkeypatch.setattr(store.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        store.write_part(root, *_batch("b.txt"))
    monkeypatch.undo()
    assert any((root / store.TMP).iterdir())  # the half-written batch is there ...
    assert store.known_hashes(root) == {"hash-a.txt"}  # ... but no reader sees it
    assert set(store.read_events(root)["doc_id"]) == {"a.txt"}
    store.prepare(root)  # the next run drops it, then writes the batch again
    assert not (root / store.TMP).exists()
    store.write_part(root, *_batch("b.txt"))
    assert store.read_events(root)["doc_id"].value_counts().to_dict() == {"a.txt": 2, "b.txt": 2}


def test_a_batch_needs_one_hash_per_document(tmp_path: Path) -> None:
    root = store.prepare(tmp_path / "store")
    events, docs = _batch("a.txt")
    with pytest.raises(ValueError, match="content_hash"):
        store.write_part(root, events, docs + docs)
    assert store.known_hashes(root) == set()


def test_content_hash_is_of_the_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"same")
    (tmp_path / "b.txt").write_bytes(b"same")
    os.utime(tmp_path / "b.txt", (0, 0))
    assert store.content_hash(tmp_path / "a.txt") == store.content_hash(tmp_path / "b.txt")


def test_a_store_has_one_writer_at_a_time(tmp_path: Path) -> None:
    busy = pytest.raises(store.StoreBusy, match=f"another ingest \\(pid {os.getpid()}\\)")
    with store.locked(tmp_path / "store") as root, busy, store.locked(root):
        pass
    with store.locked(root):  # let go at the end of the block
        pass


def _wait_for(started: multiprocessing.synchronize.Event, done: multiprocessing.synchronize.Event) -> None:
    started.set()
    done.wait()


def test_a_forked_worker_does_not_keep_the_store_locked(tmp_path: Path) -> None:
    fork = multiprocessing.get_context("fork")
    started, done = fork.Event(), fork.Event()
    with store.locked(tmp_path / "store") as root:
        worker = fork.Process(target=_wait_for, args=(started, done))
        worker.start()
    try:
        assert started.wait(timeout=30)  # the worker runs: its copy of the lock is closed by now
        # the worker shares its parent's lock but closed its copy: a killed parent leaves the store free
        with store.locked(root):
            assert worker.is_alive()
    finally:
        done.set()
        worker.join()


def _ids(frame: pd.DataFrame) -> pd.Series:
    return frame.set_index("event_id")["merged_id"].sort_index()


def test_the_merged_ids_cover_the_parts_they_were_computed_over(tmp_path: Path) -> None:
    root = store.prepare(tmp_path / "store")
    assert store.merged_file(root) is None
    store.write_part(root, *_batch("a.txt"))
    store.write_part(root, *_batch("b.txt"))  # the same text: its events merge with a.txt's
    assert store.update_merged(root) and not store.update_merged(root)
    assert store.merged_file(root) == root / store.MERGED
    merged = store.read_merged(root)
    assert list(merged.columns) == ["event_id", "merged_id"] and merged["merged_id"].nunique() == 2
    pd.testing.assert_series_equal(_ids(merged), _ids(merge.with_merged_ids(store.read_events(root))))
    store.write_part(root, *_batch("c.txt"))
    assert store.merged_file(root) is None  # stale: a part it does not cover
    # still right, computed from the parts until an ingest writes the file again
    pd.testing.assert_series_equal(_ids(store.read_merged(root)), _ids(merge.with_merged_ids(store.read_events(root))))
    assert store.update_merged(root) and store.merged_file(root) is not None


def test_a_store_merges_a_few_blocks_at_a_time_with_the_same_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = store.prepare(tmp_path / "store")
    for country in ("Thailand", "Laos", "Cambodia"):
        # the same visit told to the day and to the month: the month's report takes the day's id only
        # when both are merged in the same batch
        for copy, when in (("day", "from March 3 to March 5, 2024"), ("month", "in March 2024")):
            text = TEXT.replace("Thailand", country).replace("from March 3 to March 5, 2024", when)
            result = parse_text(f"{country}-{copy}.txt", text)
            store.write_part(root, result.events, [result.document | {"content_hash": f"hash-{country}-{copy}"}])
    events = store.read_events(root)
    whole = _ids(merge.with_merged_ids(events))
    assert len(events) == 12 and whole.nunique() == 6  # a visit and a signing per pair
    monkeypatch.setattr(store, "MERGE_BATCH", 1)  # one block per batch
    pd.testing.assert_series_equal(_ids(store.read_merged(root)), whole)


def test_an_empty_store_has_no_merged_ids(tmp_path: Path) -> None:
    root = store.prepare(tmp_path / "store")
    assert store.read_merged(root).empty
    assert store.update_merged(root) and store.merged_file(root) is not None
    assert store.read_merged(root).empty
