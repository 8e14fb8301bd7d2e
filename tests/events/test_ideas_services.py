"""Idea services: every happy path and every refusal code."""

from datetime import timedelta

import pytest
from django.utils import timezone

from community.errors import DomainError
from community.models import AuditEntry, MembershipRole, MembershipStatus, Notification
from events.models import Event, EventCategory, Idea, IdeaBacking, IdeaComment, IdeaStatus
from events.services.ideas import (
    idea_answer,
    idea_back,
    idea_close,
    idea_comment,
    idea_comment_delete,
    idea_propose,
    idea_to_event,
    idea_unback,
)
from tests.events.test_ideas_urls import URLCONF

pytestmark = pytest.mark.urls(URLCONF)


@pytest.fixture
def robin(member, group, add_member):
    add_member(group, member)
    return member


@pytest.fixture
def sky(make_user, group, add_member):
    user = make_user(display_name="Sky")
    add_member(group, user)
    return user


@pytest.fixture
def outsider(make_user):
    return make_user(display_name="Outsider")


@pytest.fixture
def idea(robin, group):
    return idea_propose(actor=robin, group=group, title="Pizza and a film", why="Cosy night in", rough_when="Friday")


def refused(code: str, call, **kwargs):
    with pytest.raises(DomainError) as caught:
        call(**kwargs)
    assert caught.value.code == code, caught.value.detail
    return caught.value


def event_details(**overrides):
    start = timezone.now() + timedelta(days=10)
    return {
        "title": "Pizza night",
        "category": EventCategory.SOCIAL,
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        **overrides,
    }


# --- propose -------------------------------------------------------------------------------------


def test_member_proposes_an_idea(robin, group):
    idea = idea_propose(actor=robin, group=group, title="  Climbing  ", why="Fun", rough_when="Spring")
    stored = Idea.objects.get(pk=idea.pk)
    assert (stored.title, stored.why, stored.rough_when) == ("Climbing", "Fun", "Spring")
    assert stored.status == IdeaStatus.OPEN
    assert stored.proposed_by == robin


def test_non_member_cannot_propose(outsider, group):
    refused("not_a_member", idea_propose, actor=outsider, group=group, title="Hi")
    assert not Idea.objects.exists()


def test_pending_member_cannot_propose(outsider, group, add_member):
    add_member(group, outsider, status=MembershipStatus.PENDING)
    refused("not_a_member", idea_propose, actor=outsider, group=group, title="Hi")


def test_staff_who_is_not_a_member_cannot_propose(staff, group):
    refused("not_a_member", idea_propose, actor=staff, group=group, title="Hi")


def test_hidden_group_is_not_found(outsider, make_group):
    hidden = make_group(is_listed=False)
    refused("group_not_found", idea_propose, actor=outsider, group=hidden, title="Hi")


def test_archived_group_takes_no_ideas(robin, group):
    group.is_archived = True
    group.save()
    refused("group_archived", idea_propose, actor=robin, group=group, title="Hi")


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"title": "   "}, "title_required"),
        ({"title": "x" * 121}, "title_too_long"),
        ({"title": "ok", "why": "x" * 2001}, "why_too_long"),
        ({"title": "ok", "rough_when": "x" * 121}, "when_too_long"),
    ],
)
def test_propose_checks_the_text(robin, group, fields, code):
    error = refused(code, idea_propose, actor=robin, group=group, **fields)
    assert error.fields
    assert not Idea.objects.exists()


def test_proposing_is_rate_limited(robin, group):
    for n in range(10):
        idea_propose(actor=robin, group=group, title=f"Idea {n}")
    refused("rate_limited", idea_propose, actor=robin, group=group, title="One more")
    assert Idea.objects.count() == 10


# --- back and unback -----------------------------------------------------------------------------


def test_back_and_unback(idea, sky):
    idea_back(actor=sky, idea=idea)
    idea_back(actor=sky, idea=idea)  # twice changes nothing
    assert IdeaBacking.objects.filter(idea=idea, user=sky).count() == 1
    assert idea_unback(actor=sky, idea=idea) is True
    assert idea_unback(actor=sky, idea=idea) is False
    assert not IdeaBacking.objects.exists()


def test_cannot_back_own_idea(idea, robin):
    refused("own_idea", idea_back, actor=robin, idea=idea)
    assert not IdeaBacking.objects.exists()


def test_non_member_does_not_see_the_group_ideas(idea, outsider):
    refused("idea_not_found", idea_back, actor=outsider, idea=idea)
    refused("idea_not_found", idea_comment, actor=outsider, idea=idea, body="hi")


def test_idea_in_hidden_group_is_not_found(make_group, make_user, add_member, outsider):
    hidden = make_group(is_listed=False)
    author = make_user()
    add_member(hidden, author)
    idea = idea_propose(actor=author, group=hidden, title="Secret")
    refused("idea_not_found", idea_back, actor=outsider, idea=idea)
    refused("idea_not_found", idea_unback, actor=outsider, idea=idea)


