"""Hostile inputs, one table: whatever a scraper left on disk ends as parsed, empty or rejected.

Each row is one file a user might feed ``relations.parse``. The test checks the
same three things for all of them: nothing raises, the document comes back
exactly once with the expected status (and a reason that says why, when it is
not parsed), and every event row satisfies the contract with offsets that
point at its sentence. The finer points of decoding and HTML cleaning are in
tests/test_documents.py; this table is the catalogue of hostile cases.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import Path

import pytest

import relations
from relations.documents import Input, load
from relations.schema import validate_documents, validate_events

ARTICLE = (
    "Vietnamese President Tran Van Minh paid a state visit to Laos from 10 to 12 March 2023.\n\n"
    "During the visit, the two sides signed three cooperation agreements in Vientiane.\n"
)
FRENCH = "Le président sénégalais a effectué une visite d'État en France du 14 au 16 février 2024."


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("inner.txt", ARTICLE)
    return buffer.getvalue()


HOSTILE_HTML = b"""<html><head><style>body{x:y}</style><script>alert("SCRIPT")</script></head>
<body><div><p>Vietnamese President Tran Van Minh paid a state visit to Laos on 5 June 2024.
<p>Unclosed <b>bold <i>and italic <script>document.write("<p>")</script>
<img src=x onerror=alert(1)><table><tr><td>cell</div></span></body>"""

# name, bytes, expected status (None: parsed or empty, whichever the text supports),
# a word the reason must contain (None: any reason), options for relations.parse
CASES = [
    ("empty.txt", b"", "empty", "", {}),
    ("whitespace.txt", " \t\n\r\n\u00a0 ".encode(), "empty", "", {}),
    ("binary.txt", bytes(range(256)) * 8, "rejected", "binary", {}),
    ("photo.jpg.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(100), "rejected", "JPEG", {}),
    ("scan.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\n", "rejected", "PDF", {}),
    ("bundle.txt", zip_bytes(), "rejected", "ZIP", {}),
    ("gzip.md", b"\x1f\x8b\x08\x00" + bytes(40), "rejected", "gzip", {}),
    ("invalid-utf8.txt", ARTICLE.encode() + b"\xff\xfe\xc3\x28 \xa0\xa1", "parsed", None, {}),
    ("latin1.txt", FRENCH.encode("latin-1"), "parsed", None, {}),
    ("utf16-bom.txt", ARTICLE.encode("utf-16"), "parsed", None, {}),
    ("utf16-le-no-bom.txt", ARTICLE.encode("utf-16-le"), "parsed", None, {}),
    ("utf16-bad-after-bom.txt", codecs.BOM_UTF16_LE + b"\x00\xd8", "rejected", "encoding", {}),
    ("nul-bytes.txt", ARTICLE.encode().replace(b" ", b"\x00", 3), "rejected", "NUL", {}),
    ("page.html", HOSTILE_HTML, "parsed", None, {}),
    ("one-long-line.txt", b"Vietnam and Laos agreed " + b"and more " * 116_000, None, None, {}),
    ("too-large.txt", ARTICLE.encode() * 10, "rejected", "too large", {"max_bytes": 500}),
    ("dates.txt", b"Vietnam and Laos signed an agreement on 31 February 2023, on 45/13/2024 and in the year 99999.", None, None, {}),
    ("number.txt", b"Japan provided " + b"9" * 5000 + b" USD in aid to Vietnam on 3 May 2024.", None, None, {}),
    ("a file with spaces.txt", ARTICLE.encode(), "parsed", None, {}),
    ("quotes \"double\" 'single'.txt", ARTICLE.encode(), "parsed", None, {}),
    ("semi;colons; rm -rf;.txt", ARTICLE.encode(), "parsed", None, {}),
    ("Hà Nội – ビエンチャン.md", ARTICLE.encode(), "parsed", None, {}),
    ("deep/er/still deeper/visit.txt", ARTICLE.encode(), "parsed", None, {}),
]


@pytest.mark.parametrize(("name", "data", "status", "reason", "options"), CASES, ids=[c[0] for c in CASES])
def test_a_hostile_input_ends_parsed_empty_or_rejected_and_its_rows_keep_the_contract(tmp_path, name, data, status, reason, options):
    root = tmp_path / "corpus"
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)

    result = relations.parse(root, **options)  # never raises

    validate_documents(result.documents)
    validate_events(result.events)
    assert list(result.documents["doc_id"]) == [Path(name).as_posix()], "each input comes back exactly once"
    doc = result.documents.iloc[0]
    if status is None:
        assert doc["status"] in ("parsed", "empty")
    else:
        assert doc["status"] == status, doc["reason"]
    if doc["status"] != "parsed":
        assert isinstance(doc["reason"], str) and doc["reason"], "a document not parsed says why"
        assert reason is None or reason in doc["reason"]
    assert doc["n_events"] == len(result.events)
    text = load(Input(path, name), **options).text
    for row in result.events.itertuples():
        assert text[row.char_start : row.char_end] == row.sentence
    if name in ("dates.txt", "number.txt"):
        for row in result.events.itertuples():  # no 31 February, month 13 or a five-digit year survives as a date
            for day in (row.date_start, row.date_end):
                assert day is None or str(day) == "<NA>" or 1 <= int(str(day)[:4]) <= 2200, day
