"""Sentences: the unit an event is read from, with offsets into the document."""

from __future__ import annotations

from relations.lexicon import lexicon
from relations.sentences import MAX_SENTENCE, split


def texts(text: str, code: str) -> list[str]:
    return [s.text for s in split(text, lexicon(code))]


def test_a_sentence_ends_before_a_capital_in_any_script() -> None:
    assert texts("Визит завершился. Стороны подписали соглашение.", "ru") == ["Визит завершился.", "Стороны подписали соглашение."]
    assert texts("Đoàn đã đến Viên Chăn. Đây là chuyến thăm.", "vi") == ["Đoàn đã đến Viên Chăn.", "Đây là chuyến thăm."]


def test_a_lower_case_word_after_a_full_stop_continues_the_sentence() -> None:
    # a scraped line break or a stray full stop: "хорошо. затем", "oui. été"
    assert texts("Он сказал, что всё хорошо. затем уехал.", "ru") == ["Он сказал, что всё хорошо. затем уехал."]
    assert texts("Il a dit oui. été comme hiver.", "fr") == ["Il a dit oui. été comme hiver."]


def test_offsets_point_at_the_sentence_and_long_runs_are_cut() -> None:
    text = "Title line\n\nFirst one. Second one!\n" + "word " * 1000
    found = split(text, lexicon("en"))
    assert all(text[s.start : s.end] == s.text for s in found)
    assert [s.text for s in found[:3]] == ["Title line", "First one.", "Second one!"]
    assert max(s.end - s.start for s in found) <= MAX_SENTENCE


def test_the_word_before_a_full_stop_is_read_whole_however_long() -> None:
    # an abbreviation, even after a bracket, does not end a sentence; a stop after a space follows no word
    assert texts("They met (Dr. Smith came too). Then", "en") == ["They met (Dr. Smith came too).", "Then"]
    # a run without spaces longer than the look-back reach is read from its start: "x((((…Dr" is no abbreviation
    run = "x" + "(" * 70 + "Dr."
    assert texts(run + " Smith came.", "en") == [run, "Smith came."]
    assert texts("They met Dr . Smith", "en") == ["They met Dr .", "Smith"]


def test_a_piece_without_a_letter_or_digit_is_no_sentence() -> None:
    # a sentence need not begin with a letter ("(2) …", "«…»"); a run of dots is none
    assert texts("(2) Second point.\n« Quoted » here.\n...\n", "en") == ["(2) Second point.", "« Quoted » here."]
