"""The synthetic benchmark corpus is repeatable: the same seed writes the same bytes in any interpreter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[1] / "benchmarks" / "corpus_gen.py"


def generate(out: Path, seed: int, hash_seed: str) -> dict[str, bytes]:
    env = os.environ | {"PYTHONHASHSEED": hash_seed}
    command = [sys.executable, str(GENERATOR), "--docs", "120", "--seed", str(seed), "--out", str(out)]
    subprocess.run(command, env=env, check=True, capture_output=True)
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.txt"))}


def test_the_same_seed_writes_the_same_corpus_under_any_hash_seed(tmp_path):
    # a set iterated while drawing random numbers made the corpus change with PYTHONHASHSEED
    first = generate(tmp_path / "a", 0, "1")
    assert len(first) == 120
    assert generate(tmp_path / "b", 0, "2") == first


def test_another_seed_writes_another_corpus(tmp_path):
    assert generate(tmp_path / "a", 0, "1") != generate(tmp_path / "b", 1, "1")
