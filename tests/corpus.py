"""A small invented corpus for the engine, store and ingest tests: the seeds plus generated articles."""

from __future__ import annotations

import shutil
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

_VISITORS = [("Vietnamese", "Vietnam"), ("Lao", "Laos"), ("Mongolian", "Mongolia"), ("Cambodian", "Cambodia")]
_HOSTS = [("Thailand", "Bangkok"), ("Japan", "Tokyo"), ("India", "New Delhi"), ("France", "Paris"), ("Brazil", "Brasilia")]
_MONTHS = ["January", "March", "May", "June", "September", "November"]


def article(i: int) -> str:
    """An invented news article with a visit, a signing and talks; ``i`` varies its pair and dates."""
    adjective, visitor = _VISITORS[i % len(_VISITORS)]
    host, capital = _HOSTS[i % len(_HOSTS)]
    month, day, year = _MONTHS[i % len(_MONTHS)], 3 + i % 20, 2020 + i % 5
    return (
        f"{capital}, {month} {day + 2}, {year}\n\n"
        f"The {adjective} Foreign Minister paid an official visit to {host} from {month} {day} to {month} {day + 2}, {year}. "
        f"During the visit, the two sides signed {2 + i % 4} cooperation documents on trade and education.\n"
        f"The minister held talks with the Prime Minister of {host} in {capital} on {month} {day + 1}.\n"
        f"Reference {i}: both sides agreed to keep in close contact about {visitor}.\n"
    )


def write_corpus(folder: Path, n: int, *, start: int = 0, extras: bool = True) -> Path:
    """``n`` invented articles (numbered from ``start``) in ``folder``; with ``extras``, a copy of
    the seeds (Swedish and Norwegian too), a PDF and a broken link, both rejected."""
    folder.mkdir(parents=True, exist_ok=True)
    if extras:
        shutil.copytree(SEEDS, folder / "seeds", dirs_exist_ok=True)
        (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not an article")
        (folder / "gone.txt").symlink_to(folder / "nowhere.txt")
    for i in range(start, start + n):
        (folder / f"article_{i:03d}.txt").write_text(article(i), encoding="utf-8")
    return folder
