"""Accuracy on the hand-checked gold sets, as the scorer in ../shared measures it."""

from __future__ import annotations

import pytest

import relations
from relations import output


def _score(scorer, docs, gold, tmp_path):
    events = tmp_path / "events.csv"
    output.write(relations.extract(docs), events)
    result = scorer.score(scorer.load_gold(str(gold)), scorer.load_events(str(events)))
    return scorer.summarize(result["totals"]["all"]), result["errors"]


@pytest.fixture(scope="module")
def seeds_score(scorer, shared_dir, tmp_path_factory):
    return _score(scorer, shared_dir / "seeds", shared_dir / "gold" / "seeds.jsonl", tmp_path_factory.mktemp("seeds"))


@pytest.fixture(scope="module")
def dev_score(scorer, shared_dir, tmp_path_factory):
    return _score(scorer, shared_dir / "dev" / "docs", shared_dir / "dev" / "gold.jsonl", tmp_path_factory.mktemp("dev"))


def test_seeds_strict_f1_and_amounts(seeds_score):
    scores, errors = seeds_score
    assert scores["strict_f1"] >= 0.95, errors
    assert scores["amount_acc"] == 1.0, errors


def test_dev_set_scores(dev_score):
    scores, errors = dev_score
    assert scores["strict_f1"] >= 0.85, errors
    assert scores["detect_f1"] >= 0.90, errors
    assert scores["date_acc"] >= 0.90, errors
    assert scores["amount_acc"] >= 0.90, errors
