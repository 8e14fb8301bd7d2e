"""Word lists: moderators add, change and remove entries (audited); the verdict every chat message gets."""

from __future__ import annotations

import pytest

from community.errors import Conflict, Forbidden, InvalidInput
from community.models import AuditEntry
from messaging.models import WordAction, WordListEntry
from messaging.services.moderation import word_lists
from messaging.services.moderation.word_lists import (
    word_list_entry_add,
    word_list_entry_remove,
    word_list_entry_update,
    word_list_test,
    word_list_verdict,
)

pytestmark = pytest.mark.django_db


def test_a_moderator_adds_an_entry_and_the_audit_log_says_so(moderator):
    entry = word_list_entry_add(actor=moderator, phrase="  idiot ", action=WordAction.BLOCK, note="name-calling")
    assert entry.phrase == "idiot"
    audit = AuditEntry.objects.get(action="word_list.added")
    assert audit.actor == moderator
    assert audit.data["after"] == {"phrase": "idiot", "action": "block", "note": "name-calling"}


@pytest.mark.parametrize("who", ["member", "leader", "evaluator"])
def test_only_moderators_and_staff_edit_word_lists(request, who):
    with pytest.raises(Forbidden) as error:
        word_list_entry_add(actor=request.getfixturevalue(who), phrase="idiot", action=WordAction.BLOCK)
    assert error.value.code == "moderators_only"
    assert not WordListEntry.objects.exists()


def test_staff_edit_word_lists_too(staff):
    assert word_list_entry_add(actor=staff, phrase="loser", action=WordAction.FLAG).action == "flag"


@pytest.mark.parametrize(
    ("phrase", "code"),
    [("", "phrase_empty"), ("   ", "phrase_empty"), ("!!! ...", "phrase_empty"), ("*", "phrase_empty"),
     ("x" * 121, "phrase_too_long")],
)  # fmt: skip
def test_bad_phrases_get_stable_codes(moderator, phrase, code):
    with pytest.raises(InvalidInput) as error:
        word_list_entry_add(actor=moderator, phrase=phrase, action=WordAction.BLOCK)
    assert error.value.code == code
    assert not WordListEntry.objects.exists()


def test_an_unknown_action_is_refused(moderator):
    with pytest.raises(InvalidInput) as error:
        word_list_entry_add(actor=moderator, phrase="idiot", action="delete_account")
    assert error.value.code == "invalid_word_action"


@pytest.mark.parametrize("same", ["idiot", "IDIOT", "ïdiot", "1d10t", "i d i o t"])
def test_a_phrase_that_matches_the_same_words_is_already_on_the_list(moderator, same):
    word_list_entry_add(actor=moderator, phrase="idiot", action=WordAction.BLOCK)
    with pytest.raises(Conflict) as error:
        word_list_entry_add(actor=moderator, phrase=same, action=WordAction.HOLD)
    assert error.value.code == "phrase_exists"
    assert WordListEntry.objects.count() == 1


def test_a_wildcard_is_a_different_entry_from_the_plain_word(moderator):
    word_list_entry_add(actor=moderator, phrase="idiot", action=WordAction.BLOCK)
    word_list_entry_add(actor=moderator, phrase="idiot*", action=WordAction.FLAG)
    assert WordListEntry.objects.count() == 2


def test_updating_changes_only_what_is_given_and_audits_before_and_after(moderator):
    entry = word_list_entry_add(actor=moderator, phrase="idiot", action=WordAction.BLOCK)
    word_list_entry_update(actor=moderator, entry_id=entry.pk, action=WordAction.HOLD)
    entry.refresh_from_db()
    assert (entry.phrase, entry.action) == ("idiot", "hold")
    audit = AuditEntry.objects.get(action="word_list.updated")
    assert audit.data["before"]["action"] == "block"
    assert audit.data["after"]["action"] == "hold"


def test_saving_the_same_values_writes_nothing(moderator):
    entry = word_list_entry_add(actor=moderator, phrase="idiot", action=WordAction.BLOCK)
    word_list_entry_update(actor=moderator, entry_id=entry.pk, phrase="idiot", action=WordAction.BLOCK)
    assert not AuditEntry.objects.filter(action="word_list.updated").exists()


def test_renaming_to_an_existing_phrase_is_refused(moderator):
    word_list_entry_add(actor=moderator, phrase="idiot", action=WordAction.BLOCK)
    other = word_list_entry_add(actor=moderator, phrase="loser", action=WordAction.FLAG)
    with pytest.raises(Conflict) as error:
        word_list_entry_update(actor=moderator, entry_id=other.pk, phrase="Idiot")
    assert error.value.code == "phrase_exists"


