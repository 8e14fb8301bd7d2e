"""What messaging deletes when its time is up (see community.services.retention).

The rules never overlap (so the dry run's counts are the run's): removed content that is old enough to go with the
chat is left to the chat rule, and records about an erased account that the safeguarding period already takes are
left to that period's rules.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from community.models import ConcernSource, ConcernStatus, ErasedAccount, SafeguardingConcern
from community.services.retention import (
    RetentionRule,
    days_before,
    delete_files_on_commit,
    pks_in_batches,
)
from messaging.models import (
    CaseStatus,
    Message,
    MessageEdit,
    ModerationCase,
    ModeratorNote,
    Sanction,
    SanctionKind,
)

CHAT = "HN_RETENTION_CHAT_DAYS"
REVIEWED = "HN_RETENTION_REVIEWED_CONTENT_DAYS"
SAFEGUARDING = "HN_RETENTION_SAFEGUARDING_DAYS"


def _open_case_about(message_ref) -> Exists:
    return Exists(ModerationCase.objects.filter(message=message_ref, status=CaseStatus.OPEN))


def _under_review() -> Q:
    """A message a moderator is still looking at: an open case about it, or an open safeguarding concern."""
    open_concerns = SafeguardingConcern.objects.filter(source=ConcernSource.MESSAGE, status=ConcernStatus.OPEN)
    return Q(_open_case_about(OuterRef("pk"))) | Q(pk__in=open_concerns.values("source_id"))


# --- Chat messages ---------------------------------------------------------------------------------------------


def old_messages(now: datetime) -> QuerySet:
    return Message.objects.filter(created_at__lt=days_before(now, CHAT)).exclude(_under_review())


def old_messages_delete(now: datetime) -> int:
    removed = 0
    for pks in pks_in_batches(old_messages(now)):
        images = list(Message.objects.filter(pk__in=pks).exclude(image="").values_list("image", flat=True))
        Message.objects.filter(pk__in=pks).delete()  # their edits and reactions go with them
        delete_files_on_commit(Message._meta.get_field("image").storage, images)
        removed += len(pks)
    return removed


# --- Held or hidden messages, some days after a moderator's review -------------------------------------------------


def reviewed_content(now: datetime) -> QuerySet:
    """Held or hidden messages that still have words, a picture or earlier versions, whose review finished (the
    last case about them resolved, or hidden with no case) before the period; not ones the chat rule takes."""
    last_resolved = Subquery(
        ModerationCase.objects.filter(message=OuterRef("pk"), status=CaseStatus.RESOLVED)
        .order_by("-resolved_at")
        .values("resolved_at")[:1]
    )
    has_edits = Exists(MessageEdit.objects.filter(message=OuterRef("pk")))
    return (
        Message.objects.filter(Q(is_held=True) | Q(is_hidden=True))
        .alias(last_resolved=last_resolved)
        # The later of the two; Coalesce so a missing one doesn't make it empty (SQLite's MAX() of a NULL is NULL).
        .alias(reviewed_at=Greatest(Coalesce("hidden_at", "last_resolved"), Coalesce("last_resolved", "hidden_at")))
        .filter(reviewed_at__lt=days_before(now, REVIEWED), created_at__gte=days_before(now, CHAT))
        .filter(~Q(body="") | ~Q(image="") | Q(has_edits))
        .exclude(_under_review())
    )


def reviewed_content_purge(now: datetime) -> int:
    """The row stays (so "Removed by a moderator" and the case's link to it still work); its content goes."""
    removed = 0
    for pks in pks_in_batches(reviewed_content(now)):
        images = list(Message.objects.filter(pk__in=pks).exclude(image="").values_list("image", flat=True))
        MessageEdit.objects.filter(message_id__in=pks).delete()
        Message.objects.filter(pk__in=pks).update(body="", image="")
        delete_files_on_commit(Message._meta.get_field("image").storage, images)
        removed += len(pks)
    return removed


# --- Moderation records, the safeguarding period after they closed --------------------------------------------------


def closed_cases(now: datetime) -> QuerySet:
    return ModerationCase.objects.filter(status=CaseStatus.RESOLVED, resolved_at__lt=days_before(now, SAFEGUARDING))


def ended_sanctions(now: datetime) -> QuerySet:
    """Lifted, or past their end, before the period. A warning has no end: it ended when it was given."""
    before = days_before(now, SAFEGUARDING)
    return Sanction.objects.filter(
        Q(lifted_at__lt=before) | Q(ends_at__lt=before) | Q(kind=SanctionKind.WARN, starts_at__lt=before)
    )


def old_notes(now: datetime) -> QuerySet:
    return ModeratorNote.objects.filter(created_at__lt=days_before(now, SAFEGUARDING)).exclude(
        case__status=CaseStatus.OPEN
    )


# --- Everything about an erased account, once its keep time has passed --------------------------------------------


def _stand_ins_past_keep_until(now: datetime) -> QuerySet:
    return ErasedAccount.objects.filter(keep_until__lte=now).values("stand_in_id")


def erased_account_cases(now: datetime) -> QuerySet:
    return ModerationCase.objects.filter(subject__in=_stand_ins_past_keep_until(now)).exclude(
        pk__in=closed_cases(now).values("pk")
    )


def erased_account_sanctions(now: datetime) -> QuerySet:
    return Sanction.objects.filter(user__in=_stand_ins_past_keep_until(now)).exclude(
        pk__in=ended_sanctions(now).values("pk")
    )


def erased_account_notes(now: datetime) -> QuerySet:
    return ModeratorNote.objects.filter(subject__in=_stand_ins_past_keep_until(now)).exclude(
        pk__in=old_notes(now).values("pk")
    )


# Notes before cases: deleting an erased account's open case empties its notes' case, which would move them from one
# notes rule to the other mid-run.
RULES = [
    RetentionRule(
        key="reviewed_message_content",
        description="Words, pictures and earlier versions of messages a moderator held back or removed, {days} days "
        'after the review ended (the message still shows as "Removed by a moderator").',
        period_setting=REVIEWED,
        due=reviewed_content,
        purge=reviewed_content_purge,
    ),
    RetentionRule(
        key="chat_messages",
        description="Chat messages older than {days} days, with their pictures, earlier versions and reactions "
        "(not ones a moderator is still looking at).",
        period_setting=CHAT,
        due=old_messages,
        purge=old_messages_delete,
    ),
    RetentionRule(
        key="moderator_notes",
        description="Moderators' private notes written more than {days} days ago (not ones on an open case).",
        period_setting=SAFEGUARDING,
        due=old_notes,
    ),
    RetentionRule(
        key="erased_account_notes",
        description="Moderators' notes about a deleted account, once the time to keep them has passed ({days} days "
        "after the account was deleted).",
        period_setting=SAFEGUARDING,
        due=erased_account_notes,
    ),
    RetentionRule(
        key="sanctions",
        description="Warnings, mutes, silences, suspensions and bans that ended more than {days} days ago.",
        period_setting=SAFEGUARDING,
        due=ended_sanctions,
    ),
    RetentionRule(
        key="erased_account_sanctions",
        description="Sanctions of a deleted account, once the time to keep them has passed ({days} days after the "
        "account was deleted).",
        period_setting=SAFEGUARDING,
        due=erased_account_sanctions,
    ),
    RetentionRule(
        key="moderation_cases",
        description="Moderation cases, with the reports behind them, closed more than {days} days ago.",
        period_setting=SAFEGUARDING,
        due=closed_cases,
    ),
    RetentionRule(
        key="erased_account_cases",
        description="Moderation cases (with their reports) about a deleted account, once the time to keep them has "
        "passed ({days} days after the account was deleted).",
        period_setting=SAFEGUARDING,
        due=erased_account_cases,
    ),
]
