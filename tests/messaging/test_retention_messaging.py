"""Messaging's retention rules on a frozen clock: chat messages after the chat period (not ones a moderator is still
looking at), the content of held or hidden messages some days after review (the row stays), moderation records after
the safeguarding period, and everything about an erased account at its keep_until. Just past a period goes, just
inside stays, nobody else's rows are touched, stored pictures are deleted, and the dry run matches the run."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from community.models import ErasedAccount, SafeguardingConcern
from community.services.retention import retention_preview, retention_run
from messaging.models import (
    CaseKind,
    CaseOutcome,
    CaseStatus,
    Message,
    MessageEdit,
    ModerationCase,
    ModeratorNote,
    Reaction,
    Report,
    ReportReason,
    Sanction,
    SanctionKind,
)
from tests.community.test_retention import MINUTE, NOW, concern, days, erased_stand_in, removed_by

pytestmark = pytest.mark.django_db

CHAT = days(365)
REVIEWED = days(30)
SAFEGUARDING = days(2190)


def said(room, author, *, at: datetime, body: str = "See you Thursday", picture: bool = False, **fields) -> Message:
    message = Message.objects.create(room=room, author=author, body=body, created_at=at, **fields)
    if picture:
        message.image.save("pic.png", ContentFile(b"png bytes"), save=True)
    return message


def case_about(message: Message | None = None, *, subject=None, resolved_at: datetime | None = None, **fields):
    case = ModerationCase.objects.create(
        kind=CaseKind.MESSAGE if message else CaseKind.USER,
        message=message,
        subject=subject or (message.author if message else None),
        room=message.room if message else None,
        status=CaseStatus.RESOLVED if resolved_at else CaseStatus.OPEN,
        resolved_at=resolved_at,
        outcome=CaseOutcome.HIDDEN if resolved_at else "",
        due_at=NOW - days(5000),
        **fields,
    )
    Report.objects.create(case=case, reason=ReportReason.BULLYING)
    return case


def hidden(room, author, *, hidden_at: datetime | None, **fields) -> Message:
    message = said(room, author, at=NOW - days(60), body="Removed words", picture=True, is_hidden=True, **fields)
    Message.objects.filter(pk=message.pk).update(hidden_reason="moderator", hidden_at=hidden_at)
    MessageEdit.objects.create(message=message, kind="delete", previous_body="Even worse words")
    return message


def exists(row) -> bool:
    return type(row).objects.filter(pk=row.pk).exists()


# --- Chat messages ---------------------------------------------------------------------------------------------


def test_messages_older_than_the_chat_period_go_with_their_edits_reactions_and_pictures(
    room, in_group, friend, django_capture_on_commit_callbacks
):
    old = said(room, in_group, at=NOW - CHAT - MINUTE, picture=True)
    MessageEdit.objects.create(message=old, previous_body="See you Tuesday")
    Reaction.objects.create(message=old, user=friend, emoji="👍")
    picture = old.image.name
    inside = said(room, friend, at=NOW - CHAT + MINUTE, picture=True)
    reply = said(room, friend, at=NOW - days(2), reply_to=old)

    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run(now=NOW)

    assert removed_by(run) == {"chat_messages": 1}
    assert not exists(old)
    assert not MessageEdit.objects.exists() and not Reaction.objects.exists()
    assert not default_storage.exists(picture)
    assert exists(inside) and default_storage.exists(inside.image.name)
    reply.refresh_from_db()
    assert reply.reply_to is None and reply.body == "See you Thursday"


def test_an_old_message_a_moderator_is_still_looking_at_stays(room, in_group, friend):
    in_open_case = said(room, in_group, at=NOW - CHAT - days(10))
    case_about(in_open_case)
    with_open_concern = said(room, friend, at=NOW - CHAT - days(10))
    concern(friend, message_id=with_open_concern.pk)
    in_closed_case = said(room, friend, at=NOW - CHAT - days(10))
    closed = case_about(in_closed_case, resolved_at=NOW - days(400))

    run = retention_run(now=NOW)

    assert removed_by(run) == {"chat_messages": 1}
    assert exists(in_open_case) and exists(with_open_concern)
    assert not exists(in_closed_case)
    closed.refresh_from_db()
    assert closed.message is None  # the case (kept for the safeguarding period) no longer points at it


# --- Held or hidden content after review -----------------------------------------------------------------------


def test_hidden_content_goes_some_days_after_review_and_the_row_stays(
    room, in_group, friend, django_capture_on_commit_callbacks
):
    past = hidden(room, in_group, hidden_at=NOW - REVIEWED - MINUTE)
    picture = past.image.name
    inside = hidden(room, friend, hidden_at=NOW - REVIEWED + MINUTE)
    shown = said(room, friend, at=NOW - days(60), body="Nice one")

    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run(now=NOW)

    assert removed_by(run) == {"reviewed_message_content": 1}
    past.refresh_from_db()
    assert (past.body, past.image.name, past.is_hidden, past.hidden_reason) == ("", "", True, "moderator")
    assert not past.edits.exists()
    assert not default_storage.exists(picture)
    inside.refresh_from_db()
    assert inside.body == "Removed words" and inside.edits.exists() and default_storage.exists(inside.image.name)
    shown.refresh_from_db()
    assert shown.body == "Nice one"


def test_review_ends_when_the_last_case_about_it_closes(room, in_group, friend):
    rejected_long_ago = hidden(room, in_group, hidden_at=NOW - days(45), is_held=True)
    case_about(rejected_long_ago, resolved_at=NOW - REVIEWED - MINUTE)
    closed_lately = hidden(room, friend, hidden_at=NOW - days(45))
    case_about(closed_lately, resolved_at=NOW - days(50))
    case_about(closed_lately, resolved_at=NOW - REVIEWED + MINUTE)
    still_open = hidden(room, friend, hidden_at=NOW - days(45))
    case_about(still_open)
    held_waiting = said(room, in_group, at=NOW - days(45), is_held=True, held_reason="new_member")
    case_about(held_waiting)

    run = retention_run(now=NOW)

    assert removed_by(run) == {"reviewed_message_content": 1}
    rejected_long_ago.refresh_from_db()
    assert rejected_long_ago.body == "" and not rejected_long_ago.edits.exists()
    for kept in [closed_lately, still_open, held_waiting]:
        kept.refresh_from_db()
        assert kept.body, kept


def test_purged_content_is_not_purged_again_and_the_old_row_later_goes_with_the_chat(room, in_group):
    message = hidden(room, in_group, hidden_at=NOW - days(40))

    first, second = retention_run(now=NOW), retention_run(now=NOW)
    later = retention_run(now=message.created_at + CHAT + MINUTE)

    assert removed_by(first) == {"reviewed_message_content": 1}
    assert removed_by(second) == {}
    assert removed_by(later) == {"chat_messages": 1}
    assert not exists(message)


# --- Moderation records after the safeguarding period ----------------------------------------------------------


def test_cases_closed_more_than_the_period_ago_go_with_their_reports(room, in_group, friend):
    past = case_about(subject=in_group, resolved_at=NOW - SAFEGUARDING - MINUTE)
    inside = case_about(subject=friend, resolved_at=NOW - SAFEGUARDING + MINUTE)
    open_for_ages = case_about(subject=friend)
    ModerationCase.objects.filter(pk=open_for_ages.pk).update(created_at=NOW - days(3000))

    run = retention_run(now=NOW)

    assert removed_by(run) == {"moderation_cases": 1}
    assert not exists(past) and not Report.objects.filter(case_id=past.pk).exists()
    assert exists(inside) and exists(open_for_ages)
    assert Report.objects.count() == 2


def test_sanctions_that_ended_more_than_the_period_ago_go(in_group, friend, moderator):
    long_ago = NOW - SAFEGUARDING - days(10)

    def sanction(user, kind=SanctionKind.SILENCE, **fields):
        return Sanction.objects.create(user=user, kind=kind, reason="Unkind", created_by=moderator, **fields)

    lifted = sanction(in_group, starts_at=long_ago, lifted_at=NOW - SAFEGUARDING - MINUTE)
    ran_out = sanction(in_group, starts_at=long_ago, ends_at=NOW - SAFEGUARDING - MINUTE)
    warned = sanction(in_group, kind=SanctionKind.WARN, starts_at=NOW - SAFEGUARDING - MINUTE)
    ran_out_lately = sanction(friend, starts_at=long_ago, ends_at=NOW - SAFEGUARDING + MINUTE)
    warned_lately = sanction(friend, kind=SanctionKind.WARN, starts_at=NOW - SAFEGUARDING + MINUTE)
    until_lifted = sanction(friend, kind=SanctionKind.SUSPEND, starts_at=long_ago)

    run = retention_run(now=NOW)

    assert removed_by(run) == {"sanctions": 3}
    assert not any(exists(row) for row in [lifted, ran_out, warned])
    assert all(exists(row) for row in [ran_out_lately, warned_lately, until_lifted])


def test_moderator_notes_older_than_the_period_go_unless_their_case_is_open(in_group, moderator):
    def note(at, case=None):
        return ModeratorNote.objects.create(
            subject=in_group, author=moderator, body="Seemed upset", created_at=at, case=case
        )

    past = note(NOW - SAFEGUARDING - MINUTE)
    inside = note(NOW - SAFEGUARDING + MINUTE)
    on_open_case = note(NOW - SAFEGUARDING - days(1), case=case_about(subject=in_group))

    run = retention_run(now=NOW)

    assert removed_by(run) == {"moderator_notes": 1}
    assert not exists(past)
    assert exists(inside) and exists(on_open_case)


# --- An erased account's records at keep_until -----------------------------------------------------------------


def test_at_keep_until_every_moderation_record_about_the_erased_account_goes(room, in_group, moderator):
    due = erased_stand_in(keep_until=NOW - MINUTE)
    kept = erased_stand_in(keep_until=NOW + MINUTE)

    def records_about(person):
        message = said(room, person, at=NOW - days(10), body="")
        return [
            case_about(message),
            case_about(subject=person, resolved_at=NOW - days(100)),
            Sanction.objects.create(user=person, kind=SanctionKind.SUSPEND, reason="x", starts_at=NOW - days(9)),
            ModeratorNote.objects.create(subject=person, author=moderator, body="Note", created_at=NOW - days(9)),
        ]

    gone, stays, members = records_about(due), records_about(kept), records_about(in_group)

    run = retention_run(now=NOW)

    assert removed_by(run) == {
        "erased_account_cases": 2,
        "erased_account_sanctions": 1,
        "erased_account_notes": 1,
        "erased_accounts": 1,
    }
    assert not any(exists(row) for row in gone)
    assert not Report.objects.filter(case__subject=due).exists()
    assert all(exists(row) for row in [*stays, *members])
    assert Message.objects.filter(author=due).exists()  # its messages follow the chat period, like everyone's
    assert ErasedAccount.objects.filter(stand_in=kept).exists()


def test_a_record_both_past_the_period_and_about_an_erased_account_is_counted_once(in_group):
    due = erased_stand_in(keep_until=NOW - MINUTE)
    case_about(subject=due, resolved_at=NOW - SAFEGUARDING - MINUTE)
    case_about(subject=due)

    preview = {rule.key: n for rule, n in retention_preview(now=NOW) if n}
    run = retention_run(now=NOW)

    assert preview == removed_by(run) == {"moderation_cases": 1, "erased_account_cases": 1, "erased_accounts": 1}


# --- Dry run against run, across every rule --------------------------------------------------------------------


def test_the_dry_run_changes_nothing_and_its_counts_are_the_runs(room, in_group, friend, moderator):
    said(room, in_group, at=NOW - CHAT - days(1), picture=True)
    hidden(room, friend, hidden_at=NOW - days(31))
    old_and_hidden = hidden(room, friend, hidden_at=NOW - days(31))
    Message.objects.filter(pk=old_and_hidden.pk).update(created_at=NOW - CHAT - days(1))
    case_about(subject=in_group, resolved_at=NOW - SAFEGUARDING - days(1))
    Sanction.objects.create(user=in_group, kind=SanctionKind.WARN, reason="x", starts_at=NOW - SAFEGUARDING - days(1))
    stand_in = erased_stand_in(keep_until=NOW - days(1))
    open_case = case_about(subject=stand_in)
    ModeratorNote.objects.create(subject=stand_in, body="Note", case=open_case, created_at=NOW - SAFEGUARDING - days(1))
    counted = [Message, MessageEdit, ModerationCase, Report, Sanction, ModeratorNote, SafeguardingConcern]
    before = {model: model.objects.count() for model in counted}
    bodies = list(Message.objects.order_by("pk").values_list("body", "image"))

    preview = {rule.key: n for rule, n in retention_preview(now=NOW) if n}

    assert {model: model.objects.count() for model in counted} == before
    assert list(Message.objects.order_by("pk").values_list("body", "image")) == bodies
    assert preview == {
        "reviewed_message_content": 1,
        "chat_messages": 2,
        "erased_account_notes": 1,
        "sanctions": 1,
        "moderation_cases": 1,
        "erased_account_cases": 1,
        "erased_accounts": 1,
    }
    assert removed_by(retention_run(now=NOW)) == preview
    assert all(n == 0 for _, n in retention_preview(now=NOW))
