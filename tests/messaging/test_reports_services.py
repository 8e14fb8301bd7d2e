"""Members' reports: reasons and notes checked, only what you can see, never your own, idempotent, hidden after
reports from several different people, urgent for self-harm, and the outcome told once without details."""

from __future__ import annotations

import pytest
from django.test import override_settings

from community.errors import DomainError
from community.models import AuditEntry, Notification
from messaging.models import CaseOutcome, CaseStatus, Message, ModerationCase, Report
from messaging.services.messages import message_send
from messaging.services.moderation.reports import (
    report_event,
    report_message,
    report_person,
    reports_tell_outcome,
)
from tests.events.domain_factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def kai_says(friend, room):
    return message_send(actor=friend, room_id=room.pk, body="you're rubbish", client_id="k-1").message


@pytest.fixture
def members(make_user, group, add_member):
    def make(count):
        people = [make_user(display_name=f"Reporter {n}") for n in range(count)]
        for person in people:
            add_member(group, person)
        return people

    return make


def code_of(call) -> str:
    with pytest.raises(DomainError) as error:
        call()
    return error.value.code


def resolve(case, outcome):
    ModerationCase.objects.filter(pk=case.pk).update(status=CaseStatus.RESOLVED, outcome=outcome)
    case.refresh_from_db()
    return case


# --- what may be reported ---------------------------------------------------------------------------------------------


def test_a_report_opens_a_case_with_the_reason_and_note(in_group, kai_says, friend):
    made = report_message(actor=in_group, message_id=kai_says.pk, reason="bullying", note="  They keep doing it.  ")

    assert made.created is True
    assert (made.case.kind, made.case.subject, made.case.status) == ("message", friend, "open")
    assert (made.report.reporter, made.report.reason, made.report.note) == (in_group, "bullying", "They keep doing it.")
    assert made.detail.startswith("Thanks for telling us.")


@pytest.mark.parametrize("reason", ["", "rude", "new_member", "word_flag", None, 3])
def test_only_a_members_reason_is_accepted(in_group, kai_says, reason):
    assert code_of(lambda: report_message(actor=in_group, message_id=kai_says.pk, reason=reason)) == "invalid_reason"
    assert not Report.objects.exists()


def test_a_note_over_1000_characters_is_refused_and_nothing_is_stored(in_group, kai_says):
    code = code_of(lambda: report_message(actor=in_group, message_id=kai_says.pk, reason="spam", note="x" * 1001))

    assert code == "note_too_long"
    assert not ModerationCase.objects.exists()
    assert report_message(actor=in_group, message_id=kai_says.pk, reason="spam", note="x" * 1000).created


def test_you_cannot_report_yourself_your_message_or_your_event(in_group, room, group):
    mine = message_send(actor=in_group, room_id=room.pk, body="mine", client_id="r-1").message
    event = make_event(group, created_by=in_group)

    assert code_of(lambda: report_message(actor=in_group, message_id=mine.pk, reason="spam")) == "not_yourself"
    assert code_of(lambda: report_person(actor=in_group, user_id=in_group.pk, reason="spam")) == "not_yourself"
    assert code_of(lambda: report_event(actor=in_group, event_id=event.pk, reason="spam")) == "not_yourself"


def test_you_can_only_report_what_you_can_see(make_user, kai_says, friend, group, evaluator):
    outsider = make_user(display_name="Outsider")
    event = make_event(group, created_by=friend)

    for person in (outsider, evaluator):
        assert code_of(lambda p=person: report_message(actor=p, message_id=kai_says.pk, reason="hate")) == (
            "message_not_found"
        )
        assert code_of(lambda p=person: report_person(actor=p, user_id=friend.pk, reason="hate")) == (
            "person_not_found"
        )
        assert code_of(lambda p=person: report_event(actor=p, event_id=event.pk, reason="hate")) == ("event_not_found")
    assert code_of(lambda: report_message(actor=outsider, message_id=999_999, reason="hate")) == "message_not_found"


def test_someone_elses_held_message_cannot_be_reported(in_group, kai_says):
    Message.objects.filter(pk=kai_says.pk).update(is_held=True)

    assert code_of(lambda: report_message(actor=in_group, message_id=kai_says.pk, reason="spam")) == (
        "message_not_found"
    )


def test_a_person_and_an_event_can_be_reported(in_group, friend, group):
    event = make_event(group, created_by=friend, title="Dodgy meet-up")

    person_case = report_person(actor=in_group, user_id=friend.pk, reason="personal_info").case
    event_case = report_event(actor=in_group, event_id=event.pk, reason="other", note="Feels unsafe").case

    assert (person_case.kind, person_case.subject) == ("user", friend)
    assert (event_case.kind, event_case.event, event_case.subject) == ("event", event, friend)


# --- twice, and by several people -------------------------------------------------------------------------------------


