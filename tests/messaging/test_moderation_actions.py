"""Moderator actions on a message: hide, restore, remove, approve and reject a held message."""

from __future__ import annotations

import pytest

from community.errors import Conflict, Forbidden, InvalidInput, NotFound
from messaging.models import CaseStatus, Message, MessageEdit, ModerationCase, ReportReason
from messaging.selectors import message_history
from messaging.services.moderation.actions import (
    held_message_approve,
    held_message_reject,
    message_hide,
    message_remove,
    message_restore,
)
from messaging.services.moderation.cases import case_report_add
from tests.messaging.moderation_helpers import audit_actions, held_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def said(room, in_group):
    return Message.objects.create(room=room, author=in_group, body="You're all rubbish")


def test_hiding_keeps_the_words_for_moderators_and_records_who_and_why(said, moderator):
    message_hide(actor=moderator, message_id=said.pk, reason="Unkind to the group")
    said.refresh_from_db()
    assert said.is_hidden and said.hidden_reason == "moderator" and said.hidden_by == moderator
    assert said.body == "You're all rubbish"
    entry = audit_actions(said)
    assert entry == ["message.hidden"]


def test_hiding_twice_changes_nothing_and_audits_once(said, moderator, staff):
    message_hide(actor=moderator, message_id=said.pk, reason="Unkind")
    message_hide(actor=staff, message_id=said.pk, reason="Unkind again")
    said.refresh_from_db()
    assert said.hidden_by == moderator
    assert audit_actions(said) == ["message.hidden"]


def test_restore_brings_the_words_back_also_after_reports_hid_it(said, moderator):
    Message.objects.filter(pk=said.pk).update(is_hidden=True, hidden_reason="reports")
    message_restore(actor=moderator, message_id=said.pk)
    message_restore(actor=moderator, message_id=said.pk)
    said.refresh_from_db()
    assert not said.is_hidden and said.hidden_reason == "" and said.hidden_by is None
    assert audit_actions(said) == ["message.restored"]


@pytest.mark.parametrize("who", ["in_group", "leader", "evaluator"])
def test_only_moderators_and_staff_hide(request, said, who):
    person = request.getfixturevalue(who)
    with pytest.raises(Forbidden) as refused:
        message_hide(actor=person, message_id=said.pk, reason="No")
    assert refused.value.code == "moderators_only"
    said.refresh_from_db()
    assert not said.is_hidden and audit_actions(said) == []


def test_a_hide_needs_a_reason_and_an_existing_message(said, moderator):
    with pytest.raises(InvalidInput) as no_reason:
        message_hide(actor=moderator, message_id=said.pk, reason="   ")
    assert no_reason.value.code == "reason_required"
    with pytest.raises(NotFound) as missing:
        message_hide(actor=moderator, message_id=999_999, reason="Gone")
    assert missing.value.code == "message_not_found"
    with pytest.raises(NotFound):
        message_hide(actor=moderator, message_id="12", reason="Not an id")


def test_remove_erases_the_words_keeps_them_for_the_record_and_cannot_be_restored(said, moderator):
    message_remove(actor=moderator, message_id=said.pk, reason="Personal information")
    message_remove(actor=moderator, message_id=said.pk, reason="Again")
    said.refresh_from_db()
    assert said.body == "" and said.is_deleted and said.is_hidden and said.hidden_reason == "moderator"
    assert list(MessageEdit.objects.filter(message=said).values_list("previous_body", "edited_by")) == [
        ("You're all rubbish", moderator.pk)
    ]
    assert audit_actions(said) == ["message.removed"]
    with pytest.raises(Conflict) as refused:
        message_restore(actor=moderator, message_id=said.pk)
    assert refused.value.code == "message_removed"


def test_approving_a_held_message_shows_it_to_everyone_and_resolves_its_case(room, in_group, friend, moderator):
    held = held_message(room, in_group)
    case_report_add(reason=ReportReason.NEW_MEMBER, message=held)
    assert [m.pk for m in message_history(room=room, viewer=friend).messages] == []
    held_message_approve(actor=moderator, message_id=held.pk)
    held_message_approve(actor=moderator, message_id=held.pk)
    assert [m.pk for m in message_history(room=room, viewer=friend).messages] == [held.pk]
    case = ModerationCase.objects.get(message=held)
    assert case.status == CaseStatus.RESOLVED and case.outcome == "approved"
    assert audit_actions(held) == ["message.approved"]


