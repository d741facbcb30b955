"""Ingest: incremental by content, crash-safe, and the same on one core, two, or a Dask cluster."""

from __future__ import annotations

import argparse
import json
import random
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from corpus import write_corpus

from relations import parse, store
from relations.ingest import Progress, ingest
from relations.ingest_cli import EXIT_BUSY, EXIT_REJECTED, add_ingest_command, run_ingest
from relations.schema import EVENT_COLUMNS

ORDER = ["doc_id", "char_start", "char_end", "event_id"]


@dataclass(frozen=True)
class Expected:
    """What ``relations extract`` gives for a folder, in the store's order."""

    events: pd.DataFrame
    documents: pd.DataFrame
    merged_ids: pd.Series  # by event_id


def expected(folder: Path) -> Expected:
    result = parse(folder)
    # the store keeps each document's own rows; merged ids are of the whole table, kept beside them
    events = result.events[list(EVENT_COLUMNS)].sort_values(ORDER).reset_index(drop=True)
    merged_ids = result.events.set_index("event_id")["merged_id"].sort_index()
    return Expected(events, result.documents.sort_values("doc_id").reset_index(drop=True), merged_ids)


def merged_ids(root: Path) -> pd.Series:
    return store.read_merged(root).set_index("event_id")["merged_id"].sort_index()


def assert_store_is(root: Path, want: Expected) -> None:
    pd.testing.assert_frame_equal(store.read_events(root), want.events)
    pd.testing.assert_frame_equal(store.read_documents(root).drop(columns="content_hash"), want.documents)
    assert store.merged_file(root) is not None
    pd.testing.assert_series_equal(merged_ids(root), want.merged_ids)


def assert_store_holds(root: Path, folder: Path) -> None:
    assert_store_is(root, expected(folder))


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


# Real kills: each run is a fork of one process that has loaded the language data already (a
# run then takes a second, not four), SIGKILLed at a point drawn by a seeded generator:
# - ("write", n): by itself, before the n-th Parquet file of a batch is written (tmp/ holds a
#   staged batch, half of it when n is even);
# - ("rename", n): by itself, before the n-th rename, 1..27 the commits of the 27 one-document
#   batches, 28 the one of merged.parquet;
# - ("parts", n): by its parent as soon as n parts exist, wherever the next batch then is.
KILLED_RUNS = """
import json, os, signal, sys, time
from relations import parse, store
from relations.ingest import ingest

corpus, runs = sys.argv[1], json.loads(sys.argv[2])
parse(corpus, workers=1)


def kill_on_call(module, name, n):
    original, calls = getattr(module, name), [0]

    def hooked(*args):
        calls[0] += 1
        if calls[0] == n:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args)

    setattr(module, name, hooked)


for root, how, n in runs:
    pid = os.fork()
    if pid == 0:
        if how != "parts":
            kill_on_call(*{"write": (store, "_write"), "rename": (os, "replace")}[how], n)
        ingest(corpus, root, workers=1, batch_size=1)
        os._exit(0)
    deadline = time.monotonic() + 30
    while how == "parts" and len(store.document_files(root)) < n and time.monotonic() < deadline:
        time.sleep(0.005)
    if how == "parts":
        os.kill(pid, signal.SIGKILL)
    print(json.dumps(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])), flush=True)
"""
FILES = 27  # in the corpus fixture: one part each at batch_size=1


def kill_points(rng: random.Random) -> list[tuple[str, int]]:
    write, rename, parts = (lambda: rng.randint(1, 2 * FILES)), (lambda: rng.randint(1, FILES)), (lambda: rng.randint(1, 20))
    return [("write", write()), ("write", write()), ("rename", rename()), ("rename", FILES + 1), ("parts", parts()), ("parts", parts())]


