"""Ingest: incremental by content, crash-safe, and the same on one core, two, or a Dask cluster."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from corpus import write_corpus

from relations import parse, store
from relations.ingest import Progress, ingest
from relations.ingest_cli import EXIT_REJECTED, add_ingest_command, run_ingest
from relations.schema import EVENT_COLUMNS

ORDER = ["doc_id", "char_start", "char_end", "event_id"]


def expected(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """What ``relations extract`` gives for the folder, in the store's order."""
    result = parse(folder)
    # the store keeps each document's own rows; merged_id is a view of the whole table, not stored
    events = result.events[list(EVENT_COLUMNS)].sort_values(ORDER).reset_index(drop=True)
    return events, result.documents.sort_values("doc_id").reset_index(drop=True)


def assert_store_holds(root: Path, folder: Path) -> None:
    events, documents = expected(folder)
    pd.testing.assert_frame_equal(store.read_events(root), events)
    pd.testing.assert_frame_equal(store.read_documents(root).drop(columns="content_hash"), documents)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_corpus(tmp_path / "corpus", 20)


def test_a_store_holds_what_extract_gives(corpus: Path, tmp_path: Path) -> None:
    seen: list[Progress] = []
    summary = ingest(corpus, tmp_path / "store", workers=1, batch_size=8, progress=seen.append)
    assert_store_holds(tmp_path / "store", corpus)
    assert (summary.files, summary.skipped, summary.parts) == (27, 0, 4)
    assert summary.statuses == {"parsed": 25, "rejected": 2}
    assert summary.events == len(store.read_events(tmp_path / "store"))
    assert seen[0].done == 0 and seen[0].total == 27
    assert [p.done for p in seen[1:]] == [8, 16, 24, 27, 27]
    assert seen[-1].events == summary.events and seen[-1].rate > 0 and seen[-1].eta == 0


def test_ingesting_the_same_files_again_adds_nothing(corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "store"
    ingest(corpus, root, workers=1)
    parts = store.event_files(root)
    again = ingest(corpus, root, workers=1)
    assert (again.files, again.skipped, again.parts, again.events) == (27, 27, 0, 0)
    assert ingest(corpus / "article_003.txt", root, workers=1).skipped == 1
    assert store.event_files(root) == parts
    assert_store_holds(root, corpus)


def test_new_files_add_only_their_own_events(corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "store"
    ingest(corpus, root, workers=1)
    before = store.read_events(root)
    write_corpus(corpus, 3, start=100, extras=False)
    summary = ingest(corpus, root, workers=1)
    assert (summary.skipped, summary.statuses) == (27, {"parsed": 3})
    after = store.read_events(root)
    added = after[~after["event_id"].isin(before["event_id"])]
    assert set(added["doc_id"]) == {"article_100.txt", "article_101.txt", "article_102.txt"}
    assert len(after) == len(before) + len(added) == len(before) + summary.events
    assert_store_holds(root, corpus)


def test_the_same_content_under_two_names_is_one_document(corpus: Path, tmp_path: Path) -> None:
    (corpus / "copy_of_article_001.txt").write_bytes((corpus / "article_001.txt").read_bytes())
    summary = ingest(corpus, tmp_path / "store", workers=1)
    assert summary.skipped == 1
    assert "copy_of_article_001.txt" not in set(store.read_documents(tmp_path / "store")["doc_id"])


# a real kill: a separate process, SIGKILL while it is still writing; each commit is slowed
# down so that the signal often lands between a batch's files being written and their rename
KILLED_RUN = """
import os, sys, time
from relations.ingest import ingest
original = os.replace
def slow_replace(src, dst):
    time.sleep(0.15)
    original(src, dst)
os.replace = slow_replace
ingest(sys.argv[1], sys.argv[2], workers=1, batch_size=1)
"""


def test_a_killed_run_loses_nothing_and_the_next_one_adds_no_duplicate(corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "store"
    run = subprocess.Popen([sys.executable, "-c", KILLED_RUN, str(corpus), str(root)])
    try:
        deadline = time.monotonic() + 30
        while len(store.document_files(root)) < 5 and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.02)
        os.kill(run.pid, signal.SIGKILL)
    finally:
        run.wait()
    assert run.returncode == -signal.SIGKILL
    kept = store.read_documents(root)
    assert 5 <= len(kept) < 27  # killed in the middle, with parts already written
    summary = ingest(corpus, root, workers=1)
    assert summary.skipped == len(kept) and sum(summary.statuses.values()) == 27 - len(kept)
    events = store.read_events(root)
    assert not events["event_id"].duplicated().any()
    assert not store.read_documents(root)["doc_id"].duplicated().any()
    assert_store_holds(root, corpus)


def test_two_workers_fill_the_same_store_as_one(tmp_path: Path) -> None:
    english = write_corpus(tmp_path / "english", 20, extras=False)  # one language: each worker loads less
    summary = ingest(english, tmp_path / "store", workers=2, batch_size=5)
    assert summary.parts == 4
    assert_store_holds(tmp_path / "store", english)


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as running:
        yield running.scheduler_address


def test_a_dask_cluster_fills_the_same_store_as_a_local_run(tmp_path: Path, cluster: str) -> None:
    folder = write_corpus(tmp_path / "english", 12, extras=False)  # one language: each worker loads less
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not an article")
    local, remote = tmp_path / "local", tmp_path / "dask"
    ingest(folder, local, workers=1)
    summary = ingest(folder, remote, dask=cluster, batch_size=4)
    assert summary.parts == 4 and summary.statuses == {"parsed": 12, "rejected": 1}
    pd.testing.assert_frame_equal(store.read_events(remote), store.read_events(local))
    pd.testing.assert_frame_equal(store.read_documents(remote), store.read_documents(local))
    again = ingest(folder, remote, dask=cluster)
    assert (again.skipped, again.parts) == (13, 0)


def test_the_command_line(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="relations")
    add_ingest_command(parser.add_subparsers(dest="command", required=True))
    argv = ["ingest", str(corpus), "--store", str(tmp_path / "store"), "--workers", "1", "--quiet"]
    assert run_ingest(parser.parse_args(argv)) == EXIT_REJECTED  # the PDF and the broken link
    assert "27 files: 0 already in the store; 25 parsed, 0 empty, 2 rejected" in capsys.readouterr().out
    assert run_ingest(parser.parse_args(argv)) == 0
    assert "27 files: 27 already in the store; 0 parsed" in capsys.readouterr().out
