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

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

_WILD = "\x00"  # the trie's token for "any word characters"
_SPACE = "\x01"  # the trie's token for "white space or hyphen"

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
_FOLD_CHARS = re.compile("[" + "".join(_FOLD) + "]")


def fold(text: str) -> str:
    """Same-length normalisation of apostrophes, hyphens and spaces."""
    # a regex touching only the few characters to fold beats str.translate's
    # per-character lookups on long texts
    return _FOLD_CHARS.sub(lambda m: _FOLD[m.group()], text)


def key(phrase: str) -> str:
    """The lookup key of a matched or listed phrase."""
    # casefold turns the Turkish "İ" into "i" plus a combining dot: drop the dot
    return re.sub(r"[\s\-]+", " ", fold(phrase)).strip().casefold().replace("\u0307", "")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def is_exact_case(phrase: str) -> bool:
    core = phrase.strip("*")
    letters = [c for c in core if c.isalpha()]
    return len(letters) <= 3 or (len(letters) > 0 and all(c.isupper() for c in letters))


def _tokens(phrase: str) -> list[str]:
    out: list[str] = []
    body = phrase.strip()
    lead = body.startswith("*")
    trail = body.endswith("*") and len(body) > 1
    body = body.strip("*")
    if lead:
        out.append(_WILD)
    for part in re.split(r"(\s+)", body):
        if not part:
            continue
        if part.isspace():
            out.append(_SPACE)
        else:
            out.extend(part)
    if trail:
        out.append(_WILD)
    return out


def _piece(token: str) -> str:
    if token == _WILD:
        return r"\w*"
    if token == _SPACE:
        return r"[\s\-]+"
    return re.escape(token)


def _trie_regex(phrases: Iterable[str]) -> str:
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for token in _tokens(phrase):
            node = node.setdefault(token, {})
        node[""] = True

    def build(node: dict) -> str:
        ends = "" in node
        branches = []
        # letters before a space before a wildcard: "talks*" must not swallow
        # the first word of "talks with" before the longer phrase is tried
        for token in sorted((t for t in node if t), key=lambda t: (t == _WILD, t == _SPACE, t)):
            sub = build(node[token])
            branches.append(_piece(token) + sub)
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return build(trie)


# A phrase starting with a letter must start a word (``\b`` also lets the regex
# engine skip ahead fast); one starting with a symbol may follow a number
# ("10 M€"). A phrase may not run into a letter after a letter or a digit after
# a digit, but a symbol may touch a number ("Rp5").
_WORD_START = r"\b"
_AFTER = r"(?!(?<=\d)\d)(?!(?<=[^\W\d_])[^\W\d_])"


def _starts_a_word(phrase: str) -> bool:
    return phrase.startswith("*") or bool(re.match(r"\w", phrase))


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
        folded_ci, folded_cs = [], []
        for phrase, value in phrases:
            phrase = fold(phrase).strip()
            if not phrase.strip("*"):
                continue
            k = key(phrase.strip("*"))
            table = self._suffix if phrase.startswith("*") else self._prefix if phrase.endswith("*") else self._exact
            table.setdefault(k, value)
            (folded_cs if exact_case or is_exact_case(phrase) else folded_ci).append(phrase)
        self._regexes = []
        for group, flags in ((folded_ci, re.IGNORECASE), (folded_cs, 0)):
            words = [p for p in group if _starts_a_word(p)]
            symbols = [p for p in group if not _starts_a_word(p)]
            for part, before in ((words, _WORD_START), (symbols, "")):
                if part:
                    self._regexes.append(re.compile(before + "(?:" + _trie_regex(part) + ")" + _AFTER, flags))
        self._prefix_keys = sorted(self._prefix, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self._regexes)

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

    def finditer(self, text: str) -> Iterator[Match[T]]:
        text = fold(text)
        found: list[Match[T]] = []
        for regex in self._regexes:
            for m in regex.finditer(text):
                if m.end() > m.start():
                    value = self.lookup(m.group())
                    if value is not None:
                        found.append(Match(m.start(), m.end(), m.group(), value))
        if len(self._regexes) > 1:
            found.sort(key=lambda m: (m.start, -(m.end - m.start)))
            kept: list[Match[T]] = []
            for m in found:
                if not kept or m.start >= kept[-1].end:
                    kept.append(m)
            found = kept
        yield from found

    def findall(self, text: str) -> list[Match[T]]:
        return list(self.finditer(text))

    def search(self, text: str) -> Match[T] | None:
        return next(self.finditer(text), None)
