"""Properties that hold for any input: extract never raises, offsets never lie."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import relations

# realistic fragments make the generator reach the event code, not only the reader
FRAGMENTS = [
    "Vietnamese President",
    "paid a state visit to",
    "Laos",
    "Mongolia",
    "from September 30 to October 1",
    "on Tuesday",
    "signed 7 cooperation documents",
    "provided 500,000 USD",
    "will meet in November 2024",
    "den 9-11 oktober 2025",
    "statsbesöket i Nordkorea",
    "le 21 mars",
    "yesterday",
    "31 February",
    "45/13/2024",
    "99999",
    "1" * 60,
    "\n",
    ". ",
    ", ",
    "(VNA) –",
    " date 2024-12-17 ",
    "«",
    "“",
    "US$",
    "tỷ",
    "Ha Noi",
    "\ud800",  # a lone surrogate: a str may hold one, UTF-8 cannot
]
texts = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(" ".join),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, language=st.sampled_from(["en", None]))
def test_parse_text_never_raises_and_offsets_point_at_the_sentence(text, language):
    result = relations.parse_text("fuzz.txt", text, language=language)
    assert result.document["status"] in ("parsed", "empty", "rejected")
    assert not (result.document["reason"] or "").startswith("could not be parsed")  # the reason a bug gives
    normalised = relations.documents.normalise(text)
    for row in result.events:
        assert normalised[row["char_start"] : row["char_end"]] == row["sentence"]


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=600))
def test_parse_bytes_never_raises(data):
    result = relations.parse_bytes("fuzz.txt", data)
    assert result.document["status"] in ("parsed", "empty", "rejected")
    if result.document["status"] == "rejected":
        assert result.document["reason"]
