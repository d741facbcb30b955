"""Find many phrases in a text in one pass.

The phrase lists of a language (country names, triggers, currency words, month
names…) share one Aho-Corasick automaton, a ``Phrasebook``: a document is read
once for all of them, whatever their length, and each list gets its own
matches. Phrase syntax, shared by all language files:

- a trailing ``*`` matches any word ending (``visit*`` = visits, visited…),
  a leading ``*`` any word beginning (``*vereinbarung*`` inside a German compound);
- a space matches any run of white space or a hyphen;
- a phrase starting with a letter or digit must start a word, and no phrase may
  run into a letter after a letter or a digit after a digit ("US" in "US10" is
  found, "10" in it is not: "US" ends where letters meet digits);
- matching ignores case, except for phrases of three letters or fewer and
  phrases written in capitals (``US``, ``CPV``), which must match exactly.

A list's matches are its longest, left-most, non-overlapping ones.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import chain
from typing import Generic, NamedTuple, TypeVar

import ahocorasick_rs
import numpy as np

T = TypeVar("T")

_UNSEEN = object()
_MEMO_LIMIT = 100_000

# Characters folded before matching; every entry maps one character to one, so
# offsets in the folded text are offsets in the original.
_FOLD = {
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "`": "'",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "‐": "-",
    "‑": "-",
    # Romanian is written with cedillas as often as with commas below
    "ş": "ș",
    "ţ": "ț",
    "Ş": "Ș",
    "Ţ": "Ț",
}
_SPACES = re.compile(r"[\s\-]+")
_FOLD_CHARS = re.compile("[" + "".join(_FOLD) + "]")


def fold(text: str) -> str:
    """Same-length normalisation of apostrophes, hyphens and spaces."""
    # a regex touching only the few characters to fold beats str.translate's
    # per-character lookups on long texts
    return _FOLD_CHARS.sub(lambda m: _FOLD[m.group()], text)


@lru_cache(maxsize=65536)  # the same names and words recur in every document
def key(phrase: str) -> str:
    """The lookup key of a matched or listed phrase."""
    # casefold turns the Turkish "İ" into "i" plus a combining dot: drop the dot
    return _SPACES.sub(" ", fold(phrase)).strip().casefold().replace("\u0307", "")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def is_exact_case(phrase: str) -> bool:
    core = phrase.strip("*")
    letters = [c for c in core if c.isalpha()]
    return len(letters) <= 3 or (len(letters) > 0 and all(c.isupper() for c in letters))


def lower(text: str) -> str:
    """``text`` in lower case, and the same length: an offset in one is an offset in the other."""
    # the lower() of "İ" is two characters; "ı" and "ſ" as IGNORECASE pairs them
    return text.replace("İ", "I").lower().replace("ı", "i").replace("ſ", "s")


# A text is matched in a normal form: each run of white space and hyphens is one space (a lone hyphen stays a
# hyphen, which a phrase's hyphen needs), _MARK stands before each word, and _END after each run of letters and
# each run of digits. A phrase is written in the same form, so one starting a word is only found at a word's
# start, and one ending in a letter or a digit only where that run ends: the automaton itself keeps a phrase
# from running into a letter after a letter, and the prefixes of longer words ("bel" of "below") are no finds
# to check one by one. A text's own "\x02" or "\x03" (documents hold no control characters) is harmless: no
# phrase holds one where the text can, after a character that is neither letter nor digit.
_MARK = "\x02"
_END = "\x03"
_WORD_RUN = re.compile(r"\w*")
_SURROGATES = re.compile("[\ud800-\udfff]")
_RUN = re.compile(r"[\s-]+")
# where a word starts (a figure too: amounts looks for one only there)
WORD_START = re.compile(r"(?<!\w)(?=\w)")
# where a run of letters or of digits ends
_RUN_END = re.compile(r"(?<=[^\W\d_])(?![^\W\d_])|(?<=\d)(?!\d)")


def _normal(phrase: str) -> str:
    """A phrase's normal form (``_Text.of`` gives a text's, the same, with where each character came from)."""
    return _RUN_END.sub(_END, WORD_START.sub(_MARK, _RUN.sub(lambda m: "-" if m.group() == "-" else " ", phrase)))


# A character's classes as re reads them: \w, a letter ([^\W\d_]), \d, and what a phrase's space matches ([\s-])
_WORD, _LETTER, _DIGIT, _SPACE = 1, 2, 4, 8


def _class(c: str) -> int:
    word = c.isalnum() or c == "_"
    digit = c.isdecimal()
    letter = word and not digit and c != "_"
    return word * _WORD | letter * _LETTER | digit * _DIGIT | (c.isspace() or c == "-") * _SPACE


@cache
def _plane_classes() -> np.ndarray:
    """The classes of the characters of Unicode's first plane, by code point: nearly every character of a text."""
    return np.array([_class(chr(c)) for c in range(0x10000)], dtype=np.uint8)


