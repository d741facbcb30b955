"""Phrase lists found in a text: the matcher behind countries, triggers, months and every word list."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from relations.matching import Phrasebook, PhraseMatcher, _normal, _Text, fold, is_exact_case


def spans(matcher: PhraseMatcher, text: str, *window: int) -> list[tuple[str, object]]:
    return [(m.text, m.value) for m in matcher.findall(text, *window)]


def test_wildcards_case_and_whole_words() -> None:
    m = PhraseMatcher([("visit*", "visit"), ("talks", "meeting"), ("US", "USA"), ("*vereinbarung*", "signing"), ("vis*", "short")])
    text = "The visited talks focus US us Kooperationsvereinbarungen vise"
    assert spans(m, text) == [
        ("visited", "visit"),
        ("talks", "meeting"),
        ("US", "USA"),  # "us" in "focus" is no word, and lower-case "us" is not the exact-case "US"
        ("Kooperationsvereinbarungen", "signing"),
        ("vise", "short"),
    ]


def test_lists_sharing_phrases_keep_their_own_values_and_case() -> None:
    # every language lists the same cities: a phrase is prepared once, its value and case rule stay its list's
    places = PhraseMatcher([("Lima", "PER"), ("Nice", "FRA")], exact_case=True)
    words = PhraseMatcher([("Lima", "lima"), ("nice", "adjective")])
    text = "lima and Nice, nice Lima"
    assert spans(places, text) == [("Nice", "FRA"), ("Lima", "PER")]
    assert spans(words, text) == [("lima", "lima"), ("Nice", "adjective"), ("nice", "adjective"), ("Lima", "lima")]


def test_a_phrase_may_end_where_letters_meet_digits() -> None:
    m = PhraseMatcher([("US", "USA"), ("G7", "G7"), ("Rp", "IDR")])
    assert spans(m, "US10 G7s Rp5 USA") == [("US", "USA"), ("G7", "G7"), ("Rp", "IDR")]


def test_a_phrase_ending_in_a_digit_does_not_run_into_a_digit() -> None:
    m = PhraseMatcher([("G7", "G7"), ("G20", "G20"), ("COP*", "COP")])
    assert spans(m, "G77 G7, G201 G20; COP28") == [("G7", "G7"), ("G20", "G20"), ("COP28", "COP")]


def test_a_wildcard_is_tried_after_the_longer_phrases_sharing_its_start() -> None:
    m = PhraseMatcher([("talks*", "talks"), ("talks with", "talks with")])
    assert spans(m, "talks with them, talkshows") == [("talks with", "talks with"), ("talkshows", "talks")]


SHARING_STARTS = st.lists(st.sampled_from(["a", "b", "ab", "ba", "bab"]), min_size=1, max_size=3).map(" ".join)


@settings(deadline=None)
@given(st.lists(SHARING_STARTS, min_size=1, max_size=8, unique=True), st.data())
def test_each_phrase_of_a_list_sharing_starts_is_found_whole(phrases: list[str], data: st.DataObject) -> None:
    wildcards = data.draw(st.lists(st.sampled_from(phrases), unique=True))  # "ab*" beside "ab" and "ab ba"
    m = PhraseMatcher([(p, p) for p in phrases] + [(p + "*", p + "*") for p in wildcards])
    for phrase in phrases:
        assert spans(m, phrase) == [(phrase, phrase)]


def test_the_longest_phrase_wins_and_spaces_match_any_run_or_hyphen() -> None:
    m = PhraseMatcher([("South Korea", "KOR"), ("Korea", "KOR?"), ("Guinea Bissau", "GNB"), ("Guinea", "GIN")])
    found = spans(m, "South  Korea and Guinea-Bissau, then Guinea.")
    assert found == [("South  Korea", "KOR"), ("Guinea-Bissau", "GNB"), ("Guinea", "GIN")]
    assert spans(m, "South -\n Korea") == [("South -\n Korea", "KOR")]


def test_a_text_holding_a_lone_surrogate_is_read_like_any_other() -> None:
    # a str handed to parse_text may hold one; the automaton reads UTF-8, which cannot
    m = PhraseMatcher([("abc", 1), ("x y", 2)])
    assert spans(m, "\ud800abc x\udcff y, x-y") == [("abc", 1), ("x-y", 2)]


def test_a_hyphen_in_a_phrase_matches_only_a_hyphen() -> None:
    m = PhraseMatcher([("Port-au-Prince", "HTI"), ("Prince", "prince")])
    found = spans(m, "Port-au-Prince, Port au Prince, Port--au-Prince")
    assert found == [("Port-au-Prince", "HTI"), ("Prince", "prince"), ("Prince", "prince")]


def test_turkish_dotted_capital_i_matches_its_lower_case() -> None:
    m = PhraseMatcher([("İran", "IRN")])
    assert spans(m, "İRAN, İran, IRAN ve Irak") == [("İRAN", "IRN"), ("İran", "IRN"), ("IRAN", "IRN")]


def test_a_window_reads_part_of_the_text_at_the_texts_offsets() -> None:
    m = PhraseMatcher([("not", True), ("never", True)])
    text = "They did not meet; they will never sign."
    found = m.findall(text, 18, len(text))
    assert [(f.start, f.text) for f in found] == [(text.index("never"), "never")]
    # a word cut by the window's start is not a word start
    assert m.findall("cannot", 3) == []


def test_lists_sharing_a_phrasebook_are_read_in_one_pass_and_keep_their_own_values_and_case() -> None:
    """A language's lists share one automaton; each list still has its own matches."""
    book = Phrasebook()
    places = PhraseMatcher([("Lima", "PER"), ("Nice", "FRA")], exact_case=True, phrasebook=book)
    words = PhraseMatcher([("Lima", "lima"), ("nice", "adjective"), ("nice and*", "phrase")], phrasebook=book)
    text = "lima and Nice, nice Lima"
    assert spans(places, text) == [("Nice", "FRA"), ("Lima", "PER")]
    assert spans(words, text) == [("lima", "lima"), ("Nice", "adjective"), ("nice", "adjective"), ("Lima", "lima")]
    # a list added after a text was read is found in the next one
    later = PhraseMatcher([("and", "and")], phrasebook=book)
    assert spans(later, text) == [("and", "and")] and spans(places, text) == [("Nice", "FRA"), ("Lima", "PER")]


