"""Shared fixtures: the bundled seeds and the development set beside the checkout."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    # the dev articles are other publishers' text: they live in ../shared, not here
    if not (SHARED / "tools" / "score.py").exists():
        pytest.skip(f"{SHARED} is absent (a user's clone): the gold sets live there; CI always has it")
    return SHARED


@pytest.fixture(scope="session")
def scorer(shared_dir: Path):
    spec = importlib.util.spec_from_file_location("score", shared_dir / "tools" / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_CACHE = pytest.StashKey[tempfile.TemporaryDirectory]()


def pytest_configure(config: pytest.Config) -> None:
    # the suite builds its language data into a cache of its own, not the user's ~/.cache/relations
    # (the subprocesses it starts inherit the variable)
    if "RELATIONS_CACHE_DIR" not in os.environ:
        config.stash[_CACHE] = tempfile.TemporaryDirectory(prefix="relations-cache-")
        os.environ["RELATIONS_CACHE_DIR"] = config.stash[_CACHE].name


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CACHE in config.stash:
        os.environ.pop("RELATIONS_CACHE_DIR", None)
        config.stash[_CACHE].cleanup()
