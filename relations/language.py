"""Which language a document is written in (ISO 639-1), by py3langid's model.

py3langid ships its model inside the package, so nothing is downloaded. Its
Norwegian is "no"/"nn"; Bokmål news is what we meet, so both read as "nb".
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache, partial
from itertools import islice

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from . import diskcache

_LETTERS = re.compile(r"[^\W\d_]")

# enough text to be sure, little enough to stay fast on long documents
_SAMPLE = 600
_ALIASES = {"no": "nb", "nn": "nb"}
# fewer letters than this are no text to judge
_MIN_LETTERS = 20


def _has_words(sample: str) -> bool:
    # stops at the last letter needed: listing them all would walk the whole sample
    return next(islice(_LETTERS.finditer(sample), _MIN_LETTERS - 1, None), None) is not None


class _Identifier(LanguageIdentifier):
    """py3langid's identifier, same scores to the bit, without its Python loop over every byte."""

    def __init__(self, nb_ptc: np.ndarray, *args, **kwargs) -> None:
        # the table is float16 and the counts float32: numpy's matmul casts the rows to float32
        # before its BLAS product, so casting the table once gives the same scores without a
        # cast per document
        super().__init__(nb_ptc.astype(np.float32), *args, **kwargs)
        self._next_state = np.frombuffer(self.tk_nextmove, dtype=self.tk_nextmove.typecode)
        self._row_offset = np.array(self._rowbase)
        self._feature = np.array(self.tk_output)

    def __reduce__(self) -> tuple:
        # pickled as the model file holds it (the table in float16, no derived arrays): half the
        # bytes, and what __init__ derives from it is derived again on loading
        ptc, pc, classes = self._full_model
        rebuild = partial(_Identifier, norm_probs=self._norm_probs, tk_row=self.tk_row)
        return rebuild, (ptc.astype(np.float16), pc, classes, self.tk_nextmove, self.tk_output)

    def _states(self, data: np.ndarray) -> np.ndarray:
        """The automaton's state after each byte, as py3langid's walk meets them.

        Step k gives, for every byte at once, the state reached from the start by the k
        bytes that end there: it is step k-1's state one byte earlier, moved by this byte.
        A step that changes nothing is a fixed point that also holds for k beyond the
        text's length, where the walk reads all bytes, so it is the walk. The model's
        automaton matches n-grams, whose length bounds the number of steps (about 6).
        """
        states = np.zeros(len(data), dtype=self._next_state.dtype)
        before = np.zeros(len(data), dtype=np.intp)
        while True:
            before[1:] = states[:-1]
            moved = self._next_state[self._row_offset[before] + data]
            # both of the automaton's dtype, so equal bytes are equal states: a fraction of
            # np.array_equal's time on arrays this short
            if moved.tobytes() == states.tobytes():
                return states
            states = moved

    def visits(self, text: bytes) -> tuple[np.ndarray, np.ndarray]:
        """The features that occur in ``text`` and how often, in order of first appearance
        (the order py3langid sums their scores in): its ``visit_counts``."""
        features = self._feature[self._states(np.frombuffer(text, dtype=np.uint8))]
        found, first, counts = np.unique(features[features >= 0], return_index=True, return_counts=True)
        order = np.argsort(first)
        return found[order], counts[order]

    def _raw_score(self, text: bytes) -> np.ndarray:
        features, counts = self.visits(text)
        if not features.size:
            # rare (no n-gram of the model in the text): py3langid's own score for that case
            return super()._raw_score(text)
        # py3langid's _sparse_score, from arrays rather than its Counter
        return np.log1p(counts.astype(np.float32)) @ self.nb_ptc[features] + self.nb_pc


@cache
def _identifier() -> _Identifier:
    # the model file is xz-compressed: decompressing it is most of a second
    return diskcache.load_or_build("langid", partial(_Identifier.from_model_file, MODEL_FILE, norm_probs=True))


# a supported language this likely is preferred to an unsupported top guess:
# a short English sentence can score highest as Nigerian Pidgin ("pcm"), while
# Russian text gives English next to nothing
_CLOSE_ENOUGH = 0.01


def detect(text: str, supported: Collection[str] = ()) -> str | None:
    """The language code of ``text``, or None when there is no text to judge."""
    sample = text[:_SAMPLE]
    if not _has_words(sample):
        return None
    identifier = _identifier()
    # the top guess settles most texts: all 142 languages are ranked only when it is unsupported
    top = identifier.classify(sample)[0]
    best = _ALIASES.get(top, top)
    if supported and best not in supported:
        ranked = ((_ALIASES.get(code, code), p) for code, p in identifier.rank(sample))
        close = next((code for code, p in ranked if code in supported and p >= _CLOSE_ENOUGH), None)
        return close or best
    return best


def confidence(text: str) -> float:
    """How sure the model is of its best language for ``text`` (0 to 1)."""
    sample = text[:_SAMPLE]
    if not _has_words(sample):
        return 0.0
    return float(_identifier().classify(sample)[1])