def test_texts_read_ahead_are_answered_from_that_reading(monkeypatch) -> None:
    book = Phrasebook()
    places = PhraseMatcher([("Lima", "PER"), ("Nice", "FRA")], exact_case=True, phrasebook=book)
    texts = ["Nice, then Lima", "from Lima to Nice", "nothing here"]
    in_turn = [spans(places, text) for text in texts]
    book.read_ahead([fold(text) for text in texts[:2]])

    reads = []
    scan = Phrasebook._scan
    monkeypatch.setattr(Phrasebook, "_scan", lambda self, text: reads.append(text) or scan(self, text))
    assert [spans(places, text) for text in texts] == in_turn
    assert reads == [fold(texts[2])], "only the text not read ahead is read at its turn"

    # a list added afterwards is in no reading ahead: the texts are read again
    later = PhraseMatcher([("then", "then")], phrasebook=book)
    assert spans(later, texts[0]) == [("then", "then")]
    book.read_ahead([fold(texts[0])])
    book.read_ahead(())
    spans(places, texts[1])
    assert reads[-1] == fold(texts[1]), "a call forgets the texts of the one before"


def test_a_matcher_with_no_phrases_is_false_and_finds_nothing() -> None:
    m = PhraseMatcher([])
    assert not m and m.findall("anything") == [] and m.search("anything") is None
    assert PhraseMatcher([("visit", True)]).findall("") == []


def test_a_stem_is_found_inside_words_in_any_case_re_pairs_with_its_first_letter() -> None:
    # re.I pairs "s" with the long "ſ", and "k" with the Kelvin sign: characters a search may not skip
    m = PhraseMatcher([("*kommen*", "agreement"), ("*sache*", "case")])
    text = "Abkommen, ABKOMMEN, \u212aOMMEN, Rechtsſache, RECHTSSACHE, Komma, Sachse"
    found = ["Abkommen", "ABKOMMEN", "\u212aOMMEN", "Rechtsſache", "RECHTSSACHE"]
    assert [t for t, _ in spans(m, text)] == found


def phrase_regex(phrase: str) -> re.Pattern:
    """One phrase as a regular expression: the module docstring's rules, spelled out."""
    body = r"[\s-]+".join(map(re.escape, phrase.strip("*").split()))
    lead = r"\b" if re.match(r"[\w*]", phrase) else ""
    wild_start = r"\w*" if phrase.startswith("*") else ""
    wild_end = r"\w*" if phrase.endswith("*") and len(phrase) > 1 else ""
    after = r"(?!(?<=[^\W\d_])[^\W\d_])(?!(?<=\d)\d)"
    return re.compile(lead + wild_start + body + wild_end + after, 0 if is_exact_case(phrase) else re.IGNORECASE)


WORDS = ["US10", "G7", "G", "visit", "Visits", "talk", "talks", "US", "us", "Costa", "Rica", "Rico", "Port-au"]
WORDS += ["İran", "iran", "ab", "abc", "Abcd", "€", "10", "-"]
PHRASES = ["visit*", "talks", "US", "G7", "Costa Rica", "Puerto Rico", "İran", "ab", "abc*", "Abcd", "€", "*ica", "Port-au", "*a Rica"]
SEPARATORS = [" ", "  ", "-", ", ", ". ", "\n", "", " - "]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(PHRASES), min_size=1, max_size=6, unique=True),
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=12),
)
def test_matches_are_the_longest_leftmost_of_the_phrases_one_by_one(phrases: list[str], words: list[tuple[str, str]]) -> None:
    """The automaton changes the cost, never the matches: at the left-most place any phrase matches, the longest."""
    text = fold("".join(w + sep for w, sep in words))
    m = PhraseMatcher((p, p) for p in phrases)
    regexes = [phrase_regex(fold(p)) for p in phrases]
    expected, at = [], 0
    while at < len(text):
        found = [x for x in (r.match(text, at) for r in regexes) if x and m.lookup(x.group()) is not None]
        if found:
            end = max(x.end() for x in found)
            expected.append((at, end))
            at = end
        else:
            at += 1
    assert [(f.start, f.end) for f in m.findall(text)] == expected


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from("ab Z9_-\n\t.(\u00e9\u0130\U0001d400\ud800"), max_size=30))
def test_a_texts_normal_form_is_a_phrases_and_points_back_into_the_text(text: str) -> None:
    """The vectorised normal form of a text is the one phrases are written in, and each character knows its origin."""
    normal = _Text.of(text)
    assert normal.cased == _normal(text)
    for char, origin in zip(normal.cased, normal.origins(np.arange(len(normal.cased))), strict=True):
        source = text[origin]
        assert (
            char == source
            or (char == " " and source in " -\n\t")
            or (char == "\x02" and (source.isalnum() or source == "_"))
            or (char == "\x03" and source.isalnum())
        )
