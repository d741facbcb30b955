"""Reading inputs: every file comes back once, as text or with the reason it was rejected.

``relations.documents`` turns paths into texts (decoding, HTML cleaning, refusing
what is not text); ``relations.parse`` puts every input in the documents table
with a status (``parsed``, ``empty`` or ``rejected``) and reads events from the
texts. The article texts here are invented.
"""

from __future__ import annotations

import codecs
import struct
from pathlib import Path

import pytest

import relations
from relations.documents import Input, inputs, load

VISIT = "Vietnamese President Tran Van Minh paid a state visit to Laos from 10 to 12 March 2023."
SIGNING = "During the visit, the two sides signed three cooperation agreements in Vientiane."
ARTICLE = f"{VISIT}\n\n{SIGNING}\n"

FRENCH = (
    "Le président sénégalais a effectué une visite d'État en France du 14 au 16 février 2024.\n\n"
    "À l'Élysée, les deux délégations ont signé cinq accords de coopération économique. "
    "Les ministres se sont félicités de la qualité des échanges."
)


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def read(path: Path, **options):
    """Load one file the way ``parse`` does, with its name as doc_id."""
    return load(Input(path, path.name), **options)


def document(result: relations.Extraction, doc_id: str) -> dict:
    rows = result.documents[result.documents["doc_id"] == doc_id]
    assert len(rows) == 1, f"{doc_id} appears {len(rows)} times in {list(result.documents['doc_id'])}"
    return rows.iloc[0].to_dict()


# --- encodings -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("utf8.txt", ARTICLE.encode("utf-8")),
        ("utf8-bom.txt", codecs.BOM_UTF8 + ARTICLE.encode("utf-8")),
        ("utf16-le-bom.txt", codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le")),
        ("utf16-be-bom.txt", codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be")),
        ("utf16-le.txt", ARTICLE.encode("utf-16-le")),
        ("utf16-be.txt", ARTICLE.encode("utf-16-be")),
    ],
)
def test_unicode_encodings_decode_to_the_same_text(tmp_path, name, data):
    loaded = read(write(tmp_path / name, data))

    assert loaded.reason is None
    assert loaded.text == ARTICLE.strip()  # no byte-order mark, no NULs, no trailing newline
    assert not loaded.text.startswith("\ufeff")


def test_unicode_encodings_give_the_same_events(tmp_path):
    write(tmp_path / "utf8.txt", ARTICLE)
    write(tmp_path / "utf16.txt", ARTICLE.encode("utf-16"))
    write(tmp_path / "utf16-be-no-bom.txt", ARTICLE.encode("utf-16-be"))

    result = relations.parse(tmp_path)

    assert set(result.documents["status"]) == {"parsed"}
    keys = result.events.groupby("doc_id")[["event_type", "pair", "date_start", "date_end"]].apply(
        lambda g: sorted(map(tuple, g.astype(str).to_numpy()))
    )
    assert keys["utf8.txt"] == keys["utf16.txt"] == keys["utf16-be-no-bom.txt"]
    assert ("visit", "LAO-VNM", "2023-03-10", "2023-03-12") in keys["utf8.txt"]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_western_code_page_keeps_the_accents(tmp_path, encoding):
    path = write(tmp_path / "senegal-france.txt", FRENCH.encode(encoding))

    loaded = read(path)

    assert loaded.reason is None
    assert loaded.text == FRENCH
    assert "sénégalais" in loaded.text and "À l'Élysée" in loaded.text


def test_cp1252_only_characters_are_decoded(tmp_path):
    # the curly quotes and the euro sign are where cp1252 differs from Latin-1
    text = (
        "La France a promis une aide de 20 millions d’euros (20 000 000 €) au Sénégal, a annoncé le ministère "
        "des Affaires étrangères. Le financement sera versé en deux tranches, en mars et en septembre 2024."
    )
    loaded = read(write(tmp_path / "aide.txt", text.encode("cp1252")))

    assert loaded.text == text
    assert "d’euros" in loaded.text and "€" in loaded.text