@dataclass(frozen=True)
class _Text:
    """A text in normal form, and where each of its characters came from: built once, read by every list."""

    cased: str
    lowered: str  # same length: a character of one is a character of the other
    flat: str  # lowered, a hyphen read as a space: what the automaton reads
    ends: np.ndarray  # for each character of the text, where its share of the normal form ends
    classes: bytes  # of each character of the text, then a 0 for its end

    @classmethod
    def of(cls, text: str) -> _Text:
        # vectorised: a document has thousands of characters and a few hundred words
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        classes = _plane_classes().take(codes, mode="clip")  # numpy's methods: its functions wrap them in Python
        # above the first plane, and the surrogates: rare, and both at or above U+D800
        high = len(codes) and codes.max() >= 0xD800
        if high:
            for i in np.flatnonzero(codes > 0xFFFF).tolist():
                classes[i] = _class(text[i])
        space = (classes & _SPACE) != 0
        word = (classes & _WORD) != 0
        # each character gives the normal form 0 (a space after a space), 1, 2 or 3 characters: _MARK first
        # if it starts a word, itself, _END after if it ends a run of letters or digits
        repeated = np.empty(len(codes), bool)
        repeated[:1] = False
        np.logical_and(space[1:], space[:-1], out=repeated[1:])
        first = word.copy()
        first[1:] &= ~word[:-1]
        run = classes & (_LETTER | _DIGIT)
        last = run != 0
        last[:-1] = (run[:-1] & ~run[1:]) != 0
        share = first.astype(np.intp)
        share += 1
        share += last
        share -= repeated
        lone_hyphen = codes == ord("-")
        lone_hyphen[:-1] &= ~space[1:]
        lone_hyphen &= ~repeated
        # in place on a copy, all of the codes' dtype: np.where would widen them to int64
        chars = codes.copy()
        chars[space & ~lone_hyphen] = ord(" ")
        chars = chars.repeat(share)
        ends = share.cumsum()
        chars[ends[last] - 1] = ord(_END)
        chars[(ends - share)[first]] = ord(_MARK)
        cased = chars.tobytes().decode("utf-32-le", "surrogatepass")
        lowered = lower(cased)
        flat = lowered.replace("-", " ")
        if high and ((codes - 0xD800) < 0x800).any():  # a lone surrogate (a str, not a file, may hold one): the automaton reads UTF-8
            flat = _SURROGATES.sub("\ufffd", flat)
        return cls(cased, lowered, flat, ends, classes.tobytes() + b"\0")

    def origins(self, offsets: np.ndarray) -> list[int]:
        """The offsets in the text of characters of the normal form (a _MARK's: its word's first character's)."""
        return self.ends.searchsorted(offsets, side="right").tolist()

    def word_start(self, at: int) -> int:
        """Where the run of word characters ending at ``at`` starts (``at`` when there is none)."""
        while at and self.classes[at - 1] & _WORD:
            at -= 1
        return at


def _agrees(found: str, phrase: str) -> bool:
    """Whether a text's normal form is a phrase's, a space of the phrase matching a lone hyphen of the text."""
    return all(a == b or (b == " " and a == "-") for a, b in zip(found, phrase, strict=True))


# How a find of a phrase is checked: on the cased or the lowered text, against what; a leading and a trailing wildcard
_Rule = tuple[tuple[bool, str] | None, bool, bool]


def _leftmost(longest: dict[int, int]) -> list[tuple[int, int]]:
    """The left-most, non-overlapping spans, given the longest span starting at each offset."""
    kept, end = [], 0
    for start in sorted(longest):
        if start >= end:
            end = longest[start]
            kept.append((start, end))
    return kept


