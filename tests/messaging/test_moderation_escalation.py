"""Escalation with a frozen clock: a report left past its deadline (24 hours; 1 hour for self-harm) is escalated once
to every moderator and the safeguarding lead; resolved ones never are."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from community.models import Notification, SafeguardingConcern, SiteRole
from community.models_safety import ConcernSource
from messaging.models import Message, ReportReason
from messaging.services.moderation.case_review import case_resolve
from messaging.services.moderation.cases import case_report_add
from messaging.services.moderation.escalation import moderation_escalate_overdue
from messaging.tasks import escalate_overdue_moderation

pytestmark = pytest.mark.django_db


@pytest.fixture
def start():
    return timezone.now()


@pytest.fixture
def lead(make_user):
    return make_user(role=SiteRole.STAFF, display_name="Lead Lee", is_safeguarding_lead=True)


def escalations(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user, kind="moderation_escalation").order_by("id"))


def report(room, author, reporter, reason, start):
    message = Message.objects.create(room=room, author=author, body="Something", created_at=start)
    with mock.patch("django.utils.timezone.now", return_value=start):
        return case_report_add(reason=reason, reporter=reporter, message=message).case


def test_a_normal_report_escalates_after_24_hours_not_before(room, in_group, friend, moderator, lead, start):
    case = report(room, in_group, friend, ReportReason.SPAM, start)
    assert moderation_escalate_overdue(now=start + timedelta(hours=23, minutes=59)).cases == 0
    assert escalations(moderator) == []
    assert moderation_escalate_overdue(now=start + timedelta(hours=24)).cases == 1
    case.refresh_from_db()
    assert case.escalated_at == start + timedelta(hours=24)
    [to_moderator] = escalations(moderator)
    [to_lead] = escalations(lead)
    assert "A report has waited" in to_moderator.title and to_lead.url == to_moderator.url


def test_a_self_harm_report_escalates_after_an_hour(room, in_group, friend, moderator, start):
    report(room, in_group, friend, ReportReason.SELF_HARM, start)
    assert moderation_escalate_overdue(now=start + timedelta(minutes=59)).cases == 0
    assert moderation_escalate_overdue(now=start + timedelta(hours=1)).cases == 1
    assert "urgent report" in escalations(moderator)[0].title


def test_never_twice(room, in_group, friend, moderator, start):
    report(room, in_group, friend, ReportReason.SPAM, start)
    moderation_escalate_overdue(now=start + timedelta(hours=25))
    assert moderation_escalate_overdue(now=start + timedelta(hours=50)).cases == 0
    assert len(escalations(moderator)) == 1


def test_resolved_reports_never_escalate(room, in_group, friend, moderator, start):
    case = report(room, in_group, friend, ReportReason.SPAM, start)
    case_resolve(actor=moderator, case_id=case.pk, outcome="no_action")
    assert moderation_escalate_overdue(now=start + timedelta(days=3)).cases == 0
    assert escalations(moderator) == []


def test_open_safeguarding_concerns_escalate_once_after_their_deadline(in_group, moderator, lead, start):
    concern = SafeguardingConcern.objects.create(
        person=in_group, source=ConcernSource.MESSAGE, source_id=1, excerpt="I want to hurt myself",
        categories=["self_harm"], due_at=start + timedelta(hours=1), created_at=start,
    )  # fmt: skip
    assert moderation_escalate_overdue(now=start + timedelta(minutes=30)).concerns == 0
    assert moderation_escalate_overdue(now=start + timedelta(minutes=61)).concerns == 1
    assert moderation_escalate_overdue(now=start + timedelta(minutes=90)).concerns == 0
    concern.refresh_from_db()
    assert concern.escalated_at is not None
    [alert] = escalations(lead)
    assert "safeguarding concern" in alert.title and "hurt" not in alert.title + alert.body  # no words in emails
    assert escalations(in_group) == []


def test_the_periodic_task_uses_the_clock(room, in_group, friend, moderator, start):
    report(room, in_group, friend, ReportReason.SELF_HARM, start)
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=30)):
        assert escalate_overdue_moderation.call_local() == 0
    with mock.patch("django.utils.timezone.now", return_value=start + timedelta(minutes=61)):
        assert escalate_overdue_moderation.call_local() == 1
