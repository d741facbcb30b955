"""The parallel engine: any number of workers gives the same tables, in input order, lazily."""

from __future__ import annotations

import importlib
import itertools
import operator
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from corpus import write_corpus

from relations import documents, engine, parse
from relations.matching import Phrasebook

# the module: the package's own ``extract`` is the function
extract = importlib.import_module("relations.extract")


def test_two_workers_give_the_same_tables_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write_corpus(tmp_path / "corpus", 40)
    one = parse(folder, workers=1)
    monkeypatch.setattr(engine, "CHUNK", 5)  # several chunks for each of the two workers
    two = parse(folder, workers=2)
    assert len(one.documents) == 47 and len(one.events) > 100
    assert set(one.documents["status"]) == {"parsed", "rejected"}
    pd.testing.assert_frame_equal(one.events, two.events)
    pd.testing.assert_frame_equal(one.documents, two.documents)


# Dask workers and pool workers are separate interpreters, each with its own hash seed: the
# language data must not take its order from a set's
EXTRACT_CSV = "import relations, sys; sys.stdout.write(relations.extract(sys.argv[1]).to_csv(index=False))"


def test_the_table_does_not_depend_on_the_hash_seed(tmp_path: Path) -> None:
    folder = write_corpus(tmp_path / "corpus", 40)
    capital = "HANOI, 19/09/2023 - The Prime Minister of Vietnam arrived in Willemstad today for an official visit."
    (folder / "capital.txt").write_text(capital)
    tables = {
        subprocess.run([sys.executable, "-c", EXTRACT_CSV, str(folder)], env=os.environ | {"PYTHONHASHSEED": seed},
                       capture_output=True, text=True, check=True, timeout=120).stdout
        for seed in ("1", "2", "3")
    }
    assert len(tables) == 1
    assert "CUW-VNM" in tables.pop()


def test_results_come_back_in_input_order_with_little_in_flight() -> None:
    # an endless input: only a map that submits a bounded window ahead can return
    first = list(itertools.islice(engine.ordered_map(operator.neg, itertools.count(), workers=2), 200))
    assert first == [-i for i in range(200)]


def test_a_process_running_threads_starts_its_workers_from_a_fork_server() -> None:
    stop = threading.Event()
    busy = threading.Thread(target=stop.wait)
    busy.start()
    try:
        assert engine._context().get_start_method() == "forkserver"
        assert list(engine.ordered_map(operator.neg, range(50), workers=2)) == [-i for i in range(50)]
    finally:
        stop.set()
        busy.join()
    assert engine._context().get_start_method() == "fork"


def test_one_worker_runs_in_this_process() -> None:
    assert set(engine.ordered_map(lambda _: os.getpid(), range(5), workers=1)) == {os.getpid()}


