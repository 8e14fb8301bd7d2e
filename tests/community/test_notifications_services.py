"""notify / notify_many, email via Huey (preferences, quiet hours, idempotency), marking read, preferences."""

from __future__ import annotations

from datetime import datetime, time
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from community import notification_kinds, tasks
from community.errors import InvalidInput, NotFound
from community.models import EmailStatus, Notification, NotificationPreference, Profile
from community.notification_kinds import NotificationKind
from community.services import notifications as service
from community.services.notifications import (
    notification_mark_all_read,
    notification_mark_read,
    notification_preferences_update,
    notify,
    notify_many,
    quiet_hours_end_after,
)

LONDON = ZoneInfo("Europe/London")
QUIET = "test_quiet_kind"  # email off unless chosen
LOUD = "test_loud_kind"  # email on unless switched off
SAFETY = "account_security"  # registered as safety-critical


@pytest.fixture(autouse=True)
def test_kinds(monkeypatch):
    monkeypatch.setitem(notification_kinds._KINDS, QUIET, NotificationKind(QUIET, "A quiet test kind"))
    monkeypatch.setitem(
        notification_kinds._KINDS, LOUD, NotificationKind(LOUD, "A loud test kind", email_by_default=True)
    )


@pytest.fixture(autouse=True)
def empty_huey():
    HUEY.storage.flush_all()
    yield
    HUEY.storage.flush_all()


@pytest.fixture
def pushes(monkeypatch):
    """Every frame sent to a person's sockets, as (user_id, frame)."""
    sent = []
    monkeypatch.setattr(service.realtime, "send_to_user", lambda user_id, frame: sent.append((user_id, frame)))
    return sent


def set_quiet_hours(user, start: time | None, end: time | None) -> None:
    Profile.objects.filter(user=user).update(quiet_hours_start=start, quiet_hours_end=end)


def freeze_now(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


# --- notify: storing and emailing ---------------------------------------------------------------------------------


def test_notify_stores_the_notification_and_sends_no_email_for_a_kind_that_is_off_by_default(
    member, django_capture_on_commit_callbacks, pushes
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=member, kind=QUIET, title="Hello", body="Nice to meet you", url="/groups/")

    stored = Notification.objects.get(pk=notification.pk)
    assert (stored.user, stored.kind, stored.title, stored.body, stored.url) == (
        member,
        QUIET,
        "Hello",
        "Nice to meet you",
        "/groups/",
    )
    assert stored.read_at is None
    assert stored.email_status == EmailStatus.NOT_WANTED
    assert mail.outbox == []


def test_a_kind_that_is_on_by_default_is_emailed_after_commit(member, django_capture_on_commit_callbacks, settings):
    settings.HN_SITE_URL = "https://here-and-now.example"
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=member, kind=LOUD, title="Your event is tomorrow", body="See you there", url="/e/4/")

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.subject == "Your event is tomorrow"
    assert email.to == [member.email]
    assert "See you there" in email.body
    assert "https://here-and-now.example/e/4/" in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html"
    assert 'href="https://here-and-now.example/e/4/"' in html
    notification.refresh_from_db()
    assert notification.email_status == EmailStatus.SENT
    assert notification.emailed_at is not None


def test_a_link_that_is_not_on_this_site_becomes_the_notifications_page_in_the_email(
    member, django_capture_on_commit_callbacks, settings
):
    settings.HN_SITE_URL = "https://here-and-now.example/"
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=member, kind=LOUD, title="Hi", url="https://elsewhere.example/x")

    assert "https://here-and-now.example/notifications/" in mail.outbox[0].body
    assert "elsewhere.example" not in mail.outbox[0].body


def test_choosing_email_for_a_quiet_kind_sends_it(member, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=member, kind=QUIET, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=member, kind=QUIET, title="Chosen")
    assert [email.subject for email in mail.outbox] == ["Chosen"]


def test_switching_off_a_loud_kind_stops_its_email(member, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=member, kind=LOUD, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=member, kind=LOUD, title="Not by email")
    assert mail.outbox == []
    assert Notification.objects.get(pk=notification.pk).email_status == EmailStatus.NOT_WANTED


def test_safety_critical_always_emails_even_if_switched_off_and_in_quiet_hours(
    member, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=member, kind=SAFETY, email=False)
    now = timezone.localtime()
    set_quiet_hours(member, now.replace(hour=(now.hour - 1) % 24).time(), now.replace(hour=(now.hour + 2) % 24).time())

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=member, kind=SAFETY, title="Your password changed")

    assert [email.subject for email in mail.outbox] == ["Your password changed"]
    assert "always send this kind of email" in mail.outbox[0].body
    assert Notification.objects.get(pk=notification.pk).email_status == EmailStatus.SENT
    assert HUEY.scheduled() == []