def parts_left(how: str, n: int) -> range:
    """The parts a run killed at (how, n) has committed."""
    if how == "write":
        return range((n - 1) // 2, (n - 1) // 2 + 1)
    if how == "rename":
        return range(min(n - 1, FILES), min(n - 1, FILES) + 1)
    return range(n, FILES)  # killed while still running, after n parts


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_runs_killed_at_random_points_lose_nothing_and_the_next_run_adds_no_duplicate(corpus: Path, tmp_path: Path, seed: int) -> None:
    points = kill_points(random.Random(seed))
    roots = [tmp_path / f"store-{i}" for i in range(len(points))]
    runs = json.dumps([[str(root), how, n] for root, (how, n) in zip(roots, points, strict=True)])
    killer = subprocess.run([sys.executable, "-c", KILLED_RUNS, str(corpus), runs], capture_output=True, text=True, timeout=120)
    assert killer.returncode == 0, killer.stderr
    assert [json.loads(line) for line in killer.stdout.splitlines()] == [-signal.SIGKILL] * len(points)
    want = expected(corpus)
    for root, (how, n) in zip(roots, points, strict=True):
        kept = store.read_documents(root)
        assert len(store.event_files(root)) in parts_left(how, n), (how, n)
        # what was committed is whole: every kept document has all its events, no other has any
        committed = want.events[want.events["doc_id"].isin(kept["doc_id"])].reset_index(drop=True)
        pd.testing.assert_frame_equal(store.read_events(root), committed)
        assert store.merged_file(root) is None
        summary = ingest(corpus, root, workers=1, batch_size=4)
        assert summary.skipped == len(kept) and sum(summary.statuses.values()) == FILES - len(kept) and summary.merged
        assert not store.read_events(root)["event_id"].duplicated().any()
        assert_store_is(root, want)


def test_the_store_keeps_the_merged_ids_of_all_its_events(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "corpus", 20)
    root = tmp_path / "store"
    assert ingest(folder, root, workers=1, batch_size=8).merged
    assert_store_holds(root, folder)
    # articles 60 and 61 tell the events of 0 and 1 again, in new parts: their mentions merge across parts
    write_corpus(folder, 2, start=60, extras=False)
    assert ingest(folder, root, workers=1).merged
    assert_store_holds(root, folder)
    ids = store.read_events(root)[["event_id", "doc_id"]].merge(store.read_merged(root), on="event_id")
    for old, new in (("article_000.txt", "article_060.txt"), ("article_001.txt", "article_061.txt")):
        assert set(ids.loc[ids["doc_id"] == old, "merged_id"]) == set(ids.loc[ids["doc_id"] == new, "merged_id"])
    before = (root / store.MERGED).stat()
    again = ingest(folder, root, workers=1)
    assert (again.parts, again.merged) == (0, False)
    after = (root / store.MERGED).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


# an ingest that stops at its first commit, holding the lock with a batch staged in tmp/, until told to go on
PAUSED_RUN = """
import sys
from relations import store
from relations.ingest import ingest
commit = store.commit


def commit_when_told(*args):
    print("staged", flush=True)
    sys.stdin.readline()
    return commit(*args)


store.commit = commit_when_told
ingest(sys.argv[1], sys.argv[2], workers=1, batch_size=100)
"""


def cli(folder: Path, root: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "relations.cli", "ingest", str(folder), "--store", str(root), "--workers", "1", "--quiet", *options]


def test_a_second_ingest_into_a_busy_store_fails_at_once_or_waits_its_turn(corpus: Path, tmp_path: Path) -> None:
    root = tmp_path / "store"
    paused = [sys.executable, "-c", PAUSED_RUN, str(corpus), str(root)]
    first = subprocess.Popen(paused, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    waiting = None
    try:
        assert first.stdout.readline() == "staged\n"
        staged = sorted((root / store.TMP).iterdir())
        busy = subprocess.run(cli(corpus, root), capture_output=True, text=True, timeout=60)
        assert busy.returncode == EXIT_BUSY and busy.stdout == ""
        assert f"the store {root} is being written by another ingest (pid {first.pid})" in busy.stderr
        assert "Traceback" not in busy.stderr
        assert staged and sorted((root / store.TMP).iterdir()) == staged  # the first run's batch is untouched
        waiting = subprocess.Popen(cli(corpus, root, "--wait"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert "waiting for it to finish" in waiting.stderr.readline()
        first.communicate("go on\n", timeout=60)
        out, _ = waiting.communicate(timeout=60)
    finally:
        for run in filter(None, (first, waiting)):
            if run.poll() is None:
                run.kill()
                run.wait()
    assert first.returncode == 0 and waiting.returncode == 0
    assert "27 files: 27 already in the store; 0 parsed" in out
    assert_store_holds(root, corpus)


def test_two_workers_fill_the_same_store_as_one(tmp_path: Path) -> None:
    english = write_corpus(tmp_path / "english", 20, extras=False)  # one language: each worker loads less
    summary = ingest(english, tmp_path / "store", workers=2, batch_size=5)
    assert summary.parts == 4
    assert_store_holds(tmp_path / "store", english)


# in a process of its own: a process that used Dask keeps a thread of it, and a process with
# threads starts its workers from a fork server (engine._context), which test_engine checks
DASK_RUN = """
import json, sys
from distributed import LocalCluster
from relations.ingest import ingest

if __name__ == "__main__":  # the cluster's worker processes import this file too
    folder, root = sys.argv[1:]
    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None) as cluster:
        runs = [ingest(folder, root, dask=cluster.scheduler_address, batch_size=4), ingest(folder, root, dask=cluster.scheduler_address)]
    print(json.dumps([[s.parts, s.skipped, s.statuses] for s in runs]))
"""


def test_a_dask_cluster_fills_the_same_store_as_a_local_run(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "english", 12, extras=False)  # one language: each worker loads less
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not an article")
    local, remote = tmp_path / "local", tmp_path / "dask"
    ingest(folder, local, workers=1)
    script = tmp_path / "dask_run.py"
    script.write_text(DASK_RUN)
    run = subprocess.run([sys.executable, str(script), str(folder), str(remote)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    first, again = json.loads(run.stdout.splitlines()[-1])
    assert first == [4, 0, {"parsed": 12, "rejected": 1}]
    assert again == [0, 13, {}]
    pd.testing.assert_frame_equal(store.read_events(remote), store.read_events(local))
    pd.testing.assert_frame_equal(store.read_documents(remote), store.read_documents(local))
    assert store.merged_file(remote) is not None
    pd.testing.assert_series_equal(merged_ids(remote), merged_ids(local))


def test_the_command_line(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="relations")
    add_ingest_command(parser.add_subparsers(dest="command", required=True))
    argv = ["ingest", str(corpus), "--store", str(tmp_path / "store"), "--workers", "1", "--quiet"]
    assert run_ingest(parser.parse_args(argv)) == EXIT_REJECTED  # the PDF and the broken link
    assert "27 files: 0 already in the store; 25 parsed, 0 empty, 2 rejected" in capsys.readouterr().out
    assert run_ingest(parser.parse_args(argv)) == 0
    assert "27 files: 27 already in the store; 0 parsed" in capsys.readouterr().out
