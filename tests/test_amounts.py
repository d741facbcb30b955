"""Money figures: the number before a currency word is looked for only where a word starts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from relations.amounts import _figure_before, _patterns, find
from relations.lexicon import lexicon

TOKENS = ["US$", "$", "5", "1,500", "2.5", "million", "two", "twenty-five", "of", "dollars", "aid", "A320", "(", ")", ".", "€", "10m"]


def test_a_figure_before_its_currency_word():
    [amount] = find("Japan will give two million dollars to Laos.", lexicon("en"))
    assert (amount.value, amount.currency, amount.text) == (2_000_000, "USD", "two million dollars")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TOKENS), st.sampled_from([" ", "", "  ", "\n"])), max_size=12), st.data())
def test_the_figure_found_is_the_one_the_whole_window_search_finds(tokens: list[tuple[str, str]], data: st.DataObject):
    text = "".join(t + sep for t, sep in tokens)
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    p = _patterns(lexicon("en"))
    expected, found = p.before.search(text, lo, hi), _figure_before(p, text, lo, hi)
    assert (expected and expected.span()) == (found and found.span())
