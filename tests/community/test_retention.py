"""Retention removes exactly what is due on a frozen clock: for each of community's rules, rows just past the period
go and rows just inside it stay; the dry run changes nothing and matches the run; each run is logged; a second run
removes nothing more; one failing rule leaves the others to run. Messaging's rules: tests/messaging/test_retention*.
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command

from community.data_rights import retention as community_rules
from community.models import (
    AuditEntry,
    ConcernStatus,
    DataExport,
    DataExportStatus,
    ErasedAccount,
    Invitation,
    InvitationRedemption,
    Notification,
    RetentionRun,
    SafeguardingConcern,
    User,
)
from community.services.retention import FAILED, RetentionRule, retention_preview, retention_run
from community.tasks import purge_expired_data

pytestmark = pytest.mark.django_db

NOW = datetime(2031, 3, 4, 3, 20, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def days(n: int) -> timedelta:
    return timedelta(days=n)


def removed_by(run: RetentionRun) -> dict:
    """The rules that removed something, with their counts."""
    return {key: count for key, count in run.removed.items() if count}


def erased_stand_in(*, keep_until: datetime) -> User:
    """The anonymous stand-in an erased account leaves, and the record of who it was, kept until `keep_until`."""
    tag = secrets.token_hex(3)
    stand_in = User.objects.create_user(
        email=f"erased-{tag}@erased.invalid",
        display_name=f"Deleted member {tag}",
        erased_at=keep_until - days(2190),
        is_active=False,
    )
    ErasedAccount.objects.create(
        stand_in=stand_in,
        former_user_id=stand_in.pk + 1000,
        display_name="Taylor",
        email="taylor@example.org",
        erased_at=keep_until - days(2190),
        keep_until=keep_until,
    )
    return stand_in


def concern(person, *, resolved_at: datetime | None = None, message_id: int = 1) -> SafeguardingConcern:
    return SafeguardingConcern.objects.create(
        person=person,
        source="message",
        source_id=message_id,
        excerpt="words",
        due_at=NOW - days(3000),
        status=ConcernStatus.RESOLVED if resolved_at else ConcernStatus.OPEN,
        resolved_at=resolved_at,
    )


def audit_about(user: User, action: str = "user.suspended") -> AuditEntry:
    return AuditEntry.objects.create(action=action, target_type="community.user", target_id=str(user.pk))


def invitation(*, expires_at: datetime, revoked_at: datetime | None = None) -> Invitation:
    return Invitation.objects.create(
        code=secrets.token_hex(5), expires_at=expires_at, revoked_at=revoked_at, created_at=expires_at - days(14)
    )


def notification(user: User, *, created_at: datetime) -> Notification:
    return Notification.objects.create(user=user, kind="group.joined", title="You joined", created_at=created_at)


def export_with_file(user: User, *, expires_at: datetime) -> DataExport:
    name = storages["exports"].save(f"export-{secrets.token_hex(4)}.zip", ContentFile(b"zip bytes"))
    return DataExport.objects.create(
        user=user,
        status=DataExportStatus.READY,
        requested_at=expires_at - days(8),
        ready_at=expires_at - days(7),
        expires_at=expires_at,
        file_name=name,
        size_bytes=9,
    )


# --- Each rule: just past the period goes, just inside it stays ---------------------------------------------------


def test_invitations_expired_or_revoked_past_the_period_go_with_who_joined_with_them(member):
    past = invitation(expires_at=NOW - days(30) - MINUTE)
    InvitationRedemption.objects.create(invitation=past, user=member, redeemed_at=NOW - days(40))
    revoked_long_ago = invitation(expires_at=NOW + days(5), revoked_at=NOW - days(30) - MINUTE)
    inside = invitation(expires_at=NOW - days(30) + MINUTE)
    revoked_lately = invitation(expires_at=NOW - days(5), revoked_at=NOW - days(29))
    active = invitation(expires_at=NOW + days(3))

    run = retention_run(now=NOW)

    assert removed_by(run) == {"invitations": 2}
    assert set(Invitation.objects.all()) == {inside, revoked_lately, active}
    assert not Invitation.objects.filter(pk__in=[past.pk, revoked_long_ago.pk]).exists()
    assert not InvitationRedemption.objects.exists()
    assert User.objects.filter(pk=member.pk).exists()  # the person who joined stays


def test_notifications_older_than_the_period_go(member, moderator):
    old = [
        notification(member, created_at=NOW - days(90) - MINUTE),
        notification(moderator, created_at=NOW - days(400)),
    ]
    recent = [notification(member, created_at=NOW - days(90) + MINUTE), notification(moderator, created_at=NOW)]

    run = retention_run(now=NOW)

    assert removed_by(run) == {"notifications": 2}
    assert set(Notification.objects.all()) == set(recent)
    assert not Notification.objects.filter(pk__in=[n.pk for n in old]).exists()


def test_an_export_past_its_download_time_loses_its_file_and_is_marked_expired(
    member, moderator, django_capture_on_commit_callbacks
):
    expired = export_with_file(member, expires_at=NOW - MINUTE)
    still_downloadable = export_with_file(moderator, expires_at=NOW + MINUTE)
    expired_file = expired.file_name

    with django_capture_on_commit_callbacks(execute=True):
        run = retention_run(now=NOW)

    assert removed_by(run) == {"data_exports": 1}
    expired.refresh_from_db()
    assert expired.status == DataExportStatus.EXPIRED
    assert expired.file_name == ""
    assert not storages["exports"].exists(expired_file)
    still_downloadable.refresh_from_db()
    assert still_downloadable.status == DataExportStatus.READY
    assert storages["exports"].exists(still_downloadable.file_name)
    assert {rule.key: n for rule, n in retention_preview(now=NOW)}["data_exports"] == 0  # not counted twice


def test_a_rolled_back_purge_keeps_the_export_file(member, django_capture_on_commit_callbacks):
    expired = export_with_file(member, expires_at=NOW - MINUTE)
    exports_rule = next(rule for rule in community_rules.RULES if rule.key == "data_exports")
    with (
        mock.patch("community.services.retention.retention_rules", return_value=[_failing_after(exports_rule)]),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run = retention_run(now=NOW)

    assert run.removed == {"data_exports": FAILED}
    expired.refresh_from_db()
    assert expired.status == DataExportStatus.READY
    assert storages["exports"].exists(expired.file_name)


def _raise(now):
    raise RuntimeError("the database went away")


def _failing_after(rule: RetentionRule) -> RetentionRule:
    """`rule`, but raising after its purge has done its work (inside the same transaction)."""

    def purge_then_fail(now):
        rule.remove(now)
        _raise(now)

    return RetentionRule(
        key=rule.key,
        description=rule.description,
        period_setting=rule.period_setting,
        due=rule.due,
        purge=purge_then_fail,
    )


def test_safeguarding_concerns_handled_more_than_the_period_ago_go(member):
    past = concern(member, resolved_at=NOW - days(2190) - MINUTE)
    inside = concern(member, resolved_at=NOW - days(2190) + MINUTE)
    still_open = concern(member)
    SafeguardingConcern.objects.filter(pk=still_open.pk).update(created_at=NOW - days(4000))

    run = retention_run(now=NOW)

    assert removed_by(run) == {"safeguarding_concerns": 1}
    assert set(SafeguardingConcern.objects.all()) == {inside, still_open}
    assert not SafeguardingConcern.objects.filter(pk=past.pk).exists()


def test_at_keep_until_an_erased_accounts_concerns_audit_and_link_go_but_the_stand_in_stays(member):
    due = erased_stand_in(keep_until=NOW - MINUTE)
    kept = erased_stand_in(keep_until=NOW + MINUTE)
    due_records = [concern(due), concern(due, resolved_at=NOW - days(3))]
    due_audit = [audit_about(due), audit_about(due, "case.resolved")]
    kept_records = [concern(kept), audit_about(kept)]
    members_records = [concern(member), audit_about(member)]
    other_target = AuditEntry.objects.create(
        action="group.updated", target_type="community.group", target_id=str(due.pk)
    )

    run = retention_run(now=NOW)

    assert removed_by(run) == {"erased_account_concerns": 2, "erased_account_audit": 2, "erased_accounts": 1}
    assert not SafeguardingConcern.objects.filter(pk__in=[c.pk for c in due_records]).exists()
    assert not AuditEntry.objects.filter(pk__in=[a.pk for a in due_audit]).exists()
    assert not ErasedAccount.objects.filter(stand_in=due).exists()
    assert User.objects.filter(pk=due.pk, erased_at__isnull=False).exists()
    assert ErasedAccount.objects.filter(stand_in=kept).exists()
    for row in [*kept_records, *members_records, other_target]:
        assert type(row).objects.filter(pk=row.pk).exists()


def test_a_concern_both_old_and_about_an_erased_account_is_counted_once(member):
    stand_in = erased_stand_in(keep_until=NOW - MINUTE)
    concern(stand_in, resolved_at=NOW - days(2190) - MINUTE)

    counts = {rule.key: n for rule, n in retention_preview(now=NOW) if n}
    run = retention_run(now=NOW)

    assert counts == removed_by(run) == {"safeguarding_concerns": 1, "erased_accounts": 1}


# --- The run as a whole ---------------------------------------------------------------------------------------------


@pytest.fixture
def a_bit_of_everything(member, moderator):
    """Some rows due (one per community rule) and some not."""
    invitation(expires_at=NOW - days(31))
    invitation(expires_at=NOW + days(1))
    notification(member, created_at=NOW - days(91))
    notification(member, created_at=NOW - days(1))
    export_with_file(member, expires_at=NOW - days(1))
    export_with_file(moderator, expires_at=NOW + days(1))
    concern(member, resolved_at=NOW - days(2191))
    concern(member)
    stand_in = erased_stand_in(keep_until=NOW - days(1))
    concern(stand_in)
    audit_about(stand_in)


def test_the_dry_run_removes_nothing_and_matches_the_next_run(a_bit_of_everything):
    tables = [Invitation, Notification, SafeguardingConcern, AuditEntry, ErasedAccount]
    before = {model: model.objects.count() for model in tables}
    exports = list(DataExport.objects.values_list("status", "file_name"))

    preview = retention_preview(now=NOW)

    assert {model: model.objects.count() for model in tables} == before
    assert list(DataExport.objects.values_list("status", "file_name")) == exports
    assert not RetentionRun.objects.exists()
    expected = {
        "invitations": 1,
        "notifications": 1,
        "data_exports": 1,
        "safeguarding_concerns": 1,
        "erased_account_concerns": 1,
        "erased_account_audit": 1,
        "erased_accounts": 1,
    }
    assert {rule.key: n for rule, n in preview if n} == expected
    assert removed_by(retention_run(now=NOW)) == expected


def test_each_run_is_logged_and_a_second_run_removes_nothing(a_bit_of_everything, caplog):
    with caplog.at_level(logging.INFO, logger="community.services.retention"):
        first = retention_run(now=NOW)
    second = retention_run(now=NOW)

    assert list(RetentionRun.objects.order_by("pk")) == [first, second]
    assert first.started_at == NOW
    assert first.finished_at >= first.started_at
    assert sum(first.removed.values()) == 7
    assert "Retention rule notifications removed 1" in caplog.text
    assert "Retention rule chat_messages removed 0" in caplog.text
    assert set(second.removed) == set(first.removed)  # every rule is logged, even with nothing to do
    assert sum(second.removed.values()) == 0
    assert all(n == 0 for _, n in retention_preview(now=NOW))


def test_a_failing_rule_is_logged_and_the_others_still_run(member):
    notification(member, created_at=NOW - days(91))
    failing = RetentionRule(
        key="broken", description="Always fails", period_setting="HN_RETENTION_CHAT_DAYS", due=None, purge=_raise
    )
    with mock.patch("community.services.retention.retention_rules", return_value=[failing, *community_rules.RULES]):
        run = retention_run(now=NOW)

    assert run.removed["broken"] == FAILED
    assert run.removed["notifications"] == 1
    assert not Notification.objects.exists()


def test_periods_come_from_the_settings(member, settings):
    settings.HN_RETENTION_NOTIFICATION_DAYS = 7
    notification(member, created_at=NOW - days(8))
    notification(member, created_at=NOW - days(6))

    descriptions = {rule.key: rule.describe() for rule, _ in retention_preview(now=NOW)}
    run = retention_run(now=NOW)

    assert descriptions["notifications"] == "Notifications older than 7 days."
    assert removed_by(run) == {"notifications": 1}
    assert Notification.objects.count() == 1


def test_the_daily_job_runs_retention_and_logs_it(member):
    notification(member, created_at=NOW - days(91))

    with mock.patch("django.utils.timezone.now", return_value=NOW):
        removed = purge_expired_data.call_local()

    assert removed["notifications"] == 1
    assert RetentionRun.objects.get().removed == removed


# --- The command ---------------------------------------------------------------------------------------------------


def test_the_dry_run_command_says_what_would_go_and_removes_nothing(a_bit_of_everything, capsys):
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        call_command("retention", "--dry-run")

    out = capsys.readouterr().out
    assert out.startswith("Dry run: nothing was deleted. The next run would remove:")
    assert "  notifications: 1 - Notifications older than 90 days." in out
    assert "  chat_messages: 0 - Chat messages older than 365 days" in out
    assert "Total: 7." in out
    assert Notification.objects.count() == 2
    assert not RetentionRun.objects.exists()


def test_the_command_removes_what_is_due_and_says_so(a_bit_of_everything, capsys):
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        call_command("retention")

    out = capsys.readouterr().out
    run = RetentionRun.objects.get()
    assert out.startswith(f"Retention run {run.pk} removed:")
    assert "  invitations: 1 - Invitations that expired or were cancelled more than 30 days ago" in out
    assert "Total: 7." in out
    assert Notification.objects.count() == 1
