"""community.textmatch: what a listed phrase matches, and what it never matches."""

from __future__ import annotations

import pytest

from community.textmatch import PhraseMatcher, normalise, words


@pytest.mark.parametrize(
    "text", ["kill myself", "K I L L myself", "k1ll mys3lf", "KÍLL  MYSÉLF", "killmyself", "kiiiill myself"]
)
def test_case_spacing_substitutions_accents_and_repeats_do_not_hide_a_phrase(text):
    assert PhraseMatcher(["kill myself"]).find(text) == ["kill myself"]


@pytest.mark.parametrize("text", ["skills", "killjoy", "overkill", "skill myself"])
def test_only_whole_words_match(text):
    assert PhraseMatcher(["kill", "kill myself"]).find(text) == []


def test_a_trailing_star_matches_any_ending():
    matcher = PhraseMatcher(["cut*"])
    assert matcher.find("cutting again") == ["cut*"]
    assert matcher.find("haircut") == []


def test_spelling_slips_are_read_only_when_asked_and_only_for_listed_words():
    plain, forgiving = (
        PhraseMatcher(["kill myself", "want to die"]),
        PhraseMatcher(["kill myself", "want to die"], correct_spelling=True),
    )
    assert plain.find("kil myslef") == []
    assert forgiving.find("kil myslef") == ["kill myself"]
    assert forgiving.find("i wnat to die") == ["want to die"]
    assert forgiving.find("i want to dine") == []
    assert forgiving.corrected(words("mystery myself")) == ["mystery", "myself"]


def test_a_lone_2_reads_as_to_and_normalise_shows_the_words():
    assert PhraseMatcher(["want to die"]).find("want 2 die") == ["want to die"]
    assert normalise("K1ll  ME nów") == "kil me now"


def test_spans_skip_positions_so_a_look_alike_can_set_words_aside():
    text = words("this is killing me")
    assert PhraseMatcher(["killing me"]).spans(text, skip={2}) == []