def test_reporting_the_same_thing_twice_gives_the_same_answer_and_stores_one_report(in_group, kai_says):
    first = report_message(actor=in_group, message_id=kai_says.pk, reason="bullying")
    second = report_message(actor=in_group, message_id=kai_says.pk, reason="hate", note="and again")

    assert (first.created, second.created) == (True, False)
    assert (second.report.pk, second.case.pk, second.detail) == (first.report.pk, first.case.pk, first.detail)
    assert Report.objects.count() == 1


@override_settings(HN_REPORTS_TO_HIDE=3)
def test_a_message_is_hidden_when_three_different_people_report_it(kai_says, members):
    first, second, third = members(3)
    report_message(actor=first, message_id=kai_says.pk, reason="bullying")
    report_message(actor=second, message_id=kai_says.pk, reason="hate")
    kai_says.refresh_from_db()
    assert kai_says.is_hidden is False

    report_message(actor=third, message_id=kai_says.pk, reason="bullying")

    kai_says.refresh_from_db()
    assert (kai_says.is_hidden, kai_says.hidden_reason, kai_says.hidden_by) == (True, "reports", None)
    assert kai_says.hidden_at is not None
    audit = AuditEntry.objects.get(action="message.hidden_by_reports")
    assert (audit.actor, audit.target_id, audit.data["after"]["hidden_reason"]) == (None, str(kai_says.pk), "reports")


@override_settings(HN_REPORTS_TO_HIDE=3)
def test_one_person_reporting_again_and_again_never_hides_it(in_group, kai_says):
    for reason in ("bullying", "hate", "spam", "other"):
        report_message(actor=in_group, message_id=kai_says.pk, reason=reason)

    kai_says.refresh_from_db()
    assert kai_says.is_hidden is False
    assert not AuditEntry.objects.filter(action="message.hidden_by_reports").exists()


@override_settings(HN_REPORTS_TO_HIDE=2)
def test_the_number_of_reports_that_hides_a_message_is_a_setting(kai_says, members):
    first, second = members(2)
    report_message(actor=first, message_id=kai_says.pk, reason="spam")
    report_message(actor=second, message_id=kai_says.pk, reason="spam")

    kai_says.refresh_from_db()
    assert kai_says.is_hidden is True


def test_a_self_harm_report_makes_the_case_urgent(in_group, kai_says):
    case = report_message(actor=in_group, message_id=kai_says.pk, reason="self_harm").case

    assert case.is_safeguarding is True
    assert (case.due_at - case.created_at).total_seconds() <= 60 * 60


# --- telling the reporter ---------------------------------------------------------------------------------------------


def test_each_reporter_is_told_the_outcome_once_without_details_about_the_other_person(kai_says, friend, members):
    first, second = members(2)
    report_message(actor=first, message_id=kai_says.pk, reason="bullying")
    case = report_message(actor=second, message_id=kai_says.pk, reason="bullying").case
    resolve(case, CaseOutcome.WARNED)

    assert reports_tell_outcome(case=case) == 2
    assert reports_tell_outcome(case=case) == 0  # told once

    told = Notification.objects.filter(kind="report_outcome")
    assert sorted(n.user_id for n in told) == sorted([first.pk, second.pk])
    for notification in told:
        words = f"{notification.title} {notification.body}".lower()
        assert "took action" in words
        assert friend.display_name.lower() not in words and "warn" not in words
    assert not Notification.objects.filter(user=friend, kind="report_outcome").exists()
    assert not Report.objects.filter(reporter_told_at__isnull=True).exists()


def test_an_open_case_tells_nobody(in_group, kai_says):
    case = report_message(actor=in_group, message_id=kai_says.pk, reason="spam").case

    assert reports_tell_outcome(case=case) == 0
    assert not Notification.objects.filter(kind="report_outcome").exists()


@pytest.mark.parametrize(
    ("outcome", "words"),
    [
        (CaseOutcome.NO_ACTION, "no action was needed"),
        (CaseOutcome.HIDDEN, "removed the message"),
        (CaseOutcome.SANCTIONED, "took action"),
        (CaseOutcome.APPROVED, "could stay"),
    ],
)
def test_the_outcome_is_in_plain_words(in_group, kai_says, outcome, words):
    case = resolve(report_message(actor=in_group, message_id=kai_says.pk, reason="spam").case, outcome)

    reports_tell_outcome(case=case)

    assert words in Notification.objects.get(user=in_group, kind="report_outcome").body


@override_settings(HN_REPORTS_PER_HOUR=2)
def test_a_flood_of_reports_from_one_person_is_slowed_down(in_group, friend, group):
    events = [make_event(group, created_by=friend, title=f"Event {n}") for n in range(3)]
    report_event(actor=in_group, event_id=events[0].pk, reason="spam")
    report_event(actor=in_group, event_id=events[1].pk, reason="spam")

    assert code_of(lambda: report_event(actor=in_group, event_id=events[2].pk, reason="spam")) == "rate_limited"
    assert Report.objects.count() == 2