def test_chunks_cover_the_input_once() -> None:
    assert list(engine.chunked(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]


ARTICLES = {
    "en": "HANOI, 12 March 2024 - Vietnam and Laos signed a trade agreement in Vientiane on Monday.",
    "fr": "HANOÏ, 12 mars 2024 - Le Vietnam et le Laos ont signé un accord commercial à Vientiane lundi.",
    "sv": "HANOI, 12 mars 2024 - Vietnam och Laos undertecknade ett handelsavtal i Vientiane på måndagen.",
}


def test_a_chunk_is_parsed_language_by_language_and_returned_in_its_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = []
    for i, code in enumerate(["en", "fr", "sv", "fr", "en", "sv", "en"]):
        path = tmp_path / f"{i}_{code}.txt"
        path.write_text(ARTICLES[code], encoding="utf-8")
        items.append(documents.Input(path, path.name))
    (tmp_path / "empty.txt").write_text("   ")
    items.insert(3, documents.Input(tmp_path / "empty.txt", "empty.txt"))
    alone = [extract.parse_loaded(documents.load(item)) for item in items]

    parsed_in = []
    parse_loaded = extract.parse_loaded
    monkeypatch.setattr(extract, "parse_loaded", lambda loaded, *args: parsed_in.append(loaded.doc_id) or parse_loaded(loaded, *args))
    together = engine.parse_chunk(items)

    assert together == alone
    assert [r.document["language"] for r in together] == ["en", "fr", "sv", None, "fr", "en", "sv", "en"]
    assert [name.split("_")[-1] for name in parsed_in] == ["empty.txt", *["en.txt"] * 3, *["fr.txt"] * 2, *["sv.txt"] * 2]
    assert all(r.events for r in together if r.document["language"])


def test_a_window_is_parsed_as_each_of_its_documents_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extract, "READ_AHEAD_CHARACTERS", 200)  # the long article is read at its turn
    long = ARTICLES["fr"] + " Le ministre a rencontré son homologue du Cambodge à Phnom Penh le 3 avril." * 3
    window = [
        documents.Loaded("en.txt", ARTICLES["en"]),
        documents.Loaded("long.txt", long),
        documents.Loaded("scan.pdf", None, "not text: a PDF document"),
        documents.Loaded("sv.txt", ARTICLES["sv"]),
        documents.Loaded("blank.txt", " \n "),
        documents.Loaded("fr.txt", ARTICLES["fr"]),
    ]
    read_ahead, ahead = Phrasebook.read_ahead, []
    monkeypatch.setattr(Phrasebook, "read_ahead", lambda book, texts: ahead.extend(texts) or read_ahead(book, texts))
    for forced in ("en", None):
        alone = [extract.parse_loaded(loaded, forced) for loaded in window]
        assert extract.parse_window(window, forced) == alone
    assert [len(r.events) > 0 for r in alone] == [True, True, False, True, False, True]
    assert len(ahead) == 7 and max(map(len, ahead)) <= 200, "the long one is read at its turn, under its time limit"

    # a text that breaks the phrase pass: reading ahead meets it first, and its language's other
    # documents are parsed all the same; its own parse meets it again and reports it (texts not
    # read above: what was read of a text is kept)
    scan = Phrasebook._scan
    monkeypatch.setattr(Phrasebook, "_scan", lambda book, text: scan(book, text) if "handelsavtal" not in text else 1 / 0)
    window = [
        documents.Loaded("sv.txt", ARTICLES["sv"].replace("12 mars", "13 mars")),
        documents.Loaded("sv2.txt", "STOCKHOLM, 4 maj 2024 - Sverige och Vietnam undertecknade ett avtal i Hanoi."),
        documents.Loaded("en.txt", ARTICLES["en"].replace("12 March", "13 March")),
    ]
    results = extract.parse_window(window)
    assert results[0].document["reason"] == "could not be parsed: ZeroDivisionError: division by zero"
    assert results[1].events and results[2].events
    assert results == [extract.parse_loaded(loaded) for loaded in window]


def test_a_window_holds_so_many_documents_or_so_much_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "WINDOW_DOCUMENTS", 3)
    monkeypatch.setattr(engine, "WINDOW_CHARACTERS", 250)
    items = []
    for i, size in enumerate([10, 10, 10, 10, 300, 10, 100, 100, 10]):
        (tmp_path / f"{i}.txt").write_text("x" * size)
        items.append(documents.Input(tmp_path / f"{i}.txt", f"{i}.txt"))
    windows = [[len(loaded.text) for loaded in window] for window in engine._windows(items, documents.MAX_BYTES)]
    assert windows == [[10, 10, 10], [10, 300], [10, 100, 100], [10]]


_PARENT = """
import os, sys, time
from relations import engine

def report(i):
    # one write per line: print() may write the newline separately (PYTHONUNBUFFERED), and two workers interleave
    os.write(1, f"{os.getpid()}\\n".encode())
    time.sleep(600)

for _ in engine.ordered_map(report, range(2), workers=2):
    pass
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (dead, not yet reaped by init) counts as gone
    with open(f"/proc/{pid}/stat") as f:
        return f.read().split(")")[-1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's prctl")
def test_workers_end_when_their_parent_is_killed() -> None:
    parent = subprocess.Popen([sys.executable, "-c", _PARENT], stdout=subprocess.PIPE, text=True)
    workers = [int(parent.stdout.readline()) for _ in range(2)]
    assert all(_alive(pid) for pid in workers)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