@pytest.mark.parametrize(
    "text",
    [
        "À Paris, le ministre sénégalais a signé un accord de coopération avec la France.",
        FRENCH + "\n\nLa France a promis une aide de 20 millions d’euros (20 000 000 €) au Sénégal, a-t-il « annoncé ».",
    ],
    ids=["short", "article"],
)
def test_cp1252_french_with_capital_accents_is_not_read_as_central_european(tmp_path, text):
    loaded = read(write(tmp_path / "paris.txt", text.encode("cp1252")))

    assert loaded.text == text


def test_windows_line_endings_become_newlines(tmp_path):
    loaded = read(write(tmp_path / "crlf.txt", ARTICLE.replace("\n", "\r\n")))

    assert "\r" not in loaded.text
    assert loaded.text == ARTICLE.strip()


# --- HTML ------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <title>World news | The Daily Example</title>
  <style>p { color: red } .ad::after { content: "STYLE TEXT" }</style>
  <script>var tracker = "SCRIPT TEXT";</script>
</head>
<body>
  <nav><a href="/">Home</a> <a href="/world">NAV TEXT</a></nav>
  <div class="teaser">TEASER TEXT: the most read stories</div>
  <article>
    <h1>Minister visits Laos &amp; signs pact</h1>
    <p>Vietnamese Foreign Minister Nguyen Van An paid an official visit to Laos on 5 June 2024.</p>
    <p>The two sides signed a memorandum on education &amp; training &mdash; the fourth since 2019.</p>
    <img src="missing.png" onerror="alert('IMG TEXT')">
    <script>document.write("INLINE SCRIPT TEXT")</script>
  </article>
  <footer>FOOTER TEXT</footer>
