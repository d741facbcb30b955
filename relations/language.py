"""Which language a document is written in (ISO 639-1), by py3langid's model.

py3langid ships its model inside the package, so nothing is downloaded. Its
Norwegian is "no"/"nn"; Bokmål news is what we meet, so both read as "nb".
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache
from itertools import islice

_LETTERS = re.compile(r"[^\W\d_]")

# enough text to be sure, little enough to stay fast on long documents
_SAMPLE = 600
_ALIASES = {"no": "nb", "nn": "nb"}
# fewer letters than this are no text to judge
_MIN_LETTERS = 20


def _has_words(sample: str) -> bool:
    # stops at the last letter needed: listing them all would walk the whole sample
    return next(islice(_LETTERS.finditer(sample), _MIN_LETTERS - 1, None), None) is not None


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


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
