"""Tense and negation of a clause: is a date or an event in the future, or denied?

Markers are per-language data (``[tense]`` in the language file): auxiliaries
and phrases ("will", "kommer att", "se réunira" via a suffix pattern on the
verb) and negations ("not", "inte", "ne … pas").
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import Lexicon
from .matching import lower

# a clause ends at these; commas are too frequent inside clauses to count
_CLAUSE_BREAK = re.compile(r"[;:]|\s[—–]\s|\n")
# a character every clause break holds: most windows have none, and this search skips to one in C
_BREAK_CHAR = re.compile(r"[;:—–\n]")
_LOOKBACK = 120
_LOOKAHEAD = 40
# a negation stands within a few words of its verb
_NEGATION_REACH = 30
_WORD = re.compile(r"\S+")


def clause_start(text: str, pos: int, floor: int) -> int:
    lo = max(floor, pos - _LOOKBACK)
    if _BREAK_CHAR.search(text, lo, pos) is None:
        return lo
    start = lo
    for m in _CLAUSE_BREAK.finditer(text, lo, pos):
        start = m.end()
    return start


def clause_end(text: str, pos: int, ceiling: int) -> int:
    if _BREAK_CHAR.search(text, pos, min(ceiling, pos + _LOOKAHEAD)) is None:
        return min(ceiling, pos + _LOOKAHEAD)
    m = _CLAUSE_BREAK.search(text, pos, min(ceiling, pos + _LOOKAHEAD))
    return m.start() if m else min(ceiling, pos + _LOOKAHEAD)


# a look-around without parentheses inside: "(?<!rr)", "(?<=\ba)", "(?<=tt|ét)"; not after a backslash: "\(" is a parenthesis
_LOOKAROUND = re.compile(r"(?<!\\)\(\?<?[=!](?:[^()\\]|\\.)*\)")


def without_look_arounds(pattern: re.Pattern) -> re.Pattern | None:
    """A pattern that matches wherever ``pattern`` does: ``pattern`` without its look-arounds.

    None when there is nothing to drop, or when a look-around is left (nested parentheses):
    dropping an assertion only widens a pattern, keeping half of one may not.
    """
    bare = _LOOKAROUND.sub("", pattern.pattern)
    if bare == pattern.pattern or re.search(r"\(\?<?[=!]", bare):
        return None
    return re.compile(bare, pattern.flags)


@lru_cache(maxsize=64)  # one per language; a Lexicon hashes by identity, a Pattern by its whole compiled code
def _suffix_hint(lex: Lexicon) -> re.Pattern | None:
    return without_look_arounds(lex.future_suffix) if lex.future_suffix is not None else None


# the characters a suffix ends with whatever it matched: "rán" for "(?<!Teh)[aeidbr]rán"
_LITERAL_TAIL = re.compile(r"[^\\\[\]().*+?{}|^$]*$")


@lru_cache(maxsize=64)
def _suffix_tails(lex: Lexicon) -> tuple[str, ...] | None:
    """Each future suffix's last characters, lowered; None when one ends otherwise (a class, a group)."""
    tails = []
    for suffix in lex.data.get("tense", {}).get("future_suffixes", []):
        bare = _LOOKAROUND.sub("", suffix)
        found = _LITERAL_TAIL.search(bare)
        tail = found.group()
        if found.start() and bare[found.start() - 1] == "\\":
            tail = tail[1:]  # an escape's letter is no literal ("\w")
        if not tail or "|" in bare:
            return None
        tails.append(lower(tail))
    return tuple(tails)


def _ends_a_word(window: str, tails: tuple[str, ...]) -> bool:
    """Whether a tail ends a word of ``window`` after at least one character, as a suffix's match must."""
    for tail in tails:
        at = window.find(tail, 1)
        while at >= 0:
            after = at + len(tail)
            if after == len(window) or not (window[after].isalnum() or window[after] == "_"):
                return True
            at = window.find(tail, at + 1)
    return False


def _has_future_suffix(text: str, start: int, end: int, lex: Lexicon) -> bool:
    # ``\b\w+(?:…)\b`` tries every ending at every letter of every word, and a fenced ending
    # ("(?<!rr)(?<!br)era") runs its look-behinds first. Most clauses hold no word ending with a suffix's last
    # letters, which str.find tells at a fraction of the cost; where a suffix has none, the endings without
    # their fences rule most clauses out at half the cost
    tails = _suffix_tails(lex)
    if tails is not None:
        if not _ends_a_word(lower(text[start:end]), tails):
            return False
    else:
        hint = _suffix_hint(lex)
        if hint is not None and hint.search(text, start, end) is None:
            return False
    return lex.future_suffix.search(text, start, end) is not None


def is_future(text: str, start: int, end: int, lex: Lexicon, floor: int = 0, ceiling: int | None = None) -> bool:
    """Is the clause around text[start:end] set in the future?"""
    ceiling = len(text) if ceiling is None else ceiling
    if lex.future_suffix is None and lex.future.search(text, max(floor, start - _LOOKBACK), start) is None:
        return False  # no marker within the longest clause: the clause itself need not be found
    lo = clause_start(text, start, floor)
    if lex.future.search(text, lo, start):
        return True
    return lex.future_suffix is not None and _has_future_suffix(text, lo, clause_end(text, end, ceiling), lex)


def is_negated(text: str, start: int, end: int, lex: Lexicon, floor: int = 0) -> bool:
    """Is a trigger at text[start:end] denied ("was not inked", "n'a pas signé")?"""
    # most triggers have no negation anywhere near: the words around them need not be found
    if lex.negation.search(text, max(floor, start - _NEGATION_REACH), min(len(text), end + _NEGATION_REACH)) is None:
        return False
    # the last three words before the trigger, the first two after (Germanic languages deny
    # after the verb: "unterzeichneten … nicht", "undertecknade inte")
    lo = ([m.start() for m in _WORD.finditer(text, max(floor, start - _NEGATION_REACH), start)][-3:] or [start])[0]
    hi = ([m.end() for m in _WORD.finditer(text, end, min(len(text), end + _NEGATION_REACH))][:2] or [end])[-1]
    if lex.negation_exceptions.search(text, lo, hi):  # "not only", "nicht nur"
        return False
    return lex.negation.search(text, lo, start) is not None or lex.negation.search(text, end, hi) is not None
