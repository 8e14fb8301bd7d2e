"""The Huey consumer killed in the middle of a job: every reminder and its email still goes out exactly once.

Huey takes a job off the Redis queue before running it, so a consumer killed with SIGKILL loses the jobs it was
running. What keeps the promise is in the data, not the queue: a reminder run is one transaction that marks each RSVP
(`reminder_sent_at`), and an email is sent and marked 'sent' in one transaction holding the notification's row. A
killed job leaves its notification 'queued'; a consumer starting up re-runs the reminders and sweeps up queued emails
(community.tasks.resend_lost_notification_emails, also every 10 minutes), each sent only if still queued.

The real run: a consumer (`manage.py run_huey`, private Redis, the test's PostgreSQL database) starts, runs the
reminder job, and starts emailing through a backend that stalls; it is SIGKILLed with emails in flight and started
again. The sweep's own rules are tested without processes below.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from community.models import EmailStatus, Notification, NotificationPreference, Profile
from community.services.notifications import notification_emails_resend_due
from events.models import Rsvp
from tests.events.domain_factories import make_event, make_rsvp
from tests.reliability.fault_helpers import REDIS_SERVER, HueyConsumer, app_env, private_redis, wait_until
from tests.reliability.figures import figures_record
from tests.reliability.test_faults_redis import database_url

PEOPLE = 4


def _going_with_email(group, make_user, add_member, count: int):
    event = make_event(group, starts_in=timedelta(hours=12))
    people = []
    for _ in range(count):
        person = make_user()
        add_member(group, person)
        make_rsvp(event, person)
        NotificationPreference.objects.create(user=person, kind="event_reminder", email=True)
        people.append(person)
    return event, people


def _lines(path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def _all_sent(event) -> bool:
    try:
        reminders = Notification.objects.filter(kind="event_reminder", url__contains=str(event.pk))
        return reminders.count() == PEOPLE and not reminders.exclude(email_status=EmailStatus.SENT).exists()
    finally:
        connection.close()


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs a consumer process sharing the database: runs when DATABASE_URL is PostgreSQL",
)
@pytest.mark.skipif(REDIS_SERVER is None, reason="needs the redis-server binary for a private Redis")
@pytest.mark.django_db(transaction=True)
def test_a_consumer_killed_mid_email_still_sends_each_reminder_exactly_once(group, make_user, add_member, tmp_path):
    event, people = _going_with_email(group, make_user, add_member, PEOPLE)
    connection.close()
    emails, flag = tmp_path / "emails.log", tmp_path / "slow"
    flag.touch()
    with private_redis() as redis:
        env = app_env(
            database_url=database_url(), redis_url=redis.url, settings="config.settings.local",
            DEBUG="0", DATABASE_POOL="0", HUEY_IMMEDIATE="0", HN_EMAIL_RESEND_AFTER_MINUTES="0",
            EMAIL_BACKEND="tests.reliability.fault_helpers.SlowFileEmailBackend",
            HN_TEST_EMAIL_LOG=str(emails), HN_TEST_EMAIL_SLOW_FLAG=str(flag),
        )  # fmt: skip
        consumer = HueyConsumer(env, tmp_path / "huey.log")
        try:
            # The consumer starts, reminds everyone (its start-up run) and starts on the emails, which stall.
            consumer.start()
            wait_until(lambda: len(_lines(emails)) >= 2, timeout=60, what="two emails in flight")
            in_flight = sum(line.startswith("start") for line in _lines(emails))
            consumer.kill()
            assert not any(line.startswith("sent") for line in _lines(emails)), "killed before any email finished"
            flag.unlink()

            killed_at = time.monotonic()
            consumer = HueyConsumer(env, tmp_path / "huey.log")
            consumer.start()
            wait_until(lambda: _all_sent(event), timeout=60, what="every reminder email sent")
            recovered = time.monotonic() - killed_at
            time.sleep(2)  # a duplicate would have time to show
        finally:
            consumer.stop()

    sent = Counter(line.split(" ", 1)[1] for line in _lines(emails) if line.startswith("sent"))
    assert sent == Counter({person.email: 1 for person in people}), (sent, (tmp_path / "huey.log").read_text()[-3000:])
    reminders = Notification.objects.filter(kind="event_reminder")
    assert sorted(reminders.values_list("user_id", flat=True)) == sorted(person.pk for person in people)
    assert not Rsvp.objects.filter(event=event, reminder_sent_at__isnull=True).exists()

    figures_record(
        area="faults_huey",
        title="The background-job consumer killed in the middle of sending",
        rows=[
            ("people due a reminder (each wants it by email)", f"{PEOPLE}"),
            ("consumers killed (SIGKILL) with emails half-sent", "1"),
            ("emails in flight when it was killed", f"{in_flight}"),
            ("reminders in the end", f"{reminders.count()} (one each)"),
            ("reminder emails sent in the end", f"{sum(sent.values())} (one each)"),
            ("seconds from the restart until all were sent", f"{recovered:.1f}"),
        ],
        notes=(
            "tests/reliability/test_faults_huey.py: `manage.py run_huey` on a private Redis and PostgreSQL, an email "
            "backend that stalls until the consumer is killed; the restarted consumer redoes the reminder run and "
            "sweeps up emails still queued. Runs in the normal suite on PostgreSQL."
        ),
    )


# --- the sweep's rules (any database) ---------------------------------------------------------------------------------


@pytest.fixture
def queued(make_user):
    def make(*, minutes_ago: float, status: str = EmailStatus.QUEUED, user=None, kind: str = "account_security"):
        user = user or make_user()
        return Notification.objects.create(
            user=user, kind=kind, title="Your password changed", url="/",
            created_at=timezone.now() - timedelta(minutes=minutes_ago), email_status=status,
        )  # fmt: skip

    return make


@pytest.mark.django_db
def test_the_sweep_sends_lost_emails_once_and_leaves_recent_sent_and_quiet_hours_ones(queued, make_user, settings):
    settings.HN_EMAIL_RESEND_AFTER_MINUTES = 5
    lost = queued(minutes_ago=30)
    recent = queued(minutes_ago=1)
    already = queued(minutes_ago=30, status=EmailStatus.SENT)
    sleeper = make_user()
    now = timezone.localtime()
    Profile.objects.update_or_create(
        user=sleeper,
        defaults={
            "quiet_hours_start": (now - timedelta(hours=1)).time().replace(second=0, microsecond=0),
            "quiet_hours_end": (now + timedelta(hours=1)).time().replace(second=0, microsecond=0),
        },
    )
    quiet = queued(minutes_ago=30, user=sleeper, kind="data_export_ready")  # waits for the end of quiet hours

    assert notification_emails_resend_due() == 1
    assert [message.to for message in mail.outbox] == [[lost.user.email]]
    statuses = {n.pk: n.email_status for n in Notification.objects.all()}
    assert statuses[lost.pk] == EmailStatus.SENT
    assert statuses[recent.pk] == statuses[quiet.pk] == EmailStatus.QUEUED
    assert statuses[already.pk] == EmailStatus.SENT

    assert notification_emails_resend_due() == 0  # nothing twice
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_sweep_sends_a_lost_safety_critical_email_in_quiet_hours(queued, make_user, settings):
    """Safety-critical emails ignore quiet hours when first sent, so a lost one is not held back until they end."""
    settings.HN_EMAIL_RESEND_AFTER_MINUTES = 5
    sleeper = make_user()
    now = timezone.localtime()
    Profile.objects.update_or_create(
        user=sleeper,
        defaults={
            "quiet_hours_start": (now - timedelta(hours=1)).time().replace(second=0, microsecond=0),
            "quiet_hours_end": (now + timedelta(hours=1)).time().replace(second=0, microsecond=0),
        },
    )
    security = queued(minutes_ago=30, user=sleeper)  # account_security: safety-critical

    assert notification_emails_resend_due() == 1
    assert [message.to for message in mail.outbox] == [[sleeper.email]]
    assert Notification.objects.get(pk=security.pk).email_status == EmailStatus.SENT
