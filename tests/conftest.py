"""Shared fixtures: the bundled seeds and the development set beside the checkout."""

from __future__ import annotations

import importlib.util
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
