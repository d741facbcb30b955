"""Phrase lists found in a text: the matcher behind countries, triggers, months and every word list."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from relations.matching import _AFTER, _WORD_START, PhraseMatcher, _trie_regex, fold, is_exact_case


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


def test_lists_sharing_a_heads_phrases_share_its_compiled_trie() -> None:
    """Each language's country list holds "Tuvalu": a fresh process compiles its trie once."""
    german = PhraseMatcher([("Tuvalu", "TUV"), ("Tonga", "TON")])
    french = PhraseMatcher([("Tuvalu", "TUV"), ("Tonga", "TON"), ("Tunisie", "TUN")])
    text = "Tuvalu, Tonga"
    assert spans(german, text) == [("Tuvalu", "TUV"), ("Tonga", "TON")]
    re.purge()  # not re's own cache of the last few hundred patterns
    assert spans(french, text) == [("Tuvalu", "TUV"), ("Tonga", "TON")]
    assert german._indexed[0].compiled["tuva"] is french._indexed[0].compiled["tuva"]


def test_a_matcher_with_no_phrases_is_false_and_finds_nothing() -> None:
    m = PhraseMatcher([])
    assert not m and m.findall("anything") == [] and m.search("anything") is None
    assert _trie_regex([]) == ""  # an empty list is an empty pattern, not an error


def test_a_stem_is_found_inside_words_in_any_case_re_pairs_with_its_first_letter() -> None:
    # re.I pairs "s" with the long "ſ", and "k" with the Kelvin sign: characters a search may not skip
    m = PhraseMatcher([("*kommen*", "agreement"), ("*sache*", "case")])
    text = "Abkommen, ABKOMMEN, \u212aOMMEN, Rechtsſache, RECHTSSACHE, Komma, Sachse"
    found = ["Abkommen", "ABKOMMEN", "\u212aOMMEN", "Rechtsſache", "RECHTSSACHE"]
    assert [t for t, _ in spans(m, text)] == found


WORDS = ["US10", "G7", "G", "visit", "Visits", "talk", "talks", "US", "us", "Costa", "Rica", "Rico"]
WORDS += ["İran", "iran", "ab", "abc", "Abcd", "€", "10"]
PHRASES = ["visit*", "talks", "US", "G7", "Costa Rica", "Puerto Rico", "İran", "ab", "abc*", "Abcd", "€", "*ica"]
SEPARATORS = [" ", "  ", "-", ", ", ". ", "\n", ""]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(PHRASES), min_size=1, max_size=6, unique=True),
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=12),
)
def test_matches_are_those_of_one_regex_over_the_whole_list(phrases: list[str], words: list[tuple[str, str]]) -> None:
    """Indexing by head and compiling per head change the cost, never the matches."""
    text = "".join(w + sep for w, sep in words)
    m = PhraseMatcher((p, p) for p in phrases)
    folded = [fold(p) for p in phrases]
    reference = []
    for exact in (False, True):
        group = [p for p in folded if is_exact_case(p) == exact]
        words = [p for p in group if re.match(r"[\w*]", p)]
        for part, before in ((words, _WORD_START), ([p for p in group if p not in words], "")):
            if part:
                regex = re.compile(before + "(?:" + _trie_regex(part) + ")" + _AFTER, 0 if exact else re.IGNORECASE)
                reference += [x for x in regex.finditer(fold(text)) if x.end() > x.start() and m.lookup(x.group()) is not None]
    reference.sort(key=lambda x: (x.start(), -(x.end() - x.start())))
    kept: list[re.Match] = []
    for x in reference:
        if not kept or x.start() >= kept[-1].end():
            kept.append(x)
    assert [(f.start, f.end) for f in m.findall(text)] == [(x.start(), x.end()) for x in kept]