class Phrasebook:
    """Phrase lists found together: one automaton (ahocorasick_rs), one pass over a text for all of them.

    A language's lists share one; a list is added once and known by the number ``add`` gives.
    """

    def __init__(self) -> None:
        self._patterns: dict[str, int] = {}
        self._entries: list[list[tuple[int, tuple[bool, str] | None, bool, bool]]] = []  # by pattern: (list, *rule)
        self._lists = 0
        self._automaton: ahocorasick_rs.AhoCorasick | None = None
        self._read: tuple[str, list[list[tuple[int, int]]]] | None = None  # the last text read, each list's spans
        self._ahead: dict[str, list[list[tuple[int, int]]]] = {}  # texts read ahead (read_ahead), each list's spans

    def add(self, patterns: Iterable[tuple[str, _Rule]]) -> int:
        """A new list, as what the automaton looks for and its rule for each of its phrases; the list's number."""
        number = self._lists
        indices, entries = self._patterns, self._entries
        for pattern, rule in patterns:
            entry = (number, *rule)
            index = indices.get(pattern)
            if index is None:
                indices[pattern] = len(entries)
                entries.append([entry])
            elif entry not in entries[index]:
                entries[index].append(entry)
        self._lists += 1
        # built again at the next text: lists are added while a language's data is built, before any text
        self._automaton = None
        self._read = None
        self._ahead = {}
        return number

    def spans(self, text: str, number: int) -> list[tuple[int, int]]:
        """The (start, end) of list ``number``'s matches in a folded text."""
        read = self._read
        if read is None or read[0] is not text:
            ahead = self._ahead.get(text)
            read = self._read = (text, self._scan(text) if ahead is None else ahead)
        return read[1][number]

    def read_ahead(self, texts: Iterable[str]) -> None:
        """Read folded texts back to back and keep what they hold for ``spans``, in place of the last call's.

        Read in a row, the texts of one language keep its automaton and the normal form's code in the
        processor's caches, where each text read when its turn comes would meet them evicted by the rest
        of a document's parsing (0.6x the time, on the synthetic corpus).
        """
        self._ahead = {}  # the last call's texts go first, whatever happens to these
        self._ahead = {text: self._scan(text) for text in texts}

    def _scan(self, text: str) -> list[list[tuple[int, int]]]:
        longest: list[dict[int, int]] = [{} for _ in range(self._lists)]
        if text and self._patterns:
            if self._automaton is None:
                self._automaton = ahocorasick_rs.AhoCorasick(list(self._patterns))
            t = _Text.of(text)
            hits = self._automaton.find_matches_as_indexes(t.flat, overlapping=True)
            at = np.fromiter(chain.from_iterable(hits), dtype=np.intp, count=3 * len(hits)).reshape(-1, 3)
            firsts, lasts = t.origins(at[:, 1]), t.origins(at[:, 2] - 1)
            cased, lowered, classes, entries = t.cased, t.lowered, t.classes, self._entries
            for (index, s, e), first, last in zip(hits, firsts, lasts, strict=True):
                for number, check, lead, trail in entries[index]:
                    if check:
                        found = (cased if check[0] else lowered)[s:e]
                        if found != check[1] and ("-" not in found or not _agrees(found, check[1])):
                            continue
                    start, end = first, last + 1
                    # "*stem": from the start of the word holding it, which must be a word boundary (\b)
                    if lead:
                        start = t.word_start(start)
                        if not (classes[start] ^ (classes[start - 1] if start else 0)) & _WORD:
                            continue
                    if trail:
                        end = _WORD_RUN.match(text, end).end()
                    if longest[number].get(start, -1) < end:
                        longest[number][start] = end
        return [_leftmost(spans) if spans else [] for spans in longest]


class Match(NamedTuple, Generic[T]):
    """A phrase found: where, the text's own characters, and the list's value for it."""

    # a tuple: a document has dozens, and a frozen dataclass sets each field through object.__setattr__
    start: int
    end: int
    text: str
    value: T


@lru_cache(maxsize=16)
def fold_document(text: str) -> str:
    """``fold(text)``, kept for the last few texts: a document is read by the date scan and every list."""
    return fold(text)