def test_an_unknown_kind_is_refused(member):
    with pytest.raises(InvalidInput) as error:
        notify(user=member, kind="no_such_kind", title="Hi")
    assert error.value.code == "unknown_kind"
    assert not Notification.objects.exists()


def test_a_deactivated_person_gets_the_notification_stored_but_no_email(make_user, django_capture_on_commit_callbacks):
    person = make_user(is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=person, kind=SAFETY, title="Hi")
    assert mail.outbox == []
    assert Notification.objects.get(pk=notification.pk).email_status == EmailStatus.NOT_WANTED


# --- only after commit --------------------------------------------------------------------------------------------


def test_nothing_is_emailed_or_pushed_before_the_transaction_commits(member, pushes):
    # The test's own transaction never commits, so the on-commit work never runs.
    notification = notify(user=member, kind=LOUD, title="Waiting")
    assert mail.outbox == []
    assert pushes == []
    assert Notification.objects.get(pk=notification.pk).email_status == EmailStatus.QUEUED


def test_a_rolled_back_transaction_sends_nothing(member, django_capture_on_commit_callbacks, pushes):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(user=member, kind=SAFETY, title="Never happened")
            raise RuntimeError("something later failed")

    assert callbacks == []
    assert mail.outbox == []
    assert pushes == []
    assert not Notification.objects.exists()


# --- quiet hours --------------------------------------------------------------------------------------------------


def test_quiet_hours_delay_the_email_until_they_end(member, monkeypatch, django_capture_on_commit_callbacks):
    freeze_now(monkeypatch, datetime(2025, 1, 15, 23, 30, tzinfo=LONDON))
    set_quiet_hours(member, time(22, 0), time(7, 30))
    scheduled = []
    monkeypatch.setattr(
        tasks.send_notification_email, "schedule", lambda args, eta: scheduled.append((args, eta)), raising=False
    )

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=member, kind=LOUD, title="Later, please")

    assert scheduled == [((notification.pk,), datetime(2025, 1, 16, 7, 30, tzinfo=LONDON))]
    assert mail.outbox == []
    assert Notification.objects.get(pk=notification.pk).email_status == EmailStatus.QUEUED


def test_quiet_hours_put_the_email_on_hueys_schedule(member, django_capture_on_commit_callbacks):
    now = timezone.localtime().replace(second=0, microsecond=0)
    start = now.replace(hour=(now.hour - 1) % 24).time()
    end = now.replace(hour=(now.hour + 2) % 24).time()
    set_quiet_hours(member, start, end)

    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=member, kind=LOUD, title="Later, please")

    waiting = HUEY.scheduled()
    assert [task.args for task in waiting] == [(notification.pk,)]
    expected = quiet_hours_end_after(start=start, end=end, now=timezone.now())
    assert waiting[0].eta == expected.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    assert mail.outbox == []


def test_outside_quiet_hours_the_email_goes_at_once(member, monkeypatch, django_capture_on_commit_callbacks):
    set_quiet_hours(member, time(22, 0), time(7, 0))
    freeze_now(monkeypatch, datetime(2025, 1, 15, 12, 0, tzinfo=LONDON))
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=member, kind=LOUD, title="Now is fine")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("start", "end", "now", "expected"),
    [
        (time(22, 0), time(7, 0), datetime(2025, 3, 1, 23, 0), datetime(2025, 3, 2, 7, 0)),
        (time(22, 0), time(7, 0), datetime(2025, 3, 1, 3, 15), datetime(2025, 3, 1, 7, 0)),
        (time(22, 0), time(7, 0), datetime(2025, 3, 1, 22, 0), datetime(2025, 3, 2, 7, 0)),
        (time(22, 0), time(7, 0), datetime(2025, 3, 1, 7, 0), None),
        (time(22, 0), time(7, 0), datetime(2025, 3, 1, 12, 0), None),
        (time(13, 0), time(15, 0), datetime(2025, 3, 1, 14, 0), datetime(2025, 3, 1, 15, 0)),
        (time(13, 0), time(15, 0), datetime(2025, 3, 1, 16, 0), None),
        (time(13, 0), time(15, 0), datetime(2025, 3, 1, 12, 59), None),
        (None, None, datetime(2025, 3, 1, 14, 0), None),
        (time(9, 0), time(9, 0), datetime(2025, 3, 1, 9, 0), None),
        # The clocks go forward at 01:00 on 30 March 2025; the end is still 07:00 UK time.
        (time(23, 0), time(7, 0), datetime(2025, 3, 29, 23, 30), datetime(2025, 3, 30, 7, 0)),
    ],
)
def test_quiet_hours_end(start, end, now, expected):
    result = quiet_hours_end_after(start=start, end=end, now=now.replace(tzinfo=LONDON))
    assert result == (expected.replace(tzinfo=LONDON) if expected else None)
    if expected:
        assert result.utcoffset() == expected.replace(tzinfo=LONDON).utcoffset()


