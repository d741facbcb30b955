"""Language identification: our numpy walk of py3langid's model gives py3langid's own answers, to the bit.

The confidence picks between readings of a document in different code pages, so it must be
the very same float, not a close one: every text here is scored by both and compared exactly.
"""

from __future__ import annotations

import pickle
import random
import tomllib
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier, visit_counts

from relations import language
from relations.lexicon import supported_languages

ROOT = Path(__file__).resolve().parents[1]


def _article_texts() -> list[str]:
    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    cases = [
        case["text"]
        for path in sorted((ROOT / "tests" / "cases").glob("*.toml"))
        for table in tomllib.loads(path.read_text(encoding="utf-8")).values()
        for case in table
    ]
    return seeds + cases[::10]


def _odd_texts(rnd: random.Random) -> list[str]:
    def scripts(n: int) -> str:
        blocks = [(0x20, 0x7F), (0xC0, 0x250), (0x370, 0x3FF), (0x400, 0x450), (0x600, 0x650), (0x4E00, 0x4F00), (0x1F600, 0x1F650)]
        return "".join(chr(rnd.randrange(*rnd.choice(blocks))) for _ in range(n))

    texts = ["", " ", "a", "e\u0301", "\ud800 lone surrogate", "\x00" * 30, "ÅNGSTRÖM ÄR HÄR I STOCKHOLM IDAG"]
    for _ in range(60):
        texts.append(scripts(rnd.randrange(0, 700)))
        texts.append(bytes(rnd.randrange(256) for _ in range(rnd.randrange(0, 700))).decode("latin-1"))
    return texts


@cache
def _texts() -> list[str]:
    rnd = random.Random(7)
    texts = []
    for text in _article_texts():
        start = rnd.randrange(max(1, len(text)))
        # upper case is lowered by py3langid and NFD is composed: both change the bytes walked
        texts += [text[:600], text[start : start + rnd.randrange(1, 700)], text[:300].upper(), unicodedata.normalize("NFD", text[:600])]
    # far beyond the sample: each feature counted hundreds of times
    long = " ".join(_article_texts())[:10_000]
    return [*texts, long, *_odd_texts(rnd)]


@pytest.fixture(scope="module")
def stock() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def test_the_texts_cover_what_they_claim():
    texts = _texts()
    assert len(texts) > 300
    assert any(t.isupper() for t in texts)
    assert any(unicodedata.normalize("NFC", t) != t for t in texts)
    assert any(t.isascii() and len(t) > 100 for t in texts)
    assert any(len(t) >= 10_000 for t in texts)


def test_visits_are_pylangids_counts_in_its_order(stock):
    ours = language._identifier()
    for text in _texts():
        data = stock._encode(text)
        theirs = visit_counts(stock.tk_nextmove, stock._rowbase, stock.tk_output, data) or {}
        features, counts = ours.visits(data)
        assert list(zip(features.tolist(), counts.tolist(), strict=True)) == list(theirs.items()), text[:80]


def test_scores_are_py3langids_to_the_bit(stock):
    ours = language._identifier()
    for text in _texts():
        assert ours.classify(text) == stock.classify(text), text[:80]
        assert ours.rank(text) == stock.rank(text), text[:80]


def test_detect_and_confidence_are_those_of_py3langid(stock, monkeypatch):
    calls = [(text, languages) for text in _texts() for languages in (supported_languages(), (), ("en",))]
    ours = [(language.detect(text, languages), language.confidence(text)) for text, languages in calls]
    monkeypatch.setattr(language, "_identifier", lambda: stock)
    assert ours == [(language.detect(text, languages), language.confidence(text)) for text, languages in calls]



def test_the_identifier_kept_on_disk_scores_to_the_bit(stock):
    # what diskcache keeps: the model as its file holds it, the derived arrays derived again
    kept = pickle.dumps(language._identifier(), protocol=pickle.HIGHEST_PROTOCOL)
    restored = pickle.loads(kept)
    assert len(kept) < 80e6, "the float16 table and the automaton, not the arrays derived from them"
    for text in _texts():
        assert restored.classify(text) == stock.classify(text), text[:80]
        assert restored.rank(text) == stock.rank(text), text[:80]