# The languages' lists share many phrases (every language lists the same cities): each is prepared once per
# process, not once per list holding it
@lru_cache(maxsize=65536)
def _prepared(phrase: str, exact_case: bool) -> tuple[str, int, str, _Rule] | None:
    """A listed phrase's lookup key; its table (0 exact, 1 "stem*", 2 "*stem"); what the automaton looks for,
    and the rule its finds must pass. None for an empty phrase."""
    phrase = fold(phrase).strip()
    bare = phrase.strip("*")
    if not bare:
        return None
    lead, trail = phrase.startswith("*"), phrase.endswith("*")
    normal = _normal(bare)
    if lead:  # found inside a word
        normal = normal.removeprefix(_MARK)
    if trail:  # and on to the word's end
        normal = normal.removesuffix(_END)
    lowered = lower(normal)
    check = (True, normal) if exact_case or is_exact_case(phrase) else (False, lowered) if "-" in normal else None
    return key(bare), 2 if lead else 1 if trail else 0, lowered.replace("-", " "), (check, lead, trail)


class PhraseMatcher(Generic[T]):
    """Longest, left-most, non-overlapping matches of a phrase list in a text.

    Lists built with the same ``phrasebook`` are found in a text in one pass.
    """

    def __init__(self, phrases: Iterable[tuple[str, T]], exact_case: bool = False, phrasebook: Phrasebook | None = None):
        self._exact: dict[str, T] = {}
        self._prefix: dict[str, T] = {}  # "visit*" -> keyed by "visit"
        self._suffix: dict[str, T] = {}  # "*vereinbarung*" -> keyed by "vereinbarung"
        tables = (self._exact, self._prefix, self._suffix)
        listed: list[tuple[str, _Rule]] = []
        for phrase, value in phrases:
            prepared = _prepared(phrase, exact_case)
            if prepared is None:
                continue
            k, table, pattern, rule = prepared
            tables[table].setdefault(k, value)
            listed.append((pattern, rule))
        self._book = phrasebook or Phrasebook()
        self._number = self._book.add(listed)
        self._listed = bool(listed)
        self._prefix_keys = sorted(self._prefix, key=len, reverse=True)
        self._looked_up: dict[str, T | None] = {}  # matched text -> value: lookup normalises, and the same words recur
        # the last text read, and its matches with their starts and ends
        self._read: tuple[str, tuple[list[Match[T]], list[int], list[int]]] | None = None

    def __bool__(self) -> bool:
        return self._listed

    def lookup(self, matched: str) -> T | None:
        k = key(matched)
        if k in self._exact:
            return self._exact[k]
        for stem in self._prefix_keys:
            if k.startswith(stem):
                return self._prefix[stem]
        for stem, value in self._suffix.items():
            if stem in k:
                return value
        return None

    def findall(self, text: str, start: int = 0, end: int | None = None) -> list[Match[T]]:
        """The matches lying inside ``text[start:end]``, at offsets in ``text``.

        A text is read whole once, and its windows (a sentence, the words
        around a trigger) are answered from those matches: tense and negation
        ask about many windows of one document.
        """
        found, starts, ends = self._read_whole(text)
        if start == 0 and end is None:
            return list(found)
        # the matches do not overlap, so their ends are in order too: the window is one slice
        first = bisect.bisect_left(starts, start)
        return found[first : bisect.bisect_right(ends, len(text) if end is None else end, first)]

    def _read_whole(self, text: str) -> tuple[list[Match[T]], list[int], list[int]]:
        # known by the text object itself: a document's text is asked about dozens of times
        read = self._read
        if read is None or read[0] is not text:
            found = self._scan(fold_document(text))
            read = self._read = (text, (found, [m.start for m in found], [m.end for m in found]))
        return read[1]

    def _scan(self, text: str) -> list[Match[T]]:
        out = []
        for start, end in self._book.spans(text, self._number):
            matched = text[start:end]
            value = self._looked_up.get(matched, _UNSEEN)
            if value is _UNSEEN:
                if len(self._looked_up) >= _MEMO_LIMIT:  # a bound for a run over millions of documents
                    self._looked_up.clear()
                value = self._looked_up[matched] = self.lookup(matched)
            if value is not None:
                out.append(Match(start, end, matched, value))
        return out

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Match[T]]:
        return iter(self.findall(text, start, end))

    def search(self, text: str, start: int = 0, end: int | None = None) -> Match[T] | None:
        # asked far more often than findall, mostly of windows holding nothing: no list is made
        found, starts, ends = self._read_whole(text)
        first = bisect.bisect_left(starts, start)
        if first < len(found) and ends[first] <= (len(text) if end is None else end):
            return found[first]
        return None