def test_rejecting_a_held_message_keeps_it_from_others_and_the_author_sees_it_removed(
    room, in_group, friend, moderator
):
    held = held_message(room, in_group)
    case_report_add(reason=ReportReason.NEW_MEMBER, message=held)
    held_message_reject(actor=moderator, message_id=held.pk, reason="Not for this group")
    held_message_reject(actor=moderator, message_id=held.pk, reason="Not for this group")
    assert message_history(room=room, viewer=friend).messages == []
    mine = message_history(room=room, viewer=in_group).messages
    assert [(m.pk, m.is_hidden) for m in mine] == [(held.pk, True)]
    assert ModerationCase.objects.get(message=held).outcome == "hidden"
    assert audit_actions(held) == ["message.rejected"]
    with pytest.raises(Conflict) as refused:
        held_message_approve(actor=moderator, message_id=held.pk)
    assert refused.value.code == "already_rejected"


def test_rejecting_a_held_message_someone_already_hid_closes_its_case(room, in_group, moderator):
    held = held_message(room, in_group)
    case_report_add(reason=ReportReason.NEW_MEMBER, message=held)
    message_hide(actor=moderator, message_id=held.pk, reason="Hidden first")
    held_message_reject(actor=moderator, message_id=held.pk, reason="Not for this group")
    case = ModerationCase.objects.get(message=held)
    assert (case.status, case.outcome) == (CaseStatus.RESOLVED, "hidden")


def test_rejecting_a_message_that_is_not_held_is_refused(said, moderator):
    with pytest.raises(Conflict) as refused:
        held_message_reject(actor=moderator, message_id=said.pk, reason="No")
    assert refused.value.code == "not_held"


def test_a_held_messages_words_never_reach_the_room_through_a_reply(api_as, room, in_group, friend, moderator):
    """A held message is only its author's until a moderator approves it: nobody can reply to it (its id is easy to
    guess), and a reply to a message later held by an edit no longer quotes its words."""
    from messaging.models import WordListEntry

    held = held_message(room, friend, body="i want to die")
    response = api_as(in_group).post(
        f"/api/v1/rooms/{room.pk}/messages/", {"body": "what?", "reply_to": held.pk}, format="json"
    )
    assert (response.status_code, response.json().get("code")) == (404, "reply_not_found"), response.json()

    quoted = Message.objects.create(room=room, author=friend, body="See you at art club")
    Message.objects.create(room=room, author=in_group, body="Yes!", reply_to=quoted)
    WordListEntry.objects.create(phrase="muppet", action="hold")
    api_as(friend).patch(f"/api/v1/messages/{quoted.pk}/", {"body": "You muppet, Robin"}, format="json")
    quoted.refresh_from_db()
    assert quoted.is_held and quoted.body == "You muppet, Robin"
    history = api_as(in_group).get(f"/api/v1/rooms/{room.pk}/messages/").json()
    assert "muppet" not in str(history) and "die" not in str(history)


def test_nobody_but_its_author_and_moderators_can_reach_a_held_message(api_as, room, in_group, friend, moderator):
    """Reacting to a held message (someone else's, by guessing its id) would send it, words and all, to the room."""
    from django.test import TestCase

    held = held_message(room, friend, body="i want to die")
    with TestCase.captureOnCommitCallbacks(execute=False) as sent:
        response = api_as(in_group).post(f"/api/v1/messages/{held.pk}/reactions/", {"emoji": "👍"}, format="json")
    assert (response.status_code, response.json().get("code")) == (404, "message_not_found"), response.json()
    assert sent == []
    with TestCase.captureOnCommitCallbacks(execute=False) as sent:
        response = api_as(friend).post(f"/api/v1/messages/{held.pk}/reactions/", {"emoji": "👍"}, format="json")
    assert response.status_code == 404 and sent == []  # its author neither, until a moderator approves it
    assert not held.reactions.exists()
