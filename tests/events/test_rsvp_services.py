"""RSVPs, the waiting list and approvals: every action, every refusal, and the order places are given."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.errors import Conflict, DomainError, Forbidden, NotFound
from community.models import AuditEntry, MembershipRole, Notification
from events.models import Attendance, CheckInMethod, Event, EventVisibility, Rsvp, RsvpMode, RsvpStatus
from events.services.rsvps import rsvp_approve, rsvp_cancel, rsvp_decline, rsvp_going, rsvp_remove
from tests.events.domain_factories import make_event, make_rsvp

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(group, make_user, add_member):
    made = [make_user(display_name=f"Person {n}") for n in range(8)]
    for person in made:
        add_member(group, person)
    return made


def kinds_for(user):
    return list(Notification.objects.filter(user=user).order_by("id").values_list("kind", flat=True))


def status_of(event, user):
    return Rsvp.objects.get(event=event, user=user).status


def going_count(event):
    return Event.objects.get(pk=event.pk).going_count


# --- rsvp_going ------------------------------------------------------------------------------------------------------


def test_going_gets_a_place_and_a_confirmation(group, people):
    event = make_event(group, capacity=3)
    rsvp = rsvp_going(actor=people[0], event=event)
    assert rsvp.status == RsvpStatus.GOING
    assert going_count(event) == 1
    assert kinds_for(people[0]) == ["rsvp_confirmed"]


def test_going_twice_returns_the_same_rsvp(group, people):
    event = make_event(group)
    first = rsvp_going(actor=people[0], event=event)
    second = rsvp_going(actor=people[0], event=event)
    assert first.pk == second.pk and second.status == RsvpStatus.GOING
    assert going_count(event) == 1
    assert kinds_for(people[0]) == ["rsvp_confirmed"]


def test_full_event_puts_people_on_the_waiting_list_in_arrival_order(group, people):
    event = make_event(group, capacity=2)
    results = [rsvp_going(actor=person, event=event) for person in people[:5]]
    assert [rsvp.status for rsvp in results] == ["going", "going", "waitlisted", "waitlisted", "waitlisted"]
    assert going_count(event) == 2
    waiting = list(Rsvp.objects.filter(event=event, status=RsvpStatus.WAITLISTED).order_by("queued_at", "id"))
    assert [rsvp.user for rsvp in waiting] == people[2:5]
    assert rsvp_going(actor=people[2], event=event).status == RsvpStatus.WAITLISTED  # idempotent while waiting


def test_zero_places_means_everyone_waits(group, people):
    event = make_event(group, capacity=0)
    assert rsvp_going(actor=people[0], event=event).status == RsvpStatus.WAITLISTED


def test_unlimited_event_has_no_waiting_list(group, people):
    event = make_event(group, capacity=None)
    assert {rsvp_going(actor=person, event=event).status for person in people} == {RsvpStatus.GOING}
    assert going_count(event) == len(people)


def test_approval_mode_makes_a_request_and_tells_the_organisers(group, leader, people, staff):
    event = make_event(group, rsvp_mode=RsvpMode.APPROVAL, created_by=staff)
    rsvp = rsvp_going(actor=people[0], event=event)
    assert rsvp.status == RsvpStatus.PENDING
    assert going_count(event) == 0
    assert kinds_for(leader) == ["rsvp_requested"]
    assert kinds_for(staff) == ["rsvp_requested"]
    assert kinds_for(people[0]) == []
    assert rsvp_going(actor=people[0], event=event).status == RsvpStatus.PENDING


def test_organisers_skip_approval_for_their_own_event(group, leader):
    event = make_event(group, rsvp_mode=RsvpMode.APPROVAL)
    assert rsvp_going(actor=leader, event=event).status == RsvpStatus.GOING


def test_coming_back_after_cancelling_joins_the_end_of_the_queue(group, people):
    event = make_event(group, capacity=1)
    rsvp_going(actor=people[0], event=event)
    rsvp_going(actor=people[1], event=event)
    rsvp_going(actor=people[2], event=event)
    rsvp_cancel(actor=people[1], event=event)
    again = rsvp_going(actor=people[1], event=event)
    assert again.status == RsvpStatus.WAITLISTED
    rsvp_cancel(actor=people[0], event=event)
    assert status_of(event, people[2]) == RsvpStatus.GOING
    assert status_of(event, people[1]) == RsvpStatus.WAITLISTED


def test_a_newcomer_does_not_jump_the_queue_when_a_place_is_free_and_people_wait(group, people):
    event = make_event(group, capacity=2)
    make_rsvp(event, people[0])
    make_rsvp(event, people[1], RsvpStatus.WAITLISTED)  # a waiting list with a free place: should not happen, but
    assert rsvp_going(actor=people[2], event=event).status == RsvpStatus.WAITLISTED


@pytest.mark.parametrize(
    ("setup", "code"),
    [
        ({"status": "cancelled"}, "event_cancelled"),
        ({"starts_in": -timedelta(hours=3)}, "event_past"),
        ({"rsvp_closes_at": timezone.now() - timedelta(minutes=1)}, "rsvp_closed"),
    ],
)
def test_going_is_refused_for_cancelled_past_and_closed_events(group, people, setup, code):
    event = make_event(group, **setup)
    with pytest.raises(Conflict) as error:
        rsvp_going(actor=people[0], event=event)
    assert error.value.code == code
    assert not Rsvp.objects.filter(event=event).exists()


def test_going_to_an_event_you_cannot_see_is_event_not_found(group, make_user, evaluator):
    event = make_event(group)
    for outsider in (make_user(), evaluator):
        with pytest.raises(NotFound) as error:
            rsvp_going(actor=outsider, event=event)
        assert error.value.code == "event_not_found"
    assert not Rsvp.objects.filter(event=event).exists()


def test_anyone_can_go_to_an_all_members_event(group, make_user):
    event = make_event(group, visibility=EventVisibility.ALL_MEMBERS)
    assert rsvp_going(actor=make_user(), event=event).status == RsvpStatus.GOING


def test_someone_declined_cannot_ask_again(group, people):
    event = make_event(group)
    make_rsvp(event, people[0], RsvpStatus.DECLINED)
    with pytest.raises(Conflict) as error:
        rsvp_going(actor=people[0], event=event)
    assert error.value.code == "rsvp_declined"


# --- rsvp_cancel -----------------------------------------------------------------------------------------------------


def test_cancelling_frees_a_place_for_the_next_person_waiting_who_is_told(group, people):
    event = make_event(group, capacity=2)
    for person in people[:5]:
        rsvp_going(actor=person, event=event)
    cancelled = rsvp_cancel(actor=people[0], event=event)
    assert cancelled.status == RsvpStatus.CANCELLED
    assert status_of(event, people[2]) == RsvpStatus.GOING
    assert status_of(event, people[3]) == RsvpStatus.WAITLISTED
    assert kinds_for(people[2]) == ["waitlist_promoted"]
    assert kinds_for(people[3]) == []
    assert going_count(event) == 2
    rsvp_cancel(actor=people[1], event=event)
    assert status_of(event, people[3]) == RsvpStatus.GOING
    assert status_of(event, people[4]) == RsvpStatus.WAITLISTED


def test_leaving_the_waiting_list_keeps_everyone_elses_order(group, people):
    event = make_event(group, capacity=1)
    for person in people[:4]:
        rsvp_going(actor=person, event=event)
    rsvp_cancel(actor=people[2], event=event)
    assert going_count(event) == 1
    rsvp_cancel(actor=people[0], event=event)
    assert status_of(event, people[1]) == RsvpStatus.GOING
    assert status_of(event, people[3]) == RsvpStatus.WAITLISTED


def test_cancelling_twice_changes_nothing(group, people):
    event = make_event(group)
    rsvp_going(actor=people[0], event=event)
    rsvp_cancel(actor=people[0], event=event)
    assert rsvp_cancel(actor=people[0], event=event).status == RsvpStatus.CANCELLED
    assert going_count(event) == 0


def test_withdrawing_a_request(group, people):
    event = make_event(group, rsvp_mode=RsvpMode.APPROVAL)
    rsvp_going(actor=people[0], event=event)
    assert rsvp_cancel(actor=people[0], event=event).status == RsvpStatus.CANCELLED


def test_cancel_without_an_rsvp_is_refused(group, people, make_user):
    event = make_event(group)
    with pytest.raises(NotFound) as error:
        rsvp_cancel(actor=people[0], event=event)
    assert error.value.code == "rsvp_not_found"
    with pytest.raises(NotFound) as error:
        rsvp_cancel(actor=make_user(), event=event)
    assert error.value.code == "event_not_found"


def test_cancel_after_the_event_is_refused(group, people):
    event = make_event(group, starts_in=-timedelta(hours=5))
    make_rsvp(event, people[0])
    with pytest.raises(Conflict) as error:
        rsvp_cancel(actor=people[0], event=event)
    assert error.value.code == "event_past"
    assert status_of(event, people[0]) == RsvpStatus.GOING


def test_cancel_after_checking_in_is_refused(group, people):
    event = make_event(group, starts_in=-timedelta(minutes=10))
    make_rsvp(event, people[0])
    Attendance.objects.create(event=event, user=people[0], method=CheckInMethod.SELF)
    with pytest.raises(Conflict) as error:
        rsvp_cancel(actor=people[0], event=event)
    assert error.value.code == "already_checked_in"


# --- approvals -------------------------------------------------------------------------------------------------------


@pytest.fixture
def approval_event(group):
    return make_event(group, rsvp_mode=RsvpMode.APPROVAL, capacity=1)


def test_approving_gives_a_place_and_is_audited(approval_event, leader, people):
    rsvp_going(actor=people[0], event=approval_event)
    rsvp = rsvp_approve(actor=leader, event=approval_event, user=people[0])
    assert rsvp.status == RsvpStatus.GOING and rsvp.decided_by == leader
    assert going_count(approval_event) == 1
    assert kinds_for(people[0]) == ["rsvp_decided"]
    entry = AuditEntry.objects.get(action="rsvp_approved")
    assert entry.actor == leader and entry.data["user_id"] == people[0].pk and entry.data["to"] == "going"


def test_approving_when_full_puts_them_on_the_waiting_list(approval_event, leader, people):
    rsvp_going(actor=people[0], event=approval_event)
    rsvp_going(actor=people[1], event=approval_event)
    rsvp_approve(actor=leader, event=approval_event, user=people[0])
    rsvp = rsvp_approve(actor=leader, event=approval_event, user=people[1])
    assert rsvp.status == RsvpStatus.WAITLISTED
    assert "waiting list" in Notification.objects.filter(user=people[1]).get().title


def test_approving_twice_is_not_pending(approval_event, leader, people):
    rsvp_going(actor=people[0], event=approval_event)
    rsvp_approve(actor=leader, event=approval_event, user=people[0])
    with pytest.raises(Conflict) as error:
        rsvp_approve(actor=leader, event=approval_event, user=people[0])
    assert error.value.code == "not_pending"


def test_approve_someone_who_never_asked(approval_event, leader, people):
    with pytest.raises(NotFound) as error:
        rsvp_approve(actor=leader, event=approval_event, user=people[0])
    assert error.value.code == "rsvp_not_found"


def test_approve_on_a_cancelled_or_past_event(group, leader, people):
    cancelled = make_event(group, rsvp_mode=RsvpMode.APPROVAL, status="cancelled")
    make_rsvp(cancelled, people[0], RsvpStatus.PENDING)
    with pytest.raises(Conflict) as error:
        rsvp_approve(actor=leader, event=cancelled, user=people[0])
    assert error.value.code == "event_cancelled"
    past = make_event(group, rsvp_mode=RsvpMode.APPROVAL, starts_in=-timedelta(days=1))
    make_rsvp(past, people[0], RsvpStatus.PENDING)
    with pytest.raises(Conflict) as error:
        rsvp_approve(actor=leader, event=past, user=people[0])
    assert error.value.code == "event_past"


def test_declining_a_request(approval_event, leader, people):
    rsvp_going(actor=people[0], event=approval_event)
    rsvp = rsvp_decline(actor=leader, event=approval_event, user=people[0])
    assert rsvp.status == RsvpStatus.DECLINED and rsvp.decided_by == leader
    assert kinds_for(people[0]) == ["rsvp_decided"]
    assert AuditEntry.objects.filter(action="rsvp_declined").count() == 1
    assert rsvp_decline(actor=leader, event=approval_event, user=people[0]).status == RsvpStatus.DECLINED
    assert AuditEntry.objects.filter(action="rsvp_declined").count() == 1


def test_declining_someone_going_frees_their_place_for_the_next_person(approval_event, leader, people):
    for person in people[:3]:
        rsvp_going(actor=person, event=approval_event)
    for person in people[:3]:
        rsvp_approve(actor=leader, event=approval_event, user=person)
    assert [status_of(approval_event, p) for p in people[:3]] == ["going", "waitlisted", "waitlisted"]
    rsvp_decline(actor=leader, event=approval_event, user=people[0])
    assert [status_of(approval_event, p) for p in people[:3]] == ["declined", "going", "waitlisted"]
    assert "waitlist_promoted" in kinds_for(people[1])
    assert going_count(approval_event) == 1


def test_declining_someone_who_cancelled_is_not_pending(approval_event, leader, people):
    make_rsvp(approval_event, people[0], RsvpStatus.CANCELLED)
    with pytest.raises(Conflict) as error:
        rsvp_decline(actor=leader, event=approval_event, user=people[0])
    assert error.value.code == "not_pending"


# --- removing --------------------------------------------------------------------------------------------------------


def test_removing_someone_going_promotes_the_next_and_is_audited(group, leader, people):
    event = make_event(group, capacity=1)
    rsvp_going(actor=people[0], event=event)
    rsvp_going(actor=people[1], event=event)
    rsvp = rsvp_remove(actor=leader, event=event, user=people[0])
    assert rsvp.status == RsvpStatus.CANCELLED and rsvp.decided_by == leader
    assert status_of(event, people[1]) == RsvpStatus.GOING
    assert kinds_for(people[0]) == ["rsvp_confirmed", "rsvp_decided"]
    assert AuditEntry.objects.get(action="rsvp_removed").data["from"] == "going"


def test_removing_someone_not_going(group, leader, people):
    event = make_event(group)
    make_rsvp(event, people[0], RsvpStatus.CANCELLED)
    with pytest.raises(Conflict) as error:
        rsvp_remove(actor=leader, event=event, user=people[0])
    assert error.value.code == "not_going"


def test_removing_someone_checked_in_is_refused(group, leader, people):
    event = make_event(group, starts_in=-timedelta(minutes=5))
    make_rsvp(event, people[0])
    Attendance.objects.create(event=event, user=people[0], method=CheckInMethod.ORGANISER)
    with pytest.raises(Conflict) as error:
        rsvp_remove(actor=leader, event=event, user=people[0])
    assert error.value.code == "already_checked_in"


@pytest.mark.parametrize("action", [rsvp_approve, rsvp_decline, rsvp_remove])
def test_only_organisers_of_this_event_manage_rsvps(
    group, people, make_group, make_user, add_member, moderator, action
):
    event = make_event(group, rsvp_mode=RsvpMode.APPROVAL, visibility=EventVisibility.ALL_MEMBERS)
    make_rsvp(event, people[0], RsvpStatus.PENDING)
    other_leader = make_user()
    add_member(make_group(), other_leader, role=MembershipRole.LEADER)
    for actor in (people[1], other_leader, moderator):
        with pytest.raises(Forbidden) as error:
            action(actor=actor, event=event, user=people[0])
        assert error.value.code == "not_an_organiser"
    assert status_of(event, people[0]) == RsvpStatus.PENDING
    assert not AuditEntry.objects.exists()


def test_staff_can_manage_rsvps(group, people, staff):
    event = make_event(group, rsvp_mode=RsvpMode.APPROVAL)
    make_rsvp(event, people[0], RsvpStatus.PENDING)
    assert rsvp_approve(actor=staff, event=event, user=people[0]).status == RsvpStatus.GOING


def test_every_refusal_is_a_domain_error_with_a_code(group, people):
    event = make_event(group, status="cancelled")
    with pytest.raises(DomainError) as error:
        rsvp_going(actor=people[0], event=event)
    assert error.value.as_dict()["code"] == "event_cancelled"
