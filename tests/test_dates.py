"""The date scanner's contract with its two readers, ``published_date`` and ``resolve``."""

from __future__ import annotations

from datetime import date

from relations import dates
from relations.dates import UNKNOWN, DateValue
from relations.lexicon import lexicon


def test_scan_resolves_the_dates_with_their_own_year():
    lex = lexicon("en")
    text = "The ministers met on 5 March 2024 and will meet again on 7 April."
    own_year, no_year = dates.scan(text, lex)
    assert own_year.value == DateValue(date(2024, 3, 5), None, "day")
    assert no_year.value == UNKNOWN  # left to resolve, which knows the document


def test_resolve_places_a_date_without_year_by_the_text_own_dates():
    lex = lexicon("en")
    text = "The ministers met on 5 March 2024. They met again on 7 April."
    resolved = dates.resolve(dates.scan(text, lex), None, text)
    assert [m.value.iso() for m in resolved] == [("2024-03-05", None), ("2024-04-07", None)]


def test_published_date_is_the_dated_line_among_lines_without_digits():
    lex = lexicon("en")
    text = "Vietnam and Laos\nBy our reporter\n5 March 2024\n\nThe ministers met in Hanoi."
    found = dates.published_date(text, lex)
    assert found is not None
    assert found.value == DateValue(date(2024, 3, 5), None, "day")
    assert text[found.start : found.end] == "5 March 2024"


def test_a_day_and_month_with_a_slash_needs_its_marker_word():
    lex = lexicon("vi")
    marked = "Hai bộ trưởng gặp nhau ngày 12/3 tại Hà Nội."
    (found,) = dates.scan(marked, lex)
    assert (marked[found.start : found.end], found.day, found.month, found.year) == ("12/3", 12, 3, None)
    assert dates.scan("Hai bộ trưởng gặp nhau 12/3 tại Hà Nội.", lex) == []
