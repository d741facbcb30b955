"""Tense and negation of a clause: is a date or an event in the future, or denied?

Markers are per-language data (``[tense]`` in the language file): auxiliaries
and phrases ("will", "kommer att", "se réunira" via a suffix pattern on the
verb) and negations ("not", "inte", "ne … pas").
"""

from __future__ import annotations

import re

from .lexicon import Lexicon

# a clause ends at these; commas are too frequent inside clauses to count
_CLAUSE_BREAK = re.compile(r"[;:]|\s[—–]\s|\n")
_LOOKBACK = 120
_LOOKAHEAD = 40


def clause_start(text: str, pos: int, floor: int) -> int:
    lo = max(floor, pos - _LOOKBACK)
    start = lo
    for m in _CLAUSE_BREAK.finditer(text, lo, pos):
        start = m.end()
    return start


def clause_end(text: str, pos: int, ceiling: int) -> int:
    m = _CLAUSE_BREAK.search(text, pos, min(ceiling, pos + _LOOKAHEAD))
    return m.start() if m else min(ceiling, pos + _LOOKAHEAD)


def is_future(text: str, start: int, end: int, lex: Lexicon, floor: int = 0, ceiling: int | None = None) -> bool:
    """Is the clause around text[start:end] set in the future?"""
    ceiling = len(text) if ceiling is None else ceiling
    before = text[clause_start(text, start, floor) : start]
    if lex.future.search(before):
        return True
    if lex.future_suffix is not None:
        after = text[end : clause_end(text, end, ceiling)]
        window = before + " " + text[start:end] + " " + after
        if lex.future_suffix.search(window):
            return True
    return False


def is_negated(text: str, start: int, end: int, lex: Lexicon, floor: int = 0) -> bool:
    """Is a trigger at text[start:end] denied ("was not inked", "n'a pas signé")?"""
    before = " ".join(text[max(floor, start - 30) : start].split()[-3:])
    # Germanic languages deny after the verb: "unterzeichneten … nicht", "undertecknade inte"
    after = " ".join(text[end : end + 30].split()[:2])
    window = before + " " + text[start:end] + " " + after
    if lex.negation_exceptions.search(window):  # "not only", "nicht nur"
        return False
    return bool(lex.negation.search(before)) or bool(lex.negation.search(after))
