"""The moderation reads cost a fixed number of queries however many items, reports and messages there are."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import SafeguardingConcern
from community.models_safety import ConcernSource
from messaging.models import Message, ReportReason
from messaging.selectors_moderation import (
    AuditFilters,
    audit_entries,
    case_detail,
    concern_detail,
    moderation_queue,
    person_history,
)
from messaging.services.moderation.case_review import moderator_note_add
from messaging.services.moderation.cases import case_report_add
from messaging.services.moderation.sanctions import member_warn

pytestmark = pytest.mark.django_db


def make_items(room, authors, reporters, count):
    for n in range(count):
        message = Message.objects.create(room=room, author=authors[n % len(authors)], body=f"Message {n}")
        for reporter in reporters:
            case_report_add(reason=ReportReason.SPAM, reporter=reporter, message=message)
        SafeguardingConcern.objects.create(
            person=authors[0], source=ConcernSource.MESSAGE, source_id=message.pk, excerpt="x",
            categories=["self_harm"], due_at=timezone.now() + timedelta(hours=1),
        )  # fmt: skip


def test_the_queue_costs_three_queries_whatever_its_length(
    room, in_group, friend, make_user, moderator, django_assert_num_queries
):
    reporters = [friend, make_user(display_name="Pat")]
    make_items(room, [in_group], reporters, 1)
    with django_assert_num_queries(3):
        small = moderation_queue(viewer=moderator)
    make_items(room, [in_group, friend], reporters, 6)
    with django_assert_num_queries(3):
        big = moderation_queue(viewer=moderator)
    assert (len(small.items), len(big.items)) == (2, 14)
    assert [item.kind for item in big.items[:7]] == ["concern"] * 7  # safeguarding first


def test_a_case_with_its_context_costs_a_fixed_number_of_queries(
    room, in_group, friend, moderator, make_user, django_assert_num_queries
):
    for n in range(8):
        Message.objects.create(room=room, author=friend if n % 2 else in_group, body=f"Before {n}")
    reported = Message.objects.create(room=room, author=in_group, body="The one")
    for n in range(8):
        Message.objects.create(room=room, author=friend, body=f"After {n}")
    reporters = [friend, *(make_user(display_name=f"Reporter {n}") for n in range(4))]
    case = None
    for reporter in reporters:
        case = case_report_add(reason=ReportReason.HATE, reporter=reporter, message=reported).case
    for n in range(3):
        member_warn(actor=moderator, user_id=in_group.pk, reason=f"Warning {n}")
        moderator_note_add(actor=moderator, subject_id=in_group.pk, body=f"Note {n}", case_id=case.pk)
    with django_assert_num_queries(8):
        detail = case_detail(case_id=case.pk)
        reporter_names = [report.reporter.display_name for report in detail.reports]
        context = [(m.author.display_name, m.body) for m in detail.context]
        notes = [note.author.display_name for note in detail.history.notes]
        sanctions = [sanction.created_by.display_name for sanction in detail.history.sanctions]
    assert len(reporter_names) == 5 and len(notes) == 3 and len(sanctions) == 3
    bodies = [body for _, body in context]
    assert bodies == [*(f"Before {n}" for n in range(3, 8)), "The one", *(f"After {n}" for n in range(5))]


def test_a_concern_shows_the_held_message_in_context(room, in_group, friend):
    Message.objects.create(room=room, author=friend, body="How's everyone?")
    held = Message.objects.create(room=room, author=in_group, body="I can't cope", is_held=True)
    concern = SafeguardingConcern.objects.create(
        person=in_group, source=ConcernSource.MESSAGE, source_id=held.pk, excerpt="I can't cope",
        categories=["self_harm"], due_at=timezone.now() + timedelta(hours=1),
    )  # fmt: skip
    detail = concern_detail(concern_id=concern.pk)
    assert detail.message == held and [m.body for m in detail.context] == ["How's everyone?", "I can't cope"]
    assert concern_detail(concern_id=999_999) is None
    assert person_history(person=None).cases == []


def test_the_audit_log_page_costs_one_query(moderator, in_group, friend, django_assert_num_queries):
    for person in (in_group, friend):
        member_warn(actor=moderator, user_id=person.pk, reason="Be kind")
    with django_assert_num_queries(1):
        rows = [(entry.actor.display_name, entry.group) for entry in audit_entries(filters=AuditFilters())]
    assert len(rows) == 2
