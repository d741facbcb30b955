"""The command line: ``relations extract PATH... --output events.csv --documents documents.csv``.

Each behaviour is shown twice where it matters: through the installed
``relations`` script (a real subprocess, as a user types it) and through
``relations.cli.main([...])`` (as a script or a test calls it).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from relations import DOCUMENT_COLUMNS, EVENT_COLUMNS
from relations.cli import EXIT_REJECTED, main
from relations.schema import EXTENSION_COLUMNS

SCRIPT = Path(sys.executable).with_name("relations")

VISIT = "Vietnamese President Tran Van Minh paid a state visit to Laos from 10 to 12 March 2023."
SIGNING = "During the visit, the two sides signed three cooperation agreements in Vientiane."
AID = "Japan will provide 16.5 billion yen in aid to the Philippines, the ministry said on 3 May 2022."


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def corpus(tmp_path) -> Path:
    """Two articles with events, one without, one that cannot be read."""
    root = tmp_path / "corpus"
    write(root / "laos.txt", f"{VISIT}\n\n{SIGNING}\n")
    write(root / "asia" / "japan aid.md", AID + "\n")
    write(root / "weather.txt", "Rain is expected in the north on Tuesday, with sunny spells later in the week.\n")
    write(root / "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(64))
    return root


@pytest.fixture
def readable(tmp_path) -> Path:
    """Only documents that can be read."""
    root = tmp_path / "readable"
    write(root / "laos.txt", f"{VISIT}\n\n{SIGNING}\n")
    write(root / "weather.txt", "Rain is expected in the north on Tuesday, with sunny spells later in the week.\n")
    return root


def read_table(path: Path) -> pd.DataFrame:
    suffix = path.suffix
    if suffix == ".csv":
        return pd.read_csv(path, keep_default_na=False, na_values=[""])
    if suffix == ".parquet":
        return pd.read_parquet(path)
    return pd.read_json(path, lines=suffix == ".jsonl", dtype=False)


# --- the installed script ----------------------------------------------------


def test_the_script_is_installed_next_to_python():
    assert SCRIPT.exists(), f"no relations script beside {sys.executable}"


def test_extract_writes_events_and_documents_csv(tmp_path, corpus):
    done = run("extract", corpus, "--output", "out/events.csv", "--documents", "out/documents.csv", cwd=tmp_path)

    assert done.returncode == EXIT_REJECTED == 3  # photo.txt was rejected; the tables are written all the same
    assert "Traceback" not in done.stderr
    assert "rejected photo.txt: not text: a PNG image" in done.stderr

    events = read_table(tmp_path / "out" / "events.csv")
    documents = read_table(tmp_path / "out" / "documents.csv")
    assert list(events.columns[: len(EVENT_COLUMNS)]) == list(EVENT_COLUMNS)
    assert list(documents.columns[: len(DOCUMENT_COLUMNS)]) == list(DOCUMENT_COLUMNS)
    assert sorted(documents["doc_id"]) == ["asia/japan aid.md", "laos.txt", "photo.txt", "weather.txt"]
    assert set(events["doc_id"]) == {"laos.txt", "asia/japan aid.md"}
    visit = events[events["event_type"] == "visit"].iloc[0]
    assert (visit["country_a"], visit["country_b"], visit["pair"]) == ("VNM", "LAO", "LAO-VNM")
    assert (visit["date_start"], visit["date_end"]) == ("2023-03-10", "2023-03-12")
    aid = events[events["event_type"] == "aid"].iloc[0]
    assert (aid["pair"], aid["amount"], aid["currency"]) == ("JPN-PHL", 16_500_000_000, "JPY")


def test_the_summary_line_counts_each_status(tmp_path, corpus):
    done = run("extract", corpus, "--output", tmp_path / "events.csv", cwd=tmp_path)

    n_events = len(read_table(tmp_path / "events.csv"))
    assert done.stdout.strip() == f"4 documents: 2 parsed, 1 empty, 1 rejected; {n_events} events -> {tmp_path / 'events.csv'}"


def test_exit_status_is_zero_when_nothing_is_rejected(tmp_path, readable):
    done = run("extract", readable, "--output", "events.jsonl", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2 documents: 1 parsed, 1 empty, 0 rejected;")
    assert done.stderr == ""


def test_several_paths_files_and_folders(tmp_path, corpus, readable):
    single = write(tmp_path / "elsewhere" / "visit; 2023.txt", VISIT)

    done = run("extract", readable, single, corpus / "asia", "-o", "events.csv", "--documents", "docs.csv", cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    docs = read_table(tmp_path / "docs.csv")
    assert list(docs["doc_id"]) == ["laos.txt", "weather.txt", "visit; 2023.txt", "japan aid.md"]


@pytest.mark.parametrize("bad", ["events.xlsx", "events", "events.csv.gz"])
def test_an_unknown_output_extension_is_a_usage_error(tmp_path, readable, bad):
    done = run("extract", readable, "--output", bad, cwd=tmp_path)

    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{bad}: the extension must be one of .csv, .parquet, .json, .jsonl" in done.stderr
    assert done.stderr.startswith("usage: relations")
    assert not (tmp_path / bad).exists()


def test_an_unknown_documents_extension_is_a_usage_error(tmp_path, readable):
    done = run("extract", readable, "--output", "events.csv", "--documents", "documents.txt", cwd=tmp_path)

    assert done.returncode == 2
    assert "documents.txt: the extension must be one of" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "events.csv").exists()  # checked before any work is done


def test_missing_arguments_are_usage_errors(tmp_path):
    for args in (["extract", "--output", "events.csv"], ["extract", "."], []):
        done = run(*args, cwd=tmp_path)
        assert done.returncode == 2
        assert done.stderr.startswith("usage: relations")
        assert "Traceback" not in done.stderr


# --- relations.cli.main ------------------------------------------------------


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".json", ".jsonl"])
def test_every_output_format_round_trips_through_pandas(tmp_path, corpus, capsys, suffix):
    events_path, documents_path = tmp_path / f"events{suffix}", tmp_path / f"documents{suffix}"

    code = main(["extract", str(corpus), "--output", str(events_path), "--documents", str(documents_path)])

    assert code == EXIT_REJECTED
    assert capsys.readouterr().out.startswith("4 documents: 2 parsed, 1 empty, 1 rejected;")
    events, documents = read_table(events_path), read_table(documents_path)
    assert list(events.columns) == [*EVENT_COLUMNS, "merged_id"], "the contract's columns, then the merge"
    assert list(documents.columns) == list(DOCUMENT_COLUMNS)
    assert len(documents) == 4 and len(events) >= 3
    assert events["event_id"].is_unique
    assert set(events["event_type"]) == {"visit", "signing", "aid"}
    assert (events["char_start"] < events["char_end"]).all()
    rejected = documents[documents["status"] == "rejected"].iloc[0]
    assert (rejected["doc_id"], rejected["reason"]) == ("photo.txt", "not text: a PNG image")


def test_the_same_tables_in_every_format(tmp_path, corpus, capsys):
    tables = {}
    for suffix in (".csv", ".parquet", ".json", ".jsonl"):
        main(["extract", str(corpus), "--output", str(tmp_path / f"events{suffix}")])
        frame = read_table(tmp_path / f"events{suffix}")
        tables[suffix] = frame.astype(EVENT_COLUMNS | EXTENSION_COLUMNS).sort_values("event_id").reset_index(drop=True)
    capsys.readouterr()

    for suffix in (".parquet", ".json", ".jsonl"):
        pd.testing.assert_frame_equal(tables[suffix], tables[".csv"], check_exact=False)


def test_main_returns_zero_when_nothing_is_rejected(tmp_path, readable, capsys):
    assert main(["extract", str(readable), "-o", str(tmp_path / "e.csv")]) == 0
    assert capsys.readouterr().err == ""


def test_main_reports_a_bad_extension_as_a_usage_error(tmp_path, readable, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["extract", str(readable), "--output", str(tmp_path / "events.xlsx")])

    assert stop.value.code == 2
    assert "the extension must be one of .csv, .parquet, .json, .jsonl" in capsys.readouterr().err


def test_max_bytes_and_language_options(tmp_path, readable, capsys):
    code = main(["extract", str(readable), "-o", str(tmp_path / "e.csv"), "--documents", str(tmp_path / "d.csv"), "--max-bytes", "50"])

    assert code == EXIT_REJECTED
    docs = read_table(tmp_path / "d.csv")
    assert set(docs["status"]) == {"rejected"}
    assert docs["reason"].str.contains("the limit is 50").all()

    assert main(["extract", str(readable), "-o", str(tmp_path / "e.csv"), "--documents", str(tmp_path / "d.csv"), "--language", "en"]) == 0
    assert set(read_table(tmp_path / "d.csv")["language"]) == {"en"}
    capsys.readouterr()


# --- CSV cells a spreadsheet would run -----------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        '=HYPERLINK("http://example.com/phish","details") Vietnamese President Tran Van Minh paid a state visit to Laos on 10 March 2023.',
        "- Vietnamese President Tran Van Minh paid a state visit to Laos on 10 March 2023.",
        "+Vietnamese President Tran Van Minh paid a state visit to Laos on 10 March 2023.",
        "@SUM(1+1) Vietnamese President Tran Van Minh paid a state visit to Laos on 10 March 2023.",
    ],
    ids=["equals", "minus", "plus", "at"],
)
def test_a_formula_like_csv_cell_gets_a_leading_apostrophe(tmp_path, capsys, sentence):
    write(tmp_path / "in" / "article.txt", f"Laos visit\n\n{sentence}\n")

    assert main(["extract", str(tmp_path / "in"), "--output", str(tmp_path / "events.csv")]) == 0
    capsys.readouterr()

    events = read_table(tmp_path / "events.csv")
    cell = events.loc[events["event_type"] == "visit", "sentence"].iloc[0]
    assert cell == "'" + sentence  # a spreadsheet shows it as text, never runs it
    assert cell.removeprefix("'") == sentence  # and the text is still there, unchanged
    # numbers are left as numbers, other formats keep the text as it is
    assert events["char_start"].dtype.kind == "i"
    assert main(["extract", str(tmp_path / "in"), "--output", str(tmp_path / "events.parquet")]) == 0
    capsys.readouterr()
    assert pd.read_parquet(tmp_path / "events.parquet")["sentence"].iloc[0] == sentence
