"""Tense of a clause: the future suffixes of the verb, and the cheaper pattern tried before them."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from relations.lexicon import lexicon
from relations.tense import _has_future_suffix, _suffix_tails, is_future, without_look_arounds


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


def test_a_suffixs_last_letters_are_looked_for_before_any_regex():
    assert _suffix_tails(lexicon("es")) == ("rá", "rán", "remos", "rían")  # "(?<!Teh)[aeidbr]rán" ends with "rán"


FRENCH = ["Herrera", "sera", "réunira", "opéra", "Ira", "visiteront", "générale", "MINISTRE", "rencontrera", "aura", "Laura"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(FRENCH), min_size=1, max_size=6).map(" ".join), st.data())
def test_the_quick_tests_before_the_suffix_regex_never_change_its_answer(text: str, data: st.DataObject):
    """A clause is in the future by its suffix exactly when the regex finds one in it, whatever its bounds cut."""
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    lex = lexicon("fr")
    assert _has_future_suffix(text, start, end, lex) == (lex.future_suffix.search(text, start, end) is not None)
