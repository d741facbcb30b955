"""Find many phrases in a text in one pass.

A list of thousands of phrases (country names, triggers, currency words) is
compiled into one trie-shaped regular expression, so a document is scanned once
per list, not once per phrase. Phrase syntax, shared by all language files:

- a trailing ``*`` matches any word ending (``visit*`` = visits, visited…),
  a leading ``*`` any word beginning (``*vereinbarung*`` inside a German compound);
- a space matches any run of white space or a hyphen;
- matching ignores case, except for phrases of three letters or fewer and
  phrases written in capitals (``US``, ``CPV``), which must match exactly.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, groupby, islice, repeat
from operator import itemgetter
from typing import Generic, TypeVar

T = TypeVar("T")

_UNSEEN = object()
_MEMO_LIMIT = 100_000
# The trie's tokens for "any word characters" and "white space or hyphen": Unicode's last two noncharacters, in
# no phrase and sorting after all others, so letters are tried before a space before a wildcard ("talks*" must
# not swallow the first word of "talks with" before the longer phrase is tried)
_WILD = "\U0010ffff"
_SPACE = "\U0010fffe"
_SPACE_RUN = re.compile(r"\s+")

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


def _tokens(phrase: str) -> str:
    """The phrase as trie tokens: its characters, but a run of white space is one _SPACE and a wildcard one _WILD."""
    body = phrase.strip()
    lead = _WILD if body.startswith("*") else ""
    trail = _WILD if body.endswith("*") and len(body) > 1 else ""
    return lead + _SPACE_RUN.sub(_SPACE, body.strip("*")) + trail


def _trie_regex(phrases: Iterable[str]) -> str:
    # the trie is walked in sorted token strings, not built as nested dicts: a fresh process builds thousands
    return _alternatives(sorted(set(map(_tokens, phrases))))


def _alternatives(tails: list[str]) -> str:
    """The regex of a trie node, given the sorted, distinct token strings that follow it."""
    ends = tails[:1] == [""]
    # a token string's first token is its first character
    branches = [_branch(list(group)) for _, group in groupby(tails[1:] if ends else tails, itemgetter(0))]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return "(?:" + body + ")?" if ends else body


def _pieces(tokens: str) -> str:
    # re.escape leaves the two tokens be
    return re.escape(tokens).replace(_WILD, r"\w*").replace(_SPACE, r"[\s-]+")


def _branch(tails: list[str]) -> str:
    """The regex of the token strings starting with the same token: their common start, then the node there."""
    first, last = tails[0], tails[-1]
    if first is last:  # most tails of a trie are one phrase's
        return _pieces(first)
    # sorted: what the first and the last share, all share (the first may be the start of the last)
    n = 1
    while n < len(first) and first[n] == last[n]:
        n += 1
    return _pieces(first[:n]) + _alternatives([t[n:] for t in tails])


# A phrase starting with a letter must start a word (``\b`` also lets the regex
# engine skip ahead fast); one starting with a symbol may follow a number
# ("10 M€"). A phrase may not run into a letter after a letter or a digit after
# a digit, but a symbol may touch a number ("Rp5").
_WORD_START = r"\b"
_AFTER_LETTER = r"(?!(?<=[^\W\d_])[^\W\d_])"
_AFTER = r"(?!(?<=\d)\d)" + _AFTER_LETTER


def _compile(phrases: Collection[str], before: str, flags: int) -> re.Pattern:
    # A fresh process compiles thousands of these, and re parses them in Python: no lookaround or group that
    # cannot change a match. Only a phrase ending in a digit can run into a digit (a wildcard's \w* takes its
    # word to the end, and no other character matches a digit, even ignoring case); the trie has no top-level "|".
    digit_end = any(phrase.strip()[-1:].isdecimal() for phrase in phrases)
    return re.compile(before + _trie_regex(phrases) + (_AFTER if digit_end else _AFTER_LETTER), flags)


@lru_cache(maxsize=16384)
def _head_trie(phrases: frozenset[str], flags: int) -> re.Pattern:
    # the lists of different languages share many names ("Tuvalu", "Jerusalem"): a fresh process compiles
    # each trie once, not once per language (the trie does not depend on the phrases' order)
    return _compile(phrases, _WORD_START, flags)


# Phrases that start a word are only tried where a word of the text starts with
# one of their first words' heads (first few letters). A text's words and their
# heads are listed once, however many phrase lists read it: the regex engine
# alone would try every phrase trie at every word.
_HEAD = 4
# letters and digits apart: a phrase may end where letters meet digits ("US" in "US10")
_WORDS = re.compile(r"[^\W\d_]+|\d+|_+")
# a trie starts with \b, so only the start of a run of word characters can begin a match ("10" in "US10" cannot)
_RUN_SPLIT = re.compile(r"(\w+)")
_HEAD_OF = itemgetter(slice(None, _HEAD))


def _lower(text: str) -> str:
    # same length as text (the lower() of "İ" is two characters); "ı" and "ſ" as IGNORECASE pairs them
    return text.replace("İ", "I").lower().replace("ı", "i").replace("ſ", "s")


@dataclass(frozen=True)
class _Words:
    """Where the words of a text start, by lowered head."""

    at: dict[str, list[int]]  # lowered head -> the offsets of its words
    heads: frozenset[str]  # at's keys: a set meets a short phrase list's heads by walking the list's few

    @classmethod
    def of(cls, text: str) -> _Words:
        # C-level but for the loops: the runs of word characters of the lowered text (same length: same
        # offsets) and the runs between them, their offsets by summing lengths
        parts = _RUN_SPLIT.split(_lower(text))
        starts = islice(accumulate(map(len, parts), initial=0), 1, len(parts), 2)
        at: dict[str, list[int]] = {}
        for head, start in zip(map(_HEAD_OF, parts[1::2]), starts, strict=True):
            at.setdefault(head, []).append(start)
        # splitting on the simple \w+ is faster than on _WORDS; the few heads mixing letters, digits or
        # underscores ("1st", "g7") are cut back to their first word here
        for head in [h for h in at if not (h.isalpha() or h.isdecimal())]:
            first = _WORDS.match(head).group()
            if first != head:
                at.setdefault(first, []).extend(at.pop(head))
        return cls(at, frozenset(at))


@lru_cache(maxsize=16)
def _words(text: str) -> _Words:
    # a document is read by many phrase lists: keep the last few
    return _Words.of(text)


@lru_cache(maxsize=16)
def _folded(text: str) -> str:
    return fold(text)


_START = re.Match.start


@dataclass(frozen=True)
class _Indexed:
    """Phrases starting with a word, tried only where their first word may start.

    The phrases are grouped by lowered head, even when their case must match:
    a phrase can only match where the word's head is its own, so the others of
    its group fail at once, and a text needs one index for both kinds. A
    group's trie is compiled the first time a text holds its head: most of
    thousands of names never occur in a run, and compiling them all would cost
    a worker seconds per language.
    """

    by_head: dict[str, list[str]]
    by_stem: dict[str, list[str]]  # "vis*": a wildcard stem shorter than a head begins many heads
    heads: frozenset[str]  # by_head's keys
    stems: tuple[str, ...]  # by_stem's keys, for str.startswith
    flags: int
    compiled: dict[str, re.Pattern] = field(default_factory=dict)  # head -> its phrases' trie

    @classmethod
    def of(cls, phrases: list[str], flags: int) -> _Indexed:
        by_head: dict[str, list[str]] = {}
        by_stem: dict[str, list[str]] = {}
        for phrase in phrases:
            is_stem, head = _index_key(phrase)
            (by_stem if is_stem else by_head).setdefault(head, []).append(phrase)
        return cls(by_head, by_stem, frozenset(by_head), tuple(by_stem), flags)

    def matches(self, text: str) -> list[re.Match]:
        """Like ``regex.finditer(text)`` with all the phrases' trie: left-most, then on from each match's end."""
        words = _words(text)
        at = words.at
        wanted = self.heads & words.heads
        if self.stems:
            wanted |= {head for head in at if head.startswith(self.stems)}
        found: list[re.Match] = []
        for head in wanted:
            # one C-level pass per head: trying the few words under a previous match, dropped below,
            # costs less than a Python loop over all the candidate words in text order
            found += filter(None, map((self.compiled.get(head) or self._regex(head)).match, repeat(text), at[head]))
        if len(found) < 2:
            return found
        found.sort(key=_START)
        kept, end = [], 0
        for m in found:
            if m.start() >= end:
                kept.append(m)
                end = m.end()
        return kept

    def _regex(self, head: str) -> re.Pattern:
        phrases = self.by_head.get(head, []) + [p for stem, group in self.by_stem.items() if head.startswith(stem) for p in group]
        regex = self.compiled[head] = _head_trie(frozenset(phrases), self.flags)
        return regex


# "*vereinbarung*": a stem of word characters, inside a word
_WORD_STEM = re.compile(r"\*\w+\*?")
_WORD_CHAR = re.compile(r"\w")


# A stem trie ignoring case is told which characters of the first blocks of Unicode, the letters of most
# texts, cannot start it; any other character may
_PROBED = 0x530
_PROBED_CHARS = "".join(map(chr, range(_PROBED)))


def _stems(phrases: list[str], flags: int) -> re.Pattern | None:
    """Where "*stem" phrases without their leading wildcard match, when every stem is made of word characters."""
    if not all(_WORD_STEM.fullmatch(p) for p in phrases):
        return None
    stems = [p[1:] for p in phrases]
    trie = _trie_regex(stems)
    if not flags & re.IGNORECASE:
        return re.compile(trie, flags)
    # Ignoring case, re tries the trie at every character of the text, 5x slower than when it may skip to the
    # characters that can start it. re.I's own matching of the stems' first letters says which probed ones
    # can; a class of the others, matched with case, lets re skip them, and the trie is checked from the
    # character found (stems found may then overlap: _in_words tries each word holding one once). The class
    # is written as the ranges between those that can start: it compiles faster
    firsts = {stem[0] for stem in stems}
    start = sorted({ord(c) for first in firsts for c in re.findall(re.escape(first), _PROBED_CHARS, flags)})
    bounds = zip([-1, *start], [*start, _PROBED], strict=True)
    never = "".join(f"{re.escape(chr(a + 1))}-{re.escape(chr(b - 1))}" for a, b in bounds if b > a + 1)
    return re.compile(f"(?-i:[^{never}])(?<=(?={trie}).)", flags)


def _in_words(regex: re.Pattern, stems: re.Pattern, text: str) -> list[re.Match]:
    """``regex.finditer(text)`` for "*stem" phrases, tried only at the start of the words holding a stem.

    Trying ``\\w*`` then the stems at every word start costs more than finding
    the stems: a match starts where the word holding its stem starts.
    """
    out: list[re.Match] = []
    end, last = 0, -1  # where the last match ended; where the last stem started
    for hit in stems.finditer(text):
        start = hit.start()
        # back to the word's start, but not over the previous stem's: each character is walked once
        while start > 0 and start - 1 != last and _WORD_CHAR.match(text, start - 1):
            start -= 1
        same_word = start > 0 and start - 1 == last
        last = hit.start()
        if not same_word and start >= end:
            m = regex.match(text, start)
            if m:
                end = m.end()
                out.append(m)
    return out


# The languages' lists share many phrases (every language lists the same cities): each phrase is
# prepared once per process, not once per list holding it
@lru_cache(maxsize=65536)
def _prepared(phrase: str) -> tuple[str, str, int, bool, int] | None:
    """A listed phrase folded; its lookup key; its table (0 exact, 1 "stem*", 2 "*stem"); whether its case
    must match; its kind (0 starts a word, 1 "*stem", 2 starts with a symbol). None for an empty phrase."""
    phrase = fold(phrase).strip()
    if not phrase.strip("*"):
        return None
    inside = phrase.startswith("*")
    table = 2 if inside else 1 if phrase.endswith("*") else 0
    kind = 1 if inside else 0 if _WORD_CHAR.match(phrase) else 2
    return phrase, key(phrase.strip("*")), table, is_exact_case(phrase), kind


@lru_cache(maxsize=65536)
def _index_key(phrase: str) -> tuple[bool, str]:
    """Whether a phrase starting a word is a wildcard stem shorter than a head ("vis*"); the lowered head it is filed under."""
    first = _WORDS.match(phrase).group()
    return len(first) < _HEAD and phrase == first + "*", _lower(first)[:_HEAD]


@dataclass(frozen=True)
class Match(Generic[T]):
    start: int
    end: int
    text: str
    value: T


class PhraseMatcher(Generic[T]):
    """Longest, left-most, non-overlapping matches of a phrase list in a text."""

    def __init__(self, phrases: Iterable[tuple[str, T]], exact_case: bool = False):
        self._exact: dict[str, T] = {}
        self._prefix: dict[str, T] = {}  # "visit*" -> keyed by "visit"
        self._suffix: dict[str, T] = {}  # "*vereinbarung*" -> keyed by "vereinbarung"
        # ignore-case, then exact-case phrases; each: those starting a word, "*stem" ones, those starting with a symbol
        groups: dict[int, tuple[list[str], list[str], list[str]]] = {re.IGNORECASE: ([], [], []), 0: ([], [], [])}
        tables = (self._exact, self._prefix, self._suffix)
        for phrase, value in phrases:
            prepared = _prepared(phrase)
            if prepared is None:
                continue
            folded, k, table, exact, kind = prepared
            tables[table].setdefault(k, value)
            groups[0 if exact_case or exact else re.IGNORECASE][kind].append(folded)
        self._indexed: list[_Indexed] = []
        self._scanned: list[tuple[re.Pattern, re.Pattern | None]] = []  # a trie, and the trie of its stems when it has one
        for flags, (words, inside, symbols) in groups.items():
            if words:
                self._indexed.append(_Indexed.of(words, flags))
            if inside:
                self._scanned.append((_compile(inside, _WORD_START, flags), _stems(inside, flags)))
            if symbols:
                self._scanned.append((_compile(symbols, "", flags), None))
        self._prefix_keys = sorted(self._prefix, key=len, reverse=True)
        self._looked_up: dict[str, T | None] = {}  # matched text -> value: lookup normalises, and the same words recur
        self._read: tuple[str, list[Match[T]], list[int], list[int]] | None = None  # the last text read: its matches, their starts and ends

    def __bool__(self) -> bool:
        return bool(self._indexed or self._scanned)

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
        text = _folded(text)
        read = self._read
        if read is None or read[0] is not text:
            found = self._scan(text)
            read = self._read = (text, found, [m.start for m in found], [m.end for m in found])
        found, starts, ends = read[1:]
        if start == 0 and end is None:
            return list(found)
        # the matches do not overlap, so their ends are in order too: the window is one slice
        first = bisect.bisect_left(starts, start)
        return found[first : bisect.bisect_right(ends, len(text) if end is None else end, first)]

    def _scan(self, text: str) -> list[Match[T]]:
        found: list[Match[T]] = []
        for indexed in self._indexed:
            found += self._values(indexed.matches(text))
        for regex, stems in self._scanned:
            found += self._values(regex.finditer(text) if stems is None else _in_words(regex, stems, text))
        if len(self._indexed) + len(self._scanned) > 1 and found:
            found.sort(key=lambda m: (m.start, -(m.end - m.start)))
            kept: list[Match[T]] = []
            for m in found:
                if not kept or m.start >= kept[-1].end:
                    kept.append(m)
            found = kept
        return found

    def _values(self, matches: Iterable[re.Match]) -> list[Match[T]]:
        out = []
        for m in matches:
            if m.end() > m.start():
                matched = m.group()
                value = self._looked_up.get(matched, _UNSEEN)
                if value is _UNSEEN:
                    if len(self._looked_up) >= _MEMO_LIMIT:  # a bound for a run over millions of documents
                        self._looked_up.clear()
                    value = self._looked_up[matched] = self.lookup(matched)
                if value is not None:
                    out.append(Match(m.start(), m.end(), matched, value))
        return out

    def finditer(self, text: str, start: int = 0, end: int | None = None) -> Iterator[Match[T]]:
        return iter(self.findall(text, start, end))

    def search(self, text: str, start: int = 0, end: int | None = None) -> Match[T] | None:
        found = self.findall(text, start, end)
        return found[0] if found else None
