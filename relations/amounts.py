"""Money figures: '500,000 USD', 'US$2 billion', '1,5 millions d'euros', '2 tỷ USD'.

Currency words come from babel (names, plural forms, symbols, ISO codes) plus
the language file's colloquial forms; scale words ("milliard", "tỷ") and the
decimal and group separators from the language file and babel. A figure in
brackets right after another one is a conversion ("50 million LAK (5,300
USD)") and is not a second amount.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from .lexicon import Lexicon
from .matching import WORD_START

MAX_AMOUNT = 1e16  # beyond any real budget: a run of digits, not money

_NUMBER = r"(?<![\w.,])(?:\d{1,3}(?:(?:[ \u00a0\u202f]|[.,'](?=\d{3}))\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"


@dataclass(frozen=True)
class Amount:
    start: int
    end: int
    value: float
    currency: str
    text: str


@dataclass(frozen=True)
class _Patterns:
    before: re.Pattern  # number [scale] [of] before a currency word
    after: re.Pattern  # number [scale] after a currency symbol
    scales: dict[str, float]


def _alt(words) -> str:
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) or r"(?!x)x"


@cache
def _patterns(lex: Lexicon) -> _Patterns:
    scales = dict(lex.scales)
    scale = rf"(?:{_alt(scales)})(?!\w)\.?"
    words = _alt(lex.number_words)
    number = rf"(?:{_NUMBER}|(?<!\w)(?:{words})(?!\w))"
    links = _alt(lex.data.get("amounts", {}).get("links", []))
    flags = re.IGNORECASE
    return _Patterns(
        before=re.compile(rf"({number})\s*((?:{scale}\s*){{0,2}})(?:(?:{links})\s*)?$", flags),
        after=re.compile(rf"\s?({_NUMBER})\s*((?:{scale}\s*){{0,2}})", flags),
        scales={k.lower(): v for k, v in scales.items()},
    )


def parse_number(text: str, lex: Lexicon, scaled: bool = False) -> float | None:
    """'500,000' -> 500000; '1,5' -> 1.5; '60.983' before a scale word in English -> 60.983."""
    word = lex.number_words.get(text.lower())
    if word is not None:
        return float(word)
    s = re.sub(r"[ \u00a0\u202f']", "", text)
    seps = [c for c in s if c in ".,"]
    if not seps:
        value = float(s)
    elif len(set(seps)) == 2:
        decimal = s[max(s.rfind("."), s.rfind(","))]
        group = "," if decimal == "." else "."
        value = float(s.replace(group, "").replace(decimal, "."))
    else:
        sep = seps[0]
        tail = s.rsplit(sep, 1)[1]
        grouping = len(seps) > 1 or (len(tail) == 3 and not (scaled and sep == lex.decimal))
        value = float(s.replace(sep, "")) if grouping else float(s.replace(sep, "."))
    return value if math.isfinite(value) else None


def _scale(words: str, p: _Patterns) -> float:
    factor = 1.0
    for w in re.findall(r"[^\W\d_]+", words):
        factor *= p.scales.get(w.lower(), 1.0)
    return factor


def _figure_before(p: _Patterns, text: str, lo: int, hi: int) -> re.Match | None:
    """``p.before.search(text, lo, hi)``, tried only where a word starts: the search would try its number
    words at every character."""
    # a figure, digits or a number word, starts a word
    for word in WORD_START.finditer(text, lo, hi):
        m = p.before.match(text, word.start(), hi)
        if m:
            return m
    return None


def find(text: str, lex: Lexicon) -> list[Amount]:
    """Every money figure in ``text`` with its currency, conversions left out."""
    p = _patterns(lex)
    out: list[Amount] = []
    for cur in lex.currencies.finditer(text):
        m = _figure_before(p, text, max(0, cur.start - 60), cur.start)
        start, end = cur.start, cur.end
        if m:
            number, scale, start = m.group(1), m.group(2), m.start()
        else:
            m = p.after.match(text, cur.end)
            if not m:
                continue
            number, scale, end = m.group(1), m.group(2), m.end()
            end = m.start(2) + len(scale.rstrip()) if scale.strip() else m.end(1)
        value = parse_number(number, lex, scaled=bool(scale.strip()))
        if value is None:
            continue
        value *= _scale(scale, p)
        if 0 < value < MAX_AMOUNT:
            out.append(Amount(start, end, value, cur.value, text[start:end]))
    return _without_conversions(text, out)


def _without_conversions(text: str, amounts: list[Amount]) -> list[Amount]:
    kept: list[Amount] = []
    for a in sorted(amounts, key=lambda a: a.start):
        if kept and a.start >= kept[-1].end and "(" in text[kept[-1].end : a.start] and len(text[kept[-1].end : a.start]) <= 30:
            continue
        if kept and a.start < kept[-1].end:
            continue
        kept.append(a)
    return kept
