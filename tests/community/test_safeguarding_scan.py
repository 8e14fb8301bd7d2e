"""crisis_scan: the default list finds crisis language, sets look-alikes aside, and follows the operator's edits."""

from __future__ import annotations

import pytest

from community.models import SafeguardingPhrase
from community.safeguarding_data import default_crisis_phrases
from community.services.safeguarding import CrisisScan, crisis_explain, crisis_scan

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("honestly i just want to die", "suicide"),
        ("I'm going to KILL MYSELF tonight", "suicide"),
        ("thinking about ending it all", "suicide"),
        ("i've been self-harming again", "self_harm"),
        ("i cut myself last night", "self_harm"),
        ("my stepdad hits me when he's drunk. he hits me a lot", "abuse"),
        ("i don't feel safe at home", "danger"),
    ],
)
def test_crisis_language_is_found_with_its_category(text, category):
    scan = crisis_scan(text=text)

    assert scan.is_crisis
    assert category in scan.categories


@pytest.mark.parametrize(
    "text",
    ["k i l l   m y s e l f", "k1ll mys3lf", "kil myslef", "thinking about sucide", "kms", "gonna unalive myself"],
)
def test_spacing_substitutions_slips_and_slang_do_not_hide_it(text):
    assert crisis_scan(text=text).is_crisis


@pytest.mark.parametrize(
    "text",
    [
        "this homework is killing me",
        "you're killing it!!",
        "i could kill for a pizza right now",
        "dying to see you on saturday",
        "that cake was to die for",
        "dead tired after work",
        "i nearly killed myself laughing",
        "my mum is gonna kill me when she sees my hair",
        "hi! see you at the art club later?",
        "",
    ],
)
def test_look_alikes_and_everyday_chat_are_not_crisis(text):
    assert crisis_scan(text=text) == CrisisScan()


def test_a_look_alike_only_sets_aside_its_own_words():
    scan = crisis_scan(text="this homework is killing me and honestly i want to die")

    assert scan.matched == ["want to die"]
    assert scan.categories == ["suicide"]


def test_categories_come_in_a_fixed_order_and_each_phrase_once():
    scan = crisis_scan(text="he hits me and i want to die, i want to die")

    assert scan.categories == ["suicide", "abuse"]
    assert scan.matched == ["he hits me", "want to die"]


def test_the_explanation_shows_the_text_as_read_and_what_was_set_aside():
    explained = crisis_explain(text="This homework is KILLING me, I want to dye... no, i want to diee")

    assert "kiling me" in explained.normalised
    assert explained.set_aside == ["killing me"]
    assert explained.scan.matched == ["want to die"]


def test_the_seeded_list_is_the_default_csv():
    seeded = set(SafeguardingPhrase.objects.values_list("phrase", "category"))

    assert seeded == set(default_crisis_phrases())
    assert {"self_harm", "suicide", "abuse", "danger", "not_crisis"} <= {category for _, category in seeded}


def test_switched_off_phrases_are_not_looked_for():
    SafeguardingPhrase.objects.filter(phrase="want to die").update(is_active=False)

    assert not crisis_scan(text="i want to die").is_crisis
