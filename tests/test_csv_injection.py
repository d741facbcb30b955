"""Every CSV the project writes neutralises formula-like cells (OWASP CSV injection), for all six starts.

tests/test_cli.py checks ``=``, ``+``, ``-`` and ``@`` in an extracted sentence;
this adds the tab and the carriage return, a hostile file name in the documents
table, and the round trip through pandas.
"""

from __future__ import annotations

import io

import pandas as pd
import pytest

import relations
from relations.output import to_csv_bytes

STARTS = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tcmd"]


@pytest.mark.parametrize("cell", STARTS, ids=["equals", "plus", "minus", "at", "tab"])
def test_a_formula_start_is_neutralised_and_reads_back_as_the_text(cell):
    frame = pd.DataFrame({"sentence": pd.array([cell, "plain text"], dtype="string"), "char_start": [-5, 3]})

    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), dtype={"sentence": "string"}, keep_default_na=False)

    assert back["sentence"][0] == "'" + cell  # a spreadsheet shows it as text, never runs it
    assert back["sentence"][0].removeprefix("'") == cell  # and the value is intact behind the apostrophe
    assert back["sentence"][1] == "plain text"
    assert back["char_start"].tolist() == [-5, 3]  # numbers stay numbers, even negative ones


def test_a_hostile_file_name_is_neutralised_in_the_documents_csv(tmp_path):
    name = "=HYPERLINK(\"evil.example\";\"x\").txt"
    (tmp_path / name).write_text("Nothing about two countries here.")

    documents = relations.parse(tmp_path).documents
    back = pd.read_csv(io.BytesIO(to_csv_bytes(documents)), dtype="string", keep_default_na=False)

    assert documents["doc_id"].tolist() == [name]
    assert back["doc_id"].tolist() == ["'" + name]


# a carriage return inside a cell must not break the CSV row: what follows the
# CR would start a new row, un-neutralised. Sentences never
# hold a CR (normalise removes it), but file names (doc_id) can.
@pytest.mark.parametrize("cell", ["\r=cmd", "report\r=cmd|' /C calc'!A0"], ids=["starts-with-cr", "cr-inside"])
def test_a_carriage_return_in_a_cell_keeps_the_row_whole(cell):
    frame = pd.DataFrame({"doc_id": pd.array([cell], dtype="string"), "n_events": [0]})

    back = pd.read_csv(io.BytesIO(to_csv_bytes(frame)), dtype={"doc_id": "string"}, keep_default_na=False)

    assert len(back) == 1
    assert back["doc_id"][0].removeprefix("'") == cell


def test_a_file_name_with_a_carriage_return_cannot_start_a_formula_line(tmp_path):
    (tmp_path / "news\r=cmd|'-C calc'!A0.txt").write_text("Nothing about two countries here.")

    csv = to_csv_bytes(relations.parse(tmp_path).documents).decode()

    assert not any(line.startswith(("=", "+", "-", "@")) for line in csv.replace("\r", "\n").split("\n"))
