"""What community deletes when its time is up (see community.services.retention).

Runs after messaging's rules (settings.HN_DATA_RIGHTS_APPS), which read the ErasedAccount rows the last rule here
deletes. The erased-account rules leave what the safeguarding period already takes to that rule, so no two rules
count the same row.
"""

from __future__ import annotations

from datetime import datetime

from django.core.files.storage import storages
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from community.models import (
    AuditEntry,
    ConcernStatus,
    DataExport,
    DataExportStatus,
    ErasedAccount,
    Invitation,
    Notification,
    SafeguardingConcern,
    User,
)
from community.services.retention import RetentionRule, days_before, delete_files_on_commit, pks_in_batches

INVITATIONS = "HN_RETENTION_INVITATION_DAYS"
NOTIFICATIONS = "HN_RETENTION_NOTIFICATION_DAYS"
EXPORT_LINK = "HN_EXPORT_LINK_DAYS"
SAFEGUARDING = "HN_RETENTION_SAFEGUARDING_DAYS"


def old_invitations(now: datetime) -> QuerySet:
    """Expired or revoked before the period. Who joined with one (InvitationRedemption) goes with it."""
    before = days_before(now, INVITATIONS)
    return Invitation.objects.filter(Q(expires_at__lt=before) | Q(revoked_at__lt=before))


def old_notifications(now: datetime) -> QuerySet:
    return Notification.objects.filter(created_at__lt=days_before(now, NOTIFICATIONS))


def expired_exports(now: datetime) -> QuerySet:
    """Copies of someone's data past their download time whose file is still kept."""
    return DataExport.objects.filter(expires_at__lte=now).exclude(status=DataExportStatus.EXPIRED)


def expired_exports_expire(now: datetime) -> int:
    """The zip is deleted; the row stays, marked expired, so the member sees when they asked and that the link has
    ended (and the download says "expired", not "not found"). It goes with their account."""
    removed = 0
    for pks in pks_in_batches(expired_exports(now)):
        files = list(DataExport.objects.filter(pk__in=pks).values_list("file_name", flat=True))
        DataExport.objects.filter(pk__in=pks).update(status=DataExportStatus.EXPIRED, file_name="")
        delete_files_on_commit(storages["exports"], files)
        removed += len(pks)
    return removed


def closed_concerns(now: datetime) -> QuerySet:
    return SafeguardingConcern.objects.filter(
        status=ConcernStatus.RESOLVED, resolved_at__lt=days_before(now, SAFEGUARDING)
    )


def past_keep_until(now: datetime) -> QuerySet:
    return ErasedAccount.objects.filter(keep_until__lte=now)


def erased_account_concerns(now: datetime) -> QuerySet:
    return SafeguardingConcern.objects.filter(person__in=past_keep_until(now).values("stand_in_id")).exclude(
        pk__in=closed_concerns(now).values("pk")
    )


def erased_account_audit(now: datetime) -> QuerySet:
    """The audit entries about the person (moved to their stand-in when the account was deleted)."""
    stand_in_ids = past_keep_until(now).annotate(as_text=Cast("stand_in_id", CharField())).values("as_text")
    return AuditEntry.objects.filter(target_type=User._meta.label_lower, target_id__in=stand_in_ids)


RULES = [
    RetentionRule(
        key="invitations",
        description="Invitations that expired or were cancelled more than {days} days ago, with the record of who "
        "joined with them.",
        period_setting=INVITATIONS,
        due=old_invitations,
    ),
    RetentionRule(
        key="notifications",
        description="Notifications older than {days} days.",
        period_setting=NOTIFICATIONS,
        due=old_notifications,
    ),
    RetentionRule(
        key="data_exports",
        description="Copies of people's data whose download time ({days} days) has ended: the file is deleted and "
        "the request marked expired.",
        period_setting=EXPORT_LINK,
        due=expired_exports,
        purge=expired_exports_expire,
    ),
    RetentionRule(
        key="safeguarding_concerns",
        description="Safeguarding concerns handled more than {days} days ago.",
        period_setting=SAFEGUARDING,
        due=closed_concerns,
    ),
    RetentionRule(
        key="erased_account_concerns",
        description="Safeguarding concerns about a deleted account, once the time to keep them has passed ({days} "
        "days after the account was deleted).",
        period_setting=SAFEGUARDING,
        due=erased_account_concerns,
    ),
    RetentionRule(
        key="erased_account_audit",
        description="Audit log entries about a deleted account, once the time to keep them has passed ({days} days "
        "after the account was deleted).",
        period_setting=SAFEGUARDING,
        due=erased_account_audit,
    ),
    # Last: every rule about erased accounts (messaging's too) finds them through these rows.
    RetentionRule(
        key="erased_accounts",
        description="The private link from a deleted account's anonymous stand-in back to who they were, once the "
        "time to keep their records has passed ({days} days after the account was deleted). The stand-in stays, "
        "without a name, as a count.",
        period_setting=SAFEGUARDING,
        due=past_keep_until,
    ),
]
