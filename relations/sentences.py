"""Split a document into sentences, keeping each one's offsets.

A line break always ends a sentence (headlines, captions and list items carry
no full stop). Inside a line, ``.``, ``!``, ``?`` and ``…`` end a sentence when
the next word starts like a new sentence, except after an abbreviation of the
document's language, an initial, or a day number ("vom 12. bis zum 14. Oktober").
"""

from __future__ import annotations

import re
from typing import NamedTuple

from .lexicon import Lexicon

# longer than any real sentence: a run without punctuation (a scraped table, a
# 1 MB line) is cut into pieces of this size at a clause or word break, so the
# work per sentence stays bounded
MAX_SENTENCE = 1500
_SOFT_BREAK = re.compile(r"[;,:]\s|\s")

# a sentence ends before a word that does not begin in lower case (in any script: checked in _split_line)
_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?([^\W_]))")
# str.isalnum() exactly: \w is isalnum() or "_"
_ALNUM = re.compile(r"[^\W_]")
# longer than most words: the word before a full stop is looked for this far back first
_WORD_REACH = 64


class Sentence(NamedTuple):
    # a tuple: a document has dozens, and a frozen dataclass sets each field through object.__setattr__
    start: int
    end: int
    text: str


def split(text: str, lex: Lexicon) -> list[Sentence]:
    out: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        if line:  # blank lines part paragraphs: a good share of all lines
            _split_line(line, pos, lex, out)
        pos += len(line) + 1
    return out


def _split_line(line: str, offset: int, lex: Lexicon, out: list[Sentence]) -> None:
    start = 0
    for m in _END.finditer(line):
        if m.group(1).islower() or (line[m.start()] == "." and _no_end_after(_word_before(line, m.start()), lex)):
            continue
        _emit(line, start, m.end(), offset, out)
        start = m.end()
    _emit(line, start, len(line), offset, out)


def _no_end_after(word: str, lex: Lexicon) -> bool:
    """Is a full stop after this word no sentence end: an abbreviation, an initial, a day number?"""
    bare = word.strip("(\"'“‘«[").rstrip(".")
    return bare.lower() in lex.abbreviations or (len(bare) == 1 and bare.isalpha()) or (bare.isdigit() and len(bare) <= 2)


def _word_before(line: str, end: int) -> str:
    """The run of non-space characters ending at ``end`` ("" after a space)."""
    if end == 0 or line[end - 1].isspace():
        return ""
    # splitting a long line from its start for every full stop would cost its length each time;
    # str.split's white space is the regex's \s (both are str.isspace), and it finds the last word
    # without a regex trying every position of the slice
    lo = max(0, end - _WORD_REACH)
    words = line[lo:end].rsplit(None, 1)
    if len(words) == 1 and lo > 0:  # no space in reach: the word may begin further back
        words = line[:end].rsplit(None, 1)
    return words[-1]


def _emit(line: str, start: int, end: int, offset: int, out: list[Sentence]) -> None:
    while end - start > MAX_SENTENCE:
        cut = start + MAX_SENTENCE
        breaks = [m.end() for m in _SOFT_BREAK.finditer(line, start + MAX_SENTENCE // 2, cut)]
        cut = breaks[-1] if breaks else cut
        _emit_one(line, start, cut, offset, out)
        start = cut
    _emit_one(line, start, end, offset, out)


def _emit_one(line: str, start: int, end: int, offset: int, out: list[Sentence]) -> None:
    chunk = line[start:end]
    stripped = chunk.strip()
    # most sentences begin with a letter: the regex looks for one only when they do not
    if not stripped or not (stripped[0].isalnum() or _ALNUM.search(stripped)):
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = offset + start + lead
    out.append(Sentence(s, s + len(stripped), stripped))
