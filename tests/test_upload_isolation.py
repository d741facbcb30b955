"""Two readers of the dashboard at once: one session's uploads never appear in the other's.

Each streamlit session keeps its uploads in its own state; two AppTest runs of
dashboard.py stand for two browser tabs of two different users.
"""

from __future__ import annotations

import sys
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