# --- the email task -----------------------------------------------------------------------------------------------


def test_the_email_task_is_idempotent(member):
    notification = notify(user=member, kind=LOUD, title="Once only")  # still queued: nothing has committed

    assert tasks.send_notification_email(notification.pk)() is True
    assert tasks.send_notification_email(notification.pk)() is False
    assert len(mail.outbox) == 1


def test_the_email_task_skips_a_person_deactivated_while_it_waited(member):
    notification = notify(user=member, kind=SAFETY, title="Too late")
    member.is_active = False
    member.save(update_fields=["is_active"])

    tasks.send_notification_email(notification.pk)

    assert mail.outbox == []
    assert Notification.objects.get(pk=notification.pk).email_status == EmailStatus.NOT_WANTED


def test_the_email_task_respects_a_choice_changed_while_it_waited(member):
    notification = notify(user=member, kind=LOUD, title="Changed my mind")
    NotificationPreference.objects.create(user=member, kind=LOUD, email=False)

    tasks.send_notification_email(notification.pk)

    assert mail.outbox == []
    assert Notification.objects.get(pk=notification.pk).email_status == EmailStatus.NOT_WANTED


def test_a_failed_send_is_marked_failed(member):
    notification = notify(user=member, kind=LOUD, title="Mail server down")
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("connection refused")):
        assert tasks.send_notification_email(notification.pk)() is False
    assert Notification.objects.get(pk=notification.pk).email_status == EmailStatus.FAILED


def test_the_email_task_ignores_a_missing_notification(db):
    assert tasks.send_notification_email(987654)() is False
    assert mail.outbox == []


# --- live push ----------------------------------------------------------------------------------------------------


def test_notify_pushes_the_notification_and_unread_count_on_commit(member, django_capture_on_commit_callbacks, pushes):
    notify(user=member, kind=QUIET, title="Earlier")  # unread, never committed in this test, but stored
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(user=member, kind=QUIET, title="Fresh", url="/groups/")

    assert len(pushes) == 1
    user_id, frame = pushes[0]
    assert user_id == member.pk
    assert frame["type"] == "notification"
    assert frame["unread_count"] == 2
    assert frame["notification"]["id"] == notification.pk
    assert frame["notification"]["title"] == "Fresh"
    assert frame["notification"]["url"] == "/groups/"
    assert frame["notification"]["read_at"] is None


# --- notify_many --------------------------------------------------------------------------------------------------


def test_notify_many_inserts_once_and_delivers_to_each_person(make_user, django_capture_on_commit_callbacks, pushes):
    people = [make_user() for _ in range(5)]
    NotificationPreference.objects.create(user=people[0], kind=LOUD, email=False)

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        created = notify_many(users=[*people, people[1]], kind=LOUD, title="Big news", url="/groups/")

    notification_inserts = [
        query for query in queries if query["sql"].startswith("INSERT") and "community_notification" in query["sql"]
    ]
    assert len(notification_inserts) == 1
    assert len(created) == 5
    assert Notification.objects.filter(title="Big news").count() == 5
    assert sorted(email.to[0] for email in mail.outbox) == sorted(person.email for person in people[1:])
    assert sorted(user_id for user_id, _ in pushes) == sorted(person.pk for person in people)
    assert all(frame["unread_count"] == 1 for _, frame in pushes)


def test_notify_many_with_nobody_does_nothing(db):
    assert notify_many(users=[], kind=LOUD, title="Nobody") == []
    with pytest.raises(InvalidInput):
        notify_many(users=[], kind="no_such_kind", title="Nobody")


# --- marking read -------------------------------------------------------------------------------------------------


def test_mark_read_marks_your_own_and_tells_your_other_tabs(member, django_capture_on_commit_callbacks, pushes):
    first = notify(user=member, kind=QUIET, title="One")
    notify(user=member, kind=QUIET, title="Two")

    with django_capture_on_commit_callbacks(execute=True):
        marked = notification_mark_read(actor=member, notification=first)

    assert Notification.objects.get(pk=first.pk).read_at is not None
    assert marked.read_at is not None
    assert pushes == [(member.pk, {"type": "notifications.read", "ids": [first.pk], "all": False, "unread_count": 1})]


