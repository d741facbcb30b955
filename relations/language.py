"""Which language a document is written in (ISO 639-1), by py3langid's model.

py3langid ships its model inside the package, so nothing is downloaded. Its
Norwegian is "no"/"nn"; Bokmål news is what we meet, so both read as "nb".
"""

from __future__ import annotations

import re
from functools import cache

_LETTERS = re.compile(r"[^\W\d_]")

# enough text to be sure, little enough to stay fast on long documents
_SAMPLE = 1500
_ALIASES = {"no": "nb", "nn": "nb"}


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> str | None:
    """The language code of ``text``, or None when there is no text to judge."""
    sample = text[:_SAMPLE]
    if len(_LETTERS.findall(sample)) < 20:
        return None
    code, _ = _identifier().classify(sample)
    return _ALIASES.get(code, code)


def confidence(text: str) -> float:
    """How sure the model is of its best language for ``text`` (0 to 1)."""
    sample = text[:_SAMPLE]
    if len(_LETTERS.findall(sample)) < 20:
        return 0.0
    return float(_identifier().classify(sample)[1])