</body>
</html>
"""


def test_html_keeps_only_the_visible_article_text(tmp_path):
    text = read(write(tmp_path / "page.html", PAGE)).text

    lines = text.splitlines()
    assert lines[0] == "Minister visits Laos & signs pact"  # the <article>, entities decoded
    assert "Vietnamese Foreign Minister Nguyen Van An paid an official visit to Laos on 5 June 2024." in lines
    assert "The two sides signed a memorandum on education & training — the fourth since 2019." in lines
    for hidden in ("SCRIPT TEXT", "STYLE TEXT", "NAV TEXT", "TEASER TEXT", "FOOTER TEXT", "IMG TEXT", "World news"):
        assert hidden not in text
    for markup in ("<", ">", "onerror", "&amp;", "&mdash;"):
        assert markup not in text


def test_html_without_article_keeps_the_body_but_not_scripts_or_navigation(tmp_path):
    page = PAGE.replace("<article>", "<main>").replace("</article>", "</main>").replace("<main>", "<div>").replace("</main>", "</div>")
    text = read(write(tmp_path / "page.htm", page)).text

    assert "Minister visits Laos & signs pact" in text
    assert "TEASER TEXT: the most read stories" in text  # no <article>: the whole body is the article
    for hidden in ("SCRIPT TEXT", "STYLE TEXT", "NAV TEXT", "IMG TEXT", "onerror"):
        assert hidden not in text


def test_block_elements_are_separate_lines(tmp_path):
    page = "<html><body><h2>Headline</h2><p>First paragraph.</p><ul><li>one</li><li>two</li></ul><p>Line<br>break</p></body></html>"
    lines = [line for line in read(write(tmp_path / "blocks.html", page)).text.splitlines() if line]

    assert lines == ["Headline", "First paragraph.", "one", "two", "Line", "break"]


def test_html_is_recognised_in_a_txt_file(tmp_path):
    text = read(write(tmp_path / "saved-page.txt", PAGE)).text

    assert text.startswith("Minister visits Laos & signs pact")
    assert "SCRIPT TEXT" not in text and "<p>" not in text


def test_events_come_from_the_html_article(tmp_path):
    write(tmp_path / "page.html", PAGE)

    result = relations.parse(tmp_path)

    assert document(result, "page.html")["status"] == "parsed"
    visits = result.events[result.events["event_type"] == "visit"]
    assert list(visits["pair"]) == ["LAO-VNM"]
    assert list(visits["date_start"]) == ["2024-06-05"]


# --- nothing to read, or not text --------------------------------------------


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  \r\n", "\u00a0\n".encode()])
def test_empty_and_whitespace_files_are_empty_with_a_reason(tmp_path, content):
    write(tmp_path / "blank.txt", content)

    doc = document(relations.parse(tmp_path), "blank.txt")

    assert doc["status"] == "empty"
    assert isinstance(doc["reason"], str) and doc["reason"]
    assert doc["n_events"] == 0


def test_binary_content_with_a_text_extension_is_rejected(tmp_path):
    write(tmp_path / "notes.txt", bytes(range(256)) * 16)

    doc = document(relations.parse(tmp_path), "notes.txt")

    assert doc["status"] == "rejected"
    assert "NUL" in doc["reason"] or "binary" in doc["reason"]


@pytest.mark.parametrize(
    "data",
    [
        b"SQLite format 3\x00" + struct.pack(">HBBBBBB", 4096, 1, 1, 0, 64, 32, 32) + bytes(4000),
        b"".join(struct.pack("<I", i) for i in range(1000)),
    ],
    ids=["sqlite-database", "packed-integers"],
)
def test_binary_that_looks_like_utf16_is_rejected(tmp_path, data):
    write(tmp_path / "export.txt", data)

    assert read(tmp_path / "export.txt").text is None
    doc = document(relations.parse(tmp_path), "export.txt")
    assert doc["status"] == "rejected"
    assert "not text" in doc["reason"]


@pytest.mark.parametrize(
    ("name", "data", "format_name"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "PNG"),
        ("report.html", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        ("archive.md", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(40), "ZIP"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "PNG"),
    ],
)
def test_known_binary_formats_are_rejected_by_their_magic_bytes(tmp_path, name, data, format_name):
    write(tmp_path / name, data)

    doc = document(relations.parse(tmp_path), name)

    assert doc["status"] == "rejected"
    assert format_name in doc["reason"]


def test_a_file_over_the_size_limit_is_rejected_with_its_size_and_the_limit(tmp_path):
    path = write(tmp_path / "long.txt", ARTICLE * 5)
    size = path.stat().st_size

    result = relations.parse(tmp_path, max_bytes=300)

    doc = document(result, "long.txt")
    assert doc["status"] == "rejected"
    assert "too large" in doc["reason"]
    assert f"{size:,}" in doc["reason"] and "300" in doc["reason"]
    assert result.events.empty


def test_a_file_at_the_size_limit_is_read(tmp_path):
    path = write(tmp_path / "short.txt", ARTICLE)

    assert read(path, max_bytes=path.stat().st_size).text == ARTICLE.strip()


# --- names and folders -------------------------------------------------------

ODD_NAMES = [
    "state visit to Laos.txt",
    'the "Laos" visit.txt',
    "it's a visit.txt",
    "visit; Laos; 2023.txt",
    "Hà Nội – Viêng Chăn.txt",
    "ビエンチャン訪問.md",
    "$(echo hi) & `x`.txt",
]


def test_file_names_with_spaces_quotes_semicolons_and_non_ascii(tmp_path):
    for name in ODD_NAMES:
        write(tmp_path / name, ARTICLE)

    result = relations.parse(tmp_path)

    assert sorted(result.documents["doc_id"]) == sorted(ODD_NAMES)
    assert set(result.documents["status"]) == {"parsed"}
    assert set(result.events["doc_id"]) == set(ODD_NAMES)
    assert result.events["event_id"].is_unique


def test_nested_folders_give_posix_paths_relative_to_the_folder(tmp_path):
    root = tmp_path / "corpus"
    write(root / "asia" / "2023" / "laos visit.txt", ARTICLE)
    write(root / "asia" / "index.html", PAGE)
    write(root / "top.md", ARTICLE)

    result = relations.parse(root)

    assert sorted(result.documents["doc_id"]) == ["asia/2023/laos visit.txt", "asia/index.html", "top.md"]
    assert "asia/2023/laos visit.txt" in set(result.events["doc_id"])
    assert [i.doc_id for i in inputs([root])] == ["asia/2023/laos visit.txt", "asia/index.html", "top.md"]


def test_a_file_given_directly_is_named_by_its_file_name(tmp_path):
    path = write(tmp_path / "deep" / "er" / "laos-visit.txt", ARTICLE)

    result = relations.parse(path)

    assert list(result.documents["doc_id"]) == ["laos-visit.txt"]
    assert set(result.events["doc_id"]) == {"laos-visit.txt"}


def test_files_and_folders_together(tmp_path):
    write(tmp_path / "folder" / "a.txt", ARTICLE)
    write(tmp_path / "folder" / "sub" / "b.txt", ARTICLE)
    single = write(tmp_path / "elsewhere" / "c.txt", ARTICLE)

    result = relations.parse([tmp_path / "folder", str(single)])

    assert list(result.documents["doc_id"]) == ["a.txt", "sub/b.txt", "c.txt"]


def doc_ids(*paths: Path) -> list[str]:
    return [item.doc_id for item in inputs(paths)]


def test_files_come_in_the_order_of_their_path_parts(tmp_path):
    # a folder's files come right after its name: "a/b.txt" before "a b.txt" and "a-c.txt",
    # although "/" sorts after " " and "-" as a character
    for name in ["a-c.txt", "a b.txt", "a/b.txt", "a/b/c.txt", "Z.txt"]:
        write(tmp_path / name, ARTICLE)

    assert doc_ids(tmp_path) == ["Z.txt", "a/b/c.txt", "a/b.txt", "a b.txt", "a-c.txt"]


def test_control_characters_in_names_are_written_out_in_doc_ids(tmp_path):
    path = write(tmp_path / "sub" / "two\nlines\r.txt", ARTICLE)

    [item] = inputs([tmp_path])

    assert item.path == path
    assert item.doc_id == "sub/two\\x0alines\\x0d.txt"


def test_symlinks_in_a_folder_are_listed_but_folders_behind_them_are_not_walked(tmp_path):
    outside = write(tmp_path / "outside" / "visit.txt", ARTICLE)
    write(tmp_path / "outside" / "more" / "signing.txt", ARTICLE)
    root = tmp_path / "corpus"
    write(root / "own.txt", ARTICLE)
    (root / "linked.txt").symlink_to(outside)
    (root / "gone.txt").symlink_to(root / "nowhere.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    (root / "shortcut").symlink_to(tmp_path / "outside")

    items = list(inputs([root]))

    assert [item.doc_id for item in items] == ["gone.txt", "linked.txt", "loop.txt", "own.txt", "shortcut"]
    assert [item.path for item in items] == [root / item.doc_id for item in items]  # the link, not its target
    loaded = {item.doc_id: load(item) for item in items}
    assert loaded["linked.txt"].text == ARTICLE.strip()
    assert loaded["gone.txt"].reason == loaded["loop.txt"].reason == "broken link"
    assert loaded["shortcut"].reason.startswith("cannot be read")


def test_a_file_reached_twice_is_listed_once_under_the_first_name_reached(tmp_path):
    root = tmp_path / "corpus"
    real = write(root / "b-real.txt", ARTICLE)
    (root / "a-alias.txt").symlink_to(real)
    (root / "c-alias.txt").symlink_to(real)
    write(root / "sub" / "d.txt", ARTICLE)
    (tmp_path / "corpus-link").symlink_to(root)
    missing = tmp_path / "no-such-article.txt"

    assert doc_ids(root) == ["a-alias.txt", "sub/d.txt"]
    # the folder again, through a link, a folder inside it, a file inside it, a missing file twice
    assert doc_ids(root, root, tmp_path / "corpus-link", root / "sub", real, missing, missing) == [
        "a-alias.txt",
        "sub/d.txt",
        "no-such-article.txt",
    ]
    # a file given before its folder keeps its own name
    assert doc_ids(root / "sub" / "d.txt", root) == ["d.txt", "a-alias.txt"]


def test_a_folder_given_through_a_symlink_is_walked_under_the_link(tmp_path):
    write(tmp_path / "corpus" / "sub" / "d.txt", ARTICLE)
    link = tmp_path / "corpus-link"
    link.symlink_to(tmp_path / "corpus")

    assert [(item.path, item.doc_id) for item in inputs([link])] == [(link / "sub" / "d.txt", "sub/d.txt")]


def test_two_inputs_with_the_same_name_are_both_kept(tmp_path):
    first = write(tmp_path / "2023" / "news.txt", ARTICLE)
    second = write(tmp_path / "2024" / "news.txt", ARTICLE)

    result = relations.parse([first, second])

    assert len(result.documents) == 2
    assert result.documents["doc_id"].is_unique
    assert result.events["event_id"].is_unique
    assert result.events["doc_id"].nunique() == 2


def test_a_missing_file_is_rejected_not_dropped(tmp_path):
    result = relations.parse(tmp_path / "no-such-article.txt")

    doc = document(result, "no-such-article.txt")
    assert doc["status"] == "rejected"
    assert "not found" in doc["reason"]


def test_every_input_appears_exactly_once_with_a_status(tmp_path):
    files = {
        "visit.txt": ARTICLE,
        "page.html": PAGE,
        "weather.txt": "Rain is expected in the north of the country on Tuesday, with sunny spells later in the week.",
        "blank.md": "",
        "picture.txt": b"\x89PNG\r\n\x1a\n" + bytes(32),
        "zeros.txt": bytes(range(256)) * 4,
        "huge.txt": "Laos " * 400,
        "sub/dir/crlf.txt": ARTICLE.replace("\n", "\r\n"),
        "sub/utf16.txt": ARTICLE.encode("utf-16"),
    }
    for name, data in files.items():
        write(tmp_path / name, data)

    result = relations.parse(tmp_path, max_bytes=1000)
    docs = result.documents.set_index("doc_id")

    assert sorted(docs.index) == sorted(files)
    assert docs.index.is_unique
    assert set(docs["status"]) <= {"parsed", "empty", "rejected"}
    assert docs.loc[["visit.txt", "page.html", "sub/dir/crlf.txt", "sub/utf16.txt"], "status"].tolist() == ["parsed"] * 4
    assert docs.loc[["weather.txt", "blank.md"], "status"].tolist() == ["empty"] * 2
    assert docs.loc[["picture.txt", "zeros.txt", "huge.txt"], "status"].tolist() == ["rejected"] * 3
    assert docs.loc[docs["status"] != "parsed", "reason"].str.len().gt(0).all()
    # n_events agrees with the events table
    counts = result.events["doc_id"].value_counts()
    for doc_id, row in docs.iterrows():
        assert row["n_events"] == counts.get(doc_id, 0)


# --- offsets -----------------------------------------------------------------


def test_every_event_sentence_is_found_at_its_offsets_in_the_loaded_text(tmp_path):
    write(tmp_path / "plain.txt", ARTICLE)
    write(tmp_path / "bom.txt", codecs.BOM_UTF8 + ARTICLE.encode())
    write(tmp_path / "utf16.txt", ("Headline\n\n" + ARTICLE).encode("utf-16"))
    write(tmp_path / "crlf.txt", ("  Indented title  \r\n\r\n\r\n" + ARTICLE).replace("\n", "\r\n"))
    write(tmp_path / "page.html", PAGE)
    write(tmp_path / "nested" / "tabs and controls.txt", "Intro\x0cline\t\n\n" + ARTICLE)
    write(tmp_path / "french.txt", FRENCH.encode("cp1252"))

    result = relations.parse(tmp_path)

    assert len(result.events) >= 10
    for row in result.events.itertuples():
        text = load(Input(tmp_path / row.doc_id, row.doc_id)).text
        assert text[row.char_start : row.char_end] == row.sentence, row.doc_id


def test_a_document_that_takes_too_long_is_rejected_and_the_run_goes_on(tmp_path):
    # one slow document must not stall a run: with a tiny limit, a large article
    # is rejected with a reason and the next one is still read
    write(tmp_path / "a-huge.txt", "Vietnam and Laos held talks in Hanoi on Monday and signed agreements. " * 20000)
    write(tmp_path / "b-small.txt", ARTICLE)

    result = relations.parse(tmp_path, time_limit=0.05)

    huge, small = document(result, "a-huge.txt"), document(result, "b-small.txt")
    assert huge["status"] == "rejected"
    assert "time limit" in huge["reason"]
    assert small["status"] == "parsed"