def test_mark_read_twice_changes_nothing_the_second_time(member, django_capture_on_commit_callbacks, pushes):
    notification = notify(user=member, kind=QUIET, title="One")
    notification_mark_read(actor=member, notification=notification.pk)
    first_read_at = Notification.objects.get(pk=notification.pk).read_at

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification_mark_read(actor=member, notification=notification.pk)

    assert callbacks == []
    assert Notification.objects.get(pk=notification.pk).read_at == first_read_at


@pytest.mark.parametrize("role", ["member", "moderator", "staff"])
def test_nobody_can_mark_someone_elses_notification(role, member, moderator, staff, make_user):
    actor = {"member": make_user(), "moderator": moderator, "staff": staff}[role]
    notification = notify(user=member, kind=QUIET, title="Private")

    with pytest.raises(NotFound) as error:
        notification_mark_read(actor=actor, notification=notification.pk)

    assert error.value.code == "notification_not_found"
    assert error.value.status == 404
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_mark_read_of_a_missing_notification_is_not_found(member):
    with pytest.raises(NotFound) as error:
        notification_mark_read(actor=member, notification=123456)
    assert error.value.code == "notification_not_found"


def test_mark_all_read_marks_only_your_own(member, make_user, django_capture_on_commit_callbacks, pushes):
    someone = make_user()
    for title in ("One", "Two", "Three"):
        notify(user=member, kind=QUIET, title=title)
    notify(user=someone, kind=QUIET, title="Theirs")
    notification_mark_read(actor=member, notification=Notification.objects.get(title="One"))

    with django_capture_on_commit_callbacks(execute=True):
        changed = notification_mark_all_read(actor=member)

    assert changed == 2
    assert not Notification.objects.unread().filter(user=member).exists()
    assert Notification.objects.unread().filter(user=someone).count() == 1
    assert pushes == [(member.pk, {"type": "notifications.read", "ids": [], "all": True, "unread_count": 0})]
    assert notification_mark_all_read(actor=member) == 0


# --- preferences --------------------------------------------------------------------------------------------------


def test_preferences_update_stores_choices_and_quiet_hours(member):
    NotificationPreference.objects.create(user=member, kind=QUIET, email=True)

    preferences = notification_preferences_update(
        actor=member,
        email_by_kind={LOUD: False, SAFETY: True},
        quiet_hours_start=time(21, 30),
        quiet_hours_end=time(8, 0),
    )

    stored = dict(NotificationPreference.objects.filter(user=member).values_list("kind", "email"))
    assert stored == {QUIET: True, LOUD: False}  # QUIET untouched; SAFETY needs no row
    profile = Profile.objects.get(user=member)
    assert (profile.quiet_hours_start, profile.quiet_hours_end) == (time(21, 30), time(8, 0))
    by_key = {kind.key: kind for kind in preferences.kinds}
    assert by_key[LOUD].email is False
    assert by_key[QUIET].email is True
    assert by_key[SAFETY].email is True and by_key[SAFETY].safety_critical is True
    assert by_key["welcome"].email is False  # the default for a kind with no row


def test_preferences_update_can_change_a_choice_again_and_clear_quiet_hours(member):
    notification_preferences_update(
        actor=member, email_by_kind={QUIET: True}, quiet_hours_start=time(22, 0), quiet_hours_end=time(7, 0)
    )
    notification_preferences_update(
        actor=member, email_by_kind={QUIET: False}, quiet_hours_start=None, quiet_hours_end=None
    )
    assert NotificationPreference.objects.get(user=member, kind=QUIET).email is False
    profile = Profile.objects.get(user=member)
    assert (profile.quiet_hours_start, profile.quiet_hours_end) == (None, None)


@pytest.mark.parametrize(
    ("email_by_kind", "start", "end", "code"),
    [
        ({"no_such_kind": True}, None, None, "unknown_kind"),
        ({SAFETY: False}, None, None, "safety_critical"),
        ({}, time(22, 0), None, "invalid_quiet_hours"),
        ({}, None, time(7, 0), "invalid_quiet_hours"),
        ({}, time(7, 0), time(7, 0), "invalid_quiet_hours"),
    ],
)
def test_preferences_update_refusals(member, email_by_kind, start, end, code):
    with pytest.raises(InvalidInput) as error:
        notification_preferences_update(
            actor=member,
            email_by_kind={LOUD: False, **email_by_kind},
            quiet_hours_start=start,
            quiet_hours_end=end,
        )
    assert error.value.code == code
    assert not NotificationPreference.objects.filter(user=member).exists()
    assert Profile.objects.get(user=member).quiet_hours_start is None