def test_evaluator_cannot_see_ideas(idea, evaluator):
    refused("idea_not_found", idea_back, actor=evaluator, idea=idea)


def test_cannot_back_closed_idea(idea, leader, sky):
    idea_close(actor=leader, idea=idea, reason="Not this term")
    refused("idea_closed", idea_back, actor=sky, idea=idea)


def test_cannot_back_idea_that_is_already_an_event(idea, leader, sky):
    idea_to_event(actor=leader, idea=idea, **event_details())
    refused("idea_already_event", idea_back, actor=sky, idea=idea)


# --- comments ------------------------------------------------------------------------------------


def test_member_comments(idea, sky):
    comment = idea_comment(actor=sky, idea=idea, body="  Count me in!  ")
    assert IdeaComment.objects.get(pk=comment.pk).body == "Count me in!"


def test_staff_can_comment_without_being_a_member(idea, staff):
    idea_comment(actor=staff, idea=idea, body="Great idea")
    assert IdeaComment.objects.filter(author=staff).exists()


@pytest.mark.parametrize(("body", "code"), [("  ", "comment_required"), ("x" * 1001, "comment_too_long")])
def test_comment_checks_the_text(idea, sky, body, code):
    refused(code, idea_comment, actor=sky, idea=idea, body=body)
    assert not IdeaComment.objects.exists()


def test_moderator_reads_but_cannot_comment(idea, moderator):
    refused("not_a_member", idea_comment, actor=moderator, idea=idea, body="hi")


def test_cannot_comment_on_closed_idea(idea, leader, sky):
    idea_close(actor=leader, idea=idea, reason="Not now")
    refused("idea_closed", idea_comment, actor=sky, idea=idea, body="Aw")


def test_commenting_is_rate_limited(idea, sky):
    for n in range(20):
        idea_comment(actor=sky, idea=idea, body=f"Comment {n}")
    refused("rate_limited", idea_comment, actor=sky, idea=idea, body="One more")


def test_author_removes_own_comment_without_an_audit_entry(idea, sky):
    comment = idea_comment(actor=sky, idea=idea, body="Oops")
    idea_comment_delete(actor=sky, comment=comment)
    assert not IdeaComment.objects.exists()
    assert not AuditEntry.objects.filter(action="idea.comment_removed").exists()


@pytest.mark.parametrize("remover", ["leader", "moderator"])
def test_leader_or_moderator_removes_a_comment_and_it_is_audited(request, idea, sky, remover):
    actor = request.getfixturevalue(remover)
    comment = idea_comment(actor=sky, idea=idea, body="Not kind")
    idea_comment_delete(actor=actor, comment=comment)
    assert not IdeaComment.objects.exists()
    entry = AuditEntry.objects.get(action="idea.comment_removed")
    assert entry.actor == actor
    assert entry.data["author_id"] == sky.pk


def test_another_member_cannot_remove_a_comment(idea, sky, robin):
    comment = idea_comment(actor=sky, idea=idea, body="Mine")
    refused("not_your_comment", idea_comment_delete, actor=robin, comment=comment)
    assert IdeaComment.objects.filter(pk=comment.pk).exists()


# --- answer --------------------------------------------------------------------------------------


def test_leader_answers_and_proposer_and_backers_are_told(idea, leader, robin, sky):
    idea_back(actor=sky, idea=idea)
    idea_back(actor=leader, idea=idea)  # the leader backs it too, but isn't told about their own answer
    idea_answer(actor=leader, idea=idea, answer="Love it, let's plan it")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ANSWERED
    assert idea.leader_answer == "Love it, let's plan it"
    assert idea.answered_by == leader
    assert idea.answered_at is not None
    told = set(Notification.objects.filter(kind="idea_answered").values_list("user_id", flat=True))
    assert told == {robin.pk, sky.pk}
    assert Notification.objects.filter(kind="idea_answered").first().url == f"/ideas/{idea.pk}/"
    assert AuditEntry.objects.filter(action="idea.answered", actor=leader, target_id=str(idea.pk)).exists()


def test_answering_again_replaces_the_answer(idea, leader):
    idea_answer(actor=leader, idea=idea, answer="First")
    idea_answer(actor=leader, idea=idea, answer="Second")
    idea.refresh_from_db()
    assert idea.leader_answer == "Second"


def test_staff_can_answer(idea, staff):
    idea_answer(actor=staff, idea=idea, answer="Yes!")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ANSWERED


def test_member_cannot_answer(idea, sky, robin):
    refused("not_a_leader", idea_answer, actor=sky, idea=idea, answer="Yes")
    refused("not_a_leader", idea_answer, actor=robin, idea=idea, answer="Yes")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.OPEN


