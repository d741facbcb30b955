"""Two readers of the dashboard at once: one session's uploads never appear in the other's.

Each streamlit session keeps its uploads in its own state; two AppTest runs of
dashboard.py stand for two browser tabs of two different users.
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "dashboard.py"
SECRET = b"""HANOI, March 14, 2025 - Cambodian Prime Minister Hun Manet paid an official visit to Vietnam \
from March 12 to March 13, 2025, at the invitation of Vietnamese Prime Minister Pham Minh Chinh.
"""


def session(monkeypatch) -> AppTest:
    monkeypatch.delenv("RELATIONS_DATA", raising=False)
    monkeypatch.setattr(sys, "argv", ["dashboard.py"])
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    assert not app.exception
    return app


def documents_table(app: AppTest) -> pd.DataFrame:
    app.session_state["tab"] = "Documents"  # only the open tab is built
    app.run()
    (table,) = [d.value for d in app.dataframe if "reason" in d.value.columns]
    return table


def metric(app: AppTest, label: str) -> str:
    (value,) = [m.value for m in app.metric if m.label == label]
    return value


def test_an_upload_in_one_session_is_not_seen_by_another(monkeypatch):
    alice, bob = session(monkeypatch), session(monkeypatch)
    before = metric(bob, "Events")

    alice.file_uploader(key="uploads").upload("private-cambodia.txt", SECRET, "text/plain")
    alice.run()
    bob.run()  # bob reruns after alice's upload, sharing the same process and caches

    assert not alice.exception and not bob.exception
    assert "upload/private-cambodia.txt" in set(documents_table(alice)["doc_id"])
    assert "Cambodia – Vietnam" in alice.multiselect(key="pairs").options
    assert not any("private-cambodia" in d for d in documents_table(bob)["doc_id"])
    assert "Cambodia – Vietnam" not in bob.multiselect(key="pairs").options
    assert metric(bob, "Events") == before
    assert metric(alice, "Events") != before



WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
WRITING_EVENTS = {"os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.symlink", "os.link", "shutil.copyfile", "tempfile.mkstemp"}
_writes: list[tuple[str, str]] | None = None  # a list while a test watches: an audit hook cannot be removed once added


def _watch(event: str, args: tuple) -> None:
    if _writes is None:
        return
    if event == "open":
        path, mode, flags = args
        if (isinstance(mode, str) and set(mode) & set("wax+")) or (mode is None and flags & WRITE_FLAGS):
            _writes.append((event, str(path)))
    elif event in WRITING_EVENTS:
        _writes.append((event, str(args[0])))


@contextmanager
def file_writes() -> Iterator[list[tuple[str, str]]]:
    """Every file this process opens for writing, creates, renames or removes inside the block."""
    global _writes
    if not getattr(sys, "_relations_watch", False):
        sys.addaudithook(_watch)
        sys._relations_watch = True
    _writes = []
    try:
        yield _writes
    finally:
        _writes = None


def test_the_watch_sees_files_written_and_renamed(tmp_path):
    with file_writes() as writes:
        (tmp_path / "a.txt").write_text("x")
        os.replace(tmp_path / "a.txt", tmp_path / "b.txt")
        (tmp_path / "b.txt").read_text()
    assert writes == [("open", str(tmp_path / "a.txt")), ("os.rename", str(tmp_path / "a.txt"))]


def test_an_upload_is_read_in_memory_and_writes_no_file(monkeypatch):
    app = session(monkeypatch)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("inside/cambodia.txt", SECRET)
        zf.writestr("../../escape.txt", SECRET)
    uploader = app.file_uploader(key="uploads")
    uploader.upload("private-cambodia.txt", SECRET, "text/plain")
    uploader.upload("bundle.zip", archive.getvalue(), "application/zip")
    with file_writes() as writes:
        app.run()
        table = documents_table(app)
    assert not app.exception
    assert {"upload/private-cambodia.txt", "upload/bundle.zip/inside/cambodia.txt"} <= set(table["doc_id"])
    assert writes == [], "uploads, archive members and the parse stay in memory"
