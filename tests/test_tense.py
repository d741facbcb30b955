"""Tense of a clause: the future suffixes of the verb, and the cheaper pattern tried before them."""

from __future__ import annotations

import re

from relations.lexicon import lexicon
from relations.tense import is_future, without_look_arounds


def _future_at(text: str, word: str, code: str) -> bool:
    start = text.index(word)
    return is_future(text, start, start + len(word), lexicon(code))


def test_a_future_ending_puts_the_clause_in_the_future():
    assert _future_at("Le ministre se réunira avec son homologue le 5 mars.", "5 mars", "fr")


def test_a_fenced_ending_is_no_future_though_the_hint_finds_it():
    text = "Le ministre Herrera a rencontré son homologue le 5 mars."
    assert without_look_arounds(lexicon("fr").future_suffix).search(text)  # "Herrera": "era" once its fence is dropped
    assert not _future_at(text, "5 mars", "fr")


def test_a_pattern_without_its_look_arounds():
    bare = without_look_arounds(re.compile(r"\b\w+(?:(?<!rr)(?<!\bV)era|(?<=\ba)ura|ront)\b", re.IGNORECASE))
    assert bare is not None
    assert bare.pattern == r"\b\w+(?:era|ura|ront)\b"
    assert bare.flags & re.IGNORECASE


def test_none_when_nothing_is_dropped_or_a_look_around_would_be_cut():
    assert without_look_arounds(re.compile(r"\b\w+(?:będzie|będą)\b")) is None
    assert without_look_arounds(re.compile(r"\b\w+(?:(?<!a(?=b))era)\b")) is None  # nested: stripping the inner one narrows the outer
    assert without_look_arounds(re.compile(r"\b\w+\(?=x\)")) is None  # an escaped parenthesis, not a look-ahead