def test_updating_an_entry_that_is_gone_says_so(moderator):
    with pytest.raises(Exception) as error:
        word_list_entry_update(actor=moderator, entry_id=999, action=WordAction.HOLD)
    assert error.value.code == "word_not_found"


def test_removing_twice_is_harmless_and_audited_once(moderator):
    entry = word_list_entry_add(actor=moderator, phrase="idiot", action=WordAction.BLOCK)
    assert word_list_entry_remove(actor=moderator, entry_id=entry.pk) is True
    assert word_list_entry_remove(actor=moderator, entry_id=entry.pk) is False
    assert AuditEntry.objects.filter(action="word_list.removed").count() == 1


# --- the verdict ------------------------------------------------------------------------------------------------------


@pytest.fixture
def lists(moderator):
    word_list_entry_add(actor=moderator, phrase="idiot", action=WordAction.BLOCK)
    word_list_entry_add(actor=moderator, phrase="meet me at", action=WordAction.HOLD)
    word_list_entry_add(actor=moderator, phrase="loser*", action=WordAction.FLAG)


@pytest.mark.parametrize(
    "text", ["you IDIOT", "what an ídíót", "i d i o t", "1d10t.", "idiooot", "You absolute  idiot."]
)
def test_matching_ignores_case_accents_spacing_and_substitutions(lists, text):
    verdict = word_list_verdict(text=text)
    assert verdict.blocks == ["idiot"]
    assert verdict.action == "block"
    assert verdict.is_blocked


def test_only_whole_words_match(lists):
    assert word_list_verdict(text="idiotic ideas").action == ""


def test_a_wildcard_matches_any_ending(lists):
    assert word_list_verdict(text="such losers").flags == ["loser*"]


def test_the_strongest_action_wins_and_every_match_is_listed(lists):
    verdict = word_list_verdict(text="meet me at the park, loser")
    assert verdict.holds == ["meet me at"]
    assert verdict.flags == ["loser*"]
    assert verdict.action == "hold"
    assert verdict.is_held and not verdict.is_blocked


def test_a_clean_message_passes(lists):
    verdict = word_list_verdict(text="see you at art club")
    assert (verdict.blocks, verdict.holds, verdict.flags, verdict.action) == ([], [], [], "")


def test_the_list_is_compiled_once_and_not_read_per_message(lists, django_assert_num_queries):
    word_list_verdict(text="warm up")
    with django_assert_num_queries(0):
        for _ in range(20):
            word_list_verdict(text="you idiot")


def test_a_change_reaches_the_verdict_at_once(moderator, lists):
    assert word_list_verdict(text="you muppet").action == ""
    entry = word_list_entry_add(actor=moderator, phrase="muppet", action=WordAction.HOLD)
    assert word_list_verdict(text="you muppet").action == "hold"
    word_list_entry_remove(actor=moderator, entry_id=entry.pk)
    assert word_list_verdict(text="you muppet").action == ""


def test_another_process_compiles_again_when_the_version_in_the_cache_changes(moderator, lists):
    assert word_list_verdict(text="you muppet").action == ""
    # Another process changed the list: the row is new and the version bumped, this process's copy is stale.
    WordListEntry.objects.create(phrase="muppet", action=WordAction.BLOCK)
    assert word_list_verdict(text="you muppet").action == ""
    word_lists._bump_version()
    assert word_list_verdict(text="you muppet").action == "block"


# --- the test box -----------------------------------------------------------------------------------------------------


def test_the_test_box_shows_normalised_text_matches_and_what_would_happen(lists):
    result = word_list_test(text="Meet me at 5, L0SER")
    assert result.normalised == "met me at 5 loser"  # repeated letters are squeezed
    assert [(m.phrase, m.action) for m in result.matches] == [("meet me at", "hold"), ("loser*", "flag")]
    assert result.outcome == "held for review"


@pytest.mark.parametrize(
    ("text", "outcome"),
    [("you idiot", "blocked: the sender is told why"), ("what a loser", "sent, and moderators are told"),
     ("see you soon", "sent")],
)  # fmt: skip
def test_the_test_box_says_what_would_happen(lists, text, outcome):
    assert word_list_test(text=text).outcome == outcome


def test_the_test_box_includes_the_crisis_language_check(lists):
    result = word_list_test(text="honestly i want to kill myself, loser")
    assert result.crisis["is_crisis"] is True
    assert result.crisis["matched"]
    assert result.outcome == "held, the sender is shown support contacts, and moderators on duty are alerted"
    assert word_list_test(text="this homework is killing me").crisis["is_crisis"] is False