def test_leader_of_another_group_cannot_answer(idea, make_group, make_user, add_member):
    other = make_group()
    other_leader = make_user()
    add_member(other, other_leader, role=MembershipRole.LEADER)
    refused("idea_not_found", idea_answer, actor=other_leader, idea=idea, answer="Yes")


def test_answer_needs_text(idea, leader):
    refused("answer_required", idea_answer, actor=leader, idea=idea, answer=" ")
    refused("answer_too_long", idea_answer, actor=leader, idea=idea, answer="x" * 2001)


def test_cannot_answer_a_closed_idea(idea, leader):
    idea_close(actor=leader, idea=idea, reason="No budget")
    refused("idea_closed", idea_answer, actor=leader, idea=idea, answer="Actually")


# --- close ---------------------------------------------------------------------------------------


def test_leader_closes_with_a_reason(idea, leader, robin, sky):
    idea_back(actor=sky, idea=idea)
    idea_close(actor=leader, idea=idea, reason="  We did this last month  ")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.CLOSED
    assert idea.closed_reason == "We did this last month"
    assert idea.closed_by == leader
    told = set(Notification.objects.filter(kind="idea_answered").values_list("user_id", flat=True))
    assert told == {robin.pk, sky.pk}
    entry = AuditEntry.objects.get(action="idea.closed")
    assert entry.data == {"reason": "We did this last month"}


def test_close_needs_a_reason(idea, leader):
    refused("reason_required", idea_close, actor=leader, idea=idea, reason="  ")
    refused("reason_too_long", idea_close, actor=leader, idea=idea, reason="x" * 1001)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.OPEN


def test_proposer_may_withdraw_their_idea(idea, robin):
    idea_close(actor=robin, idea=idea, reason="Changed my mind")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.CLOSED


def test_other_member_cannot_close(idea, sky):
    refused("not_a_leader", idea_close, actor=sky, idea=idea, reason="Meh")


def test_closing_twice_is_refused(idea, leader):
    idea_close(actor=leader, idea=idea, reason="No")
    refused("idea_closed", idea_close, actor=leader, idea=idea, reason="No again")


# --- turn into an event --------------------------------------------------------------------------


def test_idea_becomes_an_event_and_backers_are_told(idea, leader, robin, sky, make_user, group, add_member):
    third = make_user(display_name="Third")
    add_member(group, third)
    idea_back(actor=sky, idea=idea)
    idea_back(actor=third, idea=idea)
    idea_unback(actor=third, idea=idea)  # withdrew, so isn't told

    event = idea_to_event(actor=leader, idea=idea, **event_details(description="From an idea"))

    idea.refresh_from_db()
    assert idea.status == IdeaStatus.TURNED_INTO_EVENT
    assert idea.event == event
    assert Event.objects.get(pk=event.pk).idea == idea  # the event links back
    assert event.group == group and event.title == "Pizza night"
    notices = Notification.objects.filter(kind="idea_became_event")
    assert set(notices.values_list("user_id", flat=True)) == {robin.pk, sky.pk}
    assert {notice.url for notice in notices} == {f"/events/{event.pk}/"}
    assert AuditEntry.objects.filter(action="idea.turned_into_event", data__event_id=event.pk).exists()


def test_answered_idea_can_become_an_event(idea, leader):
    idea_answer(actor=leader, idea=idea, answer="Let's do it")
    idea_to_event(actor=leader, idea=idea, **event_details())
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.TURNED_INTO_EVENT


def test_member_cannot_turn_an_idea_into_an_event(idea, robin):
    refused("not_a_leader", idea_to_event, actor=robin, idea=idea, **event_details())
    assert not Event.objects.exists()


def test_closed_idea_cannot_become_an_event(idea, leader):
    idea_close(actor=leader, idea=idea, reason="No")
    refused("idea_closed", idea_to_event, actor=leader, idea=idea, **event_details())
    assert not Event.objects.exists()


def test_an_idea_becomes_only_one_event(idea, leader):
    idea_to_event(actor=leader, idea=idea, **event_details())
    refused("idea_already_event", idea_to_event, actor=leader, idea=idea, **event_details())
    assert Event.objects.count() == 1


def test_a_refused_event_leaves_the_idea_as_it_was(idea, leader, sky):
    idea_back(actor=sky, idea=idea)
    start = timezone.now() + timedelta(days=3)
    details = event_details(starts_at=start, ends_at=start)
    refused("ends_before_start", idea_to_event, actor=leader, idea=idea, **details)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.OPEN and idea.event is None
    assert not Event.objects.exists()
    assert not Notification.objects.filter(kind="idea_became_event").exists()


def test_moderator_can_read_but_not_lead(idea, moderator):
    refused("not_a_member", idea_back, actor=moderator, idea=idea)
    refused("not_a_leader", idea_answer, actor=moderator, idea=idea, answer="Hi")
